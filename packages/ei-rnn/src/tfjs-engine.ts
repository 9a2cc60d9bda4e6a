/**
 * The rate RNN as TensorFlow.js ops — the `engine: 'tfjs'` form of `simulateRate` and of the
 * training gradient — so that whichever backend `@wmkit/tensor` selected (tfjs-node,
 * tfjs-node-gpu, WebGPU, WebGL, wasm, cpu) runs the model. Same equations, same random draws
 * (noise and initial states come from the same `Rng` forks as the kernel path), so without noise
 * the two engines agree to float tolerance and with noise they draw the same noise (tests).
 *
 * The network is unrolled with the equations of `rateRnnStep`, batched over time where the
 * state does not enter (`unrollRateTfjs`). The training gradient is one forward pass: tfjs
 * autodiff of the read-out pre-activations, contracted with ∂L/∂o from `lossAndGradient` (the
 * loss is defined once, for both engines), through a recurrence whose backward pass is written
 * as tfjs ops (`scan`; equal to autodiff of the step-by-step network, tested). The last links of
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
  type RateRNNTensors,
  type RateSimulation,
  rateRnnTensors,
  type SimulateOptions,
  unitAlphas,
  unitTauSteps,
} from './rate-rnn';

/** Which implementation runs a model: the fused wasm kernels, or TensorFlow.js ops on the selected backend. */
export type Engine = 'kernels' | 'tfjs';

/** The engines every model offers. */
export const ENGINES: readonly Engine[] = ['kernels', 'tfjs'];

/** The unrolled network's outputs (`unrollRateTfjs`). */
export interface UnrolledRate {
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
 *
 * The same equations as `rateRnnStep`, arranged for tfjs, whose cost here is per op (a
 * [1, 200] × [200, 200] product is ~40k multiply-adds, shorter than an op's dispatch):
 * everything that does not depend on the state is done for all T steps at once (input drive,
 * bias, α-scaling, noise: one [T, B, N] tensor before the loop; transfer function and read-out
 * over all steps after it), α is folded into the recurrent weights (α ⊙ (W r) = (W ⊙ α[:, None]) r),
 * and matrices are transposed once, outside the loop, so no product carries a transpose flag
 * (the wasm backend's transposed products are ~10× slower than plain ones at B = 50). The
 * recurrence itself is `scan`, whose gradient is back-propagation through time written as tfjs
 * ops (see there); everything around it is tfjs autodiff.
 */
export function unrollRateTfjs(m: RateRNN, params: RateRNNTensors, inputs: Tensor, x0: Tensor, noise: Tensor | null): UnrolledRate {
  const [B, T, nIn] = inputs.shape as [number, number, number];
  const { N, nOutputs: K } = m.config;
  const rateForm = m.config.form === 'rate';
  const before = m.config.outputTiming === 'before-update';
  // input drive for every step at once, time-major: [T, B, N]
  const uT = tf.reshape(tf.transpose(inputs, [1, 0, 2]), [T * B, nIn]);
  let drive = tf.reshape(tf.add(tf.matMul(uT, tf.transpose(params.wIn)), params.bias), [T, B, N]);
  // rate form: x' = (1 − α)x + α(W f(x) + drive) + noise; current form: x' = (1 − α)x + α f(W x + drive + noise)
  if (rateForm) drive = tf.mul(drive, params.alpha);
  if (noise) drive = tf.add(drive, noise);
  const wT = rateForm ? tf.mul(tf.transpose(params.wEff), params.alpha) : tf.transpose(params.wEff); // [N_from, N_to]
  const keep = tf.sub(1, params.alpha);
  const X = scan(m, x0, drive, wT, keep, params.alpha); // states x_0 … x_T: [T + 1, B, N]
  const obs = rateForm ? transfer(m, X) : X; // observables r_0 … r_T
  const rates = tf.transpose(tf.slice(obs, [before ? 0 : 1, 0, 0], [T, B, N]), [1, 0, 2]); // [B, T, N]
  const pre = tf.reshape(tf.add(tf.matMul(tf.reshape(rates, [B * T, N]), tf.transpose(params.wOut)), params.bOut), [B, T, K]);
  return { pre, rates };
}

/**
 * The recurrence, x_0 [B, N] → states x_0 … x_T [T + 1, B, N], with D [T, B, N] (drive and
 * noise), A [N, N] (recurrent weights, transposed; α folded in for the rate form) and
 * keep = 1 − α [N]:
 *
 *   rate form:    x_{t+1} = f(x_t) A + keep ⊙ x_t + D_t
 *   current form: x_{t+1} = keep ⊙ x_t + α ⊙ f(x_t A + D_t)
 *
 * Its gradient is written out (tfjs's `customGrad`) rather than left to the tape, because the
 * tape would form ∂L/∂A as T outer products [N, B] × [B, N] and add them one by one (600 small
 * ops, each slower than its arithmetic); here the backward loop carries only ∂L/∂x_t (four ops
 * a step) and ∂L/∂A, ∂L/∂keep, ∂L/∂α, ∂L/∂D are single products/reductions over all steps. The
 * test `tfjs-engine.test.ts` checks it against tfjs autodiff of the step-by-step network
 * (`rateRnnStep`) for every transfer function, and against the kernels' BPTT.
 */
function scan(m: RateRNN, x0: Tensor, D: Tensor, A: Tensor, keep: Tensor, alpha: Tensor): Tensor {
  const rateForm = m.config.form === 'rate';
  const run = tf.customGrad((...args: unknown[]) => {
    const [x0v, Dv, Av, keepv, alphav, save] = args as [Tensor, Tensor, Tensor, Tensor, Tensor, (ts: Tensor[]) => void];
    const [T, B, N] = Dv.shape as [number, number, number];
    const drives = tf.unstack(Dv, 0);
    const xs: Tensor[] = [x0v];
    const fs: Tensor[] = []; // f(x_t) (rate form) or f(pre_t) (current form)
    const pres: Tensor[] = [];
    let x = x0v;
    for (let t = 0; t < T; t++) {
      if (rateForm) {
        const r = transfer(m, x);
        fs.push(r);
        x = tf.addN([tf.matMul(r, Av), tf.mul(x, keepv), drives[t] as Tensor]);
      } else {
        const p = tf.add(tf.matMul(x, Av), drives[t] as Tensor);
        pres.push(p);
        const fp = transfer(m, p);
        fs.push(fp);
        x = tf.addN([tf.mul(x, keepv), tf.mul(fp, alphav)]);
      }
      xs.push(x);
    }
    const value = tf.stack(xs, 0);
    // kept for the backward pass (tfjs disposes the rest of this function's tensors; saves nothing outside a gradient)
    save([value, tf.stack(fs, 0), rateForm ? value : tf.stack(pres, 0), Av, keepv, alphav]);
    const gradFunc = (dy: Tensor | Tensor[], saved: Tensor[]): Tensor[] => {
      const [Xs, F, P, Avs, keeps, alphas] = saved as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor];
      const dX = tf.unstack(dy as Tensor, 0); // ∂L/∂x_t from outside the recurrence
      const AT = tf.transpose(Avs);
      const xPrev = tf.slice(Xs, [0, 0, 0], [T, B, N]); // x_0 … x_{T−1}
      // f′ at every step at once: of x_t (rate form), of pre_t times α (current form)
      const fPrime = tf.unstack(rateForm ? transferDerivative(m, xPrev) : tf.mul(transferDerivative(m, P), alphas), 0);
      const next: Tensor[] = new Array(T); // ∂L/∂x_{t+1}, t = 0 … T−1
      const hs: Tensor[] = new Array(T); // current form: ∂L/∂pre_t
      let g = dX[T] as Tensor;
      for (let t = T - 1; t >= 0; t--) {
        next[t] = g;
        if (rateForm) g = tf.addN([dX[t] as Tensor, tf.mul(tf.matMul(g, AT), fPrime[t] as Tensor), tf.mul(g, keeps)]);
        else {
          const h = tf.mul(g, fPrime[t] as Tensor);
          hs[t] = h;
          g = tf.addN([dX[t] as Tensor, tf.mul(g, keeps), tf.matMul(h, AT)]);
        }
      }
      const G = tf.stack(next, 0); // [T, B, N]
      const dKeep = tf.sum(tf.mul(xPrev, G), [0, 1]);
      if (rateForm) {
        // x_{t+1} depends on A through f(x_t) A, on D_t directly
        const dA = tf.matMul(tf.transpose(tf.reshape(F, [T * B, N])), tf.reshape(G, [T * B, N]));
        return [g, G, dA, dKeep, tf.zerosLike(alphas)];
      }
      const H = tf.stack(hs, 0);
      const dA = tf.matMul(tf.transpose(tf.reshape(xPrev, [T * B, N])), tf.reshape(H, [T * B, N]));
      const dAlpha = tf.sum(tf.mul(F, G), [0, 1]);
      return [g, H, dA, dKeep, dAlpha];
    };
    return { value, gradFunc };
  });
  return run(x0, D, A, keep, alpha) as Tensor;
}

/** f′(x) of the transfer function (with its clip): the derivative tfjs's own gradients of these ops give. */
function transferDerivative(m: RateRNN, x: Tensor): Tensor {
  const f = m.config.transfer;
  let y: Tensor;
  let d: Tensor;
  if (f === 'sigmoid') {
    y = tf.sigmoid(x);
    d = tf.mul(y, tf.sub(1, y));
  } else if (f === 'tanh') {
    y = tf.tanh(x);
    d = tf.sub(1, tf.square(y));
  } else if (f === 'relu') {
    y = tf.relu(x);
    d = tf.step(x);
  } else {
    y = tf.softplus(x);
    d = tf.sigmoid(x);
  }
  // tfjs's minimum(y, c) passes the gradient where y ≤ c
  return m.config.clip != null ? tf.mul(d, tf.cast(tf.lessEqual(y, m.config.clip), 'float32')) : d;
}

/** The transfer function f (with its clip, if any). */
function transfer(m: RateRNN, x: Tensor): Tensor {
  const f = m.config.transfer;
  const y = f === 'sigmoid' ? tf.sigmoid(x) : f === 'tanh' ? tf.tanh(x) : f === 'relu' ? tf.relu(x) : tf.softplus(x);
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
    const u = unrollRateTfjs(
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
        unrollRateTfjs(model, { wEff, wIn, bias, wOut, bOut, alpha }, inputs, x0t, noise).pre;
      // One forward pass: inside the differentiated function the outputs are read back, the loss
      // and ∂L/∂o are computed by `lossAndGradient` (the one loss definition of both engines), and
      // the function returns Σ o·∂L/∂o with ∂L/∂o a constant, whose gradient is the loss's.
      let outputs = new Float32Array(0);
      let losses: number[] = [];
      const g = tf.grads((...p: Tensor[]) => {
        const pre = f(...(p as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor]));
        const preData = pre.dataSync() as Float32Array;
        outputs = sigmoidReadout ? preData.map((v) => 1 / (1 + Math.exp(-v))) : preData.slice();
        const gOut = new Float32Array(B * T * K);
        losses = lossAndGradient(outputs, gOut, windowEnd);
        return tf.sum(tf.mul(pre, tf.tensor3d(gOut, [B, T, K])));
      })(xs);
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
