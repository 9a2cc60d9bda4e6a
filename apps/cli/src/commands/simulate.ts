import type { Command } from 'commander';
import { UsageError } from '../errors';
import { parseIntOption } from './ei-rnn/common';
import { type SimulateEiOptions, simulateEiRun } from './ei-rnn/simulate';

export function registerSimulate(program: Command): void {
  program
    .command('simulate <run>')
    .description("run a trained model on fresh trials and save outputs (and, with --spiking, the LIF network's spike raster)")
    .option('--trials <n>', 'trials to simulate', parseIntOption('trials'), 100)
    .option('--spiking', 'use the converted LIF network (after `wmkit convert lif`)')
    .option('--delay <which>', "DMS delay: 'short' (50 ms) or 'long' (750 ms)", 'short')
    .option('--raster-trials <n>', 'trials whose spikes are all saved', parseIntOption('raster-trials'), 5)
    .option('--out <dir>', 'run directory (default: <run>/simulate or <run>/simulate-spiking)')
    .action(async (run: string, o: SimulateEiOptions) => {
      if (o.delay !== 'short' && o.delay !== 'long') throw new UsageError(`--delay must be 'short' or 'long', got '${o.delay}'`);
      process.exitCode = await simulateEiRun(run, o);
    });
}
