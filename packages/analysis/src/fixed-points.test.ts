import { initBackend, Rng, type Tensor2D, tf } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { findFixedPoints, mapJacobian, type StepMap } from './fixed-points';

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

/** r ↦ (1 − α) r + α tanh(W r + b) with its explicit vector–Jacobian product and Jacobian. */
function tanhStepMap(W: number[][], b: number[], alpha: number): StepMap {
  const N = b.length;
  let H = new Float64Array(0);
  return {
    N,
    apply(x, K) {
      const F = new Float64Array(K * N);
      H = new Float64Array(K * N);
      for (let k = 0; k < K; k++)
        for (let i = 0; i < N; i++) {
          let z = b[i];
          for (let j = 0; j < N; j++) z += W[i][j] * x[k * N + j];
          H[k * N + i] = Math.tanh(z);
          F[k * N + i] = (1 - alpha) * x[k * N + i] + alpha * H[k * N + i];
        }
      return F;
    },
    vjp(v, K) {
      const out = new Float64Array(K * N);
      for (let k = 0; k < K; k++)
        for (let j = 0; j < N; j++) {
          let s = (1 - alpha) * v[k * N + j];
          for (let i = 0; i < N; i++) s += v[k * N + i] * alpha * (1 - H[k * N + i] ** 2) * W[i][j];
          out[k * N + j] = s;
        }
      return out;
    },
    jacobian(x) {
      const J = new Float64Array(N * N);
      for (let i = 0; i < N; i++) {
        let z = b[i];
        for (let j = 0; j < N; j++) z += W[i][j] * x[j];
        const g = alpha * (1 - Math.tanh(z) ** 2);
        for (let j = 0; j < N; j++) J[i * N + j] = (i === j ? 1 - alpha : 0) + g * W[i][j];
      }
      return J;
    },
  };
}

describe('explicit step maps (no autodiff)', () => {
  it('a linear map as a StepMap: the same fixed point, Jacobian and stability as the tfjs map', () => {
    const A = [
      [0.5, 0.2],
      [-0.1, 0.3],
    ];
    const b = [1, -1];
    const map: StepMap = {
      N: 2,
      apply: (x, K) =>
        Float64Array.from({ length: 2 * K }, (_, n) => A[n % 2][0] * x[n - (n % 2)] + A[n % 2][1] * x[n - (n % 2) + 1] + b[n % 2]),
      vjp: (v, K) => Float64Array.from({ length: 2 * K }, (_, n) => v[n - (n % 2)] * A[0][n % 2] + v[n - (n % 2) + 1] * A[1][n % 2]),
      jacobian: () => Float64Array.from(A.flat()),
    };
    const det = 0.5 * 0.7 + 0.2 * 0.1;
    const want = [(0.7 * 1 + 0.2 * -1) / det, (-0.1 * 1 + 0.5 * -1) / det];
    const res = findFixedPoints(map, Float64Array.from(new Rng(1).normal(2 * 20)), 2, { learningRate: 0.05, maxIterations: 8000 });
    expect(res.points.length).toBe(1);
    expect(near(res.points[0].x, want, 1e-6)).toBe(true);
    expect(res.points[0].stable).toBe(true);
    expect(res.points[0].kind).toBe('fixed');
  });

  it('a tanh flip-flop with bias: the StepMap finds the same 9 points as the tfjs map, and its Jacobian equals autodiff', () => {
    const W = [
      [2, 0.3],
      [-0.2, 2.1],
    ];
    const bias = [0.05, -0.03];
    const alpha = 0.5;
    const explicit = tanhStepMap(W, bias, alpha);
    const Wt = tf.tensor2d([W[0][0], W[1][0], W[0][1], W[1][1]], [2, 2]); // r·Wᵀ
    const bT = tf.tensor1d(bias);
    const map = (r: Tensor2D) => tf.add(tf.mul(1 - alpha, r), tf.mul(alpha, tf.tanh(tf.add(tf.matMul(r, Wt), bT)))) as Tensor2D;
    const init = Float64Array.from(new Rng(3).uniform(2 * 200, -1.2, 1.2));
    const opts = { learningRate: 0.02, maxIterations: 10000 };
    const sorted = (pts: { x: Float64Array; unstableDirections: number }[]) =>
      pts
        .map((p) => [Math.round(p.x[0] * 1e3) / 1e3, Math.round(p.x[1] * 1e3) / 1e3, p.unstableDirections])
        .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const a = findFixedPoints(explicit, init, 2, opts);
    const t = findFixedPoints(map, init, 2, opts);
    expect(a.points.length).toBe(9);
    expect(sorted(a.points)).toEqual(sorted(t.points));
    const x = [0.3, -0.7];
    const Ja = explicit.jacobian(x);
    const Jt = mapJacobian(map, x);
    for (let i = 0; i < 4; i++) expect(Ja[i]).toBeCloseTo(Jt[i], 6);
  });

  it('rejects a map whose N differs from the states', () => {
    expect(() => findFixedPoints(tanhStepMap([[1]], [0], 0.5), new Float64Array(4), 2)).toThrow(/map has N = 1 but the states have N = 2/);
  });
});

describe('a trained flip-flop', () => {
  it('BPTT-trained 1-bit flip-flop RNN: two stable fixed points (read-out ±1) and a saddle between them', () => {
    // r ← (1 − α) r + α tanh(W r + w_in u + b), y = w_out·r; input pulses ±1, target = sign of the last pulse
    const N = 12;
    const T = 20;
    const B = 64;
    const alpha = 0.5;
    const rng = new Rng(11);
    const batch = (r: Rng) => {
      const u = new Float32Array(T * B);
      const y = new Float32Array(T * B);
      for (let b = 0; b < B; b++) {
        let state = r.uniform(1)[0] < 0.5 ? -1 : 1;
        for (let t = 0; t < T; t++) {
          const pulse = t === 0 || r.uniform(1)[0] < 0.15;
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
    const opt = tf.train.adam(0.03);
    const data = rng.fork('data');
    for (let it = 0; it < 120; it++) {
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
        if (t % 10 === 9) out.push(tf.slice(r, [0, 0], [32, N]));
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
  }, 300_000); // ~30 s alone; turbo runs the packages' suites side by side on 2 cores
});
