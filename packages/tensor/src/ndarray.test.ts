import { describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import {
  assertShape,
  assertValues,
  firstInvalidValue,
  fromTensor,
  fromTensorSync,
  ndarray,
  sizeOf,
  toTensor,
  unravelIndex,
} from './ndarray';

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

describe('value checks at the boundary', () => {
  it('firstInvalidValue finds the first NaN, infinite, out-of-range or fractional value', () => {
    expect(firstInvalidValue([0, 1, 2])).toBeNull();
    expect(firstInvalidValue([0, Number.NaN, -1])).toEqual({ index: 1, value: Number.NaN, problem: 'is NaN' });
    expect(firstInvalidValue([0, 1, -1], { min: 0 })?.problem).toBe('is -1, below 0');
    expect(firstInvalidValue([0, 5], { max: 3 })?.problem).toBe('is 5, above 3');
    expect(firstInvalidValue([0, 1.5], { integer: true })?.problem).toBe('is 1.5, not a whole number');
  });

  it('assertValues names what, the element (row-major index) and the rule', () => {
    const d = new Float32Array(24);
    d[1 * 12 + 2 * 4 + 3] = Number.POSITIVE_INFINITY;
    expect(() => assertValues('x.npy: counts', d, [2, 3, 4], { min: 0 })).toThrow(
      'x.npy: counts: element [1, 2, 3] is Infinity (expected finite values ≥ 0)',
    );
    expect(unravelIndex(23, [2, 3, 4], 1)).toEqual([2, 3, 4]);
  });
});
