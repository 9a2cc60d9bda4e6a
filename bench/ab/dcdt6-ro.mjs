import { initKernels, kernels, Rng, setKernelThreads } from '@wmkit/tensor';

process.env.WMKIT_THREADS ??= '2';
await initKernels();
const k = kernels();
const rng = new Rng(1);
const B = 128,
  T = 56,
  K = 2;
const a = {
  B,
  T,
  K,
  end: T,
  sigmoid: true,
  loss: 'mse',
  O: k.from(rng.normal(T * B * K)),
  bOut: k.from(rng.normal(K)),
  z: k.from(rng.uniform(B * T * K, 0, 1)),
  mask: k.from(rng.uniform(B * T * K, 0, 1)),
  out: k.buffer(B * T * K),
  dO: k.buffer(B * T * K),
  lossPerTrial: k.buffer(2 * B),
};
const res = { 1: [], 2: [] };
for (let r = 0; r < 15; r++)
  for (const th of r % 2 ? [2, 1] : [1, 2]) {
    setKernelThreads(th);
    k.readoutLoss(a);
    const t0 = performance.now();
    for (let i = 0; i < 40; i++) k.readoutLoss(a);
    res[th].push(((performance.now() - t0) / 40) * 1000);
  }
const med = (x) => x.slice().sort((p, q) => p - q)[x.length >> 1];
console.log(
  'readoutLoss 1 thread min',
  Math.min(...res[1]).toFixed(0),
  'med',
  med(res[1]).toFixed(0),
  '| 2 threads min',
  Math.min(...res[2]).toFixed(0),
  'med',
  med(res[2]).toFixed(0),
  'µs',
);
