/**
 * Kriener, Chaudhuri & Fiete 2020 (Nat. Commun. 11:3846), "Robust parallel decision-making in
 * neural circuits with nonlinear inhibition": accuracy and decision time against the number of
 * options N for the conventional self-terminating WTA and the nonlinear-inhibition nWTA, with and
 * without input noise, at one parameter set for every N (no retuning), compared at matched
 * accuracy with the ideal parallel (∝ log N) and serial (∝ N log N) benchmarks (the paper's
 * Figs. 2–3). Model and parameters: docs/models/wta-sparse.md.
 */
import { type HickFit, hickFit, logFit, parallelBenchmarkTime } from '@wmkit/analysis';
import { type WtaParams, type WtaSummary, wtaMeanField, wtaParams, wtaTraces } from '@wmkit/attractor-models';
import { wtaInputs } from '@wmkit/tasks';
import { Rng, ShapeError } from '@wmkit/tensor';
import { type RecipeHooks, throwIfAborted } from './hooks';
import { type WtaRun, type WtaRunner, wtaInThisThread } from './runners';

/** Largest N of the Hick's-law fit (the paper reports Hick's law at small N). */
export const HICK_MAX_N = 32;

/** Network sizes of the paper's sweep. */
export const KRIENER2020_SIZES = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
/** The four circuits: nonlinear or conventional inhibition, with or without input noise. */
export const KRIENER2020_SERIES = ['nWTA, noise', 'WTA, noise', 'nWTA, no noise', 'WTA, no noise'] as const;
/** One of the four circuits of `KRIENER2020_SERIES`. */
export type Kriener2020Series = (typeof KRIENER2020_SERIES)[number];

/** The circuit parameters shared by the four series (σ applies to the noisy ones). */
export type Kriener2020Params = Pick<WtaParams, 'alpha' | 'beta' | 'tau' | 'tauEta' | 'sigma' | 'theta' | 'dt'>;

/** The decision rule of the circuits, as run.json records it. */
export const KRIENER2020_DECISION = '0.8·b_max/(1 − α); no winner: x2/x1 > 0.5 at 100-τ checks after 100 τ, or 1000 τ';

/** The Kriener et al. 2020 sweep: sizes N, trials, input gap Δ, parameter overrides, seed and runner. */
export interface Kriener2020Options {
  /** Network sizes N (default 2, 4, …, 1024). */
  sizes?: number[];
  /** Trials per N of the nWTA with noise (default 200). */
  trials?: number;
  /** Trials per N of the conventional WTA with noise (default min(trials, 40): failing trials run long). */
  wtaTrials?: number;
  /** Input gap Δ between the winner (input 1) and the others (1 − Δ); default 0.05. */
  delta?: number;
  /**
   * Overrides of the paper's example parameters (α 0.5, β 0.6, θ 0.2, σ 0.1, τ_η 0.2; τ 1,
   * dt τ_η/5). Outside the WTA regime (α ≥ 1 or β ≤ 1 − α) a `WtaRegimeError` says so.
   */
  params?: Partial<Pick<WtaParams, 'alpha' | 'beta' | 'theta' | 'sigma' | 'tauEta'>>;
  /** Seed of every condition's stream and of the example traces (default 1). */
  seed?: number;
  /** N of the single-trial traces (default 10). */
  traceN?: number;
  /** Runs the conditions (default: in this thread; `wtaOnWorkers()` from `@wmkit/papers/node`). */
  runConditions?: WtaRunner;
  /** The float64 JavaScript circuits (default, 'kernels') or tfjs ops on the selected backend. */
  engine?: 'kernels' | 'tfjs';
}

/** The ideal observers at the nWTA's accuracy at one N (times in τ; NaN where undefined). */
export interface Kriener2020Benchmark {
  N: number;
  accuracy: number;
  parallel: number;
  serial: number;
}

/** Least-squares fit y = intercept + slope·ln N over `n` sizes, with r². */
export interface Kriener2020Fit {
  intercept: number;
  slope: number;
  r2: number;
  n: number;
}

/**
 * The noisy circuits' parameters: the paper's example with `overrides` applied (validated by
 * `wtaParams`: outside the WTA regime a `WtaRegimeError` says so).
 */
export function kriener2020Params(overrides: Kriener2020Options['params'] = {}): Kriener2020Params {
  const noisy = wtaParams({ ...overrides });
  return {
    alpha: noisy.alpha,
    beta: noisy.beta,
    tau: noisy.tau,
    tauEta: noisy.tauEta,
    sigma: noisy.sigma,
    theta: noisy.theta,
    dt: noisy.dt,
  };
}

/** Accuracy and decision time per series and N, the ideal-observer benchmarks, the log N fits and example traces. */
export interface Kriener2020Result {
  params: Kriener2020Params;
  delta: number;
  sizes: number[];
  trials: number;
  wtaTrials: number;
  seed: number;
  /** The resolved parameters of each series. */
  seriesParams: Record<Kriener2020Series, WtaParams>;
  /** Per series, one summary per N (in `sizes` order). Noise-free circuits: one (deterministic) trial. */
  results: Record<Kriener2020Series, WtaSummary[]>;
  bench: Kriener2020Benchmark[];
  fit: {
    /** T = a + b·ln N of the nWTA with noise, over all N and over N ≤ 256 (null for fewer than 3 such N). */
    nwta: Kriener2020Fit;
    nwtaUpTo256: Kriener2020Fit | null;
    /** Hick's law T = a + b·log₂(N + 1) of the nWTA with noise over N ≤ 32 (the paper's small-N regime). */
    hick: HickFit;
    parallel: Kriener2020Fit;
    /** Power-law exponents d ln T / d ln N. */
    powerNwta: number;
    powerSerial: number;
    powerSpeedup: number;
  };
  /** nWTA time / parallel benchmark at each N where defined, and serial / nWTA at each N. */
  ratioToParallel: number[];
  speedup: number[];
  /** The smallest N at which fewer than half the noisy conventional-WTA trials produced a winner. */
  wtaFailsFrom: number | null;
  /** One trial of each noisy circuit at N = traceN. */
  traces: { series: Kriener2020Series; N: number; t: Float64Array; x: Float32Array; stop: number }[];
  seconds: number;
}

/** Runs the WTA / nWTA grid of Kriener, Chaudhuri & Fiete 2020. */
export async function kriener2020(o: Kriener2020Options = {}, hooks: RecipeHooks = {}): Promise<Kriener2020Result> {
  const sizes = o.sizes ?? KRIENER2020_SIZES;
  for (const N of sizes) if (!(Number.isInteger(N) && N >= 2)) throw new ShapeError(`kriener2020: N = ${N} is not an integer ≥ 2`);
  const delta = o.delta ?? 0.05;
  if (!(delta > 0 && delta < 1)) throw new ShapeError(`kriener2020: Δ = ${delta} must be in (0, 1)`);
  const trials = o.trials ?? 200;
  const wtaTrials = o.wtaTrials ?? Math.min(trials, 40);
  const seed = o.seed ?? 1;
  const rng = hooks.rng ?? new Rng(seed);
  const params = kriener2020Params(o.params);
  const paramsFor = (s: Kriener2020Series) =>
    wtaParams({ ...params, nonlinear: s.startsWith('nWTA'), sigma: s.endsWith('no noise') ? 0 : params.sigma });
  const seriesParams = Object.fromEntries(KRIENER2020_SERIES.map((s) => [s, paramsFor(s)])) as Record<Kriener2020Series, WtaParams>;
  // noise-free trials are deterministic: one trial says it all
  const jobs: (WtaRun & { series: Kriener2020Series })[] = [];
  for (const s of KRIENER2020_SERIES)
    for (const N of sizes) {
      const n = s.endsWith('no noise') ? 1 : s === 'WTA, noise' ? wtaTrials : trials;
      jobs.push({ condition: { N, trials: n, delta, params: seriesParams[s], key: `${s}-N${N}` }, seed, series: s });
    }
  // biggest jobs first keeps every worker busy to the end
  const cost = (j: WtaRun) => j.condition.N * j.condition.trials * (j.condition.params.nonlinear ? 1 : 5);
  const order = jobs.map((_, i) => i).sort((a, b) => cost(jobs[b] as WtaRun) - cost(jobs[a] as WtaRun));
  const t0 = performance.now();
  let done = 0;
  hooks.onProgress?.({ stage: 'conditions', done: 0, total: jobs.length });
  const run = o.runConditions ?? wtaInThisThread;
  const ordered = await run(
    order.map((i) => ({ condition: (jobs[i] as WtaRun).condition, seed: (jobs[i] as WtaRun).seed, engine: o.engine })),
    { signal: hooks.signal, onResult: () => hooks.onProgress?.({ stage: 'conditions', done: ++done, total: jobs.length }) },
  );
  throwIfAborted(hooks.signal);
  const flat = new Array<WtaSummary>(jobs.length);
  order.forEach((i, k) => {
    flat[i] = ordered[k] as WtaSummary;
  });
  const results = Object.fromEntries(
    KRIENER2020_SERIES.map((s) => [s, sizes.map((N) => flat[jobs.findIndex((j) => j.series === s && j.condition.N === N)] as WtaSummary)]),
  ) as Record<Kriener2020Series, WtaSummary[]>;
  const nw = results['nWTA, noise'];

  // the ideal observers at the nWTA's accuracy
  const noise = { delta, sigma: params.sigma, tauEta: params.tauEta };
  const bench = sizes.map((N, k): Kriener2020Benchmark => {
    const r = nw[k] as WtaSummary;
    const acc = r.accuracy;
    const usable = acc > 1 / N && acc < 1;
    const a = acc >= 1 ? 1 - 0.5 / r.trials : acc; // all correct: use the 1 − 1/(2n) bound
    const par = usable || acc >= 1 ? parallelBenchmarkTime(N, a, noise) : Number.NaN;
    return { N, accuracy: acc, parallel: par, serial: N * par };
  });
  const powerExp = (ys: number[]) => logFit(sizes, ys.map(Math.log)).slope; // d ln T / d ln N
  const fitN = logFit(
    sizes,
    nw.map((r) => r.meanTime),
  );
  const fitPar = logFit(
    sizes,
    bench.map((b) => b.parallel),
  );
  const small = sizes.filter((N) => N <= 256);
  const fitSmall =
    small.length >= 3
      ? logFit(
          small,
          small.map((N) => (nw[sizes.indexOf(N)] as WtaSummary).meanTime),
        )
      : null;
  const speedup = bench.map((b, k) => b.serial / (nw[k] as WtaSummary).meanTime);
  const wtaFailsFrom = sizes.find((_, k) => (results['WTA, noise'][k] as WtaSummary).decided < 0.5) ?? null;

  const traceN = o.traceN ?? 10;
  const traces = (['nWTA, noise', 'WTA, noise'] as const).map((s) => {
    const p = seriesParams[s];
    const tr = wtaTraces(p, wtaInputs(traceN, { delta }).b, rng.fork(`trace-${s}`), 60, 10);
    return { series: s, N: traceN, t: tr.t, x: tr.x, stop: (0.8 * 1) / (1 - p.alpha) };
  });
  return {
    params,
    delta,
    sizes,
    trials,
    wtaTrials,
    seed,
    seriesParams,
    results,
    bench,
    fit: {
      nwta: fitN,
      nwtaUpTo256: fitSmall,
      hick: hickFit(
        sizes,
        nw.map((r) => r.meanTime),
        HICK_MAX_N,
      ),
      parallel: fitPar,
      powerNwta: powerExp(nw.map((r) => r.meanTime)),
      powerSerial: powerExp(bench.map((b) => b.serial)),
      powerSpeedup: powerExp(speedup),
    },
    ratioToParallel: bench.map((b, k) => (nw[k] as WtaSummary).meanTime / b.parallel).filter(Number.isFinite),
    speedup,
    wtaFailsFrom,
    traces,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** One mean-field point of the noise-breakdown figure: the stable state reached from a winner start. */
export interface NoiseBreakdownPoint {
  N: number;
  sigma: number;
  /** Mean winner and loser activity of the branch reached from x_w = b/(1 − α), x_l = 0. */
  winner: number;
  loser: number;
  /** A winner survives: loser/winner < 0.5 (the simulations' no-winner criterion). */
  wta: boolean;
}

/** The conventional WTA's mean-field fixed points against noise σ and N, and the critical σ per N. */
export interface NoiseBreakdownResult {
  params: { alpha: number; beta: number; delta: number };
  sigmas: number[];
  sizes: number[];
  points: NoiseBreakdownPoint[];
  /** Per N, the smallest σ of the grid at which no winner survives (null: a winner survives at every σ). */
  critical: { N: number; sigma: number | null }[];
}

/**
 * The noise breakdown of the conventional WTA in mean field (Kriener et al. 2020, SI S2.6;
 * the authors' `WTA_stability.py`): for each N and input-noise SD σ, the stable state reached
 * from a clear winner (`wtaMeanField`, fast-noise limit τ_η ≪ τ). Noise rectified through the
 * losers' threshold-linear units gives them a positive mean, and N − 1 such losers inhibit the
 * winner; above a critical σ, which falls with N, the winner state is lost.
 */
export function kriener2020NoiseBreakdown(
  o: { sizes?: number[]; sigmas?: number[]; delta?: number; params?: Kriener2020Options['params'] } = {},
): NoiseBreakdownResult {
  const p = kriener2020Params(o.params);
  const delta = o.delta ?? 0.05;
  const sizes = o.sizes ?? KRIENER2020_SIZES;
  const sigmas = o.sigmas ?? Array.from({ length: 25 }, (_, i) => Number((i * 0.0125).toFixed(4)));
  const start = 1 / (1 - p.alpha);
  const points: NoiseBreakdownPoint[] = [];
  for (const N of sizes) {
    for (const sigma of sigmas) {
      const mf = wtaMeanField({ alpha: p.alpha, beta: p.beta, N, bWinner: 1, bLoser: 1 - delta, sigma }, [start, 0]);
      points.push({ N, sigma, winner: mf.winner, loser: mf.loser, wta: mf.winner > 0 && mf.loser / mf.winner < 0.5 });
    }
  }
  const critical = sizes.map((N) => {
    const hit = points.find((q) => q.N === N && !q.wta);
    return { N, sigma: hit ? hit.sigma : null };
  });
  return { params: { alpha: p.alpha, beta: p.beta, delta }, sigmas, sizes, points, critical };
}

/** One Δ of the task-difficulty sweep: the grid at that gap (see `kriener2020`). */
export interface Kriener2020DeltaRow {
  delta: number;
  result: Kriener2020Result;
}

/** The task-difficulty sweep: the WTA / nWTA grid at each input gap Δ (smaller Δ = harder); progress counts the conditions of every Δ. */
export async function kriener2020DeltaSweep(
  o: Kriener2020Options & { deltas: number[] },
  hooks: RecipeHooks = {},
): Promise<Kriener2020DeltaRow[]> {
  if (!o.deltas.length) throw new ShapeError('kriener2020: the Δ sweep needs at least one Δ');
  const rows: Kriener2020DeltaRow[] = [];
  const n = o.deltas.length;
  for (const [i, delta] of o.deltas.entries()) {
    throwIfAborted(hooks.signal);
    const result = await kriener2020(
      { ...o, delta },
      {
        ...hooks,
        // conditions done of the whole sweep (each Δ's grid has the same conditions)
        onProgress: (p) => hooks.onProgress?.({ stage: `Δ ${delta} (${i + 1}/${n})`, done: i * p.total + p.done, total: n * p.total }),
      },
    );
    rows.push({ delta, result });
  }
  return rows;
}
