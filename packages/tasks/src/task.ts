/**
 * The `Task` interface every trial generator implements, and the period table that
 * declares a trial's structure (after NeuroGym: named periods with durations in ms,
 * converted once to steps of `dtMs`).
 *
 * @example
 * ```ts
 * const tl = timeline(5, [['fixation', 250], ['stimulus', 250], ['delay', 750], ['response', 500]]);
 * tl.steps;                 // 350
 * stepsOf(tl, 'delay');     // { name: 'delay', start: 100, end: 250, startMs: 500, endMs: 1250 }
 * ```
 */
import { formatShape, type NDArray, type Rng, ShapeError } from '@wmkit/tensor';

/** A named period of a trial, in steps [start, end) and in ms. */
export interface Period {
  name: string;
  start: number;
  end: number;
  startMs: number;
  endMs: number;
}

/** A trial's named periods, converted once from ms to steps of `dtMs`. */
export interface Timeline {
  dtMs: number;
  steps: number;
  periods: Period[];
}

/**
 * Builds a timeline from consecutive `[name, durationMs]` periods. Durations must be
 * non-negative multiples of `dtMs` (so that every boundary falls on a step).
 */
export function timeline(dtMs: number, periods: readonly (readonly [string, number])[]): Timeline {
  if (!(dtMs > 0)) throw new ShapeError(`timeline: dtMs (${dtMs}) must be > 0`);
  let t = 0;
  const out: Period[] = [];
  for (const [name, ms] of periods) {
    if (!(ms >= 0)) throw new ShapeError(`timeline: period '${name}' has a negative or invalid duration (${ms} ms)`);
    const n = Math.round(ms / dtMs);
    if (Math.abs(n * dtMs - ms) > 1e-9 * Math.max(1, ms)) {
      throw new ShapeError(`timeline: period '${name}' lasts ${ms} ms, not a whole number of ${dtMs}-ms steps`);
    }
    if (out.some((p) => p.name === name)) throw new ShapeError(`timeline: period '${name}' appears twice`);
    out.push({ name, start: t, end: t + n, startMs: t * dtMs, endMs: (t + n) * dtMs });
    t += n;
  }
  return { dtMs, steps: t, periods: out };
}

/** The period called `name` (a clear error naming the periods that exist otherwise). */
export function stepsOf(tl: Timeline, name: string): Period {
  const p = tl.periods.find((q) => q.name === name);
  if (!p) throw new ShapeError(`timeline has no period '${name}' (periods: ${tl.periods.map((q) => q.name).join(', ')})`);
  return p;
}

/** A batch of trials: what a task's `sample` returns. Arrays are row-major NDArrays. */
export interface TrialBatch {
  /** [B, T, nIn] */
  inputs: NDArray;
  /** [B, T, nOut] */
  targets: NDArray;
  /** `[B, T, nOut]`: weight of each target in the loss (0 = ignored). */
  mask: NDArray;
  /** Per-trial conditions (e.g. `stim1`, `match`, `cueAngle`), one entry per trial. */
  conditions: Record<string, Float32Array>;
  /** Periods shared by every trial of the batch. */
  periods: Period[];
  dtMs: number;
}

/** The result of scoring a batch of outputs. */
export interface TaskScore {
  /** 1 where the trial counts as correct. */
  correct: Uint8Array;
  accuracy: number;
  /** Task-specific extras (e.g. per-condition accuracy). */
  details?: Record<string, number>;
}

/** Where a task comes from: its paper and tags. */
export interface TaskMeta {
  /** The paper the task comes from. */
  paper: string;
  tags: string[];
}

/** A trial generator with its scoring rule. */
export interface Task<C = unknown> {
  readonly name: string;
  readonly meta: TaskMeta;
  readonly config: C;
  readonly nInputs: number;
  readonly nOutputs: number;
  readonly timeline: Timeline;
  /** Draws `batch` trials; all randomness comes from `rng`. */
  sample(batch: number, rng: Rng): TrialBatch;
  /** Scores network outputs [B, T, nOut] against the batch's trials. */
  score(outputs: NDArray, batch: TrialBatch): TaskScore;
  /**
   * Scores an output sampled more finely than the task's steps (a spiking network's output
   * within each step) from its per-step upper and lower envelopes [B, T, nOut], so that a
   * threshold crossing anywhere inside a step counts, as in the authors' spiking evaluations.
   */
  scoreEnvelope?(upper: NDArray, lower: NDArray, batch: TrialBatch): TaskScore;
}

/** Checks outputs against a batch: `name: expected shape [B, T, nOut] but got …`. */
export function checkOutputs(task: { nOutputs: number }, outputs: NDArray, batch: TrialBatch): { B: number; T: number } {
  const [B, T] = batch.targets.shape;
  const want = [B, T, task.nOutputs];
  if (outputs.shape.length !== 3 || outputs.shape.some((d, i) => d !== want[i])) {
    throw new ShapeError(
      `score: outputs must have shape ${formatShape(want)} (trials, steps, outputs) but got ${formatShape(outputs.shape)}`,
    );
  }
  return { B, T };
}

/** Allocates the zero-filled arrays of a batch. */
export function emptyBatch(batch: number, tl: Timeline, nIn: number, nOut: number): Pick<TrialBatch, 'inputs' | 'targets' | 'mask'> {
  if (!Number.isInteger(batch) || batch < 1) throw new ShapeError(`sample: batch (${batch}) must be a positive integer`);
  const T = tl.steps;
  return {
    inputs: { data: new Float32Array(batch * T * nIn), shape: [batch, T, nIn] },
    targets: { data: new Float32Array(batch * T * nOut), shape: [batch, T, nOut] },
    mask: { data: new Float32Array(batch * T * nOut), shape: [batch, T, nOut] },
  };
}
