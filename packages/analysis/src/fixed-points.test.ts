import { initBackend, Rng, type Tensor2D, tf } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { findFixedPoints, mapJacobian } from './fixed-points';

beforeAll(async () => {
  await initBackend('cpu');
});

const near = (a: ArrayLike<number>, b: number[], tol = 1e-4) => b.every((v, i) => Math.abs(a[i] - v) < tol);

describe('fixed and slow points of one-step maps', () => {
  it('a linear map: the unique fixed point (I − A)⁻¹b, Jacobian A, stable', () => {
    const A = tf.tensor2d([
      [0.5, 0.2],
      [-0.1, 0.3],
    ]);
    const b = tf.tensor1d([1, -1]);
    const map = (x: Tensor2D) => tf.add(tf.matMul(x, A, false, true), b) as Tensor2D;
    // (I − A) x = b → [[0.5, −0.2], [0.1, 0.7]] x = [1, −1] → x = [1.5 − 0.2·… ] solved below
    const det = 0.5 * 0.7 + 0.2 * 0.1;
    const want = [(0.7 * 1 + 0.2 * -1) / det, (-0.1 * 1 + 0.5 * -1) / det];
    const init = Float64Array.from(new Rng(1).normal(2 * 20));
    const res = findFixedPoints(map, init, 2, { learningRate: 0.05, maxIterations: 8000 });
    expect(res.points.length).toBe(1);
    const p = res.points[0];
    expect(near(p.x, want, 1e-4)).toBe(true);
    expect(Array.from(p.jacobian).map((v) => Number(v.toFixed(6)))).toEqual([0.5, 0.2, -0.1, 0.3]);
    expect(p.stable).toBe(true);
    expect(p.kind).toBe('fixed');
  });

  it('a 2-D system with a saddle and two attractors: all three found, with the right stability', () => {
    const dt = 0.1;
    // x' = x − x³, y' = −y (Euler map): attractors (±1, 0), saddle (0, 0)
    const map = (v: Tensor2D) => {
      const [x, y] = tf.split(v, 2, 1);
      return tf.concat([tf.add(x, tf.mul(dt, tf.sub(x, tf.pow(x, 3)))), tf.mul(1 - dt, y)], 1) as Tensor2D;
    };
    const init = Float64Array.from(new Rng(2).uniform(2 * 60, -1.6, 1.6));
    const res = findFixedPoints(map, init, 2, { learningRate: 0.02, maxIterations: 10000 });
    const pts = res.points
      .map((p) => ({ x: Math.round(p.x[0] * 1e3) / 1e3, stable: p.stable, unstable: p.unstableDirections }))
      .sort((a, b) => a.x - b.x);
    expect(pts).toEqual([
      { x: -1, stable: true, unstable: 0 },
      { x: 0, stable: false, unstable: 1 },
      { x: 1, stable: true, unstable: 0 },
    ]);
    const J0 = mapJacobian(map, [0, 0]);
    expect(Array.from(J0).map((v) => Number(v.toFixed(6)))).toEqual([1.1, 0, 0, 0.9]);
  });

  it('a flip-flop network (two bistable tanh units): 4 attractors, 4 saddles, 1 repeller', () => {
    // r ← (1 − α) r + α tanh(W r), W = 2·I: each unit has fixed points 0 and ±r*, r* = tanh(2 r*)
    const alpha = 0.5;
    const W = tf.tensor2d([
      [2, 0],
      [0, 2],
    ]);
    const map = (r: Tensor2D) => tf.add(tf.mul(1 - alpha, r), tf.mul(alpha, tf.tanh(tf.matMul(r, W)))) as Tensor2D;
    const init = Float64Array.from(new Rng(3).uniform(2 * 200, -1.2, 1.2));
    const res = findFixedPoints(map, init, 2, { learningRate: 0.02, maxIterations: 10000 });
    let rStar = 0.9;
    for (let i = 0; i < 100; i++) rStar = Math.tanh(2 * rStar);
    expect(res.points.length).toBe(9);
    const byUnstable = [0, 1, 2].map((u) => res.points.filter((p) => p.unstableDirections === u).length);
    expect(byUnstable).toEqual([4, 4, 1]);
    for (const p of res.points.filter((q) => q.stable)) expect(near(p.x.map(Math.abs), [rStar, rStar], 1e-3)).toBe(true);
  });
});
