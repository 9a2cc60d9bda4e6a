/**
 * Perrinet et al. 2026: a recurrent spiking network with heterogeneous synaptic delays stores
 * spike patterns. Initialise (Hebbian by default, or pseudo-inverse), score recall, train with
 * the global F1 loss, score recall again — everything `wmkit train delay-snn` shows.
 * Model and parameters: docs/models/delay-snn.md.
 */
import {
  evaluateRecall,
  f1Bins,
  f1PerStep,
  type HdSnnConfig,
  type HdSnnModel,
  initialise,
  patternsFor,
  type RecallResult,
  rasterData,
  type TrainStep,
  trainHdSnn,
} from '@wmkit/delay-snn';
import type { SpikePatternSet } from '@wmkit/tasks';
import { Rng } from '@wmkit/tensor';
import { type RecipeHooks, throwIfAborted } from './hooks';

/** What `perrinet2026` runs: an HD-SNN configuration and, optionally, the patterns to store. */
export interface Perrinet2026Options {
  /** The network, patterns and training configuration (e.g. `hdSnnPreset('perrinet2026.reference')`). */
  config: HdSnnConfig;
  /** Target patterns (default: generated from the config's generator and seed). */
  patterns?: SpikePatternSet;
  /** Which implementation recalls and trains: the event-driven wasm kernels (default) or tfjs ops with autodiff. */
  engine?: 'kernels' | 'tfjs';
}

export interface Perrinet2026Hooks extends RecipeHooks {
  /** Called after each gradient step with its recall scores (for metrics.jsonl and curves). */
  onStep?: (s: TrainStep) => void;
}

/** Everything the Perrinet et al. 2026 report shows: the network, its patterns, recall after initialisation and after training, the training history. */
export interface Perrinet2026Result {
  config: HdSnnConfig;
  patterns: SpikePatternSet;
  /** The trained network (weights context-major, as the kernels store them). */
  model: HdSnnModel;
  init: ReturnType<typeof initialise>;
  /** Recall right after initialisation. */
  afterInit: RecallResult;
  /** Recall after training. */
  final: RecallResult;
  /** One entry per gradient step. */
  history: TrainStep[];
  /** F1 at each pattern step D..T−1 after training. */
  f1PerStep: Float64Array;
  /** F1 in bins of 10 steps along the pattern (for the F1-over-time figure). */
  f1OverTime: { step: number; f1: number }[];
  /** Target and recalled spikes of pattern 0. */
  raster: ReturnType<typeof rasterData>;
  seconds: { total: number; train: number };
}

/** Stores and recalls spike patterns in a heterogeneous-delay network (Perrinet et al. 2026). */
export async function perrinet2026(o: Perrinet2026Options, hooks: Perrinet2026Hooks = {}): Promise<Perrinet2026Result> {
  const cfg = o.config;
  const set = o.patterns ?? patternsFor(cfg);
  const t0 = performance.now();
  throwIfAborted(hooks.signal);
  const model: HdSnnModel = { config: cfg, Wt: new Float32Array(cfg.N * cfg.N * cfg.D) };
  const init = initialise(model, set);
  const rng = hooks.rng ?? new Rng(cfg.seed);
  const afterInit = evaluateRecall(model, set, rng.fork('after-init'), {}, o.engine);
  hooks.onProgress?.({ stage: 'training', done: 0, total: cfg.train.steps });
  const trained = trainHdSnn(model, set, {
    onStep: (s) => {
      hooks.onStep?.(s);
      hooks.onProgress?.({ stage: 'training', done: s.step, total: cfg.train.steps });
    },
    signal: hooks.signal,
    engine: o.engine,
  });
  throwIfAborted(hooks.signal);
  const final = evaluateRecall(model, set, rng.fork('final'), {}, o.engine);
  return {
    config: cfg,
    patterns: set,
    model,
    init,
    afterInit,
    final,
    history: trained.history,
    f1PerStep: f1PerStep(final),
    f1OverTime: f1Bins(final, cfg),
    raster: rasterData(set, final, cfg, 0),
    seconds: { total: (performance.now() - t0) / 1000, train: trained.seconds },
  };
}
