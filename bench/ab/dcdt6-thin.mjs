/**
 * Thin products of the DCDT epoch (T·B = 7168 rows, N = 100, K = 2) on 1 vs 2 kernel threads,
 * interleaved in one process: wall µs per call (min and median of rounds), and the 1-thread time
 * for comparison. node bench/ab/dcdt6-thin.mjs [rounds]
 */
import { initKernels, kernels, Rng, setKernelThreads } from '@wmkit/tensor';

process.env.WMKIT_THREADS ??= '2';
await initKernels();
const k = kernels();
const rng = new Rng(1);
const M = 7168,
  N = 100,
  K = 2;
const Y = k.from(rng.normal(M * N)),
  W = k.from(rng.normal(K * N)),
  O = k.buffer(M * K),
  dO = k.from(rng.normal(M * K));
const dY = k.buffer(M * N),
  dW = k.buffer(K * N);
const u = k.from(rng.normal(M * K).map((x, i) => (i % 7 ? 0 : x)));
const ops = {
  abt: () => k.matmulABt(M, N, K, Y, W, O),
  ab: () => k.matmulAB(M, K, N, dO, W, dY),
  atb: () => k.matmulAtB(M, K, N, dO, Y, dW),
  'ab-u': () => k.matmulAB(M, K, N, u, W, dY),
};
const rounds = Number(process.argv[2] ?? 15),
  reps = 40;
const res = {};
for (let r = 0; r < rounds; r++)
  for (const th of r % 2 ? [2, 1] : [1, 2]) {
    setKernelThreads(th);
    for (const [name, f] of Object.entries(ops)) {
      f();
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) f();
      (res[name] ??= { 1: [], 2: [] })[th].push(((performance.now() - t0) / reps) * 1000);
    }
  }
const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
for (const [name, v] of Object.entries(res))
  console.log(
    name,
    `1 thread: min ${Math.min(...v[1]).toFixed(0)} med ${med(v[1]).toFixed(0)} µs; 2 threads: min ${Math.min(...v[2]).toFixed(0)} med ${med(v[2]).toFixed(0)} µs`,
  );
