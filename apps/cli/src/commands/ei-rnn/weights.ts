/**
 * `wmkit analyze weights runs/dms-1 runs/afc-1 runs/gonogo-1 …` (Kim & Sejnowski 2021 Fig. 4)
 *
 * Per network: statistics of the four synapse classes (E→E, E→I, I→E, I→I) of the trained
 * effective weights, and the median τ of its timescales analysis when there is one; then, by
 * training task, DMS networks compared with AFC and Go/NoGo networks (permutation tests over
 * networks).
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { meanDifferenceTest, synapseClassStats } from '@wmkit/analysis';
import { readRun } from '@wmkit/data-io/node';
import { effectiveWeights } from '@wmkit/ei-rnn';
import { byTaskSvg } from '@wmkit/figures';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { parseIntOption } from '../../options';
import { startRun } from '../../run-helpers';
import { loadRateRun } from './common';

export const EI_WEIGHTS_KIND = 'ei-rnn.weights';
const CLASSES = [
  ['ee', 'E→E'],
  ['ei', 'E→I'],
  ['ie', 'I→E'],
  ['ii', 'I→I'],
] as const;

interface NetRow {
  run: string;
  task: string;
  medianTauMs: number | null;
  unbiasedMedianTauMs: number | null;
  weights: Record<string, { mean: number; meanAbs: number; count: number }>;
}

function medianTaus(dir: string): { kim: number | null; unbiased: number | null } {
  const ts = join(dir, 'timescales');
  if (!existsSync(join(ts, 'run.json'))) return { kim: null, unbiased: null };
  const rec = readRun(ts);
  if (rec.state !== 'complete') return { kim: null, unbiased: null };
  const m = rec.manifest.metrics as { medianTauMs?: unknown; unbiased?: { medianTauMs?: unknown } };
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return { kim: num(m.medianTauMs), unbiased: num(m.unbiased?.medianTauMs) };
}

export async function analyzeWeights(runs: string[], o: { out: string; force?: boolean; permutations: number }): Promise<number> {
  if (!runs.length) throw new UsageError('give one or more trained runs (e.g. runs/dms-1 runs/afc-1)');
  const rows: NetRow[] = runs.map((dir) => {
    const r = loadRateRun(dir);
    if (!r.model.config.dale)
      throw new UsageError(`${dir}: the network has no E/I identity (model.dale is false); synapse classes need Dale's principle`);
    const s = synapseClassStats(effectiveWeights(r.model), r.model.sign);
    const taus = medianTaus(dir);
    return {
      run: dir,
      task: r.task,
      medianTauMs: taus.kim,
      unbiasedMedianTauMs: taus.unbiased,
      weights: Object.fromEntries(CLASSES.map(([k]) => [k, { mean: s[k].mean, meanAbs: s[k].meanAbs, count: s[k].count }])),
    };
  });
  const rng = new Rng(1).fork('weights');
  const tasks = [...new Set(rows.map((r) => r.task))];
  const measures: { key: string; label: string; get: (r: NetRow) => number | null }[] = [
    ...CLASSES.map(([k, label]) => ({ key: `${k}MeanWeight`, label: `mean ${label} weight`, get: (r: NetRow) => r.weights[k].mean })),
    { key: 'medianTauMs', label: 'median τ (ms)', get: (r: NetRow) => r.medianTauMs },
    { key: 'unbiasedMedianTauMs', label: 'median τ, unbiased (ms)', get: (r: NetRow) => r.unbiasedMedianTauMs },
  ];
  const byTask: Record<string, Record<string, number | null>> = {};
  for (const t of tasks) {
    const rs = rows.filter((r) => r.task === t);
    byTask[t] = { networks: rs.length };
    for (const m of measures) {
      const v = rs.map(m.get).filter((x): x is number => x != null && Number.isFinite(x));
      byTask[t][m.key] = v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
    }
  }
  const comparisons: Record<string, Record<string, { difference: number; p: number; nDms: number; nOther: number }>> = {};
  if (tasks.includes('dms'))
    for (const other of tasks.filter((t) => t !== 'dms')) {
      comparisons[`dms-vs-${other}`] = {};
      for (const m of measures) {
        const val = (t: string) => rows.filter((r) => r.task === t).map((r) => m.get(r) ?? Number.NaN);
        const d = meanDifferenceTest(val('dms'), val(other), rng.fork(`${other}-${m.key}`), o.permutations);
        comparisons[`dms-vs-${other}`][m.key] = { difference: d.difference, p: d.p, nDms: d.nA, nOther: d.nB };
      }
    }
  const run = await startRun(o.out, {
    kind: EI_WEIGHTS_KIND,
    config: { runs, permutations: o.permutations, weights: 'trained effective rate weights relu(w)·sign (rows post, columns pre)' },
    seed: null,
    force: o.force,
  });
  const plotRows = rows.flatMap((r) =>
    measures.map((m) => ({ task: r.task, run: basename(r.run), measure: m.label, value: m.get(r) ?? Number.NaN })),
  );
  run.addFigure(
    'weights_by_task',
    byTaskSvg(
      plotRows,
      measures.map((m) => m.label),
      'synapse classes and timescales by training task',
    ),
    'one dot per network: mean weight of each synapse class and median τ, by training task',
  );
  run.complete({ networks: rows, byTask, comparisons });
  const f = (v: number | null | undefined, d = 3) => (v != null && Number.isFinite(v) ? v.toFixed(d) : 'n/a');
  for (const t of tasks) {
    const b = byTask[t];
    console.log(
      `  ${t.padEnd(6)} ${b.networks} networks: mean weight E→E ${f(b.eeMeanWeight)}, E→I ${f(b.eiMeanWeight)}, I→E ${f(b.ieMeanWeight)}, I→I ${f(b.iiMeanWeight)}; median τ ${f(b.medianTauMs, 1)} ms (unbiased ${f(b.unbiasedMedianTauMs, 1)})`,
    );
  }
  for (const [name, c] of Object.entries(comparisons))
    console.log(
      `  ${name}: Δ I→I ${f(c.iiMeanWeight.difference)} (p ${f(c.iiMeanWeight.p, 3)}), Δ median τ ${f(c.medianTauMs.difference, 1)} ms (p ${f(c.medianTauMs.p, 3)})`,
    );
  console.log(`✓ ${rows.length} networks → ${run.dir}`);
  return 0;
}

export function registerAnalyzeWeights(analyze: Command): void {
  analyze
    .command('weights <runs...>')
    .description(
      'synapse-class weight statistics (E→E, E→I, I→E, I→I) and median τ of trained E/I networks, compared by training task (Kim & Sejnowski 2021 Fig. 4)',
    )
    .option('--out <dir>', 'run directory to write', 'runs/weights')
    .option('--permutations <n>', 'shuffles for the p values', parseIntOption('permutations', 10), 5000)
    .option('--force', 'replace an existing run in --out')
    .addHelpText(
      'after',
      '\nMedian τ comes from each run’s timescales analysis (wmkit analyze timescales <run>) when it has one.\n\nExamples:\n  wmkit analyze weights runs/dms-1 runs/dms-2 runs/afc-1 runs/afc-2 runs/gonogo-1 runs/gonogo-2 --out runs/fig4\n\nWrites: <out>/run.json (per network: task, class means, median τ; by task; DMS vs AFC and Go/NoGo with permutation p), weights_by_task.svg',
    )
    .action(async (runs: string[], o: { out: string; force?: boolean; permutations: number }) => {
      process.exitCode = await analyzeWeights(runs, o);
    });
}
