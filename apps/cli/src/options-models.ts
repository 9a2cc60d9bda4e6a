/** Option parsers of the model commands (ei-rnn), beside the shared ones in options.ts. */
import type { EiRnnTaskName } from '@wmkit/ei-rnn';
import type { TimescaleEstimator } from '@wmkit/papers';
import { UsageError } from './errors';

/** `--task dms|afc|gonogo`. */
export function parseTaskName(v: string): EiRnnTaskName {
  if (v !== 'dms' && v !== 'afc' && v !== 'gonogo') throw new UsageError(`--task must be dms, afc or gonogo, got '${v}'`);
  return v;
}

/** `--estimator kim|unbiased`. */
export function parseEstimator(v: string): TimescaleEstimator {
  if (v !== 'kim' && v !== 'unbiased') throw new UsageError(`--estimator must be kim or unbiased, got '${v}'`);
  return v;
}

/** The help line of `--task` on a command that reads a trained run: the run's task, checked. */
export const RECORDED_TASK_HELP = "the run's task (dms, afc or gonogo); read from its run.json, a different value is refused";
