import { Rng, UserError } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { EigenvalueConvergenceError, eigenvalues, spectralRadius } from './eigen';

const sorted = (e: { re: Float64Array; im: Float64Array }) =>
  Array.from(e.re, (r, i) => [r, e.im[i]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);

describe('eigenvalues of non-symmetric matrices', () => {
  it('known answers: diagonal, rotation, companion, defective', () => {
    expect(sorted(eigenvalues([3, 0, 0, 0, -1, 0, 0, 0, 2], 3)).map((v) => v[0])).toEqual([-1, 2, 3]);
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    const rot = sorted(eigenvalues([c, -s, s, c], 2));
    expect(rot[0][0]).toBeCloseTo(c, 12);
    expect(Math.abs(rot[0][1])).toBeCloseTo(s, 12);
    // companion of (x − 1)(x − 2)(x − 3)(x + 4) = x⁴ − 2x³ − 13x² + 38x − 24
    const comp = [2, 13, -38, 24, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0];
    const ev = sorted(eigenvalues(comp, 4)).map((v) => v[0]);
    [-4, 1, 2, 3].forEach((want, i) => {
      expect(ev[i]).toBeCloseTo(want, 8);
    });
    const jordan = sorted(eigenvalues([2, 1, 0, 2], 2));
    expect(jordan.map((v) => v[0])).toEqual([2, 2]);
  });

  it('random matrices: Σλ = trace and Πλ = det; conjugate pairs', () => {
    const rng = new Rng(3);
    for (const n of [5, 20, 60]) {
      const a = Float64Array.from(rng.normal(n * n));
      const e = eigenvalues(a, n);
      let tr = 0;
      for (let i = 0; i < n; i++) tr += a[i * n + i];
      expect(e.re.reduce((x, y) => x + y, 0)).toBeCloseTo(tr, 8);
      expect(e.im.reduce((x, y) => x + y, 0)).toBeCloseTo(0, 8);
      // log|det| via LU with partial pivoting vs Σ log|λ|
      const m = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, i * n + n)));
      let logdet = 0;
      for (let k = 0; k < n; k++) {
        let p = k;
        for (let i = k + 1; i < n; i++) if (Math.abs(m[i][k]) > Math.abs(m[p][k])) p = i;
        [m[k], m[p]] = [m[p], m[k]];
        logdet += Math.log(Math.abs(m[k][k]));
        for (let i = k + 1; i < n; i++) {
          const f = m[i][k] / m[k][k];
          for (let j = k; j < n; j++) m[i][j] -= f * m[k][j];
        }
      }
      const logProd = Array.from(e.re).reduce((acc, r, i) => acc + Math.log(Math.hypot(r, e.im[i])), 0);
      expect(logProd).toBeCloseTo(logdet, 6);
      expect(spectralRadius(e)).toBeGreaterThan(0);
    }
  });

  it('extreme magnitudes: the same eigenvalues at every scale (1e±300 used to stop the QR iteration)', () => {
    const a = Float64Array.from(new Rng(3).normal(25));
    const ref = sorted(eigenvalues(a, 5));
    for (const sc of [1e-300, 1e-200, 1e200, 1e300]) {
      const e = sorted(
        eigenvalues(
          a.map((v) => v * sc),
          5,
        ),
      );
      e.forEach(([re, im], i) => {
        expect(re / sc).toBeCloseTo(ref[i]?.[0] as number, 10);
        expect(im / sc).toBeCloseTo(ref[i]?.[1] as number, 10);
      });
    }
    // the scaling is by a power of two: bitwise the same eigenvalues for a matrix scaled by 2^k
    const twice = eigenvalues(
      a.map((v) => v * 1024),
      5,
    );
    expect(Array.from(twice.re, (v) => v / 1024)).toEqual(Array.from(eigenvalues(a, 5).re));
  });

  it('no convergence: a user error naming the matrix size and what to do', () => {
    const a = Float64Array.from(new Rng(4).normal(36));
    const err = (() => {
      try {
        eigenvalues(a, 6, { maxIterations: 1 });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(EigenvalueConvergenceError);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/did not converge on this 6 × 6 matrix .*unresolved after 1 iterations.*perturb it/);
    expect(() => eigenvalues(a, 6, { maxIterations: -1 })).toThrow(/maxIterations must be a whole number ≥ 0, got -1/);
  });
});
