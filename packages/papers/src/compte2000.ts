/**
 * Compte, Brunel, Goldman-Rakic & Wang 2000: a spiking ring of pyramidal cells and interneurons
 * holds a cue's angle as a bump of persistent activity. The recipe runs the cue-only condition
 * (rates, bump profile and width, drift of the memory through the delay) and a distractor grid
 * (strength × distance from the cue) — everything `wmkit reproduce compte2000` shows.
 * Model and parameters: docs/models/compte2000.md.
 */
import { type BumpSignatures, bumpSignatures } from '@wmkit/analysis';
import {
  COMPTE2000_NDX3,
  type CompteConfig,
  type CompteEngine,
  type CompteSimulation,
  type CompteSimulationOptions,
  type CompteSummary,
  compteSimulator,
  type DistractorResult,
  distractorConditions,
  scoreDistractor,
  summarizeCompte,
} from '@wmkit/attractor-models';
import { Rng, ShapeError } from '@wmkit/tensor';
import { type CompteSurrogate, type CompteSurrogateConfig, compteSurrogate, compteSurrogateProblem } from './compte2000-surrogate';
import { type RecipeHooks, throwIfAborted } from './hooks';

export interface Compte2000Options {
  /** The network and protocol (default: the `ndx3` preset, `compteConfig('ndx3')`). */
  config?: CompteConfig;
  /** Trials of the cue-only condition. Default 32. */
  trials?: number;
  /** Distractor grid (null: none). Defaults: ½, 1 and 2 × the cue amplitude; 45°, 90°, 135°; 4 trials each; 1 s into the delay for the cue's duration. */
  distractors?: { ampsNa?: number[]; distancesDeg?: number[]; trialsPerCondition?: number; onsetMs?: number; durationMs?: number } | null;
  /** Cue-only trials whose every spike is kept (rasters). Default: all of them (their spikes make the surrogate recordings). */
  rasterTrials?: number;
  /** Seed of the default `rng`. Default 1. */
  seed?: number;
  /** `kernels` (typed arrays in JavaScript; default) or `tfjs` (TensorFlow.js ops on the selected backend). Same inputs, same equations. */
  engine?: CompteEngine;
  /**
   * Surrogate recordings from the cue-only trials' spikes for the analyses of Wimmer et al. 2014
   * (default `COMPTE2000_SURROGATE`: 204 units, 8 virtual cues, 50-ms bins); null: none.
   */
  surrogate?: Partial<CompteSurrogateConfig> | null;
  /** Shuffles per permutation test of those analyses in each 1-s window (default 500; ≥ 1,000 for the last second). */
  permutations?: number;
}

/** The analyses of Wimmer et al. 2014 on surrogate recordings from the spikes. */
export interface Compte2000Wimmer {
  surrogate: CompteSurrogate;
  signatures: BumpSignatures;
  permutations: number;
}

export interface Compte2000Hooks extends RecipeHooks {
  /** Runs one block of trials (default: the engine's simulator in this thread; `@wmkit/papers/node` passes a worker pool). */
  simulate?: (c: CompteConfig, o: CompteSimulationOptions, rng: Rng) => CompteSimulation | Promise<CompteSimulation>;
}

export interface Compte2000Result {
  config: CompteConfig;
  /** The cue-only trials. */
  main: CompteSimulation;
  summary: CompteSummary;
  /** One entry per distractor strength × distance, strengths outermost. */
  distractors: DistractorResult[];
  /** The Wimmer et al. 2014 analyses of the cue-only spikes; null when not run (`wimmerSkipped` says why). */
  wimmer: Compte2000Wimmer | null;
  wimmerSkipped: string | null;
  seconds: { main: number; distractors: number };
}

/**
 * Each condition forks its own stream from `rng` ('main', 'distractor0', …) and each trial its
 * own from that, so conditions and trials do not depend on one another or on the worker count.
 */
export async function compte2000(o: Compte2000Options = {}, h: Compte2000Hooks = {}): Promise<Compte2000Result> {
  const config = o.config ?? COMPTE2000_NDX3;
  const trials = o.trials ?? 32;
  const rng = h.rng ?? new Rng(o.seed ?? 1);
  const run = h.simulate ?? compteSimulator(o.engine);
  const grid =
    o.distractors === null
      ? []
      : distractorConditions(
          config,
          o.distractors?.ampsNa ?? [0.5, 1, 2].map((f) => f * config.protocol.cue.ampNa),
          o.distractors?.distancesDeg ?? [45, 90, 135],
          { onsetMs: o.distractors?.onsetMs, durationMs: o.distractors?.durationMs },
        );
  const perCond = o.distractors?.trialsPerCondition ?? 4;
  const total = trials + grid.length * perCond;
  let done = 0;
  const progress = (stage: string, n: number) => (f: number) => h.onProgress?.({ stage, done: done + f * n, total });
  const t0 = performance.now();
  throwIfAborted(h.signal);
  const main = await run(
    config,
    { trials, rasterTrials: o.rasterTrials ?? trials, signal: h.signal, onProgress: progress('cue only', trials) },
    rng.fork('main'),
  );
  done += trials;
  let wimmer: Compte2000Wimmer | null = null;
  let wimmerSkipped: string | null = 'not requested (surrogate: null)';
  if (o.surrogate !== null) {
    wimmerSkipped = compteSurrogateProblem(main, o.surrogate);
    let surrogate: CompteSurrogate | null = null;
    if (!wimmerSkipped) {
      // a sampling the run's trials cannot give (e.g. too few cells per session) skips the analyses, naming why
      try {
        surrogate = compteSurrogate(main, o.surrogate ?? {}, rng.fork('surrogate'));
      } catch (err) {
        if (!(err instanceof ShapeError)) throw err;
        wimmerSkipped = err.message;
      }
    }
    if (surrogate) {
      const permutations = o.permutations ?? 500;
      const signatures = bumpSignatures(surrogate.dataset, surrogate.windows, rng.fork('wimmer-analysis'), permutations);
      wimmer = { surrogate, signatures, permutations };
    }
  }
  const t1 = performance.now();
  const distractors: DistractorResult[] = [];
  for (const [k, cond] of grid.entries()) {
    throwIfAborted(h.signal);
    const stage = `distractor ${cond.ampNa} nA at ${cond.distanceDeg}°`;
    const sim = await run(
      cond.config,
      { trials: perCond, rasterTrials: 0, signal: h.signal, onProgress: progress(stage, perCond) },
      rng.fork(`distractor${k}`),
    );
    distractors.push(scoreDistractor(cond, sim));
    done += perCond;
  }
  return {
    config,
    main,
    summary: summarizeCompte(main),
    distractors,
    wimmer,
    wimmerSkipped,
    seconds: { main: (t1 - t0) / 1000, distractors: (performance.now() - t1) / 1000 },
  };
}
