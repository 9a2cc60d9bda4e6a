/**
 * `wmkit import kim-mat model.mat --out runs/kim-1`
 *
 * Imports a trained DMS network saved by Kim & Sejnowski's code (scipy.io.savemat: w, m, som_m,
 * w_in, w_out, b_out, taus, taus_gaus; see docs/models/ei-rnn.md) as an `ei-rnn.rate` run, so
 * every ei-rnn command works on it; reports the rate network's DMS accuracy and, when the file
 * carries the authors' scaling factor (opt_scaling_factor = 1/λ), the converted spiking
 * network's accuracy (sub-run `lif/`; `checkImportedKimModel` of @wmkit/papers).
 */
import { readMatFile } from '@wmkit/data-io/node';
import { eiRnnPreset, rateRnnFromKimMat, taskRecord } from '@wmkit/ei-rnn';
import { checkImportedKimModelSteps, importedKimRecords, rateModelLine } from '@wmkit/papers';
import { runStepsYielding } from '@wmkit/tensor';
import type { Command } from 'commander';
import { parseIntOption, pct, usage } from '../../options';
import { exitWith } from '../../options-models';
import { Progress } from '../../progress';
import { startRun, subRunDir } from '../../run-helpers';
import { EI_LIF_KIND, EI_RATE_KIND, writeRateModel } from '../ei-rnn/common';
import { warnSkipped } from './inspect';

interface Options {
  out: string;
  trials: number;
  spikingTrials: number;
  seed: number;
  force?: boolean;
}

export async function importKimMat(file: string, o: Options): Promise<number> {
  const mat = usage(() => readMatFile(file));
  warnSkipped(file, mat.skipped);
  const { model, inverseScale, info } = rateRnnFromKimMat(mat.variables, file);
  // the authors' DMS task as the kim2021.dms preset carries it (dt included): later commands read it back from run.json
  const { task } = eiRnnPreset('kim2021.dms');
  const run = await startRun(o.out, {
    kind: EI_RATE_KIND,
    config: { model: model.config, task: taskRecord(task.name, task.config), importedFrom: file, info },
    seed: o.seed,
    preset: 'kim-mat',
    notes: [`imported from ${file} (Kim & Sejnowski .mat layout)`],
    force: o.force,
  });
  writeRateModel(run, model);
  console.log(`▶ ${file}: ${rateModelLine(model)} → ${run.dir}`);
  const bar = inverseScale && o.spikingTrials > 0 ? new Progress('  spiking DMS', 1) : null;
  // the event loop runs between chunks of trials, so Ctrl-C / SIGTERM stop the evaluation
  const check = await runStepsYielding(
    checkImportedKimModelSteps(
      model,
      { seed: o.seed, trials: o.trials, spikingTrials: o.spikingTrials, inverseScale },
      { onProgress: (p) => bar?.update(p.done) },
    ),
  );
  bar?.finish(1);
  console.log(
    `  rate network: DMS accuracy ${pct(check.rate.accuracy)} (${o.trials} trials), 750-ms delay ${pct(check.rateLong.accuracy)}`,
  );
  const { metrics, lif } = importedKimRecords(check, inverseScale);
  if (lif) {
    const config = { parent: '..', inverseScale, source: `${file}: opt_scaling_factor` };
    (await startRun(subRunDir(run.dir, 'lif'), { kind: EI_LIF_KIND, config, seed: o.seed, force: true })).complete(lif);
    console.log(
      `  spiking network (1/λ = ${inverseScale} from the file): DMS accuracy ${pct(lif.spikingAccuracyShortDelay)} (${o.spikingTrials} trials), mean rate ${lif.meanRateHz.toFixed(1)} Hz`,
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
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit import kim-mat Task_dms_N200.mat --out runs/kim-1\n  wmkit analyze timescales runs/kim-1\n\n' +
        'Writes: run.json (kind ei-rnn.rate), the model arrays (w, sign, som_m, w_in, bias, w_out, b_out, taus_gaus, tau_ms .npy);\n' +
        '        with opt_scaling_factor in the file, the sub-run lif/ (its 1/λ and the spiking accuracy)',
    )
    .action(exitWith(importKimMat));
}
