import { describe, expect, it } from 'vitest';
import {
  erf,
  hickFit,
  idealAccuracy,
  logFit,
  normalCdf,
  ouTimeAverageVariance,
  parallelBenchmarkTime,
  serialBenchmarkTime,
} from './decision';
import { codeDecorrelation, componentsRepresented, trevesRollsSparseness, unitMeans } from './sparseness';

describe('decision benchmarks (Kriener et al. 2020)', () => {
  it('erf and Φ: known values', () => {
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 14);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 14);
    expect(erf(3)).toBeCloseTo(0.9999779095030014, 14);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 14);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 12);
  });

  it('OU time-average variance: white-noise limit 2σ²τ_η/t and σ² for short windows', () => {
    expect(ouTimeAverageVariance(0.2, 0.05, 1000) / ((2 * 0.04 * 0.05) / 1000)).toBeCloseTo(1, 4);
    expect(ouTimeAverageVariance(0.2, 0.05, 1e-6)).toBeCloseTo(0.04, 6);
  });

  it('ideal accuracy: closed form for N = 2, chance under overwhelming noise, monotone in t and N', () => {
    const noise = { delta: 0.05, sigma: 0.22, tauEta: 0.05 };
    const s = Math.sqrt(ouTimeAverageVariance(0.22, 0.05, 10));
    expect(idealAccuracy(2, 10, noise)).toBeCloseTo(normalCdf(0.05 / (s * Math.SQRT2)), 8);
    expect(idealAccuracy(10, 10, { ...noise, sigma: 1e4 })).toBeCloseTo(0.1, 3); // overwhelming noise: chance
    expect(idealAccuracy(10, 20, noise)).toBeGreaterThan(idealAccuracy(10, 10, noise));
    expect(idealAccuracy(100, 10, noise)).toBeLessThan(idealAccuracy(10, 10, noise));
  });

  it('parallel benchmark inverts the accuracy, grows as log N; serial = N × parallel', () => {
    const noise = { delta: 0.05, sigma: 0.22, tauEta: 0.05 };
    const Ns = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
    const t = Ns.map((N) => parallelBenchmarkTime(N, 0.9, noise));
    for (const [i, N] of Ns.entries()) expect(idealAccuracy(N, t[i], noise)).toBeCloseTo(0.9, 6);
    const fit = logFit(Ns, t);
    expect(fit.slope).toBeGreaterThan(0);
    expect(fit.r2).toBeGreaterThan(0.97);
    expect(serialBenchmarkTime(64, 0.9, noise)).toBeCloseTo(64 * t[5], 6);
    expect(parallelBenchmarkTime(10, 0.05, noise)).toBe(0); // chance already
  });

  it('hickFit recovers a planted T = a + b·log₂(N + 1) over N ≤ maxN and ignores larger N', () => {
    const N = [2, 4, 8, 16, 32, 1024];
    const T = N.map((n) => (n <= 32 ? 1.5 + 0.75 * Math.log2(n + 1) : 1e6));
    const f = hickFit(N, T, 32);
    expect(f.n).toBe(5);
    expect(f.maxN).toBe(32);
    expect(f.intercept).toBeCloseTo(1.5, 10);
    expect(f.slope).toBeCloseTo(0.75, 10);
    expect(f.r2).toBeCloseTo(1, 12);
    // noise lowers r² below 1
    const noisy = hickFit(
      N.slice(0, 5),
      T.slice(0, 5).map((t, i) => t + (i % 2 ? 0.3 : -0.3)),
    );
    expect(noisy.r2).toBeLessThan(1);
    expect(noisy.r2).toBeGreaterThan(0.5);
  });

  it('logFit recovers a + b ln x exactly', () => {
    const x = [1, 2, 5, 10];
    const f = logFit(
      x,
      x.map((v) => 3 + 2 * Math.log(v)),
    );
    expect(f.intercept).toBeCloseTo(3, 12);
    expect(f.slope).toBeCloseTo(2, 12);
    expect(f.r2).toBeCloseTo(1, 12);
  });
});

describe('sparse-code measures', () => {
  it('Treves–Rolls sparseness: 1/n for one-hot, 1 for uniform', () => {
    expect(trevesRollsSparseness([1, 0, 0, 0, 0, 1, 0, 0], 2, 4)).toBeCloseTo(0.25, 12);
    expect(trevesRollsSparseness([1, 1, 1, 1], 1, 4)).toBe(1);
    expect(() => trevesRollsSparseness([1, 2, 3], 2, 2)).toThrow(/3 values do not fill shape \[2, 2\]/);
  });

  it('decorrelation: independent units ≈ 0, identical units = 1', () => {
    const same = [1, 1, 0, 0, 1, 1, 0, 0];
    expect(codeDecorrelation(same, 4, 2).meanAbsCorrelation).toBeCloseTo(1, 12);
    // the four combinations of two binary units, equally often: exactly uncorrelated
    expect(codeDecorrelation([0, 0, 0, 1, 1, 0, 1, 1], 4, 2).meanAbsCorrelation).toBe(0);
    expect(Array.from(unitMeans([0, 0, 0, 1, 1, 0, 1, 1], 4, 2))).toEqual([0.5, 0.5]);
  });

  it('components represented: one unit per component, and no unit shared', () => {
    // 3 components × 3 units: c0→u2, c1→u0, c2→{u1, u2} (shared, so neither c2 nor c0 counts)
    const r = componentsRepresented([0, 0, 1, 1, 0, 0, 0, 1, 1], 3, 3);
    expect(r.represented).toBe(1);
    expect(Array.from(r.unitFor)).toEqual([-1, 0, -1]);
    expect(componentsRepresented([0, 1, 1, 0], 2, 2).represented).toBe(2);
  });
});
