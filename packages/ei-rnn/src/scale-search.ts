/**
 * Task performance of a converted spiking network, and the grid search for the weight scale λ
 * (spikeRNN `spiking/lambda_grid_search.m`: 1/λ ∈ {20, 25, …, 75}, 100 trials each, keep the
 * best; ties go to the first, as MATLAB's max does).
 *
 * @example
 * ```ts
 * const search = searchScale(model, dmsTask(), { rng });
 * search.best;   // { inverseScale: 40, accuracy: 0.98 }
 * ```
 */
import type { Task, TaskScore, TrialBatch } from '@wmkit/tasks';
import { type Rng, runSteps, ShapeError, type StepGenerator } from '@wmkit/tensor';
import type { RateRNN } from './rate-rnn';
import { type LifConversionConfig, type SpikingRecord, type SpikingRNN, simulateSpikingBatchSteps, toSpiking } from './spiking';
import type { Engine } from './tfjs-engine';

/** Scores a spiking simulation with the task's rule (envelopes where the task supports them). */
export function scoreSpiking(task: Task, rec: SpikingRecord, batch: TrialBatch): TaskScore {
  return task.scoreEnvelope ? task.scoreEnvelope(rec.outputs.max, rec.outputs.min, batch) : task.score(rec.outputs.mean, batch);
}

/** Accuracy, task score and mean firing rate of a spiking network on a batch of trials. */
export interface SpikingEvaluation {
  accuracy: number;
  score: TaskScore;
  /** Mean firing rate over units and trials (Hz). */
  meanRateHz: number;
  seconds: number;
}

/** Runs `trials` fresh task trials through the spiking network (in chunks) and scores them, on the wasm kernel or as tfjs ops (`engine`). */
export function evaluateSpiking(...args: Parameters<typeof evaluateSpikingSteps>): SpikingEvaluation {
  return runSteps(evaluateSpikingSteps(...args));
}

/** `evaluateSpiking` as a step generator (yields after every kernel call), for `runStepsYielding`; same results. */
export function* evaluateSpikingSteps(
  net: SpikingRNN,
  task: Task,
  trials: number,
  rng: Rng,
  chunk = 50,
  onProgress?: (f: number) => void,
  engine: Engine = 'kernels',
): StepGenerator<SpikingEvaluation> {
  const [ev] = yield* evaluateNetsSteps([net], task, trials, rng, chunk, onProgress, engine);
  return ev as SpikingEvaluation;
}

/** Trials per kernel call when several chunks or networks are simulated together (their state, ~7 KB a trial at N = 200, stays small). */
const TRIALS_PER_CALL = 1200;

/**
 * `evaluateSpiking` of several networks (conversions of one rate model at different λ) on the
 * same trials: chunk c of `chunk` trials is `task.sample(B, rng.fork('batch<c>'))` simulated with
 * `rng.fork('sim<c>')` for every network, so each network's result is the one `evaluateSpiking`
 * gives it alone, bit for bit. The chunks of all networks run side by side in kernel calls of up
 * to 1,200 trials (whole chunks), split across the kernel threads together. A network's `seconds`
 * is its share of the time (the total over the networks).
 */
export function* evaluateNetsSteps(
  nets: readonly SpikingRNN[],
  task: Task,
  trials: number,
  rng: Rng,
  chunk = 50,
  onProgress?: (f: number) => void,
  engine: Engine = 'kernels',
): StepGenerator<SpikingEvaluation[]> {
  const t0 = performance.now();
  const chunks: { start: number; B: number; batch: TrialBatch; rng: Rng }[] = [];
  for (let start = 0, c = 0; start < trials; start += chunk, c++) {
    const B = Math.min(chunk, trials - start);
    chunks.push({ start, B, batch: task.sample(B, rng.fork(`batch${c}`)), rng: rng.fork(`sim${c}`) });
  }
  const jobs = nets.flatMap((net, n) => chunks.map((ch) => ({ n, ch, job: { net, inputs: ch.batch.inputs, rng: ch.rng } })));
  const correct = nets.map(() => new Uint8Array(trials));
  const rateSum = nets.map(() => 0);
  const total = nets.length * trials;
  let done = 0;
  for (let i = 0; i < jobs.length; ) {
    // the next call: whole chunks up to TRIALS_PER_CALL trials
    let j = i;
    let nT = 0;
    while (j < jobs.length && (j === i || nT + (jobs[j]?.ch.B ?? 0) <= TRIALS_PER_CALL)) nT += jobs[j++]?.ch.B ?? 0;
    const part = jobs.slice(i, j);
    const base = done;
    const recs = yield* simulateSpikingBatchSteps(
      part.map((x) => x.job),
      {
        inputDtMs: chunks[0]?.batch.dtMs,
        engine,
        onProgress: onProgress ? (f) => onProgress((base + f * nT) / total) : undefined,
      },
    );
    part.forEach((x, q) => {
      const rec = recs[q] as SpikingRecord;
      correct[x.n]?.set(scoreSpiking(task, rec, x.ch.batch).correct, x.ch.start);
      rateSum[x.n] = (rateSum[x.n] as number) + rec.meanRateHz.reduce((a, v) => a + v, 0) * x.ch.B;
    });
    done += nT;
    i = j;
  }
  const seconds = (performance.now() - t0) / 1000 / nets.length;
  return nets.map((net, n) => {
    let ok = 0;
    for (const x of correct[n] as Uint8Array) ok += x;
    return {
      accuracy: ok / trials,
      score: { correct: correct[n] as Uint8Array, accuracy: ok / trials },
      meanRateHz: (rateSum[n] as number) / (trials * net.rate.config.N),
      seconds,
    };
  });
}

/** spikeRNN `lambda_grid_search.m`: scaling_factors = [20:5:75] (= 1/λ). */
export const KIM_INVERSE_SCALE_GRID: readonly number[] = [20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75];

/** Grid of 1/λ, trials per value, LIF settings and hooks of `searchScale`. */
export interface ScaleSearchOptions {
  rng: Rng;
  /** Values of 1/λ to try (Kim: 20, 25, …, 75). */
  inverseScales?: readonly number[];
  /** Trials per value (Kim: 100). */
  trials?: number;
  lif?: Partial<LifConversionConfig>;
  /** Which implementation simulates the spiking networks (default: the wasm kernel). */
  engine?: Engine;
  /**
   * Stop at the first value that scores every trial correctly (default true): Kim et al.'s rule
   * keeps the first best, so no later value could be chosen; false tries every value.
   */
  stopEarly?: boolean;
  /** Called after each value with its accuracy. */
  onResult?: (r: ScaleResult, index: number, of: number) => void;
  /** Called with the fraction of the grid done. */
  onProgress?: (fraction: number) => void;
}

/** Spiking-network accuracy and mean rate at one scaling factor λ (1/λ as in Kim's code). */
export interface ScaleResult {
  inverseScale: number;
  scale: number;
  accuracy: number;
  meanRateHz: number;
  seconds: number;
}

/** Every λ tried and the best one. */
export interface ScaleSearch {
  results: ScaleResult[];
  best: ScaleResult;
}

/** Kim et al.'s grid search for the rate-to-spiking scaling λ: converts at each 1/λ, scores the spiking network on the same trials, keeps the most accurate. */
export function searchScale(model: RateRNN, task: Task, opts: ScaleSearchOptions): ScaleSearch {
  return runSteps(searchScaleSteps(model, task, opts));
}

/**
 * `searchScale` as a step generator (yields after every kernel call), for `runStepsYielding`.
 * With `stopEarly` (the default) the values are tried one at a time, in order, and the search
 * ends at the first that scores every trial correctly: no later value can beat it (ties go to
 * the first), so the best λ, its accuracy and its rate are those the whole grid gives, and the
 * values after it are not in `results`. Without it, every value's trials run together, in
 * kernel calls shared across the grid.
 */
export function* searchScaleSteps(model: RateRNN, task: Task, opts: ScaleSearchOptions): StepGenerator<ScaleSearch> {
  const grid = opts.inverseScales ?? KIM_INVERSE_SCALE_GRID;
  if (!grid.length || grid.some((g) => !(g > 0)))
    throw new ShapeError(`searchScale: 1/λ values must be positive numbers, got [${grid.join(', ')}]`);
  const trials = opts.trials ?? 100;
  const stopEarly = opts.stopEarly ?? true;
  const results: ScaleResult[] = [];
  const wave = stopEarly ? 1 : grid.length;
  for (let i0 = 0; i0 < grid.length; i0 += wave) {
    // (converted wave by wave: an early stop builds no network it does not try)
    const part = grid.slice(i0, i0 + wave).map((inv) => toSpiking(model, { scale: 1 / inv, lif: opts.lif }));
    // the same trials for every λ (common random numbers) make the comparison fairer
    const evs = yield* evaluateNetsSteps(
      part,
      task,
      trials,
      opts.rng.fork('trials'),
      50,
      opts.onProgress ? (f) => opts.onProgress?.((i0 + f * part.length) / grid.length) : undefined,
      opts.engine,
    );
    for (const [q, ev] of evs.entries()) {
      const idx = i0 + q;
      const inv = grid[idx] as number;
      const r: ScaleResult = { inverseScale: inv, scale: 1 / inv, accuracy: ev.accuracy, meanRateHz: ev.meanRateHz, seconds: ev.seconds };
      results.push(r);
      opts.onResult?.(r, idx, grid.length);
    }
    if (stopEarly && results.some((r) => r.accuracy === 1)) break;
  }
  let best = results[0] as ScaleResult;
  for (const r of results) if (r.accuracy > best.accuracy) best = r;
  return { results, best };
}
