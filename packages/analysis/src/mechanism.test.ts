import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import {
  classifyMechanism,
  criticalLearningRateFit,
  learningOutcome,
  noLearningCurve,
  noLearningOnset,
  noLearningOnsetFit,
  toyCriticalLearningRate,
} from './mechanism';
import { pca, symmetricEigen } from './pca';
import { fft, fft2, fftshift2 } from './spectral';

describe('FFT, PCA', () => {
  it('fft of any length equals the direct DFT', () => {
    const rng = new Rng(1);
    for (const n of [1, 2, 8, 7, 12, 100]) {
      const x = Array.from(rng.normal(n));
      const f = fft(x);
      for (let k = 0; k < n; k++) {
        let re = 0;
        let im = 0;
        for (let j = 0; j < n; j++) {
          re += x[j] * Math.cos((-2 * Math.PI * j * k) / n);
          im += x[j] * Math.sin((-2 * Math.PI * j * k) / n);
        }
        expect(f.re[k]).toBeCloseTo(re, 9);
        expect(f.im[k]).toBeCloseTo(im, 9);
      }
    }
    const f2 = fft2([1, 1, 1, 1, 1, 1], 2, 3);
    expect(f2.re[0]).toBeCloseTo(6, 12);
    expect(Array.from(fftshift2(Float64Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8), 3, 3))).toEqual([8, 6, 7, 2, 0, 1, 5, 3, 4]);
  });

  it('symmetric eigen and PCA recover a known axis', () => {
    const e = symmetricEigen([2, 1, 1, 2], 2);
    expect(Array.from(e.values)).toEqual([expect.closeTo(3, 10), expect.closeTo(1, 10)]);
    const rng = new Rng(2);
    const z = rng.normal(500);
    const noise = rng.normal(1500, 0, 0.01);
    const data = new Float64Array(1500);
    for (let r = 0; r < 500; r++) {
      data[3 * r] = 3 * z[r] + noise[3 * r];
      data[3 * r + 1] = -z[r] + noise[3 * r + 1];
      data[3 * r + 2] = noise[3 * r + 2];
    }
    const p = pca(data, 500, 3, 1);
    const axis = [3, -1, 0].map((v) => v / Math.sqrt(10));
    expect(Math.abs(p.components[0] * axis[0] + p.components[1] * axis[1])).toBeCloseTo(1, 4);
    expect(p.explained[0]).toBeGreaterThan(0.999);
  });
});

describe('mechanism classification (Kurtkaya et al.)', () => {
  it('learning outcome: learned, never learned, learned then lost', () => {
    const up = Array.from({ length: 100 }, (_, e) => Math.min(1, e / 30));
    expect(learningOutcome(up, up)).toBe('learned');
    const never = new Array(100).fill(0.5);
    expect(learningOutcome(never, never)).toBe('not-learned');
    const lost = Array.from({ length: 100 }, (_, e) => (e < 40 ? Math.min(1, e / 20) : 0.3));
    expect(learningOutcome(lost, lost)).toBe('unstable');
  });

  const embed = (xy: (t: number) => [number, number], T: number, N = 20) => {
    const rng = new Rng(4);
    const A = rng.normal(2 * N);
    const out = new Float64Array(T * N);
    for (let t = 0; t < T; t++) {
      const [a, b] = xy(t);
      for (let i = 0; i < N; i++) out[t * N + i] = Math.tanh(a * A[i] + b * A[N + i]);
    }
    return out;
  };

  it('an oscillation is a limit cycle, a decay to a point is a slow-point manifold', () => {
    const T = 200;
    const lc = classifyMechanism(
      embed((t) => [Math.cos((2 * Math.PI * t) / 25), Math.sin((2 * Math.PI * t) / 25)], T),
      T,
      20,
    );
    expect(lc.mechanism).toBe('limit-cycle');
    const sp = classifyMechanism(
      embed((t) => [1 + 2 * Math.exp(-t / 15), 0.5 * Math.exp(-t / 40)], T),
      T,
      20,
    );
    expect(sp.mechanism).toBe('slow-point');
    expect(sp.ratio).toBeGreaterThan(lc.ratio);
  });

  it('critical learning rate: onset fit and the log–log regression recover a planted exponent', () => {
    const delays = Array.from({ length: 21 }, (_, i) => i * 20);
    const frac = delays.map((T) => (T < 130 ? 0 : 1 - Math.exp(-0.05 * (T - 130))));
    expect(noLearningOnset(delays, frac)).toBeCloseTo(130, 0);
    const both = noLearningOnsetFit(delays, frac);
    expect(both.rate).toBeCloseTo(0.05, 3);
    expect(noLearningCurve(200, both.onset, both.rate)).toBeCloseTo(1 - Math.exp(-0.05 * 70), 3);
    expect(noLearningCurve(100, both.onset, both.rate)).toBe(0);
    expect(Number.isNaN(noLearningOnset(delays, new Array(21).fill(0)))).toBe(true);
    const Tc = [60, 80, 100, 150, 200, 300];
    const rng = new Rng(5);
    const lr = Tc.map((T) => 2e4 * T ** -2.7 * Math.exp(0.02 * rng.normal1()));
    const fit = criticalLearningRateFit(lr, Tc);
    expect(fit.beta).toBeCloseTo(2.7, 1);
    expect(fit.slopeSe).toBeGreaterThan(0);
    expect(fit.slopeSe).toBeLessThan(0.1);
    expect(toyCriticalLearningRate('slow-point', 2, 1) / toyCriticalLearningRate('slow-point', 4, 1)).toBeCloseTo(32, 10);
    expect(toyCriticalLearningRate('limit-cycle', 2, 1) / toyCriticalLearningRate('limit-cycle', 4, 1)).toBeCloseTo(8, 10);
  });
});
