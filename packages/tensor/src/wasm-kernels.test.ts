import { describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import { Rng } from './rng';
import { tf } from './tf';
import './gradients';
import { fastWasmKernelsInstalled, useFastWasmKernels, useStockWasmKernels } from './wasm-kernels';

type Op = (x: tf.Tensor) => tf.Tensor | tf.Tensor[];

// Each op runs on the cpu backend (reference) and on wasm with wmkit's kernels.
const ops: [string, number[], Op][] = [
  ['slice rank 1', [10], (x) => tf.slice(x, [3], [4])],
  ['slice rank 2 rows (contiguous)', [6, 5], (x) => tf.slice(x, [2, 0], [3, 5])],
  ['slice rank 2 columns', [6, 5], (x) => tf.slice(x, [1, 2], [4, 2])],
  ['slice rank 3 middle', [4, 5, 6], (x) => tf.slice(x, [1, 1, 0], [2, 3, 6])],
  ['slice rank 4 inner', [3, 4, 5, 2], (x) => tf.slice(x, [0, 1, 2, 1], [3, 2, 3, 1])],
  ['slice rank 5 with -1 sizes', [2, 3, 2, 3, 2], (x) => tf.slice(x, [1, 0, 1, 1, 0], [-1, 2, -1, -1, 2])],
  ['slice empty', [4, 4], (x) => tf.slice(x, [1, 1], [0, 2])],
  ['slice whole', [3, 3], (x) => tf.slice(x, [0, 0], [3, 3])],
  ['unstack axis 0', [7, 3, 2], (x) => tf.unstack(x, 0)],
  ['unstack axis 1', [4, 5, 3], (x) => tf.unstack(x, 1)],
  ['unstack last axis', [4, 3], (x) => tf.unstack(x, 1)],
  ['split equal axis 0', [6, 4], (x) => tf.split(x, 3, 0)],
  ['split sizes axis 1', [3, 7, 2], (x) => tf.split(x, [2, 4, 1], 1)],
  ['split with -1 size, last axis', [2, 9], (x) => tf.split(x, [3, -1], 1)],
];

function run(op: Op, shape: number[], seed: string): { shape: number[]; values: number[] }[] {
  const x = new Rng(seed).normalTensor(shape);
  const out = op(x);
  return (Array.isArray(out) ? out : [out]).map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
}

describe('fast wasm Slice / Unpack / SplitV equal the reference kernels', () => {
  for (const [name, shape, op] of ops) {
    it(name, async () => {
      await initBackend('cpu', { env: {} });
      const want = run(op, shape, name);
      await initBackend('wasm', { env: {} });
      expect(fastWasmKernelsInstalled()).toBe(true);
      expect(run(op, shape, name)).toEqual(want);
    });
  }

  it('gradients through slice and unstack are unchanged', async () => {
    await initBackend('wasm', { env: {} });
    const x = new Rng(3).normalTensor([5, 4]);
    const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.stack(tf.unstack(tf.slice(t, [1, 0], [3, 4]))), tf.reshape(tf.range(0, 12), [3, 4])));
    const fast = tf.grad(f)(x).dataSync();
    useStockWasmKernels();
    expect(fastWasmKernelsInstalled()).toBe(false);
    const stock = tf.grad(f)(x).dataSync();
    useFastWasmKernels();
    expect(Array.from(fast)).toEqual(Array.from(stock));
  });

  it('survives heap growth between outputs (large unstack)', async () => {
    await initBackend('wasm', { env: {} });
    const x = new Rng(9).normalTensor([400, 2048]);
    const parts = tf.unstack(x);
    const data = x.dataSync();
    expect(Array.from(parts[399].dataSync())).toEqual(Array.from(data.subarray(399 * 2048)));
    expect(Array.from(parts[0].dataSync())).toEqual(Array.from(data.subarray(0, 2048)));
    tf.dispose([x, ...parts]);
  });
});
