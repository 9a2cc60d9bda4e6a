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

import { checkFiniteState, type DivergenceError, LossDivergenceGuard } from '@wmkit/core-neuron';
import { describeConfigIssues, notAnObject } from '@wmkit/data-io';
import { KURTKAYA2025_DCDT, type StmConfig, type StmTask } from '@wmkit/tasks';
import { type Param, type Rng, runSteps, SgdMomentum, ShapeError, type StepGenerator } from '@wmkit/tensor';
import { z } from 'zod';
import { ConfigError, KIM_RATE_CONFIG, parseRateRnnConfig, type RateRNNConfig } from './config';
import { createRateRNN, type RateRNN, simulateRate } from './rate-rnn';
import { type Engine, RateRnnGradientTfjs } from './tfjs-engine';
import { lossAndGradient, RateRnnGradient } from './trainer';

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
  /** Which implementation computes the loss and gradient: the wasm scan kernel (default) or tfjs autodiff on the selected backend. */
  engine?: Engine;
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
  /**
   * Training diverged at this epoch (−1: never): a non-finite loss or weights, or a loss above
   * 100× the first epoch's. `loss`, `accuracy` and `reliability` are then cut to the epochs before.
   */
  divergedAt: number;
  /** For a diverged run: the epoch and the value. */
  error?: DivergenceError;
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
  return runSteps(trainStmSteps(task, config, rng, o));
}

/** `trainStm` as a step generator (yields after every epoch), for `runStepsYielding`; same results. */
export function* trainStmSteps(task: StmTask, config: RateRNNConfig, rng: Rng, o: StmTrainOptions): StepGenerator<StmTrainResult> {
  if (!(o.lr > 0)) throw new ShapeError(`trainStm: lr (${o.lr}) must be > 0`);
  if (task.nInputs !== config.nInputs || task.nOutputs !== config.nOutputs)
    throw new ShapeError(
      `trainStm: the task has ${task.nInputs} inputs and ${task.nOutputs} outputs but the network has ${config.nInputs} and ${config.nOutputs}`,
    );
  const epochs = o.epochs ?? stmEpochs(o.lr);
  const per = o.trialsPerCue ?? 64;
  const cues = Array.from({ length: per * task.nConditions }, (_, i) => i % task.nConditions);
  const batch = task.trials(cues);
  const model = createStmRnn(config, rng.fork('init'));
  const T = task.timeline.steps;
  const B = cues.length;
  const K = config.nOutputs;
  const grad = o.engine === 'tfjs' ? new RateRnnGradientTfjs(config, T, B) : new RateRnnGradient(config, T, B);
  const sigmoidReadout = config.readout === 'sigmoid';
  // the same weighted-MSE loss on both engines (the tfjs pass takes it as ∂L/∂o; the kernel computes it itself)
  const lossOf = (r: Rng): number =>
    grad instanceof RateRnnGradientTfjs
      ? grad.compute(model, batch, r, 'mse', (out, gOut, w) => lossAndGradient('mse', out, batch, B, T, K, w, sigmoidReadout, gOut))
      : grad.compute(model, batch, r, 'mse');
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
  let error: DivergenceError | undefined;
  const guard = new LossDivergenceGuard('STM RNN training', 'epoch');
  const root = rng.fork('train');
  try {
    for (let e = 0; e < epochs; e++) {
      const L = lossOf(root.fork(String(e)));
      try {
        guard.check(e, L);
        if (e > 0) for (const p of params) checkFiniteState('STM RNN training', p.value, e, 'epoch', p.name);
      } catch (err) {
        error = err as DivergenceError;
        divergedAt = e;
        break;
      }
      const outputs = grad.lastOutputs as Float32Array;
      const score = task.score({ data: outputs, shape: [cues.length, T, config.nOutputs] }, batch);
      loss[e] = L;
      accuracy[e] = score.stepAccuracy; // the authors' measure (per step, their reaction window)
      reliability[e] = score.reliability;
      o.onEpoch?.(e, L, score.stepAccuracy, score.reliability);
      for (let i = 0; i < biasGrad.length; i++) biasGrad[i] = 2 * g.bias[i];
      opt.step(params);
      yield;
    }
  } finally {
    grad.dispose();
  }
  const seconds = (performance.now() - t0) / 1000;
  if (error)
    return {
      model,
      epochs: divergedAt,
      loss: loss.slice(0, divergedAt),
      accuracy: accuracy.slice(0, divergedAt),
      reliability: reliability.slice(0, divergedAt),
      seconds,
      divergedAt,
      error,
    };
  return { model, epochs, loss, accuracy, reliability, seconds, divergedAt };
}

/**
 * Everything that determines one trained STM network besides its seed: the network, the task
 * and the training protocol (what run.json records as `config`, so a run can be made again).
 */
export interface StmProtocol {
  model: RateRNNConfig;
  task: StmConfig;
  /** SGD learning rate. */
  lr: number;
  /** Full-batch epochs (the paper: max(1000, 30/lr), `stmEpochs`). */
  epochs: number;
  /** Trials per cue in the full batch (the paper: 64). */
  trialsPerCue: number;
  momentum: number;
  weightDecay: number;
}

/**
 * The paper's protocol for one learning rate and task (Kurtkaya et al. 2025, App. A): SGD with
 * momentum 0.9 and weight decay 1e-7, 64 trials per cue, epochs = max(1000, 30/lr). The
 * delayed-activation control has one (silent) input and one output.
 */
export function stmProtocol(o: { lr: number; task?: Partial<StmConfig>; epochs?: number; trialsPerCue?: number }): StmProtocol {
  const task: StmConfig = { ...KURTKAYA2025_DCDT, ...o.task };
  const model = task.kind === 'delayed-activation' ? { ...KURTKAYA2025_RNN, nInputs: 1, nOutputs: 1 } : KURTKAYA2025_RNN;
  return {
    model,
    task,
    lr: o.lr,
    epochs: o.epochs ?? stmEpochs(o.lr),
    trialsPerCue: o.trialsPerCue ?? 64,
    momentum: 0.9,
    weightDecay: 1e-7,
  };
}

const stmTaskSchema = z.strictObject({
  kind: z.enum(['dcdt', 'delayed-activation', 'no-memory']),
  dtMs: z.number().positive(),
  cueMs: z.number().positive(),
  delayMs: z.number().nonnegative(),
  responseMs: z.number().positive(),
  postMs: z.number().nonnegative(),
  cues: z.number().int().min(2),
});

const stmProtocolSchema = z.strictObject({
  model: z.unknown(),
  task: z.unknown(),
  lr: z.number().positive(),
  epochs: z.number().int().min(1),
  trialsPerCue: z.number().int().min(1),
  momentum: z.number().min(0).lt(1),
  weightDecay: z.number().nonnegative(),
});

function mergeObject(base: object, value: unknown, source: string, what: string): Record<string, unknown> {
  if (value === undefined) return { ...base };
  const got = notAnObject(value);
  if (got) throw new ConfigError(`${source}: ${what} must be an object, got ${got}`);
  return { ...base, ...(value as object) };
}

/**
 * Validates a (possibly partial) STM protocol over `base`; errors name the field and `source`.
 * The task's periods must be whole steps of dt, and the network's inputs and outputs must match
 * the task's (one per cue; one each for delayed activation).
 */
export function parseStmProtocol(value: unknown, base: StmProtocol, source = 'config'): StmProtocol {
  const merged = mergeObject(base, value, source, 'an STM protocol');
  const top = stmProtocolSchema.safeParse(merged);
  if (!top.success) throw new ConfigError(`${source}: invalid STM protocol: ${describeConfigIssues(top.error.issues, base, merged)}`);
  const model = parseRateRnnConfig(merged.model === base.model ? undefined : merged.model, base.model, `${source} (model)`);
  const taskIn = mergeObject(base.task, merged.task === base.task ? undefined : merged.task, `${source} (task)`, 'the task');
  const t = stmTaskSchema.safeParse(taskIn);
  if (!t.success) throw new ConfigError(`${source}: invalid STM task: ${describeConfigIssues(t.error.issues, base.task, taskIn)}`);
  const task = t.data;
  for (const k of ['cueMs', 'delayMs', 'responseMs', 'postMs'] as const)
    if (Math.abs(task[k] / task.dtMs - Math.round(task[k] / task.dtMs)) > 1e-9)
      throw new ConfigError(`${source}: 'task.${k}' (${task[k]} ms) must be a multiple of task.dtMs (${task.dtMs} ms)`);
  if (model.dtMs !== task.dtMs)
    throw new ConfigError(`${source}: 'model.dtMs' (${model.dtMs}) differs from 'task.dtMs' (${task.dtMs}); make them equal`);
  const io = task.kind === 'delayed-activation' ? 1 : task.cues;
  if (model.nInputs !== io || model.nOutputs !== io)
    throw new ConfigError(
      `${source}: the ${task.kind} task with ${task.cues} cues has ${io} input(s) and ${io} output(s), but the network has ${model.nInputs} and ${model.nOutputs}; set model.nInputs=${io} and model.nOutputs=${io}`,
    );
  const p = top.data;
  return { model, task, lr: p.lr, epochs: p.epochs, trialsPerCue: p.trialsPerCue, momentum: p.momentum, weightDecay: p.weightDecay };
}

/**
 * The autonomous run of Kurtkaya et al. 2025 (Sec. 3, mechanism analysis): each given cue's trial
 * input, then zero input, for 9× the trial length, without noise. States [cues, T, N] as rates.
 * `rng` draws the initial states (fork it per use).
 */
export function stmAutonomousRun(model: RateRNN, task: StmTask, cues: readonly number[], rng: Rng): { states: Float32Array; T: number } {
  const Ttrial = task.timeline.steps;
  const T = 9 * Ttrial;
  const nIn = task.nInputs;
  const inputs = new Float32Array(cues.length * T * nIn);
  cues.forEach((c, i) => {
    inputs.set(task.trials([c]).inputs.data.subarray(0, Ttrial * nIn), i * T * nIn);
  });
  const sim = simulateRate(model, { data: inputs, shape: [cues.length, T, nIn] }, rng, { noise: false });
  return { states: sim.rates?.data as Float32Array, T };
}
