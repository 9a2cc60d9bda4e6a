/**
 * `wmkit experiment scale-synapses runs/dms-1 --block ii --factor 1.3`
 *
 * Kim & Sejnowski 2021 (Fig. 5): scale one synapse class (I→I here) and re-measure neuronal
 * timescales and DMS performance (`scaleSynapsesExperiment` of @wmkit/papers). The baseline
 * (factor 1) and the scaled network are measured with the same random trials and noise (a paired
 * comparison); the spiking network keeps the parent's λ. Writes the sub-run
 * `<run>/scale-<block>-<factor>`.
 */
import { KIM_BLOCKS, type KimBlock, scaleSynapsesExperiment } from '@wmkit/papers';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { parseIntOption, parseNumberOption, pct } from '../../options';
import { Progress } from '../../progress';
import { loadLifRun, loadRateRun, writeScaleRun } from './common';

interface ExperimentOptions {
  block: string;
  factor: number;
  trials: number;
  timescaleTrials: number;
}

export async function scaleSynapsesCommand(dir: string, o: ExperimentOptions): Promise<number> {
  if (!(o.block in KIM_BLOCKS)) throw new UsageError(`--block must be one of ii (I→I), ee (E→E), ei (E→I), ie (I→E); got '${o.block}'`);
  if (!(o.factor >= 0)) throw new UsageError(`--factor must be ≥ 0, got ${o.factor}`);
  const block = o.block as KimBlock;
  const { model, seed } = loadRateRun(dir);
  const { inverseScale } = loadLifRun(dir, model);
  console.log(
    `▶ ${KIM_BLOCKS[block]} synapses × ${o.factor} in ${dir} (paired with the unscaled network) → ${dir}/scale-${block}-${o.factor}`,
  );
  const bar = new Progress('  measuring', 1);
  const r = scaleSynapsesExperiment(
    model,
    { seed, block, factor: o.factor, inverseScale, trials: o.trials, timescaleTrials: o.timescaleTrials },
    { onProgress: (p) => bar.update(p.done) },
  );
  bar.finish(1);
  await writeScaleRun(dir, seed, model, r, {
    trials: o.trials,
    timescaleTrials: o.timescaleTrials,
    inverseScale,
    label: KIM_BLOCKS[block],
  });
  const base = r.summary.baseline;
  const exp = r.summary.scaled;
  const row = (name: string, a: number, b: number, f: (x: number) => string) =>
    console.log(`  ${name.padEnd(30)} ${f(a).padStart(10)} ${f(b).padStart(10)}`);
  console.log(`  ${''.padEnd(30)} ${'factor 1'.padStart(10)} ${`× ${o.factor}`.padStart(10)}`);
  row('rate DMS, 50-ms delay', base.rateAccuracyShort, exp.rateAccuracyShort, pct);
  row('rate DMS, 750-ms delay', base.rateAccuracyLong, exp.rateAccuracyLong, pct);
  row('spiking DMS, 50-ms delay', base.spikingAccuracyShort, exp.spikingAccuracyShort, pct);
  row('spiking DMS, 750-ms delay', base.spikingAccuracyLong, exp.spikingAccuracyLong, pct);
  row('units fitted', base.included, exp.included, (x) => String(x));
  row('median τ (ms)', base.medianTauMs, exp.medianTauMs, (x) => x.toFixed(1));
  row('population τ (ms)', base.populationTauMs ?? Number.NaN, exp.populationTauMs ?? Number.NaN, (x) => x.toFixed(1));
  row('mean rate (Hz)', base.meanRateHz, exp.meanRateHz, (x) => x.toFixed(1));
  return 0;
}

export function registerExperiment(program: Command): void {
  const experiment = program.command('experiment').description('manipulate a trained model and re-measure it');
  experiment
    .command('scale-synapses <run>')
    .description(
      'scale one synapse class of a converted E/I network (Kim & Sejnowski 2021: I→I × 1.3 or 0.7) and re-measure timescales and DMS accuracy, paired with the unscaled network',
    )
    .requiredOption('--block <block>', 'ii (I→I), ee (E→E), ei (E→I) or ie (I→E)')
    .requiredOption('--factor <x>', 'multiplier, e.g. 1.3 or 0.7', parseNumberOption('factor'))
    .option('--trials <n>', 'DMS trials per measurement', parseIntOption('trials', 1), 100)
    .option('--timescale-trials <n>', 'spontaneous trials for timescales', parseIntOption('timescale-trials', 1), 50)
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit experiment scale-synapses runs/dms-1 --block ii --factor 1.3\n\n' +
        'Writes: <run>/scale-<block>-<factor>/run.json (metrics of the unscaled and the scaled network), counts.npy,\n' +
        '        tau_ms.npy, status.npy, rate_hz.npy, autocorrelation.npy, inhibitory.npy, baseline_tau_ms.npy,\n' +
        '        tau_histogram.svg, autocorrelation.svg',
    )
    .action(async (run: string, o: ExperimentOptions) => {
      process.exitCode = await scaleSynapsesCommand(run, o);
    });
}
