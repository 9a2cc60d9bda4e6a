/**
 * Information and redundancy of a binary code (Földiák 1990, after Barlow's minimum-entropy
 * coding): how many bits about the stimulus a code keeps, and how statistically dependent its
 * units are.
 *
 * A code is given as rows of binary unit responses [rows, units] (values > 0.5 count as 1), each
 * row with a weight (its probability; default equal) and a stimulus label (default: each row its
 * own stimulus). With one row per stimulus and the stimulus probabilities as weights the measures
 * are exact; with sampled rows they are plug-in estimates (biased low for H when the sample does
 * not cover the code words).
 *
 *   H(S), H(Y), H(S, Y)      entropies of stimulus, code word and pair (bits)
 *   I(S; Y) = H(S) + H(Y) − H(S, Y)       bits retained (= H(Y) for a deterministic code)
 *   R = Σ_i H(y_i) − H(Y)    redundancy: the multi-information (total correlation) of the units,
 *                            0 exactly when the units are statistically independent
 */
import { ShapeError } from '@wmkit/tensor';

/** Entropy in bits of a probability vector (entries ≤ 0 contribute nothing; the vector is normalised). */
export function entropyBits(p: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < p.length; i++) if ((p[i] as number) > 0) total += p[i] as number;
  if (!(total > 0)) throw new ShapeError('entropyBits: the probabilities sum to 0; give at least one positive value');
  let h = 0;
  for (let i = 0; i < p.length; i++) {
    const q = (p[i] as number) / total;
    if (q > 0) h -= q * Math.log2(q);
  }
  return h;
}

/** Entropy in bits of a binary variable that is 1 with probability p. */
export function binaryEntropyBits(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new ShapeError(`binaryEntropyBits: p = ${p} must be in [0, 1]`);
  return p <= 0 || p >= 1 ? 0 : -p * Math.log2(p) - (1 - p) * Math.log2(1 - p);
}

/** Row weights and stimulus labels of `codeInformation`. */
export interface CodeInformationOptions {
  /** Probability (or count) of each row; default equal weights. */
  weights?: ArrayLike<number>;
  /** Stimulus label of each row; default each row is its own stimulus. */
  stimulus?: ArrayLike<number | string>;
}

/** Information, redundancy and sparseness of a binary code (bits). */
export interface CodeInformation {
  /** H(S): entropy of the stimuli. */
  stimulusEntropy: number;
  /** H(Y): entropy of the code words. */
  codeEntropy: number;
  /** I(S; Y): bits about the stimulus the code keeps. */
  mutualInformation: number;
  /** H(S) − I(S; Y). */
  informationLost: number;
  /** Σ_i H(y_i): the sum of the units' entropies. */
  unitEntropySum: number;
  /** Σ_i H(y_i) − H(Y): statistical dependence between the units (0: independent). */
  redundancy: number;
  /** Probability that each unit is active. */
  unitActivity: Float64Array;
  /** Mean number of active units per row (weighted). */
  meanActiveUnits: number;
  /** Distinct code words among the rows of positive weight. */
  distinctCodes: number;
  /** Stimuli whose code words no other stimulus ever produces. */
  stimuliWithOwnCode: number;
  /** Number of distinct stimuli (of positive weight). */
  stimuli: number;
  /** Groups of stimuli that share a code word (only groups of two or more), as the labels given. */
  sharedCodes: (number | string)[][];
}

/** Information, redundancy and sparseness of the binary code `codes` [rows, units]. */
export function codeInformation(codes: ArrayLike<number>, rows: number, units: number, o: CodeInformationOptions = {}): CodeInformation {
  if (!(Number.isInteger(rows) && Number.isInteger(units) && rows > 0 && units > 0))
    throw new ShapeError(`codeInformation: shape [${rows}, ${units}] must be positive integers`);
  if (codes.length !== rows * units)
    throw new ShapeError(`codeInformation: ${codes.length} values do not fill shape [${rows}, ${units}] (${rows * units})`);
  const w = o.weights ?? new Float64Array(rows).fill(1);
  if (w.length !== rows) throw new ShapeError(`codeInformation: ${w.length} weights for ${rows} rows; give one weight per row`);
  if (o.stimulus && o.stimulus.length !== rows)
    throw new ShapeError(`codeInformation: ${o.stimulus.length} stimulus labels for ${rows} rows; give one label per row`);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const v = w[r] as number;
    if (!(v >= 0 && Number.isFinite(v))) throw new ShapeError(`codeInformation: weight of row ${r} is ${v}, must be ≥ 0`);
    total += v;
  }
  if (!(total > 0)) throw new ShapeError('codeInformation: the weights sum to 0; give at least one positive weight');
  const word = (r: number) => {
    let s = '';
    for (let u = 0; u < units; u++) s += (codes[r * units + u] as number) > 0.5 ? '1' : '0';
    return s;
  };
  const pS = new Map<string, number>();
  const pY = new Map<string, number>();
  const pSY = new Map<string, number>();
  const wordsOf = new Map<string, Set<string>>();
  const labelOf = new Map<string, number | string>();
  const activity = new Float64Array(units);
  let meanActive = 0;
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (let r = 0; r < rows; r++) {
    const v = (w[r] as number) / total;
    if (v === 0) continue;
    const label = o.stimulus ? (o.stimulus[r] as number | string) : r;
    const s = `${typeof label}:${label}`;
    labelOf.set(s, label);
    const y = word(r);
    add(pS, s, v);
    add(pY, y, v);
    add(pSY, `${s}|${y}`, v);
    if (!wordsOf.has(y)) wordsOf.set(y, new Set());
    (wordsOf.get(y) as Set<string>).add(s);
    for (let u = 0; u < units; u++)
      if (y[u] === '1') {
        activity[u] += v;
        meanActive += v;
      }
  }
  const hS = entropyBits([...pS.values()]);
  const hY = entropyBits([...pY.values()]);
  const hSY = entropyBits([...pSY.values()]);
  const mi = Math.max(0, hS + hY - hSY);
  let sumH = 0;
  for (let u = 0; u < units; u++) sumH += binaryEntropyBits(Math.min(1, activity[u] as number));
  const shared: (number | string)[][] = [];
  const sharing = new Set<string>();
  for (const set of wordsOf.values())
    if (set.size > 1) {
      shared.push([...set].map((s) => labelOf.get(s) as number | string));
      for (const s of set) sharing.add(s);
    }
  return {
    stimulusEntropy: hS,
    codeEntropy: hY,
    mutualInformation: mi,
    informationLost: Math.max(0, hS - mi),
    unitEntropySum: sumH,
    redundancy: Math.max(0, sumH - hY),
    unitActivity: activity,
    meanActiveUnits: meanActive,
    distinctCodes: pY.size,
    stimuliWithOwnCode: pS.size - sharing.size,
    stimuli: pS.size,
    sharedCodes: shared,
  };
}
