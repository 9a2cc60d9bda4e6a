/**
 * `wmkit train ei-rnn --preset kim2021.dms --seed 1 --out runs/dms-1`
 *
 * Trains a rate RNN on the preset's task with its protocol (`trainKimModel` of @wmkit/papers),
 * checkpointing the model at every evaluation; then measures the rate network's accuracy on the
 * short and the long-delay (750 ms) DMS task. A run that diverges is marked failed and keeps the
 * last good checkpoint.
 */
import { rmSync } from 'node:fs';
import { notAnObject } from '@wmkit/data-io';
import {
  type EiRnnTaskName,
  estimateRateRnnBytes,
  parseRateRnnConfig,
  parseTrainConfig,
  presetNames,
  presetTask,
  type RateRNNConfig,
  type TrainConfig,
  taskRecord,
} from '@wmkit/ei-rnn';
import { kim2021ConfigOfRun, kimRecipe, kimTrainLines, kimTrainPreset, trainKimModel } from '@wmkit/papers';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import {
  addConfigOptions,
  type ConfigOptionValues,
  parseIntOption,
  printConfigIfAsked,
  recordedRun,
  resolveCommandConfig,
  usage,
} from '../../options';
import { addEiOptions, exitWith, parseTaskName } from '../../options-models';
import { Progress } from '../../progress';
import { checkMemory } from '../../run-helpers';
import { EI_RATE_KIND, finishRateRun, startRateRun, writeRateModel } from './common';

interface TrainOptions extends ConfigOptionValues {
  preset?: string;
  task?: EiRnnTaskName;
  seed?: number;
  out?: string;
  maxTrials?: number;
  force?: boolean;
  engine?: 'kernels' | 'tfjs';
}

/** What `--config` files, `--set` and `--print-config` work on: the model and the training protocol. */
export interface EiRnnConfig {
  model: RateRNNConfig;
  train: TrainConfig;
}

/** Validates a partial `{model, train}` merged onto `base`; other top-level fields are refused. */
export function parseEiRnnConfig(patch: unknown, base: EiRnnConfig, where: string): EiRnnConfig {
  if (notAnObject(patch)) throw new UsageError(`${where}: a config holds one object with "model" and/or "train" fields`);
  const p = patch as { model?: unknown; train?: unknown };
  const other = Object.keys(p).filter((k) => k !== 'model' && k !== 'train');
  if (other.length)
    throw new UsageError(
      `${where}: ${other.map((k) => `'${k}'`).join(', ')} ${other.length > 1 ? 'are' : 'is'} not a top-level field; model fields go under "model" (e.g. {"model": {"N": 200}}), training fields under "train"`,
    );
  return {
    model: p.model ? parseRateRnnConfig(p.model, base.model, `${where} model`) : base.model,
    train: p.train ? parseTrainConfig(p.train, base.train, `${where} train`) : base.train,
  };
}

export async function trainEiRnn(o: TrainOptions): Promise<number> {
  // --from: the recorded preset and seed unless given again
  const from = o.from ? recordedRun(o.from, [EI_RATE_KIND]) : null;
  const preset = usage(() => kimTrainPreset({ preset: o.preset, task: o.task, recorded: from?.config }), [Error]);
  const taskName = preset.task.name;
  const { config, seed: fromSeed } = resolveCommandConfig(o, {
    base: { model: preset.model, train: preset.train },
    parse: parseEiRnnConfig,
    kinds: [EI_RATE_KIND],
    fromRecorded: kim2021ConfigOfRun,
  });
  if (o.maxTrials != null) config.train = parseTrainConfig({ maxTrials: o.maxTrials }, config.train, '--max-trials');
  if (printConfigIfAsked(o, config)) return 0;
  const task = presetTask(preset); // the preset carries its task's parameters (dt included); run.json records them
  checkMemory(
    estimateRateRnnBytes(config.model, config.train, task.timeline.steps),
    'reduce model.N, or train.batchSize and train.evalTrials, in the config',
  );
  if (!o.out) throw new UsageError('--out <dir> is required: the run directory to write');
  const seed = o.seed ?? fromSeed ?? 1;
  const recipe = kimRecipe(preset, config);
  const engine = o.engine ?? 'kernels';
  const run = await startRateRun(o.out, recipe, seed, o.force, engine, taskRecord(taskName, preset.task.config));
  rmSync(run.path('metrics.jsonl'), { force: true });
  const modelCfg = recipe.model;
  console.log(
    `▶ training a ${modelCfg.N}-unit ${modelCfg.dale ? 'E/I ' : ''}rate RNN on ${task.name} (${preset.name}, seed ${seed}) → ${run.dir}`,
  );
  if (preset.departures.length) console.log(`  departures from the paper: ${preset.departures.length} (listed in run.json notes)`);
  const bar = new Progress('  training', recipe.train.maxTrials, 'trials');
  const r = await trainKimModel(
    { recipe, seed, engine },
    {
      onUpdate: (p) =>
        bar.update(p.trial, { loss: p.loss, ...(p.lastEval ? { 'eval loss': p.lastEval.loss, acc: p.lastEval.accuracy } : {}) }),
      onEval: (e, snapshot) => {
        run.appendMetrics(e);
        writeRateModel(run, snapshot); // checkpoint
        run.setMetrics({ checkpointTrial: e.trial });
      },
    },
  );
  const s = r.summary;
  bar.finish(s.trials, { 'eval loss': s.finalEvalLoss ?? Number.NaN, acc: s.finalEvalAccuracy ?? Number.NaN });
  if (!finishRateRun(run, recipe, seed, r)) {
    console.error(`✗ ${r.diverged}; last good checkpoint kept in ${run.dir}`);
    return 1;
  }
  for (const line of kimTrainLines(s, recipe)) console.log(line);
  console.log(`  next: wmkit convert lif ${o.out}`);
  return 0;
}

export function registerTrainEiRnn(train: Command): void {
  const cmd = train
    .command('ei-rnn')
    .description(
      'train an E/I rate RNN on delayed match-to-sample (Kim & Sejnowski) with BPTT; checkpoints and curves go to the run directory',
    )
    .option('--preset <name>', `training recipe: ${presetNames().join(', ')} (default kim2021.dms, or the --from run's)`)
    .option('--task <name>', 'dms, afc or gonogo (Kim & Sejnowski 2021 Fig. 4): trains with the preset kim2021.<task>', parseTaskName)
    .option('--seed <n>', 'random seed (network, trials, noise; default 1, or the --from run’s)', parseIntOption('seed', 0))
    .option('--out <dir>', 'run directory to write (required unless --print-config)');
  addConfigOptions(cmd, 'model.N=40').option(
    '--max-trials <n>',
    'override the preset trial budget (same as --set train.maxTrials=<n>)',
    parseIntOption('max-trials', 1),
  );
  addEiOptions(cmd, {
    force: true,
    engine: ['kernels (wasm, the default) or tfjs (TensorFlow.js ops on the selected backend: tfjs-node-gpu, WebGPU, … when installed)'],
  })
    .addHelpText(
      'after',
      "\nPresets:\n  kim2021.dms-exact  the authors' protocol unchanged (1 trial per Adam 0.01 step, stop at eval loss < 7 and accuracy > 0.95, ≤ 6,000 trials)\n" +
        '  kim2021.dms        the same with balanced initial inhibition and a 12,000-trial budget (departures recorded in run.json)\n' +
        '  kim2021.afc        kim2021.dms on the two-alternative forced choice (one input; report the stimulus sign)\n' +
        '  kim2021.gonogo     kim2021.dms on Go/NoGo (one input; respond after a Go stimulus only)\n\n' +
        'Config: a --config file (.json or .yaml) holds {"model": {...}, "train": {...}} fields merged onto the preset;\n' +
        '--set model.N=40 or --set train.maxTrials=300 changes one field; --print-config shows the result.\n\n' +
        'Examples:\n' +
        '  wmkit train ei-rnn --preset kim2021.dms --seed 1 --out runs/dms-1\n' +
        '  wmkit train ei-rnn --set model.N=40 --set train.maxTrials=300 --out runs/dms-small\n' +
        '  wmkit train ei-rnn --task afc --seed 1 --out runs/afc-1\n' +
        '  wmkit train ei-rnn --from runs/dms-1 --out runs/dms-1-again   # the same model, byte for byte\n\n' +
        'Writes: run.json, model arrays (w, sign, som_m, w_in, bias, w_out, b_out, taus_gaus, tau_ms .npy), metrics.jsonl (evaluations), training.svg',
    )
    .action(exitWith(trainEiRnn));
}
