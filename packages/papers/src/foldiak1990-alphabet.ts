/**
 * Földiák 1990's second demonstration: the letters of the alphabet, shown with their English
 * frequencies, coded by 16 units of the same network as the bars (Hebbian feed-forward weights,
 * anti-Hebbian lateral weights, adaptive thresholds). The learned code is measured as the paper
 * does — information kept about the letter, statistical dependence (redundancy) between the units,
 * sparseness, letters with a code of their own — and passed to a downstream associative layer
 * (Hebbian/Willshaw and delta rule), against the same layer learning from the raw images.
 * Stimuli: `@wmkit/tasks` `alphabetDataset` (wmkit's own 8 × 8 font, Lewand's letter
 * frequencies). Model, parameters and departures: docs/models/wta-sparse.md.
 */
import { type CodeInformation, codeInformation, spearmanTest } from '@wmkit/analysis';
import {
  createFoldiak,
  type DeltaRuleRun,
  deltaRuleLearning,
  FOLDIAK1990_BARS,
  type FoldiakEngineName,
  type FoldiakParams,
  foldiakEngine,
  type HebbianCapacity,
  hebbianCapacity,
} from '@wmkit/attractor-models';
import { ALPHABET, alphabetDataset, alphabetImages, englishLetterProbabilities } from '@wmkit/tasks';
import { Rng, runStepsYielding, ShapeError, type StepGenerator } from '@wmkit/tensor';
import { type RecipeHooks, throwIfAborted } from './hooks';

/** The alphabet run: seeds, presentations, network size and the downstream associative layer. */
export interface Foldiak1990AlphabetOptions {
  /** Number of seeds (default 10). */
  seeds?: number;
  /** First seed (default 1); seed k runs on `new Rng(seed + k)`. */
  seed?: number;
  /** Learning presentations per seed after the threshold pre-training (default 5000). */
  presentations?: number;
  /** Measure the code every this many presentations (default 250). */
  scoreEvery?: number;
  /** Output units (default 16). */
  units?: number;
  /** Output units of the associative layer (default 32). */
  targetUnits?: number;
  /** Active units in each letter's random target (default 4). */
  targetActive?: number;
  /** Presentations of the delta-rule layer (default 5000). */
  deltaPresentations?: number;
  /** Normalised delta-rule rate η (default 0.5). */
  deltaRate?: number;
  /** Float64 JavaScript (`'kernels'`, default) or tfjs ops for the Földiák network. */
  engine?: FoldiakEngineName;
}

/** The code measured during learning. */
export interface AlphabetCodePoint {
  presentations: number;
  distinctCodes: number;
  /** I(letter; code) in bits (letters weighted by their English frequencies). */
  bitsRetained: number;
  /** Σ H(y_i) − H(Y), bits. */
  redundancy: number;
  meanActiveUnits: number;
}

/** The associative layer on one representation (the learned code or the raw images). */
export interface AlphabetAssociator {
  hebbian: HebbianCapacity;
  delta: DeltaRuleRun;
}

/** One seed of the alphabet run. */
export interface Foldiak1990AlphabetSeed {
  seed: number;
  curve: AlphabetCodePoint[];
  /** Binary code of each letter A…Z after learning [26, units]. */
  codes: Uint8Array;
  /** Information and redundancy of the final code. */
  code: CodeInformation;
  /** Active units per letter A…Z. */
  activeUnits: Int32Array;
  /** Spearman ρ (and permutation p) between a letter's frequency and its number of active units. */
  frequencyVsActive: { rho: number; p: number };
  /** Feed-forward weights [units, 64], lateral weights [units, units], thresholds [units]. */
  q: Float64Array;
  w: Float64Array;
  t: Float64Array;
  associator: { code: AlphabetAssociator; raw: AlphabetAssociator };
}

/** Every seed's alphabet code, the raw images' measures, and the means over seeds. */
export interface Foldiak1990AlphabetResult {
  params: FoldiakParams;
  engine: FoldiakEngineName;
  presentations: number;
  scoreEvery: number;
  /** Letter probabilities A…Z. */
  probabilities: Float64Array;
  /** Letters in order of decreasing frequency (the order the Hebbian layer stores them in). */
  frequencyOrder: number[];
  /** The 26 images [26, 64]. */
  images: Float32Array;
  /** Information and redundancy of the raw 64-pixel images as a code. */
  input: CodeInformation;
  targetUnits: number;
  targetActive: number;
  deltaPresentations: number;
  deltaRate: number;
  seeds: Foldiak1990AlphabetSeed[];
  /** Means over seeds. */
  mean: {
    distinctCodes: number;
    bitsRetained: number;
    redundancy: number;
    unitEntropySum: number;
    meanActiveUnits: number;
    hebbianCapacity: { code: number; raw: number };
    hebbianError: { code: number; raw: number };
    deltaError: { code: number; raw: number };
    deltaLetterError: { code: number; raw: number };
    /** Weighted delta-rule error early in learning, at the first measurement ≥ 200 presentations. */
    deltaEarlyError: { presentations: number; code: number; raw: number };
  };
  seconds: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Reorders the rows [26, n] into `order`. */
function rowsInOrder(x: ArrayLike<number>, n: number, order: number[]): Float64Array {
  const out = new Float64Array(order.length * n);
  for (const [i, k] of order.entries()) for (let j = 0; j < n; j++) out[i * n + j] = x[k * n + j] as number;
  return out;
}

function* alphabetSeedSteps(
  seed: number,
  rng: Rng,
  o: Required<Omit<Foldiak1990AlphabetOptions, 'seeds' | 'seed'>>,
  probs: Float64Array,
  order: number[],
  images: Float32Array,
): StepGenerator<Foldiak1990AlphabetSeed> {
  const nOut = o.units;
  const net = createFoldiak({ ...FOLDIAK1990_BARS, nIn: 64, nOut }, rng.fork('init'));
  const eng = foldiakEngine(net, o.engine);
  const labels = [...ALPHABET];
  const measure = () => {
    const y = eng.respond(images, 26);
    return { y, c: codeInformation(y, 26, nOut, { weights: probs, stimulus: labels }) };
  };
  try {
    const letters = rng.fork('letters');
    const next = () => alphabetDataset({ count: 1, rng: letters, probabilities: probs }).x;
    for (let c = 0; c < net.params.pretrainCycles; c++) {
      eng.pretrain(next());
      yield;
    }
    const curve: AlphabetCodePoint[] = [];
    const point = (n: number) => {
      const { c } = measure();
      curve.push({
        presentations: n,
        distinctCodes: c.distinctCodes,
        bitsRetained: c.mutualInformation,
        redundancy: c.redundancy,
        meanActiveUnits: c.meanActiveUnits,
      });
    };
    point(0);
    for (let k = 1; k <= o.presentations; k++) {
      eng.present(next());
      if (k % o.scoreEvery === 0 || k === o.presentations) point(k);
      yield;
    }
    const { y, c } = measure();
    const final = eng.network();
    const activeUnits = new Int32Array(26);
    for (let k = 0; k < 26; k++) for (let u = 0; u < nOut; u++) activeUnits[k] += y[k * nOut + u] as number;
    const sp = spearmanTest(probs, activeUnits, rng.fork('spearman'), 2000);
    // the associative layer: each letter → a random target with `targetActive` of `targetUnits` on
    const M = o.targetUnits;
    const targets = new Float64Array(26 * M);
    const tr = rng.fork('targets');
    for (let k = 0; k < 26; k++) {
      const perm = tr.permutation(M);
      for (let a = 0; a < o.targetActive; a++) targets[k * M + (perm[a] as number)] = 1;
    }
    const T = rowsInOrder(targets, M, order);
    const p = Float64Array.from(order, (k) => probs[k] as number);
    const associate = (x: ArrayLike<number>, n: number): AlphabetAssociator => {
      const X = rowsInOrder(x, n, order);
      return {
        hebbian: hebbianCapacity(X, T, 26, n, M, p),
        delta: deltaRuleLearning(X, T, 26, n, M, p, rng.fork('delta'), {
          presentations: o.deltaPresentations,
          rate: o.deltaRate,
          every: Math.max(1, Math.round(o.deltaPresentations / 50)),
        }),
      };
    };
    return {
      seed,
      curve,
      codes: y,
      code: c,
      activeUnits,
      frequencyVsActive: { rho: sp.rho, p: sp.p },
      q: final.q,
      w: final.w,
      t: final.t,
      associator: { code: associate(y, nOut), raw: associate(images, 64) },
    };
  } finally {
    eng.dispose();
  }
}

/** Learns the alphabet code for each seed, measures it, and trains the associative layer on it and on the raw images. */
export async function foldiak1990Alphabet(o: Foldiak1990AlphabetOptions = {}, hooks: RecipeHooks = {}): Promise<Foldiak1990AlphabetResult> {
  const nSeeds = o.seeds ?? 10;
  const first = o.seed ?? 1;
  const opts = {
    presentations: o.presentations ?? 5000,
    scoreEvery: o.scoreEvery ?? 250,
    units: o.units ?? 16,
    targetUnits: o.targetUnits ?? 32,
    targetActive: o.targetActive ?? 4,
    deltaPresentations: o.deltaPresentations ?? 5000,
    deltaRate: o.deltaRate ?? 0.5,
    engine: o.engine ?? 'kernels',
  };
  for (const [k, v] of Object.entries({ seeds: nSeeds, ...opts }))
    if (k !== 'engine' && k !== 'deltaRate' && !(Number.isInteger(v) && (v as number) >= 1))
      throw new ShapeError(`foldiak1990Alphabet: ${k} (${v}) must be an integer ≥ 1`);
  if (opts.targetActive > opts.targetUnits)
    throw new ShapeError(`foldiak1990Alphabet: targetActive (${opts.targetActive}) must be ≤ targetUnits (${opts.targetUnits})`);
  const t0 = performance.now();
  const probs = englishLetterProbabilities();
  const order = Array.from({ length: 26 }, (_, k) => k).sort((a, b) => (probs[b] as number) - (probs[a] as number));
  const images = alphabetImages();
  const input = codeInformation(images, 26, 64, { weights: probs, stimulus: [...ALPHABET] });
  const seeds: Foldiak1990AlphabetSeed[] = [];
  hooks.onProgress?.({ stage: 'seeds', done: 0, total: nSeeds });
  for (let k = 0; k < nSeeds; k++) {
    throwIfAborted(hooks.signal);
    const seed = first + k;
    const rng = hooks.rng ? hooks.rng.fork(`seed-${seed}`) : new Rng(seed);
    seeds.push(await runStepsYielding(alphabetSeedSteps(seed, rng, opts, probs, order, images), { signal: hooks.signal }));
    hooks.onProgress?.({ stage: 'seeds', done: k + 1, total: nSeeds });
  }
  const over = (f: (s: Foldiak1990AlphabetSeed) => number) => mean(seeds.map(f));
  const early = (a: AlphabetAssociator) => a.delta.curve.find((c) => c.presentations >= 200) ?? a.delta.final;
  const earlyAt = seeds[0] ? early(seeds[0].associator.code).presentations : 0;
  return {
    params: { ...FOLDIAK1990_BARS, nIn: 64, nOut: opts.units },
    engine: opts.engine,
    presentations: opts.presentations,
    scoreEvery: opts.scoreEvery,
    probabilities: probs,
    frequencyOrder: order,
    images,
    input,
    targetUnits: opts.targetUnits,
    targetActive: opts.targetActive,
    deltaPresentations: opts.deltaPresentations,
    deltaRate: opts.deltaRate,
    seeds,
    mean: {
      distinctCodes: over((s) => s.code.distinctCodes),
      bitsRetained: over((s) => s.code.mutualInformation),
      redundancy: over((s) => s.code.redundancy),
      unitEntropySum: over((s) => s.code.unitEntropySum),
      meanActiveUnits: over((s) => s.code.meanActiveUnits),
      hebbianCapacity: { code: over((s) => s.associator.code.hebbian.capacity), raw: over((s) => s.associator.raw.hebbian.capacity) },
      hebbianError: {
        code: over((s) => s.associator.code.hebbian.weightedError),
        raw: over((s) => s.associator.raw.hebbian.weightedError),
      },
      deltaError: {
        code: over((s) => s.associator.code.delta.final.weightedError),
        raw: over((s) => s.associator.raw.delta.final.weightedError),
      },
      deltaLetterError: { code: over((s) => s.associator.code.delta.final.error), raw: over((s) => s.associator.raw.delta.final.error) },
      deltaEarlyError: {
        presentations: earlyAt,
        code: over((s) => early(s.associator.code).weightedError),
        raw: over((s) => early(s.associator.raw).weightedError),
      },
    },
    seconds: (performance.now() - t0) / 1000,
  };
}
