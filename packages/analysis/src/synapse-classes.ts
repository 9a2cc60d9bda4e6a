/**
 * Connection statistics by synapse class of an E/I network (Kim & Sejnowski 2021 Fig. 4; the
 * authors' `fnc_get_models.m` pools the nonzero entries of W = w·m·som_m per class and compares
 * their means across tasks). Rows are postsynaptic, columns presynaptic; the presynaptic sign
 * (+1 E, −1 I) names the class: E→E, E→I, I→E, I→I (pre→post).
 *
 * @example
 * ```ts
 * const s = synapseClassStats(W, sign);      // W [N × N] effective weights, sign [N]
 * s.ii.mean;                                  // mean (negative) I→I weight over present connections
 * ```
 */
import type { Rng } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';
import { permutationTest } from './stats';

/** Statistics of one synapse class over its nonzero connections. */
export interface SynapseClassStat {
  /** Present (nonzero) connections. */
  count: number;
  /** Possible connections (post × pre pairs of the class, self-connections included). */
  possible: number;
  /** Mean, median and SD of the nonzero signed weights (NaN when there are none). */
  mean: number;
  median: number;
  sd: number;
  /** Mean of the absolute nonzero weights. */
  meanAbs: number;
}

/** The four classes, keyed pre→post: ee = E→E, ei = E→I, ie = I→E, ii = I→I. */
export type SynapseClassStats = Record<'ee' | 'ei' | 'ie' | 'ii', SynapseClassStat>;

/** Statistics of each synapse class of the effective matrix `W` [post × pre] with presynaptic signs `sign`. */
export function synapseClassStats(W: ArrayLike<number>, sign: ArrayLike<number>): SynapseClassStats {
  const N = sign.length;
  if (W.length !== N * N) throw new ShapeError(`synapseClassStats: ${W.length} weights for ${N} units (need ${N} × ${N})`);
  const vals: Record<keyof SynapseClassStats, number[]> = { ee: [], ei: [], ie: [], ii: [] };
  const possible = { ee: 0, ei: 0, ie: 0, ii: 0 };
  for (let post = 0; post < N; post++)
    for (let pre = 0; pre < N; pre++) {
      const k = `${sign[pre] < 0 ? 'i' : 'e'}${sign[post] < 0 ? 'i' : 'e'}` as keyof SynapseClassStats;
      possible[k]++;
      const v = W[post * N + pre];
      if (v !== 0 && Number.isFinite(v)) vals[k].push(v);
    }
  const stat = (xs: number[], n: number): SynapseClassStat => {
    if (!xs.length) return { count: 0, possible: n, mean: Number.NaN, median: Number.NaN, sd: Number.NaN, meanAbs: Number.NaN };
    const s = xs.slice().sort((a, b) => a - b);
    const mean = xs.reduce((a, v) => a + v, 0) / xs.length;
    const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / (xs.length - 1)) : Number.NaN;
    const mid = s.length >> 1;
    return {
      count: xs.length,
      possible: n,
      mean,
      median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2,
      sd,
      meanAbs: xs.reduce((a, v) => a + Math.abs(v), 0) / xs.length,
    };
  };
  return { ee: stat(vals.ee, possible.ee), ei: stat(vals.ei, possible.ei), ie: stat(vals.ie, possible.ie), ii: stat(vals.ii, possible.ii) };
}

/** A difference of group means with its two-sided permutation p value. */
export interface MeanDifference {
  /** mean(a) − mean(b). */
  difference: number;
  p: number;
  nA: number;
  nB: number;
}

/**
 * Two-sample permutation test of mean(a) − mean(b) (group labels shuffled, two-sided). With few
 * values (e.g. 3 networks per task) the smallest attainable p is 1 / C(nA + nB, nA).
 */
export function meanDifferenceTest(a: ArrayLike<number>, b: ArrayLike<number>, rng: Rng, permutations = 5000): MeanDifference {
  const xa = Array.from(a).filter(Number.isFinite);
  const xb = Array.from(b).filter(Number.isFinite);
  const m = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  if (!xa.length || !xb.length) return { difference: Number.NaN, p: Number.NaN, nA: xa.length, nB: xb.length };
  const observed = m(xa) - m(xb);
  const all = [...xa, ...xb];
  const res = permutationTest(
    Math.abs(observed),
    (r) => {
      r.shuffle(all);
      return Math.abs(m(all.slice(0, xa.length)) - m(all.slice(xa.length)));
    },
    rng,
    { n: permutations, tail: 'greater' },
  );
  return { difference: observed, p: res.p, nA: xa.length, nB: xb.length };
}
