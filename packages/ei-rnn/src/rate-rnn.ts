/**
 * `RateRNN`: the leaky continuous-rate RNN of Kim, Li & Sejnowski 2019 (with Dale's principle
 * and trainable per-unit decay), also usable as the tanh network of Kurtkaya et al. 2025.
 *
 * Rate form (Kim; spikeRNN `rate/model.py`), Δt = one step:
 *   x_t = (1 − α) ⊙ x_{t−1} + α ⊙ (W_eff r_{t−1} + W_in u_{t−1}) + ξ_t,  ξ ~ N(0, σ²)
 *   r_t = f(x_t),   o_t = W_out r_t + b_out,   α = 1/τ,  τ = σ(τ_raw)(τ_max − τ_min) + τ_min
 * Current form (Kurtkaya):
 *   r_t = (1 − α) r_{t−1} + α f(W r_{t−1} + b + W_in u_{t−1} + ε_t),   o = g(W_out r + b_out)
 *
 * W_eff = relu(w)·diag(sign) ⊙ mask with Dale's principle (rows postsynaptic), else w ⊙ mask.
 * Parameters are plain Float32Arrays; `simulateRate` runs batches through wmkit's wasm scan
 * kernel, and `rateRnnStep` is the same update as tfjs ops (autodiff, fixed-point finding).
 *
 * @example
 * ```ts
 * const model = createRateRNN(KIM2021_DMS_MODEL, new Rng(1));
 * const { outputs, rates } = simulateRate(model, batch.inputs, rng.fork('sim'));
 * ```
 */
import { assignExcInh, daleWeights, tauFromRaw } from '@wmkit/core-neuron';
import {
  assertShape,
  formatShape,
  type KernelBuffer,
  type Kernels,
  kernels,
  type NDArray,
  type Rng,
  ShapeError,
  type Tensor,
  tf,
} from '@wmkit/tensor';
import type { RateRNNConfig } from './config';

/** A rate RNN's configuration and parameters as typed arrays (rows postsynaptic). */
export interface RateRNN {
  config: RateRNNConfig;
  /** [N, N] recurrent weights before the Dale parameterisation (rows postsynaptic). */
  w: Float32Array;
  /** [N] +1 excitatory, −1 inhibitory (all +1 without Dale). */
  sign: Float32Array;
  /** [N, N] fixed connectivity mask (Kim's som_m; ones). */
  mask: Float32Array;
  /** [N, nIn] */
  wIn: Float32Array;
  /** [N] recurrent bias (b_rec + b_in; zeros unless the config has biases). */
  bias: Float32Array;
  /** [nOut, N] */
  wOut: Float32Array;
  /** [nOut] */
  bOut: Float32Array;
  /** [N] raw decay parameters (τ = σ(τ_raw)(τmax − τmin) + τmin). */
  tauRaw: Float32Array;
}

/** Initial parameters as in the config (Kim: spikeRNN `FR_RNN_dale.initialize_W`, `main.py`). */
export function createRateRNN(config: RateRNNConfig, rng: Rng): RateRNN {
  const { N, nInputs, nOutputs } = config;
  const r = rng.fork('init');
  const sign = config.dale ? assignExcInh(N, config.pInh, r.fork('sign')) : new Float32Array(N).fill(1);
  let w: Float32Array;
  if (config.recurrentInit === 'kim') {
    // entries present with probability pRec, N(0,1)·gain/√(N·pRec); |·| under Dale
    const present = r.fork('present').uniform(N * N);
    const values = r.fork('values').normal(N * N);
    w = new Float32Array(N * N);
    const scale = config.gain / Math.sqrt(N * config.pRec);
    for (let k = 0; k < N * N; k++) if (present[k] < config.pRec) w[k] = (config.dale ? Math.abs(values[k]) : values[k]) * scale;
    if (config.dale && config.balancedInit) {
      // departure from the paper (documented in the preset): inhibitory columns × N_E/N_I so that
      // the mean recurrent input starts near zero instead of saturating the sigmoid
      let ne = 0;
      for (const s of sign) if (s > 0) ne++;
      const ratio = ne / Math.max(1, N - ne);
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) if (sign[j] < 0) w[i * N + j] *= ratio;
    }
  } else {
    // Xavier-uniform (Glorot & Bengio 2010), zero diagonal (Kurtkaya et al. 2025)
    const a = Math.sqrt(6 / (N + N));
    w = r.fork('values').uniform(N * N, -a, a);
    for (let i = 0; i < N; i++) w[i * N + i] = 0;
  }
  const wIn =
    config.inputInit === 'normal'
      ? r.fork('w_in').normal(N * nInputs)
      : r.fork('w_in').uniform(N * nInputs, -Math.sqrt(6 / (N + nInputs)), Math.sqrt(6 / (N + nInputs)));
  const wOut =
    config.outputInit === 'normal'
      ? r.fork('w_out').normal(nOutputs * N, 0, config.wOutStd)
      : r.fork('w_out').uniform(nOutputs * N, -Math.sqrt(6 / (N + nOutputs)), Math.sqrt(6 / (N + nOutputs)));
  return {
    config,
    w,
    sign,
    mask: new Float32Array(N * N).fill(1),
    wIn,
    bias: new Float32Array(N),
    wOut,
    bOut: new Float32Array(nOutputs),
    tauRaw: config.tau.kind === 'trainable' ? r.fork('tau').normal(N) : new Float32Array(N),
  };
}

/** W_eff [N, N] (rows postsynaptic). */
export function effectiveWeights(m: RateRNN): Float32Array {
  return daleWeights(m.w, m.sign, m.mask, m.config.dale);
}

/** Per-unit decay τ in steps. */
export function unitTauSteps(m: RateRNN): Float32Array {
  const t = m.config.tau;
  return t.kind === 'trainable' ? tauFromRaw(m.tauRaw, t.minSteps, t.maxSteps) : new Float32Array(m.config.N).fill(1 / t.alpha);
}

/** Per-unit decay τ in ms (Kim's synaptic decay τ_d). */
export function unitTauMs(m: RateRNN): Float32Array {
  return unitTauSteps(m).map((t) => t * m.config.dtMs);
}

/** Per-unit α = 1/τ (τ in steps). */
export function unitAlphas(m: RateRNN): Float32Array {
  return unitTauSteps(m).map((t) => 1 / t);
}

/**
 * The initial states' draws of m's `x0`: N(0, std²) per unit, then tanh of them where `tanh` is set
 * (Kurtkaya: r0 = tanh(scale·N(0, 1))). The one place that reads `x0` for `initialStates` and
 * `initialStatesInto`.
 */
function initialStateDraw(m: RateRNN): { std: number; tanh: boolean } {
  const x0 = m.config.x0;
  return x0.kind === 'normal' ? { std: x0.std, tanh: false } : { std: x0.scale, tanh: true };
}

function tanhInPlace(z: Float32Array): void {
  for (let i = 0; i < z.length; i++) z[i] = Math.tanh(z[i]);
}

/** Initial states [B, N] for one forward pass. */
export function initialStates(m: RateRNN, B: number, rng: Rng): Float32Array {
  const { std, tanh } = initialStateDraw(m);
  const z = rng.normal(B * m.config.N, 0, std);
  if (tanh) tanhInPlace(z);
  return z;
}

/**
 * `initialStates` written into kernel memory `out` ([B, N]), the normal draws made by the kernel
 * (the same values as `Rng.fillNormal`, hence as `initialStates`).
 */
export function initialStatesInto(k: Kernels, m: RateRNN, B: number, rng: Rng, out: KernelBuffer): void {
  const n = B * m.config.N;
  if (out.length !== n) throw new ShapeError(`initialStatesInto: out has ${out.length} entries, expected ${n}`);
  const { std, tanh } = initialStateDraw(m);
  k.fillNormal(rng, out, 0, std);
  if (tanh) tanhInPlace(out.view());
}

/** Noise, what to record and output timing of `simulateRateRNN`. */
export interface SimulateOptions {
  /** Add the training noise (default true, as the authors evaluate with noise). */
  noise?: boolean;
  /** Return the observables r [B, T, N] too (default true). */
  recordRates?: boolean;
  /** Initial states [B, N] (default: drawn as the config says). */
  x0?: Float32Array;
}

/** Outputs and (optionally) rates of a simulated batch. */
export interface RateSimulation {
  /** [B, T, nOut] */
  outputs: NDArray;
  /** `[B, T, N]`: r after each input step (or before, for outputTiming 'before-update') */
  rates: NDArray | null;
}

/** Batch-major [B, T, n] → time-major [T, B, n]. */
export function toTimeMajor(
  x: ArrayLike<number>,
  B: number,
  T: number,
  n: number,
  out: Float32Array = new Float32Array(B * T * n),
): Float32Array {
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let k = 0; k < n; k++) out[(t * B + b) * n + k] = x[(b * T + t) * n + k];
  return out;
}

/** Time-major [T, B, n] → batch-major [B, T, n]. */
export function toBatchMajor(
  x: ArrayLike<number>,
  B: number,
  T: number,
  n: number,
  out: Float32Array = new Float32Array(B * T * n),
): Float32Array {
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let k = 0; k < n; k++) out[(b * T + t) * n + k] = x[(t * B + b) * n + k];
  return out;
}

/** Applies the read-out nonlinearity in place. */
export function applyReadout(m: RateRNN, o: Float32Array): void {
  if (m.config.readout === 'sigmoid') for (let i = 0; i < o.length; i++) o[i] = 1 / (1 + Math.exp(-o[i]));
}

/**
 * D = u·W_inᵀ for the rows of u [rows, nIn] (kernel memory), via wInT [nIn, N] (work space):
 * as u·(W_inᵀ) the product skips u's zeros, and task inputs are mostly zeros.
 * The bias is not included (the scan adds it).
 */
export function inputDrive(k: Kernels, rows: number, m: RateRNN, u: KernelBuffer, wInT: KernelBuffer, D: KernelBuffer): void {
  const { N, nInputs } = m.config;
  const t = wInT.view();
  for (let i = 0; i < N; i++) for (let j = 0; j < nInputs; j++) t[j * N + i] = m.wIn[i * nInputs + j];
  k.matmulAB(rows, nInputs, N, u, wInT, D);
}

/** Runs the network on inputs [B, T, nIn] (e.g. a task batch) with the wasm scan kernel. */
export function simulateRate(m: RateRNN, inputs: NDArray, rng: Rng, opts: SimulateOptions = {}): RateSimulation {
  const { N, nInputs, nOutputs } = m.config;
  const { B, T } = assertShape('simulateRate: inputs', inputs.shape, ['B', 'T', nInputs]);
  const k = kernels();
  return k.scope(() => {
    const u = k.from(toTimeMajor(inputs.data, B, T, nInputs));
    const D = k.buffer(T * B * N);
    inputDrive(k, T * B, m, u, k.buffer(nInputs * N), D);
    const Z = opts.noise === false || m.config.noiseStd === 0 ? null : k.buffer(T * B * N);
    if (Z) k.fillNormal(rng.fork('noise'), Z, 0, m.config.noiseStd);
    if (opts.x0 && opts.x0.length !== B * N) throw new ShapeError(`simulateRate: x0 has ${opts.x0.length} values, expected B·N = ${B * N}`);
    const S = k.buffer((T + 1) * B * N);
    S.set(opts.x0 ?? initialStates(m, B, rng.fork('x0')));
    const Y = m.config.form === 'current' ? S : k.buffer((T + 1) * B * N);
    const P = k.buffer(T * B * N);
    k.leakyRnnForward({
      mode: m.config.form,
      transfer: m.config.transfer,
      clip: m.config.clip ?? undefined,
      B,
      N,
      T,
      W: k.from(effectiveWeights(m)),
      D,
      Z,
      bias: m.config.biases ? k.from(m.bias) : null,
      alpha: k.from(unitAlphas(m)),
      S,
      Y,
      P,
    });
    const first = m.config.outputTiming === 'before-update' ? 0 : 1;
    const Yout = Y.sub(first * B * N, T * B * N);
    const O = k.buffer(T * B * nOutputs);
    k.matmulABt(T * B, N, nOutputs, Yout, k.from(m.wOut), O);
    const o = O.copy();
    for (let i = 0; i < o.length; i++) o[i] += m.bOut[i % nOutputs];
    applyReadout(m, o);
    return {
      outputs: { data: toBatchMajor(o, B, T, nOutputs), shape: [B, T, nOutputs] },
      rates: opts.recordRates === false ? null : { data: toBatchMajor(Yout.view(), B, T, N), shape: [B, T, N] },
    };
  });
}

/** The parameters as tensors, for `rateRnnStep`. */
export interface RateRNNTensors {
  wEff: Tensor;
  wIn: Tensor;
  bias: Tensor;
  wOut: Tensor;
  bOut: Tensor;
  alpha: Tensor;
}

/** The model's parameters as tensors (effective weights W_eff, W_in, W_out, b_out, α), for the tfjs engine; dispose of them when done. */
export function rateRnnTensors(m: RateRNN): RateRNNTensors {
  const { N, nInputs, nOutputs } = m.config;
  return {
    wEff: tf.tensor2d(effectiveWeights(m), [N, N]),
    wIn: tf.tensor2d(m.wIn, [N, nInputs]),
    bias: tf.tensor1d(m.bias),
    wOut: tf.tensor2d(m.wOut, [nOutputs, N]),
    bOut: tf.tensor1d(m.bOut),
    alpha: tf.tensor1d(unitAlphas(m)),
  };
}

function tfTransfer(m: RateRNN, x: Tensor): Tensor {
  const f = m.config.transfer;
  const y = f === 'sigmoid' ? tf.sigmoid(x) : f === 'tanh' ? tf.tanh(x) : f === 'relu' ? tf.relu(x) : tf.softplus(x);
  return m.config.clip != null ? tf.minimum(y, m.config.clip) : y;
}

/**
 * One step of the network as tfjs ops: state [B, N] (x in the rate form, r in the current
 * form), input [B, nIn], optional noise [B, N] → next state, its observable r and output o.
 */
export function rateRnnStep(
  m: RateRNN,
  p: RateRNNTensors,
  state: Tensor,
  input: Tensor,
  noise?: Tensor,
): { state: Tensor; rates: Tensor; output: Tensor } {
  if (state.rank !== 2 || state.shape[1] !== m.config.N)
    throw new ShapeError(`rateRnnStep: state must be [B, ${m.config.N}], got ${formatShape(state.shape)}`);
  return tf.tidy(() => {
    const drive = tf.add(tf.matMul(input, p.wIn, false, true), p.bias);
    let next: Tensor;
    let rates: Tensor;
    if (m.config.form === 'rate') {
      const r = tfTransfer(m, state);
      const pre = tf.add(tf.matMul(r, p.wEff, false, true), drive);
      next = tf.add(tf.mul(tf.sub(1, p.alpha), state), tf.mul(p.alpha, pre));
      if (noise) next = tf.add(next, noise);
      rates = tfTransfer(m, next);
    } else {
      let pre = tf.add(tf.matMul(state, p.wEff, false, true), drive);
      if (noise) pre = tf.add(pre, noise);
      next = tf.add(tf.mul(tf.sub(1, p.alpha), state), tf.mul(p.alpha, tfTransfer(m, pre)));
      rates = next;
    }
    const readFrom = m.config.outputTiming === 'before-update' ? (m.config.form === 'rate' ? tfTransfer(m, state) : state) : rates;
    let output = tf.add(tf.matMul(readFrom, p.wOut, false, true), p.bOut);
    if (m.config.readout === 'sigmoid') output = tf.sigmoid(output);
    return { state: next, rates, output };
  });
}
