/**
 * Intrinsic neuronal timescales from spike counts (Murray et al. 2014, Nat. Neurosci.;
 * Kim & Sejnowski 2021, wmRNN `data/autocorr_analysis_pfc3.m`, `model/fnc_get_models.m`).
 *
 * Counts are binned (Δ = 50 ms) in a period without task input (fixation), one row per trial.
 * For one unit, with c_i the counts in bin i across trials:
 *   R(k) = mean_i corr_trials(c_i, c_{i+k}),   k = 1..K   (Pearson across trials; NaN skipped)
 * Fit from the peak: if R rises to a peak at lag m (R(1..m) non-decreasing) with m ≤ 3,
 *   R(m + x − 1) ≈ A·(exp(−x·Δ/τ) + B),  x = 1, 2, …      (Levenberg–Marquardt)
 * Units are excluded for a mean rate < 3 Hz, a late peak (m > 3), NaN in R, τ > 500 ms,
 * τ < 0 or A < 0. The population timescale is the same fit on the mean (peak-aligned) R of
 * the included units. Long- and short-τ units are those above the 75th and below the 25th
 * percentile of the included units' τ.
 *
 * @example
 * ```ts
 * const res = neuronalTimescales(counts);   // counts: NDArray [trials, units, bins] (50-ms bins)
 * res.units[3].tauMs; res.population.tauMs; res.longUnits;
 * ```
 */
import { assertShape, assertValues, type NDArray, type NumericArray, ShapeError } from '@wmkit/tensor';
import { levenbergMarquardt } from './levenberg-marquardt';
import { pearson } from './stats';

/** Settings of the timescale analysis; `KIM2021_TIMESCALE_OPTIONS` holds the paper's (50-ms bins, lags 1–14, 3 Hz, τ ≤ 500 ms). */
export interface TimescaleOptions {
  /** Bin width of the counts (ms). */
  binMs: number;
  /** Largest lag K (bins). */
  maxLag: number;
  /** Units below this mean rate (Hz) are excluded. */
  minRateHz: number;
  /** Drop the first bin (Kim: 21 bins of the 1.05-s fixation period, first dropped). */
  dropFirstBin: boolean;
  /** Fits with τ above this (ms) are excluded. */
  maxTauMs: number;
  /** Largest peak lag accepted. */
  maxPeakLag: number;
}

/** Kim & Sejnowski 2021 (docs/models/analysis.md §Timescales). */
export const KIM2021_TIMESCALE_OPTIONS: TimescaleOptions = {
  binMs: 50,
  maxLag: 14,
  minRateHz: 3,
  dropFirstBin: true,
  maxTauMs: 500,
  maxPeakLag: 3,
};

/** Why a unit has a timescale or not ('ok', or the exclusion rule that dropped it). */
export type TimescaleStatus =
  | 'ok'
  | 'low-rate'
  | 'undefined-autocorrelation'
  | 'late-peak'
  | 'tau-out-of-range'
  | 'negative-amplitude'
  | 'fit-failed';

/** One unit's firing rate, fit and status in the timescale analysis. */
export interface UnitTimescale {
  unit: number;
  rateHz: number;
  status: TimescaleStatus;
  /** τ in ms when status is 'ok' (else the fitted value if any, or NaN). */
  tauMs: number;
  amplitude: number;
  offset: number;
  peakLag: number;
}

/** A fit R(k) = A·(exp(−kΔ/τ) + B) of an autocorrelation from its peak lag: τ (ms), A, B, the peak lag and the residual sum of squares. */
export interface ExponentialFit {
  tauMs: number;
  amplitude: number;
  offset: number;
  peakLag: number;
  sse: number;
}

/**
 * R(k), k = 1..maxLag, for one unit's counts [trials × bins] (row-major). Bin pairs where a bin
 * has no variance across trials give NaN correlations, which are skipped (MATLAB nanmean).
 */
export function spikeCountAutocorrelation(counts: ArrayLike<number>, trials: number, bins: number, maxLag: number): Float64Array {
  if (counts.length !== trials * bins)
    throw new ShapeError(`spikeCountAutocorrelation: ${counts.length} counts for ${trials} trials × ${bins} bins`);
  const cols: Float64Array[] = [];
  for (let i = 0; i < bins; i++) {
    const c = new Float64Array(trials);
    for (let r = 0; r < trials; r++) c[r] = counts[r * bins + i];
    cols.push(c);
  }
  const out = new Float64Array(maxLag).fill(Number.NaN);
  for (let k = 1; k <= maxLag; k++) {
    let s = 0;
    let n = 0;
    for (let i = 0; i + k < bins; i++) {
      const r = pearson(cols[i], cols[i + k]);
      if (!Number.isNaN(r)) {
        s += r;
        n++;
      }
    }
    if (n > 0) out[k - 1] = s / n;
  }
  return out;
}

/** Index (0-based, so lag = index + 1) of the peak: the last point of the initial rise. */
export function autocorrelationPeak(ac: ArrayLike<number>): number {
  let m = 0;
  while (m + 1 < ac.length && ac[m + 1] - ac[m] >= 0) m++;
  return m;
}

/** Fits A(exp(−xΔ/τ) + B), x = 1.., to `ac` from its peak (no exclusion rules applied). */
export function fitExponentialDecay(ac: ArrayLike<number>, binMs: number, fromIndex = autocorrelationPeak(ac)): ExponentialFit | null {
  const ys: number[] = [];
  for (let i = fromIndex; i < ac.length; i++) if (Number.isFinite(ac[i])) ys.push(ac[i]);
  if (ys.length < 4) return null;
  const xs = ys.map((_, i) => i + 1);
  const f = (x: number, p: number[]) => p[0] * (Math.exp(p[1] * x) + p[2]);
  const grad = (x: number, p: number[]) => {
    const e = Math.exp(p[1] * x);
    return [e + p[2], p[0] * x * e, p[0]];
  };
  const last = ys[ys.length - 1];
  const span = Math.max(Math.abs(ys[0] - last), 1e-3);
  let best: { params: number[]; sse: number } | null = null;
  // several starting decay rates; the best least-squares solution wins
  for (const b0 of [-2, -0.7, -0.25, -0.08]) {
    const a0 = Math.sign(ys[0] - last || 1) * span * Math.exp(-b0);
    const p0 = [a0, b0, last / a0];
    const r = levenbergMarquardt(f, xs, ys, p0, { gradient: grad });
    if (r.params.every(Number.isFinite) && (!best || r.sse < best.sse)) best = r;
  }
  if (!best) return null;
  const [A, b, B] = best.params;
  return { tauMs: (-1 / b) * binMs, amplitude: A, offset: B, peakLag: fromIndex + 1, sse: best.sse };
}

/** Per-unit and population timescales with the autocorrelations they were fitted to, and the long- and short-τ units. */
export interface TimescaleResult {
  options: TimescaleOptions;
  units: UnitTimescale[];
  /** R(k) per unit, [units × maxLag] row-major (NaN where undefined). */
  autocorrelation: Float64Array;
  /** Mean of the included units' R aligned at their peak. */
  meanAutocorrelation: Float64Array;
  /** Kim/Murray population fit: mean peak-aligned R of the included units. */
  population: ExponentialFit | null;
  /**
   * The same fit on the mean R of every unit above the rate limit, without per-unit exclusion or
   * peak alignment. The per-unit exclusion (τ > 500 ms, A < 0) preferentially drops noisy
   * long-τ fits and biases `population` low for long τ (−11% at τ = 200 ms with 50 trials ×
   * 20 bins; see timescales.test.ts); this estimate has no such selection.
   */
  populationAllUnits: ExponentialFit | null;
  /** Indices of units above the 75th / below the 25th percentile of τ (included units). */
  longUnits: number[];
  shortUnits: number[];
  quantiles: { q25: number; median: number; q75: number };
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  const pos = (sorted.length - 1) * q; // MATLAB's quantile interpolates on (n) midpoints; this is numpy's default
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** The fewest trials the across-trial autocorrelation needs. */
export const MIN_TIMESCALE_TRIALS = 3;

/**
 * Checks spike counts [trials, units, bins] before any analysis: shape, at least
 * MIN_TIMESCALE_TRIALS trials, every count finite and ≥ 0. The RangeError names `what` (the file
 * and variable) and the first bad element.
 */
export function checkSpikeCounts(what: string, counts: NDArray<NumericArray>): void {
  const { trials } = assertShape(what, counts.shape, ['trials', 'units', 'bins']);
  assertValues(what, counts.data, counts.shape, { min: 0 });
  if (trials < MIN_TIMESCALE_TRIALS)
    throw new ShapeError(`${what}: ${trials} trials are too few for across-trial correlations (need ≥ ${MIN_TIMESCALE_TRIALS})`);
}

/** Checks timescale options: bin width and lags (a 0-ms bin would report τ = 0 ms). */
export function checkTimescaleOptions(o: Partial<TimescaleOptions>): void {
  if (o.binMs !== undefined && !(Number.isFinite(o.binMs) && o.binMs > 0))
    throw new ShapeError(`timescales: bin width ${o.binMs} ms must be a finite number > 0`);
  for (const k of ['maxLag', 'maxPeakLag'] as const)
    if (o[k] !== undefined && !(Number.isInteger(o[k]) && (o[k] as number) >= 1))
      throw new ShapeError(`timescales: ${k} (${o[k]}) must be an integer ≥ 1`);
  if (o.minRateHz !== undefined && !(Number.isFinite(o.minRateHz) && o.minRateHz >= 0))
    throw new ShapeError(`timescales: minRateHz (${o.minRateHz}) must be a finite number ≥ 0`);
}

/** Timescales of every unit from counts [trials, units, bins]. */
export function neuronalTimescales(counts: NDArray, options: Partial<TimescaleOptions> = {}): TimescaleResult {
  checkTimescaleOptions(options);
  checkSpikeCounts('neuronalTimescales: counts', counts);
  const opt = { ...KIM2021_TIMESCALE_OPTIONS, ...options };
  const { trials, units, bins } = assertShape('neuronalTimescales: counts', counts.shape, ['trials', 'units', 'bins']);
  const first = opt.dropFirstBin ? 1 : 0;
  const nb = bins - first;
  if (nb < opt.maxLag + 2) throw new ShapeError(`neuronalTimescales: ${nb} bins cannot give lags up to ${opt.maxLag}`);
  const K = opt.maxLag;
  const ac = new Float64Array(units * K);
  const result: UnitTimescale[] = [];
  const aligned: number[][] = [];
  const allMean = new Float64Array(K);
  let allN = 0;
  const buf = new Float64Array(trials * nb);
  for (let u = 0; u < units; u++) {
    let total = 0;
    for (let r = 0; r < trials; r++)
      for (let i = 0; i < nb; i++) {
        const v = counts.data[(r * units + u) * bins + first + i];
        buf[r * nb + i] = v;
        total += v;
      }
    const rateHz = total / (trials * nb * (opt.binMs / 1000));
    const R = spikeCountAutocorrelation(buf, trials, nb, K);
    ac.set(R, u * K);
    const rec: UnitTimescale = {
      unit: u,
      rateHz,
      status: 'ok',
      tauMs: Number.NaN,
      amplitude: Number.NaN,
      offset: Number.NaN,
      peakLag: Number.NaN,
    };
    result.push(rec);
    if (rateHz < opt.minRateHz) {
      rec.status = 'low-rate';
      continue;
    }
    if (R.some((v) => Number.isNaN(v))) {
      rec.status = 'undefined-autocorrelation';
      continue;
    }
    for (let i = 0; i < K; i++) allMean[i] += R[i];
    allN++;
    const peak = autocorrelationPeak(R);
    rec.peakLag = peak + 1;
    if (peak + 1 > opt.maxPeakLag) {
      rec.status = 'late-peak';
      continue;
    }
    const fit = fitExponentialDecay(R, opt.binMs, peak);
    if (!fit) {
      rec.status = 'fit-failed';
      continue;
    }
    rec.tauMs = fit.tauMs;
    rec.amplitude = fit.amplitude;
    rec.offset = fit.offset;
    if (fit.amplitude < 0) rec.status = 'negative-amplitude';
    else if (!(fit.tauMs >= 0 && fit.tauMs <= opt.maxTauMs)) rec.status = 'tau-out-of-range';
    else aligned.push(Array.from(R.subarray(peak)));
  }
  const mean = new Float64Array(K).fill(Number.NaN);
  for (let i = 0; i < K; i++) {
    let s = 0;
    let n = 0;
    for (const a of aligned)
      if (i < a.length) {
        s += a[i];
        n++;
      }
    if (n) mean[i] = s / n;
  }
  const population = aligned.length ? fitExponentialDecay(mean, opt.binMs, 0) : null;
  for (let i = 0; i < K; i++) allMean[i] /= Math.max(1, allN);
  const populationAllUnits = allN ? fitExponentialDecay(allMean, opt.binMs) : null;
  const ok = result.filter((r) => r.status === 'ok');
  const taus = ok.map((r) => r.tauMs).sort((a, b) => a - b);
  const q = { q25: quantile(taus, 0.25), median: quantile(taus, 0.5), q75: quantile(taus, 0.75) };
  return {
    options: opt,
    units: result,
    autocorrelation: ac,
    meanAutocorrelation: mean,
    population,
    populationAllUnits,
    longUnits: ok.filter((r) => r.tauMs > q.q75).map((r) => r.unit),
    shortUnits: ok.filter((r) => r.tauMs < q.q25).map((r) => r.unit),
    quantiles: q,
  };
}

/** Log-spaced histogram bins of Kim & Sejnowski 2021 (10^0.7 … 10^2.7 ms). */
export function timescaleHistogram(
  tausMs: number[],
  edges: number[] = Array.from({ length: 21 }, (_, i) => 10 ** (0.7 + i * 0.1)),
): { edges: number[]; counts: number[] } {
  const counts = new Array(edges.length - 1).fill(0);
  for (const t of tausMs) {
    for (let i = 0; i < counts.length; i++) {
      if (t >= edges[i] && (t < edges[i + 1] || (i === counts.length - 1 && t === edges[i + 1]))) {
        counts[i]++;
        break;
      }
    }
  }
  return { edges, counts };
}
