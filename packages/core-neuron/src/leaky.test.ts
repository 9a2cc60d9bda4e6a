import { initBackend, tf } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { leakyEulerStep, tauFromRaw, tauFromRawDerivative } from './leaky';

beforeAll(async () => {
  await initBackend('cpu', { env: {} });
});

describe('leaky integration', () => {
  it('one Euler step: (1−α)x + α·drive, scalar and per-unit α', () => {
    const x = tf.tensor1d([1, 2]);
    const d = tf.tensor1d([3, -2]);
    expect(Array.from(leakyEulerStep(x, d, 0.25).dataSync())).toEqual([1.5, 1]);
    expect(Array.from(leakyEulerStep(x, d, tf.tensor1d([0, 1])).dataSync())).toEqual([1, -2]);
  });

  it('relaxes to the drive with time constant τ (x_t = e^{−t/τ} for small α)', () => {
    let x: tf.Tensor = tf.scalar(1);
    const a = 0.01 / 10; // α = Δt/τ
    for (let t = 0; t < 1000; t++) x = leakyEulerStep(x, tf.scalar(0), a); // 10 time units = 1 τ
    expect(x.dataSync()[0]).toBeCloseTo(Math.exp(-1), 3);
  });

  it('τ parameterisation (Kim et al.): bounds and derivative', () => {
    const raw = new Float32Array([-20, -1, 0, 1, 20]);
    const tau = tauFromRaw(raw, 4, 25);
    expect(tau[2]).toBeCloseTo(14.5);
    expect(Math.min(...tau)).toBeGreaterThanOrEqual(4);
    expect(Math.max(...tau)).toBeLessThanOrEqual(25);
    const h = 1e-3;
    const num = (tauFromRaw([0.5 + h], 4, 25)[0] - tauFromRaw([0.5 - h], 4, 25)[0]) / (2 * h);
    expect(tauFromRawDerivative([0.5], 4, 25)[0]).toBeCloseTo(num, 3);
  });
});
