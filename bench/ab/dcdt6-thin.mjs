/**
 * The thin products of the DCDT epoch (T·B = 7168 rows, N = 100, K = 2) of the working tree's
 * build against a before build (packages/tensor/node_modules/.ab-dcdt5), one thread, interleaved in
 * one process: wall µs per call, min and median of rounds.   node bench/ab/dcdt6-thin.mjs [rounds]
 * (Session 7 also ran it on 1 vs 2 kernel threads: two were slower for every one of these.)
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
process.env.WMKIT_THREADS = '1';
const builds = {
  before: await import(pathToFileURL(path.join(root, 'packages/tensor/node_modules/.ab-dcdt5/index.js')).href),
  after: await import('@wmkit/tensor'),
};
const M = 7168;
const N = 100;
const K = 2;
const ops = {};
for (const [name, t] of Object.entries(builds)) {
  await t.initKernels();
  const k = t.kernels();
  const rng = new t.Rng(1);
  const Y = k.from(rng.normal(M * N));
  const W = k.from(rng.normal(K * N));
  const O = k.buffer(M * K);
  const dO = k.from(rng.normal(M * K));
  const dY = k.buffer(M * N);
  const dW = k.buffer(K * N);
  const u = k.from(rng.normal(M * K).map((x, i) => (i % 7 ? 0 : x)));
  const cue = k.from(rng.normal(M * K).map((x, i) => (i < 6 * 128 * K ? x : 0))); // (a cue in the first 6 of 56 steps)
  ops[name] = {
    abt: () => k.matmulABt(M, N, K, Y, W, O),
    ab: () => k.matmulAB(M, K, N, dO, W, dY),
    atb: () => k.matmulAtB(M, K, N, dO, Y, dW),
    'ab-u': () => k.matmulAB(M, K, N, u, W, dY),
    'ab-cue': () => k.matmulAB(M, K, N, cue, W, dY),
  };
}
const rounds = Number(process.argv[2] ?? 15);
const reps = 40;
const res = {};
for (let r = 0; r < rounds; r++)
  for (const b of r % 2 ? ['after', 'before'] : ['before', 'after'])
    for (const [name, f] of Object.entries(ops[b])) {
      f();
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) f();
      res[name] ??= { before: [], after: [] };
      res[name][b].push(((performance.now() - t0) / reps) * 1000);
    }
const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
for (const [name, v] of Object.entries(res))
  console.log(
    name,
    `before: min ${Math.min(...v.before).toFixed(0)} med ${med(v.before).toFixed(0)} µs; after: min ${Math.min(...v.after).toFixed(0)} med ${med(v.after).toFixed(0)} µs`,
  );
