/**
 * Circular statistics for angles in radians (Fisher 1993; Berens 2009, CircStat).
 *
 *   circular mean   θ̄ = arg Σ_k w_k e^{iθ_k}
 *   resultant       R = |Σ_k w_k e^{iθ_k}| / Σ_k w_k        (0: uniform, 1: all equal)
 *   difference      d(a, b) = a − b wrapped to (−π, π]
 *
 * @example
 * ```ts
 * circularMean([0.1, -0.1, 0.2]);          // ≈ 0.067
 * angleDifference(Math.PI - 0.1, -Math.PI + 0.1);   // −0.2
 * ```
 */
import { ShapeError } from '@wmkit/tensor';

/** Wraps an angle to (−π, π]. */
export function wrapAngle(a: number): number {
  const TWO_PI = 2 * Math.PI;
  let x = a % TWO_PI;
  if (x <= -Math.PI) x += TWO_PI;
  else if (x > Math.PI) x -= TWO_PI;
  return x;
}

/** Signed angular difference a − b wrapped to (−π, π]: positive means a is counter-clockwise of b. */
export function angleDifference(a: number, b: number): number {
  return wrapAngle(a - b);
}

function checkWeights(angles: ArrayLike<number>, weights?: ArrayLike<number>): void {
  if (weights && weights.length !== angles.length) {
    throw new ShapeError(`circular statistics: ${angles.length} angles but ${weights.length} weights`);
  }
}

/** The resultant vector Σ w e^{iθ} as [x, y] and the total weight. */
export function resultantVector(angles: ArrayLike<number>, weights?: ArrayLike<number>): { x: number; y: number; total: number } {
  checkWeights(angles, weights);
  let x = 0;
  let y = 0;
  let total = 0;
  for (let k = 0; k < angles.length; k++) {
    const w = weights ? weights[k] : 1;
    x += w * Math.cos(angles[k]);
    y += w * Math.sin(angles[k]);
    total += w;
  }
  return { x, y, total };
}

/** Circular mean direction; NaN when the resultant is zero (no defined direction). */
export function circularMean(angles: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const { x, y } = resultantVector(angles, weights);
  if (x === 0 && y === 0) return Number.NaN;
  return Math.atan2(y, x);
}

/** Mean resultant length R ∈ [0, 1]. */
export function resultantLength(angles: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const { x, y, total } = resultantVector(angles, weights);
  return total === 0 ? Number.NaN : Math.hypot(x, y) / total;
}

/** Circular variance 1 − R. */
export function circularVariance(angles: ArrayLike<number>, weights?: ArrayLike<number>): number {
  return 1 - resultantLength(angles, weights);
}
