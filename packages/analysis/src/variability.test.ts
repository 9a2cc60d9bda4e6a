import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { crossTemporalDecoding, crossTemporalDiscriminability } from './decoding';
import { binSpikeTimes, rebinCounts } from './spike-counts';
import { fanoFactor, meanMatchedFano } from './variability';

describe('Fano factor', () => {
  it('is 1 for Poisson counts and ~var/mean for over-dispersed counts (5 SE)', () => {
    const rng = new Rng(1);
    const trials = 2000;
    const data = new Float32Array(trials * 2 * 1);
    for (let r = 0; r < trials; r++) {
      data[r * 2] = rng.poisson1(5);
      data[r * 2 + 1] = rng.poisson1(rng.random() < 0.5 ? 2 : 8); // mixture: var = 5 + 9 = 14
    }
    const F = fanoFactor({ data, shape: [trials, 2, 1] }).data;
    // SE of the Fano factor of Poisson counts ≈ sqrt(2/(n−1))
    expect(Math.abs(F[0] - 1)).toBeLessThan(5 * Math.sqrt(2 / trials));
    expect(F[1]).toBeGreaterThan(2);
    expect(() => fanoFactor({ data: new Float32Array(2), shape: [1, 2, 1] })).toThrow(/at least 2 trials/);
  });

  it('mean matching: equal Fano for Poisson groups with different rates', () => {
    const rng = new Rng(2);
    const group = (rate: number) => Array.from({ length: 60 }, (_, u) => rng.poisson(200, rate * (0.5 + u / 60)));
    const [a, b] = meanMatchedFano([group(4), group(5)], rng.fork('mm'));
    expect(a).toBeCloseTo(1, 1);
    expect(b).toBeCloseTo(1, 1);
  });
});

describe('spike counts', () => {
  it('bins spike times per trial and unit, and rebins', () => {
    const c = binSpikeTimes([[[1, 49.9, 50, 120], []]], { binMs: 50, startMs: 0, endMs: 150 });
    expect(c.shape).toEqual([1, 2, 3]);
    expect(Array.from(c.data)).toEqual([2, 1, 1, 0, 0, 0]);
    expect(Array.from(rebinCounts(c, 3).data)).toEqual([4, 0]);
  });
});

describe('cross-temporal analyses', () => {
  // 40 units, 30 time points: units carry the class in a stable pattern from t = 10 to 19, a
  // different pattern from t = 20 on, nothing before (plus noise).
  const rng = new Rng(4);
  const trials = 60;
  const U = 40;
  const T = 30;
  const p1 = rng.normal(U);
  const p2 = rng.normal(U);
  const labels = Array.from({ length: trials }, (_, r) => r % 2);
  const data = new Float32Array(trials * U * T);
  for (let r = 0; r < trials; r++)
    for (let u = 0; u < U; u++)
      for (let t = 0; t < T; t++) {
        const s = labels[r] ? 1 : -1;
        const signal = t >= 20 ? s * p2[u] : t >= 10 ? s * p1[u] : 0;
        data[(r * U + u) * T + t] = signal + rng.normal1() * 0.5;
      }
  const rates = { data, shape: [trials, U, T] };

  it('discriminability is high within a coding epoch and near zero across epochs', () => {
    const D = crossTemporalDiscriminability(rates, labels).data;
    expect(D[12 * T + 17]).toBeGreaterThan(0.8); // same pattern
    expect(Math.abs(D[12 * T + 25])).toBeLessThan(0.5); // different patterns
    expect(Math.abs(D[3 * T + 5])).toBeLessThan(0.6); // no signal: noise only
  });

  it('decoding generalises within an epoch and not before the cue', () => {
    const A = crossTemporalDecoding(rates, labels).data;
    expect(A[12 * T + 17]).toBeGreaterThan(0.95);
    expect(A[25 * T + 28]).toBeGreaterThan(0.95);
    expect(A[3 * T + 5]).toBeLessThan(0.8);
    expect(() =>
      crossTemporalDecoding(
        rates,
        labels.map(() => 0),
      ),
    ).toThrow(/exactly 2 classes/);
  });
});
