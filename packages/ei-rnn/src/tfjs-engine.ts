/**
 * The rate RNN as TensorFlow.js ops — the `engine: 'tfjs'` form of `simulateRate` and of the
 * training gradient — so that whichever backend `@wmkit/tensor` selected (tfjs-node,
 * tfjs-node-gpu, WebGPU, WebGL, wasm, cpu) runs the model. Same equations, same random draws
 * (noise and initial states come from the same `Rng` forks as the kernel path), so without noise
 * the two engines agree to float tolerance and with noise they draw the same noise (tests).
 *
 * The network is unrolled step by step with `rateRnnStep`; the training gradient is tfjs
 * autodiff of the read-out pre-activations through the whole unrolled scan, contracted with
 * ∂L/∂o from `lossAndGradient` (the loss is defined once, for both engines). The last links of
 * the chain rule — Dale's parameterisation and the τ squashing — are closed-form in both.
 */
import { daleWeightsGradient, tauFromRawDerivative } from '@wmkit/core-neuron';
import type { TrialBatch } from '@wmkit/tasks';
import { assertShape, type NDArray, type Rng, ShapeError, type Tensor, tf } from '@wmkit/tensor';
import type { TrainConfig } from './config';
import {
  effectiveWeights,
  initialStates,
  type RateRNN,
  type RateSimulation,
  rateRnnStep,
  rateRnnTensors,
  type SimulateOptions,
  unitAlphas,
  unitTauSteps,
} from './rate-rnn';

/** Which implementation runs a model: the fused wasm kernels, or TensorFlow.js ops on the selected backend. */
export type Engine = 'kernels' | 'tfjs';

/** The engines every model offers. */
export const ENGINES: readonly Engine[] = ['kernels', 'tfjs'];

interface Unrolled {
  /** Read-out pre-activations [B, T, K] (before a sigmoid read-out). */
  pre: Tensor;
  /** Observables r [B, T, N] at the read-out times. */
  rates: Tensor;
}

/** Noise [T, B, N] drawn exactly as the kernel path draws it (`rng.fork('noise')`), or null. */
function noiseDraws(m: RateRNN, B: number, T: number, rng: Rng, on: boolean): Float32Array | null {
  if (!on || m.config.noiseStd === 0) return null;
  const z = new Float32Array(T * B * m.config.N);
  rng.fork('noise').fillNormal(z, 0, m.config.noiseStd);
  return z;
}

/**
 * Runs the network over inputs [B, T, nIn] (batch-major) from x0 [B, N] with noise [T, B, N]
 * as tfjs ops; `params` are the tensors of `rateRnnTensors` (or variables derived from them).
 */
function unroll(m: RateRNN, params: ReturnType<typeof rateRnnTensors>, inputs: Tensor, x0: Tensor, noise: Tensor | null): Unrolled {
  const [, T] = inputs.shape as [number, number, number];
  const steps = tf.unstack(inputs, 1); // T × [B, nIn]
  const noises = noise ? tf.unstack(noise, 0) : null; // T × [B, N]
  // the read-out without its sigmoid: lossAndGradient's ∂L/∂o is w.r.t. the pre-activation
  const linear = { ...m, config: { ...m.config, readout: 'linear' as const } } as RateRNN;
  let state = x0;
  const pre: Tensor[] = [];
  const rates: Tensor[] = [];
  const before = m.config.outputTiming === 'before-update';
  for (let t = 0; t < T; t++) {
    if (before) rates.push(observable(m, state));
    const s = rateRnnStep(linear, params, state, steps[t] as Tensor, noises ? (noises[t] as Tensor) : undefined);
    state = s.state;
    pre.push(s.output);
    if (!before) rates.push(s.rates);
  }
  return { pre: tf.stack(pre, 1), rates: tf.stack(rates, 1) };
}

/** r from a state: f(x) in the rate form, the state itself in the current form. */
function observable(m: RateRNN, state: Tensor): Tensor {
  if (m.config.form === 'current') return state;
  const f = m.config.transfer;
  const y = f === 'sigmoid' ? tf.sigmoid(state) : f === 'tanh' ? tf.tanh(state) : f === 'relu' ? tf.relu(state) : tf.softplus(state);
  return m.config.clip != null ? tf.minimum(y, m.config.clip) : y;
}

/** `simulateRate` as tfjs ops on the selected backend (same arguments, same result). */
export function simulateRateTfjs(m: RateRNN, inputs: NDArray, rng: Rng, opts: SimulateOptions = {}): RateSimulation {
  const { N, nInputs, nOutputs: K } = m.config;
  const { B, T } = assertShape('simulateRate (tfjs): inputs', inputs.shape, ['B', 'T', nInputs]);
  const z = noiseDraws(m, B, T, rng, opts.noise !== false);
  if (opts.x0 && opts.x0.length !== B * N) throw new ShapeError(`simulateRate: x0 has ${opts.x0.length} values, expected B·N = ${B * N}`);
  const x0 = opts.x0 ?? initialStates(m, B, rng.fork('x0'));
  let result: RateSimulation | null = null;
  tf.tidy(() => {
    const params = rateRnnTensors(m);
    const u = unroll(
      m,
      params,
      tf.tensor3d(Float32Array.from(inputs.data as ArrayLike<number>), [B, T, nInputs]),
      tf.tensor2d(x0, [B, N]),
      z ? tf.tensor3d(z, [T, B, N]) : null,
    );
    const out = m.config.readout === 'sigmoid' ? tf.sigmoid(u.pre) : u.pre;
    result = {
      outputs: { data: out.dataSync() as Float32Array, shape: [B, T, K] },
      rates: opts.recordRates === false ? null : { data: u.rates.dataSync() as Float32Array, shape: [B, T, N] },
    };
  });
  return result as unknown as RateSimulation;
}

/**
 * The training gradient of the rate RNN by tfjs autodiff: the same interface as the kernel
 * path's `RateRnnGradient` (`compute` writes `grads`, returns the mean loss).
 */
export class RateRnnGradientTfjs {
  readonly grads: { w: Float32Array; wIn: Float32Array; bias: Float32Array; wOut: Float32Array; bOut: Float32Array; tauRaw: Float32Array };
  /** Outputs [B, T, K] (after the read-out non-linearity) of the last `compute`. */
  lastOutputs: Float32Array | null = null;

  constructor(
    config: RateRNN['config'],
    readonly T: number,
    readonly B: number,
  ) {
    const { N, nInputs: nIn, nOutputs: K } = config;
    this.grads = {
      w: new Float32Array(N * N),
      wIn: new Float32Array(N * nIn),
      bias: new Float32Array(N),
      wOut: new Float32Array(K * N),
      bOut: new Float32Array(K),
      tauRaw: new Float32Array(N),
    };
  }

  /** Nothing to free (tensors are released inside `compute`); kept for the kernel path's interface. */
  dispose(): void {}

  /**
   * Loss of `batch` (mean over its trials) and its gradient w.r.t. every parameter, written to `this.grads`;
   * `lossAndGradient` gives the loss and its gradient w.r.t. the outputs over steps [0, windowEnd).
   */
  compute(
    model: RateRNN,
    batch: TrialBatch,
    rng: Rng,
    loss: TrainConfig['loss'],
    lossAndGradient: (outputs: Float32Array, gOut: Float32Array, windowEnd: number) => number[],
    windowEnd = this.T,
  ): number {
    const { N, nInputs: nIn, nOutputs: K } = model.config;
    const { T, B, grads } = this;
    if (batch.inputs.shape[0] !== B || batch.inputs.shape[1] !== T)
      throw new ShapeError(`RateRnnGradientTfjs: batch is [${batch.inputs.shape.join(', ')}] but this pass was sized for B=${B}, T=${T}`);
    void loss;
    const z = noiseDraws(model, B, T, rng, true);
    const x0 = initialStates(model, B, rng.fork('x0'));
    const sigmoidReadout = model.config.readout === 'sigmoid';
    let result: { outputs: Float32Array; losses: number[]; g: Float32Array[] } | null = null;
    tf.tidy(() => {
      const inputs = tf.tensor3d(Float32Array.from(batch.inputs.data as ArrayLike<number>), [B, T, nIn]);
      const noise = z ? tf.tensor3d(z, [T, B, N]) : null;
      const xs = [
        tf.tensor2d(effectiveWeights(model), [N, N]),
        tf.tensor2d(model.wIn, [N, nIn]),
        tf.tensor1d(model.bias),
        tf.tensor2d(model.wOut, [K, N]),
        tf.tensor1d(model.bOut),
        tf.tensor1d(unitAlphas(model)),
      ];
      const x0t = tf.tensor2d(x0, [B, N]);
      const f = (wEff: Tensor, wIn: Tensor, bias: Tensor, wOut: Tensor, bOut: Tensor, alpha: Tensor) =>
        unroll(model, { wEff, wIn, bias, wOut, bOut, alpha }, inputs, x0t, noise).pre;
      const pre = f(...(xs as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor]));
      const preData = pre.dataSync() as Float32Array;
      const outputs = sigmoidReadout ? preData.map((v) => 1 / (1 + Math.exp(-v))) : preData.slice();
      const gOut = new Float32Array(B * T * K);
      const losses = lossAndGradient(outputs, gOut, windowEnd);
      const g = tf.grads((...p: Tensor[]) => f(...(p as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor])))(
        xs,
        tf.tensor3d(gOut, [B, T, K]),
      );
      result = { outputs, losses, g: g.map((t) => t.dataSync() as Float32Array) };
    });
    if (!result) throw new Error('RateRnnGradientTfjs: no result');
    const r = result as { outputs: Float32Array; losses: number[]; g: Float32Array[] };
    this.lastOutputs = r.outputs;
    const [dW, dWin, dBias, dWout, dBout, dAlpha] = r.g;
    grads.w.set(daleWeightsGradient(dW as Float32Array, model.w, model.sign, model.mask, model.config.dale));
    grads.wIn.set(dWin as Float32Array);
    if (model.config.biases) grads.bias.set(dBias as Float32Array);
    else grads.bias.fill(0);
    grads.wOut.set(dWout as Float32Array);
    grads.bOut.set(dBout as Float32Array);
    grads.tauRaw.fill(0);
    const tauCfg = model.config.tau;
    if (tauCfg.kind === 'trainable') {
      const tau = unitTauSteps(model);
      const dTau = tauFromRawDerivative(model.tauRaw, tauCfg.minSteps, tauCfg.maxSteps);
      const dA = dAlpha as Float32Array;
      for (let i = 0; i < N; i++)
        grads.tauRaw[i] = (dA[i] as number) * (-1 / ((tau[i] as number) * (tau[i] as number))) * (dTau[i] as number);
    }
    return r.losses.reduce((a, c) => a + c, 0) / B;
  }
}
