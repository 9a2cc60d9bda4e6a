/**
 * `NDArray`: the plain array type used at every wmkit boundary (files, workers, the
 * viewer, users' own code). Row-major (C order), float32 by default.
 *
 * @example
 * ```ts
 * const x = ndarray(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
 * const t = toTensor(x);            // tf.Tensor2D [2, 3]
 * const back = await fromTensor(t); // { data: Float32Array, shape: [2, 3] }
 * ```
 */

import { ShapeError } from './errors';
import type { Tensor } from './tf';
import { tf } from './tf';

/** A size or a list of dimensions. */
export type Shape = number | readonly number[];

/** Typed arrays an NDArray may hold. */
export type NumericArray = Float32Array | Float64Array | Int32Array | Uint8Array | Int16Array | Uint16Array | Int8Array | Uint32Array;

/** A typed array with a row-major shape: what wmkit passes between packages and writes as `.npy`. */
export interface NDArray<D extends NumericArray = Float32Array> {
  data: D;
  shape: number[];
}

/** `[2, 3]` → "[2, 3]"; used in every shape error message. */
export function formatShape(shape: readonly (number | string)[]): string {
  return `[${shape.join(', ')}]`;
}

/** Number of elements of a shape; checks the dimensions are non-negative integers. */
export function sizeOf(shape: Shape): number {
  if (typeof shape === 'number') {
    if (!Number.isInteger(shape) || shape < 0) throw new ShapeError(`shape: size (${shape}) must be a non-negative integer`);
    return shape;
  }
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`shape ${formatShape(shape)}: every dimension must be a non-negative integer`);
    }
    n *= d;
  }
  return n;
}

/** Builds an NDArray after checking that `data` holds exactly prod(shape) elements. */
export function ndarray<D extends NumericArray = Float32Array>(data: D, shape: readonly number[]): NDArray<D> {
  const n = sizeOf(shape);
  if (data.length !== n) {
    throw new ShapeError(`ndarray: data has ${data.length} elements but shape ${formatShape(shape)} needs ${n}`);
  }
  return { data, shape: [...shape] };
}

/** A zero-filled float32 NDArray. */
export function zeros(shape: readonly number[]): NDArray {
  return { data: new Float32Array(sizeOf(shape)), shape: [...shape] };
}

/**
 * Checks `actual` against `expected`, where an expected entry may be a number, or a
 * name (e.g. 'B', 'T') that must be the same wherever it occurs, or null for "any".
 * Throws `name: expected shape [B, T, 2] but got [32, 300, 3]`.
 */
export function assertShape(
  name: string,
  actual: readonly number[],
  expected: readonly (number | string | null)[],
): Record<string, number> {
  const bound: Record<string, number> = {};
  let ok = actual.length === expected.length;
  for (let i = 0; ok && i < expected.length; i++) {
    const e = expected[i];
    if (e == null) continue;
    if (typeof e === 'number') ok = actual[i] === e;
    else if (e in bound) ok = bound[e] === actual[i];
    else bound[e] = actual[i];
  }
  if (!ok) {
    const want = expected.map((e) => (e == null ? '*' : e));
    throw new ShapeError(`${name}: expected shape ${formatShape(want)} but got ${formatShape(actual)}`);
  }
  return bound;
}

/** Bounds a value must satisfy besides being finite (for `firstInvalidValue`). */
export interface ValueRule {
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Largest allowed value (inclusive). */
  max?: number;
  /** Whole numbers only (spike counts). */
  integer?: boolean;
}

/** The index of flat position `i` in `shape` (row-major): [2, 0, 7]; `base` 1 for MATLAB's. */
export function unravelIndex(i: number, shape?: readonly number[], base = 0): number[] {
  if (!shape || shape.length === 0) return [i + base];
  const idx: number[] = new Array(shape.length);
  let r = i;
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = (shape[d] > 0 ? r % shape[d] : 0) + base;
    r = shape[d] > 0 ? Math.floor(r / shape[d]) : 0;
  }
  return idx;
}

/** "[2, 0, 7]" for flat position `i` in `shape`. */
export function formatIndex(i: number, shape?: readonly number[]): string {
  return formatShape(unravelIndex(i, shape));
}

/** The first invalid value found by `firstInvalidValue`: where it is, what it is and what is wrong with it. */
export interface InvalidValue {
  /** Flat (row-major) position. */
  index: number;
  value: number;
  /** "is NaN", "is -1, below 0", … */
  problem: string;
}

/**
 * The first value of `data` that is not finite or breaks `rule` (null when every value is valid).
 * One pass, no allocation: inputs are checked at the boundary, where a NaN would otherwise turn
 * into zeros, a perfect score or a p-value of 1 further on.
 */
export function firstInvalidValue(data: ArrayLike<number>, rule: ValueRule = {}): InvalidValue | null {
  const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY, integer = false } = rule;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v))) continue;
    const problem = !Number.isFinite(v)
      ? `is ${v}`
      : v < min
        ? `is ${v}, below ${min}`
        : v > max
          ? `is ${v}, above ${max}`
          : `is ${v}, not a whole number`;
    return { index: i, value: v, problem };
  }
  return null;
}

/**
 * Throws `RangeError("<what>: element [0, 3] is NaN (expected finite values ≥ 0)")` at the first
 * value that is not finite or breaks `rule`; `what` names the file and the variable.
 */
export function assertValues(what: string, data: ArrayLike<number>, shape?: readonly number[], rule: ValueRule = {}): void {
  const bad = firstInvalidValue(data, rule);
  if (bad) throw new ShapeError(`${what}: element ${formatIndex(bad.index, shape)} ${bad.problem} (expected ${describeValueRule(rule)})`);
}

/** "finite whole numbers ≥ 0" for a rule. */
export function describeValueRule(rule: ValueRule = {}): string {
  const parts = [`finite ${rule.integer ? 'whole numbers' : 'values'}`];
  if (rule.min != null && rule.max != null) parts.push(`in [${rule.min}, ${rule.max}]`);
  else if (rule.min != null) parts.push(`≥ ${rule.min}`);
  else if (rule.max != null) parts.push(`≤ ${rule.max}`);
  return parts.join(' ');
}

/** NDArray → tf.Tensor (float32; integer arrays are converted). */
export function toTensor(x: NDArray<NumericArray>): Tensor {
  sizeOf(x.shape);
  if (x.data.length !== sizeOf(x.shape)) {
    throw new ShapeError(`toTensor: data has ${x.data.length} elements but shape ${formatShape(x.shape)} needs ${sizeOf(x.shape)}`);
  }
  const data = x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
  return tf.tensor(data, x.shape, 'float32');
}

/** tf.Tensor → NDArray (float32), asynchronously (does not block a GPU backend). */
export async function fromTensor(t: Tensor): Promise<NDArray> {
  const data = await t.data();
  return { data: data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>), shape: [...t.shape] };
}

/** tf.Tensor → NDArray (float32), synchronously. */
export function fromTensorSync(t: Tensor): NDArray {
  const data = t.dataSync();
  return { data: data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>), shape: [...t.shape] };
}
