/**
 * `wmkit analyze weights runs/dms-1 runs/afc-1 runs/gonogo-1 …` (Kim & Sejnowski 2021 Fig. 4)
 *
 * Per network: statistics of the four synapse classes (E→E, E→I, I→E, I→I) of the trained
 * effective weights, and the median τ of its timescales analysis when there is one; then, by
 * training task, DMS networks compared with AFC and Go/NoGo networks (permutation tests over
 * networks).
 */
import { basename } from 'node:path';
import { weightsFigure } from '@wmkit/figures';
import { EI_RUN_KINDS, weightsByTask } from '@wmkit/papers';
import { medianTausOfRun } from '@wmkit/papers/node';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { parseIntOption } from '../../options';
import { exitWith } from '../../options-models';
import { startRun, writeOutputs } from '../../run-helpers';
import { loadRateRun } from './common';

export const EI_WEIGHTS_KIND = EI_RUN_KINDS.weights;

export async function analyzeWeights(runs: string[], o: { out: string; force?: boolean; permutations: number }): Promise<number> {
  if (!runs.length) throw new UsageError('give one or more trained runs (e.g. runs/dms-1 runs/afc-1)');
  const nets = runs.map((dir) => {
    const r = loadRateRun(dir);
    if (!r.model.config.dale)
      throw new UsageError(`${dir}: the network has no E/I identity (model.dale is false); synapse classes need Dale's principle`);
    const taus = medianTausOfRun(dir);
    return { run: dir, task: r.task, model: r.model, medianTauMs: taus.kim, unbiasedMedianTauMs: taus.unbiased };
  });
  const w = weightsByTask(nets, new Rng(1).fork('weights'), o.permutations);
  const weights = 'trained effective rate weights relu(w)·sign (rows post, columns pre)';
  const run = await startRun(o.out, {
    kind: EI_WEIGHTS_KIND,
    config: { runs, permutations: o.permutations, weights },
    seed: null,
    force: o.force,
  });
  writeOutputs(run, [], [weightsFigure(w, basename)]);
  run.complete({ networks: w.networks, byTask: w.byTask, comparisons: w.comparisons });
  const f = (v: number | null | undefined, d = 3) => (v != null && Number.isFinite(v) ? v.toFixed(d) : 'n/a');
  for (const [t, b] of Object.entries(w.byTask))
    console.log(
      `  ${t.padEnd(6)} ${b.networks} networks: mean weight E→E ${f(b.eeMeanWeight)}, E→I ${f(b.eiMeanWeight)}, I→E ${f(b.ieMeanWeight)}, I→I ${f(b.iiMeanWeight)}; median τ ${f(b.medianTauMs, 1)} ms (unbiased ${f(b.unbiasedMedianTauMs, 1)})`,
    );
  for (const [name, c] of Object.entries(w.comparisons))
    console.log(
      `  ${name}: Δ I→I ${f(c.iiMeanWeight.difference)} (p ${f(c.iiMeanWeight.p, 3)}), Δ median τ ${f(c.medianTauMs.difference, 1)} ms (p ${f(c.medianTauMs.p, 3)})`,
    );
  console.log(`✓ ${w.networks.length} networks → ${run.dir}`);
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
    .action(exitWith(analyzeWeights));
}
