/**
 * `wmkit train ei-rnn --preset kim2021.dms --seed 1 --out runs/dms-1`
 *
 * Trains a rate RNN on the preset's task with its protocol, checkpointing the model at every
 * evaluation; then measures the rate network's accuracy on the short and the long-delay (750 ms)
 * DMS task. A run that diverges is marked failed and keeps the last good checkpoint.
 */
import { rmSync } from 'node:fs';
import { notAnObject } from '@wmkit/data-io';
import {
  createRateRNN,
  evaluateRate,
  parseRateRnnConfig,
  parseTrainConfig,
  presetNames,
  rateRnnToArrays,
  trainRateRNN,
  unitTauMs,
} from '@wmkit/ei-rnn';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { trainingCurveSvg } from '../../figures/ei-rnn';
import { parseIntOption, pct, readJsonFile } from '../../options';
import { Progress } from '../../progress';
import { startRun } from '../../run-helpers';
import { dmsTasks, EI_RATE_KIND, presetOrError } from './common';

interface TrainOptions {
  preset: string;
  seed: number;
  out: string;
  config?: string;
  maxTrials?: number;
  force?: boolean;
}

export async function trainEiRnn(o: TrainOptions): Promise<number> {
  const preset = presetOrError(o.preset);
  let modelCfg = preset.model;
  let trainCfg = preset.train;
  if (o.config) {
    const file = readJsonFile(o.config) as { model?: unknown; train?: unknown };
    if (notAnObject(file)) throw new UsageError(`${o.config}: a config file holds one JSON object with "model" and/or "train" fields`);
    const other = Object.keys(file).filter((k) => k !== 'model' && k !== 'train');
    if (other.length)
      throw new UsageError(
        `${o.config}: ${other.map((k) => `'${k}'`).join(', ')} ${other.length > 1 ? 'are' : 'is'} not a top-level field; model fields go under "model" (e.g. {"model": {"N": 200}}), training fields under "train"`,
      );
    if (file.model) modelCfg = parseRateRnnConfig(file.model, modelCfg, `${o.config} model`);
    if (file.train) trainCfg = parseTrainConfig(file.train, trainCfg, `${o.config} train`);
  }
  if (o.maxTrials != null) trainCfg = parseTrainConfig({ maxTrials: o.maxTrials }, trainCfg, '--max-trials');
  const tasks = dmsTasks();
  const task = preset.task.variant === 'long' ? tasks.long : tasks.short;
  const rng = new Rng(o.seed);
  const model = createRateRNN(modelCfg, rng.fork('model'));
  const config = { preset: preset.name, departures: preset.departures, model: modelCfg, train: trainCfg, task: task.config };
  const run = await startRun(o.out, {
    kind: EI_RATE_KIND,
    config,
    seed: o.seed,
    preset: preset.name,
    notes: preset.departures,
    force: o.force,
  });
  rmSync(run.path('metrics.jsonl'), { force: true });
  console.log(
    `▶ training a ${modelCfg.N}-unit ${modelCfg.dale ? 'E/I ' : ''}rate RNN on ${task.name} (${preset.name}, seed ${o.seed}) → ${run.dir}`,
  );
  if (preset.departures.length) console.log(`  departures from the paper: ${preset.departures.length} (listed in run.json notes)`);
  const bar = new Progress('  training', trainCfg.maxTrials, 'trials');
  const saveModel = (m: typeof model) => {
    for (const [name, arr] of Object.entries(rateRnnToArrays(m))) run.writeArray(name, arr);
    run.writeArray('tau_ms', { data: unitTauMs(m), shape: [m.config.N] }, { description: 'per-unit synaptic decay τ_d (ms)' });
  };
  const curve: { trial: number; loss: number; accuracy: number }[] = [];
  let within6000 = false;
  const result = await trainRateRNN(model, task, trainCfg, rng.fork('train'), {
    onUpdate: (p) =>
      bar.update(p.trial, { loss: p.loss, ...(p.lastEval ? { 'eval loss': p.lastEval.loss, acc: p.lastEval.accuracy } : {}) }),
    onEval: (e, snapshot) => {
      run.appendMetrics(e);
      curve.push(e);
      saveModel(snapshot); // checkpoint
      run.setMetrics({ checkpointTrial: e.trial });
      if (
        e.trial <= 6000 &&
        (trainCfg.stopLossBelow == null || e.loss < trainCfg.stopLossBelow) &&
        (trainCfg.stopAccuracyAbove == null || e.accuracy > trainCfg.stopAccuracyAbove)
      ) {
        within6000 = true;
      }
    },
  });
  bar.finish(result.trials, { 'eval loss': result.history.at(-1)?.loss ?? Number.NaN, acc: result.history.at(-1)?.accuracy ?? Number.NaN });
  saveModel(model);
  run.addFigure(
    'training',
    trainingCurveSvg(curve, {
      lossThreshold: trainCfg.stopLossBelow,
      accuracyThreshold: trainCfg.stopAccuracyAbove,
      title: `${preset.name}, seed ${o.seed}`,
    }),
    'evaluation loss and accuracy during training',
  );
  const last = result.history.at(-1);
  const metrics: Record<string, unknown> = {
    success: result.success,
    stopReason: result.reason,
    trials: result.trials,
    updates: result.updates,
    trainSeconds: result.seconds,
    finalEvalLoss: last?.loss ?? null,
    finalEvalAccuracy: last?.accuracy ?? null,
    metStoppingRuleWithin6000Trials: within6000,
  };
  if (result.reason === 'diverged') {
    run.setMetrics(metrics);
    run.fail(new Error(`training diverged: ${result.message}; the model arrays hold the last good checkpoint`));
    console.error(`✗ training diverged (${result.message}); last good checkpoint kept in ${run.dir}`);
    return 1;
  }
  const evalRng = rng.fork('final-eval');
  const shortEval = evaluateRate(model, tasks.short, 200, evalRng.fork('short'), trainCfg.loss);
  const longEval = evaluateRate(model, tasks.long, 200, evalRng.fork('long'), trainCfg.loss);
  metrics.rateAccuracyShortDelay = shortEval.score.accuracy;
  metrics.rateAccuracyLongDelay = longEval.score.accuracy;
  run.complete(metrics);
  const verdict = result.success
    ? `✓ reached the stopping rule after ${result.trials.toLocaleString('en-US')} trials`
    : `✗ did not reach the stopping rule within ${trainCfg.maxTrials.toLocaleString('en-US')} trials`;
  console.log(`${verdict} (${result.seconds.toFixed(1)} s)`);
  console.log(
    `  rate DMS accuracy (200 fresh trials): 50-ms delay ${pct(shortEval.score.accuracy)}, 750-ms delay ${pct(longEval.score.accuracy)}`,
  );
  console.log(`  next: wmkit convert lif ${o.out}`);
  return 0;
}

export function registerTrainEiRnn(train: Command): void {
  train
    .command('ei-rnn')
    .description(
      'train an E/I rate RNN on delayed match-to-sample (Kim & Sejnowski) with BPTT; checkpoints and curves go to the run directory',
    )
    .option('--preset <name>', `training recipe: ${presetNames().join(', ')}`, 'kim2021.dms')
    .option('--seed <n>', 'random seed (network, trials, noise)', parseIntOption('seed', 0), 1)
    .requiredOption('--out <dir>', 'run directory to write')
    .option('--config <file.json>', 'JSON with "model" and/or "train" fields overriding the preset (validated)')
    .option('--max-trials <n>', 'override the preset trial budget', parseIntOption('max-trials', 1))
    .option('--force', 'replace an existing run in --out')
    .addHelpText(
      'after',
      "\nPresets:\n  kim2021.dms-exact  the authors' protocol unchanged (1 trial per Adam 0.01 step, stop at eval loss < 7 and accuracy > 0.95, ≤ 6,000 trials)\n" +
        '  kim2021.dms        the same with balanced initial inhibition and a 12,000-trial budget (departures recorded in run.json)\n\n' +
        'Writes: run.json, model arrays (w, sign, som_m, w_in, w_out, b_out, taus_gaus, tau_ms .npy), metrics.jsonl (evaluations), training.svg',
    )
    .action(async (o: TrainOptions) => {
      process.exitCode = await trainEiRnn(o);
    });
}
