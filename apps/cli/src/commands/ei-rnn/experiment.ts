/**
 * `wmkit experiment scale-synapses runs/dms-1 --block ii --factor 1.3`
 *
 * Kim & Sejnowski 2021 (Fig. 5): scale one synapse class (I→I here) and re-measure neuronal
 * timescales and DMS performance (`scaleSynapsesExperiment` of @wmkit/papers). The baseline
 * (factor 1) and the scaled network are measured with the same random trials and noise (a paired
 * comparison); the spiking network keeps the parent's λ. Writes the sub-run
 * `<run>/scale-<block>-<factor>`.
 */
import type { EiRnnTaskName } from '@wmkit/ei-rnn';
import { KIM_BLOCKS, type KimBlock, requireRecordedTask, scaleSummaryRows, scaleSynapsesExperiment } from '@wmkit/papers';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { parseNumberOption } from '../../options';
import { addEiOptions, exitWith } from '../../options-models';
import { Progress } from '../../progress';
import { loadLifRun, loadRateRun, taskOfRun, writeScaleRun } from './common';

interface ExperimentOptions {
  block: string;
  factor: number;
  trials: number;
  timescaleTrials: number;
  task?: EiRnnTaskName;
}

export async function scaleSynapsesCommand(dir: string, o: ExperimentOptions): Promise<number> {
  if (!(o.block in KIM_BLOCKS)) throw new UsageError(`--block must be one of ii (I→I), ee (E→E), ei (E→I), ie (I→E); got '${o.block}'`);
  if (!(o.factor >= 0)) throw new UsageError(`--factor must be ≥ 0, got ${o.factor}`);
  const block = o.block as KimBlock;
  const rate = loadRateRun(dir);
  const { model, seed } = rate;
  // Fig. 5 measures DMS networks: the run must record Kim's DMS task (dt included)
  requireRecordedTask(taskOfRun(rate, o.task), { name: 'dms', what: 'experiment scale-synapses' }, `${dir}/run.json`);
  const { inverseScale } = loadLifRun(dir, model);
  console.log(
    `▶ ${KIM_BLOCKS[block]} synapses × ${o.factor} in ${dir} (paired with the unscaled network) → ${dir}/scale-${block}-${o.factor}`,
  );
  const bar = new Progress('  measuring', 1);
  const { factor, trials, timescaleTrials } = o;
  const protocol = { seed, block, factor, inverseScale, trials, timescaleTrials };
  const r = scaleSynapsesExperiment(model, protocol, { onProgress: (p) => bar.update(p.done) });
  bar.finish(1);
  await writeScaleRun(dir, seed, model, r, { trials, timescaleTrials, inverseScale, label: KIM_BLOCKS[block] });
  const row = (cells: string[]) => console.log(`  ${cells[0].padEnd(30)} ${cells[1].padStart(10)} ${cells[2].padStart(10)}`);
  row(['', 'factor 1', `× ${o.factor}`]);
  for (const cells of scaleSummaryRows(r.summary)) row(cells);
  return 0;
}

/** Adds `experiment` with `scale-synapses`; returns the group (its other commands register themselves on it). */
export function registerExperiment(program: Command): Command {
  const experiment = program.command('experiment').description('manipulate a trained model and re-measure it');
  const cmd = experiment
    .command('scale-synapses <run>')
    .description(
      'scale one synapse class of a converted E/I network (Kim & Sejnowski 2021: I→I × 1.3 or 0.7) and re-measure timescales and DMS accuracy, paired with the unscaled network',
    )
    .requiredOption('--block <block>', 'ii (I→I), ee (E→E), ei (E→I) or ie (I→E)')
    .requiredOption('--factor <x>', 'multiplier, e.g. 1.3 or 0.7', parseNumberOption('factor'));
  addEiOptions(cmd, { trials: ['DMS trials per measurement', 100], timescaleTrials: true, task: true })
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit experiment scale-synapses runs/dms-1 --block ii --factor 1.3\n\n' +
        'Writes: <run>/scale-<block>-<factor>/run.json (metrics of the unscaled and the scaled network), counts.npy,\n' +
        '        tau_ms.npy, status.npy, rate_hz.npy, autocorrelation.npy, inhibitory.npy, baseline_tau_ms.npy,\n' +
        '        tau_histogram.svg, autocorrelation.svg',
    )
    .action(exitWith(scaleSynapsesCommand));
  return experiment;
}
