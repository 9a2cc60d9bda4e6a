/**
 * `wmkit reproduce foldiak1990 --out runs/foldiak1990`
 *
 * Földiák's anti-Hebbian sparse coding on the bars benchmark: for each seed, threshold
 * pre-training then learning from random bars patterns; the learning curve (lines represented
 * by exactly one unit) and the learned receptive fields. Writes report.md/report.html.
 */

import { trevesRollsSparseness } from '@wmkit/analysis';
import { FOLDIAK1990_BARS, runFoldiakBars, settleFoldiak } from '@wmkit/attractor-models';
import { barsDataset } from '@wmkit/tasks';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { barsLearningSvg, receptiveFieldsSvg } from '../../figures/wta';
import { parseIntOption } from '../../options';
import { Progress } from '../../progress';
import { renderReport, textTable } from '../../report';
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
  const P = FOLDIAK1990_BARS;
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
  const t0 = performance.now();
  const bar = new Progress('  seeds', o.seeds, 'seeds');
  bar.update(0, {}, true);
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
  let solved = 0;
  let first: ReturnType<typeof runFoldiakBars> | null = null;
  for (let k = 0; k < o.seeds; k++) {
    const seed = o.seed + k;
    const res = runFoldiakBars({}, new Rng(seed), { presentations: o.presentations, scoreEvery: o.scoreEvery, size });
    first ??= res;
    for (const c of res.curve) curves.push({ seed, presentations: c.presentations, lines: c.linesRepresented });
    const last = res.curve[res.curve.length - 1];
    // sparseness of the responses to fresh patterns
    const probe = new Rng(seed).fork('probe');
    const ys: number[] = [];
    const data = barsDataset({ count: 500, rng: probe });
    for (let n = 0; n < data.count; n++) for (const v of settleFoldiak(res.net, data.x.subarray(n * 64, n * 64 + 64)).y) ys.push(v);
    const sparse = trevesRollsSparseness(ys, data.count, P.nOut);
    let maxW = Number.NEGATIVE_INFINITY;
    let diag = 0;
    for (let i = 0; i < P.nOut; i++)
      for (let j = 0; j < P.nOut; j++) {
        if (i === j) diag = Math.max(diag, Math.abs(res.net.w[i * P.nOut + j]));
        else maxW = Math.max(maxW, res.net.w[i * P.nOut + j]);
      }
    const ok = res.solvedAt > 0 && last.linesRepresented === 2 * size;
    if (ok) solved++;
    solvedAt[k] = res.solvedAt;
    q.set(res.net.q, k * P.nOut * P.nIn);
    w.set(res.net.w, k * P.nOut * P.nOut);
    th.set(res.net.t, k * P.nOut);
    rows.push([
      String(seed),
      res.solvedAt > 0 ? `${res.solvedAt} presentations` : 'not within the run',
      `${last.linesRepresented}/16`,
      last.activity.toFixed(3),
      sparse.toFixed(3),
      last.meanAbsCorrelation.toFixed(3),
      maxW.toFixed(3),
      diag === 0 ? '0' : diag.toExponential(1),
    ]);
    run.appendMetrics({
      seed,
      solvedAt: res.solvedAt,
      lines: last.linesRepresented,
      activity: last.activity,
      sparseness: sparse,
      meanAbsCorrelation: last.meanAbsCorrelation,
      maxLateral: maxW,
    });
    bar.update(k + 1, { solved: `${solved}/${k + 1}` }, true);
  }
  bar.finish(o.seeds);
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
  if (first) {
    const labels = Array.from({ length: P.nOut }, (_, u) => {
      const l = Array.from(first.curve[first.curve.length - 1].unitFor).indexOf(u);
      return l >= 0 ? `${u + 1}: ${lineName(l, size)}` : `${u + 1}: none`;
    });
    run.addFigure(
      'receptive_fields',
      receptiveFieldsSvg(first.net.q, P.nOut, size, labels, `Learned feed-forward weights, seed ${o.seed} (dark = strong)`),
      'Receptive fields',
    );
  }
  const seconds = (performance.now() - t0) / 1000;
  const times = Array.from(solvedAt).filter((s) => s > 0);
  const median = times.length ? [...times].sort((a, b) => a - b)[Math.floor((times.length - 1) / 2)] : Number.NaN;
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
      '\nWrites: report.md, report.html, learning_curve.svg, receptive_fields.svg, metrics.jsonl (one line per seed),\n' +
        '        q.npy [seeds, 16, 64], w.npy [seeds, 16, 16], t.npy [seeds, 16], solved_at.npy [seeds]',
    )
    .action(async (o: Options) => {
      process.exitCode = await reproduceFoldiak1990(o);
    });
}
