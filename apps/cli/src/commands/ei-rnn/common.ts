/**
 * The ei-rnn commands' file side: reading trained models back from run directories, and writing
 * each step's arrays, figures and summary (computed by `@wmkit/papers` ei-rnn-runs and drawn by
 * `@wmkit/figures`) — the same files whether a command or `reproduce kim2021` made them.
 */
import { type RunDirectory, readRun } from '@wmkit/data-io/node';
import {
  ConfigError,
  type EiRnnTaskName,
  type EiRnnTaskRecord,
  eiRnnPreset,
  parseRateRnnConfig,
  type RateRNN,
  type RecordedTask,
  rateRnnFromArrays,
  recordedTask,
  type SpikingRNN,
  toSpiking,
} from '@wmkit/ei-rnn';
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
import { UsageError } from '../../errors';
import { loadRunArrays, requireRun, startRun } from '../../run-helpers';

export { lifSummaryOf, scaleSummaryOf } from '@wmkit/papers';
export const EI_RATE_KIND = EI_RUN_KINDS.rate;
export const EI_LIF_KIND = EI_RUN_KINDS.lif;

/** A trained (or imported) rate model read back from its run directory, with the task run.json records. */
export interface LoadedRateRun {
  dir: string;
  model: RateRNN;
  seed: number;
  preset: string | null;
  config: { model: unknown; train?: unknown; task?: unknown };
  /** The task the model was trained on ('dms' unless its run.json names another). */
  task: EiRnnTaskName;
  /** That task's parameters (dt included) and the task built from them. */
  recorded: RecordedTask;
  metrics: Record<string, unknown>;
}

/** A trained (or imported) rate model from its run directory. */
export function loadRateRun(dir: string): LoadedRateRun {
  const rec = requireRun(
    dir,
    [EI_RATE_KIND],
    'train one with `wmkit train ei-rnn --preset kim2021.dms --out <dir>` (or import one with `wmkit import kim-mat`)',
  );
  const cfg = rec.manifest.config as LoadedRateRun['config'];
  if (!cfg || typeof cfg !== 'object' || !('model' in cfg)) throw new ConfigError(`${dir}/run.json: config has no 'model' field`);
  const model = rateRnnFromArrays(parseRateRnnConfig(cfg.model, undefined, `${dir}/run.json config.model`), loadRunArrays(rec), dir);
  const recorded = recordedTask(cfg.task, `${dir}/run.json config`);
  const seed = typeof rec.manifest.seed === 'number' ? rec.manifest.seed : 0;
  return {
    dir: rec.dir,
    model,
    seed,
    preset: rec.manifest.preset,
    config: cfg,
    metrics: rec.manifest.metrics,
    task: recorded.name,
    recorded,
  };
}

/**
 * The task of a loaded run for a command with an optional explicit `--task`: the recorded one; an
 * explicit task that differs is refused, naming both.
 */
export function taskOfRun(r: LoadedRateRun, explicit?: EiRnnTaskName): RecordedTask {
  if (explicit && explicit !== r.task)
    throw new UsageError(`--task ${explicit} does not match ${r.dir}/run.json, which records the ${r.task} task; leave --task out`);
  return r.recorded;
}

/** The converted spiking network of a rate run (its `lif/` sub-run), or a clear error. */
export function loadLifRun(parentDir: string, model: RateRNN): { net: SpikingRNN; inverseScale: number } {
  const dir = `${parentDir}/lif`;
  let rec: ReturnType<typeof requireRun>;
  try {
    rec = requireRun(dir, [EI_LIF_KIND], 'convert the model first');
  } catch (err) {
    throw new UsageError(
      `${parentDir} has no converted spiking network (${(err as Error).message}); run \`wmkit convert lif ${parentDir}\` first`,
    );
  }
  const inv = Number(rec.manifest.metrics.bestInverseScale);
  if (!(inv > 0)) throw new ConfigError(`${dir}/run.json: metrics.bestInverseScale is missing or not positive`);
  return { net: toSpiking(model, { scale: 1 / inv }), inverseScale: inv };
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
  o: { grid: readonly number[]; trials: number; longTrials: number },
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

/** The run in `dir` if it is complete, else null (missing, unreadable, failed or interrupted). */
export function completeRun(dir: string): ReturnType<typeof readRun> | null {
  try {
    const rec = readRun(dir);
    return rec.state === 'complete' ? rec : null;
  } catch {
    return null;
  }
}
