/** Worker thread: one point of a delay-network parameter scan (see commands/delay-snn/scan.ts). */
import { parentPort } from 'node:worker_threads';
import { type HdSnnConfig, runScanPoint, type ScanParam } from '@wmkit/delay-snn';
import { initKernels } from '@wmkit/tensor';

export interface HdScanJob {
  config: HdSnnConfig;
  param: ScanParam;
  value: number;
}

parentPort?.on('message', async (job: HdScanJob) => {
  try {
    await initKernels();
    parentPort?.postMessage({ type: 'done', result: runScanPoint(job.config, job.param, job.value) });
  } catch (err) {
    parentPort?.postMessage({ type: 'error', message: (err as Error).message, name: (err as Error).name });
  }
});
