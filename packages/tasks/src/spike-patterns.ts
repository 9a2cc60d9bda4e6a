/**
 * Spike-pattern working-memory task (Perrinet et al. 2026): M target patterns of N neurons ×
 * T steps, and the cueing protocol that asks a network to recall them.
 *
 * Patterns are Boolean rasters stored densely as `Uint8Array`s in [M, N, T] order (pattern,
 * neuron, time — the authors' layout). Two generators:
 * - `bernoulliPatterns`: every neuron and step spikes independently with probability p (the
 *   authors' code);
 * - `evidencePatterns`: the paper's generator — evidence e ~ N(0, σ²) per entry, firing
 *   probability sigmoid(logit(p) + e), keep only the top fraction of probabilities, Bernoulli
 *   draw, then a minimum inter-spike interval.
 *
 * Cueing (`cueInput`): `backgroundSteps` of background Bernoulli(p) noise, then the first
 * `cueSteps` (= D) steps of the target clamped, then nothing; the network must produce target
 * steps D..T−1 on its own. The recall is scored on network steps
 * [backgroundSteps + D, backgroundSteps + T) against target steps [D, T).
 *
 * @example
 * ```ts
 * const set = bernoulliPatterns({ M: 16, N: 1024, T: 1000, p: 1e-3, seed: 2018 });
 * const cue = cueInput(set, { backgroundSteps: 50, cueSteps: 41, p: 1e-3, rng: new Rng(1) });
 * cue.data.length; // 16 · 1024 · 1050
 * ```
 */
import { Rng, ShapeError } from '@wmkit/tensor';

/** M Boolean patterns of N neurons × T steps, [M, N, T] row-major. */
export interface SpikePatternSet {
  M: number;
  N: number;
  T: number;
  data: Uint8Array;
}

function checkInt(what: string, v: number, min: number): void {
  if (!(Number.isInteger(v) && v >= min)) throw new ShapeError(`${what} (${v}) must be an integer ≥ ${min}`);
}

/** Checks a firing probability lies strictly inside (0, 1). */
export function checkSpikeProbability(p: number, what = 'p'): void {
  if (!(p > 0 && p < 1))
    throw new ShapeError(`${what} (${p}) must lie strictly between 0 and 1 (a firing probability per neuron and step, e.g. 1e-3)`);
}

/** Wraps a Boolean array as a pattern set, checking its length is M·N·T. */
export function spikePatternSet(M: number, N: number, T: number, data: ArrayLike<number>): SpikePatternSet {
  checkInt('M (patterns)', M, 1);
  checkInt('N (neurons)', N, 1);
  checkInt('T (steps)', T, 1);
  if (data.length !== M * N * T) {
    throw new ShapeError(`spike patterns: expected shape [M, N, T] = [${M}, ${N}, ${T}] (${M * N * T} values), got ${data.length} values`);
  }
  const out = data instanceof Uint8Array ? data : Uint8Array.from(data, (v) => (v ? 1 : 0));
  return { M, N, T, data: out };
}

/** Count M, size N × T, firing probability p and seed of independent Bernoulli spike patterns. */
export interface BernoulliPatternOptions {
  M: number;
  N: number;
  T: number;
  /** Firing probability per neuron and step (the authors' p_A). */
  p: number;
  seed: number | string;
}

/** Independent Bernoulli(p) spikes for every pattern, neuron and step (the authors' code). */
export function bernoulliPatterns(o: BernoulliPatternOptions): SpikePatternSet {
  checkSpikeProbability(o.p);
  const set = spikePatternSet(o.M, o.N, o.T, new Uint8Array(o.M * o.N * o.T));
  const rng = new Rng(o.seed).fork('patterns');
  bernoulliFill(rng, set.data, 0, set.data.length, o.p);
  return set;
}

/** Sets data[from..to) to Bernoulli(p) draws (one uint32 per entry: 1 iff u·2³² < p·2³²). */
export function bernoulliFill(rng: Rng, data: Uint8Array, from: number, to: number, p: number): void {
  const threshold = p * 4294967296;
  const chunk = new Uint32Array(Math.min(65536, Math.max(0, to - from)));
  for (let start = from; start < to; start += chunk.length) {
    const n = Math.min(chunk.length, to - start);
    const raw = n === chunk.length ? rng.fillUint32(chunk) : rng.fillUint32(new Uint32Array(n));
    for (let k = 0; k < n; k++) data[start + k] = raw[k] < threshold ? 1 : 0;
  }
}

/** Options of the paper's pattern generator (Perrinet et al. 2026): evidence SD, fraction kept, minimum inter-spike interval. */
export interface EvidencePatternOptions extends BernoulliPatternOptions {
  /** Standard deviation of the evidence (paper: 4). */
  evidenceSD?: number;
  /** Fraction of (pattern, neuron, step) entries whose probability is kept (paper: 0.005). */
  keepFraction?: number;
  /** Minimum inter-spike interval in steps (paper: 4). */
  minInterval?: number;
}

/**
 * The paper's generator: evidence e ~ N(0, σ²), probability sigmoid(logit(p) + e); the top
 * `keepFraction` of probabilities over the whole set are kept and the rest set to zero; a
 * Bernoulli draw; then, per neuron, a spike closer than `minInterval` steps to the previous
 * kept spike is removed.
 */
export function evidencePatterns(o: EvidencePatternOptions): SpikePatternSet {
  checkSpikeProbability(o.p);
  const sd = o.evidenceSD ?? 4;
  const keep = o.keepFraction ?? 0.005;
  const minInterval = o.minInterval ?? 4;
  if (!(sd >= 0)) throw new ShapeError(`evidenceSD (${sd}) must be ≥ 0`);
  if (!(keep > 0 && keep <= 1)) throw new ShapeError(`keepFraction (${keep}) must lie in (0, 1]`);
  checkInt('minInterval', minInterval, 1);
  const set = spikePatternSet(o.M, o.N, o.T, new Uint8Array(o.M * o.N * o.T));
  const rng = new Rng(o.seed).fork('evidence-patterns');
  const n = set.data.length;
  const logit = Math.log(o.p / (1 - o.p));
  const prob = rng.fork('evidence').fillNormal(new Float32Array(n), 0, sd);
  for (let k = 0; k < n; k++) prob[k] = 1 / (1 + Math.exp(-(logit + prob[k])));
  // threshold at the (1 − keep) quantile: keep the top ⌈keep·n⌉ values
  const nKeep = Math.max(1, Math.ceil(keep * n));
  const sorted = Float32Array.from(prob).sort();
  const cut = sorted[n - nKeep];
  const draw = rng.fork('draw');
  const u = new Uint32Array(n);
  draw.fillUint32(u);
  for (let k = 0; k < n; k++) set.data[k] = prob[k] >= cut && u[k] < prob[k] * 4294967296 ? 1 : 0;
  // refractoriness: per (pattern, neuron) row, drop spikes within minInterval of the last kept one
  for (let row = 0; row < o.M * o.N; row++) {
    let last = Number.NEGATIVE_INFINITY;
    const base = row * o.T;
    for (let t = 0; t < o.T; t++) {
      if (!set.data[base + t]) continue;
      if (t - last < minInterval) set.data[base + t] = 0;
      else last = t;
    }
  }
  return set;
}

/** Number of spikes in a set. */
export function countSpikes(set: SpikePatternSet): number {
  let c = 0;
  for (let k = 0; k < set.data.length; k++) c += set.data[k];
  return c;
}

/** How a pattern is cued: background noise steps, clamped cue steps and background probability. */
export interface CueOptions {
  /** Steps of background noise before the cue (authors: 50). */
  backgroundSteps: number;
  /** Steps of the target clamped as the cue (authors: D). */
  cueSteps: number;
  /** Background firing probability (authors: p_A). */
  p: number;
  /** Draws the background noise (fresh noise for every call). */
  rng: Rng;
  /** Total steps of input (default backgroundSteps + T). */
  steps?: number;
}

/** Input spikes for cued recall, [M, N, steps] with steps = backgroundSteps + T by default. */
export interface CueInput {
  M: number;
  N: number;
  steps: number;
  backgroundSteps: number;
  cueSteps: number;
  data: Uint8Array;
}

/** Checks cueing options against a pattern set; returns the input's length in steps. */
function cueSteps(set: SpikePatternSet, o: CueOptions): number {
  checkInt('backgroundSteps', o.backgroundSteps, 0);
  checkInt('cueSteps', o.cueSteps, 0);
  checkSpikeProbability(o.p, 'background p');
  if (o.cueSteps > set.T) throw new ShapeError(`cueSteps (${o.cueSteps}) exceeds the pattern length T (${set.T})`);
  const steps = o.steps ?? o.backgroundSteps + set.T;
  if (steps < o.backgroundSteps + o.cueSteps)
    throw new ShapeError(`cue input of ${steps} steps is shorter than background + cue (${o.backgroundSteps + o.cueSteps})`);
  return steps;
}

/** Builds the cueing input: background noise, the first `cueSteps` steps of each target, then silence. */
export function cueInput(set: SpikePatternSet, o: CueOptions): CueInput {
  const { M, N, T } = set;
  const steps = cueSteps(set, o);
  const data = new Uint8Array(M * N * steps);
  for (let m = 0; m < M; m++) {
    for (let i = 0; i < N; i++) {
      const row = (m * N + i) * steps;
      bernoulliFill(o.rng, data, row, row + o.backgroundSteps, o.p);
      const src = (m * N + i) * T;
      data.set(set.data.subarray(src, src + o.cueSteps), row + o.backgroundSteps);
    }
  }
  return { M, N, steps, backgroundSteps: o.backgroundSteps, cueSteps: o.cueSteps, data };
}

/**
 * Spikes of one pattern as per-step lists (compressed sparse rows over time): neurons
 * `idx[off[t]] .. idx[off[t + 1] − 1]` spike at step t. The form the event-driven HD-SNN kernels
 * read and write (@wmkit/delay-snn re-exports it).
 */
export interface SpikeEvents {
  steps: number;
  /** [steps + 1] offsets into `idx`. */
  off: Int32Array;
  /** Neuron indices, ascending within each step. */
  idx: Int32Array;
}

/**
 * The cueing input of `cueInput` as per-step spike lists, one per pattern, without the dense
 * [M, N, steps] raster: the same background draws from `o.rng` (one uint32 per pattern, neuron
 * and background step, in that order) and the same spikes, for an event-driven network.
 */
export function cueInputEvents(set: SpikePatternSet, o: CueOptions): SpikeEvents[] {
  const { M, N, T } = set;
  const steps = cueSteps(set, o);
  const B = o.backgroundSteps;
  // cueInput draws row by row (pattern, neuron) B values each: one call draws the same sequence
  const raw = o.rng.fillUint32(new Uint32Array(M * N * B));
  const threshold = o.p * 4294967296;
  const out: SpikeEvents[] = [];
  for (let m = 0; m < M; m++) {
    const off = new Int32Array(steps + 1);
    let idx = new Int32Array(Math.max(16, 2 * Math.ceil(N * (B * o.p + o.cueSteps * 0.01))));
    let n = 0;
    const push = (i: number) => {
      if (n === idx.length) {
        const grown = new Int32Array(2 * n);
        grown.set(idx);
        idx = grown;
      }
      idx[n++] = i;
    };
    for (let t = 0; t < B; t++) {
      off[t] = n;
      for (let i = 0, q = m * N * B + t; i < N; i++, q += B) if ((raw[q] as number) < threshold) push(i);
    }
    for (let t = 0; t < o.cueSteps; t++) {
      off[B + t] = n;
      for (let i = 0, q = m * N * T + t; i < N; i++, q += T) if (set.data[q]) push(i);
    }
    off.fill(n, B + o.cueSteps);
    out.push({ steps, off, idx: idx.slice(0, n) });
  }
  return out;
}

/**
 * The authors' "balanced" bit flipping: each entry is, with probability `pFlip`, replaced by a
 * fresh Bernoulli draw at the array's mean rate (so the mean firing rate is preserved).
 * Returns a new array.
 */
export function flipBits(data: Uint8Array, pFlip: number, rng: Rng): Uint8Array {
  if (!(pFlip >= 0 && pFlip <= 1)) throw new ShapeError(`flip probability (${pFlip}) must lie in [0, 1]`);
  let ones = 0;
  for (let k = 0; k < data.length; k++) ones += data[k];
  const mean = data.length ? ones / data.length : 0;
  const out = Uint8Array.from(data);
  const mask = new Uint8Array(data.length);
  bernoulliFill(rng, mask, 0, data.length, pFlip);
  const draw = new Uint8Array(data.length);
  if (mean > 0) bernoulliFill(rng, draw, 0, data.length, Math.min(mean, 1 - 1e-12));
  for (let k = 0; k < data.length; k++) if (mask[k]) out[k] = draw[k];
  return out;
}
