/**
 * `wmkit reproduce foldiak1990 --out runs/foldiak1990 [--stimuli alphabet] [--engine tfjs]`:
 * Földiák 1990 through `foldiak1990` / `foldiak1990Alphabet` of @wmkit/papers (threshold
 * pre-training, then learning from random bars patterns or from letters with English frequencies,
 * per seed), declared for the reproduce driver; the outputs, figures and report come from
 * @wmkit/papers and @wmkit/figures.
 */
import { FOLDIAK1990_BARS as P } from '@wmkit/attractor-models';
import { foldiak1990AlphabetFigures, foldiak1990Figures, textTable } from '@wmkit/figures';
import {
  type Foldiak1990Config,
  foldiak1990,
  foldiak1990Alphabet,
  foldiak1990AlphabetRunResult,
  foldiak1990Config,
  foldiak1990ConfigOfRun,
  foldiak1990ConfigSchema,
  foldiak1990RunConfig,
  foldiak1990RunResult,
} from '@wmkit/papers';
import { parseIntOption } from '../../options';
import { Progress } from '../../progress';
import { defineReproduce, parseChoice } from './driver';

export const registerReproduceFoldiak = defineReproduce<{ stimuli: 'bars' | 'alphabet' }, Foldiak1990Config>({
  name: 'foldiak1990',
  kind: 'reproduce.foldiak1990',
  out: 'runs/foldiak1990',
  description:
    'Földiák 1990: anti-Hebbian sparse coding learns the 16 bars, one unit each (or, with --stimuli alphabet, a sparse code for the letters: information, redundancy, and a downstream associative layer); learning curves over seeds and the receptive fields; writes report.md/report.html',
  seedHelp: 'first seed',
  options: [
    [
      '--stimuli <kind>',
      'bars (the first demonstration) or alphabet (the second)',
      parseChoice('stimuli', ['bars', 'alphabet'] as const),
      'bars',
      'stimuli',
    ],
    ['--seeds <n>', 'number of seeds', parseIntOption('seeds', 1), 10, 'seeds'],
    [
      '--presentations <n>',
      'learning presentations per seed (default: 2000 bars, 5000 alphabet)',
      parseIntOption('presentations', 1),
      2000,
      'presentations',
    ],
    [
      '--score-every <n>',
      'score the code every n presentations (default: 50 bars, 250 alphabet)',
      parseIntOption('score-every', 1),
      50,
      'scoreEvery',
    ],
  ],
  engine: 'kernels (float64 JavaScript, default) or tfjs (TensorFlow.js ops on the selected backend)',
  config: {
    schema: foldiak1990ConfigSchema,
    base: (o) => foldiak1990Config(o.stimuli),
    fromRecorded: foldiak1990ConfigOfRun,
    example: 'presentations=4000',
    help:
      'stimuli, seeds, presentations, scoreEvery; the options typed on the command line\n' +
      'override them, and --from also takes the run’s first seed (unless --seed is given).',
  },
  examples: [
    'wmkit reproduce foldiak1990 --out runs/foldiak1990',
    'wmkit reproduce foldiak1990 --seeds 3 --presentations 4000',
    'wmkit reproduce foldiak1990 --stimuli alphabet --seeds 3 --out runs/foldiak-alphabet',
    'wmkit reproduce foldiak1990 --seeds 1 --presentations 200 --engine tfjs --out runs/foldiak-tfjs',
    'wmkit reproduce foldiak1990 --set seeds=3 --print-config',
    'wmkit reproduce foldiak1990 --from runs/foldiak1990 --out runs/foldiak-again',
  ],
  writes:
    'report.md, report.html, learning_curve.svg, receptive_fields.svg, metrics.jsonl (one line per seed),\n' +
    '        q.npy [seeds, 16, 64], w.npy [seeds, 16, 16], t.npy [seeds, 16], solved_at.npy [seeds];\n' +
    '        with --stimuli alphabet: alphabet_glyphs.svg, alphabet_code.svg, alphabet_receptive_fields.svg,\n' +
    '        alphabet_learning.svg, associator.svg, codes.npy [seeds, 26, 16], active_units.npy [seeds, 26],\n' +
    '        images.npy [26, 64], q.npy, w.npy, t.npy; run.json metrics.engine names the engine',
  async run({ o, config, seed, start }) {
    const { stimuli, seeds } = config;
    const alphabet = stimuli === 'alphabet';
    const preset = alphabet ? 'foldiak1990 --stimuli alphabet' : 'foldiak1990';
    const run = await start({ config: foldiak1990RunConfig({ ...config, seed }), preset, engine: o.engine });
    if (alphabet) run.setMetrics({ stimuli });
    console.log(
      `▶ Földiák 1990 ${alphabet ? `alphabet: 26 letters (8×8, English frequencies), ${P.nOut} units` : 'bars: 8×8 grid, 16 lines (p = 1/8), 16 units'}; α ${P.alpha}, β ${P.beta}, γ ${P.gamma}, p ${P.p.toFixed(3)}, λ ${P.lambda}; ${seeds} seeds × ${config.presentations} presentations (+ ${P.pretrainCycles} threshold pre-training), engine ${o.engine} → ${run.dir}`,
    );
    const bar = new Progress('  seeds', seeds, 'seeds');
    bar.update(0, {}, true);
    const opts = { seeds, seed, presentations: config.presentations, scoreEvery: config.scoreEvery, engine: o.engine };
    if (alphabet) {
      const r = await foldiak1990Alphabet(opts, { onProgress: (p) => bar.update(p.done, {}, true) });
      bar.finish(seeds);
      const { outputs, report, rows, summary } = foldiak1990AlphabetRunResult(r);
      return {
        run,
        seconds: r.seconds,
        outputs,
        figures: foldiak1990AlphabetFigures(r),
        report,
        summary: `\n${textTable(rows)}\n\n${summary}\n\n`,
      };
    }
    let solved = 0;
    let done = 0;
    const r = await foldiak1990(opts, {
      onSeed: (s) => {
        solved += s.solved ? 1 : 0;
        bar.update(++done, { solved: `${solved}/${done}` }, true);
      },
    });
    bar.finish(seeds);
    const { outputs, report, rows, summary } = foldiak1990RunResult(r);
    return { run, seconds: r.seconds, outputs, figures: foldiak1990Figures(r), report, summary: `\n${textTable(rows)}\n\n${summary}\n\n` };
  },
});
