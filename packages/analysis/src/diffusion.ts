/**
 * Bump diffusion: how the decoded memory drifts during the delay (Compte et al. 2000; Wimmer
 * et al. 2014). For decoded angles θ_b(t) of many trials, the variance of the displacement
 * θ_b(t) − θ_b(t₀) from the start of the delay grows linearly for a diffusing bump,
 * Var = D·(t − t₀); the slope D is the diffusion coefficient (rad²/s).
 *
 * @example
 * ```ts
 * const d = bumpDiffusion(angles, times, { startMs: 1500, endMs: 3500 });
 * d.slope;      // rad²/s
 * ```
 */
import { assertShape, type NDArray, ShapeError } from '@wmkit/tensor';
import { angleDifference } from './circular';

/** Variance of the decoded angle's drift over time and the line fitted through it (its slope is the diffusion coefficient). */
export interface DiffusionResult {
  timesMs: number[];
  /** Var of θ(t) − θ(t₀) across trials (rad²) at each time. */
  variance: number[];
  /** Least-squares line through (t − t₀, variance): rad²/s. */
  slope: number;
  intercept: number;
  r2: number;
}

/** Bump diffusion: the across-trial variance of θ(t) − θ(t₀) for every recorded time in `window`, and its least-squares slope (rad²/s); `angles` is [trials, T]. */
export function bumpDiffusion(angles: NDArray, timesMs: ArrayLike<number>, window: { startMs: number; endMs: number }): DiffusionResult {
  const { trials, T } = assertShape('bumpDiffusion: angles', angles.shape, ['trials', 'T']);
  if (timesMs.length !== T) throw new ShapeError(`bumpDiffusion: ${T} time points but ${timesMs.length} times`);
  const idx: number[] = [];
  for (let i = 0; i < T; i++) if (timesMs[i] >= window.startMs && timesMs[i] <= window.endMs) idx.push(i);
  if (idx.length < 3) throw new ShapeError(`bumpDiffusion: fewer than 3 time points in ${window.startMs}–${window.endMs} ms`);
  const t0 = idx[0];
  const times: number[] = [];
  const variance: number[] = [];
  for (const i of idx) {
    let s = 0;
    let s2 = 0;
    for (let b = 0; b < trials; b++) {
      const d = angleDifference(angles.data[b * T + i], angles.data[b * T + t0]);
      s += d;
      s2 += d * d;
    }
    const m = s / trials;
    times.push(timesMs[i]);
    variance.push(s2 / trials - m * m);
  }
  const xs = times.map((t) => (t - times[0]) / 1000);
  const mx = xs.reduce((a, v) => a + v, 0) / xs.length;
  const my = variance.reduce((a, v) => a + v, 0) / variance.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (variance[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (variance[i] - my) ** 2;
  }
  const slope = sxy / sxx;
  return { timesMs: times, variance, slope, intercept: my - slope * mx, r2: syy > 0 ? (sxy * sxy) / (sxx * syy) : Number.NaN };
}
