/**
 * Földiák 1990 (Biol. Cybern. 64:165), "Forming sparse representations by local anti-Hebbian
 * learning": the bars benchmark (8 × 8 images, each of the 16 lines on with probability 1/8) learnt
 * by 16 units with Hebbian feed-forward weights, anti-Hebbian lateral weights and adaptive
 * thresholds, over several seeds: the learning curve (lines represented by exactly one unit), the
 * sparseness of the code and the learned receptive fields (the paper's Figs. 4–5).
 * Model and parameters: docs/models/wta-sparse.md.
 */
import { type CodeInformation, codeInformation, trevesRollsSparseness } from '@wmkit/analysis';
import {
  type BarsScore,
  FOLDIAK1990_BARS,
  type FoldiakEngineName,
  type FoldiakParams,
  runFoldiakBarsSteps,
  settleFoldiak,
} from '@wmkit/attractor-models';
import { barsDataset } from '@wmkit/tasks';
import { Rng, runStepsYielding, ShapeError } from '@wmkit/tensor';
import { type RecipeHooks, throwIfAborted } from './hooks';

/** The Földiák 1990 bars run: seeds, learning presentations, scoring interval and probe patterns. */
export interface Foldiak1990Options {
  /** Number of seeds (default 10). */
  seeds?: number;
  /** First seed (default 1); seed k runs on `new Rng(seed + k)`. */
  seed?: number;
  /** Learning presentations per seed after the threshold pre-training (default 2000). */
  presentations?: number;
  /** Score the code every this many presentations (default 50). */
  scoreEvery?: number;
  /** Fresh patterns on which the sparseness of the learnt code is measured (default 500). */
  probePatterns?: number;
  /** Float64 JavaScript (`'kernels'`, default) or tfjs ops for learning; the probe settles the learned weights in float64. */
  engine?: FoldiakEngineName;
}

/** One seed's learning run. */
export interface Foldiak1990Seed {
  seed: number;
  /** Presentations until all 16 lines were represented (−1: not within the run). */
  solvedAt: number;
  /** Solved and still all 16 lines at the end. */
  solved: boolean;
  curve: BarsScore[];
  /** The last score of the curve. */
  last: BarsScore;
  /** Treves–Rolls sparseness of the responses to fresh patterns. */
  sparseness: number;
  /**
   * Information and redundancy of the code on the fresh patterns (plug-in over the probe sample;
   * stimulus = which lines are on): bits retained I(lines; code) of H(lines), Σ H(y_i) − H(Y).
   */
  information: CodeInformation;
  /** Largest off-diagonal lateral weight (≤ 0) and the largest |w_ii| (0). */
  maxLateral: number;
  maxSelf: number;
  /** Feed-forward weights [unit, pixel], lateral weights [unit, unit], thresholds [unit]. */
  q: Float64Array;
  w: Float64Array;
  t: Float64Array;
}

/** Every seed's learning run of the bars benchmark, with how many solved it and the median time to solve. */
export interface Foldiak1990Result {
  params: FoldiakParams;
  /** Image side (8): 2·size lines, 2·size units. */
  size: number;
  pLine: number;
  presentations: number;
  scoreEvery: number;
  seeds: Foldiak1990Seed[];
  engine: FoldiakEngineName;
  /** Seeds that represent all lines at the end. */
  solved: number;
  /** Median presentations to solve, over the seeds that did (NaN if none). */
  medianSolvedAt: number;
  seconds: number;
}

export interface Foldiak1990Hooks extends RecipeHooks {
  /** Called as each seed finishes. */
  onSeed?: (s: Foldiak1990Seed) => void;
}

/** Learns the bars with Földiák's network for each seed. */
export async function foldiak1990(o: Foldiak1990Options = {}, hooks: Foldiak1990Hooks = {}): Promise<Foldiak1990Result> {
  const nSeeds = o.seeds ?? 10;
  const first = o.seed ?? 1;
  const presentations = o.presentations ?? 2000;
  const scoreEvery = o.scoreEvery ?? 50;
  const probe = o.probePatterns ?? 500;
  for (const [k, v] of Object.entries({ seeds: nSeeds, presentations, scoreEvery, probePatterns: probe }))
    if (!(Number.isInteger(v) && v >= 1)) throw new ShapeError(`foldiak1990: ${k} (${v}) must be an integer ≥ 1`);
  const P = FOLDIAK1990_BARS;
  const size = 8;
  const nIn = size * size;
  const t0 = performance.now();
  const seeds: Foldiak1990Seed[] = [];
  hooks.onProgress?.({ stage: 'seeds', done: 0, total: nSeeds });
  for (let k = 0; k < nSeeds; k++) {
    throwIfAborted(hooks.signal);
    const seed = first + k;
    const rng = hooks.rng ? hooks.rng.fork(`seed-${seed}`) : new Rng(seed);
    // the event loop runs every ~50 ms of learning (a Ctrl-C or SIGTERM gets through)
    const res = await runStepsYielding(runFoldiakBarsSteps({}, rng, { presentations, scoreEvery, size, engine: o.engine }), {
      signal: hooks.signal,
    });
    const last = res.curve[res.curve.length - 1] as BarsScore;
    // sparseness of the responses to fresh patterns
    const ys: number[] = [];
    const data = barsDataset({ size, count: probe, rng: rng.fork('probe') });
    for (let n = 0; n < data.count; n++) for (const v of settleFoldiak(res.net, data.x.subarray(n * nIn, (n + 1) * nIn)).y) ys.push(v);
    const sparseness = trevesRollsSparseness(ys, data.count, P.nOut);
    const L = 2 * size;
    const stimulus = Array.from({ length: data.count }, (_, n) => data.lines.subarray(n * L, (n + 1) * L).join(''));
    const information = codeInformation(ys, data.count, P.nOut, { stimulus });
    let maxLateral = Number.NEGATIVE_INFINITY;
    let maxSelf = 0;
    for (let i = 0; i < P.nOut; i++)
      for (let j = 0; j < P.nOut; j++) {
        const v = res.net.w[i * P.nOut + j] as number;
        if (i === j) maxSelf = Math.max(maxSelf, Math.abs(v));
        else maxLateral = Math.max(maxLateral, v);
      }
    const done: Foldiak1990Seed = {
      seed,
      solvedAt: res.solvedAt,
      solved: res.solvedAt > 0 && last.linesRepresented === 2 * size,
      curve: res.curve,
      last,
      sparseness,
      information,
      maxLateral,
      maxSelf,
      q: res.net.q,
      w: res.net.w,
      t: res.net.t,
    };
    seeds.push(done);
    hooks.onSeed?.(done);
    hooks.onProgress?.({ stage: 'seeds', done: k + 1, total: nSeeds });
    // let progress callbacks and abort signals through between seeds
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const times = seeds.map((s) => s.solvedAt).filter((s) => s > 0);
  const medianSolvedAt = times.length ? ([...times].sort((a, b) => a - b)[Math.floor((times.length - 1) / 2)] as number) : Number.NaN;
  return {
    params: P,
    size,
    pLine: 1 / 8,
    presentations,
    scoreEvery,
    seeds,
    engine: o.engine ?? 'kernels',
    solved: seeds.filter((s) => s.solved).length,
    medianSolvedAt,
    seconds: (performance.now() - t0) / 1000,
  };
}
