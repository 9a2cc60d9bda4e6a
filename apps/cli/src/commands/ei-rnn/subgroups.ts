/**
 * `wmkit experiment subgroups runs/dms-1 --factor 0,0.5,0.8 [--spiking]` (Kim & Sejnowski 2021 Fig. 6)
 *
 * Finds the two oppositely tuned inhibitory subgroups of a trained DMS network (cue selectivity of
 * the rate network over stimulus 1 and the delay), measures the I→I connection strengths within
 * and between them, scales only the between-subgroup I→I connections by each factor and compares
 * the 750-ms-delay DMS accuracy with random equal-size sets of I→I connections scaled instead
 * (`kimSubgroups`): on the rate network, or with --spiking on the converted LIF network.
 */
import {
  EI_SUBGROUPS_KIND,
  kimSubgroups,
  subgroupRunConfig,
  subgroupRunOutputs,
  subgroupScalingLine,
  subgroupStrengthLine,
} from '@wmkit/papers';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { parseIntOption, parseListOption, parseNumberOption } from '../../options';
import { addEiOptions, exitWith } from '../../options-models';
import { startRun, subRunDir, writeOutputs } from '../../run-helpers';
import { loadLifRun, loadRateRun } from './common';

interface Options {
  factor: number[];
  controls: number;
  trials?: number;
  minSelectivity: number;
  spiking?: boolean;
}

export async function experimentSubgroups(dir: string, o: Options): Promise<number> {
  for (const f of o.factor)
    if (!(f >= 0)) throw new UsageError(`--factor must be ≥ 0 (0 silences the between-subgroup connections), got ${f}`);
  if (!(o.minSelectivity > 0)) throw new UsageError(`--min-selectivity must be > 0, got ${o.minSelectivity}`);
  const rate = loadRateRun(dir);
  if (rate.task !== 'dms')
    throw new UsageError(`${dir} was trained on ${rate.task}; the subgroup experiment needs a DMS network (wmkit train ei-rnn --task dms)`);
  if (!rate.model.config.dale) throw new UsageError(`${dir}: the network has no E/I identity (model.dale is false)`);
  const inverseScale = o.spiking ? loadLifRun(dir, rate.model).inverseScale : undefined; // names `convert lif` when missing
  const network = o.spiking ? 'spiking' : 'rate';
  const trials = o.trials ?? (o.spiking ? 50 : 200);
  const name = (f: number) => (o.spiking ? `subgroups-spiking-${f}` : `subgroups-${f}`);
  console.log(
    `▶ inhibitory subgroups of ${dir}: between-subgroup I→I × ${o.factor.join(', × ')} vs ${o.controls} random controls, ${network} network, ${trials} trials → ${o.factor.map((f) => subRunDir(dir, name(f))).join(', ')}`,
  );
  const r = kimSubgroups(rate.model, new Rng(rate.seed).fork('subgroups'), {
    factors: o.factor,
    controls: o.controls,
    evalTrials: trials,
    minSelectivity: o.minSelectivity,
    spikingInverseScale: inverseScale,
  });
  console.log(subgroupStrengthLine(r));
  for (const s of r.scaled) {
    const { arrays, metrics } = subgroupRunOutputs(r, s);
    const config = subgroupRunConfig(s.factor, { ...o, evalTrials: trials, network, inverseScale });
    const run = await startRun(subRunDir(dir, name(s.factor)), { kind: EI_SUBGROUPS_KIND, config, seed: rate.seed, force: true });
    writeOutputs(run, arrays);
    run.complete(metrics);
    console.log(`${subgroupScalingLine(r, s, network)} → ${run.dir}`);
  }
  return 0;
}

export function registerExperimentSubgroups(experiment: Command): void {
  const cmd = experiment
    .command('subgroups <run>')
    .description(
      'Kim & Sejnowski 2021 Fig. 6: find the two oppositely tuned inhibitory subgroups of a DMS network, measure I→I strengths within and between them, scale only the between-subgroup I→I connections and compare DMS accuracy with equal-size random I→I controls',
    )
    .option(
      '--factor <list>',
      'factors for the between-subgroup I→I weights, one experiment each (0 silences them)',
      parseListOption('factor'),
      [0],
    )
    .option('--controls <n>', 'random control sets', parseIntOption('controls', 1), 10);
  addEiOptions(cmd, { trials: ['750-ms-delay DMS trials per accuracy (default 200; with --spiking 50)'] })
    .option('--min-selectivity <d>', '|d′| an inhibitory unit needs to join a subgroup', parseNumberOption('min-selectivity'), 0.5)
    .option(
      '--spiking',
      'measure the accuracies on the converted LIF network (needs `wmkit convert lif <run>`); the subgroups are found on the rate network',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit experiment subgroups runs/dms-1 --factor 0\n  wmkit experiment subgroups runs/dms-1 --factor 0,0.5,0.8 --controls 20\n  wmkit experiment subgroups runs/dms-1 --factor 0.5,0.8 --spiking --controls 5 --trials 40\n\nWrites: <run>/subgroups-<factor> (with --spiking: subgroups-spiking-<factor>), one per factor: run.json (group sizes, strengths, accuracies, pControlAsLow), selectivity.npy, group_a.npy, group_b.npy, control_accuracy.npy',
    )
    .action(exitWith(experimentSubgroups));
}
