/**
 * One short-term-memory network of Kurtkaya et al. 2025 (ICML; docs/models/stm-rnn.md): train it
 * on the delayed cue-discrimination task (or a control), decide whether it learned (the authors'
 * accuracy/reliability rule) and, if it did, how it holds the cue — slow-point manifold or limit
 * cycle — from an autonomous run of 9× the trial length (Sec. 3). Optionally the dynamics behind
 * that: both cues' autonomous runs on their top 3 principal components and the fixed and slow
 * points of the zero-input map (Sussillo & Barak 2013) with their stability.
 */
import {
  classifyMechanism,
  type FixedPoint,
  findFixedPoints,
  type LearningOutcome,
  learningOutcome,
  type Mechanism,
  pca,
} from '@wmkit/analysis';
import { type RateRNN, rateRnnStepMap, type StmProtocol, stmAutonomousRun, trainStmSteps } from '@wmkit/ei-rnn';
import { type StmTask, stmTask } from '@wmkit/tasks';
import { kernels, Rng, runSteps, type StepGenerator } from '@wmkit/tensor';
import { type RecipeHooks, throwIfAborted } from './hooks';

/**
 * The class of a network as the phase diagram counts it (and run.json records it as `class`):
 * not learned, limit cycle, slow-point manifold, or learned then lost (unstable).
 */
export const STM_CLASS = { 'not-learned': 0, 'limit-cycle': 1, 'slow-point': 2, unstable: 3 } as const;
/** A network's class as its number in `STM_CLASS` (0 not learned, 1 limit cycle, 2 slow point, 3 unstable). */
export type StmClass = (typeof STM_CLASS)[keyof typeof STM_CLASS];

/** The dynamics of a trained network (`stmDynamics`): autonomous runs on their top 3 PCs, and its fixed and slow points. */
export interface StmDynamics {
  /** Steps of each autonomous run (9 × trial length). */
  T: number;
  nCues: number;
  /** [nCues, T, 3] projection of the autonomous runs on the top 3 PCs of all runs together. */
  projection: Float32Array;
  /** Variance explained by PC1–3. */
  explained: Float64Array;
  /** Fixed and slow points of the zero-input map. */
  points: FixedPoint[];
  /** [K, 3] the points on PC1–3. */
  pointsProjection: Float32Array;
  seconds: number;
}

/** One trained short-term-memory network: its training curves, learning outcome, mechanism and class. */
export interface StmNetworkResult {
  config: StmProtocol;
  seed: number;
  /** The trained network. */
  model: RateRNN;
  epochs: number;
  /** Per epoch: weighted MSE, the authors' reaction-window accuracy and reliability. */
  loss: Float32Array;
  accuracy: Float32Array;
  reliability: Float32Array;
  /** Training stopped on a non-finite loss at this epoch (−1: never; the network did not learn). */
  divergedAt: number;
  outcome: LearningOutcome;
  /** For learned networks: how they hold the cue, or (delayed activation) the time (null otherwise). */
  mechanism: Mechanism | null;
  /** Share of the power near the centre of the 2-D spectrum (< 0.5: limit cycle); null when not classified. */
  psdRatio: number | null;
  class: StmClass;
  finalAccuracy: number;
  finalReliability: number;
  /** Seconds of training. */
  seconds: number;
  /** With `dynamics: true` and a network that did not diverge. */
  dynamics: StmDynamics | null;
}

/** The protocol and seed of one network (`trainStmNetwork`), and whether to compute its dynamics. */
export interface StmNetworkOptions {
  config: StmProtocol;
  seed: number;
  /** Also find the fixed/slow points and the PCA of the autonomous runs (~1 s; default false). */
  dynamics?: boolean;
  /** Which implementation trains it: the wasm scan kernel (default) or tfjs autodiff on the selected backend. */
  engine?: 'kernels' | 'tfjs';
}

export interface StmNetworkHooks extends RecipeHooks {
  /** After each epoch (0-based). */
  onEpoch?: (epoch: number, loss: number, accuracy: number, reliability: number) => void;
}

/**
 * How a trained network holds the cue, as pictures: the autonomous run of each cue projected on
 * the top 3 principal components, and the fixed and slow points of the zero-input map found from
 * 48 states those runs visit after the cue (plus a little noise).
 */
export function stmDynamics(model: RateRNN, task: StmTask, rng: Rng, o: { starts?: number; iterations?: number } = {}): StmDynamics {
  const t0 = performance.now();
  const N = model.config.N;
  const Ttrial = task.timeline.steps;
  const nCues = task.nConditions;
  const { states, T } = stmAutonomousRun(
    model,
    task,
    Array.from({ length: nCues }, (_, c) => c),
    rng.fork('autonomous'),
  );
  const p = pca(states, nCues * T, N, 3);
  // starting states: evenly spaced along each run (after the cue), plus a little noise
  const perCue = Math.ceil((o.starts ?? 48) / nCues);
  const starts = perCue * nCues;
  const init = new Float64Array(starts * N);
  const noise = rng.fork('fixed-point starts').normal(starts * N, 0, 0.02);
  for (let c = 0; c < nCues; c++)
    for (let j = 0; j < perCue; j++) {
      const k = c * perCue + j;
      const t = Ttrial + Math.floor((j * (T - Ttrial)) / perCue);
      for (let i = 0; i < N; i++) init[k * N + i] = states[(c * T + t) * N + i] + noise[k * N + i];
    }
  // the zero-input map with its closed-form Jacobian (kernels, no autodiff: ~4× faster than tfjs)
  const points: FixedPoint[] = kernels().scope(
    () =>
      findFixedPoints(rateRnnStepMap(model), init, N, {
        maxIterations: o.iterations ?? 3000,
        learningRate: 0.005,
        maxQ: 1e-5,
        dedupe: 0.05,
      }).points,
  );
  const pointsProjection = new Float32Array(points.length * 3);
  points.forEach((pt, k) => {
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += (pt.x[i] - p.mean[i]) * p.components[c * N + i];
      pointsProjection[k * 3 + c] = s;
    }
  });
  return {
    T,
    nCues,
    projection: Float32Array.from(p.projection),
    explained: p.explained,
    points,
    pointsProjection,
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * How a trained network did and how it holds the cue (Kurtkaya et al. 2025, Sec. 3): the
 * learning outcome from its per-epoch accuracy and reliability (not learned when `diverged`),
 * and for a learned network the mechanism from its autonomous run (initial state from
 * `rng.fork('autonomous')`). Every learned network is classified, the delayed-activation task's
 * too (its autonomous run starts from r0 with no cue: a limit cycle keeps coming back, a
 * slow-point manifold settles). Works for any network of the protocol's shape, e.g. the authors'
 * published ones (`stmNetworkFromStateDict`).
 */
export function classifyStmNetwork(
  model: RateRNN,
  task: StmTask,
  accuracy: ArrayLike<number>,
  reliability: ArrayLike<number>,
  rng: Rng,
  diverged = false,
): { outcome: LearningOutcome; mechanism: Mechanism | null; psdRatio: number | null; class: StmClass } {
  const outcome: LearningOutcome = diverged ? 'not-learned' : learningOutcome(accuracy, reliability);
  let mechanism: Mechanism | null = null;
  let psdRatio: number | null = null;
  if (outcome === 'learned') {
    const run = stmAutonomousRun(model, task, [0], rng.fork('autonomous'));
    const c = classifyMechanism(run.states, run.T, model.config.N);
    mechanism = c.mechanism;
    psdRatio = c.ratio;
  }
  const cls = outcome === 'learned' ? STM_CLASS[mechanism ?? 'slow-point'] : STM_CLASS[outcome];
  return { outcome, mechanism, psdRatio, class: cls };
}

/**
 * Trains one network with the given protocol and seed (Kurtkaya et al. 2025, App. A: SGD with
 * momentum, full batch) and classifies it. The random stream is `hooks.rng` or `new Rng(seed)`:
 * initialisation and training noise from its forks, the autonomous run's initial state from its
 * fork 'autonomous', the dynamics from its fork 'dynamics'. The kernels must be initialised
 * (`initKernels()` from `@wmkit/tensor`).
 */
export function trainStmNetwork(o: StmNetworkOptions, hooks: StmNetworkHooks = {}): StmNetworkResult {
  return runSteps(trainStmNetworkSteps(o, hooks));
}

/**
 * `trainStmNetwork` as a step generator (yields after every training epoch): with
 * `runStepsYielding` the event loop runs while the network trains (signals, progress); same results.
 */
export function* trainStmNetworkSteps(o: StmNetworkOptions, hooks: StmNetworkHooks = {}): StepGenerator<StmNetworkResult> {
  throwIfAborted(hooks.signal);
  const cfg = o.config;
  const task = stmTask(cfg.task);
  const rng = hooks.rng ?? new Rng(o.seed);
  const epochs = cfg.epochs;
  const res = yield* trainStmSteps(task, cfg.model, rng, {
    lr: cfg.lr,
    epochs,
    trialsPerCue: cfg.trialsPerCue,
    momentum: cfg.momentum,
    weightDecay: cfg.weightDecay,
    engine: o.engine,
    onEpoch: (e, loss, acc, rel) => {
      hooks.onEpoch?.(e, loss, acc, rel);
      hooks.onProgress?.({ stage: 'training', done: e + 1, total: epochs });
    },
  });
  throwIfAborted(hooks.signal);
  // a network whose training diverged is not a result: the caller marks its run failed
  if (res.error) throw res.error;
  const {
    outcome,
    mechanism,
    psdRatio,
    class: cls,
  } = classifyStmNetwork(res.model, task, res.accuracy, res.reliability, rng, res.divergedAt >= 0);
  const dynamics = o.dynamics && res.divergedAt < 0 ? stmDynamics(res.model, task, rng.fork('dynamics')) : null;
  return {
    config: cfg,
    seed: o.seed,
    model: res.model,
    epochs,
    loss: res.loss,
    accuracy: res.accuracy,
    reliability: res.reliability,
    divergedAt: res.divergedAt,
    outcome,
    mechanism,
    psdRatio,
    class: cls,
    finalAccuracy: res.accuracy[epochs - 1],
    finalReliability: res.reliability[epochs - 1],
    seconds: res.seconds,
    dynamics,
  };
}
