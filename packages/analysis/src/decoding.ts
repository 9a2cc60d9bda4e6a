/**
 * Cross-temporal analyses of stimulus information in a population (train/compare at time t₁,
 * test at t₂): do the cue-coding patterns persist through a delay, or change?
 *
 * Cross-temporal discriminability (Kim & Sejnowski 2021, wmRNN `model/cross_temporal_disc.m`;
 * after Murray et al. 2017): trials of two conditions are split into halves A and B; for each
 * half the condition-mean rate of every unit is taken; with d_A(t) = r̄_A,1(t) − r̄_A,2(t) and
 * d_B(t) = r̄_B,1(t) − r̄_B,2(t),
 *   D(t₁, t₂) = corr_units(d_A(t₁), d_B(t₂)).
 *
 * Cross-temporal decoding: a nearest-centroid classifier trained on half A at t₁ (class means)
 * classifies the trials of half B at t₂ (Euclidean distance); entry = accuracy.
 *
 * @example
 * ```ts
 * const D = crossTemporalDiscriminability(rates, labels);   // rates [trials, units, time]
 * D.data[t1 * T + t2];
 * ```
 */
import { assertShape, type NDArray, ShapeError } from '@wmkit/tensor';
import { pearson } from './stats';

interface Halves {
  T: number;
  U: number;
  /** class → half → mean rates [U × T] */
  means: Float64Array[][];
  /** class → half → trial indices */
  trials: number[][][];
}

function splitHalves(rates: NDArray, labels: ArrayLike<number>): Halves & { classes: number[] } {
  const { trials, units: U, time: T } = assertShape('cross-temporal analysis: rates', rates.shape, ['trials', 'units', 'time']);
  if (labels.length !== trials) throw new ShapeError(`cross-temporal analysis: ${trials} trials but ${labels.length} labels`);
  const classes = [...new Set(Array.from(labels))].sort((a, b) => a - b);
  if (classes.length !== 2)
    throw new ShapeError(`cross-temporal analysis: labels must have exactly 2 classes, found ${classes.length} (${classes.join(', ')})`);
  const idx = classes.map((c) => {
    const all: number[] = [];
    for (let r = 0; r < trials; r++) if (labels[r] === c) all.push(r);
    // alternate trials into halves A and B (odd/even, as in the authors' code)
    return [all.filter((_, i) => i % 2 === 0), all.filter((_, i) => i % 2 === 1)];
  });
  for (const [c, h] of idx.entries()) {
    if (h[0].length < 1 || h[1].length < 1) throw new ShapeError(`cross-temporal analysis: class ${classes[c]} needs at least 2 trials`);
  }
  const means = idx.map((halves) =>
    halves.map((ts) => {
      const m = new Float64Array(U * T);
      for (const r of ts) for (let i = 0; i < U * T; i++) m[i] += rates.data[r * U * T + i];
      for (let i = 0; i < U * T; i++) m[i] /= ts.length;
      return m;
    }),
  );
  return { T, U, means, trials: idx, classes };
}

/** D[t₁, t₂] (row-major [T × T]); `units` restricts the population (e.g. long-τ units). */
export function crossTemporalDiscriminability(rates: NDArray, labels: ArrayLike<number>, units?: number[]): NDArray<Float64Array> {
  const { T, U, means } = splitHalves(rates, labels);
  const use = units ?? Array.from({ length: U }, (_, i) => i);
  const diff = (half: number, t: number) => {
    const d = new Float64Array(use.length);
    use.forEach((u, k) => {
      d[k] = means[0][half][u * T + t] - means[1][half][u * T + t];
    });
    return d;
  };
  const dA = Array.from({ length: T }, (_, t) => diff(0, t));
  const dB = Array.from({ length: T }, (_, t) => diff(1, t));
  const out = new Float64Array(T * T);
  for (let t1 = 0; t1 < T; t1++) for (let t2 = 0; t2 < T; t2++) out[t1 * T + t2] = pearson(dA[t1], dB[t2]);
  return { data: out, shape: [T, T] };
}

/** Accuracy[t₁, t₂] of a nearest-centroid decoder trained on half A at t₁, tested on half B at t₂. */
export function crossTemporalDecoding(rates: NDArray, labels: ArrayLike<number>, units?: number[]): NDArray<Float64Array> {
  const { T, U, means, trials } = splitHalves(rates, labels);
  const use = units ?? Array.from({ length: U }, (_, i) => i);
  const out = new Float64Array(T * T);
  const test = [...trials[0][1].map((r) => [r, 0]), ...trials[1][1].map((r) => [r, 1])];
  for (let t1 = 0; t1 < T; t1++) {
    for (let t2 = 0; t2 < T; t2++) {
      let ok = 0;
      for (const [r, c] of test) {
        let d0 = 0;
        let d1 = 0;
        for (const u of use) {
          const x = rates.data[(r * U + u) * T + t2];
          d0 += (x - means[0][0][u * T + t1]) ** 2;
          d1 += (x - means[1][0][u * T + t1]) ** 2;
        }
        if ((d0 < d1 ? 0 : 1) === c) ok++;
      }
      out[t1 * T + t2] = ok / test.length;
    }
  }
  return { data: out, shape: [T, T] };
}
