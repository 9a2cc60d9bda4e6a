import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { correlationTest, lillieforsStatistic, lillieforsTest, tTestOneSample, wilcoxonSignedRank } from './hypothesis-tests';

// Hollander & Wolfe (1999) depression scores before (x) and after (y) treatment; reference values
// from scipy.stats 1.10 (wilcoxon, ttest_1samp, pearsonr) and the Lilliefors D by its definition.
const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
const d = x.map((v, i) => v - y[i]);

describe('classical tests (known answers)', () => {
  it('Wilcoxon signed rank: exact p of the paired differences', () => {
    expect(wilcoxonSignedRank(d).p).toBeCloseTo(0.0390625, 8);
    const g = wilcoxonSignedRank(d, 'greater');
    expect(g.p).toBeCloseTo(0.01953125, 8);
    expect(g.statistic).toBe(40);
    expect(Number.isNaN(wilcoxonSignedRank([0, 0, Number.NaN]).p)).toBe(true);
  });

  it('one-sample t test', () => {
    const t = tTestOneSample(d);
    expect(t.statistic).toBeCloseTo(3.0353754156485917, 10);
    expect(t.p).toBeCloseTo(0.016176627434908095, 8);
    expect(tTestOneSample(d, 'greater').p).toBeCloseTo(0.008088313717454047, 8);
    expect(Number.isNaN(tTestOneSample([1]).p)).toBe(true);
  });

  it('Pearson correlation test', () => {
    const c = correlationTest(x, y);
    expect(c.statistic).toBeCloseTo(0.8478765191153645, 10);
    expect(c.p).toBeCloseTo(0.0038831303761204844, 8);
    expect(() => correlationTest([1, 2], [1])).toThrow(/2 x values but 1 y values/);
  });

  it('Lilliefors: D by definition; simulated critical value matches Lilliefors (1967); p small for a skewed sample', () => {
    expect(lillieforsStatistic(d)).toBeCloseTo(0.17184629219744857, 10);
    // Lilliefors' table: the 95th percentile of D for n = 20 is 0.190 (0.192 in later, larger simulations)
    const rng = new Rng(3);
    const ds = Array.from({ length: 4000 }, (_, i) => lillieforsStatistic(rng.fork(`s${i}`).normal([20]))).sort((a, b) => a - b);
    expect(ds[Math.floor(0.95 * ds.length)]).toBeGreaterThan(0.18);
    expect(ds[Math.floor(0.95 * ds.length)]).toBeLessThan(0.2);
    const r = new Rng(4);
    const expo = Array.from({ length: 100 }, () => -Math.log(1 - r.random()));
    expect(lillieforsTest(expo, new Rng(5), 500).p).toBeLessThan(0.01);
    const normal = Array.from(new Rng(6).normal([100]));
    expect(lillieforsTest(normal, new Rng(7), 500).p).toBeGreaterThan(0.05);
  });
});
