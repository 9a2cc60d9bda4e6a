/**
 * `wmkit experiment scale-synapses runs/dms-1 --block ii --factor 1.3`
 *
 * Kim & Sejnowski 2021: scale one synapse class (I→I here) and re-measure neuronal timescales and
 * DMS performance. The baseline (factor 1) and the scaled network are measured with the same
 * random trials and noise (a paired comparison); the spiking network keeps the parent's λ.
 * Writes the sub-run `<run>/scale-<block>-<factor>`.
 */
import type { SynapseClass } from '@wmkit/core-neuron';
import { evaluateRate, evaluateSpiking, scaleSynapses, toSpiking } from '@wmkit/ei-rnn';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { parseIntOption, parseNumberOption, pct } from '../../options';
import { Progress } from '../../progress';
import { startRun, subRunDir } from '../../run-helpers';
import { dmsTasks, loadLifRun, loadRateRun } from './common';
import { measureTimescales, writeTimescales } from './timescales';

const BLOCKS: Record<string, string> = { ii: 'I→I', ee: 'E→E', ei: 'E→I', ie: 'I→E' };

interface ExperimentOptions {
  block: string;
  factor: number;
  trials: number;
  timescaleTrials: number;
}

export async function scaleSynapsesExperiment(dir: string, o: ExperimentOptions): Promise<number> {
  if (!(o.block in BLOCKS)) throw new UsageError(`--block must be one of ii (I→I), ee (E→E), ei (E→I), ie (I→E); got '${o.block}'`);
  if (!(o.factor >= 0)) throw new UsageError(`--factor must be ≥ 0, got ${o.factor}`);
  const { model, seed } = loadRateRun(dir);
  const { inverseScale } = loadLifRun(dir, model);
  const tasks = dmsTasks();
  const out = subRunDir(dir, `scale-${o.block}-${o.factor}`);
  const run = await startRun(out, {
    kind: 'ei-rnn.scale-synapses',
    config: { parent: '..', block: o.block, factor: o.factor, trials: o.trials, timescaleTrials: o.timescaleTrials, inverseScale },
    seed,
    force: true,
  });
  console.log(`▶ ${BLOCKS[o.block]} synapses × ${o.factor} in ${dir} (paired with the unscaled network) → ${out}`);
  const scaled = scaleSynapses(model, o.block as SynapseClass, o.factor);
  const rng = new Rng(seed).fork(`scale-${o.block}`);
  const measure = (m: typeof model, label: string) => {
    const net = toSpiking(m, { scale: 1 / inverseScale });
    const rateShort = evaluateRate(m, tasks.short, o.trials, rng.fork('rate-short'), 'kim-l2').score.accuracy;
    const rateLong = evaluateRate(m, tasks.long, o.trials, rng.fork('rate-long'), 'kim-l2').score.accuracy;
    const bar = new Progress(`  ${label}: spiking DMS`, 1);
    const spikeShort = evaluateSpiking(net, tasks.short, o.trials, rng.fork('spike-short'), 50, (f) => bar.update(f / 2)).accuracy;
    const spikeLong = evaluateSpiking(net, tasks.long, o.trials, rng.fork('spike-long'), 50, (f) => bar.update(0.5 + f / 2)).accuracy;
    bar.finish(1);
    const ts = measureTimescales(net, rng.fork('timescales'), o.timescaleTrials, `  ${label}: timescales`);
    return { rateShort, rateLong, spikeShort, spikeLong, ...ts };
  };
  const base = measure(model, 'factor 1');
  const exp = measure(scaled, `factor ${o.factor}`);
  writeTimescales(run, scaled, exp.counts, exp.result, `${BLOCKS[o.block]} × ${o.factor}: neuronal timescales`);
  run.writeArray('baseline_tau_ms', {
    data: Float32Array.from(base.result.units, (u) => (u.status === 'ok' ? u.tauMs : Number.NaN)),
    shape: [model.config.N],
  });
  const metrics = {
    block: o.block,
    factor: o.factor,
    baseline: {
      rateAccuracyShort: base.rateShort,
      rateAccuracyLong: base.rateLong,
      spikingAccuracyShort: base.spikeShort,
      spikingAccuracyLong: base.spikeLong,
      ...base.summary,
    },
    scaled: {
      rateAccuracyShort: exp.rateShort,
      rateAccuracyLong: exp.rateLong,
      spikingAccuracyShort: exp.spikeShort,
      spikingAccuracyLong: exp.spikeLong,
      ...exp.summary,
    },
    medianTauChangeMs: exp.summary.medianTauMs - base.summary.medianTauMs,
    populationTauChangeMs: (exp.summary.populationTauMs ?? Number.NaN) - (base.summary.populationTauMs ?? Number.NaN),
  };
  run.complete(metrics);
  const row = (name: string, a: number, b: number, f: (x: number) => string) =>
    console.log(`  ${name.padEnd(30)} ${f(a).padStart(10)} ${f(b).padStart(10)}`);
  console.log(`  ${''.padEnd(30)} ${'factor 1'.padStart(10)} ${`× ${o.factor}`.padStart(10)}`);
  row('rate DMS, 50-ms delay', base.rateShort, exp.rateShort, pct);
  row('rate DMS, 750-ms delay', base.rateLong, exp.rateLong, pct);
  row('spiking DMS, 50-ms delay', base.spikeShort, exp.spikeShort, pct);
  row('spiking DMS, 750-ms delay', base.spikeLong, exp.spikeLong, pct);
  row('units fitted', base.summary.included, exp.summary.included, (x) => String(x));
  row('median τ (ms)', base.summary.medianTauMs, exp.summary.medianTauMs, (x) => x.toFixed(1));
  row('population τ (ms)', base.summary.populationTauMs ?? Number.NaN, exp.summary.populationTauMs ?? Number.NaN, (x) => x.toFixed(1));
  row('mean rate (Hz)', base.summary.meanRateHz, exp.summary.meanRateHz, (x) => x.toFixed(1));
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
    .action(async (run: string, o: ExperimentOptions) => {
      process.exitCode = await scaleSynapsesExperiment(run, o);
    });
}
