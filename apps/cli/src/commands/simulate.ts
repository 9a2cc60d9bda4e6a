import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../errors';
import {
  addConfigOptions,
  type ConfigOptionValues,
  parseEngine,
  parseIntOption,
  parseNumberOption,
  printConfigIfAsked,
  resolveOptionConfig,
  schemaParser,
} from '../options';
import { parseTaskName, RECORDED_TASK_HELP } from '../options-models';
import { simulateAttractor } from './attractors/simulate';
import { simulateCompteCommand } from './compte2000/simulate';
import { type SimulateEiOptions, simulateEiRun } from './ei-rnn/simulate';

interface SimulateOptions extends SimulateEiOptions, ConfigOptionValues {
  model?: string;
  seed?: number;
  traces?: number;
  cues?: string;
  workers?: number;
  force?: boolean;
  delayMs?: number;
  preset?: string;
  set?: string[];
  size?: string;
  distractor?: string;
  engine?: 'kernels' | 'tfjs';
}

/** What `simulate <run>` (an E/I RNN run) records as its config: the trials it simulates. */
const eiSimulationSchema = z.strictObject({
  trials: z.number().int().min(1),
  delay: z.enum(['short', 'long']),
  spiking: z.boolean(),
  rasterTrials: z.number().int().min(0),
});
export function registerSimulate(program: Command): void {
  const cmd = program
    .command('simulate <target>')
    .description(
      'simulate a model. <target> is `attractor` (a Wimmer et al. 2014 ring model: --model bump|discrete|decaying), `compte2000` (the Compte et al. 2000 spiking ring) or a trained E/I RNN run directory (on the DMS, AFC or Go/NoGo task it was trained on)',
    )
    .option('--model <name>', 'attractor: bump, discrete or decaying')
    .option('--trials <n>', 'trials to simulate (attractor default 16000; run default 100)', parseIntOption('trials', 1))
    .option('--delay <which>', "attractor: delay in ms (default 2000, as the scripts; the monkeys had 3000). run: DMS 'short' or 'long'")
    .option('--out <dir>', 'run directory (attractor default runs/<model>; run default <run>/simulate[-spiking])')
    .option('--seed <n>', 'random seed (attractor; default 1, or the --from run’s)', parseIntOption('seed', 0))
    .option(
      '--cues <deg,...>',
      'attractor: cue angles in degrees, each one of the 8 positions 0, 45, …, 315; trials cycle through them (default: all 8, balanced)',
    )
    .option('--traces <n>', 'attractor: trials whose full rate traces are saved (default 3)', parseIntOption('traces', 0))
    .option('--workers <n>', 'attractor: worker threads (default: all cores)', parseIntOption('workers', 1))
    .option('--spiking', 'run: use the converted LIF network (after `wmkit convert lif`)')
    .option('--task <name>', `run: ${RECORDED_TASK_HELP}`, parseTaskName)
    .option('--raster-trials <n>', 'run: trials whose spikes are all saved', parseIntOption('raster-trials', 0), 5)
    .option('--force', 'replace an existing run in --out')
    .option('--preset <name>', 'compte2000: ndx3 (default; 1024 E + 256 I) or paper (2048 E + 512 I)')
    .option('--size <n>', 'compte2000: network size N_E (N_I = N_E/4) or N_E+N_I, e.g. 2048+512')
    .option('--distractor <angle,nA,ms>', 'compte2000: distractor at angle (deg) with strength (nA), onset ms into the delay')
    .option(
      '--engine <name>',
      'kernels (the default: the wasm kernels; compte2000: typed arrays on worker threads) or tfjs (TensorFlow.js ops on the selected backend; compte2000: the trials batched in one thread); recorded in run.json metrics.engine',
      parseEngine,
      'kernels',
    );
  addConfigOptions(cmd, 'sigmaESqrtMs=2')
    .addHelpText(
      'after',
      '\nAttractor config (run.json config; --config, --set, --from): the ring model’s parameters (name, NE, NI, dtMs, tauEMs,\n' +
        'tauIMs, connectivity.kind/kappa/populations, GEE, GEI, GIE, GII, I0E, I0I, sigmaESqrtMs, sigmaISqrtMs, stimAmp,\n' +
        'stimKappa, eraseAmp, intrinsic.tauMs/a/gateSlope/gateThreshold; Wimmer et al. 2014, Supplementary Codes 1–3) and\n' +
        'the protocol (trials, delayMs, traces, cuesDeg). Noise is in √ms: a step of dtMs draws SD sigmaESqrtMs/√dtMs, so\n' +
        'changing dtMs keeps the noise process (the scripts’ SD 1 per 2-ms step is sigmaESqrtMs 1.414).\n' +
        'Order: --model (or --from) → --config → --set → --trials/--delay/--traces/--cues.\n' +
        '\nExamples:\n  wmkit simulate attractor --model bump --trials 16000 --out runs/bump\n  wmkit simulate attractor --model discrete --cues 90 --trials 2000\n' +
        '  wmkit simulate attractor --model bump --set sigmaESqrtMs=2 --set connectivity.kappa=2 --print-config\n' +
        '  wmkit simulate attractor --from runs/bump --out runs/bump-again\n  wmkit simulate runs/dms-1 --spiking --trials 100\n' +
        '  wmkit simulate attractor --model bump --trials 200 --engine tfjs\n' +
        '  wmkit simulate compte2000 --size 256 --trials 4 --set connectivity.sigmaDeg=18 --print-config\n' +
        '  wmkit simulate runs/dms-1 --from runs/dms-1/simulate --out runs/dms-1/simulate-again\n' +
        '  wmkit simulate runs/afc-1 --task afc --trials 50\n' +
        '\ncompte2000 config (--config, --set, --from): the network’s (the preset with --size, --delay and --distractor; e.g.\n' +
        'connectivity.sigmaDeg, protocol.delayMs); --from takes a run’s network and seed.\n' +
        '\nRun config (simulate <run>; --config, --set, --from): trials, delay (short | long), spiking, rasterTrials; the\n' +
        'options typed on the command line override them.\n' +
        '\nWrites (attractor): run.json, cue.npy, cue_angle.npy, response.npy, delay_rates.npy [trial, neuron], decoded_angle.npy\n' +
        '  [trial, 50-ms bin], record_times_ms.npy, neuron_angle.npy, traces.npy [trial, bin, neuron] (with --traces > 0),\n' +
        '  responses.svg, diffusion.svg, bump_trial0.svg.\n' +
        'Writes (<run>): <run>/simulate (or simulate-spiking, or --out): run.json (accuracy), outputs.npy, inputs.npy,\n' +
        '  condition_<name>.npy; rate runs rates.npy; spiking runs output_max.npy, output_min.npy, mean_rate_hz.npy,\n' +
        '  spike_trial.npy, spike_unit.npy, spike_time_ms.npy, raster.svg; outputs.svg',
    )
    .action(async (target: string, o: SimulateOptions, cmd: Command) => {
      if (o.task != null && (target === 'attractor' || target === 'compte2000'))
        throw new UsageError(`--task is an option of \`wmkit simulate <run>\` (a trained E/I RNN); ${target} has no task to choose`);
      if (target === 'attractor' || target === 'compte2000') {
        // attractor and compte2000 take --delay in ms
        const delay = o.delay == null ? undefined : parseNumberOption('delay')(String(o.delay));
        process.exitCode = await (target === 'attractor' ? simulateAttractor({ ...o, delay }) : simulateCompteCommand({ ...o, delay }));
        return;
      }
      for (const k of ['preset', 'size', 'distractor'] as const)
        if (o[k] != null) throw new UsageError(`--${k} is an option of \`wmkit simulate compte2000\``);
      if (o.cues != null) throw new UsageError('--cues is an option of `wmkit simulate attractor`; a DMS trial set draws its own stimuli');
      if (o.delay != null && o.delay !== 'short' && o.delay !== 'long')
        throw new UsageError(`--delay for an E/I RNN run must be 'short' or 'long', got '${o.delay}'`);
      // the E/I run's simulation protocol: defaults → --from → --config → --set → typed options
      const { config } = resolveOptionConfig(o, cmd, {
        base: { trials: 100, delay: 'short', spiking: false, rasterTrials: 5 },
        parse: schemaParser(eiSimulationSchema),
        kinds: ['ei-rnn.simulate'],
        fromRecorded: (rec) => {
          const r = (rec ?? {}) as Record<string, unknown>;
          return { trials: r.trials, delay: r.delay ?? 'short', spiking: r.spiking, rasterTrials: r.rasterTrials ?? 5 };
        },
        options: { trials: 'trials', delay: 'delay', spiking: 'spiking', rasterTrials: 'rasterTrials' },
      });
      if (printConfigIfAsked(o, config)) return;
      process.exitCode = await simulateEiRun(target, { ...o, ...config });
    });
}
