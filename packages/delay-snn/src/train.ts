/**
 * Surrogate-gradient training of the HD-SNN with the global 1 − F1 loss (docs/models/delay-snn.md §Loss and training),
 * on the event-driven engine. One gradient step per epoch with all M patterns in one batch:
 *
 *   1. cued recall of every pattern with dropout on the current (training mode);
 *   2. TP, FP, FN over patterns, neurons and scored steps → loss and dL/d(spike);
 *   3. backward pass per pattern (BPTT through the membrane; with `gradient: 'full'` also
 *      back through the recurrent spikes), accumulating dL/dW;
 *   4. SGD with momentum/dampening or AdamW, learning rate from the authors' schedule
 *      (constant for `warmupSteps`, then cosine decay towards `finalLr`);
 *   5. evaluation: recall again with fresh background noise and no dropout.
 *
 * @example
 * ```ts
 * const set = bernoulliPatterns({ M: 16, N: 1024, T: 1000, p: 1e-3, seed: 2018 });
 * const model = createHdSnn(PERRINET2026_REFERENCE);
 * const res = trainHdSnn(model, set, { onStep: (s) => console.log(s.step, s.eval.f1) });
 * ```
 */
import { checkFiniteState, DivergenceError } from '@wmkit/core-neuron';
import type { SpikePatternSet } from '@wmkit/tasks';
import { Rng, runSteps, type StepGenerator } from '@wmkit/tensor';
import { ConfigError, type HdSnnConfig } from './config';
import type { HdSnnEngine } from './engine';
import { type AnyHdSnnEngine, createHdSnnEngine, type HdSnnEngineKind } from './engine-tfjs';
import type { SpikeEvents } from './events';
import { addCounts, type Counts, countMatches, f1LossGradient, type Scores, scoresFromCounts } from './metrics';
import { type HdSnnModel, type InitInfo, initialise } from './network';
import { type RecallResult, recall, recallInputEvents, recallSteps, scoring, targetEvents } from './recall';
import { f1Bins } from './recall-summary';

/** The authors' learning-rate factor: 1 during warm-up, then (cos decay + r)/(1 + r), r = finalLr/lr. */
export function lrAt(step: number, t: HdSnnConfig['train']): number {
  if (step < t.warmupSteps) return t.lr;
  const progress = (step - t.warmupSteps) / Math.max(1, t.steps - t.warmupSteps);
  const cos = 0.5 * (1 + Math.cos(Math.PI * progress));
  const rel = t.finalLr / t.lr;
  return (t.lr * (cos + rel)) / (1 + rel);
}

/** One gradient step: learning rate, training loss (with dropout) and recall scores without dropout. */
export interface TrainStep {
  step: number;
  lr: number;
  /** Loss of the training pass (with dropout). */
  trainLoss: number;
  train: Scores;
  /** Recall without dropout, fresh background noise. */
  eval: Scores;
  /** Spikes per pattern in the training pass (activity check: silence or over-activation). */
  spikesPerPattern: number;
  /** Membrane decay β after this step (changes only with train.learnBeta). */
  beta: number;
  /** Threshold ϑ after this step (changes only with train.learnThreshold). */
  threshold: number;
  /**
   * F1 of the evaluation along the pattern, in bins of `F1_BIN_STEPS` steps after the cue (bin b
   * covers pattern steps D + b·F1_BIN_STEPS …; `step` is the bin centre): the paper's Fig. 3 view.
   */
  f1OverTime: { step: number; f1: number }[];
  seconds: number;
}

/** Every step of a training run and its duration. */
export interface TrainResult {
  history: TrainStep[];
  /** β and ϑ after training (the config's unless learnt; `model.config` is updated to them). */
  neuron: { beta: number; threshold: number };
  seconds: number;
}

/** Hooks and abort signal of `trainHdSnn`. */
export interface TrainOptions {
  /** Called after each gradient step with its loss and evaluation. */
  onStep?: (s: TrainStep) => void;
  /** Stops between steps when aborted (the history so far is returned). */
  signal?: AbortSignal;
  /** Which implementation trains: the event-driven wasm kernels (default) or tfjs ops with autodiff. */
  engine?: HdSnnEngineKind;
}

/** Everything a training step needs, allocated once. */
function makeEngine(model: HdSnnModel, M: number, kind: HdSnnEngineKind = 'kernels'): AnyHdSnnEngine {
  const cfg = model.config;
  return createHdSnnEngine(
    {
      N: cfg.N,
      D: cfg.D,
      steps: recallSteps(cfg),
      slots: M,
      train: {
        optimizer: cfg.train.optimizer,
        full: cfg.train.gradient === 'full',
        params: cfg.train.learnBeta || cfg.train.learnThreshold,
      },
    },
    kind,
  );
}

/**
 * One training pass: forward with dropout for every pattern (recorded), loss, backward.
 * Returns the counts and the loss; the gradient is left in the engine.
 */
export function gradientPass(
  engine: AnyHdSnnEngine,
  set: SpikePatternSet,
  cfg: HdSnnConfig,
  rng: Rng,
  targets: { plain: SpikeEvents[]; aligned: SpikeEvents[] },
): { counts: Counts; loss: number; spikes: number } {
  const inputs = recallInputEvents(set, cfg, rng);
  const n = cfg.T - cfg.D;
  let counts: Counts = { TP: 0, FP: 0, FN: 0 };
  let spikes = 0;
  const dropRng = rng.fork('dropout');
  // every pattern's forward pass in one batch (different patterns on different kernel threads)
  const owns = engine.forwardBatch(inputs, {
    beta: cfg.beta,
    threshold: cfg.threshold,
    reset: cfg.reset,
    tStart: cfg.D,
    dropout: cfg.train.dropout,
    rngs: inputs.map((_, m) => dropRng.fork(String(m))),
    record: true,
  });
  owns.forEach((own, m) => {
    spikes += own.off[own.steps] as number;
    counts = addCounts(
      counts,
      countMatches(own, cfg.backgroundSteps + cfg.D, targets.plain[m] as SpikeEvents, cfg.D, n, undefined, undefined, set.N),
    );
  });
  const { loss, gPos, gNeg } = f1LossGradient(counts);
  engine.zeroGrad();
  const { scoreFrom, scoreTo } = scoring(cfg);
  engine.backwardBatch(targets.aligned.slice(0, set.M), {
    beta: cfg.beta,
    threshold: cfg.threshold,
    reset: cfg.reset,
    tStart: cfg.D,
    slope: cfg.train.surrogateSlope,
    gPos,
    gNeg,
    scoreFrom,
    scoreTo,
    full: cfg.train.gradient === 'full',
  });
  return { counts, loss, spikes: spikes / set.M };
}

/** Width in steps of the bins of F1 along the pattern recorded after every gradient step. */
export const F1_BIN_STEPS = 10;

/**
 * The optimiser of a learnable scalar (β or ϑ): the same rule as the weights' (PyTorch's SGD with
 * momentum and dampening, or AdamW without weight decay, which a neuron constant should not have).
 */
class ScalarOptimiser {
  private m = 0;
  private v = 0;
  constructor(private readonly t: HdSnnConfig['train']) {}
  step(value: number, grad: number, lr: number, step: number): number {
    if (this.t.optimizer === 'sgd') {
      this.m = step === 0 ? grad : this.t.momentum * this.m + (1 - this.t.dampening) * grad;
      return value - lr * this.m;
    }
    this.m = 0.9 * this.m + 0.1 * grad;
    this.v = 0.999 * this.v + 0.001 * grad * grad;
    const mh = this.m / (1 - 0.9 ** (step + 1));
    const vh = this.v / (1 - 0.999 ** (step + 1));
    return value - (lr * mh) / (Math.sqrt(vh) + 1e-8);
  }
}

/** Smallest threshold learning may reach (ϑ must stay positive). */
export const MIN_LEARNED_THRESHOLD = 1e-3;

/** How far the largest |weight| may grow during training (× the initial one, or the threshold). */
export const WEIGHT_GROWTH_LIMIT = 100;

/**
 * Trains `model` on `set` for `config.train.steps` gradient steps (weights are updated in
 * place). Evaluates after every step. Divergence (a NaN/Inf loss or gradient, or weights beyond
 * WEIGHT_GROWTH_LIMIT) throws DivergenceError with the step and the value.
 */
export function trainHdSnn(model: HdSnnModel, set: SpikePatternSet, opts: TrainOptions = {}): TrainResult {
  return runSteps(trainHdSnnSteps(model, set, opts));
}

/**
 * `trainHdSnn` as a step generator: yields after every gradient step, so
 * `runStepsYielding(trainHdSnnSteps(…))` trains with the event loop running between steps
 * (signals, progress); same results as `trainHdSnn`.
 */
export function* trainHdSnnSteps(model: HdSnnModel, set: SpikePatternSet, opts: TrainOptions = {}): StepGenerator<TrainResult> {
  const cfg = model.config;
  if ((cfg.train.learnBeta || cfg.train.learnThreshold) && opts.engine === 'tfjs')
    throw new ConfigError(
      'train.learnBeta / train.learnThreshold: learning the membrane decay or threshold needs the kernels engine (engine: kernels)',
    );
  const t0 = performance.now();
  const engine = makeEngine(model, set.M, opts.engine);
  const history: TrainStep[] = [];
  try {
    engine.setWeights(model.Wt);
    const targets = targetEvents(set, cfg);
    const root = new Rng(cfg.seed).fork('train');
    // weights may not grow past 100 × the larger of the initial largest |weight| and the threshold
    // (one synapse then carries a hundred threshold crossings; training at the authors' rates moves
    // weights by a few per cent); NaN/Inf anywhere is divergence too
    const weightBound = WEIGHT_GROWTH_LIMIT * Math.max(engine.maxAbsWeight(), cfg.threshold);
    // the neuron constants the passes use; they change only when learnt
    let cur = cfg;
    const betaOpt = new ScalarOptimiser(cfg.train);
    const thOpt = new ScalarOptimiser(cfg.train);
    for (let step = 0; step < cfg.train.steps; step++) {
      if (opts.signal?.aborted) break;
      const ts = performance.now();
      const lr = lrAt(step, cfg.train);
      const pass = gradientPass(engine, set, cur, root.fork(`step-${step}`), targets);
      // divergence: the loss (1 − F1, in [0, 1]) cannot grow without bound, so what diverges here is
      // the gradient or the weights; either ends training with the step (1-based) and the value
      if (!Number.isFinite(pass.loss) || !engine.gradientIsFinite()) {
        throw new DivergenceError('delay-SNN training', {
          step: step + 1,
          stepName: 'step',
          quantity: Number.isFinite(pass.loss) ? 'gradient (loss)' : 'loss',
          value: pass.loss,
          bound: 'NaN or Infinity in the gradient; lower train.lr or the surrogate slope',
        });
      }
      if (cfg.train.optimizer === 'sgd') {
        engine.sgdStep({
          lr,
          momentum: cfg.train.momentum,
          dampening: cfg.train.dampening,
          weightDecay: cfg.train.weightDecay,
          first: step === 0,
        });
      } else {
        engine.adamwStep({ lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: cfg.train.weightDecay, step: step + 1 });
      }
      if (cfg.train.learnBeta || cfg.train.learnThreshold) {
        const g = (engine as HdSnnEngine).paramGradient(); // kernels engine (checked above)
        if (!Number.isFinite(g.beta) || !Number.isFinite(g.threshold)) {
          throw new DivergenceError('delay-SNN training', {
            step: step + 1,
            stepName: 'step',
            quantity: 'gradient of β or ϑ',
            value: Number.isFinite(g.beta) ? g.threshold : g.beta,
            bound: 'NaN or Infinity; lower train.lr or the surrogate slope',
          });
        }
        const beta = cfg.train.learnBeta ? Math.min(1, Math.max(0, betaOpt.step(cur.beta, g.beta, lr, step))) : cur.beta;
        const threshold = cfg.train.learnThreshold
          ? Math.max(MIN_LEARNED_THRESHOLD, thOpt.step(cur.threshold, g.threshold, lr, step))
          : cur.threshold;
        cur = { ...cur, beta, threshold };
      }
      const wMax = engine.maxAbsWeight();
      if (!(wMax <= weightBound))
        throw new DivergenceError('delay-SNN training', {
          step: step + 1,
          stepName: 'step',
          quantity: 'largest |weight|',
          value: wMax,
          bound: `beyond ${WEIGHT_GROWTH_LIMIT} × max(initial largest |weight|, threshold) = ${weightBound.toPrecision(4)}; lower train.lr`,
        });
      const ev = recall(engine, set, cur, root.fork(`eval-${step}`));
      const info: TrainStep = {
        step: step + 1,
        lr,
        trainLoss: pass.loss,
        train: scoresFromCounts(pass.counts),
        eval: ev.scores,
        spikesPerPattern: pass.spikes,
        beta: cur.beta,
        threshold: cur.threshold,
        f1OverTime: f1Bins(ev, cur, F1_BIN_STEPS),
        seconds: (performance.now() - ts) / 1000,
      };
      history.push(info);
      opts.onStep?.(info);
      yield;
    }
    engine.getWeights(model.Wt);
    checkFiniteState('delay-SNN training', model.Wt, history.length, 'step', 'weight');
    model.config = cur;
  } finally {
    engine.dispose();
  }
  return { history, neuron: { beta: model.config.beta, threshold: model.config.threshold }, seconds: (performance.now() - t0) / 1000 };
}

/** Recall of every pattern with the model's weights (fresh engine of the given kind; no dropout). */
export function evaluateRecall(
  model: HdSnnModel,
  set: SpikePatternSet,
  rng: Rng,
  protocol: Parameters<typeof recall>[4] = {},
  engineKind: HdSnnEngineKind = 'kernels',
): RecallResult {
  const engine = createHdSnnEngine(
    { N: model.config.N, D: model.config.D, steps: recallSteps(model.config), slots: 0, batch: set.M },
    engineKind,
  );
  try {
    engine.setWeights(model.Wt);
    return recall(engine, set, model.config, rng, protocol);
  } finally {
    engine.dispose();
  }
}

/** An HD-SNN experiment: initialisation, recall after it, the training history and recall after training. */
export interface ExperimentResult {
  init: InitInfo;
  /** Recall right after the initialisation. */
  afterInit: Scores;
  train: TrainResult;
  /** Final recall (fresh noise). */
  final: RecallResult;
  seconds: number;
}

/** Initialise, evaluate, train, evaluate: the paper's protocol in one call. */
export function runHdSnnExperiment(
  model: HdSnnModel,
  set: SpikePatternSet,
  opts: TrainOptions & { onInit?: (info: InitInfo, scores: Scores) => void } = {},
): ExperimentResult {
  const t0 = performance.now();
  const init = initialise(model, set);
  const rng = new Rng(model.config.seed);
  const afterInit = evaluateRecall(model, set, rng.fork('after-init'), {}, opts.engine).scores;
  opts.onInit?.(init, afterInit);
  const train = trainHdSnn(model, set, opts);
  const final = evaluateRecall(model, set, rng.fork('final'), {}, opts.engine);
  return { init, afterInit, train, final, seconds: (performance.now() - t0) / 1000 };
}
