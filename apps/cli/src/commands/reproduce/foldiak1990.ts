/**
 * `wmkit reproduce foldiak1990 --out runs/foldiak1990`
 *
 * Földiák 1990 through `foldiak1990` of @wmkit/papers (threshold pre-training, then learning from
 * random bars patterns, per seed); this command writes the learning curves, the learned receptive
 * fields, the weights and report.md/report.html.
 */

import { FOLDIAK1990_BARS as P } from '@wmkit/attractor-models';
import { barsLearningSvg, receptiveFieldsSvg, renderReport, textTable } from '@wmkit/figures';
import { foldiak1990, foldiak1990Report, foldiak1990Rows, foldiak1990Summary } from '@wmkit/papers';
import type { Command } from 'commander';
import { z } from 'zod';
import { failOnDivergence } from '../../divergence';
import {
  addConfigOptions,
  type ConfigOptionValues,
  parseIntOption,
  printConfigIfAsked,
  resolveOptionConfig,
  schemaParser,
} from '../../options';
import { Progress } from '../../progress';
import { startRun } from '../../run-helpers';

interface Options extends ConfigOptionValues {
  out: string;
  seeds: number;
  seed: number;
  presentations: number;
  scoreEvery: number;
  force?: boolean;
}

/** What determines the result besides the seed (run.json `config` records it with the fixed parameters). */
const configSchema = z.strictObject({
  seeds: z.number().int().min(1),
  presentations: z.number().int().min(1),
  scoreEvery: z.number().int().min(1),
});
type FoldiakConfig = z.infer<typeof configSchema>;

function lineName(l: number, size: number): string {
  return l < size ? `row ${l + 1}` : `column ${l - size + 1}`;
}

export async function reproduceFoldiak1990(opts: Options, cmd: Command): Promise<number> {
  const base: FoldiakConfig = { seeds: 10, presentations: 2000, scoreEvery: 50 };
  const { config, seed } = resolveOptionConfig(opts, cmd, {
    base,
    parse: schemaParser(configSchema),
    kinds: ['reproduce.foldiak1990'],
    fromRecorded: (rec) => {
      const r = (rec ?? {}) as Partial<FoldiakConfig>;
      return { seeds: r.seeds, presentations: r.presentations, scoreEvery: r.scoreEvery };
    },
    options: { seeds: 'seeds', presentations: 'presentations', scoreEvery: 'scoreEvery' },
  });
  if (printConfigIfAsked(opts, config)) return 0;
  const o = { ...opts, ...config, seed: seed ?? opts.seed };
  const size = 8;
  const run = await startRun(o.out, {
    kind: 'reproduce.foldiak1990',
    config: { params: P, size, pLine: 1 / 8, seeds: o.seeds, firstSeed: o.seed, presentations: o.presentations, scoreEvery: o.scoreEvery },
    seed: o.seed,
    preset: 'foldiak1990',
    force: o.force,
  });
  console.log(
    `▶ Földiák 1990 bars: 8×8 grid, 16 lines (p = 1/8), 16 units; α ${P.alpha}, β ${P.beta}, γ ${P.gamma}, p ${P.p.toFixed(3)}, λ ${P.lambda}; ${o.seeds} seeds × ${o.presentations} presentations (+ ${P.pretrainCycles} threshold pre-training) → ${run.dir}`,
  );
  const bar = new Progress('  seeds', o.seeds, 'seeds');
  bar.update(0, {}, true);
  let solvedSoFar = 0;
  let done = 0;
  const r = await failOnDivergence(run, () =>
    foldiak1990(
      { seeds: o.seeds, seed: o.seed, presentations: o.presentations, scoreEvery: o.scoreEvery },
      {
        onSeed: (s) => {
          if (s.solved) solvedSoFar++;
          done++;
          bar.update(done, { solved: `${solvedSoFar}/${done}` }, true);
        },
      },
    ),
  );
  bar.finish(o.seeds);
  const rows = foldiak1990Rows(r);
  const curves: { seed: number; presentations: number; lines: number }[] = [];
  const q = new Float32Array(o.seeds * P.nOut * P.nIn);
  const w = new Float32Array(o.seeds * P.nOut * P.nOut);
  const th = new Float32Array(o.seeds * P.nOut);
  const solvedAt = new Int32Array(o.seeds);
  for (const [k, s] of r.seeds.entries()) {
    for (const c of s.curve) curves.push({ seed: s.seed, presentations: c.presentations, lines: c.linesRepresented });
    solvedAt[k] = s.solvedAt;
    q.set(s.q, k * P.nOut * P.nIn);
    w.set(s.w, k * P.nOut * P.nOut);
    th.set(s.t, k * P.nOut);
    run.appendMetrics({
      seed: s.seed,
      solvedAt: s.solvedAt,
      lines: s.last.linesRepresented,
      activity: s.last.activity,
      sparseness: s.sparseness,
      meanAbsCorrelation: s.last.meanAbsCorrelation,
      maxLateral: s.maxLateral,
    });
  }
  run.writeArray(
    'q',
    { data: q, shape: [o.seeds, P.nOut, P.nIn] },
    { description: 'feed-forward weights per seed [seed, unit, pixel]; pixels row-major 8×8' },
  );
  run.writeArray('w', { data: w, shape: [o.seeds, P.nOut, P.nOut] }, { description: 'lateral weights per seed (≤ 0, zero diagonal)' });
  run.writeArray('t', { data: th, shape: [o.seeds, P.nOut] }, { description: 'thresholds per seed' });
  run.writeArray(
    'solved_at',
    { data: solvedAt, shape: [o.seeds] },
    { description: 'presentations until all 16 lines were represented (−1: not within the run)' },
  );
  run.addFigure(
    'learning_curve',
    barsLearningSvg(curves, o.presentations, 'Lines represented by exactly one unit vs presentations (one line per seed)'),
    'Learning curves',
  );
  const first = r.seeds[0];
  if (first) {
    const unitFor = Array.from(first.last.unitFor);
    const labels = Array.from({ length: P.nOut }, (_, u) => {
      const l = unitFor.indexOf(u);
      return l >= 0 ? `${u + 1}: ${lineName(l, size)}` : `${u + 1}: none`;
    });
    run.addFigure(
      'receptive_fields',
      receptiveFieldsSvg(first.q, P.nOut, size, labels, `Learned feed-forward weights, seed ${o.seed} (dark = strong)`),
      'Receptive fields',
    );
  }
  const seconds = r.seconds;
  const { solved, medianSolvedAt: median } = r;
  const summary = foldiak1990Summary(r);
  run.setMetrics({ solved, seeds: o.seeds, medianSolvedAt: median, seconds });
  const { md, html } = renderReport(foldiak1990Report(r));
  run.writeFile('report.md', md);
  run.writeFile('report.html', html);
  run.complete({ solved, seconds });
  console.log(`\n${textTable(rows)}\n\n${summary}\n\n✓ report: ${run.path('report.html')} (and report.md), ${seconds.toFixed(1)} s`);
  return 0;
}

export function registerReproduceFoldiak(reproduce: Command): void {
  const cmd = reproduce
    .command('foldiak1990')
    .description(
      'Földiák 1990: anti-Hebbian sparse coding learns the 16 bars, one unit each; learning curves over seeds and the receptive fields as an image grid; writes report.md/report.html',
    )
    .option('--out <dir>', 'run directory', 'runs/foldiak1990')
    .option('--seeds <n>', 'number of seeds', parseIntOption('seeds', 1), 10)
    .option('--seed <n>', 'first seed', parseIntOption('seed', 0), 1)
    .option('--presentations <n>', 'learning presentations per seed', parseIntOption('presentations', 1), 2000)
    .option('--score-every <n>', 'score the code every n presentations', parseIntOption('score-every', 1), 50)
    .option('--force', 'replace an existing run in --out');
  addConfigOptions(cmd, 'presentations=4000')
    .addHelpText(
      'after',
      '\nConfig (--config, --set, --from): seeds, presentations, scoreEvery; the options typed on the command line\n' +
        'override them, and --from also takes the run’s first seed (unless --seed is given).\n' +
        '\nExamples:\n  wmkit reproduce foldiak1990 --out runs/foldiak1990\n  wmkit reproduce foldiak1990 --seeds 3 --presentations 4000\n' +
        '  wmkit reproduce foldiak1990 --set seeds=3 --print-config\n  wmkit reproduce foldiak1990 --from runs/foldiak1990 --out runs/foldiak-again\n' +
        '\nWrites: report.md, report.html, learning_curve.svg, receptive_fields.svg, metrics.jsonl (one line per seed),\n' +
        '        q.npy [seeds, 16, 64], w.npy [seeds, 16, 16], t.npy [seeds, 16], solved_at.npy [seeds]',
    )
    .action(async (o: Options, c: Command) => {
      process.exitCode = await reproduceFoldiak1990(o, c);
    });
}
