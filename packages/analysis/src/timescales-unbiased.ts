/**
 * Timescales without the finite-window bias: a Bayesian estimate of each unit's τ from the
 * covariance of its binned spike counts across trials.
 *
 * The paper's estimator (Kim & Sejnowski 2021, after Murray et al. 2014) fits A(exp(−kΔ/τ) + B)
 * to 14 lags of an autocorrelation computed from 50 trials × 20 bins, then drops fits with
 * τ > 500 ms. With a 1-s window the decay of a 400-ms process is barely seen, the free offset B
 * absorbs the tail, noisy long fits are dropped, and the per-unit median comes out far too low
 * (Zeraati et al. 2022, Nat. Comput. Sci. 2:193, show the same bias for autocorrelations of short
 * windows and correct it by approximate Bayesian computation, "abcTau").
 *
 * Here the finite protocol is modelled exactly instead of simulated: each trial's count vector
 * c ∈ ℝᵖ (p bins of width Δ, the per-bin mean across trials removed) is taken as Gaussian with
 *   Cov(c) = s·[ρ·K_τ + (1 − ρ)·I]
 * where K_τ is the correlation matrix of an Ornstein–Uhlenbeck rate of time constant τ integrated
 * over the bins (for bins i ≠ j, k = |i − j|:
 *   K(k) = τ(1 − e^{−Δ/τ})² e^{−(k−1)Δ/τ} / (2(Δ − τ(1 − e^{−Δ/τ}))) ),
 * ρ the fraction of the count variance that is rate fluctuation (the rest is spiking noise), and
 * s the count variance. This is the exact second-order structure of a doubly stochastic Poisson
 * process with an OU rate, for a window of exactly the recorded length, so nothing is lost to
 * truncation. Priors: log τ uniform on a grid (default 5 ms … 5 s), ρ uniform on (0, 1), s
 * Jeffreys (1/s, integrated analytically: the marginal is Q^{−νp/2}·det(M)^{−ν/2}, Q = tr(M⁻¹S),
 * ν = trials − 1). The posterior of τ on the grid gives the median (the estimate) and the
 * equal-tailed credible interval. The population τ multiplies the units' likelihoods (one τ
 * shared by all included units).
 *
 * Assumptions: stationary rate fluctuations within the window; no slow drift from trial to trial
 * (the paper's offset B); the Gaussian likelihood uses only the counts' second moments, so for
 * sparse counts the interval is approximate. A unit whose interval spans most of the τ grid is
 * marked 'unconstrained' (its counts carry no timescale: e.g. Poisson firing).
 *
 * @example
 * ```ts
 * const res = unbiasedTimescales(counts);        // counts [trials, units, bins], 50-ms bins
 * res.units[3].tauMs; res.units[3].lowerMs; res.units[3].upperMs; res.population.tauMs;
 * ```
 */
import { assertShape, type NDArray, ShapeError } from '@wmkit/tensor';
import { checkSpikeCounts } from './timescales';

/** Settings of the unbiased estimator (defaults: `UNBIASED_TIMESCALE_OPTIONS`). */
export interface UnbiasedTimescaleOptions {
  /** Bin width of the counts (ms). */
  binMs: number;
  /** Drop the first bin (as the paper's analysis of the 1.05-s fixation period). */
  dropFirstBin: boolean;
  /** Units below this mean rate (Hz) are excluded. */
  minRateHz: number;
  /**
   * The τ grid: log-spaced from `tauMinMs` to `tauMaxMs` with `tauPoints` points (the prior's
   * support). Defaults: half a bin to 100 bins (25 ms – 5 s for 50-ms bins). A τ well under a bin
   * leaves almost no correlation between neighbouring bins, so it cannot be told from a shorter one;
   * a grid reaching further down only drags the posterior of short-τ units towards its lower end.
   */
  tauMinMs: number;
  tauMaxMs: number;
  tauPoints: number;
  /** Grid points of ρ (fraction of count variance from rate fluctuations) on (0, 1). */
  rhoPoints: number;
  /** Probability of the equal-tailed credible interval. */
  credibleLevel: number;
  /** A unit is 'unconstrained' when its interval covers more than this fraction of the log-τ grid. */
  maxIntervalFraction: number;
}

/** Defaults: the paper's binning (50 ms, first bin dropped, 3 Hz), τ grid 25 ms – 5 s, 95% intervals. */
export const UNBIASED_TIMESCALE_OPTIONS: UnbiasedTimescaleOptions = {
  binMs: 50,
  dropFirstBin: true,
  minRateHz: 3,
  tauMinMs: 25,
  tauMaxMs: 5000,
  tauPoints: 61,
  rhoPoints: 24,
  credibleLevel: 0.95,
  maxIntervalFraction: 0.6,
};

/** Why a unit has an unbiased τ estimate or not. */
export type UnbiasedTimescaleStatus = 'ok' | 'low-rate' | 'no-variance' | 'unconstrained';

/** One unit's posterior summary. */
export interface UnbiasedUnitTimescale {
  unit: number;
  rateHz: number;
  status: UnbiasedTimescaleStatus;
  /** Posterior median of τ (ms); NaN for 'low-rate' and 'no-variance'. */
  tauMs: number;
  /** Lower and upper ends of the credible interval (ms). */
  lowerMs: number;
  upperMs: number;
  /** Posterior mean of ρ, the fraction of the count variance due to rate fluctuations. */
  rho: number;
}

/** Per-unit and population posteriors of τ. */
export interface UnbiasedTimescaleResult {
  options: UnbiasedTimescaleOptions;
  units: UnbiasedUnitTimescale[];
  /** The τ grid (ms). */
  tauGridMs: Float64Array;
  /** Posterior probability of each grid τ per unit, [units × tauPoints] (zeros for excluded units). */
  posterior: Float64Array;
  /** Population τ: posterior of one τ shared by the 'ok' units (null when none). */
  population: { tauMs: number; lowerMs: number; upperMs: number } | null;
  /** Quantiles of the 'ok' units' τ. */
  quantiles: { q25: number; median: number; q75: number };
}

/** Correlation of two bins k apart of an OU process (time constant tau) integrated over bins of width dt. */
export function binnedOuCorrelation(k: number, tau: number, dt: number): number {
  if (k === 0) return 1;
  const e = Math.exp(-dt / tau);
  const c0 = 2 * tau * (dt - tau * (1 - e));
  return (tau * tau * (1 - e) ** 2 * Math.exp(-((k - 1) * dt) / tau)) / c0;
}

/**
 * In-place Cholesky factorisation and inverse of a small SPD matrix (p ≤ a few dozen). Written
 * here because the grid needs thousands of 20 × 20 inverses in a tight loop and no dependency of
 * this package offers dense linear algebra. Returns log det, or NaN when not positive definite.
 */
function invertSpd(a: Float64Array, p: number, inv: Float64Array): number {
  const L = new Float64Array(p * p);
  let logdet = 0;
  for (let j = 0; j < p; j++) {
    let d = a[j * p + j];
    for (let k = 0; k < j; k++) d -= L[j * p + k] ** 2;
    if (!(d > 0)) return Number.NaN;
    const ljj = Math.sqrt(d);
    L[j * p + j] = ljj;
    logdet += 2 * Math.log(ljj);
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j];
      for (let k = 0; k < j; k++) s -= L[i * p + k] * L[j * p + k];
      L[i * p + j] = s / ljj;
    }
  }
  // inverse of L (lower triangular), then inv = L⁻ᵀ L⁻¹
  const Li = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    Li[j * p + j] = 1 / L[j * p + j];
    for (let i = j + 1; i < p; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i * p + k] * Li[k * p + j];
      Li[i * p + j] = s / L[i * p + i];
    }
  }
  for (let i = 0; i < p; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < p; k++) s += Li[k * p + i] * Li[k * p + j];
      inv[i * p + j] = s;
      inv[j * p + i] = s;
    }
  return logdet;
}

function checkUnbiasedOptions(o: UnbiasedTimescaleOptions): void {
  if (!(Number.isFinite(o.binMs) && o.binMs > 0))
    throw new ShapeError(`unbiasedTimescales: bin width ${o.binMs} ms must be a finite number > 0`);
  if (!(o.tauMinMs > 0 && o.tauMaxMs > o.tauMinMs))
    throw new ShapeError(`unbiasedTimescales: τ grid ${o.tauMinMs}–${o.tauMaxMs} ms needs 0 < tauMinMs < tauMaxMs`);
  for (const k of ['tauPoints', 'rhoPoints'] as const)
    if (!(Number.isInteger(o[k]) && o[k] >= 2)) throw new ShapeError(`unbiasedTimescales: ${k} (${o[k]}) must be an integer ≥ 2`);
  if (!(o.credibleLevel > 0 && o.credibleLevel < 1))
    throw new ShapeError(`unbiasedTimescales: credibleLevel (${o.credibleLevel}) must be between 0 and 1`);
}

/** The q-quantile of a discrete posterior on a log grid (linear interpolation of the CDF in log τ). */
function posteriorQuantile(post: Float64Array, logGrid: Float64Array, q: number): number {
  // cell-centred CDF: point g carries its mass around logGrid[g]
  let acc = 0;
  for (let g = 0; g < post.length; g++) {
    const next = acc + post[g];
    if (next >= q) {
      const f = post[g] > 0 ? (q - acc) / post[g] : 0.5;
      const half = g + 1 < logGrid.length ? (logGrid[g + 1] - logGrid[g]) / 2 : (logGrid[g] - logGrid[g - 1]) / 2;
      const lo = g > 0 ? (logGrid[g] + logGrid[g - 1]) / 2 : logGrid[g] - half;
      const hi = g + 1 < logGrid.length ? (logGrid[g] + logGrid[g + 1]) / 2 : logGrid[g] + half;
      return Math.exp(lo + f * (hi - lo));
    }
    acc = next;
  }
  return Math.exp(logGrid[logGrid.length - 1]);
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Posterior of τ per unit (and for the population) from counts [trials, units, bins]. */
export function unbiasedTimescales(counts: NDArray, options: Partial<UnbiasedTimescaleOptions> = {}): UnbiasedTimescaleResult {
  const binMs = options.binMs ?? UNBIASED_TIMESCALE_OPTIONS.binMs;
  // the grid follows the bin width unless given
  const opt = { ...UNBIASED_TIMESCALE_OPTIONS, tauMinMs: binMs / 2, tauMaxMs: binMs * 100, ...options };
  checkUnbiasedOptions(opt);
  checkSpikeCounts('unbiasedTimescales: counts', counts);
  const { trials, units, bins } = assertShape('unbiasedTimescales: counts', counts.shape, ['trials', 'units', 'bins']);
  const first = opt.dropFirstBin ? 1 : 0;
  const p = bins - first;
  if (p < 3) throw new ShapeError(`unbiasedTimescales: ${p} bins are too few (need ≥ 3)`);
  const G = opt.tauPoints;
  const J = opt.rhoPoints;
  const logGrid = Float64Array.from(
    { length: G },
    (_, g) => Math.log(opt.tauMinMs) + (g / (G - 1)) * Math.log(opt.tauMaxMs / opt.tauMinMs),
  );
  const tauGridMs = logGrid.map(Math.exp);
  const rhos = Float64Array.from({ length: J }, (_, j) => (j + 0.5) / J);

  // M(τ, ρ)⁻¹ and log det M for every grid point: shared by all units
  const pp = p * p;
  const inv = new Float64Array(G * J * pp);
  const logdet = new Float64Array(G * J);
  const M = new Float64Array(pp);
  for (let g = 0; g < G; g++) {
    const kvals = Float64Array.from({ length: p }, (_, k) => binnedOuCorrelation(k, tauGridMs[g], opt.binMs));
    for (let j = 0; j < J; j++) {
      for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) M[a * p + b] = rhos[j] * kvals[Math.abs(a - b)] + (a === b ? 1 - rhos[j] : 0);
      logdet[g * J + j] = invertSpd(M, p, inv.subarray((g * J + j) * pp, (g * J + j + 1) * pp));
    }
  }

  const nu = trials - 1;
  const posterior = new Float64Array(units * G);
  const popLog = new Float64Array(G);
  const result: UnbiasedUnitTimescale[] = [];
  const S = new Float64Array(pp);
  const x = new Float64Array(trials * p);
  const logPost = new Float64Array(G);
  const rhoLog = new Float64Array(G * J);
  const fullLog = Math.log(opt.tauMaxMs / opt.tauMinMs);
  for (let u = 0; u < units; u++) {
    let total = 0;
    for (let r = 0; r < trials; r++)
      for (let i = 0; i < p; i++) {
        const v = counts.data[(r * units + u) * bins + first + i];
        x[r * p + i] = v;
        total += v;
      }
    const rateHz = total / (trials * p * (opt.binMs / 1000));
    const rec: UnbiasedUnitTimescale = {
      unit: u,
      rateHz,
      status: 'ok',
      tauMs: Number.NaN,
      lowerMs: Number.NaN,
      upperMs: Number.NaN,
      rho: Number.NaN,
    };
    result.push(rec);
    if (rateHz < opt.minRateHz) {
      rec.status = 'low-rate';
      continue;
    }
    // scatter matrix of the counts about the per-bin mean across trials
    for (let i = 0; i < p; i++) {
      let m = 0;
      for (let r = 0; r < trials; r++) m += x[r * p + i];
      m /= trials;
      for (let r = 0; r < trials; r++) x[r * p + i] -= m;
    }
    S.fill(0);
    for (let r = 0; r < trials; r++)
      for (let a = 0; a < p; a++) {
        const xa = x[r * p + a];
        for (let b = 0; b <= a; b++) S[a * p + b] += xa * x[r * p + b];
      }
    let trace = 0;
    for (let a = 0; a < p; a++) {
      trace += S[a * p + a];
      for (let b = 0; b < a; b++) S[b * p + a] = S[a * p + b];
    }
    if (!(trace > 0)) {
      rec.status = 'no-variance';
      continue;
    }
    for (let a = 0; a < pp; a++) S[a] /= trace; // scale-free (s is integrated out)
    let maxLog = Number.NEGATIVE_INFINITY;
    for (let gj = 0; gj < G * J; gj++) {
      const ld = logdet[gj];
      if (Number.isNaN(ld)) {
        rhoLog[gj] = Number.NEGATIVE_INFINITY;
        continue;
      }
      const o = gj * pp;
      let q = 0;
      for (let a = 0; a < pp; a++) q += inv[o + a] * S[a];
      const l = -0.5 * nu * p * Math.log(q) - 0.5 * nu * ld;
      rhoLog[gj] = l;
      if (l > maxLog) maxLog = l;
    }
    let z = 0;
    let rhoMean = 0;
    for (let g = 0; g < G; g++) {
      let s = 0;
      for (let j = 0; j < J; j++) {
        const w = Math.exp(rhoLog[g * J + j] - maxLog);
        s += w;
        rhoMean += w * rhos[j];
      }
      logPost[g] = Math.log(s) + maxLog;
      z += s;
    }
    rec.rho = rhoMean / z;
    const post = posterior.subarray(u * G, (u + 1) * G);
    for (let g = 0; g < G; g++) {
      post[g] = Math.exp(logPost[g] - maxLog) / z;
      popLog[g] += logPost[g] - maxLog;
    }
    const tail = (1 - opt.credibleLevel) / 2;
    rec.tauMs = posteriorQuantile(post, logGrid, 0.5);
    rec.lowerMs = posteriorQuantile(post, logGrid, tail);
    rec.upperMs = posteriorQuantile(post, logGrid, 1 - tail);
    if (Math.log(rec.upperMs / rec.lowerMs) > opt.maxIntervalFraction * fullLog) rec.status = 'unconstrained';
  }
  const ok = result.filter((r) => r.status === 'ok');
  let population: UnbiasedTimescaleResult['population'] = null;
  if (ok.length) {
    // the population posterior uses the 'ok' units only
    popLog.fill(0);
    for (const r of ok) {
      const post = posterior.subarray(r.unit * G, (r.unit + 1) * G);
      for (let g = 0; g < G; g++) popLog[g] += Math.log(Math.max(post[g], 1e-300));
    }
    const mx = Math.max(...popLog);
    const pop = popLog.map((l) => Math.exp(l - mx));
    const zp = pop.reduce((a, b) => a + b, 0);
    for (let g = 0; g < G; g++) pop[g] /= zp;
    const tail = (1 - opt.credibleLevel) / 2;
    population = {
      tauMs: posteriorQuantile(pop, logGrid, 0.5),
      lowerMs: posteriorQuantile(pop, logGrid, tail),
      upperMs: posteriorQuantile(pop, logGrid, 1 - tail),
    };
  }
  const taus = ok.map((r) => r.tauMs).sort((a, b) => a - b);
  return {
    options: opt,
    units: result,
    tauGridMs,
    posterior,
    population,
    quantiles: { q25: quantile(taus, 0.25), median: quantile(taus, 0.5), q75: quantile(taus, 0.75) },
  };
}
