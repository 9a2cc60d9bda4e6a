/**
 * The ei-rnn commands' file side: reading trained models back from run directories, and writing
 * each step's arrays, figures and summary (computed by `@wmkit/papers` ei-rnn-runs and drawn by
 * `@wmkit/figures`) — the same files whether a command or `reproduce kim2021` made them.
 */
import type { RunDirectory } from '@wmkit/data-io/node';
import { type EiRnnTaskName, type EiRnnTaskRecord, eiRnnPreset, type RateRNN, type RecordedTask } from '@wmkit/ei-rnn';
import { lambdaSearchFigure, type RunFigure, rateTrainingFigure, timescaleFigures } from '@wmkit/figures';
import {
  EI_RUN_KINDS,
  type KimConvertResult,
  type KimModelTraining,
  type KimRecipe,
  type KimScaleResult,
  type KimTrainResult,
  lifArrays,
  lifRunConfig,
  type RunArray,
  rateModelArrays,
  rateRunConfig,
  timescaleArrays,
  trainingOf as trainingFromMetrics,
} from '@wmkit/papers';
import type { RateRunRecord } from '@wmkit/papers/node';
import { UsageError } from '../../errors';
import { startRun } from '../../run-helpers';

export { lifSummaryOf, scaleSummaryOf } from '@wmkit/papers';
export const EI_RATE_KIND = EI_RUN_KINDS.rate;
export const EI_LIF_KIND = EI_RUN_KINDS.lif;

/** A trained (or imported) rate model read back from its run directory, with the task run.json records. */
export type LoadedRateRun = RateRunRecord;
export { completeRun, readLifRun as loadLifRun, readRateRun as loadRateRun } from '@wmkit/papers/node';

/**
 * The task of a loaded run for a command with an optional explicit `--task`: the recorded one; an
 * explicit task that differs is refused, naming both.
 */
export function taskOfRun(r: LoadedRateRun, explicit?: EiRnnTaskName): RecordedTask {
  if (explicit && explicit !== r.task)
    throw new UsageError(`--task ${explicit} does not match ${r.dir}/run.json, which records the ${r.task} task; leave --task out`);
  return r.recorded;
}

/** The preset called `name`, or a usage error listing the presets. */
export function presetOrError(name: string) {
  try {
    return eiRnnPreset(name);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Writes a step's arrays and figures into its run directory. */
export function writeOutputs(run: RunDirectory, arrays: RunArray[], figures: RunFigure[] = []): void {
  for (const a of arrays) run.writeArray(a.name, a.array, { dtype: a.dtype, description: a.description });
  for (const f of figures) run.addFigure(f.name, f.svg, f.caption);
}

/** The model arrays of a rate run (and τ per unit). */
export function writeRateModel(run: RunDirectory, m: RateRNN): void {
  writeOutputs(run, rateModelArrays(m));
}

/** Starts a training run directory (run.json config: preset, departures, model, train, task). */
export async function startRateRun(
  dir: string,
  recipe: KimRecipe,
  seed: number,
  force?: boolean,
  engine = 'kernels',
  task?: EiRnnTaskRecord,
) {
  const run = await startRun(dir, {
    kind: EI_RATE_KIND,
    config: rateRunConfig(recipe, task),
    seed,
    preset: recipe.preset,
    notes: recipe.departures,
    force,
  });
  run.setMetrics({ engine }); // which implementation trained it: the wasm kernels or TensorFlow.js ops
  return run;
}

/**
 * Finishes a training run: final arrays, training curve, metrics; a diverged training is marked
 * failed (its arrays hold the last good evaluation). Returns false when it failed.
 */
export function finishRateRun(run: RunDirectory, recipe: KimRecipe, seed: number, r: KimTrainResult): boolean {
  const { stopLossBelow: lossThreshold, stopAccuracyAbove: accuracyThreshold } = recipe.train;
  writeOutputs(run, rateModelArrays(r.model), [
    rateTrainingFigure(r.history, { lossThreshold, accuracyThreshold, title: `${recipe.preset}, seed ${seed}` }),
  ]);
  if (r.diverged) {
    const { rateAccuracyShortDelay: _s, rateAccuracyLongDelay: _l, ...metrics } = r.summary;
    run.setMetrics({ ...metrics, diverged: true });
    run.fail(new Error(`${r.diverged}; the model arrays hold the last good checkpoint`));
    return false;
  }
  run.complete({ ...r.summary });
  return true;
}

/** A whole training run from a result computed elsewhere (a worker): evaluations, model, metrics. */
export async function writeRateRun(dir: string, recipe: KimRecipe, seed: number, r: KimTrainResult, force: boolean, engine = 'kernels') {
  const run = await startRateRun(dir, recipe, seed, force, engine);
  for (const e of r.history) run.appendMetrics(e);
  const last = r.history.at(-1);
  if (last) run.setMetrics({ checkpointTrial: last.trial });
  return finishRateRun(run, recipe, seed, r);
}

/** The arrays, figure and metrics of a conversion (its λ search lines are appended as they come). */
export function finishLifRun(run: RunDirectory, r: Omit<KimConvertResult, 'net'>, title: string): void {
  writeOutputs(run, lifArrays(r), [lambdaSearchFigure(r, title)]);
  run.complete({ ...r.summary });
}

/** A whole conversion sub-run `<dir>/lif` from a result computed elsewhere. */
export async function writeLifRun(
  dir: string,
  seed: number,
  r: Omit<KimConvertResult, 'net'>,
  o: { grid: readonly number[]; trials: number; longTrials: number; task?: EiRnnTaskName },
): Promise<void> {
  const run = await startRun(`${dir}/lif`, { kind: EI_LIF_KIND, config: lifRunConfig(o), seed, force: true });
  for (const s of r.search) run.appendMetrics(s);
  finishLifRun(run, r, `${dir}: λ search`);
}

/** A scaling experiment's sub-run `<dir>/scale-<block>-<factor>`. */
export async function writeScaleRun(
  dir: string,
  seed: number,
  model: RateRNN,
  r: KimScaleResult,
  o: { trials: number; timescaleTrials: number; inverseScale: number; label: string },
): Promise<string> {
  const { block, factor } = r.summary;
  const out = `${dir}/scale-${block}-${factor}`;
  const { trials, timescaleTrials, inverseScale } = o;
  const config = { parent: '..', block, factor, trials, timescaleTrials, inverseScale };
  const run = await startRun(out, { kind: EI_RUN_KINDS.scale, config, seed, force: true });
  // the scaled network has the same E/I identity as `model`
  writeOutputs(
    run,
    timescaleArrays(r.scaled.counts, r.scaled.result, model.sign),
    timescaleFigures(r.scaled.result, `${o.label} × ${factor}: neuronal timescales`),
  );
  run.writeArray('baseline_tau_ms', { data: r.baselineTauMs, shape: [model.config.N] });
  run.complete({ ...r.summary });
  return out;
}

/** The training of a complete rate run as the reproduction reports it (an imported model records none). */
export function trainingOf(rec: LoadedRateRun): KimModelTraining {
  return trainingFromMetrics(rec.metrics, rec.preset, `${rec.dir}/run.json`);
}
