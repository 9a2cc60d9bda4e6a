/**
 * Wimmer, Nykamp, Constantinidis & Compte 2014 (Nat. Neurosci. 17:431), Fig. 8 and
 * Supplementary Fig. 6: three firing-rate ring models of spatial working memory — the bump
 * attractor, 8 discrete attractors and a decaying bump (Supplementary Codes 1–3) — simulated for
 * many trials, recorded as the monkeys were (204 neurons in simultaneous pairs, Poisson spikes
 * scaled to the monkeys' 9-Hz mean delay rate), and put through the paper's analyses of the
 * recordings (`bumpSignatures` in @wmkit/analysis, with the rest of the paper's analyses of the
 * recordings in its `battery`: Fig. 1d–g, 4e–g, 5, 6d, 7). Models and analyses:
 * docs/models/attractors.md and docs/models/wimmer2014.md.
 */
import { type BumpSignatures, bumpDiffusion, bumpSignatures, responseErrorsDeg, responseSpread, slidingCentresMs } from '@wmkit/analysis';
import {
  planSurrogate,
  type RingModelParams,
  type RingSimulation,
  ringModel,
  ringProtocol,
  type SurrogateConfig,
  surrogateDataset,
  WIMMER2014_SURROGATE,
} from '@wmkit/attractor-models';
import { Rng, ShapeError } from '@wmkit/tensor';
import { type RecipeHooks, throwIfAborted } from './hooks';
import { type RingRunner, ringInThisThread } from './runners';

/** The three models, in the paper's order. */
export const WIMMER2014_MODEL_NAMES = ['bump', 'discrete', 'decaying'] as const;

/** The Wimmer et al. 2014 run: trials, delay, seed, permutations, surrogate recordings, models and runner. */
export interface Wimmer2014Options {
  /** Trials per model (default 16,000, as in the paper's simulations). */
  trials?: number;
  /** Delay (ms; default 2000 as the scripts; the monkeys had 3000). At least 1000: the analyses use 1-s windows. */
  delayMs?: number;
  /** Seed of the trials' streams, the surrogate recordings and the permutation tests (default 1). */
  seed?: number;
  /** Shuffles per permutation test in each sliding window (default 500; ≥ 1,000 for the last second). */
  permutations?: number;
  /** Surrogate recordings (default: 204 neurons in pairs, 9-Hz mean delay rate). */
  surrogate?: Partial<SurrogateConfig>;
  /** The models (default: the published bump, discrete and decaying models). */
  models?: RingModelParams[];
  /** Runs the ring trials (default: in this thread; `ringOnWorkers()` from `@wmkit/papers/node`). */
  simulate?: RingRunner;
  /** Which implementation simulates the rings: the wasm kernel (default) or tfjs ops on the selected backend. */
  engine?: 'kernels' | 'tfjs';
}

/** One model's simulation, surrogate recordings and analyses. */
export interface Wimmer2014Model {
  model: string;
  params: RingModelParams;
  sim: RingSimulation;
  trials: number;
  responseSdDeg: number;
  /** SD of the errors of trials within 22.5° of the cue, and the fraction beyond (jumps). */
  responseSdNoJumpsDeg: number;
  jumpFraction: number;
  errorsDeg: number[];
  /** Variance of the decoded angle's displacement since the start of the delay (deg²) and its slope. */
  diffusion: { slopeDeg2PerS: number; r2: number; timesMs: number[]; varianceDeg2: number[] };
  /** The neural analyses of the surrogate recordings. */
  signatures: BumpSignatures;
  /** Hz per unit r_E of the surrogate spike counts, and the recorded units' mean delay rate (Hz). */
  surrogate: { rateScaleHz: number; meanDelayRateHz: number };
  seconds: { simulate: number; analyses: number };
}

/** Each model's simulation and analyses over the sliding 1-s windows, with the run's settings. */
export interface Wimmer2014Result {
  trials: number;
  delayMs: number;
  seed: number;
  permutations: number;
  surrogate: SurrogateConfig;
  /** Trial periods (fixation, cue, delay, response) in ms. */
  periods: RingSimulation['periods'];
  delayStartMs: number;
  delayEndMs: number;
  /** Centres (ms) of the sliding 1-s windows. */
  centresMs: number[];
  models: Wimmer2014Model[];
  seconds: number;
}

export interface Wimmer2014Hooks extends RecipeHooks {
  /** Called when a model's analyses are done. */
  onModel?: (m: Wimmer2014Model) => void;
}

const toDeg2 = (180 / Math.PI) ** 2;

/** Checks the run's size; a ShapeError names the problem and the smallest size that works. */
export function checkWimmer2014(o: { trials: number; delayMs: number; surrogate: SurrogateConfig; N: number }): void {
  if (!(o.delayMs >= 1000))
    throw new ShapeError(
      `a ${o.delayMs}-ms delay is too short for the analyses, which use 1-s windows and the last second of the delay; use ≥ 1000 ms`,
    );
  if (!(o.surrogate.perSession >= 2 && o.surrogate.perSession <= o.N))
    throw new ShapeError(
      `surrogate recordings: ${o.surrogate.perSession} neurons per session; use 2..${o.N} (pairs for the noise correlations)`,
    );
  const min = 16 * Math.ceil(o.surrogate.neurons / o.surrogate.perSession);
  if (o.trials < min)
    throw new ShapeError(`${o.trials} trials are too few for the surrogate recordings (≥ 16 trials per session): use ≥ ${min}`);
}

/** Simulates, records and analyses the three ring models of Wimmer et al. 2014. */
export async function wimmer2014(o: Wimmer2014Options = {}, hooks: Wimmer2014Hooks = {}): Promise<Wimmer2014Result> {
  const trials = o.trials ?? 16000;
  const delayMs = o.delayMs ?? 2000;
  const seed = o.seed ?? 1;
  const permutations = o.permutations ?? 500;
  const surrogate: SurrogateConfig = { ...WIMMER2014_SURROGATE, ...o.surrogate };
  const models = o.models ?? WIMMER2014_MODEL_NAMES.map((m) => ringModel(m));
  const simulate = o.simulate ?? ringInThisThread;
  const first = models[0] ?? ringModel('bump');
  checkWimmer2014({ trials, delayMs, surrogate, N: first.NE });
  const rng = hooks.rng ?? new Rng(seed);
  const pr = ringProtocol(first, delayMs);
  const delayPeriod = pr.periods.find((p) => p.name === 'delay');
  const delayStartMs = delayPeriod?.startMs ?? 1500;
  const delayEndMs = delayPeriod?.endMs ?? 3500;
  const centresMs = slidingCentresMs(0, pr.steps * first.dtMs);
  const windows = { delayStartMs, delayEndMs, centresMs };
  const out: Wimmer2014Model[] = [];
  const t0 = performance.now();
  for (const params of models) {
    throwIfAborted(hooks.signal);
    const m = params.name;
    const plan = planSurrogate(trials, surrogate, params.NE, rng.fork(`plan-${m}`));
    const stage = `${m}: simulating`;
    hooks.onProgress?.({ stage, done: 0, total: trials });
    const ts = performance.now();
    const sim = await simulate({
      params,
      seed,
      trials,
      delayMs,
      recordUnits: plan.recordUnits,
      traceTrials: 1,
      engine: o.engine,
      onProgress: (f) => hooks.onProgress?.({ stage, done: f * trials, total: trials }),
      signal: hooks.signal,
    });
    const simSeconds = (performance.now() - ts) / 1000;
    throwIfAborted(hooks.signal);
    const data = surrogateDataset(sim, plan, rng.fork(`spikes-${m}`));
    const ta = performance.now();
    const errorsDeg = responseErrorsDeg(sim.response, sim.cueAngle);
    const spread = responseSpread(errorsDeg);
    const diff = bumpDiffusion(sim.angles, sim.recordTimesMs, { startMs: delayStartMs + 100, endMs: delayEndMs });
    const signatures = bumpSignatures(data, windows, rng.fork(`analysis-${m}`), permutations);
    const res: Wimmer2014Model = {
      model: m,
      params,
      sim,
      trials: sim.trials,
      responseSdDeg: spread.sdDeg,
      responseSdNoJumpsDeg: spread.sdNoJumpsDeg,
      jumpFraction: spread.jumpFraction,
      errorsDeg,
      diffusion: {
        slopeDeg2PerS: diff.slope * toDeg2,
        r2: diff.r2,
        timesMs: diff.timesMs,
        varianceDeg2: diff.variance.map((v) => v * toDeg2),
      },
      signatures,
      surrogate: { rateScaleHz: data.rateScaleHz, meanDelayRateHz: data.meanDelayRateHz },
      seconds: { simulate: simSeconds, analyses: (performance.now() - ta) / 1000 },
    };
    out.push(res);
    hooks.onModel?.(res);
  }
  return {
    trials,
    delayMs,
    seed,
    permutations,
    surrogate,
    periods: pr.periods,
    delayStartMs,
    delayEndMs,
    centresMs,
    models: out,
    seconds: (performance.now() - t0) / 1000,
  };
}
