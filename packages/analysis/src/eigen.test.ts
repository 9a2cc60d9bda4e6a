import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { eigenvalues, spectralRadius } from './eigen';

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
});
