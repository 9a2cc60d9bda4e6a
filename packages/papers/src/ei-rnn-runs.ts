/**
 * What the E/I RNN steps (train, convert, simulate, timescales, Fano, weights, cross-temporal,
 * scaling experiments) record, as plain data: the arrays of each step with their names and
 * descriptions, the run.json configs and summaries, and the typed reading of those summaries.
 * A command or `reproduce kim2021` writes them to a run directory unchanged, so both make the
 * same files. No file system here: the caller writes and reads.
 */
import {
  crossTemporalByTimescale,
  meanDifferenceTest,
  spearmanTest,
  synapseClassStats,
  type TimescaleDecoding,
  type TimescaleResult,
  type UnbiasedTimescaleResult,
  unbiasedTimescales,
  windowFano,
} from '@wmkit/analysis';
import {
  ConfigError,
  defaultTaskConfig,
  type EiRnnPreset,
  type EiRnnTaskName,
  type EiRnnTaskRecord,
  effectiveWeights,
  parseRateRnnConfig,
  type RateRNN,
  type RateRNNConfig,
  type RecordedTask,
  rateRnnFromArrays,
  rateRnnToArrays,
  recordedTask,
  type SpikingRNN,
  scoreSpiking,
  simulateRate,
  simulateRateTfjs,
  simulateSpiking,
  type TrainConfig,
  taskDifferences,
  taskRecord,
  unitTauMs,
} from '@wmkit/ei-rnn';
import type { Task } from '@wmkit/tasks';
import type { NDArray, NumericArray, Rng } from '@wmkit/tensor';
import type {
  KimConvertResult,
  KimImportedCheck,
  KimLifSummary,
  KimModelTraining,
  KimRecipe,
  KimScaleSummary,
  KimTrainSummary,
} from './kim2021';
import type { KimSubgroupResult, KimSubgroupScaling } from './kim2021-analyses';
import type { RunArray, RunOutputs } from './outputs';

/** Run kinds of the E/I RNN steps (run.json `kind`). */
export const EI_RUN_KINDS = {
  rate: 'ei-rnn.rate',
  lif: 'ei-rnn.lif',
  scale: 'ei-rnn.scale-synapses',
  timescales: 'ei-rnn.timescales',
  fano: 'ei-rnn.fano',
  weights: 'ei-rnn.weights',
  crossTemporal: 'ei-rnn.cross-temporal',
  simulate: 'ei-rnn.simulate',
} as const;

const arr = (name: string, data: NumericArray, shape: number[], description?: string, dtype?: RunArray['dtype']): RunArray => ({
  name,
  array: { data, shape },
  ...(dtype ? { dtype } : {}),
  ...(description ? { description } : {}),
});

// ── the task a run was trained on ─────────────────────────────────────────────────────────────

/**
 * Checks that the task a step runs (Kim's task called `step.name` with its standard parameters) is
 * the one the run recorded, dt included; the error names the run, the step and both values.
 */
export function requireRecordedTask(recorded: RecordedTask, step: { name: EiRnnTaskName; what: string }, where: string): void {
  if (recorded.name !== step.name)
    throw new ConfigError(`${where} records the ${recorded.name} task, but ${step.what} runs the ${step.name} task; they must match`);
  const diff = taskDifferences(recorded.config, defaultTaskConfig(step.name));
  if (diff.length)
    throw new ConfigError(
      `${where} records a ${recorded.name} task that differs from the one ${step.what} runs (recorded vs used: ${diff.join(', ')})`,
    );
}

/** The run.json config of a training run: preset, departures, model, train and the task with every parameter. */
export function rateRunConfig(recipe: KimRecipe, taskConfig?: EiRnnTaskRecord) {
  const name = recipe.task ?? 'dms';
  const task = taskConfig ?? taskRecord(name, defaultTaskConfig(name, recipe.taskVariant));
  return { preset: recipe.preset, departures: recipe.departures, model: recipe.model, train: recipe.train, task };
}

/** The run.json config of a conversion (`<run>/lif`): the λ grid, trial counts and the task it scored. */
export function lifRunConfig(o: { grid: readonly number[]; trials: number; longTrials: number; task?: EiRnnTaskName }) {
  const name = o.task ?? 'dms';
  return {
    parent: '..',
    inverseScaleGrid: [...o.grid],
    trialsPerScale: o.trials,
    longDelayTrials: name === 'dms' ? o.longTrials : 0,
    task: taskRecord(name, defaultTaskConfig(name)),
  };
}

// ── arrays of each step ─────────────────────────────────────────────────────────────────────

/** The model arrays of a rate run and τ per unit. */
export function rateModelArrays(m: RateRNN): RunArray[] {
  return [
    ...Object.entries(rateRnnToArrays(m)).map(([name, array]) => ({ name, array })),
    arr('tau_ms', unitTauMs(m), [m.config.N], 'per-unit synaptic decay τ_d (ms)'),
  ];
}

/** The arrays of a conversion: 1/λ tried, accuracy per 1/λ and the LIF weights. */
export function lifArrays(r: Pick<KimConvertResult, 'search' | 'wSpk'>): RunArray[] {
  const n = r.search.length;
  return [
    arr('inverse_scales', Float32Array.from(r.search.map((s) => s.inverseScale)), [n]),
    arr('accuracy', Float32Array.from(r.search.map((s) => s.accuracy)), [n], 'spiking DMS accuracy per 1/λ'),
    { name: 'w_spk', array: r.wSpk, description: 'LIF recurrent weights λ·W_eff (rows postsynaptic)' },
  ];
}

const STATUS_CODES = [
  'ok',
  'low-rate',
  'undefined-autocorrelation',
  'late-peak',
  'tau-out-of-range',
  'negative-amplitude',
  'fit-failed',
] as const;

/** The arrays of a timescales analysis: counts, τ, fit status, rate and autocorrelation per unit (and E/I identity). */
export function timescaleArrays(
  counts: NDArray,
  result: TimescaleResult,
  sign: ArrayLike<number> | null,
  what = 'the spontaneous period',
): RunArray[] {
  const N = counts.shape[1];
  const K = result.options.maxLag;
  return [
    {
      name: 'counts',
      array: counts,
      dtype: 'int32',
      description: `spike counts [trial, unit, ${result.options.binMs}-ms bin] of ${what}`,
    },
    arr(
      'tau_ms',
      Float32Array.from(result.units, (u) => (u.status === 'ok' ? u.tauMs : Number.NaN)),
      [N],
      'timescale per unit (NaN: excluded)',
    ),
    arr(
      'status',
      Int32Array.from(result.units, (u) => STATUS_CODES.indexOf(u.status)),
      [N],
      `0 ${STATUS_CODES.map((s, i) => `${i}=${s}`).join(', ')}`,
    ),
    arr(
      'rate_hz',
      Float32Array.from(result.units, (u) => u.rateHz),
      [N],
    ),
    arr('autocorrelation', Float32Array.from(result.autocorrelation), [N, K], `R(k), k = 1..${K} bins of ${result.options.binMs} ms`),
    ...(sign
      ? [
          arr(
            'inhibitory',
            Uint8Array.from(sign, (s) => (s < 0 ? 1 : 0)),
            [N],
            undefined,
            'bool',
          ),
        ]
      : []),
  ];
}

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

const UNBIASED_STATUS_CODES = ['ok', 'low-rate', 'no-variance', 'unconstrained'] as const;

/** The unbiased estimate of spike counts (`unbiasedTimescales` of @wmkit/analysis): its arrays, run.json summary and included τ. */
export interface UnbiasedTimescaleOutputs {
  result: UnbiasedTimescaleResult;
  arrays: RunArray[];
  summary: UnbiasedSummary;
  /** τ of the included units (posterior medians), for the histogram. */
  taus: number[];
}

/**
 * The unbiased estimate of the same counts (posterior per unit): τ (posterior median), the
 * credible interval, status, the grid and the posteriors, and the run.json summary.
 */
export function unbiasedTimescaleOutputs(counts: NDArray, binMs: number): UnbiasedTimescaleOutputs {
  const r = unbiasedTimescales(counts, { binMs });
  const N = r.units.length;
  const G = r.tauGridMs.length;
  const level = Math.round(r.options.credibleLevel * 100);
  const okOnly = (f: (u: UnbiasedTimescaleResult['units'][number]) => number) =>
    Float32Array.from(r.units, (u) => (u.status === 'ok' || u.status === 'unconstrained' ? f(u) : Number.NaN));
  const arrays = [
    arr(
      'tau_unbiased_ms',
      Float32Array.from(r.units, (u) => (u.status === 'ok' ? u.tauMs : Number.NaN)),
      [N],
      'unbiased timescale per unit: posterior median (ms; NaN: excluded or unconstrained)',
    ),
    arr(
      'tau_unbiased_lower_ms',
      okOnly((u) => u.lowerMs),
      [N],
      `lower end of the ${level}% credible interval (ms)`,
    ),
    arr(
      'tau_unbiased_upper_ms',
      okOnly((u) => u.upperMs),
      [N],
      `upper end of the ${level}% credible interval (ms)`,
    ),
    arr(
      'tau_unbiased_status',
      Int32Array.from(r.units, (u) => UNBIASED_STATUS_CODES.indexOf(u.status)),
      [N],
      UNBIASED_STATUS_CODES.map((s, i) => `${i}=${s}`).join(', '),
    ),
    arr('tau_grid_ms', Float32Array.from(r.tauGridMs), [G], 'τ grid of the posteriors (ms)'),
    arr('tau_posterior', Float32Array.from(r.posterior), [N, G], 'posterior probability of each grid τ per unit'),
  ];
  const taus = r.units.filter((u) => u.status === 'ok').map((u) => u.tauMs);
  const summary: UnbiasedSummary = {
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
  return { result: r, arrays, summary, taus };
}

/** One line about an unbiased estimate for a console or a report. */
export function unbiasedLine(u: UnbiasedSummary): string {
  const f = (v: number | null) => (v != null && Number.isFinite(v) ? v.toFixed(1) : 'n/a');
  return `unbiased estimator: ${u.included} units (${u.unconstrained} unconstrained): median τ ${f(u.medianTauMs)} ms (IQR ${f(u.q25)}–${f(u.q75)}), population τ ${f(u.populationTauMs)} ms (${Math.round(u.credibleLevel * 100)}% CI ${f(u.populationLowerMs)}–${f(u.populationUpperMs)})`;
}

// ── simulate a trained network on fresh trials ──────────────────────────────────────────────

/** What `simulateEiNetwork` runs: trials of a task on the rate network, or on its LIF network. */
export interface EiSimulationOptions {
  /** The task to run (the run's recorded DMS, AFC or Go/NoGo task). */
  task: Task;
  trials: number;
  /** Trials whose spikes are kept as a raster (spiking only). */
  rasterTrials: number;
  engine?: 'kernels' | 'tfjs';
  /** The converted network: simulates it instead of the rate network. */
  spiking?: SpikingRNN | null;
  /** Called with the fraction of the spiking simulation done. */
  onProgress?: (fraction: number) => void;
}

/** Outputs, accuracy and arrays of a simulation; trial 0's spikes and the first traces for figures. */
export interface EiSimulation {
  accuracy: number;
  totalSpikes: number | null;
  arrays: RunArray[];
  outputs: NDArray<Float32Array>;
  /** Trial 0's spikes (spiking runs with a raster). */
  raster: { unit: number; timeMs: number; inhibitory: boolean }[] | null;
  /** Output of the first 8 trials over time. */
  traces: { t: number; o: number; trial: number; label: string }[];
  /** Stimulus periods and trial 0's condition in words (for the raster's title). */
  periods: ReturnType<Task['sample']>['periods'];
  firstTrial: string;
}

/** Runs a trained network on fresh trials (`rng` forks 'trials' and 'sim'); `model` gives E/I identity. */
export function simulateEiNetwork(model: RateRNN, rng: Rng, o: EiSimulationOptions): EiSimulation {
  const { task } = o;
  const batch = task.sample(o.trials, rng.fork('trials'));
  const arrays: RunArray[] = [];
  let outputs: NDArray<Float32Array>;
  let accuracy: number;
  let totalSpikes: number | null = null;
  let raster: EiSimulation['raster'] = null;
  if (o.spiking) {
    const rec = simulateSpiking(o.spiking, batch.inputs, rng.fork('sim'), {
      inputDtMs: batch.dtMs,
      rasterTrials: o.rasterTrials,
      onProgress: o.onProgress,
      engine: o.engine ?? 'kernels',
    });
    outputs = rec.outputs.mean as NDArray<Float32Array>;
    accuracy = scoreSpiking(task, rec, batch).accuracy;
    totalSpikes = rec.totalSpikes;
    arrays.push(
      { name: 'output_max', array: rec.outputs.max, description: 'upper envelope of the output within each 5-ms step' },
      { name: 'output_min', array: rec.outputs.min, description: 'lower envelope of the output within each 5-ms step' },
    );
    if (rec.raster) {
      const { trial, unit, timeMs } = rec.raster;
      arrays.push(
        arr('spike_trial', trial, [trial.length], 'spike raster: trial of each spike'),
        arr('spike_unit', unit, [unit.length], 'spike raster: unit of each spike'),
        arr('spike_time_ms', timeMs, [timeMs.length], 'spike raster: time of each spike (ms)'),
      );
      raster = [];
      for (let q = 0; q < trial.length; q++)
        if (trial[q] === 0) raster.push({ unit: unit[q], timeMs: timeMs[q], inhibitory: model.sign[unit[q]] < 0 });
    }
    arrays.push(arr('mean_rate_hz', rec.meanRateHz, [model.config.N]));
  } else {
    const sim = (o.engine === 'tfjs' ? simulateRateTfjs : simulateRate)(model, batch.inputs, rng.fork('sim'));
    outputs = sim.outputs as NDArray<Float32Array>;
    accuracy = task.score(sim.outputs, batch).accuracy;
    if (sim.rates) arrays.push({ name: 'rates', array: sim.rates, description: 'firing rates r [trial, step, unit]' });
  }
  arrays.push({ name: 'outputs', array: outputs, description: 'network output [trial, step, 1]' }, { name: 'inputs', array: batch.inputs });
  for (const [name, v] of Object.entries(batch.conditions)) arrays.push(arr(`condition_${name}`, v as NumericArray, [v.length]));
  const T = task.timeline.steps;
  const traces: EiSimulation['traces'] = [];
  for (let b = 0; b < Math.min(8, o.trials); b++)
    for (let t = 0; t < T; t++)
      traces.push({
        t: t * task.timeline.dtMs,
        o: outputs.data[b * T + t],
        trial: b,
        label: trialLabel(batch.conditions, b).label,
      });
  return {
    accuracy,
    totalSpikes,
    arrays,
    outputs,
    raster,
    traces,
    periods: batch.periods,
    firstTrial: trialLabel(batch.conditions, 0).title,
  };
}

/** A trial's condition: its trace label (match / non-match, stim +/−, go / no-go) and a title (stimulus signs). */
function trialLabel(c: Record<string, Float32Array>, b: number): { label: string; title: string } {
  const sign = (x: number | undefined) => ((x ?? 0) > 0 ? '+' : '−');
  if (c.match) return { label: c.match[b] ? 'match' : 'non-match', title: `stim ${sign(c.stim1?.[b])}/${sign(c.stim2?.[b])}` };
  if (c.go) return { label: c.go[b] ? 'go' : 'no-go', title: c.go[b] ? 'go' : 'no-go' };
  return { label: `stim ${sign(c.stim?.[b])}`, title: `stim ${sign(c.stim?.[b])}` };
}

// ── Fano factor against timescale (Kim & Sejnowski 2021 Fig. 7) ─────────────────────────────

/** Fixation Fano factor per unit against τ: arrays, scatter points and the run.json summary. */
export interface FanoVsTimescale {
  fano: Float64Array;
  test: ReturnType<typeof spearmanTest>;
  points: { tauMs: number; fano: number; inhibitory?: boolean }[];
  arrays: RunArray[];
  metrics: { units: number; pairs: number; spearmanRho: number; spearmanP: number; medianFano: number | null };
}

/**
 * Fano factor of each unit's count over the window (all bins after the first, across trials)
 * against its timescale: Spearman's ρ with a permutation p (`Rng(1).fork('fano')` unless given).
 */
export function fanoVsTimescale(
  counts: NDArray,
  tauMs: ArrayLike<number>,
  inhibitory: ArrayLike<number> | null,
  rng: Rng,
  permutations: number,
): FanoVsTimescale {
  const fano = windowFano(counts, { dropFirstBin: true });
  const N = fano.length;
  const test = spearmanTest(fano, tauMs, rng, permutations);
  const points: FanoVsTimescale['points'] = [];
  for (let u = 0; u < N; u++)
    if (Number.isFinite(fano[u]) && Number.isFinite(tauMs[u]))
      points.push({ tauMs: tauMs[u], fano: fano[u], ...(inhibitory ? { inhibitory: inhibitory[u] > 0 } : {}) });
  const finite = Array.from(fano)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  return {
    fano,
    test,
    points,
    arrays: [
      arr('fano', Float32Array.from(fano), [N], 'Fano factor of the fixation-window count per unit (NaN: silent)'),
      arr('tau_ms', Float32Array.from(tauMs), [N], 'timescale per unit (NaN: excluded)'),
    ],
    metrics: {
      units: N,
      pairs: test.n,
      spearmanRho: test.rho,
      spearmanP: test.p,
      medianFano: finite.length ? finite[Math.floor(finite.length / 2)] : null,
    },
  };
}

// ── synapse classes by training task (Kim & Sejnowski 2021 Fig. 4) ──────────────────────────

/** The four synapse classes and their labels. */
export const SYNAPSE_CLASSES = [
  ['ee', 'E→E'],
  ['ei', 'E→I'],
  ['ie', 'I→E'],
  ['ii', 'I→I'],
] as const;

/** One trained network of `weightsByTask`: its run, task, model and median τ (null without a timescales analysis). */
export interface WeightsNetwork {
  run: string;
  task: string;
  model: RateRNN;
  medianTauMs: number | null;
  unbiasedMedianTauMs: number | null;
}

/** One network's row in the run.json of `analyze weights`. */
export interface WeightsRow {
  run: string;
  task: string;
  medianTauMs: number | null;
  unbiasedMedianTauMs: number | null;
  weights: Record<string, { mean: number; meanAbs: number; count: number }>;
}

/** Per network, by task and DMS against each other task (permutation tests over networks). */
export interface WeightsByTask {
  networks: WeightsRow[];
  byTask: Record<string, Record<string, number | null>>;
  comparisons: Record<string, Record<string, { difference: number; p: number; nDms: number; nOther: number }>>;
  /** The measures compared: run.json key and label. */
  measures: {
    key: string;
    label: string;
    /** The measure's value for one network (null: not measured). */
    get: (r: WeightsRow) => number | null;
  }[];
}

/**
 * Synapse-class statistics of each network's trained effective weights and its median τ, the
 * mean per training task, and DMS networks against each other task (`rng` forks per comparison).
 */
export function weightsByTask(nets: WeightsNetwork[], rng: Rng, permutations: number): WeightsByTask {
  const rows: WeightsRow[] = nets.map((n) => {
    if (!n.model.config.dale)
      throw new ConfigError(`${n.run}: the network has no E/I identity (model.dale is false); synapse classes need Dale's principle`);
    const s = synapseClassStats(effectiveWeights(n.model), n.model.sign);
    return {
      run: n.run,
      task: n.task,
      medianTauMs: n.medianTauMs,
      unbiasedMedianTauMs: n.unbiasedMedianTauMs,
      weights: Object.fromEntries(SYNAPSE_CLASSES.map(([k]) => [k, { mean: s[k].mean, meanAbs: s[k].meanAbs, count: s[k].count }])),
    };
  });
  const tasks = [...new Set(rows.map((r) => r.task))];
  const measures: WeightsByTask['measures'] = [
    ...SYNAPSE_CLASSES.map(([k, label]) => ({
      key: `${k}MeanWeight`,
      label: `mean ${label} weight`,
      get: (r: WeightsRow) => r.weights[k].mean,
    })),
    { key: 'medianTauMs', label: 'median τ (ms)', get: (r) => r.medianTauMs },
    { key: 'unbiasedMedianTauMs', label: 'median τ, unbiased (ms)', get: (r) => r.unbiasedMedianTauMs },
  ];
  const byTask: WeightsByTask['byTask'] = {};
  for (const t of tasks) {
    const rs = rows.filter((r) => r.task === t);
    byTask[t] = { networks: rs.length };
    for (const m of measures) {
      const v = rs.map(m.get).filter((x): x is number => x != null && Number.isFinite(x));
      byTask[t][m.key] = v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
    }
  }
  const comparisons: WeightsByTask['comparisons'] = {};
  if (tasks.includes('dms'))
    for (const other of tasks.filter((t) => t !== 'dms')) {
      comparisons[`dms-vs-${other}`] = {};
      for (const m of measures) {
        const val = (t: string) => rows.filter((r) => r.task === t).map((r) => m.get(r) ?? Number.NaN);
        const d = meanDifferenceTest(val('dms'), val(other), rng.fork(`${other}-${m.key}`), permutations);
        comparisons[`dms-vs-${other}`][m.key] = { difference: d.difference, p: d.p, nDms: d.nA, nOther: d.nB };
      }
    }
  return { networks: rows, byTask, comparisons, measures };
}

// ── cross-temporal decoding (Kim & Sejnowski 2021 Fig. 3) ───────────────────────────────────

/** Cross-temporal decoding of recorded counts: the delay (in ms) is turned into bins of `binMs`. */
export function crossTemporalOfCounts(
  counts: NDArray,
  labels: ArrayLike<number>,
  tauMs: ArrayLike<number>,
  binMs: number,
  delayMs: readonly number[],
): { decoding: TimescaleDecoding; timesMs: number[] } {
  const bins = counts.shape[2];
  const delay = { from: Math.ceil(delayMs[0] / binMs), to: Math.min(bins, Math.floor(delayMs[1] / binMs)) };
  const decoding = crossTemporalByTimescale(counts, labels, tauMs, delay);
  return { decoding, timesMs: Array.from({ length: bins }, (_, b) => (b + 0.5) * binMs) };
}

/** The arrays of a cross-temporal decoding: labels, both matrices and both unit groups (and the counts of a model run). */
export function crossTemporalArrays(decoding: TimescaleDecoding, labels: Float32Array, counts: NDArray | null): RunArray[] {
  const T = Math.round(Math.sqrt(decoding.long.matrix.data.length));
  const { long, short } = decoding;
  return [
    ...(counts
      ? [{ name: 'counts', array: counts, dtype: 'int32' as const, description: 'spike counts [trial, unit, 50-ms bin] of the cue trials' }]
      : []),
    arr('labels', labels, [labels.length], 'cue per trial (1: +1 stimulus, 0: −1)'),
    arr('decoding_long', Float32Array.from(long.matrix.data), [T, T], 'accuracy [train bin, test bin], long-τ half'),
    arr('decoding_short', Float32Array.from(short.matrix.data), [T, T], 'accuracy [train bin, test bin], short-τ half'),
    arr('long_units', Int32Array.from(long.units), [long.units.length], undefined, 'int32'),
    arr('short_units', Int32Array.from(short.units), [short.units.length], undefined, 'int32'),
  ];
}

/** One line about a cross-temporal decoding. */
export function crossTemporalLine(r: TimescaleDecoding): string {
  return `delay accuracy: long-τ half ${(100 * r.long.delayAccuracy).toFixed(1)}%, short-τ half ${(100 * r.short.delayAccuracy).toFixed(1)}% (${r.long.units.length} units each)`;
}

// ── reading complete steps back (typed: a missing or mistyped field is an error naming it) ──

/** A run.json `metrics` object. */
export type RunMetrics = Record<string, unknown>;

function field<T extends 'number' | 'boolean' | 'string'>(
  m: RunMetrics,
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

const optionalNumber = (m: RunMetrics, key: string, where: string): number | null =>
  m[key] === undefined || m[key] === null ? null : field(m, key, 'number', where);

/**
 * The training of a complete rate run as the reproduction reports it, from its run.json metrics;
 * an imported model (preset 'kim-mat') records no training, only its rate accuracies.
 */
export function trainingOf(m: RunMetrics, preset: string | null, where: string): KimModelTraining {
  const imported = preset === 'kim-mat';
  return {
    success: imported ? null : field(m, 'success', 'boolean', where),
    trials: imported ? null : field(m, 'trials', 'number', where),
    trainSeconds: imported ? null : field(m, 'trainSeconds', 'number', where),
    rateAccuracyShortDelay: optionalNumber(m, 'rateAccuracyShortDelay', where),
    rateAccuracyLongDelay: optionalNumber(m, 'rateAccuracyLongDelay', where),
  };
}

/** The summary of a complete conversion sub-run, from its run.json metrics. */
export function lifSummaryOf(m: RunMetrics, where: string): KimLifSummary {
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

/** The summary of a complete scaling experiment, from its run.json metrics. */
export function scaleSummaryOf(m: RunMetrics, where: string): KimScaleSummary {
  const condition = (key: 'baseline' | 'scaled') => {
    const c = m[key];
    if (!c || typeof c !== 'object') throw new ConfigError(`${where}: metrics.${key} is missing; rerun that step (remove its directory)`);
    const at = `${where} (${key})`;
    const x = c as RunMetrics;
    const num = (k: string) => field(x, k, 'number', at);
    return {
      rateAccuracyShort: num('rateAccuracyShort'),
      rateAccuracyLong: num('rateAccuracyLong'),
      spikingAccuracyShort: num('spikingAccuracyShort'),
      spikingAccuracyLong: num('spikingAccuracyLong'),
      included: num('included'),
      medianTauMs: num('medianTauMs'),
      q25: num('q25'),
      q75: num('q75'),
      populationTauMs: optionalNumber(x, 'populationTauMs', at),
      populationAllUnitsTauMs: optionalNumber(x, 'populationAllUnitsTauMs', at),
      meanRateHz: num('meanRateHz'),
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

/** The rows of a scaling experiment's console table: label and the value at factor 1 and scaled, formatted. */
export function scaleSummaryRows(s: KimScaleSummary): [string, string, string][] {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const f1 = (x: number | null) => (x ?? Number.NaN).toFixed(1);
  const b = s.baseline;
  const e = s.scaled;
  return [
    ['rate DMS, 50-ms delay', pct(b.rateAccuracyShort), pct(e.rateAccuracyShort)],
    ['rate DMS, 750-ms delay', pct(b.rateAccuracyLong), pct(e.rateAccuracyLong)],
    ['spiking DMS, 50-ms delay', pct(b.spikingAccuracyShort), pct(e.spikingAccuracyShort)],
    ['spiking DMS, 750-ms delay', pct(b.spikingAccuracyLong), pct(e.spikingAccuracyLong)],
    ['units fitted', String(b.included), String(e.included)],
    ['median τ (ms)', f1(b.medianTauMs), f1(e.medianTauMs)],
    ['population τ (ms)', f1(b.populationTauMs), f1(e.populationTauMs)],
    ['mean rate (Hz)', f1(b.meanRateHz), f1(e.meanRateHz)],
  ];
}

// ── a model imported from the authors' .mat ─────────────────────────────────────────────────

/** The size, E/I split, inputs and τ range of a rate network, in one phrase. */
export function rateModelLine(m: RateRNN): string {
  const N = m.config.N;
  const nInh = m.sign.filter((x) => x < 0).length;
  const tau = m.config.tau.kind === 'trainable' ? `${m.config.tau.minSteps}–${m.config.tau.maxSteps} steps` : 'fixed';
  return `N = ${N} (${N - nInh} E, ${nInh} I), ${m.config.nInputs} inputs, τ ${tau}`;
}

/**
 * What run.json records of an imported model's check (`checkImportedKimModel`): the rate run's
 * metrics and, when the file gave 1/λ and the spiking network was run, the `lif/` sub-run's.
 */
export function importedKimRecords(
  check: KimImportedCheck,
  inverseScale: number | null,
): { metrics: Record<string, unknown>; lif: Record<string, number> | null } {
  const metrics: Record<string, unknown> = {
    rateAccuracyShortDelay: check.rate.accuracy,
    rateAccuracyLongDelay: check.rateLong.accuracy,
    evalLoss: check.rate.loss,
  };
  if (!inverseScale || !check.spiking) return { metrics, lif: null };
  const spk = check.spiking;
  metrics.spikingAccuracyShortDelay = spk.accuracy;
  metrics.inverseScale = inverseScale;
  const lif = {
    bestInverseScale: inverseScale,
    bestScale: 1 / inverseScale,
    spikingAccuracyShortDelay: spk.accuracy,
    meanRateHz: spk.meanRateHz,
  };
  return { metrics, lif };
}

// ── training ────────────────────────────────────────────────────────────────────────────────

/** The training recipe of a preset with its model and training config resolved (overrides applied). */
export function kimRecipe(preset: EiRnnPreset, config: { model: RateRNNConfig; train: TrainConfig }): KimRecipe {
  return {
    preset: preset.name,
    departures: preset.departures,
    model: config.model,
    train: config.train,
    taskVariant: preset.task.variant,
    ...(preset.task.name !== 'dms' ? { task: preset.task.name } : {}),
  };
}

/** The outcome of a training in two lines: the stopping rule, then the rate accuracy on fresh trials. */
export function kimTrainLines(s: KimTrainSummary, recipe: KimRecipe): [string, string] {
  const pct = (x: number | null | undefined) => `${(100 * (x ?? Number.NaN)).toFixed(1)}%`;
  const verdict = s.success
    ? `✓ reached the stopping rule after ${s.trials.toLocaleString('en-US')} trials`
    : `✗ did not reach the stopping rule within ${recipe.train.maxTrials.toLocaleString('en-US')} trials`;
  const task = recipe.task ?? 'dms';
  const accuracy =
    task === 'dms'
      ? `  rate DMS accuracy (200 fresh trials): 50-ms delay ${pct(s.rateAccuracyShortDelay)}, 750-ms delay ${pct(s.rateAccuracyLongDelay)}`
      : `  rate ${task} accuracy (200 fresh trials): ${pct(s.rateAccuracyTask)}`;
  return [`${verdict} (${s.trainSeconds.toFixed(1)} s)`, accuracy];
}

/**
 * A trained rate network read back from its run.json config (`model`, `task`) and its arrays,
 * with the task it was trained on; `where` names the run in errors.
 */
export function rateRunFromRecord(
  config: unknown,
  arrays: Record<string, NDArray>,
  where: string,
): { model: RateRNN; recorded: RecordedTask } {
  const cfg = config as { model?: unknown; task?: unknown } | null;
  if (!cfg || typeof cfg !== 'object' || !('model' in cfg)) throw new ConfigError(`${where}/run.json: config has no 'model' field`);
  const model = rateRnnFromArrays(parseRateRnnConfig(cfg.model, undefined, `${where}/run.json config.model`), arrays, where);
  return { model, recorded: recordedTask(cfg.task, `${where}/run.json config`) };
}

// ── the subgroup experiment (Kim & Sejnowski 2021 Fig. 6) ───────────────────────────────────

/** The run kind of one factor of the subgroup experiment (`wmkit experiment subgroups`). */
export const EI_SUBGROUPS_KIND = 'ei-rnn.subgroups';

/**
 * What one factor of the subgroup experiment writes into its run directory: the selectivity per
 * unit, the two subgroups, the control accuracies (arrays) and the strengths and accuracies (metrics).
 */
export function subgroupRunOutputs(r: KimSubgroupResult, s: KimSubgroupScaling): Required<Pick<RunOutputs, 'arrays' | 'metrics'>> {
  const ints = (xs: number[]) => Int32Array.from(xs);
  return {
    arrays: [
      arr(
        'selectivity',
        r.selectivity,
        [r.selectivity.length],
        'cue selectivity d′ (+1 vs −1) per unit, stimulus 1 and delay (NaN: excitatory)',
      ),
      arr('group_a', ints(r.groupA), [r.groupA.length], 'inhibitory units preferring cue +1', 'int32'),
      arr('group_b', ints(r.groupB), [r.groupB.length], 'inhibitory units preferring cue −1', 'int32'),
      arr('control_accuracy', Float32Array.from(s.controls), [s.controls.length]),
    ],
    metrics: {
      groupA: r.groupA.length,
      groupB: r.groupB.length,
      betweenConnections: r.betweenConnections,
      strengthWithinA: r.strength.withinA,
      strengthWithinB: r.strength.withinB,
      strengthAToB: r.strength.aToB,
      strengthBToA: r.strength.bToA,
      strengthAllII: r.strength.allII,
      accuracyBaseline: r.baseline,
      accuracyBetweenScaled: s.between,
      accuracyControlMean: s.controlMean,
      pControlAsLow: s.pControlAsLow,
    },
  };
}
