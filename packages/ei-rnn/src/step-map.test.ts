import { initBackend, kernels, Rng, type Tensor2D, tf } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRateRnnConfig, type RateRNNConfig } from './config';
import { createRateRNN, type RateRNN, rateRnnStep, rateRnnTensors } from './rate-rnn';
import { rateRnnStepMap } from './step-map';
import { KURTKAYA2025_RNN } from './stm';

beforeAll(async () => {
  await initBackend('cpu', { env: {} });
});

const configs: [string, Partial<RateRNNConfig>][] = [
  ['Kurtkaya: tanh, current form, no Dale, biases', { ...KURTKAYA2025_RNN, N: 9 }],
  ['Kim: sigmoid, rate form, Dale, trainable τ', {}],
  ['softplus, rate form, clipped at 0.8, biases', { transfer: 'softplus', clip: 0.8, biases: true }],
  ['relu, current form, Dale', { transfer: 'relu', form: 'current' }],
];

function model(over: Partial<RateRNNConfig>, seed: number): RateRNN {
  const m = createRateRNN(parseRateRnnConfig({ N: 9, nInputs: 2, noiseStd: 0, gain: 1.5, ...over }), new Rng(seed));
  const r = new Rng(seed + 100);
  if (m.config.biases) m.bias.set(r.normal(9, 0, 0.3)); // non-zero trained biases, so they enter the test
  return m;
}

describe('rateRnnStepMap: F, vᵀ∂F/∂x and ∂F/∂x in closed form equal the tfjs step and its autodiff', () => {
  for (const [name, over] of configs)
    it(name, () => {
      const m = model(over, 7);
      const N = 9;
      const K = 5;
      const u = [0.4, -1.1];
      const x = Float64Array.from(new Rng(8).normal(K * N, 0, 0.8));
      const v = Float64Array.from(new Rng(9).normal(K * N));
      const p = rateRnnTensors(m);
      const step = (s: tf.Tensor) => rateRnnStep(m, p, s, tf.tile(tf.tensor2d([u], [1, 2]), [s.shape[0], 1])).state as Tensor2D;
      const X = tf.tensor2d(Array.from(x), [K, N]);
      const wantF = step(X).dataSync();
      const wantVjp = tf
        .grad((s: tf.Tensor) => tf.sum(tf.mul(step(s), tf.tensor2d(Array.from(v), [K, N]))))(X)
        .dataSync();
      const wantJ = tf
        .grad((s: tf.Tensor) => tf.sum(tf.mul(step(s), tf.eye(N))))(tf.tile(tf.tensor2d(Array.from(x.subarray(0, N)), [1, N]), [N, 1]))
        .dataSync();
      kernels().scope(() => {
        const map = rateRnnStepMap(m, u);
        const F = map.apply(x, K);
        for (let n = 0; n < K * N; n++) expect(F[n]).toBeCloseTo(wantF[n], 5);
        const g = map.vjp(v, K);
        for (let n = 0; n < K * N; n++) expect(g[n]).toBeCloseTo(wantVjp[n], 4);
        const J = map.jacobian(x.subarray(0, N));
        for (let n = 0; n < N * N; n++) expect(J[n]).toBeCloseTo(wantJ[n], 5);
      });
    });

  it('errors name the problem: wrong input length, wrong state length, vjp without apply', () => {
    const m = model({}, 3);
    kernels().scope(() => {
      expect(() => rateRnnStepMap(m, [1, 2, 3])).toThrow(/input has 3 values, the network has 2 inputs/);
      const map = rateRnnStepMap(m);
      expect(() => map.jacobian([1, 2])).toThrow(/state has 2 values, expected N = 9/);
      expect(() => map.vjp(new Float64Array(18), 2)).toThrow(/called for 2 states after apply on 0/);
    });
  });
});
