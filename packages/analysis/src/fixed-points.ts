/**
 * Fixed and slow points of any model that exposes a one-step map x ↦ F(x, u) (Sussillo & Barak
 * 2013; Golub & Sussillo's FixedPointFinder; spec stm-phases.md §5):
 *
 *  1. from many initial states (e.g. states visited by trajectories, plus noise), minimise
 *     q(x) = ½‖F(x) − x‖² with Adam on x (input u held constant inside F); all states at once;
 *  2. stop when every q < `tolQ`, when q stops changing, or at `maxIterations`;
 *  3. drop outliers (points that ran far from every initial state), deduplicate points closer
 *     than `dedupe` (keeping the lowest q);
 *  4. Jacobian dF/dx by automatic differentiation, its eigenvalues, and stability
 *     (|λ|max < 1 for a discrete map). Points with q above `fixedQ` are *slow points*.
 *
 * `map` is a batched TensorFlow.js function [K, N] → [K, N] (each row one state).
 */
import { type Tensor2D, tf } from '@wmkit/tensor';
import { type Eigenvalues, eigenvalues, spectralRadius } from './eigen';

export interface FixedPointOptions {
  maxIterations?: number;
  learningRate?: number;
  /** Stop when every q is below this. */
  tolQ?: number;
  /** A point with q ≤ fixedQ is a fixed point; above it, a slow point. */
  fixedQ?: number;
  /** Keep only points whose q is below this (local minima of q that are not slow are dropped). */
  maxQ?: number;
  /** Points closer than this are the same point. */
  dedupe?: number;
  /** Drop points farther than this × (median distance of initial states to their centroid) from every initial state. */
  outlierFactor?: number;
}

export interface FixedPoint {
  x: Float64Array;
  q: number;
  kind: 'fixed' | 'slow';
  /** Row-major N × N Jacobian dF/dx at x. */
  jacobian: Float64Array;
  eigen: Eigenvalues;
  spectralRadius: number;
  stable: boolean;
  /** Eigenvalues with |λ| > 1 (unstable directions); a saddle has some but not all. */
  unstableDirections: number;
}

export interface FixedPointResult {
  points: FixedPoint[];
  iterations: number;
  /** q of every initial state after optimisation (before deduplication). */
  qFinal: Float64Array;
}

/** Jacobian of a batched map at one state, by one backward pass over N copies of x. */
export function mapJacobian(map: (x: Tensor2D) => Tensor2D, x: ArrayLike<number>): Float64Array {
  const N = x.length;
  const J = tf.tidy(() => {
    const X = tf.tile(tf.tensor2d(Array.from(x), [1, N]), [N, 1]) as Tensor2D;
    const eye = tf.eye(N);
    // row i of X only feeds row i of F(X): the gradient of Σ F(X)∘I has row i = ∂F_i/∂x
    return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(map(v as Tensor2D), eye)))(X);
  });
  const out = Float64Array.from(J.dataSync());
  J.dispose();
  return out;
}

export function findFixedPoints(
  map: (x: Tensor2D) => Tensor2D,
  initial: Float64Array | Float32Array,
  N: number,
  o: FixedPointOptions = {},
): FixedPointResult {
  const K = initial.length / N;
  if (!Number.isInteger(K) || K < 1)
    throw new RangeError(`findFixedPoints: ${initial.length} initial values are not a whole number of ${N}-dimensional states`);
  const maxIt = o.maxIterations ?? 5000;
  const tolQ = o.tolQ ?? 1e-12;
  const fixedQ = o.fixedQ ?? 1e-10;
  const maxQ = o.maxQ ?? 1e-4;
  const dedupe = o.dedupe ?? 1e-3;
  const x = tf.variable(tf.tensor2d(Array.from(initial), [K, N]));
  const opt = tf.train.adam(o.learningRate ?? 0.01);
  const qOf = () => tf.tidy(() => tf.mul(0.5, tf.sum(tf.square(tf.sub(map(x as unknown as Tensor2D), x)), 1)));
  let it = 0;
  let prev = Number.POSITIVE_INFINITY;
  try {
    for (; it < maxIt; it++) {
      opt.minimize(() => tf.sum(qOf()) as tf.Scalar, false, [x]);
      if (it % 50 === 49) {
        const q = qOf();
        const qs = q.dataSync();
        q.dispose();
        let max = 0;
        let sum = 0;
        for (const v of qs) {
          max = Math.max(max, v);
          sum += v;
        }
        if (!Number.isFinite(sum)) throw new RangeError('findFixedPoints: q became NaN or infinite; lower the learning rate');
        if (max < tolQ || (Number.isFinite(prev) && Math.abs(prev - sum) <= 1e-14 * Math.max(1, prev))) {
          it++;
          break;
        }
        prev = sum;
      }
    }
    const qT = qOf();
    const qFinal = Float64Array.from(qT.dataSync());
    qT.dispose();
    const xs = Float64Array.from(x.dataSync());
    // outliers: far from every initial state, relative to the spread of the initial states
    const centroid = new Float64Array(N);
    for (let k = 0; k < K; k++) for (let i = 0; i < N; i++) centroid[i] += initial[k * N + i] / K;
    const spread = Array.from({ length: K }, (_, k) => {
      let d = 0;
      for (let i = 0; i < N; i++) d += (initial[k * N + i] - centroid[i]) ** 2;
      return Math.sqrt(d);
    }).sort((a, b) => a - b)[Math.floor(K / 2)];
    const limit = (o.outlierFactor ?? 10) * Math.max(spread, 1e-9);
    const candidates: { x: Float64Array; q: number }[] = [];
    for (let k = 0; k < K; k++) {
      if (!(qFinal[k] <= maxQ)) continue;
      const p = xs.subarray(k * N, (k + 1) * N);
      let nearest = Number.POSITIVE_INFINITY;
      for (let j = 0; j < K; j++) {
        let d = 0;
        for (let i = 0; i < N; i++) d += (p[i] - initial[j * N + i]) ** 2;
        nearest = Math.min(nearest, Math.sqrt(d));
      }
      if (nearest > limit) continue;
      candidates.push({ x: Float64Array.from(p), q: qFinal[k] });
    }
    candidates.sort((a, b) => a.q - b.q);
    const kept: { x: Float64Array; q: number }[] = [];
    for (const c of candidates) {
      if (
        kept.some((k) => {
          let d = 0;
          for (let i = 0; i < N; i++) d += (k.x[i] - c.x[i]) ** 2;
          return Math.sqrt(d) < dedupe;
        })
      )
        continue;
      kept.push(c);
    }
    const points: FixedPoint[] = kept.map((c) => {
      const J = mapJacobian(map, c.x);
      const eigen = eigenvalues(J, N);
      const rho = spectralRadius(eigen);
      let unstable = 0;
      for (let i = 0; i < N; i++) if (Math.hypot(eigen.re[i], eigen.im[i]) > 1) unstable++;
      return {
        x: c.x,
        q: c.q,
        kind: c.q <= fixedQ ? 'fixed' : 'slow',
        jacobian: J,
        eigen,
        spectralRadius: rho,
        stable: rho < 1,
        unstableDirections: unstable,
      };
    });
    return { points, iterations: it, qFinal };
  } finally {
    x.dispose();
    opt.dispose();
  }
}
