/**
 * Kim & Sejnowski 2021 beyond Fig. 2 and Fig. 5: the simulations behind Fig. 3 (cross-temporal
 * cue decoding by long- and short-timescale units) and Fig. 6 (two oppositely tuned inhibitory
 * subgroups and the I→I connections between them). Plain functions on trained networks; the
 * analyses themselves live in `@wmkit/analysis`.
 */
import { crossTemporalByTimescale, pearson, type RankCorrelation, spearmanTest, type TimescaleDecoding } from '@wmkit/analysis';
import {
  cloneRateRNN,
  type EiRnnTaskName,
  type Engine,
  eiRnnTask,
  evaluateRate,
  evaluateSpiking,
  type RateRNN,
  type SpikingRNN,
  simulateRate,
  simulateSpiking,
  type TrainConfig,
  type TrainResult,
  toSpiking,
  trainRateRNN,
} from '@wmkit/ei-rnn';
import { dmsTask } from '@wmkit/tasks';
import { type NDArray, type Rng, ShapeError } from '@wmkit/tensor';
import { convertKimModel, measureTimescales, tauPerUnit } from './kim2021';

/** The trials of the cross-temporal analysis (defaults: 40 per cue, 50-ms bins). */
export interface KimCrossTemporalOptions {
  /** Trials per cue sign (the authors: 12; more make the decoder's accuracy less noisy). */
  trialsPerCue?: number;
  /** Count bin (ms). */
  binMs?: number;
  /** Called with the fraction of the simulation done. */
  onProgress?: (fraction: number) => void;
}

/** Spike counts of the cue trials, their labels, and the long- vs short-τ decoding. */
export interface KimCrossTemporalResult {
  /** Counts [trials, units, bins]. */
  counts: NDArray;
  /** Cue per trial: 1 (+1 stimulus) or 0 (−1). */
  labels: Float32Array;
  /** Bin centres (ms from trial start). */
  timesMs: number[];
  /** Period boundaries (ms): stimulus 1, delay, stimulus 2. */
  periodsMs: { stimulus1: [number, number]; delay: [number, number]; stimulus2: [number, number] };
  decoding: TimescaleDecoding;
}

/**
 * Fig. 3 of Kim & Sejnowski 2021: the spiking network runs the 750-ms-delay DMS trial (411 steps)
 * with both stimuli of the same sign (+1 or −1, `trialsPerCue` each; a one-input network gets
 * both on its one channel, as in the authors' analysis), spikes are counted in bins, and the cue
 * is decoded across time from the long-τ and the short-τ halves of the units (equal counts).
 * The delay accuracy averages the diagonal over the bins wholly inside the delay.
 */
export function kimCrossTemporal(
  net: SpikingRNN,
  tauMs: ArrayLike<number>,
  rng: Rng,
  o: KimCrossTemporalOptions = {},
): KimCrossTemporalResult {
  const per = o.trialsPerCue ?? 40;
  const binMs = o.binMs ?? 50;
  if (!(Number.isInteger(per) && per >= 2)) throw new ShapeError(`kimCrossTemporal: trialsPerCue (${per}) must be an integer ≥ 2`);
  const N = net.rate.config.N;
  if (tauMs.length !== N) throw new ShapeError(`kimCrossTemporal: ${tauMs.length} timescales for a ${N}-unit network`);
  const task = dmsTask({ variant: 'long' });
  const B = 2 * per;
  const sign = Float32Array.from({ length: B }, (_, i) => (i % 2 === 0 ? 1 : -1));
  const batch = task.trials({ stim1: sign, stim2: sign });
  const T = task.timeline.steps;
  const nIn = net.rate.config.nInputs;
  let inputs = batch.inputs;
  if (nIn === 1) {
    const d = new Float32Array(B * T);
    for (let i = 0; i < B * T; i++) d[i] = batch.inputs.data[2 * i] + batch.inputs.data[2 * i + 1];
    inputs = { data: d, shape: [B, T, 1] };
  } else if (nIn !== 2) throw new ShapeError(`kimCrossTemporal: the network has ${nIn} inputs; the DMS cue trials need 1 or 2`);
  const rec = simulateSpiking(net, inputs, rng, { countBinMs: binMs, onProgress: o.onProgress });
  if (!rec.counts) throw new ShapeError('kimCrossTemporal: the simulation returned no counts');
  const counts = rec.counts;
  const nBins = counts.shape[2];
  const p = (name: string) => {
    const q = batch.periods.find((x) => x.name === name);
    if (!q) throw new ShapeError(`kimCrossTemporal: the DMS trial has no period '${name}'`);
    return [q.startMs, q.endMs] as [number, number];
  };
  const delayMs = p('delay');
  const delay = { from: Math.ceil(delayMs[0] / binMs), to: Math.floor(delayMs[1] / binMs) };
  const labels = Float32Array.from(sign, (s) => (s > 0 ? 1 : 0));
  return {
    counts,
    labels,
    timesMs: Array.from({ length: nBins }, (_, b) => (b + 0.5) * binMs),
    periodsMs: { stimulus1: p('stimulus1'), delay: delayMs, stimulus2: p('stimulus2') },
    decoding: crossTemporalByTimescale(counts, labels, tauMs, delay),
  };
}

// ── Fig. 6: inhibitory subgroups ────────────────────────────────────────────────────────────

/** The subgroup experiment's settings. */
export interface KimSubgroupOptions {
  /** Factors applied to the between-subgroup I→I weights, one experiment each (0 silences them). */
  factors: readonly number[];
  /**
   * Measure the accuracies on the converted LIF network with this 1/λ (the subgroups are still
   * found on the rate network); absent: on the rate network.
   */
  spikingInverseScale?: number;
  /** Which implementation simulates the networks (default: the wasm kernels). */
  engine?: Engine;
  /** Rate-network trials per cue sign for the selectivity (default 50). */
  trialsPerCue?: number;
  /** |d′| an inhibitory unit needs to join a subgroup (default 0.5). */
  minSelectivity?: number;
  /** Random equal-size control sets of I→I connections (default 10). */
  controls?: number;
  /** 750-ms-delay DMS trials per accuracy (default 200). */
  evalTrials?: number;
}

/** Subgroups, their connection strengths, and DMS accuracy with the between-subgroup I→I scaled vs random controls. */
export interface KimSubgroupResult {
  /** Selectivity d′ (cue +1 vs −1, stimulus 1 and delay) per unit; NaN for excitatory units. */
  selectivity: Float32Array;
  /** Inhibitory units preferring cue +1 (A) and cue −1 (B). */
  groupA: number[];
  groupB: number[];
  /** Mean |effective weight| of the present connections (pre→post): within A, within B, A→B, B→A, and all I→I. */
  strength: { withinA: number; withinB: number; aToB: number; bToA: number; allII: number };
  /** Present between-subgroup connections (A→B plus B→A), the number scaled. */
  betweenConnections: number;
  /** Which network the accuracies are of. */
  network: 'rate' | 'spiking';
  /** 750-ms-delay DMS accuracy of the unchanged network. */
  baseline: number;
  /** One experiment per factor, in the order given. */
  scaled: KimSubgroupScaling[];
}

/** One factor of the subgroup experiment: accuracy with the between-subgroup I→I scaled vs the random controls. */
export interface KimSubgroupScaling {
  factor: number;
  /** 750-ms-delay DMS accuracy with only the between-subgroup I→I connections scaled. */
  between: number;
  /** The same with each random equal-size set of I→I connections scaled instead. */
  controls: number[];
  controlMean: number;
  /**
   * (1 + controls at or below `between`) / (1 + controls): a permutation-style p for "scaling the
   * between-subgroup connections hurts more than scaling as many random I→I connections".
   */
  pControlAsLow: number;
}

function meanAbs(m: RateRNN, pre: number[], post: number[]): { mean: number; count: number } {
  const N = m.config.N;
  let s = 0;
  let n = 0;
  for (const i of post)
    for (const j of pre) {
      const v = Math.max(0, m.w[i * N + j]) * m.mask[i * N + j];
      if (v > 0) {
        s += v;
        n++;
      }
    }
  return { mean: n ? s / n : Number.NaN, count: n };
}

/**
 * Kim & Sejnowski 2021 Fig. 6 on the rate network: inhibitory units are sorted by their cue
 * selectivity d′ over stimulus 1 and the delay of the 750-ms-delay trial (group A prefers +1,
 * B prefers −1, |d′| ≥ `minSelectivity`); the connection strengths within and between the groups
 * are measured; then, for each factor, only the between-group I→I connections (A→B and B→A) are
 * multiplied by it, and DMS accuracy is compared with `controls` networks in which the same number
 * of I→I connections, drawn at random among all present I→I connections, are scaled instead (the
 * same draws for every factor). With `spikingInverseScale` the accuracies are those of the LIF
 * networks converted from each of these rate networks with that λ.
 */
export function kimSubgroups(model: RateRNN, rng: Rng, o: KimSubgroupOptions): KimSubgroupResult {
  if (!model.config.dale) throw new ShapeError('kimSubgroups: the network has no E/I identity (dale is false)');
  if (!o.factors.length) throw new ShapeError('kimSubgroups: give at least one factor');
  for (const f of o.factors) if (!(Number.isFinite(f) && f >= 0)) throw new ShapeError(`kimSubgroups: factor (${f}) must be a number ≥ 0`);
  const inv = o.spikingInverseScale;
  if (inv != null && !(Number.isFinite(inv) && inv > 0))
    throw new ShapeError(`kimSubgroups: spikingInverseScale (${inv}) must be > 0 (1/λ of the conversion)`);
  const per = o.trialsPerCue ?? 50;
  const minSel = o.minSelectivity ?? 0.5;
  const nControls = o.controls ?? 10;
  const evalTrials = o.evalTrials ?? 200;
  const N = model.config.N;
  const task = dmsTask({ variant: 'long' });
  const sign = Float32Array.from({ length: 2 * per }, (_, i) => (i % 2 === 0 ? 1 : -1));
  const batch = task.trials({ stim1: sign, stim2: sign });
  const nIn = model.config.nInputs;
  if (nIn !== 2) throw new ShapeError(`kimSubgroups: the network has ${nIn} inputs; the DMS experiment needs a DMS network (2 inputs)`);
  const sim = simulateRate(model, batch.inputs, rng.fork('selectivity'));
  if (!sim.rates) throw new ShapeError('kimSubgroups: the simulation returned no rates');
  const T = task.timeline.steps;
  const s1 = batch.periods.find((p) => p.name === 'stimulus1');
  const d = batch.periods.find((p) => p.name === 'delay');
  if (!s1 || !d) throw new ShapeError('kimSubgroups: the DMS trial lacks stimulus1 or delay');
  const selectivity = new Float32Array(N).fill(Number.NaN);
  const inh: number[] = [];
  for (let u = 0; u < N; u++) if (model.sign[u] < 0) inh.push(u);
  for (const u of inh) {
    const vals: number[][] = [[], []];
    for (let b = 0; b < sign.length; b++) {
      let acc = 0;
      for (let t = s1.start; t < d.end; t++) acc += sim.rates.data[(b * T + t) * N + u];
      vals[sign[b] > 0 ? 0 : 1].push(acc / (d.end - s1.start));
    }
    const mean = (xs: number[]) => xs.reduce((a, v) => a + v, 0) / xs.length;
    const v = (xs: number[], m: number) => xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
    const m0 = mean(vals[0]);
    const m1 = mean(vals[1]);
    const sd = Math.sqrt((v(vals[0], m0) + v(vals[1], m1)) / 2);
    selectivity[u] = sd > 0 ? (m0 - m1) / sd : m0 === m1 ? 0 : Math.sign(m0 - m1) * Number.POSITIVE_INFINITY;
  }
  const groupA = inh.filter((u) => selectivity[u] >= minSel);
  const groupB = inh.filter((u) => selectivity[u] <= -minSel);
  const wA = meanAbs(model, groupA, groupA);
  const wB = meanAbs(model, groupB, groupB);
  const ab = meanAbs(model, groupA, groupB);
  const ba = meanAbs(model, groupB, groupA);
  const all = meanAbs(model, inh, inh);
  // present connections (post i, pre j) between the groups, and all present I→I connections
  const between: number[] = [];
  for (const i of groupB) for (const j of groupA) if (model.w[i * N + j] > 0) between.push(i * N + j);
  for (const i of groupA) for (const j of groupB) if (model.w[i * N + j] > 0) between.push(i * N + j);
  const allII: number[] = [];
  for (const i of inh) for (const j of inh) if (model.w[i * N + j] > 0) allII.push(i * N + j);
  const scaled = (entries: number[], factor: number): RateRNN => {
    const m = cloneRateRNN(model);
    for (const k of entries) m.w[k] = model.w[k] * factor;
    return m;
  };
  const evalRng = rng.fork('accuracy');
  // the same evaluation trials and noise for every network
  const acc = (m: RateRNN) =>
    inv == null
      ? evaluateRate(m, task, evalTrials, evalRng.fork('trials'), 'kim-l2', o.engine).score.accuracy
      : evaluateSpiking(toSpiking(m, { scale: 1 / inv }), task, evalTrials, evalRng.fork('spiking-trials'), 50, undefined, o.engine)
          .accuracy;
  const baseline = acc(model);
  const picks = Array.from({ length: nControls }, (_, c) => rng.fork(`control${c}`).shuffle(allII.slice()).slice(0, between.length));
  const scaledResults: KimSubgroupScaling[] = o.factors.map((factor) => {
    const betweenAcc = acc(scaled(between, factor));
    const controls = picks.map((pick) => acc(scaled(pick, factor)));
    const below = controls.filter((a) => a <= betweenAcc).length;
    return {
      factor,
      between: betweenAcc,
      controls,
      controlMean: controls.length ? controls.reduce((a, v) => a + v, 0) / controls.length : Number.NaN,
      pControlAsLow: (1 + below) / (1 + controls.length),
    };
  });
  return {
    selectivity,
    groupA,
    groupB,
    strength: { withinA: wA.mean, withinB: wB.mean, aToB: ab.mean, bToA: ba.mean, allII: all.mean },
    betweenConnections: between.length,
    network: inv == null ? 'rate' : 'spiking',
    baseline,
    scaled: scaledResults,
  };
}

// ── Fig. 8: retraining with the recurrent weights frozen ─────────────────────────────────────

/** A network retrained on another task: the new model, its training and its rate accuracy. */
export interface KimRetrainResult {
  model: RateRNN;
  training: TrainResult;
  /** Rate accuracy on the new task (fresh trials). */
  rateAccuracy: number;
}

/**
 * Kim & Sejnowski 2021 Fig. 8: a trained network learns another task with its recurrent weights
 * and synaptic time constants frozen; only new input weights (drawn N(0, 1) for the new task's
 * inputs) and the read-out are trained (`train` with its `train` flags overridden).
 */
export async function kimRetrain(
  model: RateRNN,
  taskName: EiRnnTaskName,
  rng: Rng,
  train: TrainConfig,
  evalTrials = 200,
): Promise<KimRetrainResult> {
  const task = eiRnnTask(taskName);
  const N = model.config.N;
  const m = cloneRateRNN(model);
  m.config = { ...model.config, nInputs: task.nInputs };
  const draw = rng.fork('w-in');
  m.wIn = new Float32Array(N * task.nInputs);
  draw.fillNormal(m.wIn);
  const cfg: TrainConfig = { ...train, train: { recurrent: false, input: true, readout: true, tau: false, bias: false } };
  const training = await trainRateRNN(m, task, cfg, rng.fork('train'));
  const rateAccuracy = evaluateRate(m, task, evalTrials, rng.fork('final-eval'), cfg.loss).score.accuracy;
  return { model: m, training, rateAccuracy };
}

/** Fig. 8 end to end: the retraining's budget, the new network's conversion and timescale protocol. */
export interface KimRetrainExperimentOptions {
  /** The new task. */
  task: EiRnnTaskName;
  /** Training settings of the new task (its preset's), with the budget to use. */
  train: TrainConfig;
  /** Values of 1/λ for the conversion of the retrained network. */
  grid: readonly number[];
  /** Task trials per 1/λ. */
  trials: number;
  /** Spontaneous trials for the timescales after retraining (the paper: 50). */
  timescaleTrials: number;
  /** Seed of the conversion (the run's seed). */
  seed: number;
  engine?: Engine;
}

/** Fig. 8's numbers: the retraining, the new network's accuracies, τ per unit after, and the before/after correlation. */
export interface KimRetrainExperiment {
  retrain: KimRetrainResult;
  /** 1/λ and spiking accuracy of the retrained network on the new task. */
  bestInverseScale: number;
  spikingAccuracy: number;
  /** τ per unit after retraining (NaN: excluded). */
  tauAfterMs: Float32Array;
  /** Units with a τ both before and after, and their values. */
  pairs: { before: number; after: number }[];
  /** Spearman's ρ of τ before vs after with its permutation p. */
  spearman: RankCorrelation;
  /** Pearson's r of log τ before vs after (NaN with fewer than 3 pairs). */
  pearsonLogTau: number;
  medianTauBeforeMs: number;
  medianTauAfterMs: number;
}

/**
 * Kim & Sejnowski 2021 Fig. 8: retrains `model` on `o.task` with the recurrent weights and τ
 * frozen (`kimRetrain`), converts the retrained network (λ search on the new task), measures its
 * timescales (the paper's estimator) and compares each unit's τ with `tauBeforeMs` (Spearman ρ
 * with 2,000 permutations, Pearson r of log τ). Streams: forks of `rng`.
 */
export async function kimRetrainExperiment(
  model: RateRNN,
  tauBeforeMs: ArrayLike<number>,
  rng: Rng,
  o: KimRetrainExperimentOptions,
): Promise<KimRetrainExperiment> {
  const N = model.config.N;
  if (tauBeforeMs.length !== N) throw new ShapeError(`kimRetrainExperiment: ${tauBeforeMs.length} timescales for a ${N}-unit network`);
  const retrain = await kimRetrain(model, o.task, rng, o.train);
  const conv = convertKimModel(retrain.model, { seed: o.seed, trials: o.trials, grid: o.grid, task: o.task, engine: o.engine });
  const ts = measureTimescales(conv.net, rng.fork('timescales'), o.timescaleTrials, undefined, o.engine);
  const tauAfterMs = tauPerUnit(ts.result);
  const pairs: { before: number; after: number }[] = [];
  for (let u = 0; u < N; u++)
    if (Number.isFinite(tauBeforeMs[u]) && Number.isFinite(tauAfterMs[u])) pairs.push({ before: tauBeforeMs[u], after: tauAfterMs[u] });
  const spearman = spearmanTest(tauBeforeMs, tauAfterMs, rng.fork('spearman'), 2000);
  const pearsonLogTau =
    pairs.length > 2
      ? pearson(
          Float64Array.from(pairs, (p) => Math.log(p.before)),
          Float64Array.from(pairs, (p) => Math.log(p.after)),
        )
      : Number.NaN;
  return {
    retrain,
    bestInverseScale: conv.summary.bestInverseScale,
    spikingAccuracy: conv.summary.spikingAccuracyShortDelay,
    tauAfterMs,
    pairs,
    spearman,
    pearsonLogTau,
    medianTauBeforeMs: finiteMedian(Array.from(tauBeforeMs)),
    medianTauAfterMs: ts.summary.medianTauMs,
  };
}

/** Median of the finite values (NaN when there are none). */
export function finiteMedian(xs: ArrayLike<number>): number {
  const s = Array.from(xs)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
