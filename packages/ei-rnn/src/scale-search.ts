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
import { type LifConversionConfig, type SpikingRecord, type SpikingRNN, simulateSpikingSteps, toSpiking } from './spiking';
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
export function evaluateSpiking(
  net: SpikingRNN,
  task: Task,
  trials: number,
  rng: Rng,
  chunk = 50,
  onProgress?: (f: number) => void,
  engine: Engine = 'kernels',
): SpikingEvaluation {
  return runSteps(evaluateSpikingSteps(net, task, trials, rng, chunk, onProgress, engine));
}

/** `evaluateSpiking` as a step generator (yields after every chunk of trials), for `runStepsYielding`; same results. */
export function* evaluateSpikingSteps(
  net: SpikingRNN,
  task: Task,
  trials: number,
  rng: Rng,
  chunk = 50,
  onProgress?: (f: number) => void,
  engine: Engine = 'kernels',
): StepGenerator<SpikingEvaluation> {
  const t0 = performance.now();
  const correct = new Uint8Array(trials);
  let rateSum = 0;
  for (let start = 0, c = 0; start < trials; start += chunk, c++) {
    const B = Math.min(chunk, trials - start);
    const batch = task.sample(B, rng.fork(`batch${c}`));
    const rec = yield* simulateSpikingSteps(net, batch.inputs, rng.fork(`sim${c}`), {
      inputDtMs: batch.dtMs,
      engine,
      onProgress: onProgress ? (f) => onProgress((start + f * B) / trials) : undefined,
    });
    correct.set(scoreSpiking(task, rec, batch).correct, start);
    rateSum += rec.meanRateHz.reduce((a, v) => a + v, 0) * B;
  }
  let ok = 0;
  for (const x of correct) ok += x;
  return {
    accuracy: ok / trials,
    score: { correct, accuracy: ok / trials },
    meanRateHz: rateSum / (trials * net.rate.config.N),
    seconds: (performance.now() - t0) / 1000,
  };
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

/** `searchScale` as a step generator (yields after every chunk of trials), for `runStepsYielding`; same results. */
export function* searchScaleSteps(model: RateRNN, task: Task, opts: ScaleSearchOptions): StepGenerator<ScaleSearch> {
  const grid = opts.inverseScales ?? KIM_INVERSE_SCALE_GRID;
  if (!grid.length || grid.some((g) => !(g > 0)))
    throw new ShapeError(`searchScale: 1/λ values must be positive numbers, got [${grid.join(', ')}]`);
  const trials = opts.trials ?? 100;
  const results: ScaleResult[] = [];
  for (const [idx, inv] of grid.entries()) {
    const net = toSpiking(model, { scale: 1 / inv, lif: opts.lif });
    // the same trials for every λ (common random numbers) make the comparison fairer
    const ev = yield* evaluateSpikingSteps(
      net,
      task,
      trials,
      opts.rng.fork('trials'),
      50,
      opts.onProgress ? (f) => opts.onProgress?.((idx + f) / grid.length) : undefined,
      opts.engine,
    );
    const r: ScaleResult = { inverseScale: inv, scale: 1 / inv, accuracy: ev.accuracy, meanRateHz: ev.meanRateHz, seconds: ev.seconds };
    results.push(r);
    opts.onResult?.(r, idx, grid.length);
  }
  let best = results[0];
  for (const r of results) if (r.accuracy > best.accuracy) best = r;
  return { results, best };
}
