/**
 * Sparse coding by anti-Hebbian lateral inhibition (Földiák 1990; docs/models/wta-sparse.md §Sparse coding).
 *
 *   settling:  dy*_i/dt = f( Σ_j q_ij x_j + Σ_j w_ij y*_j − t_i ) − y*_i,  f(u) = 1/(1 + e^{−λu}),
 *              from y* = 0 to equilibrium (Euler steps of `settleDt`), then y_i = 1[y*_i > 0.5]
 *   learning after each pattern (all three from the same binary y):
 *     lateral, anti-Hebbian   Δw_ij = −α (y_i y_j − p²),  w_ii = 0,  w_ij clipped to ≤ 0
 *     feed-forward, Hebbian   Δq_ij = β y_i (x_j − q_ij)
 *     threshold               Δt_i = γ (y_i − p)
 *   initialisation: q uniform random in [0, 1), rows normalised to unit length; w = 0; t = p;
 *   then `pretrainCycles` patterns with α = β = 0 and γ = `pretrainGamma` so thresholds settle.
 */
import { DivergenceError } from '@wmkit/core-neuron';
import { type Rng, ShapeError } from '@wmkit/tensor';

/** Sizes, learning rates α, β, γ, target firing probability p and settling constants of a Földiák (1990) network. */
export interface FoldiakParams {
  nIn: number;
  nOut: number;
  /** Anti-Hebbian (lateral) rate α. */
  alpha: number;
  /** Hebbian (feed-forward) rate β. */
  beta: number;
  /** Threshold rate γ. */
  gamma: number;
  /** Target firing probability p. */
  p: number;
  /** Sigmoid slope λ. */
  lambda: number;
  settleDt: number;
  /** Settled when max |Δy*| per step < tol. */
  settleTol: number;
  settleMaxSteps: number;
  pretrainCycles: number;
  pretrainGamma: number;
}

/** Földiák's (1990) bars benchmark: 64 inputs (8 × 8), 16 units, α 0.1, β 0.02, γ 0.02, p 1/8, λ 10. */
export const FOLDIAK1990_BARS: FoldiakParams = {
  nIn: 64,
  nOut: 16,
  alpha: 0.1,
  beta: 0.02,
  gamma: 0.02,
  p: 1 / 8,
  lambda: 10,
  settleDt: 0.05,
  settleTol: 1e-5,
  settleMaxSteps: 2000,
  pretrainCycles: 100,
  pretrainGamma: 0.1,
};

/** The learnable state of a Földiák network: feed-forward weights q, lateral weights w (≤ 0) and thresholds t. */
export interface FoldiakNetwork {
  params: FoldiakParams;
  /** Feed-forward weights [nOut, nIn]. */
  q: Float64Array;
  /** Lateral weights [nOut, nOut] (≤ 0, zero diagonal). */
  w: Float64Array;
  /** Thresholds [nOut]. */
  t: Float64Array;
  /** Patterns presented with learning on (pre-training not counted). */
  presentations: number;
}

/** Throws a ShapeError naming the first parameter outside its valid range. */
export function checkFoldiakParams(p: FoldiakParams): void {
  const need = (ok: boolean, msg: string) => {
    if (!ok) throw new ShapeError(`Földiák network: ${msg}`);
  };
  need(Number.isInteger(p.nIn) && p.nIn > 0, `nIn = ${p.nIn} must be a positive integer`);
  need(Number.isInteger(p.nOut) && p.nOut > 0, `nOut = ${p.nOut} must be a positive integer`);
  need(p.p > 0 && p.p < 1, `p = ${p.p} must be in (0, 1)`);
  for (const k of ['alpha', 'beta', 'gamma', 'pretrainGamma'] as const)
    need(p[k] >= 0 && Number.isFinite(p[k]), `${k} = ${p[k]} must be ≥ 0`);
  need(p.lambda > 0, `lambda = ${p.lambda} must be > 0`);
  need(p.settleDt > 0 && p.settleDt <= 0.5, `settleDt = ${p.settleDt} must be in (0, 0.5]`);
  need(p.settleMaxSteps >= 1, `settleMaxSteps = ${p.settleMaxSteps} must be ≥ 1`);
}

/** A fresh network: q uniform random with unit-length rows, w = 0, t = p. */
export function createFoldiak(params: Partial<FoldiakParams>, rng: Rng): FoldiakNetwork {
  const p = { ...FOLDIAK1990_BARS, ...params };
  checkFoldiakParams(p);
  const q = new Float64Array(p.nOut * p.nIn);
  for (let i = 0; i < p.nOut; i++) {
    let n2 = 0;
    for (let j = 0; j < p.nIn; j++) {
      const v = rng.random();
      q[i * p.nIn + j] = v;
      n2 += v * v;
    }
    const s = 1 / Math.sqrt(n2);
    for (let j = 0; j < p.nIn; j++) q[i * p.nIn + j] *= s;
  }
  return { params: p, q, w: new Float64Array(p.nOut * p.nOut), t: new Float64Array(p.nOut).fill(p.p), presentations: 0 };
}

/** The equilibrium of the settling dynamics for one input: analog y* and binary outputs. */
export interface Settled {
  /** Analog equilibrium y*. */
  yStar: Float64Array;
  /** Binary output 1[y* > 0.5]. */
  y: Uint8Array;
  /** Euler steps taken; `converged` false if settleMaxSteps was reached. */
  steps: number;
  converged: boolean;
}

/** Settles the network on input `x` (length nIn) from y* = 0. */
export function settleFoldiak(net: FoldiakNetwork, x: ArrayLike<number>): Settled {
  const { nIn, nOut, lambda, settleDt: dt, settleTol, settleMaxSteps } = net.params;
  if (x.length !== nIn) throw new ShapeError(`Földiák network: input has ${x.length} values, expected nIn = ${nIn}`);
  const ff = new Float64Array(nOut);
  for (let i = 0; i < nOut; i++) {
    let s = -net.t[i];
    for (let j = 0; j < nIn; j++) s += net.q[i * nIn + j] * x[j];
    ff[i] = s;
  }
  const y = new Float64Array(nOut);
  const next = new Float64Array(nOut);
  let steps = 0;
  let converged = false;
  while (steps < settleMaxSteps) {
    let change = 0;
    for (let i = 0; i < nOut; i++) {
      let u = ff[i];
      for (let j = 0; j < nOut; j++) u += net.w[i * nOut + j] * y[j];
      const d = dt * (1 / (1 + Math.exp(-lambda * u)) - y[i]);
      next[i] = y[i] + d;
      if (Math.abs(d) > change) change = Math.abs(d);
    }
    y.set(next);
    steps++;
    if (change < settleTol) {
      converged = true;
      break;
    }
  }
  const bin = new Uint8Array(nOut);
  for (let i = 0; i < nOut; i++) bin[i] = y[i] > 0.5 ? 1 : 0;
  return { yStar: y, y: bin, steps, converged };
}

/** One learning step with the rates given (defaults: the network's α, β, γ). */
export function foldiakLearn(
  net: FoldiakNetwork,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  rates: { alpha?: number; beta?: number; gamma?: number } = {},
): void {
  const { nIn, nOut, p } = net.params;
  const alpha = rates.alpha ?? net.params.alpha;
  const beta = rates.beta ?? net.params.beta;
  const gamma = rates.gamma ?? net.params.gamma;
  const p2 = p * p;
  if (alpha > 0) {
    for (let i = 0; i < nOut; i++)
      for (let j = 0; j < nOut; j++) {
        if (i === j) continue;
        const v = net.w[i * nOut + j] - alpha * (y[i] * y[j] - p2);
        net.w[i * nOut + j] = Math.min(v, 0);
      }
  }
  if (beta > 0) {
    for (let i = 0; i < nOut; i++) {
      if (!y[i]) continue;
      for (let j = 0; j < nIn; j++) net.q[i * nIn + j] += beta * y[i] * (x[j] - net.q[i * nIn + j]);
    }
  }
  if (gamma > 0) for (let i = 0; i < nOut; i++) net.t[i] += gamma * (y[i] - p);
}

/** Threshold pre-training: `cycles` (default `pretrainCycles`) patterns from `next()`, α = β = 0, γ = pretrainGamma. */
export function pretrainFoldiak(net: FoldiakNetwork, next: () => ArrayLike<number>, cycles = net.params.pretrainCycles): void {
  for (let c = 0; c < cycles; c++) {
    const x = next();
    foldiakLearn(net, x, settleFoldiak(net, x).y, { alpha: 0, beta: 0, gamma: net.params.pretrainGamma });
  }
}

/** Presents one pattern with learning on; returns the binary output. */
export function foldiakPresent(net: FoldiakNetwork, x: ArrayLike<number>): Uint8Array {
  const s = settleFoldiak(net, x);
  foldiakLearn(net, x, s.y);
  net.presentations++;
  checkFoldiakState(net, x);
  return s.y;
}

/**
 * Divergence of learning: the Hebbian rule moves each feed-forward weight towards the input
 * (Δq = β y (x − q)), so q stays within the inputs' range for β ≤ 1 and oscillates with a
 * shrinking amplitude for β < 2; a weight beyond 100 × the largest input magnitude (or 1) means
 * the step overshoots and grows (β > 2). Any NaN/Inf in q, w or t is divergence too.
 */
export function checkFoldiakState(net: FoldiakNetwork, x: ArrayLike<number>): void {
  let xMax = 1;
  for (let j = 0; j < x.length; j++) xMax = Math.max(xMax, Math.abs(x[j]));
  const bound = 100 * xMax;
  const fail = (quantity: string, value: number, why: string) => {
    throw new DivergenceError('Földiák learning', { step: net.presentations, stepName: 'presentation', quantity, value, bound: why });
  };
  for (let i = 0; i < net.q.length; i++)
    if (!(Math.abs(net.q[i]) <= bound)) fail(`q[${i}]`, net.q[i], `beyond 100 × the largest input = ${bound}; lower beta (< 2)`);
  for (let i = 0; i < net.w.length; i++) if (!Number.isFinite(net.w[i])) fail(`w[${i}]`, net.w[i], 'not a finite number');
  for (let i = 0; i < net.t.length; i++) if (!Number.isFinite(net.t[i])) fail(`t[${i}]`, net.t[i], 'not a finite number');
}

/** The two implementations of the same Földiák network: float64 JavaScript (`'kernels'`, the default) or TensorFlow.js ops (`'tfjs'`). */
export type FoldiakEngineName = 'kernels' | 'tfjs';

/**
 * A Földiák network on one engine: settling, learning and the state, so a run is written once for
 * both engines (`foldiakEngine` in `foldiak-run.ts` picks one).
 */
export interface FoldiakEngine {
  readonly engine: FoldiakEngineName;
  readonly params: FoldiakParams;
  /** Binary outputs [count, nOut] of the network settled on each of `count` inputs `x` [count, nIn]; no learning. */
  respond(x: Float32Array | Float64Array, count: number): Uint8Array;
  /** Presents one pattern with learning on (α, β, γ); returns the binary output (as `foldiakPresent`). */
  present(x: Float32Array | Float64Array): Uint8Array;
  /** One threshold pre-training presentation: α = β = 0, γ = pretrainGamma (as `pretrainFoldiak` with one cycle). */
  pretrain(x: Float32Array | Float64Array): void;
  /** The state in float64 arrays (the live network on the JavaScript engine, a copy on tfjs). */
  network(): FoldiakNetwork;
  /** Frees the engine's tensors (nothing on the JavaScript engine). */
  dispose(): void;
}

/** The float64 JavaScript engine (`'kernels'`) over `net`, which it updates in place. */
export function foldiakJsEngine(net: FoldiakNetwork): FoldiakEngine {
  const { nIn, nOut } = net.params;
  return {
    engine: 'kernels',
    params: net.params,
    respond(x, count) {
      if (x.length !== count * nIn)
        throw new ShapeError(`Földiák network: ${x.length} input values for ${count} patterns, expected ${count} × nIn = ${count * nIn}`);
      const out = new Uint8Array(count * nOut);
      for (let n = 0; n < count; n++) out.set(settleFoldiak(net, x.subarray(n * nIn, (n + 1) * nIn)).y, n * nOut);
      return out;
    },
    present: (x) => foldiakPresent(net, x),
    pretrain: (x) => pretrainFoldiak(net, () => x, 1),
    network: () => net,
    dispose() {},
  };
}
