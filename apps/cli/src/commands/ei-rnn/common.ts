/**
 * Pieces shared by the ei-rnn commands: loading trained models from run directories, and writing
 * the run directories of each step (train, convert, scaling experiment) from the typed results of
 * `@wmkit/papers` — the same files whether a command or `reproduce kim2021` made them.
 */
import { type TimescaleResult, timescaleHistogram, type UnbiasedTimescaleResult, unbiasedTimescales } from '@wmkit/analysis';
import { type RunDirectory, readRun } from '@wmkit/data-io/node';
import {
  ConfigError,
  type EiRnnTaskName,
  eiRnnPreset,
  eiRnnTask,
  parseRateRnnConfig,
  type RateRNN,
  rateRnnFromArrays,
  rateRnnToArrays,
  type SpikingRNN,
  toSpiking,
  unitTauMs,
} from '@wmkit/ei-rnn';
import { autocorrelationSvg, scaleSearchSvg, timescaleHistogramSvg, trainingCurveSvg } from '@wmkit/figures';
import {
  type KimConvertResult,
  type KimLifSummary,
  type KimModelTraining,
  type KimRecipe,
  type KimScaleResult,
  type KimScaleSummary,
  type KimTrainResult,
  kimDmsTasks,
} from '@wmkit/papers';
import type { NDArray } from '@wmkit/tensor';
import { UsageError } from '../../errors';
import { loadRunArrays, requireRun, startRun } from '../../run-helpers';

export const EI_RATE_KIND = 'ei-rnn.rate';
export const EI_LIF_KIND = 'ei-rnn.lif';
export const EI_SCALE_KIND = 'ei-rnn.scale-synapses';

export interface LoadedRateRun {
  dir: string;
  model: RateRNN;
  seed: number;
  preset: string | null;
  config: { model: unknown; train?: unknown; task?: { variant?: string; name?: string } };
  /** The task the model was trained on ('dms' unless its run.json names another). */
  task: EiRnnTaskName;
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
  const modelConfig = parseRateRnnConfig(cfg.model, undefined, `${dir}/run.json config.model`);
  const model = rateRnnFromArrays(modelConfig, loadRunArrays(rec), dir);
  const seed = typeof rec.manifest.seed === 'number' ? rec.manifest.seed : 0;
  const named = cfg.task?.name;
  const task: EiRnnTaskName = named === 'afc' || named === 'gonogo' ? named : 'dms';
  return { dir: rec.dir, model, seed, preset: rec.manifest.preset, config: cfg, metrics: rec.manifest.metrics, task };
}

export interface LoadedLif {
  net: SpikingRNN;
  inverseScale: number;
}

/** The converted spiking network of a rate run (its `lif/` sub-run), or a clear error. */
export function loadLifRun(parentDir: string, model: RateRNN): LoadedLif {
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

export function dmsTasks() {
  return kimDmsTasks();
}

export function presetOrError(name: string) {
  try {
    return eiRnnPreset(name);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

// ── writing each step's run directory ───────────────────────────────────────────────────────

const STATUS_CODES = [
  'ok',
  'low-rate',
  'undefined-autocorrelation',
  'late-peak',
  'tau-out-of-range',
  'negative-amplitude',
  'fit-failed',
] as const;

/** Writes τ per unit, autocorrelations and the figures into a run. */
export function writeTimescales(
  run: RunDirectory,
  model: RateRNN | null,
  counts: NDArray,
  result: TimescaleResult,
  title: string,
  what = 'the spontaneous period',
): void {
  const N = counts.shape[1];
  const K = result.options.maxLag;
  run.writeArray('counts', counts, {
    dtype: 'int32',
    description: `spike counts [trial, unit, ${result.options.binMs}-ms bin] of ${what}`,
  });
  run.writeArray(
    'tau_ms',
    { data: Float32Array.from(result.units, (u) => (u.status === 'ok' ? u.tauMs : Number.NaN)), shape: [N] },
    { description: 'timescale per unit (NaN: excluded)' },
  );
  run.writeArray(
    'status',
    { data: Int32Array.from(result.units, (u) => STATUS_CODES.indexOf(u.status)), shape: [N] },
    { description: `0 ${STATUS_CODES.map((s, i) => `${i}=${s}`).join(', ')}` },
  );
  run.writeArray('rate_hz', { data: Float32Array.from(result.units, (u) => u.rateHz), shape: [N] });
  run.writeArray(
    'autocorrelation',
    { data: Float32Array.from(result.autocorrelation), shape: [N, K] },
    { description: `R(k), k = 1..${K} bins of ${result.options.binMs} ms` },
  );
  if (model) run.writeArray('inhibitory', { data: Uint8Array.from(model.sign, (s) => (s < 0 ? 1 : 0)), shape: [N] }, { dtype: 'bool' });
  const taus = result.units.filter((u) => u.status === 'ok').map((u) => u.tauMs);
  const hist = timescaleHistogram(taus);
  run.addFigure(
    'tau_histogram',
    timescaleHistogramSvg(hist.edges, hist.counts, { title, median: result.quantiles.median }),
    'neuronal timescales, log bins 10^0.7–10^2.7 ms',
  );
  const pop = result.population;
  const lags = Array.from({ length: K }, (_, i) => (i + 1) * result.options.binMs);
  run.addFigure(
    'autocorrelation',
    autocorrelationSvg(
      lags,
      Array.from(result.meanAutocorrelation),
      pop ? (l) => pop.amplitude * (Math.exp(-l / pop.tauMs) + pop.offset) : null,
      `${title}: population autocorrelation`,
    ),
    'mean peak-aligned spike-count autocorrelation of included units, with the exponential fit',
  );
}

const UNBIASED_STATUS_CODES = ['ok', 'low-rate', 'no-variance', 'unconstrained'] as const;

/** The timescale estimators of `analyze timescales`: the paper's fit, or the unbiased posterior. */
export type TimescaleEstimator = 'kim' | 'unbiased';

/** What run.json records of the unbiased estimate. */
export interface UnbiasedSummary {
  included: number;
  unconstrained: number;
  medianTauMs: number;
  q25: number;
  q75: number;
  populationTauMs: number | null;
  populationLowerMs: number | null;
  populationUpperMs: number | null;
  credibleLevel: number;
}

/**
 * The unbiased estimate of the same counts (posterior per unit, `@wmkit/analysis`
 * unbiasedTimescales): writes τ (posterior median), the credible interval, status, the grid and
 * the posteriors beside the paper's arrays, and a histogram; returns the run.json summary.
 */
export function writeUnbiasedTimescales(run: RunDirectory, counts: NDArray, binMs: number, title: string): UnbiasedSummary {
  const r: UnbiasedTimescaleResult = unbiasedTimescales(counts, { binMs });
  const N = r.units.length;
  const G = r.tauGridMs.length;
  const level = Math.round(r.options.credibleLevel * 100);
  const okOnly = (f: (u: UnbiasedTimescaleResult['units'][number]) => number) =>
    Float32Array.from(r.units, (u) => (u.status === 'ok' || u.status === 'unconstrained' ? f(u) : Number.NaN));
  run.writeArray(
    'tau_unbiased_ms',
    { data: Float32Array.from(r.units, (u) => (u.status === 'ok' ? u.tauMs : Number.NaN)), shape: [N] },
    { description: 'unbiased timescale per unit: posterior median (ms; NaN: excluded or unconstrained)' },
  );
  run.writeArray(
    'tau_unbiased_lower_ms',
    { data: okOnly((u) => u.lowerMs), shape: [N] },
    { description: `lower end of the ${level}% credible interval (ms)` },
  );
  run.writeArray(
    'tau_unbiased_upper_ms',
    { data: okOnly((u) => u.upperMs), shape: [N] },
    { description: `upper end of the ${level}% credible interval (ms)` },
  );
  run.writeArray(
    'tau_unbiased_status',
    { data: Int32Array.from(r.units, (u) => UNBIASED_STATUS_CODES.indexOf(u.status)), shape: [N] },
    { description: UNBIASED_STATUS_CODES.map((s, i) => `${i}=${s}`).join(', ') },
  );
  run.writeArray('tau_grid_ms', { data: Float32Array.from(r.tauGridMs), shape: [G] }, { description: 'τ grid of the posteriors (ms)' });
  run.writeArray(
    'tau_posterior',
    { data: Float32Array.from(r.posterior), shape: [N, G] },
    { description: 'posterior probability of each grid τ per unit' },
  );
  const taus = r.units.filter((u) => u.status === 'ok').map((u) => u.tauMs);
  const hist = timescaleHistogram(taus);
  run.addFigure(
    'tau_unbiased_histogram',
    timescaleHistogramSvg(hist.edges, hist.counts, { title: `${title} (unbiased estimator)`, median: r.quantiles.median }),
    'unbiased timescales (posterior medians), log bins 10^0.7–10^2.7 ms',
  );
  return {
    included: taus.length,
    unconstrained: r.units.filter((u) => u.status === 'unconstrained').length,
    medianTauMs: r.quantiles.median,
    q25: r.quantiles.q25,
    q75: r.quantiles.q75,
    populationTauMs: r.population?.tauMs ?? null,
    populationLowerMs: r.population?.lowerMs ?? null,
    populationUpperMs: r.population?.upperMs ?? null,
    credibleLevel: r.options.credibleLevel,
  };
}

/** One line about an unbiased estimate for the console. */
export function unbiasedLine(u: UnbiasedSummary): string {
  const f = (v: number | null) => (v != null && Number.isFinite(v) ? v.toFixed(1) : 'n/a');
  return `unbiased estimator: ${u.included} units (${u.unconstrained} unconstrained): median τ ${f(u.medianTauMs)} ms (IQR ${f(u.q25)}–${f(u.q75)}), population τ ${f(u.populationTauMs)} ms (${Math.round(u.credibleLevel * 100)}% CI ${f(u.populationLowerMs)}–${f(u.populationUpperMs)})`;
}

/** The model arrays of a rate run (and τ per unit). */
export function writeRateModel(run: RunDirectory, m: RateRNN): void {
  for (const [name, arr] of Object.entries(rateRnnToArrays(m))) run.writeArray(name, arr);
  run.writeArray('tau_ms', { data: unitTauMs(m), shape: [m.config.N] }, { description: 'per-unit synaptic decay τ_d (ms)' });
}

/** The run.json config of a training run. */
export function rateRunConfig(recipe: KimRecipe) {
  if (recipe.task && recipe.task !== 'dms') {
    // AFC and Go/NoGo runs name their task (a DMS run's task config has a 'variant')
    return {
      preset: recipe.preset,
      departures: recipe.departures,
      model: recipe.model,
      train: recipe.train,
      task: { name: recipe.task, ...(eiRnnTask(recipe.task).config as object) },
    };
  }
  const tasks = dmsTasks();
  const task = recipe.taskVariant === 'long' ? tasks.long : tasks.short;
  return { preset: recipe.preset, departures: recipe.departures, model: recipe.model, train: recipe.train, task: task.config };
}

/** Starts a training run directory (run.json config: preset, departures, model, train, task). */
export async function startRateRun(
  dir: string,
  recipe: KimRecipe,
  seed: number,
  force?: boolean,
  engine: 'kernels' | 'tfjs' = 'kernels',
): Promise<RunDirectory> {
  const run = await startRun(dir, {
    kind: EI_RATE_KIND,
    config: rateRunConfig(recipe),
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
  writeRateModel(run, r.model);
  run.addFigure(
    'training',
    trainingCurveSvg(
      r.history.map((e) => ({ trial: e.trial, loss: e.loss, accuracy: e.accuracy })),
      {
        lossThreshold: recipe.train.stopLossBelow,
        accuracyThreshold: recipe.train.stopAccuracyAbove,
        title: `${recipe.preset}, seed ${seed}`,
      },
    ),
    'evaluation loss and accuracy during training',
  );
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
export async function writeRateRun(
  dir: string,
  recipe: KimRecipe,
  seed: number,
  r: KimTrainResult,
  force: boolean,
  engine: 'kernels' | 'tfjs' = 'kernels',
): Promise<boolean> {
  const run = await startRateRun(dir, recipe, seed, force, engine);
  for (const e of r.history) run.appendMetrics(e);
  const last = r.history.at(-1);
  if (last) run.setMetrics({ checkpointTrial: last.trial });
  return finishRateRun(run, recipe, seed, r);
}

/** The run.json config of a conversion. */
export function lifRunConfig(o: { grid: readonly number[]; trials: number; longTrials: number; task?: EiRnnTaskName }) {
  const other = o.task && o.task !== 'dms';
  return {
    parent: '..',
    inverseScaleGrid: [...o.grid],
    trialsPerScale: o.trials,
    longDelayTrials: other ? 0 : o.longTrials,
    task: other ? { name: o.task, ...(eiRnnTask(o.task as EiRnnTaskName).config as object) } : dmsTasks().short.config,
  };
}

/** The arrays, figure and metrics of a conversion (its λ search lines are appended as they come). */
export function finishLifRun(run: RunDirectory, r: Omit<KimConvertResult, 'net'>, title: string): void {
  run.writeArray('inverse_scales', { data: Float32Array.from(r.search.map((s) => s.inverseScale)), shape: [r.search.length] });
  run.writeArray(
    'accuracy',
    { data: Float32Array.from(r.search.map((s) => s.accuracy)), shape: [r.search.length] },
    { description: 'spiking DMS accuracy per 1/λ' },
  );
  run.writeArray('w_spk', r.wSpk, { description: 'LIF recurrent weights λ·W_eff (rows postsynaptic)' });
  run.addFigure('lambda_search', scaleSearchSvg(r.search, r.summary.bestInverseScale, title), 'spiking DMS accuracy vs 1/λ');
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
  const run = await startRun(out, {
    kind: EI_SCALE_KIND,
    config: { parent: '..', block, factor, trials: o.trials, timescaleTrials: o.timescaleTrials, inverseScale: o.inverseScale },
    seed,
    force: true,
  });
  // the scaled network has the same E/I identity as `model`
  writeTimescales(run, model, r.scaled.counts, r.scaled.result, `${o.label} × ${factor}: neuronal timescales`);
  run.writeArray('baseline_tau_ms', { data: r.baselineTauMs, shape: [model.config.N] });
  run.complete({ ...r.summary });
  return out;
}

// ── reading complete steps back (typed: a missing or mistyped field is an error naming it) ──

type Metrics = Record<string, unknown>;

function field<T extends 'number' | 'boolean' | 'string'>(
  m: Metrics,
  key: string,
  type: T,
  where: string,
): T extends 'number' ? number : T extends 'boolean' ? boolean : string {
  const v = m[key];
  // JSON writes NaN as null: a number field may hold null (a measurement with no value)
  if (type === 'number' && v === null) return Number.NaN as never;
  if (typeof v !== type)
    throw new ConfigError(
      `${where}: metrics.${key} should be a ${type}, got ${JSON.stringify(v) ?? 'nothing'}; rerun that step (remove its directory)`,
    );
  return v as never;
}

const optionalNumber = (m: Metrics, key: string, where: string): number | null =>
  m[key] === undefined || m[key] === null ? null : field(m, key, 'number', where);

/**
 * The training of a complete rate run as the reproduction reports it; an imported model (preset
 * 'kim-mat') records no training, only its rate accuracies.
 */
export function trainingOf(rec: LoadedRateRun): KimModelTraining {
  const m = rec.metrics;
  const where = `${rec.dir}/run.json`;
  const imported = rec.preset === 'kim-mat';
  return {
    success: imported ? null : field(m, 'success', 'boolean', where),
    trials: imported ? null : field(m, 'trials', 'number', where),
    trainSeconds: imported ? null : field(m, 'trainSeconds', 'number', where),
    rateAccuracyShortDelay: optionalNumber(m, 'rateAccuracyShortDelay', where),
    rateAccuracyLongDelay: optionalNumber(m, 'rateAccuracyLongDelay', where),
  };
}

/** The summary of a complete conversion sub-run. */
export function lifSummaryOf(m: Metrics, where: string): KimLifSummary {
  return {
    bestInverseScale: field(m, 'bestInverseScale', 'number', where),
    bestScale: field(m, 'bestScale', 'number', where),
    spikingAccuracyShortDelay: field(m, 'spikingAccuracyShortDelay', 'number', where),
    // an imported model's conversion (λ from the file) has no 750-ms test
    spikingAccuracyLongDelay: optionalNumber(m, 'spikingAccuracyLongDelay', where) ?? Number.NaN,
    meanRateHz: field(m, 'meanRateHz', 'number', where),
    searchSeconds: optionalNumber(m, 'searchSeconds', where) ?? Number.NaN,
  };
}

/** The summary of a complete scaling experiment. */
export function scaleSummaryOf(m: Metrics, where: string): KimScaleSummary {
  const condition = (key: 'baseline' | 'scaled') => {
    const c = m[key];
    if (!c || typeof c !== 'object') throw new ConfigError(`${where}: metrics.${key} is missing; rerun that step (remove its directory)`);
    const at = `${where} (${key})`;
    const x = c as Metrics;
    return {
      rateAccuracyShort: field(x, 'rateAccuracyShort', 'number', at),
      rateAccuracyLong: field(x, 'rateAccuracyLong', 'number', at),
      spikingAccuracyShort: field(x, 'spikingAccuracyShort', 'number', at),
      spikingAccuracyLong: field(x, 'spikingAccuracyLong', 'number', at),
      included: field(x, 'included', 'number', at),
      medianTauMs: field(x, 'medianTauMs', 'number', at),
      q25: field(x, 'q25', 'number', at),
      q75: field(x, 'q75', 'number', at),
      populationTauMs: optionalNumber(x, 'populationTauMs', at),
      populationAllUnitsTauMs: optionalNumber(x, 'populationAllUnitsTauMs', at),
      meanRateHz: field(x, 'meanRateHz', 'number', at),
    };
  };
  return {
    block: field(m, 'block', 'string', where) as KimScaleSummary['block'],
    factor: field(m, 'factor', 'number', where),
    baseline: condition('baseline'),
    scaled: condition('scaled'),
    medianTauChangeMs: field(m, 'medianTauChangeMs', 'number', where),
    populationTauChangeMs: field(m, 'populationTauChangeMs', 'number', where),
  };
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
