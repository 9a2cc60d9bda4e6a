import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { ranks, spearmanTest, windowFano } from './fano-timescales';
import { ouPoissonCounts } from './test-fixtures';

describe('window Fano factor and rank correlation', () => {
  it('ranks share ties; ρ = 1 for any monotone relation, −1 for a reversed one', () => {
    expect(Array.from(ranks([10, 30, 20, 20]))).toEqual([1, 4, 2.5, 2.5]);
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    const r = spearmanTest(
      x,
      x.map((v) => Math.exp(v)),
      new Rng(1),
      2000,
    );
    expect(r.rho).toBeCloseTo(1, 12);
    expect(r.p).toBeLessThan(0.001); // 8! orderings: only 2 of 40,320 are as extreme
    expect(
      spearmanTest(
        x,
        x.map((v) => -v * v),
        new Rng(1),
        200,
      ).rho,
    ).toBeCloseTo(-1, 12);
    expect(spearmanTest([1, Number.NaN, 3, 4], [1, 2, 3, 4], new Rng(1), 10).n).toBe(3);
  });

  it('Poisson counts have F = 1 (within 4 SE)', () => {
    const rng = new Rng(3);
    const trials = 400;
    const units = 5;
    const data = new Float32Array(trials * units * 21);
    for (let i = 0; i < data.length; i++) data[i] = rng.poisson1(1.5);
    const F = windowFano({ data, shape: [trials, units, 21] });
    // SE of a Poisson sample Fano factor ≈ sqrt(2 / (trials − 1))
    for (const f of F) expect(Math.abs(f - 1)).toBeLessThan(4 * Math.sqrt(2 / (trials - 1)));
  });

  it('planted: OU-modulated units with longer τ have larger fixation Fano factors; shuffled τ shows no correlation', () => {
    const taus = [20, 40, 60, 80, 120, 160, 200, 300, 400, 500];
    const perTau = 4;
    const trials = 50;
    const F: number[] = [];
    const tau: number[] = [];
    for (const t of taus) {
      const c = ouPoissonCounts(t, perTau, trials, 21, new Rng(t), 20, 0.45);
      const f = windowFano({ data: c, shape: [trials, perTau, 21] });
      for (const v of f) {
        F.push(v);
        tau.push(t);
      }
    }
    const r = spearmanTest(F, tau, new Rng(9));
    expect(r.n).toBe(taus.length * perTau);
    expect(r.rho).toBeGreaterThan(0.6);
    expect(r.p).toBeLessThan(0.001);
    const shuffled = new Rng(4).shuffle(tau.slice());
    const null_ = spearmanTest(F, shuffled, new Rng(9));
    // |ρ| of 40 unrelated pairs: SD ≈ 1/√39 ≈ 0.16
    expect(Math.abs(null_.rho)).toBeLessThan(4 / Math.sqrt(39));
  });
});
