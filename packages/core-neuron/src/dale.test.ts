import { initBackend, Rng, tf } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { assignExcInh, daleWeights, daleWeightsGradient, scaleSynapseClass } from './dale';

/** relu(w)·diag(sign) as tfjs ops, to check the hand-written gradient against autodiff. */
function daleOps(w: tf.Tensor, sign: ArrayLike<number>): tf.Tensor {
  return tf.mul(tf.relu(w), tf.tensor2d(Float32Array.from(sign), [1, sign.length]));
}

beforeAll(async () => {
  await initBackend('cpu', { env: {} });
});

describe("Dale's principle", () => {
  it('assigns inhibitory units with probability pInh (within 5 binomial SE)', () => {
    const n = 20000;
    const sign = assignExcInh(n, 0.2, new Rng(1));
    const inh = sign.filter((s) => s < 0).length;
    expect(Math.abs(inh / n - 0.2)).toBeLessThan(5 * Math.sqrt((0.2 * 0.8) / n));
    expect(sign.every((s) => s === 1 || s === -1)).toBe(true);
  });

  it('W_eff = relu(w)·diag(sign): the sign belongs to the presynaptic column', () => {
    const w = [0.5, -1, 2, 3]; // [[0.5, -1], [2, 3]]
    const sign = [1, -1];
    const plain = (a: ArrayLike<number>) => Array.from(a, (v) => v + 0); // −0 → 0
    expect(plain(daleWeights(w, sign))).toEqual([0.5, 0, 2, -3]);
    expect(plain(daleWeights(w, sign, [1, 1, 0, 1]))).toEqual([0.5, 0, 0, -3]);
    expect(Array.from(daleWeights(w, sign, null, false))).toEqual([0.5, -1, 2, 3]);
    expect(() => daleWeights([1, 2, 3], [1, 1])).toThrow('daleWeights: weights have 3 entries but 2 units need an [2, 2] matrix');
  });

  it('the hand-written gradient equals autodiff through relu(w)·diag(sign)', () => {
    const rng = new Rng(2);
    const n = 6;
    const w = rng.normal(n * n);
    const sign = assignExcInh(n, 0.5, rng);
    const g = rng.normal(n * n);
    const auto = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(daleOps(x, sign), tf.tensor2d(g, [n, n]))))(tf.tensor2d(w, [n, n]));
    const hand = daleWeightsGradient(g, w, sign);
    const a = auto.dataSync();
    for (let k = 0; k < n * n; k++) expect(hand[k]).toBeCloseTo(a[k], 6);
  });

  it('signs never flip: any w gives columns of one sign', () => {
    const rng = new Rng(3);
    const n = 30;
    const sign = assignExcInh(n, 0.2, rng);
    const W = daleWeights(rng.normal(n * n), sign);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) expect(W[i * n + j] * sign[j]).toBeGreaterThanOrEqual(0);
  });

  it('scaleSynapseClass scales exactly one block (pre→post)', () => {
    const sign = [1, 1, -1]; // units 0,1 E; 2 I
    const w = new Float32Array(9).fill(1);
    const ii = scaleSynapseClass(w, sign, 'ii', 1.3);
    expect(Array.from(ii)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, expect.closeTo(1.3, 6)]);
    const ie = scaleSynapseClass(w, sign, 'ie', 2); // I→E: post E rows 0,1; pre I column 2
    expect(Array.from(ie)).toEqual([1, 1, 2, 1, 1, 2, 1, 1, 1]);
    const ei = scaleSynapseClass(w, sign, 'ei', 0); // E→I: post I row 2; pre E columns 0,1
    expect(Array.from(ei)).toEqual([1, 1, 1, 1, 1, 1, 0, 0, 1]);
    const ee = scaleSynapseClass(w, sign, 'ee', 3);
    expect(Array.from(ee)).toEqual([3, 3, 1, 3, 3, 1, 1, 1, 1]);
    expect(() => scaleSynapseClass(w, sign, 'xx' as 'ii', 1)).toThrow(/must be one of ee, ei, ie, ii/);
    expect(() => scaleSynapseClass(w, sign, 'ii', -1)).toThrow(/factor \(-1\)/);
  });
});
