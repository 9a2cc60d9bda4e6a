import type { Command } from 'commander';
import { UsageError } from '../errors';
import { parseIntOption, parseNumberOption } from '../options';
import { simulateAttractor } from './attractors/simulate';
import { type SimulateEiOptions, simulateEiRun } from './ei-rnn/simulate';

interface SimulateOptions extends SimulateEiOptions {
  model?: string;
  seed: number;
  traces: number;
  cues?: string;
  workers?: number;
  force?: boolean;
  delayMs?: number;
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate <target>')
    .description(
      'simulate a model. <target> is `attractor` (a Wimmer et al. 2014 ring model: --model bump|discrete|decaying) or a trained E/I RNN run directory',
    )
    .option('--model <name>', 'attractor: bump, discrete or decaying')
    .option('--trials <n>', 'trials to simulate (attractor default 16000; run default 100)', parseIntOption('trials', 1))
    .option('--delay <which>', "attractor: delay in ms (default 2000, as the scripts; the monkeys had 3000). run: DMS 'short' or 'long'")
    .option('--out <dir>', 'run directory (attractor default runs/<model>; run default <run>/simulate[-spiking])')
    .option('--seed <n>', 'random seed (attractor)', parseIntOption('seed', 0), 1)
    .option(
      '--cues <deg,...>',
      'attractor: cue angles in degrees, each one of the 8 positions 0, 45, …, 315; trials cycle through them (default: all 8, balanced)',
    )
    .option('--traces <n>', 'attractor: trials whose full rate traces are saved', parseIntOption('traces', 0), 3)
    .option('--workers <n>', 'attractor: worker threads (default: all cores)', parseIntOption('workers', 1))
    .option('--spiking', 'run: use the converted LIF network (after `wmkit convert lif`)')
    .option('--raster-trials <n>', 'run: trials whose spikes are all saved', parseIntOption('raster-trials', 0), 5)
    .option('--force', 'replace an existing run in --out')
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit simulate attractor --model bump --trials 16000 --out runs/bump\n  wmkit simulate attractor --model discrete --cues 90 --trials 2000\n  wmkit simulate runs/dms-1 --spiking --trials 100',
    )
    .action(async (target: string, o: SimulateOptions) => {
      if (target === 'attractor') {
        const delay = o.delay == null ? 2000 : parseNumberOption('delay')(String(o.delay));
        process.exitCode = await simulateAttractor({ ...o, trials: o.trials ?? 16000, delay });
        return;
      }
      if (o.cues != null) throw new UsageError('--cues is an option of `wmkit simulate attractor`; a DMS trial set draws its own stimuli');
      const delay = (o.delay ?? 'short') as string;
      if (delay !== 'short' && delay !== 'long')
        throw new UsageError(`--delay for an E/I RNN run must be 'short' or 'long', got '${delay}'`);
      process.exitCode = await simulateEiRun(target, { ...o, trials: o.trials ?? 100, delay });
    });
}
