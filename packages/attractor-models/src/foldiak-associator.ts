/**
 * A supervised associative layer downstream of a code — the use Földiák (1990, Introduction and
 * Discussion) argues a sparse, decorrelated code is good for: it associates each input pattern
 * r_k (a row of `inputs`, binary or analog) with a binary target z_k.
 *
 * Two learning rules, both one layer of M output units:
 * - Hebbian (Willshaw, Buneman & Longuet-Higgins 1969; Palm 1980): binary clipped weights
 *   W_ij = 1 if some stored pair has z_i = 1 and r_j = 1; recall z_i = 1[Σ_j W_ij r_j ≥ Σ_j r_j]
 *   (the number of active inputs as threshold). One pass; errors come from crosstalk as the
 *   matrix fills, so capacity depends on how sparse and how overlapping the inputs are.
 * - Delta rule (Widrow–Hoff), normalised: out = V [r, 1], V ← V + η (z − out)[r, 1]ᵀ / (1 + |r|²),
 *   recall z_i = 1[out_i > 0.5]. Normalising by the input's squared length makes the step size
 *   comparable between a 64-pixel image and a 16-unit code (stable for 0 < η < 2), so the
 *   learning speed reflects how correlated the inputs are, not their scale.
 */
import type { Rng } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';

function checkSet(inputs: ArrayLike<number>, targets: ArrayLike<number>, K: number, nIn: number, M: number, what: string): void {
  if (!(Number.isInteger(K) && Number.isInteger(nIn) && Number.isInteger(M) && K > 0 && nIn > 0 && M > 0))
    throw new ShapeError(`${what}: K = ${K}, nIn = ${nIn}, M = ${M} must be positive integers`);
  if (inputs.length !== K * nIn) throw new ShapeError(`${what}: inputs have ${inputs.length} values, expected [K, nIn] = [${K}, ${nIn}]`);
  if (targets.length !== K * M) throw new ShapeError(`${what}: targets have ${targets.length} values, expected [K, M] = [${K}, ${M}]`);
}

/** Binary clipped Hebbian weights [M, nIn] storing the first `k` (default all K) associations. */
export function willshawStore(inputs: ArrayLike<number>, targets: ArrayLike<number>, K: number, nIn: number, M: number, k = K): Uint8Array {
  checkSet(inputs, targets, K, nIn, M, 'willshawStore');
  const W = new Uint8Array(M * nIn);
  for (let s = 0; s < Math.min(k, K); s++)
    for (let i = 0; i < M; i++) {
      if (!((targets[s * M + i] as number) > 0.5)) continue;
      for (let j = 0; j < nIn; j++) if ((inputs[s * nIn + j] as number) > 0.5) W[i * nIn + j] = 1;
    }
  return W;
}

/** Willshaw recall of input `x`: unit i on when all of x's active inputs reach it (no active input: all off). */
export function willshawRecall(W: Uint8Array, x: ArrayLike<number>, nIn: number, M: number): Uint8Array {
  const z = new Uint8Array(M);
  let active = 0;
  for (let j = 0; j < nIn; j++) if ((x[j] as number) > 0.5) active++;
  if (active === 0) return z;
  for (let i = 0; i < M; i++) {
    let s = 0;
    for (let j = 0; j < nIn; j++) if ((x[j] as number) > 0.5) s += W[i * nIn + j] as number;
    z[i] = s >= active ? 1 : 0;
  }
  return z;
}

/** Hebbian capacity: for every number of stored associations k, how well the stored ones are recalled. */
export interface HebbianCapacity {
  /** For k = 1…K: fraction of the k stored associations recalled exactly. */
  exact: Float64Array;
  /** For k = 1…K: fraction of wrong output bits over the k stored associations. */
  bitError: Float64Array;
  /** The largest k up to which every stored association is recalled exactly (0 if not even one). */
  capacity: number;
  /** With all K stored: the probability-weighted fraction of associations recalled with a wrong bit. */
  weightedError: number;
}

/**
 * Stores the associations in the order given (k = 1…K; e.g. most frequent first) and recalls the
 * stored ones after each; `probabilities` weight `weightedError` (default equal).
 */
export function hebbianCapacity(
  inputs: ArrayLike<number>,
  targets: ArrayLike<number>,
  K: number,
  nIn: number,
  M: number,
  probabilities?: ArrayLike<number>,
): HebbianCapacity {
  checkSet(inputs, targets, K, nIn, M, 'hebbianCapacity');
  const exact = new Float64Array(K);
  const bitError = new Float64Array(K);
  let capacity = 0;
  let stillPerfect = true;
  let weightedError = 0;
  for (let k = 1; k <= K; k++) {
    const W = willshawStore(inputs, targets, K, nIn, M, k);
    let ok = 0;
    let wrongBits = 0;
    let werr = 0;
    let wsum = 0;
    for (let s = 0; s < k; s++) {
      const z = willshawRecall(
        W,
        Float64Array.from({ length: nIn }, (_, j) => inputs[s * nIn + j] as number),
        nIn,
        M,
      );
      let wrong = 0;
      for (let i = 0; i < M; i++) if (z[i] !== ((targets[s * M + i] as number) > 0.5 ? 1 : 0)) wrong++;
      wrongBits += wrong;
      if (wrong === 0) ok++;
      const p = probabilities ? (probabilities[s] as number) : 1;
      wsum += p;
      if (wrong > 0) werr += p;
    }
    exact[k - 1] = ok / k;
    bitError[k - 1] = wrongBits / (k * M);
    if (stillPerfect && ok === k) capacity = k;
    else stillPerfect = false;
    if (k === K) weightedError = wsum > 0 ? werr / wsum : Number.NaN;
  }
  return { exact, bitError, capacity, weightedError };
}

/** Learning rate, presentations, scoring period and stopping criterion of `deltaRuleLearning`. */
export interface DeltaRuleOptions {
  /** Normalised rate η (default 0.5; stable for 0 < η < 2). */
  rate?: number;
  /** Online presentations, each association drawn with its probability (default 5000). */
  presentations?: number;
  /** Measure the recall error every this many presentations (default 100). */
  every?: number;
  /** Criterion on the probability-weighted recall error for `reachedAt` (default 0.05). */
  criterion?: number;
}

/** One point of a delta-rule learning curve. */
export interface DeltaRulePoint {
  presentations: number;
  /** Probability-weighted fraction of associations recalled with a wrong bit. */
  weightedError: number;
  /** Fraction of associations (unweighted) recalled with a wrong bit. */
  error: number;
  /** Probability-weighted mean squared error of the linear outputs. */
  mse: number;
}

/** A delta-rule learning run: the curve and when it reached the criterion and zero errors. */
export interface DeltaRuleRun {
  curve: DeltaRulePoint[];
  /** First measured presentation count with weighted error ≤ criterion (−1: not within the run). */
  reachedAt: number;
  /** First measured presentation count with every association recalled exactly (−1: not within the run). */
  allCorrectAt: number;
  final: DeltaRulePoint;
}

/**
 * Online normalised delta rule on the associations, each presentation drawing association k with
 * probability `probabilities[k]` (one `rng.random()` per presentation).
 */
export function deltaRuleLearning(
  inputs: ArrayLike<number>,
  targets: ArrayLike<number>,
  K: number,
  nIn: number,
  M: number,
  probabilities: ArrayLike<number>,
  rng: Rng,
  o: DeltaRuleOptions = {},
): DeltaRuleRun {
  checkSet(inputs, targets, K, nIn, M, 'deltaRuleLearning');
  if (probabilities.length !== K)
    throw new ShapeError(`deltaRuleLearning: ${probabilities.length} probabilities for K = ${K} associations`);
  const eta = o.rate ?? 0.5;
  if (!(eta > 0 && eta < 2)) throw new ShapeError(`deltaRuleLearning: rate η = ${eta} must be in (0, 2)`);
  const total = o.presentations ?? 5000;
  const every = o.every ?? 100;
  const criterion = o.criterion ?? 0.05;
  const n1 = nIn + 1;
  const V = new Float64Array(M * n1);
  const cum = new Float64Array(K);
  let ps = 0;
  for (let k = 0; k < K; k++) {
    ps += probabilities[k] as number;
    cum[k] = ps;
  }
  if (!(ps > 0)) throw new ShapeError('deltaRuleLearning: the probabilities sum to 0');
  const out = new Float64Array(M);
  const forward = (s: number) => {
    for (let i = 0; i < M; i++) {
      let a = V[i * n1 + nIn] as number;
      for (let j = 0; j < nIn; j++) a += (V[i * n1 + j] as number) * (inputs[s * nIn + j] as number);
      out[i] = a;
    }
  };
  const measure = (n: number): DeltaRulePoint => {
    let werr = 0;
    let err = 0;
    let mse = 0;
    for (let s = 0; s < K; s++) {
      forward(s);
      let wrong = false;
      let se = 0;
      for (let i = 0; i < M; i++) {
        const z = targets[s * M + i] as number;
        if ((out[i] as number) > 0.5 !== z > 0.5) wrong = true;
        se += ((out[i] as number) - z) ** 2;
      }
      const p = (probabilities[s] as number) / ps;
      if (wrong) {
        werr += p;
        err += 1 / K;
      }
      mse += (p * se) / M;
    }
    return { presentations: n, weightedError: werr, error: err, mse };
  };
  const curve: DeltaRulePoint[] = [measure(0)];
  const start = curve[0] as DeltaRulePoint;
  let reachedAt = start.weightedError <= criterion ? 0 : -1;
  let allCorrectAt = start.error === 0 ? 0 : -1;
  for (let n = 1; n <= total; n++) {
    const u = rng.random() * ps;
    let s = 0;
    while (s < K - 1 && u >= (cum[s] as number)) s++;
    forward(s);
    let norm = 1;
    for (let j = 0; j < nIn; j++) norm += (inputs[s * nIn + j] as number) ** 2;
    const g = eta / norm;
    for (let i = 0; i < M; i++) {
      const e = g * ((targets[s * M + i] as number) - (out[i] as number));
      if (e === 0) continue;
      for (let j = 0; j < nIn; j++) V[i * n1 + j] += e * (inputs[s * nIn + j] as number);
      V[i * n1 + nIn] += e;
    }
    if (n % every === 0 || n === total) {
      const pt = measure(n);
      curve.push(pt);
      if (reachedAt < 0 && pt.weightedError <= criterion) reachedAt = n;
      if (allCorrectAt < 0 && pt.error === 0) allCorrectAt = n;
    }
  }
  return { curve, reachedAt, allCorrectAt, final: curve[curve.length - 1] as DeltaRulePoint };
}
