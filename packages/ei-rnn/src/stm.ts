/**
 * Training the short-term-memory networks of Kurtkaya et al. (ICML 2025; docs/models/stm-rnn.md §Network and training):
 *
 *   r_{t+1} = (1 − α) r_t + α·tanh(W_rec r_t + b + W_in u_t + ε),  ε ~ N(0, 0.001²), α = 0.5
 *   o_t = sigmoid(W_out r_t + b_out)  (read before the update)
 *
 * N = 100, Xavier-uniform weights, W_rec diagonal zeroed at init, r_0 = tanh(0.1·N(0, 1)).
 * Weighted MSE (the task's mask), SGD with momentum 0.9 and weight decay 1e-7, full batch (64
 * trials per cue), epochs = max(1000, 30/lr); accuracy and reliability recorded every epoch as
 * the authors' `calculate_accuracy` computes them (`StmTask.score`: `stepAccuracy`, `reliability`).
 */

import type { StmTask } from '@wmkit/tasks';
import { type Param, type Rng, SgdMomentum } from '@wmkit/tensor';
import { KIM_RATE_CONFIG, parseRateRnnConfig, type RateRNNConfig } from './config';
import { createRateRNN, type RateRNN } from './rate-rnn';
import { RateRnnGradient } from './trainer';

/** Kurtkaya et al. 2025's network: N = 100 tanh units, α = dt/τ = 0.5, no Dale's law, Xavier-uniform weights. */
export const KURTKAYA2025_RNN: RateRNNConfig = parseRateRnnConfig({
  ...KIM_RATE_CONFIG,
  N: 100,
  nInputs: 2,
  nOutputs: 2,
  dale: false,
  transfer: 'tanh',
  form: 'current',
  tau: { kind: 'fixed', alpha: 0.5 }, // dt/τ = 5 ms / 10 ms
  recurrentInit: 'xavier',
  inputInit: 'xavier',
  outputInit: 'xavier',
  noiseStd: 0.001,
  x0: { kind: 'tanh-normal', scale: 0.1 },
  biases: true,
  readout: 'sigmoid',
  outputTiming: 'before-update',
  dtMs: 5,
});

/** Learning rate, epochs and hooks of `trainStm`. */
export interface StmTrainOptions {
  lr: number;
  /** Default max(1000, 30/lr). */
  epochs?: number;
  /** Trials per cue in the full batch (default 64, as the authors). */
  trialsPerCue?: number;
  momentum?: number;
  weightDecay?: number;
  /** Called after each epoch with its loss, accuracy and reliability. */
  onEpoch?: (epoch: number, loss: number, accuracy: number, reliability: number) => void;
}

/** The trained network and its per-epoch loss, accuracy and reliability. */
export interface StmTrainResult {
  model: RateRNN;
  epochs: number;
  loss: Float32Array;
  /** Per epoch: the authors' reaction-window accuracy (per step; `StmScore.stepAccuracy`). */
  accuracy: Float32Array;
  /** Per epoch: the authors' reaction-window reliability. */
  reliability: Float32Array;
  seconds: number;
  /** Training stopped on a non-finite loss at this epoch (−1: never). */
  divergedAt: number;
}

/** Kurtkaya et al.'s number of epochs at learning rate lr: max(1000, 30/lr). */
export function stmEpochs(lr: number): number {
  return Math.max(1000, Math.ceil(30 / lr));
}

/**
 * A fresh Kurtkaya network as the authors' `src/rnn.py` builds it: Xavier-uniform weights with
 * the W_rec diagonal zeroed, and PyTorch's default `nn.Linear` biases, which their code keeps:
 * b_in ~ U(±1/√n_in) and b_rec ~ U(±1/√N) (their sum is `bias`), b_out ~ U(±1/√N).
 */
export function createStmRnn(config: RateRNNConfig, rng: Rng): RateRNN {
  const m = createRateRNN(config, rng);
  const { N, nInputs } = config;
  for (let i = 0; i < N; i++) m.w[i * N + i] = 0;
  if (config.biases) {
    const b = rng.fork('biases');
    const bIn = b.uniform(N, -1 / Math.sqrt(nInputs), 1 / Math.sqrt(nInputs));
    const bRec = b.uniform(N, -1 / Math.sqrt(N), 1 / Math.sqrt(N));
    for (let i = 0; i < N; i++) m.bias[i] = bIn[i] + bRec[i];
    m.bOut.set(b.uniform(m.bOut.length, -1 / Math.sqrt(N), 1 / Math.sqrt(N)));
  }
  return m;
}

/** Full-batch training of an STM network (Kurtkaya et al. 2025): SGD with momentum 0.9, weighted MSE, for `stmEpochs(lr)` epochs unless told otherwise. */
export function trainStm(task: StmTask, config: RateRNNConfig, rng: Rng, o: StmTrainOptions): StmTrainResult {
  if (!(o.lr > 0)) throw new RangeError(`trainStm: lr (${o.lr}) must be > 0`);
  if (task.nInputs !== config.nInputs || task.nOutputs !== config.nOutputs)
    throw new RangeError(
      `trainStm: the task has ${task.nInputs} inputs and ${task.nOutputs} outputs but the network has ${config.nInputs} and ${config.nOutputs}`,
    );
  const epochs = o.epochs ?? stmEpochs(o.lr);
  const per = o.trialsPerCue ?? 64;
  const cues = Array.from({ length: per * task.nConditions }, (_, i) => i % task.nConditions);
  const batch = task.trials(cues);
  const model = createStmRnn(config, rng.fork('init'));
  const T = task.timeline.steps;
  const grad = new RateRnnGradient(config, T, cues.length);
  const g = grad.grads;
  const biasGrad = new Float32Array(config.N);
  const params: Param[] = [
    { name: 'w', value: model.w, grad: g.w },
    { name: 'wIn', value: model.wIn, grad: g.wIn },
    // b_in and b_rec are two parameters in the authors' code, each with this gradient: with SGD
    // (momentum and weight decay are linear) their sum moves exactly as one bias with twice it
    { name: 'bias', value: model.bias, grad: biasGrad },
    { name: 'wOut', value: model.wOut, grad: g.wOut },
    { name: 'bOut', value: model.bOut, grad: g.bOut },
  ];
  const opt = new SgdMomentum({ lr: o.lr, momentum: o.momentum ?? 0.9, weightDecay: o.weightDecay ?? 1e-7 });
  const loss = new Float32Array(epochs);
  const accuracy = new Float32Array(epochs);
  const reliability = new Float32Array(epochs);
  const t0 = performance.now();
  let divergedAt = -1;
  const root = rng.fork('train');
  try {
    for (let e = 0; e < epochs; e++) {
      const L = grad.compute(model, batch, root.fork(String(e)), 'mse');
      const outputs = grad.lastOutputs as Float32Array;
      const score = task.score({ data: outputs, shape: [cues.length, T, config.nOutputs] }, batch);
      loss[e] = L;
      accuracy[e] = score.stepAccuracy; // the authors' measure (per step, their reaction window)
      reliability[e] = score.reliability;
      o.onEpoch?.(e, L, score.stepAccuracy, score.reliability);
      if (!Number.isFinite(L)) {
        divergedAt = e;
        loss.fill(Number.NaN, e);
        break;
      }
      for (let i = 0; i < biasGrad.length; i++) biasGrad[i] = 2 * g.bias[i];
      opt.step(params);
    }
  } finally {
    grad.dispose();
  }
  return { model, epochs, loss, accuracy, reliability, seconds: (performance.now() - t0) / 1000, divergedAt };
}
