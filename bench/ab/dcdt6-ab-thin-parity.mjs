/**
 * Thin A·B (K = 2: gemm_ab_k2; K = 1, 3, 4: gemm_ab as before) of the working tree's build against a before build
 * (packages/tensor/node_modules/.ab-dcdt5, gemm_ab): random shapes, zeros (whole 4-row blocks and
 * single entries), -0, accumulate on and off; prints the number of products whose bytes differ.
 *   node bench/ab/dcdt6-ab-thin-parity.mjs
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const after = await import('@wmkit/tensor');
const before = await import(pathToFileURL(path.join(root, 'packages/tensor/node_modules/.ab-dcdt5/index.js')).href);
await after.initKernels();
await before.initKernels();
const ka = after.kernels();
const kb = before.kernels();
const rng = new after.Rng(5);
let n = 0;
let bad = 0;
const run = (k, M, K, P, A, Bm, C0, acc) =>
  k.scope(() => {
    const C = k.from(C0);
    k.matmulAB(M, K, P, k.from(A), k.from(Bm), C, acc);
    return new Uint8Array(C.copy().buffer);
  });
for (let it = 0; it < 400; it++) {
  const M = 1 + Math.floor(rng.uniform(1, 0, 1)[0] * 300);
  const K = it % 4 === 0 ? 1 + (it % 3) : 2; // (mostly K = 2: gemm_ab_k2)
  const P = 1 + Math.floor(rng.uniform(1, 0, 1)[0] * 70);
  const A = rng.normal(M * K).map((x, i) => (it % 3 === 0 && Math.floor(i / (4 * K)) % 2 ? 0 : i % 5 === 0 ? 0 : i % 17 === 0 ? -0 : x));
  const Bm = rng.normal(K * P).map((x, i) => (i % 11 === 0 ? -0 : x));
  const C0 = rng.normal(M * P).map((x, i) => (i % 7 === 0 ? -0 : x));
  for (const acc of [false, true]) {
    n++;
    const x = run(ka, M, K, P, A, Bm, C0, acc);
    const y = run(kb, M, K, P, A, Bm, C0, acc);
    if (x.length !== y.length || x.some((v, i) => v !== y[i])) bad++;
  }
}
console.log(JSON.stringify({ products: n, differ: bad, relaxed: after.kernelInfo?.()?.relaxedSimd }));
