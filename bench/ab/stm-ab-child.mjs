/**
 * One DCDT training run for bench/ab/stm-ab.mjs: trains the Kurtkaya network (delay 200 ms, full
 * batch of 128, lr 0.01) for a warm-up of 2 epochs, then `epochs` epochs measured; prints JSON with
 * the process CPU ms per epoch (all kernel threads), wall ms per epoch and a digest of the trained
 * weights and losses. WMKIT_THREADS sets the kernel threads.
 */
import { createHash } from 'node:crypto';
import { KURTKAYA2025_RNN, trainStm } from '@wmkit/ei-rnn';
import { stmTask } from '@wmkit/tasks';
import { initKernels, Rng } from '@wmkit/tensor';

const epochs = Number(process.argv[2] ?? 20);
await initKernels();
trainStm(stmTask({ delayMs: 200 }), KURTKAYA2025_RNN, new Rng(1), { lr: 0.01, epochs: 2 });
const c0 = process.cpuUsage();
const t0 = performance.now();
const r = trainStm(stmTask({ delayMs: 200 }), KURTKAYA2025_RNN, new Rng(1), { lr: 0.01, epochs });
const c = process.cpuUsage(c0);
const wall = performance.now() - t0;
const h = createHash('sha256');
for (const k of ['w', 'wIn', 'bias', 'wOut', 'bOut']) {
  const v = r.model[k];
  const a = v instanceof Float32Array ? v : v?.dataSync ? v.dataSync() : (v?.data ?? v);
  h.update(Buffer.from(new Float32Array(a).buffer));
}
h.update(Buffer.from(new Float64Array(r.loss).buffer));
console.log(
  JSON.stringify({
    cpuMsPerEpoch: (c.user + c.system) / 1000 / epochs,
    wallMsPerEpoch: wall / epochs,
    digest: h.digest('hex').slice(0, 16),
  }),
);
