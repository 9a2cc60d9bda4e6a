/**
 * `wmkit reproduce compte2000 [--trials 32] [--quick]`: Compte et al. 2000 through `compte2000`
 * of @wmkit/papers (cue-only trials: raster, bump heat map, rate profile, drift; a distractor
 * grid; the Wimmer et al. 2014 analyses of the spikes), declared for the reproduce driver. Its
 * config is the network's (`--set connectivity.sigmaDeg=18`).
 */
import { type CompteConfig, parseCompteConfig } from '@wmkit/attractor-models';
import { compte2000Run } from '@wmkit/figures';
import { COMPTE_SURROGATE_FILE } from '@wmkit/papers';
import { compte2000Parallel } from '@wmkit/papers/node';
import { Rng } from '@wmkit/tensor';
import { UsageError } from '../../errors';
import { parseIntOption, parseListOption, parseNumberOption } from '../../options';
import { Progress } from '../../progress';
import { type CompteCliOptions, compteBase } from '../compte2000/common';
import { defineReproduce } from './driver';

interface Options extends CompteCliOptions {
  trials?: number;
  distractorTrials?: number;
  amps?: number[];
  distances?: number[];
  neurons: number;
  perSession?: number;
  permutations: number;
}

export const registerReproduceCompte2000 = defineReproduce<Options, CompteConfig>({
  name: 'compte2000',
  kind: 'compte2000.reproduce',
  out: 'runs/compte2000-reproduce',
  description:
    'Compte et al. 2000 spiking ring: cue-only trials (bump, rates, drift) and a distractor grid; writes report.md/report.html with figures',
  options: [
    ['--preset <name>', 'ndx3 (1024 E + 256 I) or paper (2048 E + 512 I)', undefined, 'ndx3'],
    ['--size <n>', 'network size N_E (N_I = N_E/4) or N_E+N_I'],
    ['--delay <ms>', 'delay (ms)', parseNumberOption('delay')],
    ['--trials <n>', 'cue-only trials (default 32; --quick 8)', parseIntOption('trials', 2)],
    ['--distractor-trials <n>', 'trials per distractor condition (default 4; --quick 2)', parseIntOption('distractor-trials', 1)],
    ['--amps <nA,...>', 'distractor strengths (default ½, 1, 2 × the cue)', parseListOption('amps')],
    ['--distances <deg,...>', 'distractor distances from the cue (default 45,90,135)', parseListOption('distances')],
    [
      '--neurons <n>',
      'surrogate recordings for the Wimmer et al. 2014 analyses: E cells in all (the monkeys: 204)',
      parseIntOption('neurons', 2),
      204,
    ],
    [
      '--per-session <n>',
      'surrogate recordings: cells recorded at once per session (default: as few as give sessions of ≥ 16 trials; Fano factors need ≥ 4 trials per cue and session, noise correlations ≥ 3)',
      parseIntOption('per-session', 2),
    ],
    ['--permutations <n>', 'Wimmer et al. 2014 analyses: shuffles per permutation test and window', parseIntOption('permutations', 1), 500],
  ],
  quick: 'fewer trials',
  workers: 'worker threads (default: all cores; engine kernels)',
  engine:
    'kernels (typed arrays on worker threads, the default) or tfjs (TensorFlow.js ops on the selected backend, trials batched in one thread)',
  engineDefault: null,
  config: {
    parse: parseCompteConfig,
    base: compteBase,
    fromRecorded: (rec) => (rec as { model?: unknown } | null)?.model,
    example: 'connectivity.sigmaDeg=18',
    help: 'the network’s config (the preset with --size and --delay; e.g. connectivity.sigmaDeg, protocol.delayMs); --from takes a run’s network and seed.',
  },
  help: 'The Wimmer et al. 2014 analyses need ≥ 16 cue-only trials (sessions of ≥ 16 trials; 32 trials: 2 sessions of 102 cells) and a delay ≥ 1000 ms; with fewer they are skipped and the report says why. With 32 trials, --per-session 204 (one session of 32 trials, 4 per cue) gives the Fano factors and noise correlations too.',
  examples: [
    'wmkit reproduce compte2000 --quick --size 512',
    'wmkit reproduce compte2000 --trials 32 --workers 2 --per-session 204',
    'wmkit reproduce compte2000 --quick --size 256 --engine tfjs',
    'wmkit reproduce compte2000 --trials 32 --amps 0.1,0.2,0.4 --distances 45,90,135 --distractor-trials 4 --delay 3000',
  ],
  writes: `run.json (config; metrics: rates, bump, drift, distractor outcomes, Wimmer analyses), report.md, report.html,
  cue_angle.npy, response.npy, decoded_angle.npy [trial, bin], record_times_ms.npy, neuron_angle.npy, spike_counts_e.npy,
  pop_rate_e.npy, pop_rate_i.npy, bump_profile.npy, raster_times_ms.npy, raster_cells.npy (trial 0), spike_time_ms.npy,
  spike_unit.npy, spike_trial.npy (every cue-only spike), distractor_shift_fraction.npy, surrogate_recordings.mat (for
  wmkit analyze wimmer), raster.svg, bump_trial0.svg, bump_profile.svg, drift.svg, distractor.svg.`,
  async run({ o, config, seed, start }) {
    const trials = o.trials ?? (o.quick ? 8 : 32);
    const perCond = o.distractorTrials ?? (o.quick ? 2 : 4);
    const amps = o.amps ?? [0.5, 1, 2].map((f) => f * config.protocol.cue.ampNa);
    const distances = o.distances ?? [45, 90, 135];
    if (o.perSession != null && o.perSession > config.NE)
      throw new UsageError(`--per-session ${o.perSession}: the network has ${config.NE} E cells; use 2..${config.NE}`);
    const engine = o.engine ?? 'kernels';
    const distractors = { ampsNa: amps, distancesDeg: distances, trialsPerCondition: perCond };
    const run = await start({
      config: {
        model: config,
        trials,
        distractors,
        surrogate: { neurons: o.neurons, perSession: o.perSession ?? null, permutations: o.permutations },
        engine,
      },
      preset: `compte2000.${o.preset}`,
    });
    const total = trials + amps.length * distances.length * perCond;
    console.log(
      `▶ Compte et al. 2000 (${o.preset}, ${config.NE} E + ${config.NI} I): ${trials} cue-only trials + ${amps.length}×${distances.length} distractor conditions × ${perCond} trials, engine ${engine} → ${run.dir}`,
    );
    const bar = new Progress('  simulating', total, 'trials');
    const t0 = performance.now();
    const res = await compte2000Parallel(
      {
        config,
        trials,
        distractors,
        surrogate: { neurons: o.neurons, ...(o.perSession ? { perSession: o.perSession } : {}) },
        permutations: o.permutations,
        engine,
      },
      { rng: new Rng(seed), workers: o.workers, onProgress: (p) => bar.update(p.done, { stage: p.stage }) },
    );
    const seconds = (performance.now() - t0) / 1000;
    bar.finish(total);
    const grid = { amps: amps.length, distances: distances.length };
    const surrogatePath = run.path(COMPTE_SURROGATE_FILE);
    return { run, seconds, ...compte2000Run(res, { seconds, seed, preset: o.preset, engine, grid, surrogatePath }) };
  },
});
