/**
 * Decisions among N noisy options: accuracy and decision-time curves, and the two benchmarks of
 * Kriener, Chaudhuri & Fiete 2020 — the parallel strategy (all N inputs integrated at once) and
 * the serial one (one input at a time) — as ideal observers of the same noisy inputs, compared at
 * matched accuracy.
 *
 * Inputs: the best option b + Δ, the other N − 1 options b, each corrupted by independent OU noise
 * (SD σ, correlation time τ_η). Averaging an OU process over a window t has variance
 *   s²(t) = 2σ²τ_η²/t² · (t/τ_η − 1 + e^{−t/τ_η})   (→ 2σ²τ_η/t for t ≫ τ_η),
 * and the observer who picks the largest average is correct with probability
 *   P(N, t) = ∫ φ(z) Φ(z + Δ/s(t))^{N−1} dz.
 * Parallel benchmark: the shortest t with P(N, t) ≥ target accuracy — it grows as log N.
 * Serial benchmark: the same per-option integration time for each option in turn, N·t — N log N.
 */
import { ShapeError } from '@wmkit/tensor';

/** erf to ~1e-15 (series for small |x|, continued fraction via erfc otherwise). */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: erf x = 2/√π Σ (−1)^n x^{2n+1} / (n! (2n+1))
    let term = ax;
    let sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 100; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(x) * ((2 / Math.sqrt(Math.PI)) * sum);
  }
  // erfc x = e^{−x²}/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))) (Lentz)
  let f = ax;
  let C = ax;
  let D = 0;
  for (let n = 1; n < 200; n++) {
    const a = n / 2;
    D = ax + a * D;
    D = D === 0 ? 1e-300 : 1 / D;
    C = ax + a / C;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

/** Standard normal CDF Φ. */
export function normalCdf(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

/** Log of Φ, accurate in the lower tail. */
function logNormalCdf(z: number): number {
  if (z > -5) return Math.log(normalCdf(z));
  // asymptotic: Φ(z) ≈ φ(z)/|z| · (1 − 1/z² + 3/z⁴ − 15/z⁶)
  const z2 = z * z;
  return -z2 / 2 - Math.log(-z) - 0.5 * Math.log(2 * Math.PI) + Math.log(1 - 1 / z2 + 3 / (z2 * z2) - 15 / (z2 * z2 * z2));
}

/** Noise on the inputs of an N-option decision (Kriener et al. 2020): the gap Δ and the OU noise's SD and correlation time. */
export interface DecisionNoise {
  /** Gap between the best and the other options. */
  delta: number;
  /** Stationary SD of the OU noise on each input. */
  sigma: number;
  /** Its correlation time (0: white noise of spectral density 2σ²τ_η is not defined — use > 0). */
  tauEta: number;
}

/** Variance of the time average of an OU process (SD σ, correlation τ_η) over a window t. */
export function ouTimeAverageVariance(sigma: number, tauEta: number, t: number): number {
  if (!(t > 0)) return Number.POSITIVE_INFINITY;
  const u = t / tauEta;
  // u − 1 + e^{−u}, computed without cancellation for small u
  const g = u < 1e-3 ? (u * u) / 2 - (u * u * u) / 6 : u - 1 + Math.exp(-u);
  return ((2 * sigma * sigma) / (u * u)) * g;
}

/** Probability that the ideal observer with integration window t picks the best of N options. */
export function idealAccuracy(N: number, t: number, noise: DecisionNoise): number {
  if (!(Number.isInteger(N) && N >= 1)) throw new ShapeError(`idealAccuracy: N = ${N} must be a positive integer`);
  if (N === 1) return 1;
  const s = Math.sqrt(ouTimeAverageVariance(noise.sigma, noise.tauEta, t));
  if (!Number.isFinite(s)) return 1 / N;
  const d = noise.delta / s;
  // Simpson's rule on z ∈ [−9, 9 + …]; the integrand φ(z)Φ(z + d)^{N−1} is smooth
  const lo = -9;
  const hi = 9;
  const n = 2000;
  const h = (hi - lo) / n;
  let sum = 0;
  for (let k = 0; k <= n; k++) {
    const z = lo + k * h;
    const f = Math.exp(-0.5 * z * z + (N - 1) * logNormalCdf(z + d)) / Math.sqrt(2 * Math.PI);
    sum += (k === 0 || k === n ? 1 : k % 2 ? 4 : 2) * f;
  }
  return Math.min(1, (sum * h) / 3);
}

/**
 * The parallel benchmark: the integration time the ideal observer needs to reach `accuracy`
 * with N options (0 when chance, 1/N, already reaches it). Bisection on a log scale.
 */
export function parallelBenchmarkTime(N: number, accuracy: number, noise: DecisionNoise): number {
  if (!(accuracy > 0 && accuracy < 1)) throw new ShapeError(`parallelBenchmarkTime: accuracy ${accuracy} must be in (0, 1)`);
  if (accuracy <= 1 / N) return 0;
  let lo = 1e-6;
  let hi = 1;
  while (idealAccuracy(N, hi, noise) < accuracy) {
    hi *= 2;
    if (hi > 1e12) return Number.POSITIVE_INFINITY;
  }
  for (let it = 0; it < 80; it++) {
    const mid = Math.sqrt(lo * hi);
    if (idealAccuracy(N, mid, noise) < accuracy) lo = mid;
    else hi = mid;
    if (hi / lo < 1 + 1e-9) break;
  }
  return hi;
}

/** The serial benchmark: N options visited one at a time, each for the parallel time. */
export function serialBenchmarkTime(N: number, accuracy: number, noise: DecisionNoise): number {
  return N * parallelBenchmarkTime(N, accuracy, noise);
}

/** Least-squares fit y = a + b·ln x, with r² (Hick's law / log N scaling). */
export function logFit(x: ArrayLike<number>, y: ArrayLike<number>): { intercept: number; slope: number; r2: number; n: number } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (x[i] > 0 && Number.isFinite(y[i])) {
      xs.push(Math.log(x[i]));
      ys.push(y[i]);
    }
  }
  const n = xs.length;
  if (n < 2) return { intercept: Number.NaN, slope: Number.NaN, r2: Number.NaN, n };
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  const slope = sxy / sxx;
  return { intercept: my - slope * mx, slope, r2: syy > 0 ? (sxy * sxy) / (sxx * syy) : 1, n };
}

/** Hick's law fit: T = intercept + slope·log₂(N + 1), with r² and the sizes used. */
export interface HickFit {
  intercept: number;
  /** Time per bit of choice information. */
  slope: number;
  r2: number;
  n: number;
  /** The largest N included. */
  maxN: number;
}

/**
 * Hick's law (Hick 1952; Hyman 1953): decision time grows with the information of the choice,
 * T = a + b·log₂(N + 1) (the +1 counts the option of not responding). Least squares over the
 * sizes N ≤ `maxN` (default: all), non-finite times skipped.
 */
export function hickFit(N: ArrayLike<number>, T: ArrayLike<number>, maxN = Number.POSITIVE_INFINITY): HickFit {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < N.length; i++) {
    if (N[i] <= maxN) {
      xs.push(N[i] + 1);
      ys.push(T[i]);
    }
  }
  const f = logFit(xs, ys);
  // y = a + s·ln(N + 1) = a + (s·ln 2)·log₂(N + 1)
  return { intercept: f.intercept, slope: f.slope * Math.LN2, r2: f.r2, n: f.n, maxN: Math.max(...xs) - 1 };
}
