import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import './gradients';
import { Adam, clipGradNorm, hasNonFinite, SgdMomentum } from './optim';
import { Rng } from './rng';
import { tf } from './tf';

beforeAll(async () => {
  await initBackend('cpu', { env: {} });
});

// Minimise f(x) = ½ Σ c_i (x_i − t_i)² with our optimiser and with tfjs's, compare trajectories.
function compare(ours: () => Adam | SgdMomentum, theirs: () => tf.Optimizer) {
  const rng = new Rng('optim');
  const c = rng.uniform(5, 0.5, 3);
  const target = rng.normal(5);
  const x0 = rng.normal(5);
  const x = x0.slice();
  const grad = new Float32Array(5);
  const opt = ours();
  const v = tf.variable(tf.tensor1d(x0));
  const tfOpt = theirs();
  const C = tf.tensor1d(c);
  const Tg = tf.tensor1d(target);
  for (let s = 0; s < 50; s++) {
    for (let i = 0; i < 5; i++) grad[i] = c[i] * (x[i] - target[i]);
    opt.step([{ name: 'x', value: x, grad }]);
    tfOpt.minimize(() => tf.mul(0.5, tf.sum(tf.mul(C, tf.square(tf.sub(v, Tg))))) as tf.Scalar);
  }
  const want = v.dataSync();
  for (let i = 0; i < 5; i++) expect(x[i]).toBeCloseTo(want[i], 4);
  expect(opt.steps).toBe(50);
}

describe('optimisers match tfjs', () => {
  it('Adam', () =>
    compare(
      () => new Adam({ lr: 0.05 }),
      () => tf.train.adam(0.05),
    ));
  it('SGD with momentum', () =>
    compare(
      () => new SgdMomentum({ lr: 0.05, momentum: 0.9 }),
      () => tf.train.momentum(0.05, 0.9),
    ));
  it('AdamW decay and SGD weight decay shrink parameters', () => {
    const x = new Float32Array([1]);
    new Adam({ lr: 0.1, weightDecay: 0.5 }).step([{ name: 'x', value: x, grad: new Float32Array([0]) }]);
    expect(x[0]).toBeCloseTo(0.95, 6);
    const y = new Float32Array([1]);
    new SgdMomentum({ lr: 0.1, weightDecay: 0.5 }).step([{ name: 'y', value: y, grad: new Float32Array([0]) }]);
    expect(y[0]).toBeCloseTo(0.95, 6);
  });
  it('bad input is a clear error', () => {
    expect(() => new Adam({ lr: 0 })).toThrow('Adam: lr (0) must be > 0');
    expect(() => new Adam({ lr: 1 }).step([{ name: 'w', value: new Float32Array(2), grad: new Float32Array(3) }])).toThrow(
      "optimizer: parameter 'w' has 2 values but its gradient has 3",
    );
  });
});

describe('gradient utilities', () => {
  it('clipGradNorm rescales to the maximum norm and reports the norm before', () => {
    const a = new Float32Array([3, 0]);
    const b = new Float32Array([4]);
    expect(clipGradNorm([a, b], 1)).toBeCloseTo(5);
    expect(Array.from(a)).toEqual([expect.closeTo(0.6, 6), 0]);
    expect(b[0]).toBeCloseTo(0.8, 6);
    expect(clipGradNorm([a, b], 10)).toBeCloseTo(1);
  });
  it('hasNonFinite finds NaN and Infinity', () => {
    expect(hasNonFinite([new Float32Array([1, 2])])).toBe(false);
    expect(hasNonFinite([new Float32Array([1]), new Float32Array([Number.NaN])])).toBe(true);
    expect(hasNonFinite([[Number.POSITIVE_INFINITY]])).toBe(true);
  });
});
