/**
 * `wmkit experiment subgroups runs/dms-1 --factor 0` (Kim & Sejnowski 2021 Fig. 6)
 *
 * Finds the two oppositely tuned inhibitory subgroups of a trained DMS network (cue selectivity of
 * the rate network over stimulus 1 and the delay), measures the I→I connection strengths within
 * and between them, scales only the between-subgroup I→I connections and compares the 750-ms-delay
 * DMS accuracy with random equal-size sets of I→I connections scaled instead (`kimSubgroups`).
 */
import { kimSubgroups } from '@wmkit/papers';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { parseIntOption, parseNumberOption } from '../../options';
import { startRun, subRunDir } from '../../run-helpers';
import { loadRateRun } from './common';

export const EI_SUBGROUPS_KIND = 'ei-rnn.subgroups';

interface Options {
  factor: number;
  controls: number;
  trials: number;
  minSelectivity: number;
}

export async function experimentSubgroups(dir: string, o: Options): Promise<number> {
  if (!(o.factor >= 0)) throw new UsageError(`--factor must be ≥ 0 (0 silences the between-subgroup connections), got ${o.factor}`);
  if (!(o.minSelectivity > 0)) throw new UsageError(`--min-selectivity must be > 0, got ${o.minSelectivity}`);
  const rate = loadRateRun(dir);
  if (rate.task !== 'dms')
    throw new UsageError(`${dir} was trained on ${rate.task}; the subgroup experiment needs a DMS network (wmkit train ei-rnn --task dms)`);
  if (!rate.model.config.dale) throw new UsageError(`${dir}: the network has no E/I identity (model.dale is false)`);
  const out = subRunDir(dir, `subgroups-${o.factor}`);
  console.log(`▶ inhibitory subgroups of ${dir}: between-subgroup I→I × ${o.factor} vs ${o.controls} random controls → ${out}`);
  const r = kimSubgroups(rate.model, new Rng(rate.seed).fork('subgroups'), {
    factor: o.factor,
    controls: o.controls,
    evalTrials: o.trials,
    minSelectivity: o.minSelectivity,
  });
  const run = await startRun(out, {
    kind: EI_SUBGROUPS_KIND,
    config: {
      parent: '..',
      factor: o.factor,
      controls: o.controls,
      evalTrials: o.trials,
      minSelectivity: o.minSelectivity,
      network: 'rate',
    },
    seed: rate.seed,
    force: true,
  });
  const N = rate.model.config.N;
  run.writeArray(
    'selectivity',
    { data: r.selectivity, shape: [N] },
    { description: 'cue selectivity d′ (+1 vs −1) per unit, stimulus 1 and delay (NaN: excitatory)' },
  );
  run.writeArray(
    'group_a',
    { data: Int32Array.from(r.groupA), shape: [r.groupA.length] },
    { dtype: 'int32', description: 'inhibitory units preferring cue +1' },
  );
  run.writeArray(
    'group_b',
    { data: Int32Array.from(r.groupB), shape: [r.groupB.length] },
    { dtype: 'int32', description: 'inhibitory units preferring cue −1' },
  );
  run.writeArray('control_accuracy', { data: Float32Array.from(r.accuracy.controls), shape: [r.accuracy.controls.length] });
  const controlsBelow = r.accuracy.controls.filter((a) => a <= r.accuracy.between).length;
  const metrics = {
    groupA: r.groupA.length,
    groupB: r.groupB.length,
    betweenConnections: r.betweenConnections,
    strengthWithinA: r.strength.withinA,
    strengthWithinB: r.strength.withinB,
    strengthAToB: r.strength.aToB,
    strengthBToA: r.strength.bToA,
    strengthAllII: r.strength.allII,
    accuracyBaseline: r.accuracy.baseline,
    accuracyBetweenScaled: r.accuracy.between,
    accuracyControlMean: r.accuracy.controlMean,
    // share of controls at or below the between-subgroup accuracy: a permutation-style p for "hurts more than random"
    pControlAsLow: (1 + controlsBelow) / (1 + r.accuracy.controls.length),
  };
  run.complete(metrics);
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  console.log(
    `  subgroups: ${r.groupA.length} inhibitory units prefer +1, ${r.groupB.length} prefer −1; mean |w| within ${f(r.strength.withinA)} / ${f(r.strength.withinB)}, between A→B ${f(r.strength.aToB)}, B→A ${f(r.strength.bToA)} (all I→I ${f(r.strength.allII)})`,
  );
  console.log(
    `✓ 750-ms DMS accuracy (rate): baseline ${pct(r.accuracy.baseline)}, between-subgroup I→I × ${o.factor} ${pct(r.accuracy.between)} (${r.betweenConnections} connections), random controls ${pct(r.accuracy.controlMean)} (p ${metrics.pControlAsLow.toFixed(3)}) → ${run.dir}`,
  );
  return 0;
}

export function registerExperimentSubgroups(program: Command): void {
  const experiment = program.commands.find((c) => c.name() === 'experiment') ?? program.command('experiment');
  experiment
    .command('subgroups <run>')
    .description(
      'Kim & Sejnowski 2021 Fig. 6: find the two oppositely tuned inhibitory subgroups of a DMS network, measure I→I strengths within and between them, scale only the between-subgroup I→I connections and compare DMS accuracy with equal-size random I→I controls',
    )
    .option('--factor <x>', 'factor for the between-subgroup I→I weights (0 silences them)', parseNumberOption('factor'), 0)
    .option('--controls <n>', 'random control sets', parseIntOption('controls', 1), 10)
    .option('--trials <n>', '750-ms-delay DMS trials per accuracy', parseIntOption('trials', 1), 200)
    .option('--min-selectivity <d>', '|d′| an inhibitory unit needs to join a subgroup', parseNumberOption('min-selectivity'), 0.5)
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit experiment subgroups runs/dms-1 --factor 0\n  wmkit experiment subgroups runs/dms-1 --factor 1.3 --controls 20\n\nWrites: <run>/subgroups-<factor>: run.json (group sizes, strengths, accuracies, pControlAsLow), selectivity.npy, group_a.npy, group_b.npy, control_accuracy.npy',
    )
    .action(async (run: string, o: Options) => {
      process.exitCode = await experimentSubgroups(run, o);
    });
}
