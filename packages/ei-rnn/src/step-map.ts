/**
 * The network's one-step map x ↦ F(x, u) with constant input u, with its vector–Jacobian product
 * and Jacobian in closed form, for fixed/slow-point search (`findFixedPoints` in
 * `@wmkit/analysis` accepts it as a `StepMap`). No noise; the matrix products run on the wasm
 * kernels, the rest in float64.
 *
 *  current form (state r):  F(r) = (1 − α)∘r + α∘f(W r + c),   ∂F/∂r = diag(1 − α) + diag(α∘f′(z)) W
 *  rate form (state x):     F(x) = (1 − α)∘x + α∘(W f(x) + c), ∂F/∂x = diag(1 − α) + diag(α) W diag(f′(x))
 *
 * with c = W_in u + b (b only when the model has biases) and per-unit α = dt/τ.
 *
 * The map allocates kernel memory: build and use it inside `kernels().scope(() => …)`.
 */
import { transferScalar } from '@wmkit/core-neuron';
import { type KernelBuffer, kernels, ShapeError } from '@wmkit/tensor';
import { effectiveWeights, type RateRNN, unitAlphas } from './rate-rnn';

/** One autonomous step of a rate RNN as a map x → F(x) with its vector–Jacobian product and Jacobian, for `findFixedPoints`. */
export interface RateRnnStepMap {
  readonly N: number;
  /** F applied to K states x ([K, N]). */
  apply(x: Float64Array, K: number): Float64Array;
  /** vᵀ·∂F/∂x at the K states of the last `apply`. */
  vjp(v: Float64Array, K: number): Float64Array;
  /** The Jacobian ∂F/∂x [N, N] at one state. */
  jacobian(x: ArrayLike<number>): Float64Array;
}

/** f′ from the pre-activation z and the (clipped) output y. */
function derivative(m: RateRNN): (z: number, y: number) => number {
  const clip = m.config.clip ?? Number.POSITIVE_INFINITY;
  const f = m.config.transfer;
  const d =
    f === 'tanh'
      ? (_z: number, y: number) => 1 - y * y
      : f === 'sigmoid'
        ? (_z: number, y: number) => y * (1 - y)
        : f === 'relu'
          ? (z: number) => (z > 0 ? 1 : 0)
          : (z: number) => 1 / (1 + Math.exp(-z));
  return Number.isFinite(clip) ? (z, y) => (y >= clip ? 0 : d(z, y)) : d;
}

/** The zero-noise one-step map of `m` with the input held at `input` (length nInputs; default zeros). */
export function rateRnnStepMap(m: RateRNN, input?: ArrayLike<number>): RateRnnStepMap {
  const { N, nInputs } = m.config;
  if (input && input.length !== nInputs)
    throw new ShapeError(`rateRnnStepMap: input has ${input.length} values, the network has ${nInputs} inputs`);
  const k = kernels();
  const Wf = effectiveWeights(m);
  const W = k.from(Wf);
  const alpha = Float64Array.from(unitAlphas(m));
  const c = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    c[i] = m.config.biases ? m.bias[i] : 0;
    if (input) for (let j = 0; j < nInputs; j++) c[i] += m.wIn[i * nInputs + j] * input[j];
  }
  const transfer = m.config.transfer;
  const fs = transferScalar(transfer);
  const clip = m.config.clip ?? Number.POSITIVE_INFINITY;
  const f = (z: number) => Math.min(fs(z), clip);
  const fp = derivative(m);
  const current = m.config.form === 'current';
  let capacity = 0;
  let A: KernelBuffer = W; // [K, N] matmul input (r, f(x), or the back-propagated vector)
  let Z: KernelBuffer = W; // [K, N] matmul output
  let H: KernelBuffer = W; // [K, N] f(z) (current) or x (rate)
  let F = new Float64Array(0);
  let G = new Float64Array(0); // α∘f′(z) (current) or f′(x) (rate) at the last apply
  let out = new Float64Array(0);
  let last = 0;
  const ensure = (K: number) => {
    if (K <= capacity) return;
    capacity = K;
    A = k.scratch(K * N);
    Z = k.scratch(K * N);
    H = k.scratch(K * N);
    F = new Float64Array(K * N);
    G = new Float64Array(K * N);
    out = new Float64Array(K * N);
  };
  return {
    N,
    apply(x, K) {
      if (x.length < K * N) throw new ShapeError(`rateRnnStepMap.apply: ${x.length} values are fewer than K·N = ${K * N}`);
      ensure(K);
      last = K;
      const n = K * N;
      const a = A.sub(0, n);
      const h = H.sub(0, n);
      const z = Z.sub(0, n);
      if (current) a.view().set(x.subarray(0, n));
      else {
        h.view().set(x.subarray(0, n));
        k.transfer(transfer, h, a, clip); // A = f(x)
        const fx = a.view();
        for (let e = 0; e < n; e++) G[e] = fp(x[e], fx[e]);
      }
      k.matmulABt(K, N, N, a, W, z);
      const zv = z.view();
      for (let r = 0; r < K; r++) for (let i = 0; i < N; i++) zv[r * N + i] += c[i];
      if (current) k.transfer(transfer, z, h, clip); // H = f(W r + c)
      const hv = h.view();
      for (let r = 0; r < K; r++)
        for (let i = 0; i < N; i++) {
          const e = r * N + i;
          if (current) {
            G[e] = alpha[i] * fp(zv[e], hv[e]);
            F[e] = (1 - alpha[i]) * x[e] + alpha[i] * hv[e];
          } else F[e] = (1 - alpha[i]) * x[e] + alpha[i] * zv[e];
        }
      return F;
    },
    vjp(v, K) {
      if (K !== last) throw new ShapeError(`rateRnnStepMap.vjp: called for ${K} states after apply on ${last}`);
      const a = A.view();
      // current: (α f′(z) ∘ v) W;  rate: f′(x) ∘ ((α ∘ v) W)
      for (let r = 0; r < K; r++) for (let i = 0; i < N; i++) a[r * N + i] = (current ? G[r * N + i] : alpha[i]) * v[r * N + i];
      k.matmulAB(K, N, N, A.sub(0, K * N), W, Z.sub(0, K * N));
      const z = Z.view();
      for (let r = 0; r < K; r++)
        for (let j = 0; j < N; j++) {
          const n = r * N + j;
          out[n] = (1 - alpha[j]) * v[n] + (current ? z[n] : G[n] * z[n]);
        }
      return out;
    },
    jacobian(x) {
      if (x.length !== N) throw new ShapeError(`rateRnnStepMap.jacobian: state has ${x.length} values, expected N = ${N}`);
      const J = new Float64Array(N * N);
      if (current) {
        for (let i = 0; i < N; i++) {
          let pre = c[i];
          for (let j = 0; j < N; j++) pre += Wf[i * N + j] * x[j];
          const g = alpha[i] * fp(pre, f(pre));
          for (let j = 0; j < N; j++) J[i * N + j] = g * Wf[i * N + j];
        }
      } else {
        const d = Float64Array.from({ length: N }, (_, j) => fp(x[j], f(x[j])));
        for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) J[i * N + j] = alpha[i] * Wf[i * N + j] * d[j];
      }
      for (let i = 0; i < N; i++) J[i * N + i] += 1 - alpha[i];
      return J;
    },
  };
}
