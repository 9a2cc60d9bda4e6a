/**
 * `wmkit reproduce foldiak1990 --out runs/foldiak1990`
 *
 * Földiák 1990 through `foldiak1990` of @wmkit/papers (threshold pre-training, then learning from
 * random bars patterns, per seed); this command writes the learning curves, the learned receptive
 * fields, the weights and report.md/report.html.
 */

import { FOLDIAK1990_BARS as P } from '@wmkit/attractor-models';
import { barsLearningSvg, receptiveFieldsSvg, renderReport, textTable } from '@wmkit/figures';
import { foldiak1990 } from '@wmkit/papers';
import type { Command } from 'commander';
import { failOnDivergence } from '../../divergence';
import { UsageError } from '../../errors';
import { parseIntOption } from '../../options';
import { Progress } from '../../progress';
import { startRun } from '../../run-helpers';

interface Options {
  out: string;
  seeds: number;
  seed: number;
  presentations: number;
  scoreEvery: number;
  force?: boolean;
}

function lineName(l: number, size: number): string {
  return l < size ? `row ${l + 1}` : `column ${l - size + 1}`;
}

export async function reproduceFoldiak1990(o: Options): Promise<number> {
  if (!(o.seeds >= 1)) throw new UsageError(`--seeds ${o.seeds} must be ≥ 1`);
  if (!(o.presentations >= 1)) throw new UsageError(`--presentations ${o.presentations} must be ≥ 1`);
  if (!(o.scoreEvery >= 1)) throw new UsageError(`--score-every ${o.scoreEvery} must be ≥ 1`);
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
  const rows: string[][] = [
    [
      'seed',
      'all 16 lines by',
      'lines at the end',
      'mean activity (p = 0.125)',
      'Treves–Rolls sparseness',
      'mean |corr|',
      'max w_ij',
      'w_ii',
    ],
  ];
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
    rows.push([
      String(s.seed),
      s.solvedAt > 0 ? `${s.solvedAt} presentations` : 'not within the run',
      `${s.last.linesRepresented}/16`,
      s.last.activity.toFixed(3),
      s.sparseness.toFixed(3),
      s.last.meanAbsCorrelation.toFixed(3),
      s.maxLateral.toFixed(3),
      s.maxSelf === 0 ? '0' : s.maxSelf.toExponential(1),
    ]);
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
  const solved = r.solved;
  const median = r.medianSolvedAt;
  const summary = `${solved} of ${o.seeds} seeds represent all 16 lines, each by one unit, within ${o.presentations} presentations (median ${Number.isFinite(median) ? median : 'n/a'}; paper: roughly 1,000–2,000). Lateral weights stay ≤ 0 with a zero diagonal.`;
  run.setMetrics({ solved, seeds: o.seeds, medianSolvedAt: median, seconds });
  const { md, html } = renderReport({
    title: 'Forming sparse representations by local anti-Hebbian learning (Földiák 1990)',
    sections: [
      {
        paragraphs: [
          `The bars benchmark: 8 × 8 images where each of the 16 lines (8 rows, 8 columns) is on with probability 1/8; 16 output units with feed-forward Hebbian weights (β = ${P.beta}), lateral anti-Hebbian weights (α = ${P.alpha}, w ≤ 0, w_ii = 0) and adaptive thresholds (γ = ${P.gamma}, target p = 1/8); outputs settle to equilibrium (sigmoid λ = ${P.lambda}) and are binarised at 0.5. ${P.pretrainCycles} pre-training cycles with α = β = 0, γ = ${P.pretrainGamma}. A line counts as represented when exactly one unit responds to it alone and that unit responds to no other line.`,
          summary,
          `Runtime ${seconds.toFixed(1)} s.`,
        ],
        tables: [{ rows }],
        figures: [
          ['learning_curve', 'Lines represented vs presentations, every seed.'],
          ['receptive_fields', 'Each unit’s feed-forward weights as an 8 × 8 image, and the line it represents.'],
        ],
      },
    ],
  });
  run.writeFile('report.md', md);
  run.writeFile('report.html', html);
  run.complete({ solved, seconds });
  console.log(`\n${textTable(rows)}\n\n${summary}\n\n✓ report: ${run.path('report.html')} (and report.md), ${seconds.toFixed(1)} s`);
  return 0;
}

export function registerReproduceFoldiak(reproduce: Command): void {
  reproduce
    .command('foldiak1990')
    .description(
      'Földiák 1990: anti-Hebbian sparse coding learns the 16 bars, one unit each; learning curves over seeds and the receptive fields as an image grid; writes report.md/report.html',
    )
    .option('--out <dir>', 'run directory', 'runs/foldiak1990')
    .option('--seeds <n>', 'number of seeds', parseIntOption('seeds', 1), 10)
    .option('--seed <n>', 'first seed', parseIntOption('seed', 0), 1)
    .option('--presentations <n>', 'learning presentations per seed', parseIntOption('presentations', 1), 2000)
    .option('--score-every <n>', 'score the code every n presentations', parseIntOption('score-every', 1), 50)
    .option('--force', 'replace an existing run in --out')
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit reproduce foldiak1990 --out runs/foldiak1990\n  wmkit reproduce foldiak1990 --seeds 3 --presentations 4000\n' +
        '\nWrites: report.md, report.html, learning_curve.svg, receptive_fields.svg, metrics.jsonl (one line per seed),\n' +
        '        q.npy [seeds, 16, 64], w.npy [seeds, 16, 16], t.npy [seeds, 16], solved_at.npy [seeds]',
    )
    .action(async (o: Options) => {
      process.exitCode = await reproduceFoldiak1990(o);
    });
}
