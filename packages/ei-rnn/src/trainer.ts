/**
 * Training by backpropagation through time with wmkit's fused wasm scan (forward and
 * backward in one call per minibatch), Adam or SGD, and the stopping rule of Kim et al. 2019
 * (spikeRNN `main.py`): evaluate every 100 trials on 100 fresh trials; stop when the mean eval
 * loss < 7 and accuracy > 0.95; give up after 6,000 trials.
 *
 * Gradients: the scan kernel returns ∂L/∂W_eff, ∂L/∂α, ∂L/∂(drive); the chain rule to the
 * trained parameters is applied here: w (through relu·sign·mask), W_in and bias (through the
 * drive), τ_raw (α = 1/τ, τ = σ(τ_raw)(τmax−τmin)+τmin), W_out/b_out (through the read-out).
 * These equal tfjs autodiff through `rateRnnStep` (tested).
 *
 * Divergence stops training with reason 'diverged' (the `error` says where and why) and restores
 * the parameters of the last good evaluation, which is what checkpoints hold. Diverged means: a
 * NaN/Inf loss or gradient, or an evaluation loss more than `LOSS_GROWTH_LIMIT` × the untrained
 * network's (evaluated once before the first update, on its own trials), which no descending
 * training reaches (Adam with lr = 1e6 ends near 1e9 without ever producing a NaN).
 */
import { DivergenceError, daleWeightsGradient, LossDivergenceGuard, tauFromRawDerivative } from '@wmkit/core-neuron';
import type { Task, TaskScore, TrialBatch } from '@wmkit/tasks';
import {
  Adam,
  clipGradNorm,
  hasNonFinite,
  kernels,
  type Optimizer,
  type Param,
  type Rng,
  runSteps,
  SgdMomentum,
  ShapeError,
  type StepGenerator,
} from '@wmkit/tensor';
import { ConfigError, type TrainConfig } from './config';
import {
  effectiveWeights,
  initialStatesInto,
  inputDrive,
  type RateRNN,
  simulateRate,
  toTimeMajor,
  unitAlphas,
  unitTauSteps,
} from './rate-rnn';
import { type Engine, RateRnnGradientTfjs, simulateRateTfjs } from './tfjs-engine';

/** One evaluation during training: trial and update count, loss and accuracy on fresh trials. */
export interface EvalRecord {
  trial: number;
  update: number;
  /** Mean loss of the fresh evaluation trials (full loss window). */
  loss: number;
  accuracy: number;
  /** Mean training loss since the previous evaluation. */
  trainLoss: number;
  seconds: number;
}

/** Trials, updates and loss so far. */
export interface TrainProgress {
  trial: number;
  update: number;
  loss: number;
  seconds: number;
  lastEval: EvalRecord | null;
}

/** The trained model, whether the stopping rule was met (and why training ended), trials used and the evaluation history. */
export interface TrainResult {
  model: RateRNN;
  success: boolean;
  reason: 'criterion' | 'max-trials' | 'diverged' | 'aborted';
  trials: number;
  updates: number;
  seconds: number;
  history: EvalRecord[];
  /** Human-readable reason for 'diverged'. */
  message?: string;
  /** For 'diverged': the step (trial) and the value. */
  error?: DivergenceError;
}

/** An evaluation loss above this multiple of the first evaluation's counts as divergence. */
export const LOSS_GROWTH_LIMIT = 100;

/** Progress, evaluation and abort hooks of `trainRateRNN`. */
export interface TrainHooks {
  /** Called after each parameter update with the training loss. */
  onUpdate?: (p: TrainProgress) => void;
  /** After each evaluation, with the (copied) model at that point: write checkpoints here. */
  onEval?: (e: EvalRecord, model: RateRNN) => void | Promise<void>;
  /** Return true to stop early (reason 'aborted'). */
  shouldStop?: () => boolean;
  /** The wasm kernels (default) or TensorFlow.js ops on the selected backend, for the gradient and the evaluations. */
  engine?: Engine;
}

/** A deep copy of the trainable arrays (the config is shared). */
export function cloneRateRNN(m: RateRNN): RateRNN {
  return {
    config: m.config,
    w: m.w.slice(),
    sign: m.sign.slice(),
    mask: m.mask.slice(),
    wIn: m.wIn.slice(),
    bias: m.bias.slice(),
    wOut: m.wOut.slice(),
    bOut: m.bOut.slice(),
    tauRaw: m.tauRaw.slice(),
  };
}

/** Loss value per trial and ∂L/∂o (w.r.t. the read-out pre-activation), for outputs [B,T,K]. */
export function lossAndGradient(
  kind: TrainConfig['loss'],
  outputs: Float32Array,
  batch: TrialBatch,
  B: number,
  T: number,
  K: number,
  windowEnd: number,
  sigmoidReadout: boolean,
  grad: Float32Array | null,
): number[] {
  const z = batch.targets.data;
  const mask = batch.mask.data;
  const perTrial: number[] = [];
  const end = Math.min(T, windowEnd);
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let t = 0; t < end; t++) {
      for (let k = 0; k < K; k++) {
        const i = (b * T + t) * K + k;
        const e = outputs[i] - z[i];
        s += mask[i] * e * e;
      }
    }
    perTrial.push(kind === 'kim-l2' ? Math.sqrt(s) : s / (T * K));
  }
  if (grad) {
    grad.fill(0);
    for (let b = 0; b < B; b++) {
      const L = perTrial[b];
      const scale = kind === 'kim-l2' ? (L > 0 ? 1 / (L * B) : 0) : 2 / (T * K * B);
      for (let t = 0; t < end; t++) {
        for (let k = 0; k < K; k++) {
          const i = (b * T + t) * K + k;
          const o = outputs[i];
          let g = scale * mask[i] * (o - z[i]);
          if (sigmoidReadout) g *= o * (1 - o);
          grad[i] = g;
        }
      }
    }
  }
  return perTrial;
}

/** Evaluates on `n` fresh trials: mean loss (full window) and the task's score. */
export function evaluateRate(
  m: RateRNN,
  task: Task,
  n: number,
  rng: Rng,
  lossKind: TrainConfig['loss'],
  engine: Engine = 'kernels',
): { loss: number; score: TaskScore } {
  return runSteps(evaluateRateSteps(m, task, n, rng, lossKind, engine));
}

/** `evaluateRate` as a step generator (yields after every chunk of 50 trials), for `runStepsYielding`; same results. */
export function* evaluateRateSteps(
  m: RateRNN,
  task: Task,
  n: number,
  rng: Rng,
  lossKind: TrainConfig['loss'],
  engine: Engine = 'kernels',
): StepGenerator<{ loss: number; score: TaskScore }> {
  const simulate = engine === 'tfjs' ? simulateRateTfjs : simulateRate;
  const chunk = 50;
  const K = m.config.nOutputs;
  const T = task.timeline.steps;
  let lossSum = 0;
  const correct = new Uint8Array(n);
  for (let start = 0, c = 0; start < n; start += chunk, c++) {
    const B = Math.min(chunk, n - start);
    const batch = task.sample(B, rng.fork(`batch${c}`));
    const sim = simulate(m, batch.inputs, rng.fork(`sim${c}`), { recordRates: false });
    const losses = lossAndGradient(lossKind, sim.outputs.data, batch, B, T, K, T, false, null);
    for (const l of losses) lossSum += l;
    const s = task.score(sim.outputs, batch);
    correct.set(s.correct, start);
    yield;
  }
  let ok = 0;
  for (const c of correct) ok += c;
  return { loss: lossSum / n, score: { correct, accuracy: ok / n } };
}

/** Gradients of the training loss: one forward + backward pass of the wasm scan per batch. */
export class RateRnnGradient {
  readonly grads: { w: Float32Array; wIn: Float32Array; bias: Float32Array; wOut: Float32Array; bOut: Float32Array; tauRaw: Float32Array };
  private readonly buf;
  private readonly k = kernels();
  readonly mark: number;
  /** Outputs [B, T, K] (after the read-out non-linearity) of the last `compute`. */
  lastOutputs: Float32Array | null = null;

  constructor(
    private readonly config: RateRNN['config'],
    readonly T: number,
    readonly B: number,
  ) {
    const { N, nInputs: nIn, nOutputs: K } = config;
    const k = this.k;
    this.mark = k.mark();
    this.grads = {
      w: new Float32Array(N * N),
      wIn: new Float32Array(N * nIn),
      bias: new Float32Array(N),
      wOut: new Float32Array(K * N),
      bOut: new Float32Array(K),
      tauRaw: new Float32Array(N),
    };
    this.buf = {
      u: k.buffer(T * B * nIn),
      D: k.buffer(T * B * N),
      Z: config.noiseStd > 0 ? k.buffer(T * B * N) : null,
      S: k.buffer((T + 1) * B * N),
      // current form: the observable is the state itself (one buffer)
      Y: config.form === 'current' ? null : k.buffer((T + 1) * B * N),
      P: k.buffer(T * B * N),
      // current form: f(P) kept from the forward pass for the backward pass
      F: config.form === 'current' ? k.buffer(T * B * N) : null,
      bias: k.buffer(N),
      dBias: k.buffer(N),
      W: k.buffer(N * N),
      alpha: k.buffer(N),
      wInT: k.buffer(nIn * N),
      wOut: k.buffer(K * N),
      O: k.buffer(T * B * K),
      dO: k.buffer(T * B * K),
      // the read-out and loss in wasm (Kernels.readoutLoss: lossAndGradient's arithmetic)
      bOut: k.buffer(K),
      z: k.buffer(B * T * K),
      mask: k.buffer(B * T * K),
      out: k.buffer(B * T * K),
      lossB: k.buffer(2 * B), // float64 [B]
      dY: k.buffer((T + 1) * B * N),
      dW: k.buffer(N * N),
      dD: k.buffer(T * B * N),
      dAlpha: k.buffer(N),
      dS0: k.buffer(B * N),
      dWinT: k.buffer(nIn * N),
      dWout: k.buffer(K * N),
    };
  }

  /** Frees the kernel memory (allocations made after this object are freed too). */
  dispose(): void {
    this.k.release(this.mark);
  }

  /**
   * Loss of `batch` (mean over its trials) and its gradient w.r.t. every parameter, written to
   * `this.grads`. Noise and initial states come from `rng`. The loss covers steps [0, windowEnd).
   */
  compute(model: RateRNN, batch: TrialBatch, rng: Rng, loss: TrainConfig['loss'], windowEnd = this.T): number {
    const { N, nInputs: nIn, nOutputs: K } = model.config;
    const { T, B, k, buf, grads } = this;
    if (batch.inputs.shape[0] !== B || batch.inputs.shape[1] !== T) {
      throw new ShapeError(`RateRnnGradient: batch is [${batch.inputs.shape.join(', ')}] but this pass was sized for B=${B}, T=${T}`);
    }
    const sigmoidReadout = model.config.readout === 'sigmoid';
    const readFirst = model.config.outputTiming === 'before-update' ? 0 : 1;
    // forward
    toTimeMajor(batch.inputs.data, B, T, nIn, buf.u.view());
    inputDrive(k, T * B, model, buf.u, buf.wInT, buf.D);
    const biases = model.config.biases;
    if (biases) buf.bias.set(model.bias);
    if (buf.Z) k.fillNormal(rng.fork('noise'), buf.Z, 0, model.config.noiseStd); // in wasm, the same draws as Rng.fillNormal
    initialStatesInto(k, model, B, rng.fork('x0'), buf.S.sub(0, B * N)); // the draws in wasm, as initialStates
    buf.W.set(effectiveWeights(model));
    buf.alpha.set(unitAlphas(model));
    const Y = buf.Y ?? buf.S;
    const scan = {
      mode: model.config.form,
      transfer: model.config.transfer,
      clip: model.config.clip ?? undefined,
      B,
      N,
      T,
      W: buf.W,
      D: buf.D,
      Z: buf.Z,
      bias: biases ? buf.bias : null,
      alpha: buf.alpha,
      S: buf.S,
      Y,
      P: buf.P,
      F: buf.F,
    };
    k.leakyRnnForward(scan);
    const Yout = Y.sub(readFirst * B * N, T * B * N);
    buf.wOut.set(model.wOut);
    k.matmulABt(T * B, N, K, Yout, buf.wOut, buf.O);
    // read-out, loss and ∂L/∂o in wasm, trials across the kernel threads: the same values as the
    // batch-major loop and lossAndGradient (float64 in the same order, Math.exp's bits)
    buf.bOut.set(model.bOut);
    buf.z.set(batch.targets.data);
    buf.mask.set(batch.mask.data);
    k.readoutLoss({
      B,
      T,
      K,
      end: Math.max(0, Math.ceil(Math.min(T, windowEnd))), // (steps t < windowEnd)
      sigmoid: sigmoidReadout,
      loss,
      O: buf.O,
      bOut: buf.bOut,
      z: buf.z,
      mask: buf.mask,
      out: buf.out,
      dO: buf.dO,
      lossPerTrial: buf.lossB,
    });
    this.lastOutputs = buf.out.copy();
    const perTrial = new Float64Array(k.memory.buffer, buf.lossB.ptr, B);
    let lossSum = 0;
    for (let b = 0; b < B; b++) lossSum += perTrial[b];
    // backward: read-out (∂L/∂b_out summed over (t, b) in order, in float32 as before)
    const dO = buf.dO.view();
    const dBout = grads.bOut;
    dBout.fill(0);
    for (let r = 0; r < T * B; r++) for (let q = 0; q < K; q++) dBout[q] += dO[r * K + q];
    // the product writes T of the T + 1 slots of dY; zero the one it leaves (the first or the last)
    buf.dY.sub(readFirst === 0 ? T * B * N : 0, B * N).fill(0);
    k.matmulAB(T * B, K, N, buf.dO, buf.wOut, buf.dY.sub(readFirst * B * N, T * B * N));
    k.matmulAtB(T * B, K, N, buf.dO, Yout, buf.dWout);
    // backward: the scan
    buf.dW.fill(0);
    const tauCfg = model.config.tau;
    const trainTau = tauCfg.kind === 'trainable';
    buf.dAlpha.fill(0);
    buf.dBias.fill(0);
    k.leakyRnnBackward({
      ...scan,
      dY: buf.dY,
      dW: buf.dW,
      dD: buf.dD,
      dAlpha: trainTau ? buf.dAlpha : null,
      dBias: biases ? buf.dBias : null,
      dS0: buf.dS0,
    });
    // chain rule to the parameters
    grads.w.set(daleWeightsGradient(buf.dW.view(), model.w, model.sign, model.mask, model.config.dale));
    // dW_in = dDᵀ·u, computed as uᵀ·dD (u is mostly zeros, which the kernel skips), then transposed
    k.matmulAtB(T * B, nIn, N, buf.u, buf.dD, buf.dWinT);
    const dWinT = buf.dWinT.view();
    for (let i = 0; i < N; i++) for (let j = 0; j < nIn; j++) grads.wIn[i * nIn + j] = dWinT[j * N + i];
    grads.wOut.set(buf.dWout.view());
    if (biases) grads.bias.set(buf.dBias.view());
    else grads.bias.fill(0);
    grads.tauRaw.fill(0);
    if (trainTau) {
      const tau = unitTauSteps(model);
      const dTau = tauFromRawDerivative(model.tauRaw, tauCfg.minSteps, tauCfg.maxSteps);
      const dA = buf.dAlpha.view();
      for (let i = 0; i < N; i++) grads.tauRaw[i] = dA[i] * (-1 / (tau[i] * tau[i])) * dTau[i];
    }
    return lossSum / B;
  }
}

/** Trains `model` in place on `task`; returns why it stopped and the evaluation history. */
export async function trainRateRNN(model: RateRNN, task: Task, cfg: TrainConfig, rng: Rng, hooks: TrainHooks = {}): Promise<TrainResult> {
  const { nInputs: nIn, nOutputs: K } = model.config;
  if (task.nInputs !== nIn || task.nOutputs !== K) {
    throw new ShapeError(
      `trainRateRNN: the task has ${task.nInputs} inputs and ${task.nOutputs} outputs but the network has ${nIn} and ${K}`,
    );
  }
  // dt has one owner, the task: a model whose time constants were converted with another dt
  // would integrate at the wrong speed without any error
  if (Math.abs(task.timeline.dtMs - model.config.dtMs) > 1e-9 * model.config.dtMs)
    throw new ConfigError(
      `trainRateRNN: the task steps dt = ${task.timeline.dtMs} ms but the network was built for dt = ${model.config.dtMs} ms; build the network with the task's dt (model.dtMs = ${task.timeline.dtMs})`,
    );
  const T = task.timeline.steps;
  const B = cfg.batchSize;
  const engine = hooks.engine ?? 'kernels';
  const sigmoidReadout = model.config.readout === 'sigmoid';
  const pass = engine === 'tfjs' ? new RateRnnGradientTfjs(model.config, T, B) : new RateRnnGradient(model.config, T, B);
  const grads = pass.grads;
  const computeLoss = (batch: TrialBatch, r: Rng, windowEnd: number): number =>
    pass instanceof RateRnnGradientTfjs
      ? pass.compute(model, batch, r, cfg.loss, (o, g, w) => lossAndGradient(cfg.loss, o, batch, B, T, K, w, sigmoidReadout, g), windowEnd)
      : pass.compute(model, batch, r, cfg.loss, windowEnd);
  const opt: Optimizer = cfg.optimizer === 'adam' ? new Adam({ lr: cfg.lr, weightDecay: cfg.weightDecay }) : new SgdMomentum(cfg);
  const params: Param[] = [];
  if (cfg.train.recurrent) params.push({ name: 'w', value: model.w, grad: grads.w });
  if (cfg.train.input) params.push({ name: 'wIn', value: model.wIn, grad: grads.wIn });
  if (cfg.train.bias && model.config.biases) params.push({ name: 'bias', value: model.bias, grad: grads.bias });
  if (cfg.train.readout)
    params.push({ name: 'wOut', value: model.wOut, grad: grads.wOut }, { name: 'bOut', value: model.bOut, grad: grads.bOut });
  if (cfg.train.tau && model.config.tau.kind === 'trainable') params.push({ name: 'tauRaw', value: model.tauRaw, grad: grads.tauRaw });

  const t0 = performance.now();
  const history: EvalRecord[] = [];
  let lastGood = cloneRateRNN(model);
  let trials = 0;
  let updates = 0;
  let trainLossSum = 0;
  let trainLossN = 0;
  let lastYield = performance.now();
  let lastEval: EvalRecord | null = null;
  const done = (reason: TrainResult['reason'], error?: DivergenceError): TrainResult => ({
    model,
    success: reason === 'criterion',
    reason,
    trials,
    updates,
    seconds: (performance.now() - t0) / 1000,
    history,
    ...(error ? { message: `${error.message}; parameters restored to the last good evaluation`, error } : {}),
  });
  const evalGuard = new LossDivergenceGuard('E/I RNN training (evaluation loss)', 'trial', LOSS_GROWTH_LIMIT);
  // the reference for the guard: the untrained network (its own trials; no draw elsewhere changes)
  const initial = evaluateRate(model, task, cfg.evalTrials, rng.fork('eval-initial'), cfg.loss, engine).loss;
  if (Number.isFinite(initial)) evalGuard.check(0, initial);
  const meetsCriterion = (e: EvalRecord) =>
    (cfg.stopLossBelow == null || e.loss < cfg.stopLossBelow) && (cfg.stopAccuracyAbove == null || e.accuracy > cfg.stopAccuracyAbove);
  /** Evaluates, records, checkpoints; a DivergenceError instead when the loss is beyond the guard. */
  const evalNow = async (): Promise<EvalRecord | DivergenceError> => {
    const ev = evaluateRate(model, task, cfg.evalTrials, rng.fork(`eval${trials}`), cfg.loss, engine);
    const rec: EvalRecord = {
      trial: trials,
      update: updates,
      loss: ev.loss,
      accuracy: ev.score.accuracy,
      trainLoss: trainLossN ? trainLossSum / trainLossN : Number.NaN,
      seconds: (performance.now() - t0) / 1000,
    };
    trainLossSum = 0;
    trainLossN = 0;
    history.push(rec);
    lastEval = rec;
    try {
      evalGuard.check(trials, rec.loss);
    } catch (err) {
      if (err instanceof DivergenceError) return err;
      throw err;
    }
    lastGood = cloneRateRNN(model);
    await hooks.onEval?.(rec, cloneRateRNN(model));
    return rec;
  };

  try {
    while (trials < cfg.maxTrials) {
      if (hooks.shouldStop?.()) return done('aborted');
      const batch = task.sample(B, rng.fork(`train${updates}`));
      const windowEnd = cfg.lossWindow
        ? Math.round(cfg.lossWindow.startEnd + (T - cfg.lossWindow.startEnd) * Math.min(1, updates / cfg.lossWindow.rampUpdates))
        : T;
      const loss = computeLoss(batch, rng.fork(`pass${updates}`), windowEnd);
      trials += B;
      updates += 1;
      if (!Number.isFinite(loss) || hasNonFinite(params.map((p) => p.grad))) {
        Object.assign(model, cloneRateRNN(lastGood));
        const what = Number.isFinite(loss) ? 'gradient' : 'loss';
        return done(
          'diverged',
          new DivergenceError('E/I RNN training', {
            step: trials,
            stepName: 'trial',
            quantity: 'loss',
            value: loss,
            bound: `non-finite ${what}`,
          }),
        );
      }
      if (cfg.gradClipNorm != null)
        clipGradNorm(
          params.map((p) => p.grad),
          cfg.gradClipNorm,
        );
      opt.step(params);
      trainLossSum += loss;
      trainLossN += 1;
      hooks.onUpdate?.({ trial: trials, update: updates, loss, seconds: (performance.now() - t0) / 1000, lastEval });
      // evaluate after trial 1, 101, 201, … (spikeRNN: (tr − 1) % eval_freq == 0)
      if (Math.floor((trials - 1) / cfg.evalEvery) > Math.floor((trials - B - 1) / cfg.evalEvery)) {
        const rec = await evalNow();
        if (rec instanceof DivergenceError) {
          Object.assign(model, cloneRateRNN(lastGood));
          return done('diverged', rec);
        }
        if (meetsCriterion(rec)) return done('criterion');
      }
      if (performance.now() - lastYield > 200) {
        await new Promise((r) => setTimeout(r, 0)); // let signals and I/O through
        lastYield = performance.now();
      }
    }
    return done('max-trials');
  } finally {
    pass.dispose();
  }
}
