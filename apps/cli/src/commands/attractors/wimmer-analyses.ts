/**
 * The analyses of Wimmer et al. 2014 applied to one model's surrogate data set, with
 * permutation tests (shuffling behaviour against activity within each cue) and s.e.m. over units.
 */
import {
  bumpDiffusion,
  fanoAccurateInaccurate,
  groupPairCorrelations,
  mean,
  noiseCorrelations,
  type OdrDataset,
  permutationTest,
  rateBehaviorCorrelation,
  sessionDeviations,
  shuffleWithinCue,
  tuningBias,
  unitTuning,
} from '@wmkit/analysis';
import type { RingSimulation } from '@wmkit/attractor-models';
import type { Rng } from '@wmkit/tensor';
import { responseErrorsDeg, responseSpread } from './simulate';

export interface Windows {
  delayStartMs: number;
  delayEndMs: number;
  /** sliding 1-s windows: centres (ms) */
  centresMs: number[];
}

export interface SeriesPoint {
  tMs: number;
  value: number;
  se: number;
  p: number;
}

/** Mean, s.e.m. and number of pairs of one group of pair correlations. */
export interface PairGroup {
  mean: number;
  se: number;
  n: number;
}

export interface ModelAnalysis {
  model: string;
  trials: number;
  neurons: number;
  responseSdDeg: number;
  /** SD of the errors of trials within 22.5° of the cue, and the fraction beyond (jumps). */
  responseSdNoJumpsDeg: number;
  jumpFraction: number;
  errorsDeg: number[];
  diffusion: { slopeDeg2PerS: number; r2: number; timesMs: number[]; varianceDeg2: number[] };
  tuning: { meanStrength: number; included: number };
  tuningBias: SeriesPoint[];
  tuningBiasLate: SeriesPoint;
  /** The same on trials within half a cue spacing of the mean response (no jumps to another attractor). */
  tuningBiasLateNoJumps: SeriesPoint;
  rateBehavior: SeriesPoint[];
  rateBehaviorLate: SeriesPoint;
  rateBehaviorLateNoJumps: SeriesPoint;
  fano: { accurate: number; inaccurate: number; seAccurate: number; seInaccurate: number; p: number; units: number };
  /**
   * Spike-count correlations in the last two 200-ms bins of the delay, one value per pair
   * (Wimmer et al. 2014, Fig. 7e,f): same-tuned pairs for their flank cues (the bump's prediction:
   * positive; tested), peak and tail cues; pairs one intervening cue apart for that cue
   * (prediction: negative; tested); all other pairs and cues.
   */
  noiseCorr: {
    sameTuning: PairGroup & { p: number };
    sameTuningPeak: PairGroup;
    sameTuningTail: PairGroup;
    inBetween: PairGroup & { p: number };
    other: PairGroup;
  };
}

const se = (xs: number[]) => {
  const f = xs.filter(Number.isFinite);
  if (f.length < 2) return Number.NaN;
  const m = mean(f);
  return Math.sqrt(f.reduce((a, x) => a + (x - m) ** 2, 0) / (f.length - 1) / f.length);
};

/** One-sample sign-flip permutation test of mean(xs) > 0 (or < 0 with tail 'less'). */
function signFlipTest(xs: number[], rng: Rng, n: number, tail: 'greater' | 'less'): number {
  const f = xs.filter(Number.isFinite);
  if (!f.length) return Number.NaN;
  return permutationTest(mean(f), (r) => mean(f.map((x) => (r.uint32() & 1 ? x : -x))), rng, { n, tail }).p;
}

export type NeuralAnalysis = Omit<
  ModelAnalysis,
  'model' | 'trials' | 'responseSdDeg' | 'responseSdNoJumpsDeg' | 'jumpFraction' | 'errorsDeg' | 'diffusion'
>;

export function analyseModel(model: string, sim: RingSimulation, data: OdrDataset, w: Windows, rng: Rng, nPerm: number): ModelAnalysis {
  const errorsDeg = responseErrorsDeg(sim);
  const spread = responseSpread(errorsDeg);
  const diff = bumpDiffusion(sim.angles, sim.recordTimesMs, { startMs: w.delayStartMs + 100, endMs: w.delayEndMs });
  const toDeg2 = (180 / Math.PI) ** 2;
  return {
    model,
    trials: sim.trials,
    responseSdDeg: spread.sdDeg,
    responseSdNoJumpsDeg: spread.sdNoJumpsDeg,
    jumpFraction: spread.jumpFraction,
    errorsDeg,
    diffusion: {
      slopeDeg2PerS: diff.slope * toDeg2,
      r2: diff.r2,
      timesMs: diff.timesMs,
      varianceDeg2: diff.variance.map((v) => v * toDeg2),
    },
    ...analyseDataset(data, w, rng, nPerm),
  };
}

/**
 * The neural analyses of Wimmer et al. 2014 on any data set of trials with cues, responses and
 * spike counts — a model's surrogate recordings or real ones.
 */
export function analyseDataset(data: OdrDataset, w: Windows, rng: Rng, nPerm: number): NeuralAnalysis {
  const delay = { startMs: w.delayStartMs, endMs: w.delayEndMs };
  const tuning = unitTuning(data, delay);
  const included = tuning.filter((t) => Number.isFinite(t.preferred) && t.meanRate >= 1);
  const deviations = sessionDeviations(data);
  const late = { startMs: w.delayEndMs - 1000, endMs: w.delayEndMs };
  const half = Math.PI / data.cueAngles.length; // half a cue spacing
  const noJumps = deviations.map((dv) => dv.map((v) => (Math.abs(v) <= half ? v : Number.NaN)));
  type Stat = (win: { startMs: number; endMs: number }, dev: Float64Array[]) => { mean: number; perUnit: number[] };
  const point = (
    stat: Stat,
    devs: Float64Array[],
    win: { startMs: number; endMs: number },
    tMs: number,
    n: number,
    label: string,
  ): SeriesPoint => {
    const obs = stat(win, devs);
    const p = permutationTest(obs.mean, (r) => stat(win, shuffleWithinCue(data, devs, r)).mean, rng.fork(`${label}-${tMs}`), {
      n,
      tail: 'greater',
    }).p;
    return { tMs, value: obs.mean, se: se(obs.perUnit), p };
  };
  const lateCentre = (late.startMs + late.endMs) / 2;
  const series = (stat: Stat, label: string) => ({
    series: w.centresMs.map((c) => point(stat, deviations, { startMs: c - 500, endMs: c + 500 }, c, nPerm, label)),
    late: point(stat, deviations, late, lateCentre, Math.max(nPerm, 1000), label),
    lateNoJumps: point(stat, noJumps, late, lateCentre, Math.max(nPerm, 1000), `${label}-nojump`),
  });
  const tuned = tuning.map((t) => (included.includes(t) ? t : { ...t, preferred: Number.NaN }));
  const tb = series((win, dev) => tuningBias(data, win, dev), 'tb');
  const rb = series((win, dev) => rateBehaviorCorrelation(data, win, tuned, { deviations: dev }), 'rb');
  // Fano factor of accurate vs inaccurate flank trials in 100-ms windows, averaged over the last
  // 500 ms of the delay per unit (the paper's Fig. 6c,d), paired across units
  const fanoWins = Array.from({ length: 5 }, (_, i) => ({ startMs: w.delayEndMs - 500 + 100 * i, endMs: w.delayEndMs - 400 + 100 * i }));
  const byUnit = new Map<number, { acc: number[]; inacc: number[] }>();
  for (const fw of fanoWins) {
    for (const u of fanoAccurateInaccurate(data, fw, tuned, 'flank').perUnit) {
      const e = byUnit.get(u.unit) ?? { acc: [], inacc: [] };
      e.acc.push(u.accurate);
      e.inacc.push(u.inaccurate);
      byUnit.set(u.unit, e);
    }
  }
  const perUnitAcc = [...byUnit.values()].map((e) => mean(e.acc));
  const perUnitInacc = [...byUnit.values()].map((e) => mean(e.inacc));
  const fanoDiff = perUnitInacc.map((v, i) => v - perUnitAcc[i]);
  // pairwise noise correlations as in the paper's Fig. 7: spike counts in the last two 200-ms
  // bins of the delay, one value per pair (mean over the two bins and the class's cues)
  const corrWins = [400, 200].map((back) => ({ startMs: w.delayEndMs - back, endMs: w.delayEndMs - back + 200 }));
  const pairs = groupPairCorrelations(corrWins.map((cw) => noiseCorrelations(data, cw, tuned)));
  const group = (xs: number[]) => ({ mean: mean(xs), se: se(xs), n: xs.length });
  return {
    neurons: data.sessions.reduce((a, s) => a + s.counts.shape[1], 0),
    tuning: { meanStrength: mean(included.map((t) => t.strength)), included: included.length },
    tuningBias: tb.series,
    tuningBiasLate: tb.late,
    tuningBiasLateNoJumps: tb.lateNoJumps,
    rateBehavior: rb.series,
    rateBehaviorLate: rb.late,
    rateBehaviorLateNoJumps: rb.lateNoJumps,
    fano: {
      accurate: mean(perUnitAcc),
      inaccurate: mean(perUnitInacc),
      seAccurate: se(perUnitAcc),
      seInaccurate: se(perUnitInacc),
      p: signFlipTest(fanoDiff, rng.fork('fano'), Math.max(nPerm, 1000), 'greater'),
      units: fanoDiff.filter(Number.isFinite).length,
    },
    noiseCorr: {
      sameTuning: {
        ...group(pairs.sameTuning.flank),
        p: signFlipTest(pairs.sameTuning.flank, rng.fork('nc-same'), Math.max(nPerm, 1000), 'greater'),
      },
      sameTuningPeak: group(pairs.sameTuning.peak),
      sameTuningTail: group(pairs.sameTuning.tail),
      inBetween: {
        ...group(pairs.inBetween),
        p: signFlipTest(pairs.inBetween, rng.fork('nc-between'), Math.max(nPerm, 1000), 'less'),
      },
      other: group(pairs.other),
    },
  };
}
