/**
 * Option parsers of the model commands (ei-rnn), beside the shared ones in options.ts, and the
 * option table the ei-rnn analysis and experiment commands share.
 */
import { MIN_TIMESCALE_TRIALS } from '@wmkit/analysis';
import { type EiRnnTaskName, KIM_INVERSE_SCALE_GRID } from '@wmkit/ei-rnn';
import type { TimescaleEstimator } from '@wmkit/papers';
import type { Command } from 'commander';
import { UsageError } from './errors';
import { parseEngine, parseIntOption, parseListOption, parsePositiveOption } from './options';

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

/** One option of a table: flags, help, parser and default. */
type OptionDecl = readonly [flags: string, help: string, parse?: (v: string) => unknown, defaultValue?: unknown];

/**
 * The options the ei-rnn commands share, declared once with their help, parser and default; a
 * command takes them by name (`addEiOptions`), with its own help or default where the option
 * means something specific there.
 */
export const EI_OPTIONS = {
  trials: ['--trials <n>', 'task trials', parseIntOption('trials', 1)],
  grid: ['--grid <list>', 'values of 1/λ to try', parseListOption('grid'), [...KIM_INVERSE_SCALE_GRID]],
  timescaleTrials: [
    '--timescale-trials <n>',
    `spontaneous trials for timescales (≥ ${MIN_TIMESCALE_TRIALS})`,
    parseIntOption('timescale-trials', MIN_TIMESCALE_TRIALS),
    50,
  ],
  task: ['--task <name>', RECORDED_TASK_HELP, parseTaskName],
  permutations: ['--permutations <n>', 'shuffles for the p values', parseIntOption('permutations', 10), 5000],
  out: ['--out <dir>', 'run directory to write'],
  force: ['--force', 'replace an existing run in --out'],
  engine: ['--engine <name>', 'kernels (the wasm kernels) or tfjs (TensorFlow.js ops on the selected backend)', parseEngine],
} as const satisfies Record<string, OptionDecl>;

/** Adds the named `EI_OPTIONS` in the order given: `true`, or `[help, default]` of this command (either may be left undefined). */
export function addEiOptions(
  cmd: Command,
  take: { [K in keyof typeof EI_OPTIONS]?: true | readonly [help?: string, defaultValue?: unknown] },
): Command {
  for (const [name, own] of Object.entries(take)) {
    const [flags, help, parse, defaultValue] = EI_OPTIONS[name as keyof typeof EI_OPTIONS] as OptionDecl;
    const [ownHelp, ownDefault] = own === true ? [] : own;
    const value = ownDefault !== undefined ? ownDefault : defaultValue;
    if (parse) cmd.option(flags, ownHelp ?? help, parse, value);
    else cmd.option(flags, ownHelp ?? help, value as string | undefined);
  }
  return cmd;
}

/** A commander action that runs `f` and sets the process exit code to what it returns. */
export function exitWith<A extends unknown[]>(f: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    process.exitCode = await f(...args);
  };
}

/** The values of `addSpikeOptions` and `addSpikeOut`. */
export interface SpikeOptionValues {
  spikes?: string;
  binMs?: number;
  windowMs?: number;
  out?: string;
  force?: boolean;
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
  return addEiOptions(cmd, { out: [`run directory for --spikes (default runs/${name}-<file>)`], force: true });
}

/** The action of an analysis of a model run or of `--spikes` (one of them; `spikesWith` names what --spikes needs). */
export function runOrSpikes<O extends { spikes?: string }>(
  f: (run: string | undefined, o: O) => Promise<number>,
  spikesWith = 'with recorded spikes',
) {
  return exitWith(async (run: string | undefined, o: O) => {
    if (o.spikes && run) throw new UsageError('give either a model run or --spikes <file>, not both');
    if (!o.spikes && !run) throw new UsageError(`give a model run (e.g. runs/dms-1) or --spikes <file> ${spikesWith}`);
    return f(run, o);
  });
}
