/**
 * The neural signatures of bump-attractor dynamics that Wimmer, Nykamp, Constantinidis & Compte
 * (2014, Nat. Neurosci. 17:431) test in prefrontal recordings of an oculomotor delayed-response
 * task, on any data set of trials with cues, responses and spike counts — recorded units or a
 * model's surrogate recordings:
 *
 * - tuning bias (the paper's Fig. 3): centre of the tuning curve of trials ending clockwise minus
 *   counter-clockwise of the cue, in sliding 1-s windows and in the last second of the delay;
 * - rate–behaviour correlation (Fig. 4): a unit's rate against the response deviation towards its
 *   preferred angle, for flank cues;
 * - Fano factors of accurate vs inaccurate flank trials (Fig. 6c,d) in 100-ms windows over the last
 *   500 ms of the delay;
 * - pairwise noise correlations (Fig. 7e,f) in the last two 200-ms bins of the delay.
 *
 * p values are one-sided permutation tests: behaviour shuffled against activity within each cue
 * (series), or signs flipped per unit / pair (Fano factors, noise correlations).
 */
import { type Rng, runSteps, type StepGenerator } from '@wmkit/tensor';
import { angleDifference } from './circular';
import {
  fanoAccurateInaccurate,
  groupPairCorrelations,
  noiseCorrelations,
  type OdrDataset,
  rateBehaviorCorrelation,
  sessionDeviations,
  shuffleWithinCue,
  tuningBias,
  unitTuning,
} from './spatial-wm';
import { mean, permutationTestSteps, signFlipTest } from './stats';
import { type WimmerBattery, wimmerBattery } from './wimmer-battery';

/** The analysis windows of one data set. */
export interface SignatureWindows {
  delayStartMs: number;
  delayEndMs: number;
  /** Centres (ms) of the sliding 1-s windows of the tuning-bias and rate–behaviour series. */
  centresMs: number[];
}

/** One value of a series: at `tMs`, its s.e.m. over units and its permutation p value. */
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

/** What `bumpSignatures` finds in one data set. */
export interface BumpSignatures {
  /** Units in all sessions. */
  neurons: number;
  /** Mean tuning strength of the tuned units (preferred angle defined, delay rate ≥ 1 Hz) and their number. */
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
  /**
   * The rest of the paper's analyses of the recordings (Fig. 1d–g, 4e–g, 5, 6d, 7: `wimmerBattery`),
   * with the rows this data set is too small for in `battery.gaps`, and the gaps of the rows above.
   * Absent when `opts.battery` is false.
   */
  battery?: WimmerBattery;
  /** Rows of this result that could not be computed at the data's size, with why (see `BatteryGap`). */
  gaps?: WimmerBattery['gaps'];
}

/** Options of `bumpSignatures`. */
export interface BumpSignatureOptions {
  /** Run the full battery of `wimmerBattery` as well (default true). */
  battery?: boolean;
}

/** Standard error of the mean of the finite values (NaN for fewer than 2). */
export function sem(xs: number[]): number {
  const f = xs.filter(Number.isFinite);
  if (f.length < 2) return Number.NaN;
  const m = mean(f);
  return Math.sqrt(f.reduce((a, x) => a + (x - m) ** 2, 0) / (f.length - 1) / f.length);
}

/**
 * The neural signatures of a bump attractor (Wimmer et al. 2014) in one data set. `nPerm`
 * shuffles per sliding window; at least 1,000 for the last second of the delay and the pair and
 * Fano tests. Random streams are forked from `rng` by test and window, so the result does not
 * depend on the order of the tests.
 */
export function bumpSignatures(
  data: OdrDataset,
  w: SignatureWindows,
  rng: Rng,
  nPerm: number,
  opts: BumpSignatureOptions = {},
): BumpSignatures {
  return runSteps(bumpSignaturesSteps(data, w, rng, nPerm, opts));
}

/** `bumpSignatures` as a step generator (yields after every shuffle of its permutation tests), for `runStepsYielding`; same results. */
export function* bumpSignaturesSteps(
  data: OdrDataset,
  w: SignatureWindows,
  rng: Rng,
  nPerm: number,
  opts: BumpSignatureOptions = {},
): StepGenerator<BumpSignatures> {
  const delay = { startMs: w.delayStartMs, endMs: w.delayEndMs };
  const tuning = unitTuning(data, delay);
  const included = tuning.filter((t) => Number.isFinite(t.preferred) && t.meanRate >= 1);
  const deviations = sessionDeviations(data);
  const late = { startMs: w.delayEndMs - 1000, endMs: w.delayEndMs };
  const half = Math.PI / data.cueAngles.length; // half a cue spacing
  const noJumps = deviations.map((dv) => dv.map((v) => (Math.abs(v) <= half ? v : Number.NaN)));
  type Stat = (win: { startMs: number; endMs: number }, dev: Float64Array[]) => { mean: number; perUnit: number[] };
  function* point(
    stat: Stat,
    devs: Float64Array[],
    win: { startMs: number; endMs: number },
    tMs: number,
    n: number,
    label: string,
  ): StepGenerator<SeriesPoint> {
    const obs = stat(win, devs);
    const p = (yield* permutationTestSteps(obs.mean, (r) => stat(win, shuffleWithinCue(data, devs, r)).mean, rng.fork(`${label}-${tMs}`), {
      n,
      tail: 'greater',
    })).p;
    return { tMs, value: obs.mean, se: sem(obs.perUnit), p };
  }
  const lateCentre = (late.startMs + late.endMs) / 2;
  function* series(stat: Stat, label: string): StepGenerator<{ series: SeriesPoint[]; late: SeriesPoint; lateNoJumps: SeriesPoint }> {
    const points: SeriesPoint[] = [];
    for (const c of w.centresMs) points.push(yield* point(stat, deviations, { startMs: c - 500, endMs: c + 500 }, c, nPerm, label));
    const lateP = yield* point(stat, deviations, late, lateCentre, Math.max(nPerm, 1000), label);
    const lateNoJumps = yield* point(stat, noJumps, late, lateCentre, Math.max(nPerm, 1000), `${label}-nojump`);
    return { series: points, late: lateP, lateNoJumps };
  }
  const tuned = tuning.map((t) => (included.includes(t) ? t : { ...t, preferred: Number.NaN }));
  const tb = yield* series((win, dev) => tuningBias(data, win, dev), 'tb');
  const rb = yield* series((win, dev) => rateBehaviorCorrelation(data, win, tuned, { deviations: dev }), 'rb');
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
  const fanoDiff = perUnitInacc.map((v, i) => v - (perUnitAcc[i] as number));
  // pairwise noise correlations as in the paper's Fig. 7: spike counts in the last two 200-ms
  // bins of the delay, one value per pair (mean over the two bins and the class's cues)
  const corrWins = [400, 200].map((back) => ({ startMs: w.delayEndMs - back, endMs: w.delayEndMs - back + 200 }));
  const pairs = groupPairCorrelations(corrWins.map((cw) => noiseCorrelations(data, cw, tuned)));
  const group = (xs: number[]) => ({ mean: mean(xs), se: sem(xs), n: xs.length });
  const battery =
    opts.battery === false
      ? undefined
      : wimmerBattery(
          data,
          {
            delayStartMs: w.delayStartMs,
            delayEndMs: w.delayEndMs,
            centresMs: w.centresMs,
            tuning,
            included,
            deviations,
            shuffle: (r) => shuffleWithinCue(data, deviations, r),
          },
          rng.fork('battery'),
          nPerm,
        );
  const minPerCue = minTrialsPerCue(data);
  const gaps: WimmerBattery['gaps'] = [];
  if (!included.length)
    gaps.push({ row: 'tuning', reason: 'no unit has a delay rate ≥ 1 Hz and a defined preferred angle', needsUnits: 'tuned' });
  if (!fanoDiff.some(Number.isFinite))
    gaps.push({
      row: 'fano',
      reason: `0 units with flank trials split into accurate and inaccurate halves: needs ≥ 4 trials per cue, the data hold ${minPerCue}`,
      minTrialsPerCue: 4,
    });
  const pairGap = (row: string, n: number, what: string) => {
    if (n > 0) return;
    gaps.push({
      row,
      reason:
        minPerCue < 3
          ? `0 pairs: the correlations need ≥ 3 trials per cue in a session, the data hold ${minPerCue}`
          : `0 ${what} among the simultaneously recorded units`,
      minTrialsPerCue: minPerCue < 3 ? 3 : undefined,
      needsPairs: true,
    });
  };
  pairGap('noiseCorr.sameTuning', pairs.sameTuning.flank.length, 'pairs with the same preferred cue');
  pairGap('noiseCorr.sameTuningPeak', pairs.sameTuning.peak.length, 'pairs with the same preferred cue');
  pairGap('noiseCorr.sameTuningTail', pairs.sameTuning.tail.length, 'pairs with the same preferred cue');
  pairGap('noiseCorr.inBetween', pairs.inBetween.length, 'pairs one cue apart');
  pairGap('noiseCorr.other', pairs.other.length, 'pairs');
  for (const [row, pt] of [
    ['tuningBiasLate', tb.late],
    ['tuningBiasLateNoJumps', tb.lateNoJumps],
    ['rateBehaviorLate', rb.late],
    ['rateBehaviorLateNoJumps', rb.lateNoJumps],
  ] as const) {
    if (!Number.isFinite(pt.value))
      gaps.push({
        row,
        reason: row.startsWith('tuningBias')
          ? 'no unit has clockwise and counter-clockwise trials for every cue'
          : 'no tuned unit has flank trials with a finite correlation',
        minTrialsPerCue: minPerCue < 4 ? 4 : undefined,
      });
  }
  return {
    neurons: data.sessions.reduce((a, s) => a + (s.counts.shape[1] as number), 0),
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
      seAccurate: sem(perUnitAcc),
      seInaccurate: sem(perUnitInacc),
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
    battery,
    gaps,
  };
}

/** Fewest trials of any cue in any session. */
function minTrialsPerCue(d: OdrDataset): number {
  let min = Number.POSITIVE_INFINITY;
  for (const s of d.sessions) {
    const n = new Array<number>(d.cueAngles.length).fill(0);
    for (let t = 0; t < s.cue.length; t++) n[s.cue[t]]++;
    min = Math.min(min, ...n);
  }
  return Number.isFinite(min) ? min : 0;
}

/** Sliding 1-s window centres every 250 ms from `fromMs` + 500 to `toMs` − 500 (both ends included). */
export function slidingCentresMs(fromMs: number, toMs: number, stepMs = 250): number[] {
  const out: number[] = [];
  for (let c = fromMs + 500; c <= toMs - 500 + 1e-9; c += stepMs) out.push(c);
  return out;
}

/** Behavioural errors (response − cue, wrapped to (−180°, 180°]) in degrees. */
export function responseErrorsDeg(response: ArrayLike<number>, cueAngle: ArrayLike<number>): number[] {
  return Array.from(response, (r, b) => (angleDifference(r, cueAngle[b] as number) * 180) / Math.PI);
}

/**
 * Spread of the responses: the SD of the errors (about 0, the cue), and the same without the
 * trials whose error exceeds half the cue spacing (22.5° for 8 cues) — jumps to another
 * attractor in the discrete model — with the fraction of such trials. Wimmer et al. 2014
 * (Fig. 8b) compare the models' behavioural variability; a few jumps dominate a plain SD.
 */
export function responseSpread(errorsDeg: number[], halfSpacingDeg = 22.5): { sdDeg: number; sdNoJumpsDeg: number; jumpFraction: number } {
  const rms = (xs: number[]) => (xs.length ? Math.sqrt(xs.reduce((a, e) => a + e * e, 0) / xs.length) : Number.NaN);
  const kept = errorsDeg.filter((e) => Math.abs(e) <= halfSpacingDeg);
  return {
    sdDeg: rms(errorsDeg),
    sdNoJumpsDeg: rms(kept),
    jumpFraction: errorsDeg.length ? (errorsDeg.length - kept.length) / errorsDeg.length : Number.NaN,
  };
}
