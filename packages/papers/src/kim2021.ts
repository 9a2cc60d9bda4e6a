/**
 * Kim & Sejnowski 2021 (Nat. Neurosci. 24, 129–139), "Strong inhibitory signaling underlies
 * stable temporal dynamics and working memory in spiking neural networks": E/I rate RNNs trained
 * on delayed match-to-sample (DMS), converted one-to-one into leaky integrate-and-fire networks
 * (Kim, Li & Sejnowski 2019 PNAS: the λ grid search), then every I→I synapse scaled (× 0.7,
 * × 1.3) and the neuronal timescales (Fig. 2, spike-count autocorrelation of spontaneous
 * activity) and the 750-ms-delay accuracy re-measured, paired with the unscaled network (Fig. 5).
 *
 * The steps are plain functions (train, convert, timescales, scaling experiment); `kim2021Model`
 * runs the missing steps of one model (a job for a worker thread: it takes resolved configs and
 * returns arrays, never run directories) and `kim2021` runs every seed and the paired sign tests.
 * Model and parameters: docs/models/ei-rnn.md.
 */
import { neuronalTimescales, type PairedSignTest, pairedSignTest, type TimescaleResult } from '@wmkit/analysis';
import {
  createRateRNN,
  type EiRnnTaskName,
  type Engine,
  type EvalRecord,
  eiRnnTask,
  evaluateRate,
  evaluateRateSteps,
  evaluateSpiking,
  evaluateSpikingSteps,
  KIM_INVERSE_SCALE_GRID,
  KIM_TRAIN_CONFIG,
  type RateRNN,
  type RateRNNConfig,
  type ScaleResult,
  type SpikingRNN,
  scaleSynapses,
  searchScaleSteps,
  spontaneousCounts,
  type TrainConfig,
  type TrainProgress,
  toSpiking,
  trainRateRNN,
} from '@wmkit/ei-rnn';
import { type DmsTask, dmsTask } from '@wmkit/tasks';
import { type NDArray, Rng, runSteps, ShapeError, type StepGenerator } from '@wmkit/tensor';
import { type RecipeHooks, throwIfAborted } from './hooks';

/** The DMS task of Kim & Sejnowski: 50-ms delay (training) and 750-ms delay (the long test). */
export function kimDmsTasks(): { short: DmsTask; long: DmsTask } {
  return { short: dmsTask({ variant: 'short' }), long: dmsTask({ variant: 'long' }) };
}

// ── training ────────────────────────────────────────────────────────────────────────────────

/** A resolved training recipe (an ei-rnn preset with any overrides applied). */
export interface KimRecipe {
  /** The preset it came from (recorded in run.json). */
  preset: string;
  /** Where the preset departs from the published protocol. */
  departures: string[];
  model: RateRNNConfig;
  train: TrainConfig;
  /** Delay of the training task. */
  taskVariant: 'short' | 'long';
  /** The training task (default DMS; AFC and Go/NoGo: Kim & Sejnowski 2021 Fig. 4). */
  task?: EiRnnTaskName;
}

/** What `trainKimModel` trains: the recipe, the seed, the final evaluation's size and the engine. */
export interface KimTrainOptions {
  recipe: KimRecipe;
  seed: number;
  /** Fresh trials of the final short- and long-delay rate evaluations (default 200). */
  evalTrials?: number;
  /** The wasm kernels (default) or TensorFlow.js ops on the selected backend. */
  engine?: Engine;
}

export interface KimTrainHooks extends RecipeHooks {
  /** Called after each parameter update with the training progress. */
  onUpdate?: (p: TrainProgress) => void;
  /** After each evaluation, with a copy of the model at that point (checkpoints). */
  onEval?: (e: EvalRecord, snapshot: RateRNN) => void;
}

/** What run.json records of a training (every field a number, boolean or string). */
export interface KimTrainSummary {
  success: boolean;
  stopReason: 'criterion' | 'max-trials' | 'diverged' | 'aborted';
  trials: number;
  updates: number;
  trainSeconds: number;
  finalEvalLoss: number | null;
  finalEvalAccuracy: number | null;
  /** Whether the paper's stopping rule was met within its 6,000-trial budget. */
  metStoppingRuleWithin6000Trials: boolean;
  /** Rate DMS accuracy, 50-ms delay (null when training diverged). */
  rateAccuracyShortDelay: number | null;
  /** Rate DMS accuracy, 750-ms delay (null when training diverged). */
  rateAccuracyLongDelay: number | null;
  /** Rate accuracy on the training task for AFC and Go/NoGo networks (200 fresh trials). */
  rateAccuracyTask?: number | null;
}

/** A trained rate RNN of Kim & Sejnowski 2021 with its evaluation history and run.json summary. */
export interface KimTrainResult {
  /** The trained model (after divergence: the last good evaluation's parameters). */
  model: RateRNN;
  /** Every evaluation during training. */
  history: EvalRecord[];
  summary: KimTrainSummary;
  /** Why training failed (divergence), or null. */
  diverged: string | null;
}

/**
 * Trains one E/I rate RNN with BPTT on DMS (Kim et al. 2019 protocol: evaluate every 100 trials,
 * stop at eval loss < 7 and accuracy > 0.95), then measures its rate accuracy on 200 fresh trials
 * at the 50-ms and the 750-ms delay. Random streams: `model`, `train`, `final-eval` forks of
 * `Rng(seed)`.
 */
export async function trainKimModel(o: KimTrainOptions, hooks: KimTrainHooks = {}): Promise<KimTrainResult> {
  const { recipe } = o;
  const tasks = kimDmsTasks();
  const isDms = (recipe.task ?? 'dms') === 'dms';
  const task = !isDms ? eiRnnTask(recipe.task ?? 'dms') : recipe.taskVariant === 'long' ? tasks.long : tasks.short;
  const rng = hooks.rng ?? new Rng(o.seed);
  const model = createRateRNN(recipe.model, rng.fork('model'));
  const cfg = recipe.train;
  let within6000 = false;
  throwIfAborted(hooks.signal);
  const engine = o.engine ?? 'kernels';
  const result = await trainRateRNN(model, task, cfg, rng.fork('train'), {
    engine,
    onUpdate: (p) => {
      hooks.onUpdate?.(p);
      hooks.onProgress?.({ stage: 'training', done: p.trial, total: cfg.maxTrials });
    },
    onEval: (e, snapshot) => {
      if (
        e.trial <= 6000 &&
        (cfg.stopLossBelow == null || e.loss < cfg.stopLossBelow) &&
        (cfg.stopAccuracyAbove == null || e.accuracy > cfg.stopAccuracyAbove)
      )
        within6000 = true;
      hooks.onEval?.(e, snapshot);
    },
    shouldStop: () => hooks.signal?.aborted === true,
  });
  throwIfAborted(hooks.signal);
  const last = result.history.at(-1);
  const summary: KimTrainSummary = {
    success: result.success,
    stopReason: result.reason,
    trials: result.trials,
    updates: result.updates,
    trainSeconds: result.seconds,
    finalEvalLoss: last?.loss ?? null,
    finalEvalAccuracy: last?.accuracy ?? null,
    metStoppingRuleWithin6000Trials: within6000,
    rateAccuracyShortDelay: null,
    rateAccuracyLongDelay: null,
  };
  if (result.reason === 'diverged')
    return { model, history: result.history, summary, diverged: result.message ?? 'training diverged (non-finite loss)' };
  const n = o.evalTrials ?? 200;
  const evalRng = rng.fork('final-eval');
  if (!isDms) {
    summary.rateAccuracyTask = evaluateRate(model, task, n, evalRng.fork('task'), cfg.loss, engine).score.accuracy;
    return { model, history: result.history, summary, diverged: null };
  }
  summary.rateAccuracyShortDelay = evaluateRate(model, tasks.short, n, evalRng.fork('short'), cfg.loss, engine).score.accuracy;
  summary.rateAccuracyLongDelay = evaluateRate(model, tasks.long, n, evalRng.fork('long'), cfg.loss, engine).score.accuracy;
  return { model, history: result.history, summary, diverged: null };
}

// ── conversion to LIF ───────────────────────────────────────────────────────────────────────

/** The λ grid search of the LIF conversion (Kim, Li & Sejnowski 2019) and its trial counts. */
export interface KimConvertOptions {
  /** Seed of the run (the streams are forks of `Rng(seed).fork('convert-lif')`). */
  seed: number;
  /** DMS trials per value of 1/λ (Kim et al. 2019: 100). */
  trials?: number;
  /** Values of 1/λ (Kim et al. 2019: 20, 25, …, 75). */
  grid?: readonly number[];
  /** Trials of the 750-ms delay test with the best λ (default 100). */
  longTrials?: number;
  /** Which implementation simulates the LIF networks: the wasm kernel (default) or tfjs ops. */
  engine?: Engine;
  /** The task the λ search scores (default DMS; AFC and Go/NoGo networks have no 750-ms test). */
  task?: EiRnnTaskName;
  /** Try every value of 1/λ (default: stop at the first that scores every trial, the one Kim's rule keeps; `searchScale`'s `stopEarly`). */
  fullGrid?: boolean;
}

/** What run.json records of a conversion. */
export interface KimLifSummary {
  bestInverseScale: number;
  bestScale: number;
  spikingAccuracyShortDelay: number;
  spikingAccuracyLongDelay: number;
  meanRateHz: number;
  searchSeconds: number;
}

/** A converted LIF network: the accuracy of every 1/λ searched, the network with the best λ and its summary. */
export interface KimConvertResult {
  /** Accuracy per 1/λ, in grid order. */
  search: ScaleResult[];
  /** The LIF network with the best λ. */
  net: SpikingRNN;
  /** Its recurrent weights λ·W_eff [post, pre]. */
  wSpk: NDArray;
  summary: KimLifSummary;
}

/**
 * Converts a trained rate RNN to a LIF network (Kim, Li & Sejnowski 2019): the weight scale λ is
 * the grid value with the best spiking DMS accuracy (the same trials for every λ), then the
 * network is tested at the 750-ms delay.
 */
export function convertKimModel(
  model: RateRNN,
  o: KimConvertOptions,
  hooks: RecipeHooks & { onScale?: (r: ScaleResult, index: number) => void } = {},
): KimConvertResult {
  return runSteps(convertKimModelSteps(model, o, hooks));
}

/**
 * `convertKimModel` as a step generator (yields after every chunk of trials): with
 * `runStepsYielding` the event loop runs during the search (signals, progress); same results.
 */
export function* convertKimModelSteps(
  model: RateRNN,
  o: KimConvertOptions,
  hooks: RecipeHooks & { onScale?: (r: ScaleResult, index: number) => void } = {},
): StepGenerator<KimConvertResult> {
  const grid = o.grid ?? KIM_INVERSE_SCALE_GRID;
  const trials = o.trials ?? 100;
  const longTrials = o.longTrials ?? 100;
  const tasks = kimDmsTasks();
  const rng = (hooks.rng ?? new Rng(o.seed)).fork('convert-lif');
  throwIfAborted(hooks.signal);
  const progress = (f: number) => hooks.onProgress?.({ stage: 'λ search', done: f * grid.length, total: grid.length + 1 });
  const isDms = (o.task ?? 'dms') === 'dms';
  const search = yield* searchScaleSteps(model, isDms ? tasks.short : eiRnnTask(o.task ?? 'dms'), {
    rng: rng.fork('search'),
    inverseScales: grid,
    trials,
    engine: o.engine,
    stopEarly: o.fullGrid !== true,
    onProgress: progress,
    onResult: (r, i) => {
      hooks.onScale?.(r, i);
      throwIfAborted(hooks.signal);
    },
  });
  const net = toSpiking(model, { scale: search.best.scale });
  const long = isDms
    ? yield* evaluateSpikingSteps(
        net,
        tasks.long,
        longTrials,
        rng.fork('long'),
        50,
        (f) => hooks.onProgress?.({ stage: '750-ms test', done: grid.length + f, total: grid.length + 1 }),
        o.engine,
      )
    : { accuracy: Number.NaN };
  const N = model.config.N;
  return {
    search: search.results,
    net,
    wSpk: { data: spikingMatrix(net.WT, N), shape: [N, N] },
    summary: {
      bestInverseScale: search.best.inverseScale,
      bestScale: search.best.scale,
      spikingAccuracyShortDelay: search.best.accuracy,
      spikingAccuracyLongDelay: long.accuracy,
      meanRateHz: search.best.meanRateHz,
      searchSeconds: search.results.reduce((a, r) => a + r.seconds, 0),
    },
  };
}

/** W_spk [post, pre] from its transposed storage. */
function spikingMatrix(WT: Float32Array, N: number): Float32Array {
  const W = new Float32Array(N * N);
  for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) W[i * N + j] = WT[j * N + i];
  return W;
}

// ── timescales ──────────────────────────────────────────────────────────────────────────────

/** Summary of the neuronal timescales of one network. */
export interface TimescaleSummary {
  /** Units with a valid fit. */
  included: number;
  medianTauMs: number;
  q25: number;
  q75: number;
  populationTauMs: number | null;
  populationAllUnitsTauMs: number | null;
  meanRateHz: number;
}

/** The neuronal timescales of one spiking network (Kim & Sejnowski 2021 Fig. 2): counts, fits and summary. */
export interface TimescaleMeasurement {
  /** Spike counts [trial, unit, 50-ms bin] of the spontaneous period. */
  counts: NDArray;
  result: TimescaleResult;
  summary: TimescaleSummary;
}

/**
 * Kim & Sejnowski 2021 Fig. 2: `trials` spontaneous trials (1.05 s, no input) of the spiking
 * network, spike counts in 50-ms bins, spike-count autocorrelation and an exponential fit per
 * unit (units with τ outside 0–500 ms or a negative amplitude excluded) and for the population.
 */
export function measureTimescales(
  net: SpikingRNN,
  rng: Rng,
  trials: number,
  onProgress?: (fraction: number) => void,
  engine: Engine = 'kernels',
): TimescaleMeasurement {
  const { counts, meanRateHz } = spontaneousCounts(net, rng, { trials, onProgress, engine });
  const result = neuronalTimescales(counts);
  const ok = result.units.filter((u) => u.status === 'ok');
  return {
    counts,
    result,
    summary: {
      included: ok.length,
      medianTauMs: result.quantiles.median,
      q25: result.quantiles.q25,
      q75: result.quantiles.q75,
      populationTauMs: result.population?.tauMs ?? null,
      populationAllUnitsTauMs: result.populationAllUnits?.tauMs ?? null,
      meanRateHz: meanRateHz.reduce((a, v) => a + v, 0) / meanRateHz.length,
    },
  };
}

/** τ per unit (NaN where the unit was excluded). */
export function tauPerUnit(result: TimescaleResult): Float32Array {
  return Float32Array.from(result.units, (u) => (u.status === 'ok' ? u.tauMs : Number.NaN));
}

// ── synapse scaling ─────────────────────────────────────────────────────────────────────────

/** A synapse class: I→I, E→E, E→I or I→E (pre→post). */
export type KimBlock = 'ii' | 'ee' | 'ei' | 'ie';
/** The synapse classes (pre→post) by key, as the reports name them. */
export const KIM_BLOCKS: Record<KimBlock, string> = { ii: 'I→I', ee: 'E→E', ei: 'E→I', ie: 'I→E' };

/** One scaling experiment (Kim & Sejnowski 2021 Fig. 5): the synapse class, the factor and the trial counts. */
export interface KimScaleOptions {
  /** Seed of the run (streams: forks of `Rng(seed).fork('scale-<block>')`). */
  seed: number;
  block: KimBlock;
  /** Multiplier (the paper: 1.3 and 0.7). */
  factor: number;
  /** 1/λ of the converted network (kept for the scaled one). */
  inverseScale: number;
  /** Which implementation simulates the rate and LIF networks: the wasm kernels (default) or tfjs ops. */
  engine?: Engine;
  /** DMS trials per measurement (default 100). */
  trials?: number;
  /** Spontaneous trials for the timescales (the paper: 50). */
  timescaleTrials?: number;
}

/** Accuracies and timescales of one network (scaled or not) as run.json records them. */
export interface KimConditionSummary extends TimescaleSummary {
  rateAccuracyShort: number;
  rateAccuracyLong: number;
  spikingAccuracyShort: number;
  spikingAccuracyLong: number;
}

/** What run.json records of a scaling experiment. */
export interface KimScaleSummary {
  block: KimBlock;
  factor: number;
  baseline: KimConditionSummary;
  scaled: KimConditionSummary;
  medianTauChangeMs: number;
  populationTauChangeMs: number;
}

/** A scaling experiment's timescales of the scaled network, the unscaled τ per unit, and its summary. */
export interface KimScaleResult {
  /** Timescales of the scaled network (counts, fits). */
  scaled: TimescaleMeasurement;
  /** τ per unit of the unscaled network (NaN: excluded). */
  baselineTauMs: Float32Array;
  summary: KimScaleSummary;
}

/**
 * Kim & Sejnowski 2021 Fig. 5: scales one synapse class and re-measures rate and spiking DMS
 * accuracy (50- and 750-ms delays) and the timescales. The unscaled network (factor 1) is measured
 * with the same trials and noise, so the comparison is paired; the spiking network keeps its λ.
 */
export function scaleSynapsesExperiment(model: RateRNN, o: KimScaleOptions, hooks: RecipeHooks = {}): KimScaleResult {
  if (!(o.block in KIM_BLOCKS)) throw new ShapeError(`block must be one of ii (I→I), ee (E→E), ei (E→I), ie (I→E); got '${o.block}'`);
  if (!(o.factor >= 0)) throw new ShapeError(`factor must be ≥ 0, got ${o.factor}`);
  const trials = o.trials ?? 100;
  const timescaleTrials = o.timescaleTrials ?? 50;
  const tasks = kimDmsTasks();
  const scaledModel = scaleSynapses(model, o.block, o.factor);
  const rng = (hooks.rng ?? new Rng(o.seed)).fork(`scale-${o.block}`);
  const measure = (m: RateRNN, half: number) => {
    throwIfAborted(hooks.signal);
    const stage = half ? `× ${o.factor}` : 'factor 1';
    const progress = (f: number) => hooks.onProgress?.({ stage, done: half + f / 2, total: 1 });
    const net = toSpiking(m, { scale: 1 / o.inverseScale });
    const engine = o.engine ?? 'kernels';
    const rateShort = evaluateRate(m, tasks.short, trials, rng.fork('rate-short'), 'kim-l2', engine).score.accuracy;
    const rateLong = evaluateRate(m, tasks.long, trials, rng.fork('rate-long'), 'kim-l2', engine).score.accuracy;
    const spikeShort = evaluateSpiking(net, tasks.short, trials, rng.fork('spike-short'), 50, (f) => progress(f / 3), engine).accuracy;
    const spikeLong = evaluateSpiking(net, tasks.long, trials, rng.fork('spike-long'), 50, (f) => progress((1 + f) / 3), engine).accuracy;
    const ts = measureTimescales(net, rng.fork('timescales'), timescaleTrials, (f) => progress((2 + f) / 3), engine);
    const summary: KimConditionSummary = {
      rateAccuracyShort: rateShort,
      rateAccuracyLong: rateLong,
      spikingAccuracyShort: spikeShort,
      spikingAccuracyLong: spikeLong,
      ...ts.summary,
    };
    return { ts, summary };
  };
  const base = measure(model, 0);
  const exp = measure(scaledModel, 0.5);
  return {
    scaled: exp.ts,
    baselineTauMs: tauPerUnit(base.ts.result),
    summary: {
      block: o.block,
      factor: o.factor,
      baseline: base.summary,
      scaled: exp.summary,
      medianTauChangeMs: exp.summary.medianTauMs - base.summary.medianTauMs,
      populationTauChangeMs: (exp.summary.populationTauMs ?? Number.NaN) - (base.summary.populationTauMs ?? Number.NaN),
    },
  };
}

// ── one model, every step ───────────────────────────────────────────────────────────────────

/** The protocol of the reproduction (defaults: the paper's). */
export interface KimProtocol {
  /** DMS trials per measurement: λ search, 750-ms test, scaling experiments (default 100). */
  trials: number;
  /** Spontaneous trials for the timescales (the paper: 50). */
  timescaleTrials: number;
  /** Values of 1/λ searched (Kim et al. 2019: 20, 25, …, 75). */
  grid: readonly number[];
  /** The synapse class scaled (the paper: I→I). */
  block: KimBlock;
  /** The factors (the paper: 0.7 and 1.3; the second is compared with the first). */
  factors: readonly [number, number];
}

/** The paper's protocol: 100 DMS trials, 50 spontaneous trials, 1/λ 20–75, I→I scaled by 0.7 and 1.3. */
export const KIM2021_PROTOCOL: KimProtocol = {
  trials: 100,
  timescaleTrials: 50,
  grid: KIM_INVERSE_SCALE_GRID,
  block: 'ii',
  factors: [0.7, 1.3],
};

/** One model's work for a worker: what is already done comes with it, the rest is run. */
export interface KimModelJob {
  seed: number;
  recipe: KimRecipe;
  protocol: KimProtocol;
  /** A model already trained (skips training). */
  trained: RateRNN | null;
  /** 1/λ of a conversion already done (skips the conversion). */
  inverseScale: number | null;
  /** The factors still to run. */
  factors: number[];
  /** Which implementation runs every step: the wasm kernels or tfjs ops (absent: kernels). */
  engine?: Engine;
}

/** What a `kim2021Model` job did for one seed: training, conversion and scaling results, or the step that failed. */
export interface KimModelWork {
  seed: number;
  /** Training done by this job (null: the model came with the job). */
  train: KimTrainResult | null;
  /** Conversion done by this job (the network itself is left out: rebuild it from the model and λ). */
  lif: Omit<KimConvertResult, 'net'> | null;
  /** Scaling experiments done by this job. */
  scaled: { factor: number; result: KimScaleResult }[];
  /** The step that failed and why (the steps after it were not run), or null. */
  failure: { step: string; message: string } | null;
}

/**
 * Runs the missing steps of one model: train → convert (λ search) → one scaling experiment per
 * factor. A step that fails ends the job with `failure` set and keeps what was done before it.
 */
export async function kim2021Model(job: KimModelJob, hooks: RecipeHooks = {}): Promise<KimModelWork> {
  const out: KimModelWork = { seed: job.seed, train: null, lif: null, scaled: [], failure: null };
  const p = job.protocol;
  const steps = (job.trained ? 0 : 1) + (job.inverseScale == null ? 1 : 0) + job.factors.length;
  let stepsDone = 0;
  const progress = (stage: string) => (q: { done: number; total: number }) =>
    hooks.onProgress?.({ stage: `seed ${job.seed}: ${stage}`, done: stepsDone + q.done / Math.max(q.total, 1e-9), total: steps });
  const step = async <T>(name: string, fn: () => T | Promise<T>): Promise<T | null> => {
    try {
      const r = await fn();
      stepsDone++;
      return r;
    } catch (err) {
      const e = err as Error;
      if (e?.name === 'AbortError') throw err;
      out.failure = { step: name, message: e?.message ?? String(err) };
      return null;
    }
  };
  let model = job.trained;
  if (!model) {
    const t = await step('train', () =>
      trainKimModel({ recipe: job.recipe, seed: job.seed, engine: job.engine }, { signal: hooks.signal, onProgress: progress('train') }),
    );
    if (!t) return out;
    out.train = t;
    if (t.diverged) {
      out.failure = { step: 'train', message: t.diverged };
      return out;
    }
    model = t.model;
  }
  let inverseScale = job.inverseScale;
  if (inverseScale == null) {
    const trained = model;
    const c = await step('convert lif', () =>
      convertKimModel(
        trained,
        { seed: job.seed, trials: p.trials, longTrials: p.trials, grid: p.grid, engine: job.engine },
        { signal: hooks.signal, onProgress: progress('convert lif') },
      ),
    );
    if (!c) return out;
    out.lif = { search: c.search, wSpk: c.wSpk, summary: c.summary };
    inverseScale = c.summary.bestInverseScale;
  }
  for (const factor of job.factors) {
    const trained = model;
    const inv = inverseScale;
    const s = await step(`${KIM_BLOCKS[p.block]} × ${factor}`, () =>
      scaleSynapsesExperiment(
        trained,
        {
          seed: job.seed,
          block: p.block,
          factor,
          inverseScale: inv,
          trials: p.trials,
          timescaleTrials: p.timescaleTrials,
          engine: job.engine,
        },
        { signal: hooks.signal, onProgress: progress(`${KIM_BLOCKS[p.block]} × ${factor}`) },
      ),
    );
    if (!s) return out;
    out.scaled.push({ factor, result: s });
  }
  return out;
}

// ── every seed, and the comparison ──────────────────────────────────────────────────────────

/** A model's training as the report shows it (null fields: not recorded, e.g. an imported model). */
export interface KimModelTraining {
  success: boolean | null;
  trials: number | null;
  trainSeconds: number | null;
  rateAccuracyShortDelay: number | null;
  rateAccuracyLongDelay: number | null;
}

/** What is already done for one seed (read back from its run directories by the caller). */
export interface KimModelDone {
  trained?: { model: RateRNN; training: KimModelTraining };
  lif?: KimLifSummary;
  /** Complete scaling experiments by factor. */
  scaled?: Record<number, KimScaleSummary>;
}

/** The reproduction of Kim & Sejnowski 2021: recipe, seeds, protocol overrides and the steps already done. */
export interface Kim2021Options {
  recipe: KimRecipe;
  /** Models to train (the paper: dozens). */
  seeds: number;
  firstSeed: number;
  protocol?: Partial<KimProtocol>;
  /** Steps already done, by seed (they are not run again). */
  done?: Record<number, KimModelDone>;
  /** Which implementation runs the new steps: the wasm kernels (default) or tfjs ops on the selected backend. */
  engine?: Engine;
}

export interface Kim2021Hooks extends RecipeHooks {
  /** Runs the jobs (default: one after another in this thread); `@wmkit/papers/node` runs them on workers. */
  runModels?: (jobs: KimModelJob[], onModel: (work: KimModelWork, index: number) => void) => Promise<KimModelWork[]>;
  /** Called as each model's job finishes (before the comparison), e.g. to save its run directories. */
  onModel?: (work: KimModelWork) => void;
}

/** One factor's numbers of one model (factor 1: the unscaled network of the same experiments). */
export interface KimLevel {
  factor: number;
  medianTauMs: number;
  included: number;
  rateAccuracyLong: number;
  spikingAccuracyLong: number;
}

/** One seed's results in the comparison: training, conversion, scaling summaries and its levels if complete. */
export interface KimModelOutcome {
  seed: number;
  training: KimModelTraining | null;
  lif: KimLifSummary | null;
  scaled: Record<number, KimScaleSummary | null>;
  /** Why the model did not finish every step, or null. */
  failed: string | null;
  /** Every step complete. */
  complete: boolean;
  /** [low factor, 1, high factor] of a complete model (empty otherwise). */
  levels: KimLevel[];
}

/** Every model of the reproduction, the paired sign tests across factors, and the new work of this call. */
export interface Kim2021Result {
  recipe: KimRecipe;
  protocol: KimProtocol;
  models: KimModelOutcome[];
  /** Models that met the stopping rule. */
  metStoppingRule: number;
  /** The factors of the figure: [low, 1, high]. */
  levels: number[];
  /** High vs low factor, paired over complete models, one-sided sign tests. */
  tests: { medianTau: PairedSignTest; rateLong: PairedSignTest; spikingLong: PairedSignTest };
  /** The new work of this call, per seed (run directories are made from it). */
  work: KimModelWork[];
  seconds: number;
}

/** The report's view of a fresh training summary. */
export function kimTraining(s: KimTrainSummary): KimModelTraining {
  return {
    success: s.success,
    trials: s.trials,
    trainSeconds: s.trainSeconds,
    rateAccuracyShortDelay: s.rateAccuracyShortDelay,
    rateAccuracyLongDelay: s.rateAccuracyLongDelay,
  };
}

/**
 * Kim & Sejnowski 2021 for `seeds` models: each is trained (preset recipe, seeds firstSeed…),
 * converted to LIF, and its I→I synapses scaled by the two factors with paired re-measurement;
 * then, over the complete models, one-sided sign tests of "stronger I→I ⇒ longer median τ,
 * better rate and spiking accuracy at the 750-ms delay" (the paper's finding).
 */
export async function kim2021(o: Kim2021Options, hooks: Kim2021Hooks = {}): Promise<Kim2021Result> {
  if (!(o.seeds >= 1)) throw new ShapeError(`seeds must be ≥ 1, got ${o.seeds}`);
  const protocol: KimProtocol = { ...KIM2021_PROTOCOL, ...o.protocol };
  const [low, high] = protocol.factors;
  const t0 = performance.now();
  const seeds = Array.from({ length: o.seeds }, (_, k) => o.firstSeed + k);
  const done = (s: number): KimModelDone => o.done?.[s] ?? {};
  const jobs: KimModelJob[] = [];
  for (const seed of seeds) {
    const d = done(seed);
    const factors = protocol.factors.filter((f) => !d.scaled?.[f]);
    if (d.trained && d.lif && !factors.length) continue;
    jobs.push({
      seed,
      recipe: o.recipe,
      protocol,
      trained: d.trained?.model ?? null,
      inverseScale: d.trained && d.lif ? d.lif.bestInverseScale : null,
      factors: d.trained && d.lif ? factors : [...protocol.factors],
      engine: o.engine ?? 'kernels',
    });
  }
  const onModel = (w: KimModelWork) => hooks.onModel?.(w);
  let work: KimModelWork[];
  if (hooks.runModels) work = await hooks.runModels(jobs, onModel);
  else {
    work = [];
    for (const job of jobs) {
      const w = await kim2021Model(job, { signal: hooks.signal, onProgress: hooks.onProgress });
      onModel(w);
      work.push(w);
    }
  }
  throwIfAborted(hooks.signal);
  const bySeed = new Map(work.map((w) => [w.seed, w]));
  const models: KimModelOutcome[] = seeds.map((seed) => {
    const d = done(seed);
    const w = bySeed.get(seed);
    const training = w?.train ? kimTraining(w.train.summary) : (d.trained?.training ?? null);
    // a fresh conversion replaces old experiments: they were run with another λ
    const lif = w?.lif?.summary ?? (w?.train ? null : (d.lif ?? null));
    const scaled: Record<number, KimScaleSummary | null> = {};
    for (const f of protocol.factors)
      scaled[f] = w?.scaled.find((s) => s.factor === f)?.result.summary ?? (w?.train || w?.lif ? null : (d.scaled?.[f] ?? null));
    const complete = !w?.failure && training != null && lif != null && protocol.factors.every((f) => scaled[f]);
    const levels: KimLevel[] = [];
    if (complete) {
      const at = (f: number) => {
        const e = scaled[f === 1 ? high : f] as KimScaleSummary;
        const c = f === 1 ? e.baseline : e.scaled;
        return {
          factor: f,
          medianTauMs: c.medianTauMs,
          included: c.included,
          rateAccuracyLong: c.rateAccuracyLong,
          spikingAccuracyLong: c.spikingAccuracyLong,
        };
      };
      levels.push(at(low), at(1), at(high));
    }
    const failed = w?.failure ? `${w.failure.step}: ${w.failure.message}` : complete ? null : 'a step did not complete';
    return { seed, training, lif, scaled, failed, complete, levels };
  });
  const ok = models.filter((m) => m.complete);
  const compare = (key: 'medianTauMs' | 'rateAccuracyLong' | 'spikingAccuracyLong') =>
    pairedSignTest(ok.map((m) => (m.levels[2] as KimLevel)[key] - (m.levels[0] as KimLevel)[key]));
  return {
    recipe: o.recipe,
    protocol,
    models,
    metStoppingRule: models.filter((m) => m.training?.success).length,
    levels: [low, 1, high],
    tests: { medianTau: compare('medianTauMs'), rateLong: compare('rateAccuracyLong'), spikingLong: compare('spikingAccuracyLong') },
    work,
    seconds: (performance.now() - t0) / 1000,
  };
}

// ── a model trained elsewhere ───────────────────────────────────────────────────────────────

/** The accuracies of a model imported from the authors' .mat (`checkImportedKimModel`). */
export interface KimImportedCheck {
  /** Rate DMS accuracy and loss, 50-ms delay. */
  rate: { accuracy: number; loss: number };
  /** Rate DMS accuracy, 750-ms delay. */
  rateLong: { accuracy: number };
  /** Spiking DMS accuracy with the file's λ (null without one, or with no spiking trials). */
  spiking: { accuracy: number; meanRateHz: number } | null;
}

/**
 * Checks a model trained by the authors' code (imported from their .mat): rate DMS accuracy at
 * both delays and, when the file gives 1/λ (`opt_scaling_factor`), the spiking network's
 * accuracy. Streams: forks of `Rng(seed).fork('import')`.
 */
export function checkImportedKimModel(
  model: RateRNN,
  o: { seed: number; trials?: number; spikingTrials?: number; inverseScale?: number | null },
  hooks: RecipeHooks = {},
): KimImportedCheck {
  return runSteps(checkImportedKimModelSteps(model, o, hooks));
}

/** `checkImportedKimModel` as a step generator (yields after every chunk of trials), for `runStepsYielding`; same results. */
export function* checkImportedKimModelSteps(
  model: RateRNN,
  o: { seed: number; trials?: number; spikingTrials?: number; inverseScale?: number | null },
  hooks: RecipeHooks = {},
): StepGenerator<KimImportedCheck> {
  const tasks = kimDmsTasks();
  const rng = (hooks.rng ?? new Rng(o.seed)).fork('import');
  const trials = o.trials ?? 200;
  const rate = yield* evaluateRateSteps(model, tasks.short, trials, rng.fork('rate'), KIM_TRAIN_CONFIG.loss);
  const rateLong = yield* evaluateRateSteps(model, tasks.long, trials, rng.fork('rate-long'), KIM_TRAIN_CONFIG.loss);
  let spiking: KimImportedCheck['spiking'] = null;
  const spikingTrials = o.spikingTrials ?? 100;
  if (o.inverseScale && spikingTrials > 0) {
    throwIfAborted(hooks.signal);
    const net = toSpiking(model, { scale: 1 / o.inverseScale });
    const spk = yield* evaluateSpikingSteps(net, tasks.short, spikingTrials, rng.fork('spiking'), 50, (f) =>
      hooks.onProgress?.({ stage: 'spiking DMS', done: f, total: 1 }),
    );
    spiking = { accuracy: spk.accuracy, meanRateHz: spk.meanRateHz };
  }
  return { rate: { accuracy: rate.score.accuracy, loss: rate.loss }, rateLong: { accuracy: rateLong.score.accuracy }, spiking };
}
