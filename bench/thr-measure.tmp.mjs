// temporary measurement script (not committed): DCDT epochs and kernel matmul at 1 and 2 threads, interleaved
import { KURTKAYA2025_RNN, trainStm } from '@wmkit/ei-rnn';
import { stmTask } from '@wmkit/tasks';
import { initKernels, Rng, setKernelThreads } from '@wmkit/tensor';
const k = await initKernels();
const epochs = Number(process.argv[2] ?? 20), rounds = Number(process.argv[3] ?? 3);
const n = 512, rng = new Rng(1);
const A = k.from(rng.fillNormal(new Float32Array(n * n))), B = k.from(rng.fillNormal(new Float32Array(n * n))), C = k.buffer(n * n);
const res = { dcdt1: [], dcdt2: [], mm1: [], mm2: [] };
for (let r = 0; r < rounds; r++) for (const th of [1, 2]) {
  setKernelThreads(th);
  const t = trainStm(stmTask({ delayMs: 200 }), KURTKAYA2025_RNN, new Rng(1), { lr: 0.01, epochs });
  res[`dcdt${th}`].push((t.seconds / epochs) * 1000);
  const ts = []; k.matmulABt(n, n, n, A, B, C);
  for (let i = 0; i < 7; i++) { const t0 = performance.now(); k.matmulABt(n, n, n, A, B, C); ts.push(performance.now() - t0); }
  ts.sort((a, b) => a - b); res[`mm${th}`].push((2 * n ** 3) / ts[3] / 1e6);
}
const med = (x) => x.slice().sort((a, b) => a - b)[Math.floor(x.length / 2)];
for (const [key, v] of Object.entries(res)) console.log(key, med(v).toFixed(2), v.map((x) => x.toFixed(1)).join(' '));
