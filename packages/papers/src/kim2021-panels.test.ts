import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { kimUnbiasedSummary, unbiasedWindowMs } from './kim2021-panels';

/** Doubly stochastic Poisson counts [trials, units, 21 bins of 50 ms]: rate 20·[1 + 0.5·η]₊ Hz, η an OU process of time constant τ (stationary start). */
function ouCounts(tauMs: number[], trials: number, rng: Rng): Float32Array {
  const bins = 21;
  const units = tauMs.length;
  const out = new Float32Array(trials * units * bins);
  for (let r = 0; r < trials; r++)
    for (let u = 0; u < units; u++) {
      const decay = Math.exp(-1 / tauMs[u]);
      const kick = Math.sqrt(1 - decay * decay);
      let eta = rng.normal1();
      for (let b = 0; b < bins; b++) {
        let lambda = 0;
        for (let s = 0; s < 50; s++) {
          eta = eta * decay + kick * rng.normal1();
          lambda += Math.max(0, 20 * (1 + 0.5 * eta)) / 1000;
        }
        out[(r * units + u) * bins + b] = rng.poisson1(lambda);
      }
    }
  return out;
}

describe('Kim 2021 panels: the unbiased τ with units beyond the window flagged', () => {
  it('planted: 100-ms units are estimated within the window, 20-s units (near-flat autocorrelation) are flagged beyond it', () => {
    const taus = [...Array(20).fill(100), ...Array(20).fill(20000)];
    const counts = { data: ouCounts(taus, 50, new Rng(4)), shape: [50, taus.length, 21] };
    expect(unbiasedWindowMs(counts, { binMs: 50, dropFirstBin: true })).toBe(1000);
    const s = kimUnbiasedSummary(counts);
    expect(s.windowMs).toBe(1000);
    const flaggedFast = Array.from(s.beyondWindowUnits.slice(0, 20)).filter((v) => v === 1).length;
    const flaggedSlow = Array.from(s.beyondWindowUnits.slice(20)).filter((v) => v === 1).length;
    const slowIncluded = Array.from(s.beyondWindowUnits.slice(20)).filter((v) => !Number.isNaN(v)).length;
    // a 100-ms unit's 95% interval lies far below 1 s; a 20-s unit's autocorrelation barely decays in 1 s
    expect(flaggedFast).toBeLessThanOrEqual(1);
    expect(flaggedSlow).toBeGreaterThanOrEqual(Math.ceil(0.8 * slowIncluded));
    expect(slowIncluded).toBeGreaterThanOrEqual(10);
    expect(s.beyondWindow).toBe(flaggedFast + flaggedSlow);
    // the rest's median is set by the fast units: far below the window (their τ: 100 ms)
    expect(s.medianWithinWindowMs).toBeGreaterThan(50);
    expect(s.medianWithinWindowMs).toBeLessThan(200);
  });
});
