/**
 * Ring-attractor trials split across worker threads (one wasm instance each) and merged in trial
 * order. Each trial has its own random stream, so the result equals a one-thread run.
 */
import { cueIndices, type RingRunConfig, type RingSimulation } from '@wmkit/attractor-models';
import type { RunOutputs } from '../outputs';
import { type RingRunSummary, ringRunOutputs, summarizeRingRun } from '../ring-run';
import type { RingRun, RingRunner } from '../runners';
import { defaultWorkers } from './pool';
import { runTasks } from './run-tasks';
import type { RingJob } from './tasks';

/** A ring-attractor batch to split across worker threads: the resolved model, seed, trials, delay, what to record, workers, progress and abort. */
export interface ParallelRingOptions extends RingRun {
  /** Worker threads (default: all cores, at most one per trial). */
  workers?: number;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** `simulateRing` across worker threads, merged in trial order; equal to a one-thread run with the same seed. */
export async function simulateRingParallel(o: ParallelRingOptions): Promise<RingSimulation> {
  const W = defaultWorkers(o.trials, o.workers);
  const per = Math.ceil(o.trials / W);
  const ranges = Array.from({ length: W }, (_, w) => [w * per, Math.min(o.trials, (w + 1) * per)] as const).filter(([a, b]) => b > a);
  const perTrial = o.recordUnits?.perTrial ?? 0;
  const jobs: RingJob[] = ranges.map(([start, end], w) => ({
    params: o.params,
    seed: o.seed,
    firstTrial: start,
    trials: end - start,
    delayMs: o.delayMs,
    recordEveryMs: o.recordEveryMs ?? 50,
    recordUnits: o.recordUnits ? { units: o.recordUnits.units.slice(start * perTrial, end * perTrial), perTrial } : null,
    traceTrials: w === 0 ? (o.traceTrials ?? 0) : 0,
    cues: o.cues ? o.cues.slice(start, end) : null,
    engine: o.engine ?? 'kernels',
  }));
  const progress = new Array(jobs.length).fill(0);
  const results = await runTasks('ring', jobs, {
    workers: jobs.length,
    signal: o.signal,
    onJobProgress: (i, f) => {
      progress[i] = f * (jobs[i] as RingJob).trials;
      o.onProgress?.(progress.reduce((a, v) => a + v, 0) / o.trials);
    },
  });
  const first = results[0] as RingSimulation;
  const nRec = first.angles.shape[1] as number;
  const N = first.delayRates.shape[1] as number;
  return {
    ...first,
    trials: o.trials,
    cue: concat(results.map((r) => r.cue)),
    cueAngle: concat(results.map((r) => r.cueAngle)),
    response: concat(results.map((r) => r.response)),
    delayRates: { data: concat(results.map((r) => r.delayRates.data as Float32Array)), shape: [o.trials, N] },
    angles: { data: concat(results.map((r) => r.angles.data as Float32Array)), shape: [o.trials, nRec] },
    unitRates: first.unitRates
      ? { data: concat(results.map((r) => r.unitRates?.data as Float32Array)), shape: [o.trials, perTrial, nRec] }
      : null,
    traces: first.traces,
  };
}

/**
 * A `RingRunner` on worker threads, for `wimmer2014({ simulate: ringOnWorkers(4) })` and the
 * like. Each trial has its own stream and is computed the same way in any batch: any number of
 * workers gives the same bits.
 */
export function ringOnWorkers(workers?: number): RingRunner {
  return (r) => simulateRingParallel({ ...r, workers });
}

/** What `simulateRingRun` gives: the simulation, its summary, the run's arrays and metrics, and the seconds it simulated. */
export interface RingRunResult {
  sim: RingSimulation;
  summary: RingRunSummary;
  outputs: RunOutputs;
  seconds: number;
}

/**
 * A batch of ring-model trials as `wmkit simulate attractor` records it (`RingRunConfig`, with the
 * worker count resolved so that a rerun splits the same batches), on worker threads: trials cycle
 * through `cuesDeg` (without it, all 8 cues balanced); then `summarizeRingRun` and `ringRunOutputs`.
 */
export async function simulateRingRun(
  config: RingRunConfig & { workers: number },
  seed: number,
  o: { engine?: 'kernels' | 'tfjs'; onProgress?: (fraction: number) => void } = {},
): Promise<RingRunResult> {
  const { trials, delayMs, traces, cuesDeg, workers, ...params } = config;
  const cueSet = cuesDeg ? cueIndices(cuesDeg, 'cuesDeg') : null;
  const cues = cueSet ? Int32Array.from({ length: trials }, (_, t) => cueSet[t % cueSet.length] as number) : undefined;
  const t0 = performance.now();
  const sim = await simulateRingParallel({ params, seed, trials, delayMs, traceTrials: traces, cues, workers, ...o });
  const seconds = (performance.now() - t0) / 1000;
  const summary = summarizeRingRun(sim);
  return { sim, summary, outputs: ringRunOutputs(sim, summary), seconds };
}
