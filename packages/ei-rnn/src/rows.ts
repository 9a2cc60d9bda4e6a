/** Row-wise helpers for [rows, N] row-major buffers (internal; not part of the package's API). */

/** d[r, i] += bias[i] for every row r. */
export function addRowBias(d: Float32Array, bias: ArrayLike<number>): void {
  const N = bias.length;
  for (let o = 0; o < d.length; o += N) for (let i = 0; i < N; i++) d[o + i] += bias[i];
}

/** out[i] = Σ_r d[r, i], summed in float64. */
export function sumRows(d: Float32Array, out: Float32Array): void {
  const N = out.length;
  const acc = new Float64Array(N);
  for (let o = 0; o < d.length; o += N) for (let i = 0; i < N; i++) acc[i] += d[o + i];
  out.set(acc);
}
