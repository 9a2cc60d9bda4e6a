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
import { EI_RUN_KINDS, weightsByTask, weightsLines } from '@wmkit/papers';
import { weightsNetworkOfRun } from '@wmkit/papers/node';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { usage } from '../../options';
import { addEiOptions, exitWith } from '../../options-models';
import { startRun, writeOutputs } from '../../run-helpers';

export async function analyzeWeights(runs: string[], o: { out: string; force?: boolean; permutations: number }): Promise<number> {
  if (!runs.length) throw new UsageError('give one or more trained runs (e.g. runs/dms-1 runs/afc-1)');
  const nets = runs.map(weightsNetworkOfRun);
  const w = usage(() => weightsByTask(nets, new Rng(1).fork('weights'), o.permutations)); // a network without E/I identity: exit code 2
  const weights = 'trained effective rate weights relu(w)·sign (rows post, columns pre)';
  const run = await startRun(o.out, {
    kind: EI_RUN_KINDS.weights,
    config: { runs, permutations: o.permutations, weights },
    seed: null,
    force: o.force,
  });
  writeOutputs(run, [], [weightsFigure(w, basename)]);
  run.complete({ networks: w.networks, byTask: w.byTask, comparisons: w.comparisons });
  for (const line of weightsLines(w)) console.log(line);
  console.log(`✓ ${w.networks.length} networks → ${run.dir}`);
  return 0;
}

export function registerAnalyzeWeights(analyze: Command): void {
  const cmd = analyze
    .command('weights <runs...>')
    .description(
      'synapse-class weight statistics (E→E, E→I, I→E, I→I) and median τ of trained E/I networks, compared by training task (Kim & Sejnowski 2021 Fig. 4)',
    );
  addEiOptions(cmd, { out: [undefined, 'runs/weights'], permutations: true, force: true })
    .addHelpText(
      'after',
      '\nMedian τ comes from each run’s timescales analysis (wmkit analyze timescales <run>) when it has one.\n\nExamples:\n  wmkit analyze weights runs/dms-1 runs/dms-2 runs/afc-1 runs/afc-2 runs/gonogo-1 runs/gonogo-2 --out runs/fig4\n\nWrites: <out>/run.json (per network: task, class means, median τ; by task; DMS vs AFC and Go/NoGo with permutation p), weights_by_task.svg',
    )
    .action(exitWith(analyzeWeights));
}
