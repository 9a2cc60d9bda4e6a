/**
 * Fixed and slow points of any model that exposes a one-step map x ↦ F(x, u) (Sussillo & Barak
 * 2013; Golub & Sussillo's FixedPointFinder; docs/models/analysis.md §Fixed and slow points):
 *
 *  1. from many initial states (e.g. states visited by trajectories, plus noise), minimise
 *     q(x) = ½‖F(x) − x‖² with Adam on x (input u held constant inside F); all states at once;
 *  2. stop when every q < `tolQ`, when q stops changing, or at `maxIterations`;
 *  3. drop outliers (points that ran far from every initial state), deduplicate points closer
 *     than `dedupe` (keeping the lowest q);
 *  4. Jacobian dF/dx, its eigenvalues, and stability (|λ|max < 1 for a discrete map). Points
 *     with q above `fixedQ` are *slow points*.
 *
 * The map is either a batched TensorFlow.js function [K, N] → [K, N] (each row one state;
 * gradients and Jacobians by automatic differentiation), or a {@link StepMap} that supplies
 * F, its vector–Jacobian product and its Jacobian explicitly (no autodiff, no tensors: for a
 * model with a closed-form Jacobian this is many times faster, e.g. `rateRnnStepMap` in
 * `@wmkit/ei-rnn`).
 */
import { ShapeError, type Tensor2D, tf } from '@wmkit/tensor';
import { type Eigenvalues, eigenvalues, spectralRadius } from './eigen';

/** A one-step map with explicit derivatives. States are row-major [K, N] arrays. */
export interface StepMap {
  readonly N: number;
  /** F(x) for K states; the returned array may be reused by the next call. */
  apply(x: Float64Array, K: number): Float64Array;
  /**
   * Row-wise vector–Jacobian product vₖᵀ ∂F/∂x at the states of the last `apply` call
   * (so the map can keep what the forward pass computed); may reuse its returned array.
   */
  vjp(v: Float64Array, K: number): Float64Array;
  /** Row-major N × N Jacobian ∂Fᵢ/∂xⱼ at one state. */
  jacobian(x: ArrayLike<number>): Float64Array;
}

/** A batched tfjs map [K, N] → [K, N], or a {@link StepMap}. */
export type OneStepMap = ((x: Tensor2D) => Tensor2D) | StepMap;

/** Optimisation, deduplication and outlier settings of `findFixedPoints` (defaults after Golub & Sussillo's FixedPointFinder). */
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

/** A fixed (q below tolerance) or slow point x of a one-step map, with its speed q = ½‖F(x) − x‖², Jacobian eigenvalues and stability. */
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

/** The distinct fixed and slow points found, with the optimisation's iterations and the final q of every initial state. */
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

/** Fixed and slow points of a one-step map (Sussillo & Barak 2013): Adam on q(x) = ½‖F(x) − x‖² from the `initial` states ([K, N]), deduplication, then the Jacobian's eigenvalues and stability (|λ|max < 1) at each point. */
export function findFixedPoints(
  map: OneStepMap,
  initial: Float64Array | Float32Array,
  N: number,
  o: FixedPointOptions = {},
): FixedPointResult {
  const K = initial.length / N;
  if (!Number.isInteger(K) || K < 1)
    throw new ShapeError(`findFixedPoints: ${initial.length} initial values are not a whole number of ${N}-dimensional states`);
  if (typeof map !== 'function' && map.N !== N)
    throw new ShapeError(`findFixedPoints: the map has N = ${map.N} but the states have N = ${N}`);
  const { xs, qFinal, iterations } =
    typeof map === 'function' ? minimiseTf(map, initial, K, N, o) : minimiseExplicit(map, initial, K, N, o);
  const jacobian = typeof map === 'function' ? (x: Float64Array) => mapJacobian(map, x) : (x: Float64Array) => map.jacobian(x);
  return { points: collectPoints(xs, qFinal, initial, K, N, o, jacobian), iterations, qFinal };
}

interface Minimised {
  xs: Float64Array;
  qFinal: Float64Array;
  iterations: number;
}

/** Every 50 iterations: stop when every q < tolQ or the total stopped changing; NaN is an error. */
function converged(qs: ArrayLike<number>, prev: number, tolQ: number): { stop: boolean; sum: number } {
  let max = 0;
  let sum = 0;
  for (let i = 0; i < qs.length; i++) {
    max = Math.max(max, qs[i]);
    sum += qs[i];
  }
  if (!Number.isFinite(sum)) throw new ShapeError('findFixedPoints: q became NaN or infinite; lower the learning rate');
  return { stop: max < tolQ || (Number.isFinite(prev) && Math.abs(prev - sum) <= 1e-14 * Math.max(1, prev)), sum };
}

function minimiseTf(map: (x: Tensor2D) => Tensor2D, initial: ArrayLike<number>, K: number, N: number, o: FixedPointOptions): Minimised {
  const maxIt = o.maxIterations ?? 5000;
  const tolQ = o.tolQ ?? 1e-12;
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
        const c = converged(q.dataSync(), prev, tolQ);
        q.dispose();
        if (c.stop) {
          it++;
          break;
        }
        prev = c.sum;
      }
    }
    const qT = qOf();
    const qFinal = Float64Array.from(qT.dataSync());
    qT.dispose();
    return { xs: Float64Array.from(x.dataSync()), qFinal, iterations: it };
  } finally {
    x.dispose();
    opt.dispose();
  }
}

/**
 * The same minimisation with an explicit map: ∇ₓq = (∂F/∂x − I)ᵀ(F(x) − x), one `apply` and one
 * `vjp` per iteration, and Adam (β₁ 0.9, β₂ 0.999, ε 1e-7 — tfjs's defaults) in float64.
 */
function minimiseExplicit(map: StepMap, initial: ArrayLike<number>, K: number, N: number, o: FixedPointOptions): Minimised {
  const maxIt = o.maxIterations ?? 5000;
  const tolQ = o.tolQ ?? 1e-12;
  const lr = o.learningRate ?? 0.01;
  const b1 = 0.9;
  const b2 = 0.999;
  const eps = 1e-7;
  const n = K * N;
  const x = Float64Array.from(initial);
  const m = new Float64Array(n);
  const v = new Float64Array(n);
  const d = new Float64Array(n);
  const q = new Float64Array(K);
  const residual = () => {
    const F = map.apply(x, K);
    q.fill(0);
    for (let k = 0; k < K; k++)
      for (let i = k * N; i < (k + 1) * N; i++) {
        d[i] = F[i] - x[i];
        q[k] += 0.5 * d[i] * d[i];
      }
  };
  let it = 0;
  let prev = Number.POSITIVE_INFINITY;
  let p1 = 1;
  let p2 = 1;
  for (; ; it++) {
    residual(); // q at x after `it` steps: the next step's gradient, or the final q
    if (it >= maxIt) break;
    if (it % 50 === 0 && it > 0) {
      const c = converged(q, prev, tolQ);
      if (c.stop) break;
      prev = c.sum;
    }
    const g = map.vjp(d, K);
    p1 *= b1;
    p2 *= b2;
    for (let i = 0; i < n; i++) {
      const gi = g[i] - d[i];
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      x[i] -= (lr * (m[i] / (1 - p1))) / (Math.sqrt(v[i] / (1 - p2)) + eps);
    }
  }
  return { xs: x, qFinal: Float64Array.from(q), iterations: it };
}

/** Outliers dropped, q above maxQ dropped, duplicates merged; Jacobian, eigenvalues, stability. */
function collectPoints(
  xs: Float64Array,
  qFinal: Float64Array,
  initial: ArrayLike<number>,
  K: number,
  N: number,
  o: FixedPointOptions,
  jacobianAt: (x: Float64Array) => Float64Array,
): FixedPoint[] {
  const fixedQ = o.fixedQ ?? 1e-10;
  const maxQ = o.maxQ ?? 1e-4;
  const dedupe = o.dedupe ?? 1e-3;
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
  return kept.map((c) => {
    const J = jacobianAt(c.x);
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
}
