/** Worker thread: one condition (circuit, noise, N) of `wmkit reproduce kriener2020`. */
import { parentPort } from 'node:worker_threads';
import { runWtaConditions, type WtaCondition } from '@wmkit/attractor-models';
import { Rng } from '@wmkit/tensor';

export interface WtaJob {
  condition: WtaCondition;
  seed: number;
}

parentPort?.on('message', (job: WtaJob) => {
  try {
    const [summary] = runWtaConditions([job.condition], new Rng(job.seed));
    parentPort?.postMessage({ type: 'done', result: summary });
  } catch (err) {
    parentPort?.postMessage({ type: 'error', message: (err as Error).message, name: (err as Error).name });
  }
});
