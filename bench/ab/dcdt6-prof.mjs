import { KURTKAYA2025_RNN, trainStm } from '@wmkit/ei-rnn';
import { stmTask } from '@wmkit/tasks';
import { initKernels, Rng } from '@wmkit/tensor';

await initKernels();
const task = stmTask({ delayMs: 200 });
console.log('T', task.timeline.steps);
const t0 = performance.now();
const c0 = process.cpuUsage();
trainStm(task, KURTKAYA2025_RNN, new Rng(1), { lr: 0.01, epochs: Number(process.argv[2] ?? 200) });
const c = process.cpuUsage(c0);
console.log('wall', performance.now() - t0, 'cpu', (c.user + c.system) / 1000);
