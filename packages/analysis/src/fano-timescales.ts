/**
 * Fixation-period variability against neuronal timescale (Kim & Sejnowski 2021 Fig. 7; the
 * authors' `model/compute_fano.m`): for each unit, the spike count summed over the analysed
 * fixation window (20 bins of 50 ms) in each of the trials, and its Fano factor
 *   F = Var_trials(n) / Mean_trials(n)      (sample variance, n − 1)
 * then the rank (Spearman) correlation of F with the unit's τ over the units that have both,
 * with a two-sided permutation p value. Slow rate fluctuations add variance to a 1-s count that
 * fast ones average out, so longer-τ units are expected to be more variable.
 *
 * @example
 * ```ts
 * const fano = windowFano(counts);                     // counts [trials, units, bins] → per unit
 * const r = spearmanTest(fano, tauMs, new Rng(1));     // { rho, p, n }
 * ```
 */
import { assertShape, type NDArray, type Rng, ShapeError } from '@wmkit/tensor';
import { pearson, permutationTest } from './stats';

/** Fano factor of each unit's count summed over the window (bins `from`…end) across trials; NaN where the mean count is 0. */
export function windowFano(counts: NDArray, opts: { dropFirstBin?: boolean } = {}): Float64Array {
  const { trials, units, bins } = assertShape('windowFano: counts', counts.shape, ['trials', 'units', 'bins']);
  if (trials < 2) throw new ShapeError(`windowFano: needs at least 2 trials, got ${trials}`);
  const first = (opts.dropFirstBin ?? true) && bins > 1 ? 1 : 0;
  const out = new Float64Array(units);
  for (let u = 0; u < units; u++) {
    let s = 0;
    let s2 = 0;
    for (let r = 0; r < trials; r++) {
      let n = 0;
      for (let b = first; b < bins; b++) n += counts.data[(r * units + u) * bins + b];
      s += n;
      s2 += n * n;
    }
    const mean = s / trials;
    const variance = (s2 - trials * mean * mean) / (trials - 1);
    out[u] = mean > 0 ? variance / mean : Number.NaN;
  }
  return out;
}

/** Ranks (1-based; ties share their mean rank). */
export function ranks(x: ArrayLike<number>): Float64Array {
  const idx = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a] - x[b]);
  const r = new Float64Array(x.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && x[idx[j + 1]] === x[idx[i]]) j++;
    for (let k = i; k <= j; k++) r[idx[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** A rank correlation with its two-sided permutation p value and the number of pairs used. */
export interface RankCorrelation {
  rho: number;
  p: number;
  n: number;
}

/**
 * Spearman's ρ of the pairs where both values are finite, with a two-sided permutation p value
 * (`permutations` shuffles of one variable; seeded).
 */
export function spearmanTest(x: ArrayLike<number>, y: ArrayLike<number>, rng: Rng, permutations = 5000): RankCorrelation {
  if (x.length !== y.length) throw new ShapeError(`spearmanTest: ${x.length} x values but ${y.length} y values`);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++)
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      xs.push(x[i]);
      ys.push(y[i]);
    }
  const n = xs.length;
  if (n < 3) return { rho: Number.NaN, p: Number.NaN, n };
  const rx = ranks(xs);
  const ry = ranks(ys);
  const rho = pearson(rx, ry);
  const perm = Float64Array.from(ry);
  const res = permutationTest(
    Math.abs(rho),
    (r) => {
      r.shuffle(perm);
      return Math.abs(pearson(rx, perm));
    },
    rng,
    { n: permutations, tail: 'greater' },
  );
  return { rho, p: res.p, n };
}
