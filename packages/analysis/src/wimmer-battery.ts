/**
 * The rest of the recordings analyses of Wimmer, Nykamp, Constantinidis & Compte 2014 (Nat.
 * Neurosci. 17:431) beyond the Fig. 8 subset in `bumpSignatures`, on any `OdrDataset`:
 *
 * - Fig. 1d: population delay tuning curve aligned to each unit's preferred cue (all units, and the
 *   halves with stronger and weaker tuning);
 * - Fig. 1e: tuning strength T against the mean delay rate (Pearson r, t-test p);
 * - Fig. 1f: rate-modulation index MI = (r_late − r_early)/(r_late + r_early) for the preferred cue
 *   (first vs last second of the delay; halves for delays < 2 s); per unit a Wilcoxon signed-rank
 *   test across trials; the population's Lilliefors normality test (simulated p), t test and
 *   Wilcoxon test of a zero mean; ramping-up cells (MI > 0, the paper's exclusion criterion);
 * - Fig. 1g: tuning stability: change of preferred angle and of T from the first to the last
 *   second, per unit a permutation test (early/late labels swapped per trial);
 * - Fig. 4e–g: R² of rate against behavioural deviation per unit and cue, corrected by the mean R²
 *   of surrogates with the deviations shuffled within cue (R² − R²_shuffle), by cue offset from the
 *   preferred cue in the last second, and averaged over cues in 1-s non-overlapping windows for
 *   tuned and non-tuned units;
 * - Fig. 5: the rate–behaviour correlation in sliding 1-s windows by cue offset from the preferred
 *   cue (0 preferred, 1 and 2 flank, ≥ 3 tail), with the centre of mass of the significant windows;
 * - Fig. 6d: Fano factor of inaccurate minus accurate trials for preferred, flank and tail cues
 *   (100-ms windows over the last 500 ms of the delay);
 * - Fig. 7: noise correlations in the first and the last two 200-ms bins of the delay, for pairs
 *   with the same preferred cue (peak, flank, tail cues) and pairs one cue apart (in-flank, peak,
 *   out-flank cues), t tests against 0 and paired late-vs-early tests.
 *
 * Rows that cannot be computed at the data's size are listed in `gaps` with the reason and what
 * would make them computable (more trials per cue, simultaneously recorded pairs, tuned units).
 */
import type { Rng } from '@wmkit/tensor';
import { angleDifference, circularMean } from './circular';
import { type Alternative, correlationTest, lillieforsTest, type TestResult, tTestOneSample, wilcoxonSignedRank } from './hypothesis-tests';
import {
  fanoAccurateInaccurate,
  noiseCorrelations,
  type OdrDataset,
  type PairCorrelation,
  type UnitTuning,
  windowRates,
} from './spatial-wm';
import { mean, pearson, signFlipTest, standardError } from './stats';
import { cueOffsetFromPreferred, preferredAngle, tuningCurve, tuningStrength } from './tuning';

/** A value over units (or pairs): mean, s.e.m., count. */
export interface Summary {
  mean: number;
  se: number;
  n: number;
}

/** A window's value with its s.e.m. over units and permutation p (one-sided, greater). */
export interface BatteryPoint {
  tMs: number;
  value: number;
  se: number;
  p: number;
  /** Units that contributed. */
  n: number;
}

/** A row that could not be computed at this size: why, and what would make it computable. */
export interface BatteryGap {
  /** The row (e.g. 'noiseCorrEpochs.late.sameTuning.peak'). */
  row: string;
  reason: string;
  /** Trials per cue per session (or unit) the row needs. */
  minTrialsPerCue?: number;
  /** The row needs simultaneously recorded pairs of units with a given tuning relation. */
  needsPairs?: boolean;
  /** The row needs units of a given kind (tuned, non-tuned, ramping). */
  needsUnits?: string;
}

/** Cue classes by offset from the preferred cue. */
export const RB_CLASSES = [
  { name: 'preferred', offsets: [0] },
  { name: 'flank 1', offsets: [1] },
  { name: 'flank 2', offsets: [2] },
  { name: 'tail', offsets: [3, 4, 5, 6, 7, 8] },
] as const;

/** What `wimmerBattery` finds. */
export interface WimmerBattery {
  /** The early and late windows of the delay (first and last second, or halves). */
  epochs: { early: { startMs: number; endMs: number }; late: { startMs: number; endMs: number } };
  /** Fewest trials of any cue in any session (what the per-cue statistics have to work with). */
  minTrialsPerCue: number;
  /** Fig. 1d: mean delay rate (Hz) at each offset from the preferred cue. */
  populationTuning: { offsets: number[]; all: Summary[]; strong: Summary[]; weak: Summary[]; medianStrength: number };
  /** Fig. 1e. */
  strengthVsRate: {
    r: number;
    p: number;
    n: number;
    rate: Summary & { sd: number };
    strength: Summary & { sd: number };
    /** Every unit's mean delay rate (Hz) and tuning strength, in the data set's unit order. */
    unitRateHz: number[];
    unitStrength: number[];
  };
  /** Per unit the tuning-significance p (cue labels shuffled; T as statistic) — tuned: p < 0.05. */
  tuningP: number[];
  tunedUnits: number;
  /** Fig. 1f. */
  modulation: {
    /** Per included unit (index over all units): MI and the Wilcoxon p of late vs early on preferred-cue trials. */
    perUnit: { unit: number; index: number; p: number }[];
    increase: number;
    decrease: number;
    unchanged: number;
    lilliefors: TestResult;
    tTest: TestResult;
    wilcoxon: TestResult;
    /** Units with MI > 0 (the paper's ramping-up exclusion). */
    rampingUp: number[];
    /** Rate–behaviour correlation (flank cues, last second) without the ramping-up units. */
    rateBehaviorNoRamping: BatteryPoint;
  };
  /** Fig. 1g. */
  stability: {
    /** Per unit: Δ preferred angle (rad, late − early), ΔT, permutation p of each. */
    perUnit: { unit: number; dPreferred: number; dStrength: number; pPreferred: number; pStrength: number }[];
    /** Circular mean Δ preferred (deg), median |Δ| (deg), sign-flip two-sided p of the mean. */
    preferred: { meanDeg: number; medianAbsDeg: number; p: number; changed: number; n: number };
    strength: { early: number; late: number; wilcoxon: TestResult; changed: number };
  };
  /** Fig. 4e–g. */
  r2: {
    /** Last second: corrected R² by signed cue offset from the preferred cue (tuned units). */
    byOffset: { offset: number; corrected: number; se: number; p: number; n: number }[];
    tuned: BatteryPoint[];
    nonTuned: BatteryPoint[];
    /** The same in the last second of the delay. */
    tunedLate: BatteryPoint;
    nonTunedLate: BatteryPoint;
  };
  /** Fig. 5: rate–behaviour correlation per cue class in sliding 1-s windows. */
  rateBehaviorByClass: {
    name: string;
    series: BatteryPoint[];
    late: BatteryPoint;
    /** Centre (ms) of mass of the significant windows inside the delay, and the first one (NaN: none). */
    centreOfMassMs: number;
    firstSignificantMs: number;
  }[];
  /** Fig. 6d: Fano inaccurate − accurate, last 500 ms, per unit; p: two-sided sign-flip test. */
  fanoByClass: {
    name: 'preferred' | 'flank' | 'tail';
    accurate: number;
    inaccurate: number;
    diff: number;
    se: number;
    p: number;
    n: number;
  }[];
  /** Fig. 7: per-pair correlations in the early and late delay by class. */
  noiseCorrEpochs: {
    classes: { name: string; early: Summary & TestResult; late: Summary & TestResult; change: Summary & TestResult }[];
  };
  gaps: BatteryGap[];
}

/** Windows and the tuning the battery shares with `bumpSignatures`. */
export interface BatteryInput {
  delayStartMs: number;
  delayEndMs: number;
  /** Centres (ms) of the sliding 1-s windows. */
  centresMs: number[];
  /** Delay tuning of every unit (order of the data set's units). */
  tuning: UnitTuning[];
  /** Units whose preferred angle is used (others: preferred NaN), as in `bumpSignatures`. */
  included: UnitTuning[];
  deviations: Float64Array[];
  /** Shuffles deviations within cue (a permutation). */
  shuffle: (rng: Rng) => Float64Array[];
}

const DEG = 180 / Math.PI;

function summary(xs: number[]): Summary {
  const f = xs.filter(Number.isFinite);
  return { mean: mean(f), se: standardError(f), n: f.length };
}

/** One-sided (greater) permutation p of each component; shuffles shared across components. */
function vectorPermutation(observed: number[], shuffled: (r: Rng) => number[], rng: Rng, n: number): { p: number[]; nullMean: number[] } {
  const k = observed.length;
  // nothing to test (no unit or pair had the trials): no shuffles, NaN p values
  if (!observed.some(Number.isFinite)) return { p: observed.map(() => Number.NaN), nullMean: observed.map(() => Number.NaN) };
  const extreme = new Float64Array(k);
  const count = new Float64Array(k);
  const sum = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const v = shuffled(rng.fork(`perm${i}`));
    for (let j = 0; j < k; j++) {
      if (!Number.isFinite(v[j])) continue;
      count[j]++;
      sum[j] += v[j];
      if (v[j] >= observed[j]) extreme[j]++;
    }
  }
  return {
    p: observed.map((o, j) => (Number.isFinite(o) && count[j] > 0 ? (1 + extreme[j]) / (1 + count[j]) : Number.NaN)),
    nullMean: observed.map((_, j) => (count[j] > 0 ? sum[j] / count[j] : Number.NaN)),
  };
}

/** Two-sided sign-flip p: twice the smaller one-sided p, at most 1. */
function signFlipTwoSided(xs: number[], rng: Rng, n: number): number {
  const g = signFlipTest(xs, rng.fork('g'), n, 'greater');
  const l = signFlipTest(xs, rng.fork('l'), n, 'less');
  return Number.isFinite(g) && Number.isFinite(l) ? Math.min(1, 2 * Math.min(g, l)) : Number.NaN;
}

/** Unit index → its session, index within the session and offset of every cue from its preferred cue. */
interface UnitInfo {
  session: number;
  unit: number;
  index: number;
  preferred: number;
  /** Signed offset (cue positions) of each cue from the preferred angle. */
  offset: number[];
  /** Sign of each cue's direction toward the preferred angle (+1: preferred is CCW of the cue). */
  toward: number[];
}

function unitInfos(data: OdrDataset, tuning: UnitTuning[]): UnitInfo[] {
  return tuning.map((t, index) => ({
    session: t.session,
    unit: t.unit,
    index,
    preferred: t.preferred,
    offset: Array.from(data.cueAngles, (_, c) =>
      Number.isFinite(t.preferred) ? cueOffsetFromPreferred(c, t.preferred, data.cueAngles) : Number.NaN,
    ),
    toward: Array.from(data.cueAngles, (a) => (Number.isFinite(t.preferred) ? Math.sign(angleDifference(t.preferred, a)) : Number.NaN)),
  }));
}

/** Each session's trials per cue. */
function trialsByCue(data: OdrDataset): number[][][] {
  return data.sessions.map((s) => {
    const by: number[][] = Array.from({ length: data.cueAngles.length }, () => []);
    for (let t = 0; t < s.cue.length; t++) by[s.cue[t]].push(t);
    return by;
  });
}

/**
 * A family of per-unit correlations of (sign · deviation) against a unit's rate over a set of its
 * trials, evaluated for the observed and for shuffled deviations: the core of the rate–behaviour
 * correlations (Fig. 4c, 5) and of the R² (Fig. 4e–g).
 */
interface CorrGroup {
  unit: number;
  session: number;
  trials: number[];
  signs: number[];
  ys: number[];
  /** Group label (class index, cue offset, …). */
  key: number;
}

function groupCorrelations(groups: CorrGroup[], devs: Float64Array[]): number[] {
  return groups.map((g) => {
    const dev = devs[g.session];
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < g.trials.length; i++) {
      const d = dev[g.trials[i]];
      if (!Number.isFinite(d)) continue;
      xs.push(g.signs[i] * d);
      ys.push(g.ys[i]);
    }
    return pearson(xs, ys);
  });
}

/** Mean over units of each key's per-unit values (a unit with several groups of one key: their mean first). */
function meanByKey(
  groups: CorrGroup[],
  values: number[],
  keys: number[],
  f: (r: number) => number = (r) => r,
): { mean: number[]; perUnit: number[][] } {
  const perUnit: number[][] = keys.map(() => []);
  const acc = new Map<string, number[]>();
  groups.forEach((g, i) => {
    if (!Number.isFinite(values[i])) return;
    const id = `${g.key}|${g.unit}`;
    const a = acc.get(id);
    if (a) a.push(f(values[i]));
    else acc.set(id, [f(values[i])]);
  });
  for (const [id, vs] of acc) {
    const k = keys.indexOf(Number(id.slice(0, id.indexOf('|'))));
    if (k >= 0) perUnit[k].push(mean(vs));
  }
  return { mean: perUnit.map((xs) => mean(xs)), perUnit };
}

/**
 * The Wimmer et al. 2014 analyses of Fig. 1d–g, 4e–g, 5, 6d and 7 on one data set (see the
 * module comment). `nPerm` shuffles per sliding window, at least 1,000 for the last second and
 * the population tests. Random streams are forked from `rng` by analysis and window.
 */
export function wimmerBattery(data: OdrDataset, input: BatteryInput, rng: Rng, nPerm: number): WimmerBattery {
  const { delayStartMs: ds, delayEndMs: de } = input;
  const nC = data.cueAngles.length;
  const half = Math.min(1000, (de - ds) / 2);
  const early = { startMs: ds, endMs: ds + half };
  const late = { startMs: de - half, endMs: de };
  const lastSecond = { startMs: de - 1000, endMs: de };
  const nLate = Math.max(nPerm, 1000);
  const gaps: BatteryGap[] = [];
  const byCue = trialsByCue(data);
  const minTrialsPerCue = Math.min(...byCue.map((s) => Math.min(...s.map((ts) => ts.length))));
  const includedSet = new Set(input.included.map((t) => `${t.session}:${t.unit}`));
  const isIncluded = (t: UnitTuning) => includedSet.has(`${t.session}:${t.unit}`);
  const tuned = input.tuning.map((t) => (isIncluded(t) ? t : { ...t, preferred: Number.NaN }));
  const infos = unitInfos(data, tuned);
  const ratesCache = new Map<string, Float64Array[][]>();
  const rates = (w: { startMs: number; endMs: number }) => {
    const key = `${w.startMs}:${w.endMs}`;
    let r = ratesCache.get(key);
    if (!r) {
      r = data.sessions.map((_, s) => windowRates(data, s, w));
      ratesCache.set(key, r);
    }
    return r;
  };
  const unitRates = (w: { startMs: number; endMs: number }, u: UnitInfo) => rates(w)[u.session][u.unit];
  const prefCue = (u: UnitInfo) => u.offset.indexOf(0);

  // Fig. 1d: aligned population tuning, all and by tuning strength
  const offsets = Array.from({ length: nC }, (_, i) => i - Math.floor((nC - 1) / 2));
  const delay = { startMs: ds, endMs: de };
  const incl = infos.filter((u) => Number.isFinite(u.preferred) && prefCue(u) >= 0);
  const aligned = incl.map((u) => {
    const tc = tuningCurve(unitRates(delay, u), data.sessions[u.session].cue, nC);
    const k = prefCue(u);
    return offsets.map((o) => tc[(((k + o) % nC) + nC) % nC]);
  });
  const strengths = incl.map((u) => input.tuning[u.index].strength);
  const sortedT = [...strengths].sort((a, b) => a - b);
  const medianStrength = sortedT.length ? sortedT[Math.floor((sortedT.length - 1) / 2)] : Number.NaN;
  const strongIdx = incl.map((_, i) => i).filter((i) => strengths[i] > medianStrength);
  const weakIdx = incl.map((_, i) => i).filter((i) => strengths[i] <= medianStrength);
  const col = (idx: number[], j: number) => summary(idx.map((i) => aligned[i][j]));
  const populationTuning = {
    offsets,
    all: offsets.map((_, j) =>
      col(
        incl.map((_, i) => i),
        j,
      ),
    ),
    strong: offsets.map((_, j) => col(strongIdx, j)),
    weak: offsets.map((_, j) => col(weakIdx, j)),
    medianStrength,
  };
  if (!incl.length)
    gaps.push({ row: 'populationTuning', reason: 'no unit has a delay rate ≥ 1 Hz and a defined preferred angle', needsUnits: 'tuned' });

  // Fig. 1e: tuning strength vs mean delay rate
  const rateHz = input.tuning.map((t) => t.meanRate);
  const tAll = input.tuning.map((t) => t.strength);
  const ct = correlationTest(rateHz, tAll);
  const sd = (xs: number[]) => {
    const f = xs.filter(Number.isFinite);
    const m = mean(f);
    return f.length > 1 ? Math.sqrt(f.reduce((a, x) => a + (x - m) ** 2, 0) / (f.length - 1)) : Number.NaN;
  };
  const strengthVsRate = {
    r: ct.statistic,
    p: ct.p,
    n: ct.n,
    rate: { ...summary(rateHz), sd: sd(rateHz) },
    strength: { ...summary(tAll), sd: sd(tAll) },
    unitRateHz: rateHz,
    unitStrength: tAll,
  };
  if (!Number.isFinite(ct.statistic))
    gaps.push({
      row: 'strengthVsRate',
      reason: `${ct.n} units with a finite rate and tuning strength (needs ≥ 4 with some spread)`,
      needsUnits: 'more recorded',
    });

  // tuning significance per unit: T against cue labels shuffled within the session
  const tuningP = infos.map((u) => {
    const r = unitRates(delay, u);
    const cue = data.sessions[u.session].cue;
    const obs = input.tuning[u.index].strength;
    if (!Number.isFinite(obs)) return Number.NaN;
    const ur = rng.fork(`tuning-${u.index}`);
    let extreme = 0;
    const nT = Math.max(nPerm, 200);
    const perm = Array.from(cue);
    for (let i = 0; i < nT; i++) {
      ur.shuffle(perm);
      if (tuningStrength(tuningCurve(r, perm, nC), data.cueAngles) >= obs) extreme++;
    }
    return (1 + extreme) / (1 + nT);
  });
  const isTuned = infos.map((u) => tuningP[u.index] < 0.05);
  const tunedUnits = isTuned.filter(Boolean).length;

  // Fig. 1f: rate-modulation index on preferred-cue trials
  const modPer: { unit: number; index: number; p: number; diff: number }[] = [];
  for (const u of incl) {
    const k = prefCue(u);
    const ts = byCue[u.session][k];
    const re = unitRates(early, u);
    const rl = unitRates(late, u);
    const me = mean(ts.map((t) => re[t]));
    const ml = mean(ts.map((t) => rl[t]));
    const index = me + ml > 0 ? (ml - me) / (ml + me) : Number.NaN;
    const diffs = ts.map((t) => rl[t] - re[t]);
    const w = wilcoxonSignedRank(diffs);
    modPer.push({ unit: u.index, index, p: w.p, diff: ml - me });
  }
  const mis = modPer.map((m) => m.index).filter(Number.isFinite);
  const sig = (m: { p: number }) => m.p < 0.05;
  const rampingUp = modPer.filter((m) => m.index > 0).map((m) => m.unit);
  const rampSet = new Set(rampingUp);
  if (mis.length < 4)
    gaps.push({
      row: 'modulation',
      reason: `${mis.length} units with preferred-cue trials and a delay rate > 0 (the population tests need ≥ 4)`,
      needsUnits: 'more tuned',
    });
  if (minTrialsPerCue < 6)
    gaps.push({
      row: 'modulation.perUnit',
      reason: `the per-unit Wilcoxon tests of late vs early delay rate use the preferred cue's trials: ${minTrialsPerCue} per cue cannot reach p < 0.05 (needs ≥ 6)`,
      minTrialsPerCue: 6,
    });

  // Fig. 4e–g and 5 share the per-unit correlation machinery
  const cueRates = (w: { startMs: number; endMs: number }, u: UnitInfo) => {
    const r = unitRates(w, u);
    const tc = tuningCurve(r, data.sessions[u.session].cue, nC);
    return { r, tc };
  };
  const rbGroups = (w: { startMs: number; endMs: number }, exclude?: Set<number>): CorrGroup[] => {
    const out: CorrGroup[] = [];
    for (const u of infos) {
      if (!Number.isFinite(u.preferred) || exclude?.has(u.index)) continue;
      const { r, tc } = cueRates(w, u);
      const cue = data.sessions[u.session].cue;
      RB_CLASSES.forEach((cls, key) => {
        const trials: number[] = [];
        const signs: number[] = [];
        const ys: number[] = [];
        for (let t = 0; t < cue.length; t++) {
          const off = Math.abs(u.offset[cue[t]]);
          if (!(cls.offsets as readonly number[]).includes(off)) continue;
          trials.push(t);
          signs.push(u.offset[cue[t]] !== 0 ? Math.sign(u.offset[cue[t]]) : u.toward[cue[t]]);
          ys.push(r[t] - tc[cue[t]]);
        }
        if (trials.length) out.push({ unit: u.index, session: u.session, trials, signs, ys, key });
      });
    }
    return out;
  };
  const classKeys = RB_CLASSES.map((_, i) => i);
  const rbPoint = (w: { startMs: number; endMs: number }, tMs: number, n: number, label: string, keys: number[], exclude?: Set<number>) => {
    const gs = rbGroups(w, exclude).filter((g) => keys.includes(g.key));
    const obs = meanByKey(gs, groupCorrelations(gs, input.deviations), keys);
    const perm = vectorPermutation(
      obs.mean,
      (r) => meanByKey(gs, groupCorrelations(gs, input.shuffle(r)), keys).mean,
      rng.fork(`${label}-${tMs}`),
      n,
    );
    return keys.map((_, j) => ({
      tMs,
      value: obs.mean[j],
      se: standardError(obs.perUnit[j]),
      p: perm.p[j],
      n: obs.perUnit[j].filter(Number.isFinite).length,
    }));
  };
  // the rate–behaviour correlation of Fig. 4c (flank cues) without the ramping-up units
  const rbNoRamp = (() => {
    const groups = rbGroups(lastSecond, rampSet)
      .filter((g) => g.key === 1 || g.key === 2)
      .map((g) => ({ ...g, key: 0 }));
    // a unit's two flank classes pooled into one correlation, as in Fig. 4
    const pooled = new Map<number, CorrGroup>();
    for (const g of groups) {
      const p = pooled.get(g.unit);
      if (p) {
        p.trials.push(...g.trials);
        p.signs.push(...g.signs);
        p.ys.push(...g.ys);
      } else pooled.set(g.unit, { ...g, trials: [...g.trials], signs: [...g.signs], ys: [...g.ys] });
    }
    const gs = [...pooled.values()].sort((a, b) => a.unit - b.unit);
    const obs = meanByKey(gs, groupCorrelations(gs, input.deviations), [0]);
    const perm = vectorPermutation(
      obs.mean,
      (r) => meanByKey(gs, groupCorrelations(gs, input.shuffle(r)), [0]).mean,
      rng.fork('rb-noramp'),
      nLate,
    );
    return {
      tMs: (lastSecond.startMs + lastSecond.endMs) / 2,
      value: obs.mean[0],
      se: standardError(obs.perUnit[0]),
      p: perm.p[0],
      n: obs.perUnit[0].filter(Number.isFinite).length,
    };
  })();
  if (!(rbNoRamp.n > 0))
    gaps.push({
      row: 'modulation.rateBehaviorNoRamping',
      reason: 'no unit without ramping-up activity has flank trials with a rate–behaviour correlation',
      needsUnits: 'tuned',
    });

  const modulation = {
    perUnit: modPer.map(({ unit, index, p }) => ({ unit, index, p })),
    increase: modPer.filter((m) => sig(m) && m.diff > 0).length,
    decrease: modPer.filter((m) => sig(m) && m.diff < 0).length,
    unchanged: modPer.filter((m) => !sig(m)).length,
    lilliefors: lillieforsTest(mis, rng.fork('lilliefors'), 2000),
    tTest: tTestOneSample(mis),
    wilcoxon: wilcoxonSignedRank(mis),
    rampingUp,
    rateBehaviorNoRamping: rbNoRamp,
  };

  // Fig. 1g: tuning stability, first vs last second of the delay
  const stabPer: WimmerBattery['stability']['perUnit'] = [];
  for (const u of incl) {
    const re = unitRates(early, u);
    const rl = unitRates(late, u);
    const cue = data.sessions[u.session].cue;
    const stat = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      const ta = tuningCurve(a, cue, nC);
      const tb = tuningCurve(b, cue, nC);
      return {
        dp: angleDifference(preferredAngle(tb, data.cueAngles), preferredAngle(ta, data.cueAngles)),
        dt: tuningStrength(tb, data.cueAngles) - tuningStrength(ta, data.cueAngles),
      };
    };
    const obs = stat(re, rl);
    if (!Number.isFinite(obs.dp) || !Number.isFinite(obs.dt)) continue;
    const ur = rng.fork(`stability-${u.index}`);
    const nS = Math.max(nPerm, 200);
    let exP = 0;
    let exT = 0;
    let nOk = 0;
    const a = Float64Array.from(re);
    const b = Float64Array.from(rl);
    for (let i = 0; i < nS; i++) {
      for (let t = 0; t < a.length; t++) {
        const swap = ur.uint32() & 1;
        a[t] = swap ? rl[t] : re[t];
        b[t] = swap ? re[t] : rl[t];
      }
      const s = stat(a, b);
      if (!Number.isFinite(s.dp) || !Number.isFinite(s.dt)) continue;
      nOk++;
      if (Math.abs(s.dp) >= Math.abs(obs.dp)) exP++;
      if (Math.abs(s.dt) >= Math.abs(obs.dt)) exT++;
    }
    stabPer.push({
      unit: u.index,
      dPreferred: obs.dp,
      dStrength: obs.dt,
      pPreferred: nOk ? (1 + exP) / (1 + nOk) : Number.NaN,
      pStrength: nOk ? (1 + exT) / (1 + nOk) : Number.NaN,
    });
  }
  const dps = stabPer.map((s) => s.dPreferred);
  const absDeg = dps.map((x) => Math.abs(x) * DEG).sort((x, y) => x - y);
  const stability = {
    perUnit: stabPer,
    preferred: {
      meanDeg: dps.length ? circularMean(dps) * DEG : Number.NaN,
      medianAbsDeg: absDeg.length ? absDeg[Math.floor((absDeg.length - 1) / 2)] : Number.NaN,
      p: signFlipTwoSided(dps, rng.fork('stability-pref'), nLate),
      changed: stabPer.filter((s) => s.pPreferred < 0.05).length,
      n: stabPer.length,
    },
    strength: {
      early: Number.NaN,
      late: Number.NaN,
      wilcoxon: wilcoxonSignedRank(stabPer.map((s) => s.dStrength)),
      changed: stabPer.filter((s) => s.pStrength < 0.05).length,
    },
  };
  // mean T of the early and of the late window
  stability.strength.early = mean(
    stabPer.map((s) => {
      const u = infos[s.unit];
      return tuningStrength(tuningCurve(unitRates(early, u), data.sessions[u.session].cue, nC), data.cueAngles);
    }),
  );
  stability.strength.late = mean(
    stabPer.map((s) => {
      const u = infos[s.unit];
      return tuningStrength(tuningCurve(unitRates(late, u), data.sessions[u.session].cue, nC), data.cueAngles);
    }),
  );
  if (!stabPer.length)
    gaps.push({ row: 'stability', reason: 'no unit has defined tuning in both the early and the late delay', needsUnits: 'tuned' });

  // Fig. 4e–g: R² per unit and cue, shuffle-corrected
  const r2Groups = (w: { startMs: number; endMs: number }, unitsOf: (u: UnitInfo) => boolean, byOffset: boolean): CorrGroup[] => {
    const out: CorrGroup[] = [];
    for (const u of infos) {
      if (!unitsOf(u)) continue;
      const r = unitRates(w, u);
      for (let c = 0; c < nC; c++) {
        const trials = byCue[u.session][c];
        if (trials.length < 4) continue;
        const key = byOffset ? u.offset[c] : 0;
        if (!Number.isFinite(key)) continue;
        out.push({ unit: u.index, session: u.session, trials, signs: trials.map(() => 1), ys: trials.map((t) => r[t]), key });
      }
    }
    return out;
  };
  const sq = (r: number) => r * r;
  const r2Point = (
    w: { startMs: number; endMs: number },
    tMs: number,
    n: number,
    label: string,
    unitsOf: (u: UnitInfo) => boolean,
  ): BatteryPoint => {
    const gs = r2Groups(w, unitsOf, false);
    const obs = meanByKey(gs, groupCorrelations(gs, input.deviations), [0], sq);
    const perm = vectorPermutation(
      obs.mean,
      (r) => meanByKey(gs, groupCorrelations(gs, input.shuffle(r)), [0], sq).mean,
      rng.fork(`${label}-${tMs}`),
      n,
    );
    return {
      tMs,
      value: obs.mean[0] - perm.nullMean[0],
      se: standardError(obs.perUnit[0]),
      p: perm.p[0],
      n: obs.perUnit[0].length,
    };
  };
  const tunedOf = (u: UnitInfo) => isTuned[u.index];
  const nonTunedOf = (u: UnitInfo) => !isTuned[u.index] && input.tuning[u.index].meanRate > 0;
  const tEnd = Math.min(...data.sessions.map((s) => s.counts.shape[2])) * data.binMs;
  const blocks: { startMs: number; endMs: number }[] = [];
  for (let e = de; e - 1000 >= -1e-9; e -= 1000) blocks.unshift({ startMs: e - 1000, endMs: e });
  for (let s = de; s + 1000 <= tEnd + 1e-9; s += 1000) blocks.push({ startMs: s, endMs: s + 1000 });
  const offsetKeys = offsets;
  const byOffset = (() => {
    const gs = r2Groups(lastSecond, (u) => tunedOf(u) && Number.isFinite(u.preferred), true);
    const obs = meanByKey(gs, groupCorrelations(gs, input.deviations), offsetKeys, sq);
    const perm = vectorPermutation(
      obs.mean,
      (r) => meanByKey(gs, groupCorrelations(gs, input.shuffle(r)), offsetKeys, sq).mean,
      rng.fork('r2-offset'),
      nLate,
    );
    return offsetKeys.map((offset, j) => ({
      offset,
      corrected: obs.mean[j] - perm.nullMean[j],
      se: standardError(obs.perUnit[j]),
      p: perm.p[j],
      n: obs.perUnit[j].length,
    }));
  })();
  const r2 = {
    byOffset,
    tuned: blocks.map((b) => r2Point(b, (b.startMs + b.endMs) / 2, nPerm, 'r2-tuned', tunedOf)),
    nonTuned: blocks.map((b) => r2Point(b, (b.startMs + b.endMs) / 2, nPerm, 'r2-nontuned', nonTunedOf)),
    tunedLate: r2Point(lastSecond, de - 500, nLate, 'r2-tuned-late', tunedOf),
    nonTunedLate: r2Point(lastSecond, de - 500, nLate, 'r2-nontuned-late', nonTunedOf),
  };
  if (minTrialsPerCue < 4)
    gaps.push({
      row: 'r2',
      reason: `R² per unit and cue needs ≥ 4 trials of the cue; the data hold ${minTrialsPerCue}`,
      minTrialsPerCue: 4,
    });
  if (!tunedUnits)
    gaps.push({ row: 'r2.tuned', reason: 'no unit is significantly tuned in the delay (permutation p < 0.05)', needsUnits: 'tuned' });
  if (!infos.some(nonTunedOf))
    gaps.push({
      row: 'r2.nonTuned',
      reason: 'every active unit is significantly tuned: there is no non-tuned group',
      needsUnits: 'non-tuned',
    });

  // Fig. 5: rate–behaviour correlation by cue class through the trial
  const seriesByWindow = input.centresMs.map((c) => rbPoint({ startMs: c - 500, endMs: c + 500 }, c, nPerm, 'rb-class', classKeys));
  const lateByClass = rbPoint(lastSecond, de - 500, nLate, 'rb-class-late', classKeys);
  const rateBehaviorByClass = RB_CLASSES.map((cls, j) => {
    const series = seriesByWindow.map((pts) => pts[j]);
    const sigT = series.filter((p) => p.p < 0.05 && p.value > 0 && p.tMs - 500 >= ds - 1e-9 && p.tMs <= de + 1e-9).map((p) => p.tMs);
    return {
      name: cls.name,
      series,
      late: lateByClass[j],
      centreOfMassMs: sigT.length ? mean(sigT) : Number.NaN,
      firstSignificantMs: sigT.length ? sigT[0] : Number.NaN,
    };
  });

  // Fig. 6d: Fano difference per cue class
  const fanoWins = Array.from({ length: 5 }, (_, i) => ({ startMs: de - 500 + 100 * i, endMs: de - 400 + 100 * i }));
  const fanoByClass = (['preferred', 'flank', 'tail'] as const).map((name) => {
    const byUnit = new Map<number, { a: number[]; b: number[] }>();
    for (const fw of fanoWins) {
      for (const u of fanoAccurateInaccurate(data, fw, tuned, name).perUnit) {
        const e = byUnit.get(u.unit) ?? { a: [], b: [] };
        e.a.push(u.accurate);
        e.b.push(u.inaccurate);
        byUnit.set(u.unit, e);
      }
    }
    const acc = [...byUnit.values()].map((e) => mean(e.a));
    const inacc = [...byUnit.values()].map((e) => mean(e.b));
    const diffs = inacc.map((v, i) => v - acc[i]).filter(Number.isFinite);
    if (!diffs.length)
      gaps.push({
        row: `fanoByClass.${name}`,
        reason: `0 units with ${name} trials split into accurate and inaccurate halves (needs ≥ 4 trials per cue; the data hold ${minTrialsPerCue})`,
        minTrialsPerCue: 4,
      });
    return {
      name,
      accurate: mean(acc),
      inaccurate: mean(inacc),
      diff: mean(diffs),
      se: standardError(diffs),
      p: signFlipTwoSided(diffs, rng.fork(`fano-${name}`), nLate),
      n: diffs.length,
    };
  });

  // Fig. 7: noise correlations early vs late in the delay
  const bins = (from: number) => [0, 200].map((o) => ({ startMs: from + o, endMs: from + o + 200 }));
  const pairClasses = (wins: { startMs: number; endMs: number }[]) => {
    const acc = new Map<string, number[]>();
    const add = (cls: string, pc: PairCorrelation) => {
      const key = `${cls}|${pc.session}:${pc.unitA}:${pc.unitB}`;
      const l = acc.get(key);
      if (l) l.push(pc.r);
      else acc.set(key, [pc.r]);
    };
    for (const w of wins) {
      for (const pc of noiseCorrelations(data, w, tuned)) {
        const k = Math.min(Math.abs(pc.offsetA), Math.abs(pc.offsetB));
        if (pc.tuningDifference === 0) add(k === 0 ? 'same: peak' : k <= 2 ? 'same: flank' : 'same: tail', pc);
        else if (pc.tuningDifference === 2) {
          if (pc.cueRelation === 'in-between') add('one apart: in-flank', pc);
          else if (k === 0) add('one apart: peak', pc);
          else if (k === 1) add('one apart: out-flank', pc);
        }
      }
    }
    const out = new Map<string, Map<string, number>>();
    for (const [key, rs] of acc) {
      const cls = key.slice(0, key.indexOf('|'));
      const m = out.get(cls) ?? new Map<string, number>();
      m.set(key.slice(key.indexOf('|') + 1), mean(rs));
      out.set(cls, m);
    }
    return out;
  };
  const earlyPairs = pairClasses(bins(ds));
  const latePairs = pairClasses(bins(de - 400));
  const classNames = ['same: peak', 'same: flank', 'same: tail', 'one apart: in-flank', 'one apart: peak', 'one apart: out-flank'];
  const tested = (xs: number[], alt: Alternative) => ({ ...summary(xs), ...tTestOneSample(xs, alt) });
  const noiseCorrEpochs = {
    classes: classNames.map((name) => {
      const e = earlyPairs.get(name) ?? new Map<string, number>();
      const l = latePairs.get(name) ?? new Map<string, number>();
      const alt: Alternative = name === 'one apart: in-flank' ? 'less' : 'two-sided';
      const paired = [...l.keys()].filter((k) => e.has(k)).map((k) => (l.get(k) as number) - (e.get(k) as number));
      if (!l.size)
        gaps.push({
          row: `noiseCorrEpochs.${name}`,
          reason:
            minTrialsPerCue < 3
              ? `0 pairs: the correlations need ≥ 3 trials per cue in a session; the data hold ${minTrialsPerCue}`
              : '0 pairs with this tuning relation among the simultaneously recorded units',
          minTrialsPerCue: minTrialsPerCue < 3 ? 3 : undefined,
          needsPairs: true,
        });
      return { name, early: tested([...e.values()], alt), late: tested([...l.values()], alt), change: tested(paired, alt) };
    }),
  };

  return {
    epochs: { early, late },
    minTrialsPerCue,
    populationTuning,
    strengthVsRate,
    tuningP,
    tunedUnits,
    modulation,
    stability,
    r2,
    rateBehaviorByClass,
    fanoByClass,
    noiseCorrEpochs,
    gaps,
  };
}
