/**
 * How a recipe runs its many independent simulations. A recipe takes a runner as an option so
 * that it stays a pure function (no worker threads, no Node): the default runs in this thread,
 * and `@wmkit/papers/node` supplies runners on worker threads (`ringOnWorkers`, `wtaOnWorkers`).
 * Every trial (ring) or condition (WTA) draws from its own random stream, forked by its index,
 * never by thread. WTA conditions come out the same bit for bit on any runner; ring trials come
 * out the same bit for bit for the same split into batches (one thread = one worker), and to
 * float32 rounding otherwise (the ring kernel's sums depend on how many trials it batches).
 */
import {
  type RingModelParams,
  type RingSimulation,
  runWtaConditions,
  runWtaConditionsTfjs,
  simulateRing,
  simulateRingTfjs,
  type WtaCondition,
  type WtaSummary,
} from '@wmkit/attractor-models';
import { backendInfo, initBackend, initKernels, Rng } from '@wmkit/tensor';
import { throwIfAborted } from './hooks';

/** One batch of ring-attractor trials, with everything resolved. */
export interface RingRun {
  /** The model, resolved (e.g. `ringModel('bump', overrides)`). */
  params: RingModelParams;
  seed: number;
  trials: number;
  delayMs: number;
  recordEveryMs?: number;
  recordUnits?: { units: Int32Array; perTrial: number };
  traceTrials?: number;
  /** Cue index (0..7) of every trial; default balanced (trial t gets cue t mod 8). */
  cues?: Int32Array;
  /** Fraction of the trials done, 0..1. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  /** Which implementation runs the trials: the wasm ring kernel (default) or tfjs ops on the selected backend. */
  engine?: 'kernels' | 'tfjs';
}

/** Runs a batch of ring trials. */
export type RingRunner = (run: RingRun) => Promise<RingSimulation>;

/** Ring trials in this thread (wmkit's wasm ring kernel, or tfjs ops with `engine: 'tfjs'`). */
export const ringInThisThread: RingRunner = async (r) => {
  if (r.engine === 'tfjs') {
    if (!backendInfo()) await initBackend();
  } else await initKernels();
  throwIfAborted(r.signal);
  return (r.engine === 'tfjs' ? simulateRingTfjs : simulateRing)(
    r.params,
    {
      trials: r.trials,
      delayMs: r.delayMs,
      recordEveryMs: r.recordEveryMs ?? 50,
      recordUnits: r.recordUnits,
      traceTrials: r.traceTrials ?? 0,
      cues: r.cues,
      onProgress: r.onProgress,
    },
    new Rng(r.seed),
  );
};

/** One WTA/nWTA condition (circuit, noise, N) and the seed of its stream. */
export interface WtaRun {
  condition: WtaCondition;
  seed: number;
  /** The float64 JavaScript circuit (default) or tfjs ops on the selected backend, the trials batched. */
  engine?: 'kernels' | 'tfjs';
}

/**
 * Runs WTA conditions; results in the order of `runs`. `onResult` is called as each finishes
 * (with its index in `runs`).
 */
export type WtaRunner = (
  runs: WtaRun[],
  o: { onResult?: (r: WtaSummary, index: number) => void; signal?: AbortSignal },
) => Promise<WtaSummary[]>;

/** WTA conditions one after the other in this thread. */
export const wtaInThisThread: WtaRunner = async (runs, o) => {
  const out: WtaSummary[] = [];
  for (const [i, r] of runs.entries()) {
    throwIfAborted(o.signal);
    if (r.engine === 'tfjs' && !backendInfo()) await initBackend();
    const s = (r.engine === 'tfjs' ? runWtaConditionsTfjs : runWtaConditions)([r.condition], new Rng(r.seed))[0] as WtaSummary;
    out.push(s);
    o.onResult?.(s, i);
    // let progress callbacks and abort signals through between conditions
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return out;
};
