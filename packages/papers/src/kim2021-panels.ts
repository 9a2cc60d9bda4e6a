/**
 * The panels of Kim & Sejnowski 2021 beyond Figs. 2 and 5, computed on the trained and converted
 * networks of a reproduction (`wmkit reproduce kim2021 --panels …`):
 *
 * - Fig. 3: cross-temporal decoding of the cue by the long-τ vs the short-τ half of the units,
 *   delay accuracy paired over DMS networks (one-sided sign test);
 * - Fig. 4: median τ of networks trained on DMS vs AFC vs Go/NoGo, and the mean weight of each
 *   synapse class (E→E, E→I, I→E, I→I) by task (permutation tests over networks);
 * - Fig. 6: the two oppositely tuned inhibitory subgroups, I→I strength between vs within them,
 *   and DMS accuracy with only the between-subgroup I→I scaled vs equal-size random controls;
 * - Fig. 7: fixation-period Fano factor vs τ per network (Spearman ρ, permutation p);
 * - Fig. 8: retraining on another task with the recurrent weights frozen, τ before vs after;
 * - beyond the paper: the finite-window-corrected ("unbiased") τ beside the paper's estimate.
 *
 * Every network's timescales are measured once here (its own stream), from `timescaleTrials`
 * spontaneous trials, and shared by the panels. No file system: the caller reads the networks
 * and writes the result.
 */
import {
  type MeanDifference,
  meanDifferenceTest,
  type PairedSignTest,
  pairedSignTest,
  type RankCorrelation,
  type SynapseClassStats,
  spearmanTest,
  synapseClassStats,
  type UnbiasedTimescaleOptions,
  unbiasedTimescales,
  windowFano,
} from '@wmkit/analysis';
import {
  type EiRnnTaskName,
  type Engine,
  effectiveWeights,
  KIM_TRAIN_CONFIG,
  type RateRNN,
  type TrainConfig,
  toSpiking,
} from '@wmkit/ei-rnn';
import { type NDArray, Rng, ShapeError } from '@wmkit/tensor';
import { type RecipeHooks, throwIfAborted } from './hooks';
import {
  convertKimModel,
  type KimConvertResult,
  type KimProtocol,
  type KimRecipe,
  type KimTrainResult,
  measureTimescales,
  type TimescaleSummary,
  tauPerUnit,
  trainKimModel,
} from './kim2021';
import {
  finiteMedian,
  type KimRetrainExperiment,
  type KimSubgroupResult,
  kimCrossTemporal,
  kimRetrainExperiment,
  kimSubgroups,
} from './kim2021-analyses';

/** A panel of the report: figures 3, 4, 6, 7, 8 of the paper, and the unbiased timescales. */
export type KimPanel = 'fig3' | 'fig4' | 'fig6' | 'fig7' | 'fig8' | 'unbiased';
/** Every panel, in report order. */
export const KIM_PANELS: readonly KimPanel[] = ['fig3', 'fig4', 'fig6', 'fig7', 'fig8', 'unbiased'];

/** A trained network and the 1/λ of its conversion to LIF. */
export interface KimPanelNetwork {
  seed: number;
  /** The task it was trained on. */
  task: EiRnnTaskName;
  model: RateRNN;
  inverseScale: number;
}

/** Which panels and their sizes (defaults: `KIM_PANEL_DEFAULTS`). */
export interface KimPanelOptions {
  panels: readonly KimPanel[];
  /** Spontaneous trials per network for the timescales (the paper: 50). */
  timescaleTrials: number;
  /** Fig. 3: trials per cue sign (the authors: 12). */
  crossTemporalTrialsPerCue: number;
  /** Fig. 6: factors for the between-subgroup I→I weights (0 silences them). */
  subgroupFactors: readonly number[];
  /** Fig. 6: random equal-size control sets. */
  subgroupControls: number;
  /** Fig. 6: 750-ms-delay DMS trials per accuracy of the rate network. */
  subgroupTrials: number;
  /** Fig. 6 on the converted spiking network too, with this many trials per accuracy (0: rate only). */
  subgroupSpikingTrials: number;
  /** Fig. 7: permutations of Spearman's test. */
  fanoPermutations: number;
  /** Fig. 8: the new task of the DMS networks. */
  retrainTask: EiRnnTaskName;
  /** Fig. 8: retraining budget (trials). */
  retrainMaxTrials: number;
  /** Fig. 8: values of 1/λ for the retrained network's conversion and trials per value. */
  retrainGrid: readonly number[];
  retrainTrials: number;
  /** Fig. 4: permutations of the tests over networks. */
  taskPermutations: number;
  engine?: Engine;
}

/** Defaults: every panel, the paper's 50 spontaneous trials and 12 cue trials, Fig. 6 at × 0, 0.5, 0.8 on the rate network. */
export const KIM_PANEL_DEFAULTS: KimPanelOptions = {
  panels: KIM_PANELS,
  timescaleTrials: 50,
  crossTemporalTrialsPerCue: 12,
  subgroupFactors: [0, 0.5, 0.8],
  subgroupControls: 10,
  subgroupTrials: 200,
  subgroupSpikingTrials: 0,
  fanoPermutations: 2000,
  retrainTask: 'afc',
  retrainMaxTrials: 2000,
  retrainGrid: [20, 30, 40, 50, 60, 75],
  retrainTrials: 20,
  taskPermutations: 5000,
};

/** The window the unbiased estimator analyses (ms): the counts' bins, less the first when it is dropped. */
export function unbiasedWindowMs(counts: NDArray, o: Pick<UnbiasedTimescaleOptions, 'binMs' | 'dropFirstBin'>): number {
  const bins = counts.shape[counts.shape.length - 1];
  return (bins - (o.dropFirstBin ? 1 : 0)) * o.binMs;
}

/** The synapse classes of Fig. 4 (pre→post). */
export const KIM_SYNAPSE_CLASSES = [
  ['ee', 'E→E'],
  ['ei', 'E→I'],
  ['ie', 'I→E'],
  ['ii', 'I→I'],
] as const;

/** The unbiased estimator's summary of one network, with the units whose τ is beyond the window flagged. */
export interface KimUnbiasedSummary {
  /** Median τ of the included ('ok') units (ms). */
  medianTauMs: number;
  /** Units with an estimate ('ok'). */
  included: number;
  /** Units whose credible interval covers most of the τ grid: flagged, not counted in the median. */
  unconstrained: number;
  /**
   * Of the included units, those whose τ is longer than the analysed window (`windowMs`): their
   * autocorrelation is nearly flat over the window, so the window cannot pin τ down (flagged).
   */
  beyondWindow: number;
  /** Median τ of the included units within the window (NaN when none). */
  medianWithinWindowMs: number;
  /** The analysed window (ms): the spontaneous period less the dropped first bin. */
  windowMs: number;
  /** Per unit: 1 when its τ is beyond the window (0 otherwise, NaN when excluded). */
  beyondWindowUnits: Float32Array;
  /** τ per unit (NaN: excluded) and its credible interval. */
  tauMs: Float32Array;
  lowerMs: Float32Array;
  upperMs: Float32Array;
}

/**
 * The unbiased τ (`unbiasedTimescales`, default settings) of spontaneous counts [trials, units,
 * bins], summarised: the median over included units, the units flagged unconstrained, and the
 * included units whose τ is longer than the analysed window (their autocorrelation is nearly flat
 * over the window: the estimate says "longer than the window", not how long).
 */
export function kimUnbiasedSummary(counts: NDArray): KimUnbiasedSummary {
  const u = unbiasedTimescales(counts);
  const ok = u.units.filter((x) => x.status === 'ok');
  const windowMs = unbiasedWindowMs(counts, u.options);
  return {
    medianTauMs: u.quantiles.median,
    included: ok.length,
    unconstrained: u.units.filter((x) => x.status === 'unconstrained').length,
    beyondWindow: ok.filter((x) => x.tauMs > windowMs).length,
    medianWithinWindowMs: finiteMedian(ok.filter((x) => x.tauMs <= windowMs).map((x) => x.tauMs)),
    windowMs,
    beyondWindowUnits: Float32Array.from(u.units, (x) => (x.status === 'ok' ? (x.tauMs > windowMs ? 1 : 0) : Number.NaN)),
    tauMs: Float32Array.from(u.units, (x) => (x.status === 'ok' ? x.tauMs : Number.NaN)),
    lowerMs: Float32Array.from(u.units, (x) => x.lowerMs),
    upperMs: Float32Array.from(u.units, (x) => x.upperMs),
  };
}

/** One network's panel numbers (absent: that panel was not asked for or does not apply to its task). */
export interface KimPanelNetworkResult {
  seed: number;
  task: EiRnnTaskName;
  inverseScale: number;
  /** The paper's estimator: summary and τ per unit (NaN: excluded). */
  timescales: TimescaleSummary;
  tauMs: Float32Array;
  /** The finite-window-corrected estimator (panel `unbiased`). */
  unbiased?: KimUnbiasedSummary;
  /** Fig. 7: fixation Fano factor per unit and its rank correlation with τ. */
  fano?: { fano: Float64Array; test: RankCorrelation };
  /** Fig. 4: synapse-class statistics of the trained effective weights. */
  weights?: SynapseClassStats;
  /** Fig. 3 (DMS networks): delay accuracy and decoding matrices of the long- and short-τ halves. */
  crossTemporal?: {
    timesMs: number[];
    delayMs: [number, number];
    long: { units: number; delayAccuracy: number; matrix: Float64Array };
    short: { units: number; delayAccuracy: number; matrix: Float64Array };
  };
  /** Fig. 6 (DMS networks): on the rate network, and on the spiking network when asked. */
  subgroups?: KimSubgroupResult;
  subgroupsSpiking?: KimSubgroupResult;
  /** Fig. 8 (DMS networks). */
  retrain?: KimRetrainExperiment;
}

/** A comparison of DMS networks with another task's networks. */
export interface KimTaskComparison {
  other: EiRnnTaskName;
  /** Per measure key (`medianTauMs`, `unbiasedMedianTauMs`, `eeMeanWeight`, …): mean(DMS) − mean(other) and p. */
  measures: Record<string, MeanDifference>;
}

/** Every panel's numbers over the networks, and the tests across networks. */
export interface KimPanelsResult {
  options: KimPanelOptions;
  networks: KimPanelNetworkResult[];
  /** Fig. 3: long-τ minus short-τ delay accuracy over DMS networks, one-sided sign test. */
  fig3?: PairedSignTest;
  /** Fig. 4: per task, the mean over networks of each measure; DMS vs each other task. */
  fig4?: { byTask: { task: EiRnnTaskName; networks: number; means: Record<string, number> }[]; comparisons: KimTaskComparison[] };
  /** Fig. 6 per factor and network kind: networks where the between-subgroup scaling hurt more than the control mean. */
  fig6?: { network: 'rate' | 'spiking'; factor: number; test: PairedSignTest }[];
  /** Time the panels took (s). */
  seconds: number;
}

/** A measure of one network compared across tasks in Fig. 4. */
export interface KimTaskMeasure {
  /** Key in the metrics and comparisons. */
  key: string;
  /** Label in tables and figures. */
  label: string;
  /** The network's value (NaN when not measured). */
  get: (n: KimPanelNetworkResult) => number;
}

/** The measures compared across tasks in Fig. 4 (key, label, getter). */
export const KIM_TASK_MEASURES: KimTaskMeasure[] = [
  ...KIM_SYNAPSE_CLASSES.map(([k, label]) => ({
    key: `${k}MeanWeight`,
    label: `mean ${label} weight`,
    get: (n: KimPanelNetworkResult) => n.weights?.[k].mean ?? Number.NaN,
  })),
  { key: 'medianTauMs', label: 'median τ (ms)', get: (n) => n.timescales.medianTauMs },
  { key: 'unbiasedMedianTauMs', label: 'median τ, unbiased (ms)', get: (n) => n.unbiased?.medianTauMs ?? Number.NaN },
];

/**
 * Computes the asked panels on `networks` (DMS networks for Figs. 3, 6, 8; every network for
 * Figs. 4, 7 and the unbiased τ). Streams: forks of `Rng(seed).fork('panels-<task>')` per network.
 */
export async function kim2021Panels(
  networks: KimPanelNetwork[],
  options: Partial<KimPanelOptions> = {},
  hooks: RecipeHooks = {},
): Promise<KimPanelsResult> {
  const o: KimPanelOptions = { ...KIM_PANEL_DEFAULTS, ...options };
  const has = (p: KimPanel) => o.panels.includes(p);
  for (const p of o.panels)
    if (!KIM_PANELS.includes(p)) throw new ShapeError(`kim2021Panels: unknown panel '${p}' (${KIM_PANELS.join(', ')})`);
  const t0 = performance.now();
  const out: KimPanelNetworkResult[] = [];
  let k = 0;
  for (const n of networks) {
    throwIfAborted(hooks.signal);
    const stage = (what: string) => hooks.onProgress?.({ stage: `${n.task} seed ${n.seed}: ${what}`, done: k, total: networks.length });
    const rng = new Rng(n.seed).fork(`panels-${n.task}`);
    const net = toSpiking(n.model, { scale: 1 / n.inverseScale });
    stage('timescales');
    const ts = measureTimescales(net, rng.fork('timescales'), o.timescaleTrials, undefined, o.engine);
    const tauMs = tauPerUnit(ts.result);
    const r: KimPanelNetworkResult = { seed: n.seed, task: n.task, inverseScale: n.inverseScale, timescales: ts.summary, tauMs };
    if (has('unbiased') || has('fig4')) {
      r.unbiased = kimUnbiasedSummary(ts.counts);
    }
    if (has('fig7')) {
      const fano = windowFano(ts.counts, { dropFirstBin: true });
      r.fano = { fano, test: spearmanTest(fano, tauMs, rng.fork('fano'), o.fanoPermutations) };
    }
    if (has('fig4') && n.model.config.dale) r.weights = synapseClassStats(effectiveWeights(n.model), n.model.sign);
    if (n.task === 'dms') {
      if (has('fig3')) {
        stage('cross-temporal decoding');
        const c = kimCrossTemporal(net, tauMs, rng.fork('cross-temporal'), { trialsPerCue: o.crossTemporalTrialsPerCue });
        const g = (x: typeof c.decoding.long) => ({ units: x.units.length, delayAccuracy: x.delayAccuracy, matrix: x.matrix.data });
        r.crossTemporal = { timesMs: c.timesMs, delayMs: c.periodsMs.delay, long: g(c.decoding.long), short: g(c.decoding.short) };
      }
      if (has('fig6') && n.model.config.nInputs === 2 && n.model.config.dale) {
        stage('inhibitory subgroups');
        const so = { factors: o.subgroupFactors, controls: o.subgroupControls, engine: o.engine };
        r.subgroups = kimSubgroups(n.model, rng.fork('subgroups'), { ...so, evalTrials: o.subgroupTrials });
        if (o.subgroupSpikingTrials > 0)
          r.subgroupsSpiking = kimSubgroups(n.model, rng.fork('subgroups'), {
            ...so,
            evalTrials: o.subgroupSpikingTrials,
            spikingInverseScale: n.inverseScale,
          });
      }
      if (has('fig8')) {
        stage(`retraining on ${o.retrainTask}`);
        const train: TrainConfig = { ...KIM_TRAIN_CONFIG, maxTrials: o.retrainMaxTrials };
        r.retrain = await kimRetrainExperiment(n.model, tauMs, rng.fork(`retrain-${o.retrainTask}`), {
          task: o.retrainTask,
          train,
          grid: o.retrainGrid,
          trials: o.retrainTrials,
          timescaleTrials: o.timescaleTrials,
          seed: n.seed,
          engine: o.engine,
        });
      }
    }
    out.push(r);
    k++;
  }
  const dms = out.filter((n) => n.task === 'dms');
  const result: KimPanelsResult = { options: o, networks: out, seconds: 0 };
  if (has('fig3')) {
    const d = dms.filter((n) => n.crossTemporal);
    result.fig3 = pairedSignTest(d.map((n) => (n.crossTemporal?.long.delayAccuracy ?? 0) - (n.crossTemporal?.short.delayAccuracy ?? 0)));
  }
  if (has('fig4')) {
    const tasks = [...new Set(out.map((n) => n.task))];
    const rng = new Rng(1).fork('panels-fig4');
    const meanOf = (xs: number[]) => {
      const f = xs.filter(Number.isFinite);
      return f.length ? f.reduce((a, v) => a + v, 0) / f.length : Number.NaN;
    };
    const byTask = tasks.map((task) => {
      const ns = out.filter((n) => n.task === task);
      return { task, networks: ns.length, means: Object.fromEntries(KIM_TASK_MEASURES.map((m) => [m.key, meanOf(ns.map(m.get))])) };
    });
    const comparisons: KimTaskComparison[] = [];
    if (dms.length)
      for (const other of tasks.filter((t) => t !== 'dms')) {
        const ns = out.filter((n) => n.task === other);
        const measures: Record<string, MeanDifference> = {};
        for (const m of KIM_TASK_MEASURES)
          measures[m.key] = meanDifferenceTest(dms.map(m.get), ns.map(m.get), rng.fork(`${other}-${m.key}`), o.taskPermutations);
        comparisons.push({ other, measures });
      }
    result.fig4 = { byTask, comparisons };
  }
  if (has('fig6')) {
    const rows: NonNullable<KimPanelsResult['fig6']> = [];
    for (const kind of ['rate', 'spiking'] as const) {
      const rs = dms.map((n) => (kind === 'rate' ? n.subgroups : n.subgroupsSpiking)).filter((x): x is KimSubgroupResult => x != null);
      if (!rs.length) continue;
      for (const factor of o.subgroupFactors)
        rows.push({
          network: kind,
          factor,
          // positive: the between-subgroup scaling left a lower accuracy than the random controls
          test: pairedSignTest(
            rs.map((s) => {
              const x = s.scaled.find((y) => y.factor === factor);
              return x ? x.controlMean - x.between : 0;
            }),
          ),
        });
    }
    result.fig6 = rows;
  }
  result.seconds = (performance.now() - t0) / 1000;
  return result;
}

// ── networks trained on the other tasks (Fig. 4) ────────────────────────────────────────────

/** The recipe of a reproduction for another task: the same model and training, one input channel for AFC and Go/NoGo. */
export function kimTaskRecipe(recipe: KimRecipe, task: EiRnnTaskName): KimRecipe {
  if (task === 'dms') return recipe;
  return { ...recipe, preset: `kim2021.${task}`, model: { ...recipe.model, nInputs: 1 }, task };
}

/** A network trained on `task` and converted (λ search on that task), or the step that failed. */
export interface KimTaskModelWork {
  train: KimTrainResult;
  /** The conversion (null when training diverged). */
  lif: Omit<KimConvertResult, 'net'> | null;
  failure: string | null;
}

/** Trains the reproduction's model on `task` (`kimTaskRecipe`) and converts it with the protocol's λ grid and trials. */
export async function kimTaskModel(
  recipe: KimRecipe,
  task: EiRnnTaskName,
  seed: number,
  protocol: Pick<KimProtocol, 'grid' | 'trials'>,
  engine: Engine = 'kernels',
  hooks: RecipeHooks = {},
): Promise<KimTaskModelWork> {
  const train = await trainKimModel({ recipe: kimTaskRecipe(recipe, task), seed, engine }, { signal: hooks.signal });
  if (train.diverged) return { train, lif: null, failure: `train: ${train.diverged}` };
  const c = convertKimModel(train.model, { seed, trials: protocol.trials, longTrials: protocol.trials, grid: protocol.grid, task, engine });
  return { train, lif: { search: c.search, wSpk: c.wSpk, summary: c.summary }, failure: null };
}

/** The panels' numbers as run.json metrics (numbers, strings and booleans; per network and across networks). */
export function kim2021PanelMetrics(p: KimPanelsResult): Record<string, unknown> {
  const nets = p.networks.map((n) => ({
    task: n.task,
    seed: n.seed,
    inverseScale: n.inverseScale,
    unitsFitted: n.timescales.included,
    medianTauMs: n.timescales.medianTauMs,
    ...(n.unbiased
      ? {
          unbiasedMedianTauMs: n.unbiased.medianTauMs,
          unbiasedIncluded: n.unbiased.included,
          unbiasedUnconstrained: n.unbiased.unconstrained,
          unbiasedBeyondWindow: n.unbiased.beyondWindow,
          unbiasedMedianWithinWindowMs: n.unbiased.medianWithinWindowMs,
        }
      : {}),
    ...(n.fano ? { fanoSpearmanRho: n.fano.test.rho, fanoSpearmanP: n.fano.test.p, fanoUnits: n.fano.test.n } : {}),
    ...(n.weights ? Object.fromEntries(KIM_SYNAPSE_CLASSES.map(([k]) => [`${k}MeanWeight`, n.weights?.[k].mean])) : {}),
    ...(n.crossTemporal
      ? { delayAccuracyLongTau: n.crossTemporal.long.delayAccuracy, delayAccuracyShortTau: n.crossTemporal.short.delayAccuracy }
      : {}),
    ...Object.fromEntries(
      [n.subgroups, n.subgroupsSpiking]
        .filter((s): s is KimSubgroupResult => s != null)
        .map((s) => [
          `subgroups${s.network === 'rate' ? 'Rate' : 'Spiking'}`,
          {
            groupA: s.groupA.length,
            groupB: s.groupB.length,
            strengthWithinA: s.strength.withinA,
            strengthWithinB: s.strength.withinB,
            strengthAToB: s.strength.aToB,
            strengthBToA: s.strength.bToA,
            strengthAllII: s.strength.allII,
            betweenConnections: s.betweenConnections,
            baseline: s.baseline,
            scaled: s.scaled.map((x) => ({
              factor: x.factor,
              between: x.between,
              controlMean: x.controlMean,
              pControlAsLow: x.pControlAsLow,
            })),
          },
        ]),
    ),
    ...(n.retrain
      ? {
          retrain: {
            task: p.options.retrainTask,
            trials: n.retrain.retrain.training.trials,
            reachedStoppingRule: n.retrain.retrain.training.success,
            rateAccuracy: n.retrain.retrain.rateAccuracy,
            spikingAccuracy: n.retrain.spikingAccuracy,
            spearmanRho: n.retrain.spearman.rho,
            spearmanP: n.retrain.spearman.p,
            units: n.retrain.spearman.n,
            pearsonLogTau: n.retrain.pearsonLogTau,
            medianTauBeforeMs: n.retrain.medianTauBeforeMs,
            medianTauAfterMs: n.retrain.medianTauAfterMs,
          },
        }
      : {}),
  }));
  return {
    networks: nets,
    ...(p.fig3 ? { fig3LongBetter: p.fig3.up, fig3Networks: p.fig3.n, fig3Ties: p.fig3.ties, fig3SignTestP: p.fig3.p } : {}),
    ...(p.fig4
      ? {
          fig4: p.fig4.comparisons.map((c) => ({
            dmsVs: c.other,
            ...Object.fromEntries(Object.entries(c.measures).map(([k, d]) => [k, { difference: d.difference, p: d.p }])),
          })),
        }
      : {}),
    ...(p.fig6
      ? {
          fig6: p.fig6.map((r) => ({
            network: r.network,
            factor: r.factor,
            lowerThanControls: r.test.up,
            networks: r.test.n,
            p: r.test.p,
          })),
        }
      : {}),
    seconds: p.seconds,
  };
}
