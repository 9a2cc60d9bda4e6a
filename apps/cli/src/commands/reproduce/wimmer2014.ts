/**
 * `wmkit reproduce wimmer2014 --out runs/wimmer [--quick]`: Wimmer et al. 2014 through
 * `wimmer2014` of @wmkit/papers (the three ring models on worker threads, surrogate recordings,
 * every analysis), declared for the reproduce driver.
 */
import { ringModel, WIMMER2014_SURROGATE } from '@wmkit/attractor-models';
import { wimmer2014Run } from '@wmkit/figures';
import { WIMMER2014_MODEL_NAMES, wimmer2014, wimmer2014ModelLine } from '@wmkit/papers';
import { ringOnWorkers } from '@wmkit/papers/node';
import { z } from 'zod';
import { UsageError } from '../../errors';
import { parseIntOption } from '../../options';
import { Progress } from '../../progress';
import { checkDelay } from '../attractors/simulate';
import { defineReproduce } from './driver';

/** What determines the result besides the seed (run.json `config` records it with the models' parameters). */
const configSchema = z.strictObject({
  trials: z.number().int().min(1),
  delayMs: z.number(),
  permutations: z.number().int().min(1),
  surrogate: z.strictObject({ neurons: z.number().int().min(2), perSession: z.number().int().min(2) }),
});
type WimmerConfig = z.infer<typeof configSchema>;

export const registerReproduceWimmer = defineReproduce<object, WimmerConfig>({
  name: 'wimmer2014',
  kind: 'reproduce.wimmer2014',
  out: 'runs/wimmer2014',
  description:
    'Wimmer et al. 2014: bump, discrete and decaying-bump ring models, 16,000 trials each, surrogate recordings and every analysis; writes report.md/report.html with figures',
  options: [
    ['--trials <n>', 'trials per model (default 16000; --quick 3264)', parseIntOption('trials', 1), undefined, 'trials'],
    ['--delay <ms>', 'delay (ms): 2000 as the scripts, 3000 as the monkeys', parseIntOption('delay', 0), 2000, 'delayMs'],
    [
      '--permutations <n>',
      'shuffles per permutation test (default 500; --quick 200)',
      parseIntOption('permutations', 1),
      undefined,
      'permutations',
    ],
    ['--neurons <n>', 'surrogate recordings: neurons in all (the monkeys: 204)', parseIntOption('neurons', 2), 204, 'surrogate.neurons'],
    [
      '--per-session <n>',
      'surrogate recordings: neurons recorded simultaneously per session (the monkeys: pairs, 2); more gives more pairs for the noise correlations',
      parseIntOption('per-session', 2),
      2,
      'surrogate.perSession',
    ],
  ],
  quick: 'a smaller run (3,264 trials per model, fewer permutations)',
  workers: 'worker threads (default: all cores)',
  engine: 'kernels (the wasm ring kernel) or tfjs (TensorFlow.js ops on the selected backend)',
  config: {
    schema: configSchema,
    base: (o) => ({
      trials: o.quick ? 3264 : 16000,
      delayMs: 2000,
      permutations: o.quick ? 200 : 500,
      surrogate: { neurons: 204, perSession: 2 },
    }),
    fromRecorded: (rec) => {
      const r = (rec ?? {}) as Partial<WimmerConfig>;
      const s = r.surrogate;
      return {
        trials: r.trials,
        delayMs: r.delayMs,
        permutations: r.permutations,
        surrogate: { neurons: s?.neurons, perSession: s?.perSession },
      };
    },
    example: 'surrogate.perSession=4',
    help:
      'trials, delayMs, permutations, surrogate.neurons, surrogate.perSession; the\n' +
      'options typed on the command line override them, and --from also takes the run’s seed (unless --seed is given).',
  },
  examples: [
    'wmkit reproduce wimmer2014 --out runs/wimmer2014',
    'wmkit reproduce wimmer2014 --quick --delay 3000 --out runs/wimmer-3s',
    'wmkit reproduce wimmer2014 --trials 1632 --delay 1000 --permutations 20 --engine tfjs --out runs/wimmer-tfjs',
    'wmkit reproduce wimmer2014 --trials 1632 --delay 1000 --permutations 20 --out runs/wimmer-small',
    'wmkit reproduce wimmer2014 --set surrogate.perSession=4 --print-config',
    'wmkit reproduce wimmer2014 --from runs/wimmer-small --out runs/wimmer-again',
  ],
  writes:
    'run.json, report.md, report.html, responses.svg, bump_<model>.svg, diffusion.svg, tuning_bias.svg,\n' +
    '        rate_behavior.svg, fano.svg, noise_correlations.svg, population_tuning.svg, strength_vs_rate.svg,\n' +
    '        modulation_index.svg, tuning_stability.svg, r2_by_offset.svg, r2_time.svg, rate_behavior_by_cue.svg,\n' +
    '        fano_by_cue.svg, noise_corr_epochs.svg; per model <model>_response.npy, <model>_cue.npy,\n' +
    '        <model>_decoded_angle.npy [trial, 50-ms bin] (models: bump, discrete, decaying)',
  async run({ o, config, seed, start }) {
    const { trials, permutations: nPerm } = config;
    const delay = checkDelay(config.delayMs, ringModel('bump').dtMs);
    if (delay < 1000)
      throw new UsageError(
        `--delay ${delay} ms is too short for the analyses, which use 1-s windows and the last second of the delay; use ≥ 1000 ms (2000 as the scripts, 3000 as the monkeys)`,
      );
    const N = ringModel('bump').NE;
    const { neurons, perSession } = config.surrogate;
    // the option parser already refuses fewer than 2 (the noise correlations need pairs)
    if (perSession > N) throw new UsageError(`--per-session ${perSession} is more than the ring's ${N} E units; use 2..${N}`);
    const surrogate = { ...WIMMER2014_SURROGATE, neurons, perSession };
    const minTrials = 16 * Math.ceil(neurons / perSession);
    if (trials < minTrials)
      throw new UsageError(
        `--trials ${trials} is too few for the surrogate recordings (${neurons} neurons, ${perSession} per session, ≥ 16 trials per session): use ≥ ${minTrials}, or record more neurons per session (--per-session)`,
      );
    const models = WIMMER2014_MODEL_NAMES.map((m) => ringModel(m));
    const run = await start({
      config: { models, trials, delayMs: delay, permutations: nPerm, surrogate },
      preset: o.quick ? 'wimmer2014 --quick' : 'wimmer2014',
    });
    run.setMetrics({ engine: o.engine }); // which implementation simulated the rings: the wasm kernel or TensorFlow.js ops
    console.log(
      `▶ Wimmer et al. 2014: 3 ring models × ${trials.toLocaleString('en-US')} trials, ${delay}-ms delay; surrogate data sets of ${neurons} neurons, ${perSession} per session → ${run.dir}`,
    );
    let bar: Progress | null = null;
    let barStage = '';
    const r = await wimmer2014(
      { trials, delayMs: delay, seed, permutations: nPerm, surrogate, models, simulate: ringOnWorkers(o.workers), engine: o.engine },
      {
        onProgress: (p) => {
          if (p.stage !== barStage) {
            barStage = p.stage;
            bar = new Progress(`  ${p.stage.split(':')[0]?.padEnd(8)} simulate`, p.total, 'trials');
          }
          bar?.update(p.done);
        },
        onModel: (m) => {
          bar?.finish(trials, { 'trials/s': Math.round(trials / m.seconds.simulate) });
          console.log(`    ${wimmer2014ModelLine(m)}`);
        },
      },
    );
    return { run, seconds: r.seconds, ...wimmer2014Run(r) };
  },
});
