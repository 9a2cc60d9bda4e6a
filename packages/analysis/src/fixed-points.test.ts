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

describe('a trained flip-flop', () => {
  it('BPTT-trained 1-bit flip-flop RNN: two stable fixed points (read-out ±1) and a saddle between them', () => {
    // r ← (1 − α) r + α tanh(W r + w_in u + b), y = w_out·r; input pulses ±1, target = sign of the last pulse
    const N = 12;
    const T = 40;
    const B = 64;
    const alpha = 0.5;
    const rng = new Rng(11);
    const batch = (r: Rng) => {
      const u = new Float32Array(T * B);
      const y = new Float32Array(T * B);
      for (let b = 0; b < B; b++) {
        let state = r.uniform(1)[0] < 0.5 ? -1 : 1;
        for (let t = 0; t < T; t++) {
          const pulse = t === 0 || r.uniform(1)[0] < 0.08;
          if (pulse) state = t === 0 ? state : r.uniform(1)[0] < 0.5 ? -1 : 1;
          u[t * B + b] = pulse ? state : 0;
          y[t * B + b] = state;
        }
      }
      return { u, y };
    };
    const W = tf.variable(tf.tensor2d(Array.from(rng.normal(N * N, 0, 1.2 / Math.sqrt(N))), [N, N]));
    const win = tf.variable(tf.tensor2d(Array.from(rng.normal(N, 0, 1)), [1, N]));
    const bias = tf.variable(tf.zeros([1, N]));
    const wout = tf.variable(tf.tensor2d(Array.from(rng.normal(N, 0, 1 / Math.sqrt(N))), [N, 1]));
    const step = (r: tf.Tensor2D, u: tf.Tensor2D) =>
      tf.add(tf.mul(1 - alpha, r), tf.mul(alpha, tf.tanh(tf.add(tf.add(tf.matMul(r, W), tf.matMul(u, win)), bias)))) as tf.Tensor2D;
    const run = (u: Float32Array) => {
      let r = tf.zeros([B, N]) as tf.Tensor2D;
      const ys: tf.Tensor[] = [];
      for (let t = 0; t < T; t++) {
        r = step(r, tf.tensor2d(u.subarray(t * B, (t + 1) * B), [B, 1]));
        ys.push(tf.matMul(r, wout));
      }
      return tf.concat(ys, 1); // [B, T] with column t = time t
    };
    const targetOf = (y: Float32Array) => tf.transpose(tf.tensor2d(y, [T, B]));
    const opt = tf.train.adam(0.02);
    const data = rng.fork('data');
    for (let it = 0; it < 200; it++) {
      const { u, y } = batch(data);
      opt.minimize(() => tf.mean(tf.square(tf.sub(run(u), targetOf(y)))) as tf.Scalar);
    }
    // held-out accuracy: sign of the read-out matches the remembered bit
    const test = batch(rng.fork('test'));
    const yhat = tf.tidy(() => run(test.u).dataSync());
    const yt = targetOf(test.y).dataSync();
    let right = 0;
    for (let i = 0; i < yhat.length; i++) right += Math.sign(yhat[i]) === yt[i] ? 1 : 0;
    expect(right / yhat.length).toBeGreaterThan(0.97);

    // fixed points of the autonomous map (u = 0), started from visited states plus noise
    const visited = tf.tidy(() => {
      let r = tf.zeros([B, N]) as tf.Tensor2D;
      const out: tf.Tensor[] = [];
      for (let t = 0; t < T; t++) {
        r = step(r, tf.tensor2d(test.u.subarray(t * B, (t + 1) * B), [B, 1]));
        if (t % 20 === 19) out.push(tf.slice(r, [0, 0], [32, N]));
      }
      const all = tf.concat(out, 0);
      return tf.add(all, tf.randomNormal(all.shape, 0, 0.2, 'float32', 3)).dataSync();
    });
    const zero = tf.zeros([1, 1]) as tf.Tensor2D;
    const map = (r: Tensor2D) => tf.tidy(() => step(r, tf.tile(zero, [r.shape[0], 1]) as tf.Tensor2D));
    const res = findFixedPoints(map, Float64Array.from(visited), N, { learningRate: 0.02, maxIterations: 4000, maxQ: 1e-7, tolQ: 1e-11 });
    const readout = (x: Float64Array) => tf.tidy(() => tf.matMul(tf.tensor2d(Array.from(x), [1, N]), wout).dataSync()[0]);
    const stable = res.points.filter((p) => p.stable).map((p) => readout(p.x));
    const saddles = res.points.filter((p) => p.unstableDirections === 1).map((p) => readout(p.x));
    // one attractor per remembered bit, at read-outs near ±1
    expect(stable.length).toBe(2);
    const [lo, hi] = stable.sort((a, b) => a - b);
    expect(Math.abs(lo + 1)).toBeLessThan(0.15);
    expect(Math.abs(hi - 1)).toBeLessThan(0.15);
    // and the saddle that separates them (one unstable direction), between the two
    expect(saddles.length).toBeGreaterThanOrEqual(1);
    for (const s of saddles) expect(Math.abs(s)).toBeLessThan(0.5);
  }, 60_000);
});
