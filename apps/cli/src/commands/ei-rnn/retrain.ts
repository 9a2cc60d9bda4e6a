/**
 * `wmkit experiment retrain runs/dms-1 --task afc` (Kim & Sejnowski 2021 Fig. 8)
 *
 * Retrains a network on another task with its recurrent weights and time constants frozen (new
 * input weights and the read-out are trained; `kimRetrain`), converts it to LIF (λ search on the
 * new task), re-measures the neuronal timescales and correlates each unit's τ before and after.
 */
import { tauBeforeAfterSvg } from '@wmkit/figures';
import { EI_RETRAIN_KIND, type KimRetrainRunOptions, kimRetrainExperiment, retrainRunOutputs } from '@wmkit/papers';
import { timescalesOfRun } from '@wmkit/papers/node';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { parseIntOption } from '../../options';
import { addEiOptions, exitWith, parseTaskName } from '../../options-models';
import { Progress } from '../../progress';
import { startRun, subRunDir, writeOutputs } from '../../run-helpers';
import { loadRateRun, presetOrError } from './common';

export async function experimentRetrain(dir: string, o: KimRetrainRunOptions): Promise<number> {
  const rate = loadRateRun(dir);
  if (rate.task === o.task) throw new UsageError(`${dir} was already trained on ${o.task}; choose another --task (dms, afc or gonogo)`);
  const before = timescalesOfRun(dir); // names `wmkit analyze timescales` when missing
  const preset = presetOrError(`kim2021.${o.task}`);
  const out = subRunDir(dir, `retrain-${o.task}`);
  const rng = new Rng(rate.seed).fork(`retrain-${o.task}`);
  console.log(`▶ retraining ${dir} (${rate.task}) on ${o.task} with the recurrent weights and τ frozen (≤ ${o.maxTrials} trials) → ${out}`);
  const bar = new Progress('  retraining', 1);
  const { task, grid, trials, timescaleTrials } = o;
  const train = { ...preset.train, maxTrials: o.maxTrials };
  const r = await kimRetrainExperiment(rate.model, before, rng, { task, train, grid, trials, timescaleTrials, seed: rate.seed });
  bar.finish(1);
  const { config, arrays, metrics, lines } = retrainRunOutputs(r, before, o);
  const run = await startRun(out, { kind: EI_RETRAIN_KIND, config, seed: rate.seed, force: true });
  const title = `${dir}: τ before vs after retraining on ${o.task} (Spearman ρ ${r.spearman.rho.toFixed(2)}, n ${r.spearman.n})`;
  writeOutputs(run, arrays, [['tau_before_after', tauBeforeAfterSvg(r.pairs, title), 'each unit’s timescale before and after retraining']]);
  run.complete(metrics);
  console.log(lines[0]);
  console.log(`${lines[1]} → ${run.dir}`);
  return 0;
}

export function registerExperimentRetrain(experiment: Command): void {
  const cmd = experiment
    .command('retrain <run>')
    .description(
      'Kim & Sejnowski 2021 Fig. 8: retrain a converted network on another task with the recurrent weights and τ frozen (input and read-out only), then compare each unit’s τ before and after',
    )
    .requiredOption('--task <name>', 'the new task: afc, gonogo or dms', parseTaskName)
    .option('--max-trials <n>', 'retraining budget (trials)', parseIntOption('max-trials', 1), 6000);
  addEiOptions(cmd, {
    grid: ['values of 1/λ for the conversion of the retrained network', [20, 30, 40, 50, 60, 75]],
    trials: ['task trials per 1/λ', 50],
    timescaleTrials: ['spontaneous trials for the timescales'],
  })
    .addHelpText(
      'after',
      '\nThe run needs its timescales analysis (wmkit analyze timescales <run>).\n\nExamples:\n  wmkit experiment retrain runs/dms-1 --task afc\n\nWrites: <run>/retrain-<task>: run.json (accuracies, Spearman ρ and p of τ before vs after), model arrays, tau_before_ms.npy, tau_after_ms.npy, tau_before_after.svg',
    )
    .action(exitWith(experimentRetrain));
}
