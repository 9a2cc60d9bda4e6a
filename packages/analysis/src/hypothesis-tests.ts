/**
 * Classical tests on plain arrays, as used by Wimmer et al. 2014 (Fig. 1e–g, Fig. 7):
 *
 *   one-sample t test        t = mean / (sd / √n), Student's t with n − 1 df   (@stdlib/stats-ttest)
 *   Wilcoxon signed rank     W⁺ = Σ ranks of the positive values (exact for n < 50, else normal
 *                            approximation with continuity correction)         (@stdlib/stats-wilcoxon)
 *   Pearson correlation      r and its t-test p value, n − 2 df                 (@stdlib/stats-pcorrtest)
 *   Lilliefors               D = sup |F_n(z) − Φ(z)| of the standardised sample (mean and sd estimated);
 *                            p by simulation (no closed form exists; Lilliefors 1967 tabulated it by
 *                            simulation too): the fraction of normal samples of the same size whose D is
 *                            at least as large, with the +1 correction.
 *
 * Non-finite values are dropped first. Each function returns NaN statistics (never throws) when
 * too few values remain, with `n` saying how many there were.
 *
 * @example
 * ```ts
 * wilcoxonSignedRank([6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]).p;  // 0.041
 * lillieforsTest(values, rng).p;
 * ```
 */
import type { Rng } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';
import { normalCdf } from './decision';
import { pcorrtest, ttest, wilcoxon } from './stdlib';

/** Alternative hypothesis of a test. */
export type Alternative = 'two-sided' | 'greater' | 'less';

/** A test's statistic, its p value and the number of values it used. */
export interface TestResult {
  statistic: number;
  p: number;
  n: number;
}

const finite = (xs: ArrayLike<number>) => Array.from(xs).filter(Number.isFinite);
const none = (n: number): TestResult => ({ statistic: Number.NaN, p: Number.NaN, n });

/** One-sample t test of mean(xs) = mu (statistic: t). Needs ≥ 2 values with some spread. */
export function tTestOneSample(xs: ArrayLike<number>, alternative: Alternative = 'two-sided', mu = 0): TestResult {
  const f = finite(xs);
  if (f.length < 2 || f.every((x) => x === f[0])) return none(f.length);
  const r = ttest(f, { alternative, mu });
  return { statistic: r.statistic, p: r.pValue, n: f.length };
}

/**
 * Wilcoxon signed-rank test of the values (or paired differences) against 0 (statistic: W⁺, the
 * rank sum of the positive values). Zero values are dropped ('wilcox'); needs ≥ 1 non-zero value.
 */
export function wilcoxonSignedRank(xs: ArrayLike<number>, alternative: Alternative = 'two-sided'): TestResult {
  const f = finite(xs);
  if (!f.some((x) => x !== 0)) return none(f.length);
  const r = wilcoxon(f, { alternative });
  return { statistic: r.statistic, p: r.pValue, n: f.length };
}

/** Pearson correlation of paired finite values and its t-test p value (statistic: r). Needs ≥ 4 pairs with spread. */
export function correlationTest(x: ArrayLike<number>, y: ArrayLike<number>, alternative: Alternative = 'two-sided'): TestResult {
  if (x.length !== y.length) throw new ShapeError(`correlationTest: ${x.length} x values but ${y.length} y values`);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      xs.push(x[i]);
      ys.push(y[i]);
    }
  }
  if (xs.length < 4 || xs.every((v) => v === xs[0]) || ys.every((v) => v === ys[0])) return none(xs.length);
  const r = pcorrtest(xs, ys, { alternative });
  return { statistic: r.pcorr, p: r.pValue, n: xs.length };
}

/** Lilliefors statistic D: largest distance between the empirical CDF of the standardised sample and Φ. */
export function lillieforsStatistic(xs: ArrayLike<number>): number {
  const f = finite(xs).sort((a, b) => a - b);
  const n = f.length;
  if (n < 4) return Number.NaN;
  const m = f.reduce((a, x) => a + x, 0) / n;
  const sd = Math.sqrt(f.reduce((a, x) => a + (x - m) ** 2, 0) / (n - 1));
  if (!(sd > 0)) return Number.NaN;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const F = normalCdf((f[i] - m) / sd);
    d = Math.max(d, (i + 1) / n - F, F - i / n);
  }
  return d;
}

/**
 * Lilliefors test of normality with unknown mean and variance (Lilliefors 1967): statistic D,
 * p by simulation — `n` samples of the same size from N(0, 1) (D does not depend on the mean
 * and variance), p = (1 + #{D_sim ≥ D}) / (1 + n). Needs ≥ 4 finite values.
 */
export function lillieforsTest(xs: ArrayLike<number>, rng: Rng, n = 2000): TestResult {
  const f = finite(xs);
  const d = lillieforsStatistic(f);
  if (!Number.isFinite(d)) return none(f.length);
  let extreme = 0;
  for (let i = 0; i < n; i++) {
    const sample = rng.fork(`lillie${i}`).normal([f.length]);
    if (lillieforsStatistic(sample) >= d) extreme++;
  }
  return { statistic: d, p: (1 + extreme) / (1 + n), n: f.length };
}
