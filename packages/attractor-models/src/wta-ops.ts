/**
 * Winner-take-all as a reusable operation (Maass 2000; docs/models/wta-sparse.md §WTA as an operation), along the last
 * axis of a tensor (or on a plain array):
 * - `hardWta`: 1 for the largest input, 0 elsewhere (ties → lowest index);
 * - `kWta`: 1 for the k largest (exactly k; ties → lowest index). With `{ pass: true }` it returns
 *   x·mask instead, whose gradient flows through the k winners (the mask itself is constant) —
 *   a k-WTA layer usable inside trained models;
 * - `softWta`: softmax(x/T), the differentiable soft WTA (T → 0 approaches the hard one; the
 *   outputs keep the inputs' rank order);
 * - `rankWta`: Maass's soft-WTA read-out, r_i = max(0, 1 − rank_i/k) (rank 0 = the largest), analog
 *   outputs that depend on the rank alone.
 */
import { ShapeError, type Tensor, tf } from '@wmkit/tensor';

function lastAxis(x: Tensor, what: string): number {
  if (x.rank < 1) throw new ShapeError(`${what}: needs at least a 1-D tensor (got a scalar)`);
  return x.shape[x.rank - 1];
}

/** One-hot of the largest entry along the last axis. */
export function hardWta(x: Tensor): Tensor {
  const n = lastAxis(x, 'hardWta');
  return tf.tidy(() => tf.oneHot(tf.argMax(x, -1), n, 1, 0, 'float32'));
}

/** The k largest entries along the last axis: a 0/1 mask, or x·mask with `{ pass: true }`. */
export function kWta(x: Tensor, k: number, o: { pass?: boolean } = {}): Tensor {
  const n = lastAxis(x, 'kWta');
  if (!(Number.isInteger(k) && k >= 1 && k <= n))
    throw new ShapeError(`kWta: k = ${k} must be an integer in [1, ${n}] (the last axis has ${n} entries)`);
  // The mask is built from the values (ties → lowest index), outside the gradient tape: it is
  // a constant, so gradients of x·mask flow through the winners only (TopK has no gradient).
  const data = x.dataSync();
  const rows = data.length / n;
  const mask = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) mask.set(kWtaArray(data.subarray(r * n, (r + 1) * n), k), r * n);
  const m = tf.tensor(mask, x.shape, 'float32');
  if (!o.pass) return m;
  const out = tf.mul(x, m);
  m.dispose();
  return out;
}

/** softmax(x/T) along the last axis. */
export function softWta(x: Tensor, o: { temperature?: number } = {}): Tensor {
  lastAxis(x, 'softWta');
  const T = o.temperature ?? 1;
  if (!(T > 0)) throw new ShapeError(`softWta: temperature ${T} must be > 0`);
  return tf.tidy(() => tf.softmax(T === 1 ? x : tf.div(x, T)));
}

/** Ranks along a plain array (0 = largest; ties → lower index ranks first). */
function ranks(x: ArrayLike<number>): Int32Array {
  const idx = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[b] - x[a] || a - b);
  const r = new Int32Array(x.length);
  idx.forEach((i, k) => {
    r[i] = k;
  });
  return r;
}

/** k-WTA on a plain array: 1 for the k largest (exactly k). */
export function kWtaArray(x: ArrayLike<number>, k: number): Uint8Array {
  if (!(Number.isInteger(k) && k >= 1 && k <= x.length)) throw new ShapeError(`kWtaArray: k = ${k} must be an integer in [1, ${x.length}]`);
  const r = ranks(x);
  const out = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = r[i] < k ? 1 : 0;
  return out;
}

/** Maass's rank-based soft WTA: r_i = max(0, 1 − rank_i/k). */
export function rankWta(x: ArrayLike<number>, k: number): Float32Array {
  if (!(Number.isInteger(k) && k >= 1)) throw new ShapeError(`rankWta: k = ${k} must be a positive integer`);
  const r = ranks(x);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.max(0, 1 - r[i] / k);
  return out;
}
