import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { rank2Init, rank2LossGrad, rank2Mechanism, rank2Params, rank2Planted, rank2Sharpness, rank2WithParams } from './kurtkaya2025-rank2';

describe('Kurtkaya et al. 2025: trained rank-2 RNNs', () => {
  it('the hand-written gradient equals central differences of the loss', () => {
    const net = rank2Init(new Rng(3), { N: 12 });
    const task = { delay: 6, resp: 2 };
    const p = rank2Params(net);
    const g = new Float64Array(p.length);
    rank2LossGrad(net, task, g);
    const h = 1e-6;
    let worst = 0;
    for (let i = 0; i < p.length; i++) {
      const a = p.slice();
      const b = p.slice();
      a[i] += h;
      b[i] -= h;
      const fd = (rank2LossGrad(rank2WithParams(net, a), task) - rank2LossGrad(rank2WithParams(net, b), task)) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - g[i]) / (1e-8 + Math.abs(fd) + Math.abs(g[i])));
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it('a planted limit cycle is classified as one, a planted ring of fixed points and a stable spiral as slow points', () => {
    // linearisation at the origin: (1 − α)·I + α·(g/2)·R(φ); g 4, φ 0.5: |λ| 1.46, unstable spiral that tanh bounds
    const cycle = rank2Mechanism(rank2Planted({ gain: 4, rotation: 0.5 }));
    expect(cycle.mechanism).toBe('limit-cycle');
    expect(cycle.windings).toBeGreaterThan(10);
    // φ = 0: every direction is a fixed point at the same radius (a ring of fixed points)
    expect(rank2Mechanism(rank2Planted({ gain: 4, rotation: 0 })).mechanism).toBe('slow-point');
    // g 1: |λ| < 1, a stable spiral into the origin
    expect(rank2Mechanism(rank2Planted({ gain: 1, rotation: 0.5 })).mechanism).toBe('slow-point');
  });

  it('the sharpness of a quadratic-like loss: power iteration agrees with the Hessian from second differences', () => {
    const net = rank2Init(new Rng(5), { N: 6 });
    const task = { delay: 4, resp: 2 };
    const p = rank2Params(net);
    // full Hessian by central differences of the exact gradient, then its largest eigenvalue by many power steps
    const n = p.length;
    const Hm = new Float64Array(n * n);
    const g1 = new Float64Array(n);
    const g2 = new Float64Array(n);
    const h = 1e-5;
    for (let j = 0; j < n; j++) {
      const a = p.slice();
      const b = p.slice();
      a[j] += h;
      b[j] -= h;
      rank2LossGrad(rank2WithParams(net, a), task, g1);
      rank2LossGrad(rank2WithParams(net, b), task, g2);
      for (let i = 0; i < n; i++) Hm[i * n + j] = (g1[i] - g2[i]) / (2 * h);
    }
    let v = new Float64Array(n).fill(1);
    let lam = 0;
    for (let it = 0; it < 2000; it++) {
      const hv = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) hv[i] += 0.5 * (Hm[i * n + j] + Hm[j * n + i]) * v[j];
      const nv = Math.hypot(...hv);
      lam = hv.reduce((s, x, i) => s + x * v[i], 0);
      v = hv.map((x) => x / nv);
    }
    expect(rank2Sharpness(net, task, { iterations: 300 }) / lam).toBeCloseTo(1, 3);
  });
});
