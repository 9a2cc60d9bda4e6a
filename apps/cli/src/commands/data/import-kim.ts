/**
 * `wmkit import kim-mat model.mat --out runs/kim-1`
 *
 * Imports a trained DMS network saved by Kim & Sejnowski's code (scipy.io.savemat, fields of
 * docs/models/ei-rnn.md §Interchange) as an `ei-rnn.rate` run, so every ei-rnn command works on it; reports the
 * rate network's DMS accuracy and, when the file carries the authors' scaling factor
 * (opt_scaling_factor = 1/λ), the converted spiking network's accuracy (sub-run `lif/`).
 */
import { readFileSync } from 'node:fs';
import { readMat } from '@wmkit/data-io';
import { evaluateRate, evaluateSpiking, KIM_TRAIN_CONFIG, rateRnnFromKimMat, rateRnnToArrays, toSpiking, unitTauMs } from '@wmkit/ei-rnn';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { parseIntOption, pct } from '../../options';
import { Progress } from '../../progress';
import { startRun, subRunDir } from '../../run-helpers';
import { dmsTasks, EI_LIF_KIND, EI_RATE_KIND } from '../ei-rnn/common';

interface Options {
  out: string;
  trials: number;
  spikingTrials: number;
  seed: number;
  force?: boolean;
}

export async function importKimMat(file: string, o: Options): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new UsageError(`${file}: cannot read the file`);
  }
  const { model, inverseScale, info } = rateRnnFromKimMat(readMat(bytes, file).variables, file);
  const tasks = dmsTasks();
  const run = await startRun(o.out, {
    kind: EI_RATE_KIND,
    config: { model: model.config, task: tasks.short.config, importedFrom: file, info },
    seed: o.seed,
    preset: 'kim-mat',
    notes: [`imported from ${file} (Kim & Sejnowski .mat layout)`],
    force: o.force,
  });
  for (const [name, arr] of Object.entries(rateRnnToArrays(model))) run.writeArray(name, arr);
  run.writeArray('tau_ms', { data: unitTauMs(model), shape: [model.config.N] }, { description: 'per-unit synaptic decay τ_d (ms)' });
  const rng = new Rng(o.seed).fork('import');
  const N = model.config.N;
  const nInh = model.sign.filter((s) => s < 0).length;
  console.log(
    `▶ ${file}: N = ${N} (${N - nInh} E, ${nInh} I), ${model.config.nInputs} inputs, τ ${model.config.tau.kind === 'trainable' ? `${model.config.tau.minSteps}–${model.config.tau.maxSteps} steps` : 'fixed'} → ${run.dir}`,
  );
  const rate = evaluateRate(model, tasks.short, o.trials, rng.fork('rate'), KIM_TRAIN_CONFIG.loss);
  const rateLong = evaluateRate(model, tasks.long, o.trials, rng.fork('rate-long'), KIM_TRAIN_CONFIG.loss);
  console.log(
    `  rate network: DMS accuracy ${pct(rate.score.accuracy)} (${o.trials} trials), 750-ms delay ${pct(rateLong.score.accuracy)}`,
  );
  const metrics: Record<string, unknown> = {
    rateAccuracyShortDelay: rate.score.accuracy,
    rateAccuracyLongDelay: rateLong.score.accuracy,
    evalLoss: rate.loss,
  };
  if (inverseScale && o.spikingTrials > 0) {
    const lif = await startRun(subRunDir(run.dir, 'lif'), {
      kind: EI_LIF_KIND,
      config: { parent: '..', inverseScale, source: `${file}: opt_scaling_factor` },
      seed: o.seed,
      force: true,
    });
    const net = toSpiking(model, { scale: 1 / inverseScale });
    const bar = new Progress('  spiking DMS', 1);
    const spk = evaluateSpiking(net, tasks.short, o.spikingTrials, rng.fork('spiking'), 50, (f) => bar.update(f));
    bar.finish(1);
    lif.complete({
      bestInverseScale: inverseScale,
      bestScale: 1 / inverseScale,
      spikingAccuracyShortDelay: spk.accuracy,
      meanRateHz: spk.meanRateHz,
    });
    metrics.spikingAccuracyShortDelay = spk.accuracy;
    metrics.inverseScale = inverseScale;
    console.log(
      `  spiking network (1/λ = ${inverseScale} from the file): DMS accuracy ${pct(spk.accuracy)} (${o.spikingTrials} trials), mean rate ${spk.meanRateHz.toFixed(1)} Hz`,
    );
  } else if (!inverseScale) {
    console.log(`  no opt_scaling_factor in the file: run \`wmkit convert lif ${run.dir}\` for the spiking network`);
  }
  run.complete(metrics);
  console.log(`✓ imported: ${run.dir} (every ei-rnn command works on it, e.g. wmkit analyze timescales ${run.dir})`);
  return 0;
}

export function registerImport(program: Command): void {
  const imp = program.command('import').description('import a model or data set from another tool into a wmkit run directory');
  imp
    .command('kim-mat <file>')
    .description(
      'a trained DMS model of Kim & Sejnowski (.mat from scipy.io.savemat: w, m, som_m, w_in, w_out, b_out, taus, taus_gaus): rate and spiking accuracy',
    )
    .option('--out <dir>', 'run directory', 'runs/kim-imported')
    .option('--trials <n>', 'DMS trials for the rate network', parseIntOption('trials', 1), 200)
    .option('--spiking-trials <n>', 'DMS trials for the spiking network (0: skip)', parseIntOption('spiking-trials', 0), 100)
    .option('--seed <n>', 'seed of the evaluation trials', parseIntOption('seed', 0), 1)
    .option('--force', 'replace an existing run in --out')
    .action(async (file: string, o: Options) => {
      process.exitCode = await importKimMat(file, o);
    });
}
