/**
 * The neural analyses of Wimmer, Nykamp, Constantinidis & Compte 2014 that distinguish a bump
 * attractor from discrete or decaying representations, on a dataset layout shared by recordings
 * and model surrogates.
 *
 * Dataset: sessions, each with per-trial cue (index), response (rad; NaN if none) and spike
 * counts [trials, units, bins] of its simultaneously recorded units, bins of `binMs` from trial
 * start. Units of one session share trials (pairs for noise correlations).
 *
 *  - tuning bias (Fig. 3): per unit and cue, trials split by the sign of the behavioural
 *    deviation (CW < 0 ≤ CCW); CW and CCW tuning curves; bias = wrap(centre_CW − centre_CCW),
 *    averaged over units. A bump drifting with behaviour makes it positive.
 *  - rate–behaviour correlation (Fig. 4): per unit, flank trials (cue 1–2 positions from the
 *    preferred); deviation signed positive toward the preferred location; Pearson correlation of
 *    rate (minus the cue's mean rate) and deviation; averaged over units.
 *  - Fano factor of accurate vs inaccurate trials (|deviation| below / above its median),
 *    with equal trial counts, per window.
 *  - noise correlations: per simultaneously recorded pair and cue, correlation of counts across
 *    trials; grouped by the pair's preferred-angle difference and the cue's position.
 */
import { assertValues, ShapeError } from '@wmkit/tensor';
import { angleDifference, circularMean } from './circular';
import { mean, pearson } from './stats';
import { behavioralDeviation, cueOffsetFromPreferred, preferredAngle, tuningCurve, tuningStrength } from './tuning';

/** One session: cue and response per trial and the spike counts of its simultaneously recorded units. */
export interface OdrSession {
  /** Cue index per trial (0..nCues−1). */
  cue: ArrayLike<number>;
  /** Response angle per trial (rad), NaN when there was none. */
  response: ArrayLike<number>;
  /** Spike counts [trials, units, bins]. */
  counts: { data: ArrayLike<number>; shape: number[] };
}

/** Sessions of an oculomotor delayed-response experiment (recorded or surrogate), with the cue angles and the bin width of the counts. */
export interface OdrDataset {
  sessions: OdrSession[];
  /** Angle of each cue (rad). */
  cueAngles: Float32Array | number[];
  binMs: number;
}

/** A time window [startMs, endMs) relative to trial start. */
export interface Window {
  startMs: number;
  endMs: number;
}

interface UnitView {
  session: number;
  unit: number;
  rates: Float64Array; // per trial, in the window (Hz)
}

function checkDataset(d: OdrDataset): void {
  d.sessions.forEach((s, i) => {
    const [trials, units, bins] = s.counts.shape;
    if (s.counts.shape.length !== 3)
      throw new ShapeError(`session ${i}: counts must be [trials, units, bins], got [${s.counts.shape.join(', ')}]`);
    if (s.cue.length !== trials || s.response.length !== trials) {
      throw new ShapeError(`session ${i}: ${trials} trials of counts but ${s.cue.length} cues and ${s.response.length} responses`);
    }
    if (units * bins * trials !== s.counts.data.length)
      throw new ShapeError(`session ${i}: counts hold ${s.counts.data.length} values, not ${trials}·${units}·${bins}`);
  });
}

/**
 * Checks a data set's values before any analysis (a NaN count would give NaN statistics, whose
 * permutation p-values mean nothing): counts finite and ≥ 0, cues whole numbers indexing
 * `cueAngles`, responses finite angles or NaN (no response), cue angles finite, bin width > 0.
 * `where(field, i)` names session i's field (or, without i, the data set's) in errors, e.g.
 * "data.mat: sessions(2).counts".
 */
export function checkOdrDataset(
  d: OdrDataset,
  where: (field: string, session?: number) => string = (f, i) => (i === undefined ? f : `session ${i}: ${f}`),
): void {
  checkDataset(d);
  if (!(Number.isFinite(d.binMs) && d.binMs > 0))
    throw new ShapeError(`${where('bin_ms')}: bin width ${d.binMs} ms must be a finite number > 0`);
  assertValues(where('cue_angles'), d.cueAngles, [d.cueAngles.length]);
  d.sessions.forEach((s, i) => {
    assertValues(where('counts', i), s.counts.data, s.counts.shape, { min: 0 });
    assertValues(where('cue', i), s.cue, [s.cue.length], { min: 0, max: d.cueAngles.length - 1, integer: true });
    for (let t = 0; t < s.response.length; t++) {
      const r = s.response[t];
      if (!Number.isNaN(r) && !Number.isFinite(r))
        throw new ShapeError(`${where('response', i)}: element [${t}] is ${r} (expected an angle in rad, or NaN for no response)`);
    }
  });
}

/** Rate (Hz) of every unit in every trial within a window. */
export function windowRates(d: OdrDataset, s: number, w: Window): Float64Array[] {
  return cachedWindowRates(d, s, w).map((r) => r.slice());
}

/**
 * Window rates are computed once per counts array and window: the permutation tests evaluate the
 * same statistic on the same windows hundreds of times, and summing strided counts dominated
 * their cost. Keyed by the counts array itself, so a data set's counts are taken as immutable.
 */
const rateCache = new WeakMap<ArrayLike<number>, Map<string, Float64Array[]>>();

function cachedWindowRates(d: OdrDataset, s: number, w: Window): Float64Array[] {
  const sess = d.sessions[s];
  const [trials, units, bins] = sess.counts.shape;
  const b0 = Math.max(0, Math.floor(w.startMs / d.binMs + 1e-9));
  const b1 = Math.min(bins, Math.floor(w.endMs / d.binMs + 1e-9));
  if (b1 <= b0) throw new ShapeError(`window ${w.startMs}–${w.endMs} ms holds no ${d.binMs}-ms bin`);
  const data = sess.counts.data;
  let byWindow = rateCache.get(data);
  if (!byWindow) {
    byWindow = new Map();
    rateCache.set(data, byWindow);
  }
  const key = `${b0}:${b1}:${d.binMs}`;
  const hit = byWindow.get(key);
  if (hit) return hit;
  const dur = ((b1 - b0) * d.binMs) / 1000;
  const rates = Array.from({ length: units }, () => new Float64Array(trials));
  for (let t = 0; t < trials; t++)
    for (let u = 0; u < units; u++) {
      let c = 0;
      const base = (t * units + u) * bins;
      for (let b = b0; b < b1; b++) c += data[base + b];
      rates[u][t] = c / dur;
    }
  byWindow.set(key, rates);
  return rates;
}

function units(d: OdrDataset, w: Window): UnitView[] {
  const out: UnitView[] = [];
  d.sessions.forEach((_, s) => {
    cachedWindowRates(d, s, w).forEach((rates, unit) => {
      out.push({ session: s, unit, rates });
    });
  });
  return out;
}

/** A unit's delay tuning: preferred angle, tuning strength and its trial-averaged rate per cue. */
export interface UnitTuning {
  session: number;
  unit: number;
  preferred: number;
  strength: number;
  meanRate: number;
}

/** Tuning of every unit from its rates in `w` (e.g. the delay). */
export function unitTuning(d: OdrDataset, w: Window): UnitTuning[] {
  checkDataset(d);
  const nC = d.cueAngles.length;
  return units(d, w).map((u) => {
    const tc = tuningCurve(u.rates, d.sessions[u.session].cue, nC);
    return {
      session: u.session,
      unit: u.unit,
      preferred: preferredAngle(tc, d.cueAngles),
      strength: tuningStrength(tc, d.cueAngles),
      meanRate: mean(u.rates),
    };
  });
}

/** Behavioural deviation of every trial of every session (rad). */
export function sessionDeviations(d: OdrDataset): Float64Array[] {
  checkDataset(d);
  return d.sessions.map((s) => behavioralDeviation(s.response, s.cue, d.cueAngles.length));
}

/**
 * Mean tuning bias (rad) over units in window `w`; `tuning` fixes each unit's preferred angle
 * (from the delay); `deviations` may be shuffled within cue for a permutation null.
 */
export function tuningBias(d: OdrDataset, w: Window, devs?: Float64Array[]): { mean: number; perUnit: number[] } {
  checkDataset(d);
  const deviations = devs ?? sessionDeviations(d);
  const nC = d.cueAngles.length;
  const perUnit: number[] = [];
  for (const u of units(d, w)) {
    const s = d.sessions[u.session];
    const dev = deviations[u.session];
    const cw = new Float64Array(nC);
    const ccw = new Float64Array(nC);
    const ncw = new Float64Array(nC);
    const nccw = new Float64Array(nC);
    for (let t = 0; t < u.rates.length; t++) {
      if (!Number.isFinite(dev[t])) continue;
      const c = s.cue[t];
      if (dev[t] < 0) {
        cw[c] += u.rates[t];
        ncw[c]++;
      } else {
        ccw[c] += u.rates[t];
        nccw[c]++;
      }
    }
    if ([...ncw, ...nccw].some((n) => n === 0)) continue; // needs both halves for every cue
    const cCW = preferredAngle(
      cw.map((v, c) => v / ncw[c]),
      d.cueAngles,
    );
    const cCCW = preferredAngle(
      ccw.map((v, c) => v / nccw[c]),
      d.cueAngles,
    );
    if (Number.isFinite(cCW) && Number.isFinite(cCCW)) perUnit.push(angleDifference(cCW, cCCW));
  }
  return { mean: mean(perUnit), perUnit };
}

/**
 * Mean rate–behaviour correlation over units in `w`, for flank cues (1 or 2 positions from the
 * preferred angle); deviation signed positive toward the preferred location; the unit's rate
 * minus its mean for the cue. `preferred` comes from the delay (unitTuning); `minTuning` keeps
 * tuned units only.
 */
export function rateBehaviorCorrelation(
  d: OdrDataset,
  w: Window,
  tuning: UnitTuning[],
  opts: { minTuning?: number; deviations?: Float64Array[] } = {},
): { mean: number; perUnit: number[] } {
  checkDataset(d);
  const nC = d.cueAngles.length;
  const deviations = opts.deviations ?? sessionDeviations(d);
  const perUnit: number[] = [];
  const views = units(d, w);
  views.forEach((u, idx) => {
    const tu = tuning[idx];
    if (!tu || tu.session !== u.session || tu.unit !== u.unit)
      throw new ShapeError('rateBehaviorCorrelation: tuning does not match the units of the dataset');
    if (!Number.isFinite(tu.preferred) || (opts.minTuning != null && !(tu.strength >= opts.minTuning))) return;
    const s = d.sessions[u.session];
    const dev = deviations[u.session];
    const cueMean = tuningCurve(u.rates, s.cue, nC);
    const xs: number[] = [];
    const ys: number[] = [];
    for (let t = 0; t < u.rates.length; t++) {
      const off = cueOffsetFromPreferred(s.cue[t], tu.preferred, d.cueAngles);
      if (Math.abs(off) < 1 || Math.abs(off) > 2 || !Number.isFinite(dev[t])) continue;
      xs.push(Math.sign(off) * dev[t]); // toward the preferred location > 0
      ys.push(u.rates[t] - cueMean[s.cue[t]]);
    }
    const r = pearson(xs, ys);
    if (Number.isFinite(r)) perUnit.push(r);
  });
  return { mean: mean(perUnit), perUnit };
}

/** Shuffles each session's deviations among trials of the same cue (permutation null). */
export function shuffleWithinCue(
  d: OdrDataset,
  deviations: Float64Array[],
  rng: { shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T },
): Float64Array[] {
  return deviations.map((dev, s) => {
    const out = dev.slice();
    const cue = d.sessions[s].cue;
    for (let c = 0; c < d.cueAngles.length; c++) {
      const idx: number[] = [];
      for (let t = 0; t < cue.length; t++) if (cue[t] === c) idx.push(t);
      const vals = rng.shuffle(idx.map((t) => dev[t]));
      idx.forEach((t, i) => {
        out[t] = vals[i];
      });
    }
    return out;
  });
}

/**
 * Fano factors of accurate vs inaccurate trials for each unit's flank (or preferred, or tail: ≥ 3
 * positions away) cues in
 * window `w`: per unit and cue, trials split at the median |deviation|, equal counts; returns
 * the mean Fano factor over units for each group, and per unit (`unit`: index over all sessions'
 * units, as in `tuning`) for units with flank trials in both groups.
 */
export function fanoAccurateInaccurate(
  d: OdrDataset,
  w: Window,
  tuning: UnitTuning[],
  which: 'flank' | 'preferred' | 'tail' = 'flank',
): { accurate: number; inaccurate: number; perUnit: { unit: number; accurate: number; inaccurate: number }[] } {
  checkDataset(d);
  const nC = d.cueAngles.length;
  const deviations = sessionDeviations(d);
  const perUnit: { unit: number; accurate: number; inaccurate: number }[] = [];
  units(d, w).forEach((u, idx) => {
    const tu = tuning[idx];
    if (!Number.isFinite(tu.preferred)) return;
    const s = d.sessions[u.session];
    const dev = deviations[u.session];
    const dur = (w.endMs - w.startMs) / 1000;
    const acc: number[] = [];
    const inacc: number[] = [];
    for (let c = 0; c < nC; c++) {
      const off = Math.abs(cueOffsetFromPreferred(c, tu.preferred, d.cueAngles));
      if (which === 'flank' ? off < 1 || off > 2 : which === 'tail' ? off < 3 : off !== 0) continue;
      const trials: number[] = [];
      for (let t = 0; t < u.rates.length; t++) if (s.cue[t] === c && Number.isFinite(dev[t])) trials.push(t);
      if (trials.length < 4) continue;
      trials.sort((a, b) => Math.abs(dev[a]) - Math.abs(dev[b]));
      const half = Math.floor(trials.length / 2);
      const fano = (ts: number[]) => {
        const counts = ts.map((t) => u.rates[t] * dur);
        const m = mean(counts);
        const v = counts.reduce((a, x) => a + (x - m) ** 2, 0) / (counts.length - 1);
        return m > 0 ? v / m : Number.NaN;
      };
      acc.push(fano(trials.slice(0, half)));
      inacc.push(fano(trials.slice(trials.length - half)));
    }
    const a = mean(acc);
    const b = mean(inacc);
    if (Number.isFinite(a) && Number.isFinite(b)) perUnit.push({ unit: idx, accurate: a, inaccurate: b });
  });
  return { accurate: mean(perUnit.map((x) => x.accurate)), inaccurate: mean(perUnit.map((x) => x.inaccurate)), perUnit };
}

/** The noise correlation of one pair of units in one window and cue condition, with the pair's tuning relation. */
export interface PairCorrelation {
  session: number;
  unitA: number;
  unitB: number;
  cue: number;
  /** |preferred-angle difference| in cue positions (0 = same tuning). */
  tuningDifference: number;
  /** Cue position relative to the pair: 'in-between' (between the two preferred angles), 'preferred' (a unit's preferred cue), 'other'. */
  cueRelation: 'in-between' | 'preferred' | 'other';
  /** The cue's signed offset (in cue positions) from unit A's and from unit B's preferred angle. */
  offsetA: number;
  offsetB: number;
  r: number;
}

/** Noise correlations of simultaneously recorded pairs per cue, in window `w`. */
export function noiseCorrelations(d: OdrDataset, w: Window, tuning: UnitTuning[]): PairCorrelation[] {
  checkDataset(d);
  const nC = d.cueAngles.length;
  const out: PairCorrelation[] = [];
  let idx = 0;
  d.sessions.forEach((s, si) => {
    const rates = cachedWindowRates(d, si, w);
    const tus = tuning.slice(idx, idx + rates.length);
    idx += rates.length;
    for (let a = 0; a < rates.length; a++) {
      for (let b = a + 1; b < rates.length; b++) {
        const pa = tus[a].preferred;
        const pb = tus[b].preferred;
        if (!Number.isFinite(pa) || !Number.isFinite(pb)) continue;
        const step = (2 * Math.PI) / nC;
        const diff = Math.round(Math.abs(angleDifference(pa, pb)) / step);
        const mid = circularMean([pa, pb]);
        for (let c = 0; c < nC; c++) {
          const ts: number[] = [];
          for (let t = 0; t < s.cue.length; t++) if (s.cue[t] === c) ts.push(t);
          if (ts.length < 3) continue;
          const r = pearson(
            ts.map((t) => rates[a][t]),
            ts.map((t) => rates[b][t]),
          );
          if (!Number.isFinite(r)) continue;
          const offA = cueOffsetFromPreferred(c, pa, d.cueAngles);
          const offB = cueOffsetFromPreferred(c, pb, d.cueAngles);
          const between = diff >= 2 && Math.abs(angleDifference(d.cueAngles[c], mid)) < step / 2 + 1e-9 && offA !== 0 && offB !== 0;
          out.push({
            session: si,
            unitA: a,
            unitB: b,
            cue: c,
            tuningDifference: diff,
            cueRelation: between ? 'in-between' : offA === 0 || offB === 0 ? 'preferred' : 'other',
            offsetA: offA,
            offsetB: offB,
            r,
          });
        }
      }
    }
  });
  return out;
}

/** Per-pair noise correlations grouped as in Wimmer et al. 2014, Fig. 7e,f. */
export interface PairCorrelationGroups {
  /**
   * Pairs with the same preferred cue: one value per pair, its mean r over the windows and the
   * cues of each class — peak (offset 0), flank (1–2 positions), tail (≥ 3), the offset being the
   * nearer of the two units'.
   */
  sameTuning: { peak: number[]; flank: number[]; tail: number[] };
  /** Pairs whose preferred cues have one cue between them: per pair, r for that cue (window mean). */
  inBetween: number[];
  /** Pairs with different preferred cues, cues preferred by neither and not in between (pair means). */
  other: number[];
}

/**
 * Groups the pair correlations of one or more windows (`noiseCorrelations` per window) into one
 * value per pair and class, so that tests run across pairs (the independent samples), not across
 * pair × cue × window entries.
 */
export function groupPairCorrelations(windows: PairCorrelation[][]): PairCorrelationGroups {
  const acc = new Map<string, number[]>();
  const add = (group: string, pc: PairCorrelation) => {
    const key = `${group}|${pc.session}:${pc.unitA}:${pc.unitB}`;
    const list = acc.get(key);
    if (list) list.push(pc.r);
    else acc.set(key, [pc.r]);
  };
  for (const pcs of windows) {
    for (const pc of pcs) {
      if (pc.tuningDifference === 0) {
        const k = Math.min(Math.abs(pc.offsetA), Math.abs(pc.offsetB));
        add(k === 0 ? 'peak' : k <= 2 ? 'flank' : 'tail', pc);
      } else if (pc.tuningDifference === 2 && pc.cueRelation === 'in-between') add('between', pc);
      else if (pc.cueRelation === 'other') add('other', pc);
    }
  }
  const groups: Record<string, number[]> = { peak: [], flank: [], tail: [], between: [], other: [] };
  for (const [key, rs] of acc) groups[key.slice(0, key.indexOf('|'))].push(mean(rs));
  return {
    sameTuning: { peak: groups.peak, flank: groups.flank, tail: groups.tail },
    inBetween: groups.between,
    other: groups.other,
  };
}
