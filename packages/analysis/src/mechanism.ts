/**
 * How a trained RNN holds a cue (Kurtkaya et al. 2025; docs/models/stm-rnn.md §Learned mechanism, §Scaling of the critical learning rate):
 * - learning outcome from the per-epoch reaction-window accuracy and reliability;
 * - slow-point manifold vs limit cycle from an autonomous run (PCA → time × time correlation
 *   → 2-D FFT → share of power within radius 3 of the centre);
 * - the critical-learning-rate scaling: onset T_c of the no-learning region per learning rate,
 *   the log–log regression of lr on T_c with its standard error, and the toy-model predictions.
 */
import { ShapeError } from '@wmkit/tensor';
import { levenbergMarquardt } from './levenberg-marquardt';
import { pca } from './pca';
import { fft2, fftshift2 } from './spectral';
import { tQuantile } from './stdlib';

/** Whether a trained network learned the task, never did, or learned and then lost it (Kurtkaya et al. 2025). */
export type LearningOutcome = 'learned' | 'not-learned' | 'unstable';

/**
 * The authors' rule (`sort_data.py`): learned when accuracy and reliability both average > 0.8
 * over the last 10% of epochs, and after first reaching > 0.8 together the epochs below 0.6
 * number fewer than a tenth of those above; a net that reached it but then fell apart is
 * `unstable`; otherwise `not-learned`.
 */
export function learningOutcome(accuracy: ArrayLike<number>, reliability: ArrayLike<number>): LearningOutcome {
  const n = accuracy.length;
  if (n === 0 || reliability.length !== n) throw new ShapeError(`learningOutcome: ${n} accuracies and ${reliability.length} reliabilities`);
  let first = -1;
  for (let e = 0; e < n; e++)
    if (accuracy[e] > 0.8 && reliability[e] > 0.8) {
      first = e;
      break;
    }
  let stable = true;
  if (first >= 0) {
    let below = 0;
    let above = 0;
    for (let e = first; e < n; e++) {
      below += (accuracy[e] < 0.6 ? 1 : 0) + (reliability[e] < 0.6 ? 1 : 0);
      above += (accuracy[e] > 0.6 ? 1 : 0) + (reliability[e] > 0.6 ? 1 : 0);
    }
    stable = below / above < 0.1;
  }
  const start = Math.floor(n * 0.9);
  let a = 0;
  let r = 0;
  for (let e = start; e < n; e++) {
    a += accuracy[e];
    r += reliability[e];
  }
  const learned = a / (n - start) > 0.8 && r / (n - start) > 0.8 && stable;
  if (learned) return 'learned';
  return first >= 0 && !stable ? 'unstable' : 'not-learned';
}

/**
 * Share of the 2-D spectral power of the time × time correlation matrix of the top-2-PC
 * projection that lies within `radius` of the zero frequency. A limit cycle makes the matrix
 * oscillate (power away from the centre): ratio < 0.5 → limit cycle, else slow-point manifold.
 * Correlations of rows whose two coordinates are equal (undefined) count as 0.
 */
export function cyclePowerRatio(trajectory: ArrayLike<number>, T: number, N: number, radius = 3): number {
  const { projection } = pca(trajectory, T, N, Math.min(2, N));
  const C = new Float64Array(T * T);
  // Pearson correlation between rows of a T × 2 matrix (as torch.corrcoef(low_rank))
  const dev = new Float64Array(T * 2);
  const norm = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const a = projection[2 * t];
    const b = projection[2 * t + 1];
    const m = (a + b) / 2;
    dev[2 * t] = a - m;
    dev[2 * t + 1] = b - m;
    norm[t] = Math.hypot(a - m, b - m);
  }
  for (let i = 0; i < T; i++)
    for (let j = 0; j < T; j++) {
      const d = norm[i] * norm[j];
      C[i * T + j] = d > 1e-300 ? (dev[2 * i] * dev[2 * j] + dev[2 * i + 1] * dev[2 * j + 1]) / d : 0;
    }
  const f = fft2(C, T, T);
  const mag2 = new Float64Array(T * T);
  for (let i = 0; i < T * T; i++) mag2[i] = f.re[i] ** 2 + f.im[i] ** 2;
  const shifted = fftshift2(mag2, T, T);
  const c = Math.floor(T / 2);
  let inside = 0;
  let total = 0;
  for (let i = 0; i < T; i++)
    for (let j = 0; j < T; j++) {
      const v = shifted[i * T + j];
      total += v;
      if ((i - c) ** 2 + (j - c) ** 2 <= radius * radius) inside += v;
    }
  return total > 0 ? inside / total : 1;
}

/** How a network holds a cue: on a limit cycle or on a slow-point manifold (Kurtkaya et al. 2025). */
export type Mechanism = 'limit-cycle' | 'slow-point';

/** Limit cycle when the centre of the 2-D spectrum of the trajectory's time–time correlation holds under half its power (`cyclePowerRatio` < 0.5), else slow-point manifold; `trajectory` is [T, N]. */
export function classifyMechanism(trajectory: ArrayLike<number>, T: number, N: number): { mechanism: Mechanism; ratio: number } {
  const ratio = cyclePowerRatio(trajectory, T, N);
  return { mechanism: ratio < 0.5 ? 'limit-cycle' : 'slow-point', ratio };
}

/** The no-learning curve f(T) = 0 for T < onset, 1 − e^{−rate·(T − onset)} above. */
export function noLearningCurve(T: number, onset: number, rate: number): number {
  return T < onset ? 0 : 1 - Math.exp(-rate * (T - onset));
}

/**
 * Onset T_c of the no-learning region and the rate of the rise after it: fit f(T) = 0 for
 * T < T_c, 1 − e^{−a(T − T_c)} above, to the fraction of networks that did not learn at each
 * delay (the authors' `exp_saturation`). NaN for both when the fraction never exceeds 0.1 (no
 * onset within the delays tested).
 */
export function noLearningOnsetFit(delays: ArrayLike<number>, fraction: ArrayLike<number>): { onset: number; rate: number } {
  let max = 0;
  for (let i = 0; i < fraction.length; i++) max = Math.max(max, fraction[i]);
  if (max < 0.1) return { onset: Number.NaN, rate: Number.NaN };
  // start from the first delay where the fraction passes 0.1, rate from the spread of delays
  let x0 = delays[0];
  for (let i = 0; i < fraction.length; i++)
    if (fraction[i] > 0.1) {
      x0 = i > 0 ? (delays[i - 1] + delays[i]) / 2 : delays[i];
      break;
    }
  const span = Math.max(1e-9, delays[delays.length - 1] - delays[0]);
  const fit = levenbergMarquardt((x, p) => noLearningCurve(x, p[0], p[1]), delays, fraction, [x0, 5 / span]);
  return { onset: fit.params[0], rate: fit.params[1] };
}

/** The onset alone (`noLearningOnsetFit(…).onset`). */
export function noLearningOnset(delays: ArrayLike<number>, fraction: ArrayLike<number>): number {
  return noLearningOnsetFit(delays, fraction).onset;
}

/** A power-law fit of the critical learning rate against the delay, log lr = intercept + slope·log T_c. */
export interface ScalingFit {
  /** Slope of log(lr) on log(T_c) (negative), its standard error, intercept, r². */
  slope: number;
  slopeSe: number;
  intercept: number;
  r2: number;
  /** β = −slope: η_c ∝ T_c^(−β). */
  beta: number;
  n: number;
}

/** Ordinary least squares of log lr on log T_c (scipy.stats.linregress), points with T_c > 0 only. */
export function criticalLearningRateFit(learningRates: ArrayLike<number>, onsets: ArrayLike<number>): ScalingFit {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < learningRates.length; i++)
    if (onsets[i] > 0 && learningRates[i] > 0) {
      xs.push(Math.log(onsets[i]));
      ys.push(Math.log(learningRates[i]));
    }
  const n = xs.length;
  if (n < 3) throw new ShapeError(`criticalLearningRateFit: ${n} learning rates with an onset; need at least 3`);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
    syy += (ys[i] - my) ** 2;
  }
  const slope = sxy / sxx;
  const r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : 1;
  const slopeSe = Math.sqrt(Math.max(0, (1 - r2) * syy) / (n - 2) / sxx);
  return { slope, slopeSe, intercept: my - slope * mx, r2, beta: -slope, n };
}

/** Toy-model critical learning rates: slow point (ghost of a saddle-node) and limit cycle (Hopf). */
export function toyCriticalLearningRate(mechanism: Mechanism, T: number, Tresp: number): number {
  return mechanism === 'slow-point' ? ((Math.PI ** 4 / 4) * Tresp) / T ** 5 : Tresp / T ** 3 / 4;
}

/** The logistic curve 1 / (1 + e^{−rate·(T − midpoint)}) (falling for a negative rate). */
export function logisticCurve(T: number, midpoint: number, rate: number): number {
  return 1 / (1 + Math.exp(-rate * (T - midpoint)));
}

/**
 * Where slow-point manifolds give way with the delay, for one learning rate (Kurtkaya et al.
 * 2025, Fig. 4's second scaling panel): the logistic 1 / (1 + e^{−k(T − T_SP)}) fitted to the
 * fraction of networks holding the cue on a slow-point manifold at each delay (the authors'
 * `sigmoid` fit of that fraction); T_SP is its midpoint, k < 0 when the fraction falls. NaN for
 * both when the fraction never reaches 0.1 (as the authors), or when it does not cross ½ within
 * the delays tested (a midpoint outside them is an extrapolation, not a boundary).
 */
export function slowPointBoundaryFit(delays: ArrayLike<number>, fraction: ArrayLike<number>): { midpoint: number; rate: number } {
  const none = { midpoint: Number.NaN, rate: Number.NaN };
  const n = delays.length;
  if (n !== fraction.length) throw new ShapeError(`slowPointBoundaryFit: ${n} delays and ${fraction.length} fractions`);
  let max = 0;
  let min = 1;
  for (let i = 0; i < n; i++) {
    max = Math.max(max, fraction[i]);
    min = Math.min(min, fraction[i]);
  }
  if (n < 3 || max < 0.1 || !(max >= 0.5 && min <= 0.5)) return none;
  // start at the first crossing of ½ (interpolated), with a slope that spans a tenth of the delays
  let x0 = delays[0];
  for (let i = 1; i < n; i++)
    if ((fraction[i - 1] - 0.5) * (fraction[i] - 0.5) <= 0) {
      const d = fraction[i] - fraction[i - 1];
      x0 = d === 0 ? delays[i] : delays[i - 1] + ((0.5 - fraction[i - 1]) / d) * (delays[i] - delays[i - 1]);
      break;
    }
  const span = Math.max(1e-9, delays[n - 1] - delays[0]);
  const falling = fraction[0] > fraction[n - 1];
  const fit = levenbergMarquardt((x, p) => logisticCurve(x, p[0], p[1]), delays, fraction, [x0, ((falling ? -1 : 1) * 40) / span]);
  const [midpoint, rate] = fit.params;
  if (!(Number.isFinite(midpoint) && midpoint >= delays[0] && midpoint <= delays[n - 1])) return none;
  return { midpoint, rate };
}

/**
 * The two-sided confidence interval of a scaling fit's exponent β: β ± t_{(1+level)/2, n−2}·SE
 * (Student's t with n − 2 degrees of freedom, as the slope of an ordinary least-squares line).
 */
export function scalingExponentCi(fit: ScalingFit, level = 0.95): [number, number] {
  if (!(level > 0 && level < 1)) throw new ShapeError(`scalingExponentCi: level ${level} must be in (0, 1)`);
  if (fit.n < 3) return [Number.NaN, Number.NaN];
  const h = tQuantile((1 + level) / 2, fit.n - 2) * fit.slopeSe;
  return [fit.beta - h, fit.beta + h];
}
