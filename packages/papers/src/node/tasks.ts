/**
 * The jobs the worker threads can run, by name. Each takes resolved parameter objects (never a
 * model name to look up in the worker), so what runs in a worker is exactly what the caller built.
 * Add a paper's job here and call it through `runTasks`.
 */
import {
  type CompteConfig,
  type CompteSimulation,
  type RingModelParams,
  type RingSimulation,
  runWtaConditions,
  runWtaConditionsTfjs,
  simulateCompte,
  simulateRing,
  simulateRingTfjs,
  type WtaCondition,
  type WtaSummary,
} from '@wmkit/attractor-models';
import { type HdSnnConfig, runScanPoint, type ScanParam, type ScanPoint } from '@wmkit/delay-snn';
import type { StmProtocol } from '@wmkit/ei-rnn';
import { Rng } from '@wmkit/tensor';
import { type KimModelJob, type KimModelWork, kim2021Model } from '../kim2021';
import { type StmNetworkResult, trainStmNetwork } from '../kurtkaya2025-network';

/** A range of ring-attractor trials (streams forked by global trial index, so splits agree). */
export interface RingJob {
  params: RingModelParams;
  seed: number;
  firstTrial: number;
  trials: number;
  delayMs: number;
  recordEveryMs: number;
  recordUnits: { units: Int32Array; perTrial: number } | null;
  traceTrials: number;
  /** Cue index per trial of this range (null: balanced, trial t gets cue t mod 8). */
  cues: Int32Array | null;
  /** The wasm ring kernel, or tfjs ops on the worker's selected backend. */
  engine: 'kernels' | 'tfjs';
}

/** A range of Compte 2000 trials: the block's stream as its xoshiro state (a fresh fork), trials forked from it by global index. */
export interface CompteJob {
  config: CompteConfig;
  rngState: number[];
  firstTrial: number;
  trials: number;
  rasterTrials: number;
}

/** One WTA/nWTA condition (circuit, noise, N). */
export interface WtaJob {
  condition: WtaCondition;
  seed: number;
  /** The float64 JavaScript circuit (absent or 'kernels') or tfjs ops on the worker's selected backend. */
  engine?: 'kernels' | 'tfjs';
}

/** One point of a delay-network parameter scan. */
export interface HdScanJob {
  config: HdSnnConfig;
  param: ScanParam;
  value: number;
  /** The event-driven wasm kernels, or tfjs ops on the worker's selected backend. */
  engine: 'kernels' | 'tfjs';
}

/** One short-term-memory network of Kurtkaya et al. 2025: train it with this protocol and seed, classify it. */
export interface StmCellJob {
  config: StmProtocol;
  seed: number;
  /** The wasm scan kernel, or tfjs autodiff on the worker's selected backend. */
  engine: 'kernels' | 'tfjs';
}

export const TASKS = {
  ring: (job: RingJob, progress: (f: number) => void): RingSimulation =>
    (job.engine === 'tfjs' ? simulateRingTfjs : simulateRing)(
      job.params,
      {
        trials: job.trials,
        firstTrial: job.firstTrial,
        delayMs: job.delayMs,
        recordEveryMs: job.recordEveryMs,
        recordUnits: job.recordUnits ?? undefined,
        traceTrials: job.traceTrials,
        cues: job.cues ?? undefined,
        onProgress: progress,
      },
      new Rng(job.seed),
    ),
  compte2000: (job: CompteJob, progress: (f: number) => void): CompteSimulation =>
    simulateCompte(
      job.config,
      { trials: job.trials, firstTrial: job.firstTrial, rasterTrials: job.rasterTrials, onProgress: progress },
      Rng.fromState(job.rngState),
    ),
  wta: (job: WtaJob): WtaSummary =>
    (job.engine === 'tfjs' ? runWtaConditionsTfjs : runWtaConditions)([job.condition], new Rng(job.seed))[0] as WtaSummary,
  hdsnnScan: (job: HdScanJob): ScanPoint => runScanPoint(job.config, job.param, job.value, job.engine),
  stmCell: (job: StmCellJob, progress: (f: number) => void): StmNetworkResult => {
    // about 100 progress messages per network, not one per epoch
    const every = Math.max(1, Math.floor(job.config.epochs / 100));
    return trainStmNetwork(
      { config: job.config, seed: job.seed, engine: job.engine },
      { onEpoch: (e) => (e + 1) % every === 0 && progress((e + 1) / job.config.epochs) },
    );
  },
  /** Kim & Sejnowski 2021: the missing steps of one model (train, convert, scaling experiments). */
  kimModel: (job: KimModelJob, progress: (f: number) => void): Promise<KimModelWork> =>
    kim2021Model(job, { onProgress: (p) => progress(p.done / p.total) }),
};

/** Name of a job the worker threads can run. */
export type TaskName = keyof typeof TASKS;
/** The job object a worker task takes. */
export type JobOf<T extends TaskName> = Parameters<(typeof TASKS)[T]>[0];
/** What a worker task returns. */
export type ResultOf<T extends TaskName> = Awaited<ReturnType<(typeof TASKS)[T]>>;
