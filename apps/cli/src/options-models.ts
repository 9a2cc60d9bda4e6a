/** Option parsers of the model commands (ei-rnn), beside the shared ones in options.ts. */
import type { EiRnnTaskName } from '@wmkit/ei-rnn';
import type { TimescaleEstimator } from '@wmkit/papers';
import type { Command } from 'commander';
import { UsageError } from './errors';
import { parsePositiveOption } from './options';

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

/** A commander action that runs `f` and sets the process exit code to what it returns. */
export function exitWith<A extends unknown[]>(f: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    process.exitCode = await f(...args);
  };
}

/** `--spikes`, `--bin-ms` and `--window-ms` of an analysis that also reads recorded spikes. */
export function addSpikeOptions(
  cmd: Command,
  spikes = 'recorded spikes instead of a model: .npy, .mat or .nwb (layouts below)',
  window = 'analysis window from each trial’s start, for spike times',
): Command {
  return cmd
    .option('--spikes <file>', spikes)
    .option('--bin-ms <ms>', 'bin width for --spikes (default 50, or the file’s bin_ms)', parsePositiveOption('bin-ms'))
    .option('--window-ms <ms>', window, parsePositiveOption('window-ms'));
}

/** `--out` (for --spikes, default runs/<name>-<file>) and `--force`. */
export function addSpikeOut(cmd: Command, name: string): Command {
  return cmd
    .option('--out <dir>', `run directory for --spikes (default runs/${name}-<file>)`)
    .option('--force', 'replace an existing run in --out');
}

/** The action of an analysis of a model run or of `--spikes` (not both). */
export function runOrSpikes<O extends { spikes?: string }>(f: (run: string | undefined, o: O) => Promise<number>) {
  return exitWith(async (run: string | undefined, o: O) => {
    if (o.spikes && run) throw new UsageError('give either a model run or --spikes <file>, not both');
    return f(run, o);
  });
}
