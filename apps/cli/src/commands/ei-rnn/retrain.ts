/**
 * `wmkit experiment retrain runs/dms-1 --task afc` (Kim & Sejnowski 2021 Fig. 8)
 *
 * Retrains a network on another task with its recurrent weights and time constants frozen (new
 * input weights and the read-out are trained; `kimRetrain`), converts it to LIF (λ search on the
 * new task), re-measures the neuronal timescales and correlates each unit's τ before and after.
 */
import { tauBeforeAfterSvg } from '@wmkit/figures';
import { kimRetrainExperiment } from '@wmkit/papers';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { parseIntOption, parseListOption, pct } from '../../options';
import { Progress } from '../../progress';
import { startRun, subRunDir } from '../../run-helpers';
import { loadRateRun, presetOrError, writeRateModel } from './common';
import { timescalesOfRun } from './cross-temporal';

export const EI_RETRAIN_KIND = 'ei-rnn.retrain';

interface Options {
  task: 'afc' | 'gonogo' | 'dms';
  maxTrials: number;
  grid: number[];
  trials: number;
  timescaleTrials: number;
}

export async function experimentRetrain(dir: string, o: Options): Promise<number> {
  const rate = loadRateRun(dir);
  if (rate.task === o.task) throw new UsageError(`${dir} was already trained on ${o.task}; choose another --task (dms, afc or gonogo)`);
  const before = timescalesOfRun(dir); // names `wmkit analyze timescales` when missing
  const preset = presetOrError(`kim2021.${o.task}`);
  const out = subRunDir(dir, `retrain-${o.task}`);
  const rng = new Rng(rate.seed).fork(`retrain-${o.task}`);
  console.log(`▶ retraining ${dir} (${rate.task}) on ${o.task} with the recurrent weights and τ frozen (≤ ${o.maxTrials} trials) → ${out}`);
  const bar = new Progress('  retraining', 1);
  const r = await kimRetrainExperiment(rate.model, before, rng, {
    task: o.task,
    train: { ...preset.train, maxTrials: o.maxTrials },
    grid: o.grid,
    trials: o.trials,
    timescaleTrials: o.timescaleTrials,
    seed: rate.seed,
  });
  bar.finish(1);
  const N = rate.model.config.N;
  const run = await startRun(out, {
    kind: EI_RETRAIN_KIND,
    config: {
      parent: '..',
      task: o.task,
      maxTrials: o.maxTrials,
      frozen: ['w', 'tau'],
      trained: ['w_in', 'w_out', 'b_out'],
      inverseScaleGrid: o.grid,
      trialsPerScale: o.trials,
      timescaleTrials: o.timescaleTrials,
    },
    seed: rate.seed,
    force: true,
  });
  writeRateModel(run, r.retrain.model);
  run.writeArray('tau_before_ms', { data: before, shape: [N] }, { description: 'τ per unit before retraining (NaN: excluded)' });
  run.writeArray('tau_after_ms', { data: r.tauAfterMs, shape: [N] }, { description: 'τ per unit after retraining (NaN: excluded)' });
  run.addFigure(
    'tau_before_after',
    tauBeforeAfterSvg(
      r.pairs,
      `${dir}: τ before vs after retraining on ${o.task} (Spearman ρ ${r.spearman.rho.toFixed(2)}, n ${r.spearman.n})`,
    ),
    'each unit’s timescale before and after retraining',
  );
  const metrics = {
    task: o.task,
    retrainTrials: r.retrain.training.trials,
    reachedStoppingRule: r.retrain.training.success,
    rateAccuracy: r.retrain.rateAccuracy,
    spikingAccuracy: r.spikingAccuracy,
    bestInverseScale: r.bestInverseScale,
    unitsBoth: r.spearman.n,
    spearmanRho: r.spearman.rho,
    spearmanP: r.spearman.p,
    pearsonLogTau: r.pearsonLogTau,
    medianTauBeforeMs: r.medianTauBeforeMs,
    medianTauAfterMs: r.medianTauAfterMs,
  };
  run.complete(metrics);
  console.log(
    `✓ ${o.task} after ${r.retrain.training.trials} trials (${r.retrain.training.success ? 'stopping rule met' : 'budget spent'}): rate ${pct(r.retrain.rateAccuracy)}, spiking ${pct(r.spikingAccuracy)} (1/λ = ${r.bestInverseScale})`,
  );
  console.log(
    `  τ before vs after over ${r.spearman.n} units: Spearman ρ ${r.spearman.rho.toFixed(3)} (p ${r.spearman.p.toPrecision(2)}), Pearson r(log τ) ${r.pearsonLogTau.toFixed(3)}; median ${r.medianTauBeforeMs.toFixed(1)} → ${r.medianTauAfterMs.toFixed(1)} ms → ${run.dir}`,
  );
  return 0;
}

export function registerExperimentRetrain(program: Command): void {
  const experiment = program.commands.find((c) => c.name() === 'experiment') ?? program.command('experiment');
  experiment
    .command('retrain <run>')
    .description(
      'Kim & Sejnowski 2021 Fig. 8: retrain a converted network on another task with the recurrent weights and τ frozen (input and read-out only), then compare each unit’s τ before and after',
    )
    .requiredOption('--task <name>', 'the new task: afc, gonogo or dms', (v) => {
      if (v !== 'afc' && v !== 'gonogo' && v !== 'dms') throw new UsageError(`--task must be dms, afc or gonogo, got '${v}'`);
      return v;
    })
    .option('--max-trials <n>', 'retraining budget (trials)', parseIntOption('max-trials', 1), 6000)
    .option('--grid <list>', 'values of 1/λ for the conversion of the retrained network', parseListOption('grid'), [20, 30, 40, 50, 60, 75])
    .option('--trials <n>', 'task trials per 1/λ', parseIntOption('trials', 1), 50)
    .option('--timescale-trials <n>', 'spontaneous trials for the timescales', parseIntOption('timescale-trials', 3), 50)
    .addHelpText(
      'after',
      '\nThe run needs its timescales analysis (wmkit analyze timescales <run>).\n\nExamples:\n  wmkit experiment retrain runs/dms-1 --task afc\n\nWrites: <run>/retrain-<task>: run.json (accuracies, Spearman ρ and p of τ before vs after), model arrays, tau_before_ms.npy, tau_after_ms.npy, tau_before_after.svg',
    )
    .action(async (run: string, o: Options) => {
      process.exitCode = await experimentRetrain(run, o);
    });
}
