import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { crossTemporalByTimescale, timescaleHalves } from './cross-temporal-timescales';

describe('cross-temporal decoding by timescale', () => {
  it('median split with equal counts; NaN τ left out', () => {
    const h = timescaleHalves([50, Number.NaN, 10, 300, 120, 80]);
    expect(h.short).toEqual([2, 0]);
    expect(h.long).toEqual([4, 3]);
  });

  it('planted: long-τ units hold the cue through the delay, short-τ units only during the cue', () => {
    // 80 trials, 20 units, 30 bins: cue at bins [3, 8), delay [8, 23). Units 0–9 (τ 200–290 ms)
    // carry ±1 for the cue from its onset to the end of the delay; units 10–19 (τ 20–29 ms) only
    // during the cue. Gaussian noise SD 1 on every bin.
    const rng = new Rng(11);
    const B = 80;
    const U = 20;
    const T = 30;
    const labels = Float32Array.from({ length: B }, (_, i) => i % 2);
    const data = new Float32Array(B * U * T);
    for (let r = 0; r < B; r++)
      for (let u = 0; u < U; u++)
        for (let t = 0; t < T; t++) {
          const sign = labels[r] ? 1 : -1;
          const on = u < 10 ? t >= 3 && t < 23 : t >= 3 && t < 8;
          data[(r * U + u) * T + t] = (on ? sign : 0) + rng.normal1();
        }
    const tau = Float32Array.from({ length: U }, (_, u) => (u < 10 ? 200 + 10 * u : 20 + (u - 10)));
    const res = crossTemporalByTimescale({ data, shape: [B, U, T] }, labels, tau, { from: 8, to: 23 });
    expect(res.long.units.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // 10 units × signal 1 / noise 1: the centroid decoder is nearly perfect (d' ≈ 6)
    expect(res.long.delayAccuracy).toBeGreaterThan(0.95);
    // no information in the delay: chance 0.5, SE of a mean of 15 bins × 40 test trials ≈ 0.02
    expect(Math.abs(res.short.delayAccuracy - 0.5)).toBeLessThan(0.1);
    // both decode during the cue; the short group's cue code does not generalise into the delay
    expect(res.short.matrix.data[5 * T + 5]).toBeGreaterThan(0.95);
    expect(res.long.matrix.data[5 * T + 15]).toBeGreaterThan(0.95);
  });

  it('names mismatched sizes and bad delay windows', () => {
    const rates = { data: new Float32Array(4 * 3 * 5), shape: [4, 3, 5] };
    expect(() => crossTemporalByTimescale(rates, [0, 1, 0, 1], [1, 2], { from: 0, to: 2 })).toThrow(
      /3 units in the activity but 2 timescales/,
    );
    expect(() => crossTemporalByTimescale(rates, [0, 1, 0, 1], [1, 2, 3], { from: 3, to: 9 })).toThrow(/within the 5 time bins/);
  });
});
