import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { levenbergMarquardt } from './levenberg-marquardt';
import { ouPoissonCounts } from './test-fixtures';
import { autocorrelationPeak, fitExponentialDecay, neuronalTimescales, spikeCountAutocorrelation, timescaleHistogram } from './timescales';

describe('Levenberg–Marquardt', () => {
  it('recovers the parameters of a noiseless A(exp(bx) + B)', () => {
    const xs = Array.from({ length: 14 }, (_, i) => i + 1);
    const ys = xs.map((x) => 0.4 * (Math.exp(-0.5 * x) + 0.1));
    const r = levenbergMarquardt((x, p) => p[0] * (Math.exp(p[1] * x) + p[2]), xs, ys, [1, -0.1, 0]);
    expect(r.params[0]).toBeCloseTo(0.4, 6);
    expect(r.params[1]).toBeCloseTo(-0.5, 6);
    expect(r.params[2]).toBeCloseTo(0.1, 6);
    expect(r.sse).toBeLessThan(1e-20);
  });
  it('needs at least as many points as parameters', () => {
    expect(() => levenbergMarquardt((x, p) => p[0] * x, [1], [1, 2], [0])).toThrow(/1 x values but 2 y values/);
  });
});

describe('spike-count autocorrelation and the exponential fit', () => {
  it('peak detection and fit from the peak (Kim/Murray rule)', () => {
    const R = [0.1, 0.3, 0.25, ...Array.from({ length: 11 }, (_, i) => 0.3 * Math.exp(-(i + 2) / 3))];
    expect(autocorrelationPeak(R)).toBe(1);
    const clean = Array.from({ length: 14 }, (_, k) => 0.3 * (Math.exp(-((k + 1) * 50) / 150) + 0.05));
    const fit = fitExponentialDecay(clean, 50);
    expect(fit?.tauMs).toBeCloseTo(150, 3);
    expect(fit?.peakLag).toBe(1);
  });

  it('independent Poisson counts have no autocorrelation (5 SE)', () => {
    const rng = new Rng(1);
    const trials = 400;
    const counts = rng.poisson(trials * 20, 3);
    const R = spikeCountAutocorrelation(counts, trials, 20, 5);
    for (const r of R) expect(Math.abs(r)).toBeLessThan(5 / Math.sqrt(trials * 15));
  });

  it('Kim 2021 histogram bins: 10^0.7 … 10^2.7 ms', () => {
    const h = timescaleHistogram([5, 6, 100, 499, 1000]);
    expect(h.edges[0]).toBeCloseTo(5.0119, 3);
    expect(h.edges[20]).toBeCloseTo(501.19, 1);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(3); // 5 and 1000 fall outside
  });
});

describe('neuronal timescales recover a known τ (OU-modulated Poisson, 50 trials × 20 bins)', () => {
  // Units fire at 50 Hz with rate r0·[1 + 0.45η]₊, so R(1) ≈ 0.2–0.3 as in PFC (Murray et al. 2014).
  // Per-unit estimates from 20 bins scatter widely; population estimates average 240 units.
  // Sampling SE of the population τ, measured over replicate data sets: ≈ 5% at 120 units,
  // so ≈ 3.5% here; 10% is about 3 SE.
  for (const tau of [50, 100, 200]) {
    it(`τ = ${tau} ms: the all-unit population fit is within 10%`, () => {
      const units = 240;
      const counts = ouPoissonCounts(tau, units, 50, 21, new Rng(tau));
      const res = neuronalTimescales({ data: counts, shape: [50, units, 21] });
      expect(Math.abs((res.populationAllUnits?.tauMs ?? 0) / tau - 1)).toBeLessThan(0.1);
      // Kim/Murray selection (τ ≤ 500 ms, A ≥ 0, peak ≤ lag 3): most units pass
      expect(res.units.filter((u) => u.status === 'ok').length).toBeGreaterThan(0.8 * units);
      const ratio = (res.population?.tauMs ?? 0) / tau;
      if (tau < 200) {
        expect(Math.abs(ratio - 1)).toBeLessThan(0.1);
      } else {
        // documented bias of the selected, peak-aligned estimate at long τ: 5–20% low
        expect(ratio).toBeGreaterThan(0.75);
        expect(ratio).toBeLessThan(1.0);
      }
    });
  }

  it('excludes silent units and reports why', () => {
    const counts = new Float32Array(50 * 2 * 21);
    const rng = new Rng(3);
    for (let r = 0; r < 50; r++) for (let b = 0; b < 21; b++) counts[(r * 2 + 1) * 21 + b] = rng.poisson1(0.5); // 10 Hz, unit 1
    const res = neuronalTimescales({ data: counts, shape: [50, 2, 21] });
    expect(res.units[0].status).toBe('low-rate');
    expect(res.units[0].rateHz).toBe(0);
    expect(() => neuronalTimescales({ data: new Float32Array(10), shape: [10, 1] })).toThrow(/expected shape \[trials, units, bins\]/);
  });
});
