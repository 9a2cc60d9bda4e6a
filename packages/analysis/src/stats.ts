/**
 * Resampling statistics with a seeded Rng: permutation tests and bootstrap standard errors.
 *
 * @example
 * ```ts
 * const { p } = permutationTest(observed, (rng) => statisticOfShuffledData(rng), rng, { n: 1000, tail: 'greater' });
 * const se = bootstrapStandardError(values, (xs) => mean(xs), rng);
 * ```
 */
import { type Rng, runSteps, type StepGenerator } from '@wmkit/tensor';

/** An observed statistic, its permutation p value and the null distribution it was compared with. */
export interface PermutationResult {
  observed: number;
  /** p value with the +1 correction: (1 + #{null ≥ observed}) / (1 + n); NaN when the observed
   *  statistic is not finite or no shuffle gave a finite one. */
  p: number;
  nullMean: number;
  nullSd: number;
  n: number;
}

/**
 * Generic permutation test: `shuffled(rng)` recomputes the statistic on data with the pairing
 * under test broken (e.g. rates shuffled against behaviour within each cue). `tail`: 'greater'
 * (one-sided, observed larger than chance), 'less', or 'two-sided' (|null − mean| ≥ |observed − mean|).
 */
export function permutationTest(
  observed: number,
  shuffled: (rng: Rng) => number,
  rng: Rng,
  opts: { n?: number; tail?: 'greater' | 'less' | 'two-sided' } = {},
): PermutationResult {
  return runSteps(permutationTestSteps(observed, shuffled, rng, opts));
}

/** `permutationTest` as a step generator (yields after every shuffle), for `runStepsYielding`; same results. */
export function* permutationTestSteps(
  observed: number,
  shuffled: (rng: Rng) => number,
  rng: Rng,
  opts: { n?: number; tail?: 'greater' | 'less' | 'two-sided' } = {},
): StepGenerator<PermutationResult> {
  const n = opts.n ?? 1000;
  const tail = opts.tail ?? 'greater';
  const nulls: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = shuffled(rng.fork(`perm${i}`));
    if (Number.isFinite(v)) nulls.push(v);
    yield;
  }
  const m = nulls.reduce((a, v) => a + v, 0) / Math.max(1, nulls.length);
  const sd = Math.sqrt(nulls.reduce((a, v) => a + (v - m) ** 2, 0) / Math.max(1, nulls.length - 1));
  let extreme = 0;
  for (const v of nulls) {
    if (tail === 'greater' ? v >= observed : tail === 'less' ? v <= observed : Math.abs(v - m) >= Math.abs(observed - m)) extreme++;
  }
  // a NaN statistic (or no finite null) has no p-value: NaN, never the 1 that (1 + 0)/(1 + 0) gives
  const p = Number.isFinite(observed) && nulls.length > 0 ? (1 + extreme) / (1 + nulls.length) : Number.NaN;
  return { observed, p, nullMean: nulls.length ? m : Number.NaN, nullSd: sd, n: nulls.length };
}

/** Bootstrap standard error of `stat` over resamples (with replacement) of `values`. */
export function bootstrapStandardError<T>(values: T[], stat: (xs: T[]) => number, rng: Rng, n = 1000): number {
  if (values.length < 2) return Number.NaN;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.fork(`boot${i}`);
    const sample = Array.from({ length: values.length }, () => values[r.int(values.length)]);
    const v = stat(sample);
    if (Number.isFinite(v)) out.push(v);
  }
  const m = out.reduce((a, v) => a + v, 0) / out.length;
  return Math.sqrt(out.reduce((a, v) => a + (v - m) ** 2, 0) / (out.length - 1));
}

/** Mean of the finite values of `xs` (NaN when there are none). */
export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < xs.length; i++) {
    if (Number.isFinite(xs[i])) {
      s += xs[i];
      n++;
    }
  }
  return n ? s / n : Number.NaN;
}

/** Pearson correlation of paired values (NaN when either has no variance). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = Math.min(x.length, y.length);
  if (n < 2) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

/**
 * Standard error of the mean of the finite values of `xs` (sample SD / √n; NaN for fewer than
 * two finite values).
 */
export function standardError(xs: ArrayLike<number>): number {
  const f = Array.from(xs).filter(Number.isFinite);
  if (f.length < 2) return Number.NaN;
  const m = mean(f);
  return Math.sqrt(f.reduce((a, x) => a + (x - m) ** 2, 0) / (f.length - 1) / f.length);
}

/**
 * One-sample sign-flip permutation test of mean(xs) > 0 (tail 'greater') or < 0 ('less'): each
 * resample flips the sign of every finite value with probability ½ (`permutationTest`, so the p
 * value has the +1 correction). NaN when `xs` has no finite value.
 */
export function signFlipTest(xs: ArrayLike<number>, rng: Rng, n: number, tail: 'greater' | 'less'): number {
  const f = Array.from(xs).filter(Number.isFinite);
  if (!f.length) return Number.NaN;
  return permutationTest(mean(f), (r) => mean(f.map((x) => (r.uint32() & 1 ? x : -x))), rng, { n, tail }).p;
}

/**
 * One-sided sign test: P(at least k of n paired differences positive | no effect), the binomial
 * tail Σ_{i ≥ k} C(n, i) / 2ⁿ.
 */
export function signTestP(k: number, n: number): number {
  let p = 0;
  let c = 1; // C(n, i)
  for (let i = 0; i <= n; i++) {
    if (i >= k) p += c;
    c = (c * (n - i)) / (i + 1);
  }
  return p / 2 ** n;
}

/** A paired comparison counted for the sign test. */
export interface PairedSignTest {
  /** Pairs with a positive difference. */
  up: number;
  /** Pairs with a finite difference. */
  n: number;
  /** Pairs with a zero difference (left out of the test). */
  ties: number;
  /** One-sided p of `up` positives among the `n − ties` non-zero differences (NaN when all tie). */
  p: number;
}

/**
 * One-sided sign test of paired differences `after − before` > 0: non-finite differences are
 * dropped, ties are counted but left out of the test.
 */
export function pairedSignTest(differences: ArrayLike<number>): PairedSignTest {
  const d = Array.from(differences).filter(Number.isFinite);
  const up = d.filter((x) => x > 0).length;
  const nonzero = d.filter((x) => x !== 0).length;
  return { up, n: d.length, ties: d.length - nonzero, p: nonzero ? signTestP(up, nonzero) : Number.NaN };
}
