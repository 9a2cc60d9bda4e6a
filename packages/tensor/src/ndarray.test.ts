import { describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import { assertShape, fromTensor, fromTensorSync, ndarray, sizeOf, toTensor } from './ndarray';

describe('NDArray', () => {
  it('checks data length against the shape, naming both', () => {
    expect(() => ndarray(new Float32Array(5), [2, 3])).toThrow('ndarray: data has 5 elements but shape [2, 3] needs 6');
    expect(sizeOf([2, 3, 4])).toBe(24);
    expect(() => sizeOf([2, -1])).toThrow(/\[2, -1\]/);
  });

  it('assertShape names the expected and actual shapes and binds symbols', () => {
    expect(assertShape('inputs', [32, 300, 2], ['B', 'T', 2])).toEqual({ B: 32, T: 300 });
    expect(() => assertShape('inputs', [32, 300, 3], ['B', 'T', 2])).toThrow('inputs: expected shape [B, T, 2] but got [32, 300, 3]');
    expect(() => assertShape('w', [5, 4], ['N', 'N'])).toThrow('w: expected shape [N, N] but got [5, 4]');
    expect(() => assertShape('x', [5], [null, null])).toThrow('x: expected shape [*, *] but got [5]');
  });

  it('round-trips through tensors', async () => {
    await initBackend('cpu', { env: {} });
    const x = ndarray(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    const t = toTensor(x);
    expect(t.shape).toEqual([2, 3]);
    expect(await fromTensor(t)).toEqual(x);
    expect(fromTensorSync(t)).toEqual(x);
    expect(toTensor(ndarray(new Int32Array([1, 2]), [2])).dtype).toBe('float32');
  });
});
