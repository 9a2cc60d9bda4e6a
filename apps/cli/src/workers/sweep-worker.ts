/**
 * Worker thread of `wmkit sweep run`: runs one wmkit command in this thread (its own tensor
 * backend and module state), with its console output going to the run's log file.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { formatError } from '../errors';
import { main } from '../main';

export interface SweepJob {
  args: string[];
  log: string;
}

parentPort?.on('message', async (job: SweepJob) => {
  mkdirSync(dirname(job.log), { recursive: true });
  const write = (...xs: unknown[]) => appendFileSync(job.log, `${xs.map(String).join(' ')}\n`);
  console.log = write;
  console.error = write;
  console.warn = write;
  write(`$ wmkit ${job.args.join(' ')}`);
  let code: number;
  try {
    code = await main(['node', 'wmkit', ...job.args]);
  } catch (err) {
    write(formatError(err));
    code = 1;
  }
  parentPort?.postMessage({ type: 'done', result: code });
});
