import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import './gradients';
import { matMul } from './matmul';
import { Rng } from './rng';
import type { Tensor } from './tf';
import { tf } from './tf';

function maxAbsDiff(a: Tensor, b: Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
}

const cases: [string, number[], number[]][] = [
  ['2-D', [7, 5], [5, 3]],
  ['batched 3-D', [4, 6, 5], [4, 5, 2]],
  ['3-D times shared 2-D', [3, 8, 16], [16, 9]],
];

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`matMul on ${backend}: values and gradients equal the stock tf.matMul`, () => {
    beforeAll(async () => {
      await initBackend(backend);
    });
    for (const [name, sa, sb] of cases) {
      it(name, () => {
        const rng = new Rng(name);
        const a = rng.normalTensor(sa);
        const b = rng.normalTensor(sb);
        const w = rng.normalTensor([...sa.slice(0, -1), sb[sb.length - 1]]);
        const stock = (x: Tensor, y: Tensor) =>
          sa.length > sb.length ? tf.reshape(tf.matMul(tf.reshape(x, [-1, sa[sa.length - 1]]), y), w.shape) : tf.matMul(x, y);
        // A non-trivial loss so the upstream gradient is not all ones.
        const lossFast = (x: Tensor, y: Tensor) => tf.sum(tf.mul(tf.sigmoid(matMul(x, y)), w));
        const lossStock = (x: Tensor, y: Tensor) => tf.sum(tf.mul(tf.sigmoid(stock(x, y)), w));
        expect(maxAbsDiff(matMul(a, b), stock(a, b))).toBeLessThan(1e-5);
        const [ga, gb] = tf.grads(lossFast)([a, b]);
        const [sa2, sb2] = tf.grads(lossStock)([a, b]);
        expect(ga.shape).toEqual(a.shape);
        expect(gb.shape).toEqual(b.shape);
        expect(maxAbsDiff(ga, sa2)).toBeLessThan(1e-5);
        expect(maxAbsDiff(gb, sb2)).toBeLessThan(1e-5);
      });
    }
    it('names both shapes when the inner dimensions disagree', () => {
      expect(() => matMul(tf.zeros([2, 3]), tf.zeros([4, 5]))).toThrow('matMul: inner dimensions must agree, got [2, 3] · [4, 5]');
      expect(() => matMul(tf.zeros([2, 2, 3]), tf.zeros([3, 3, 5]))).toThrow(/batch dimensions must agree, got \[2, 2, 3\] · \[3, 3, 5\]/);
    });
  });
}
