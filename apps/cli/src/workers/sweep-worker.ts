/**
 * Worker thread of `wmkit sweep run` (and of `reproduce kim2021`'s steps): runs one wmkit command
 * in this thread (its own tensor backend and module state), with its console output going to the
 * run's log file. Answers the command's exit code.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { defineWorker } from '@wmkit/papers/node';
import { formatError } from '../errors';
import { main } from '../main';

export interface SweepJob {
  args: string[];
  log: string;
}

export default defineWorker(async (job: SweepJob): Promise<number> => {
  mkdirSync(dirname(job.log), { recursive: true });
  const write = (...xs: unknown[]) => appendFileSync(job.log, `${xs.map(String).join(' ')}\n`);
  console.log = write;
  console.error = write;
  console.warn = write;
  write(`$ wmkit ${job.args.join(' ')}`);
  try {
    return await main(['node', 'wmkit', ...job.args]);
  } catch (err) {
    write(formatError(err));
    return 1;
  }
});
