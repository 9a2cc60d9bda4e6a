/**
 * `wmkit train delay-snn --preset perrinet2026.reference --out runs/hdsnn`
 *
 * Generates (or reads) the target spike patterns, initialises the heterogeneous-delay network
 * (Hebbian by default), trains it with the global F1 loss, and saves the weights, the patterns,
 * the recalled spikes and figures (training curve, target-vs-recall raster, F1 over time).
 */
import { estimateHdSnnBytes, eventsToRows, hdSnnToArrays } from '@wmkit/delay-snn';
import { f1OverTimeSvg, hdTrainingCurveSvg, recallRasterSvg } from '@wmkit/figures';
import { perrinet2026 } from '@wmkit/papers';
import type { Command } from 'commander';
import { failOnDivergence } from '../../divergence';
import { addConfigOptions, type ConfigOptionValues, parseEngine, parseIntOption, printConfigIfAsked } from '../../options';
import { Progress } from '../../progress';
import { checkMemory, startRun } from '../../run-helpers';
import { f4, HD_KIND, hdPresetNames, loadPatterns, resolveConfig } from './common';

interface TrainOptions extends ConfigOptionValues {
  preset: string;
  out: string;
  patterns?: string;
  steps?: number;
  seed?: number;
  force?: boolean;
  engine: 'kernels' | 'tfjs';
}

export async function trainDelaySnn(o: TrainOptions): Promise<number> {
  let cfg = resolveConfig(o);
  if (o.steps != null) cfg = resolveConfig({ ...o, set: [...(o.set ?? []), `train.steps=${o.steps}`] });
  if (o.seed != null) cfg = { ...cfg, seed: o.seed };
  if (printConfigIfAsked(o, cfg)) return 0;
  checkMemory(estimateHdSnnBytes(cfg), 'reduce N, D, M or T (--set N=…), or split the work into a sweep of smaller runs');
  const loaded = loadPatterns(cfg, o.patterns);
  cfg = loaded.cfg;
  const set = loaded.set;
  const t0 = performance.now();
  const run = await startRun(o.out, {
    kind: HD_KIND,
    config: { model: cfg, patterns: loaded.source },
    seed: cfg.seed,
    preset: o.preset,
    force: o.force,
  });
  run.setMetrics({ engine: o.engine }); // which implementation trained it: the wasm kernels or TensorFlow.js autodiff
  console.log(
    `▶ heterogeneous-delay SNN (Perrinet et al. 2026): N=${cfg.N}, D=${cfg.D}, T=${cfg.T}, M=${cfg.M}, p=${cfg.p}, β=${cfg.beta}, ϑ=${cfg.threshold}, ${cfg.reset} reset → ${run.dir}`,
  );
  console.log(`  patterns: ${loaded.source}; ${(cfg.N * cfg.N * cfg.D).toLocaleString('en-US')} weights`);
  const bar = new Progress('  training', cfg.train.steps, 'steps');
  bar.update(0, {}, true);
  const curve: { step: number; evalF1: number; trainF1: number; trainLoss: number }[] = [];
  const r = await failOnDivergence(run, () =>
    perrinet2026(
      { config: cfg, patterns: set, engine: o.engine },
      {
        onStep: (s) => {
          run.appendMetrics({
            step: s.step,
            lr: s.lr,
            trainLoss: s.trainLoss,
            trainF1: s.train.f1,
            evalPrecision: s.eval.precision,
            evalRecall: s.eval.recall,
            evalF1: s.eval.f1,
            spikesPerPattern: s.spikesPerPattern,
            seconds: s.seconds,
          });
          curve.push({ step: s.step, evalF1: s.eval.f1, trainF1: s.train.f1, trainLoss: s.trainLoss });
          bar.update(s.step, { 'F1 (recall)': s.eval.f1, 'F1 (dropout pass)': s.train.f1 }, true);
        },
      },
    ),
  );
  const { init, afterInit, final, model } = r;
  bar.finish(cfg.train.steps, { 'F1 (recall)': curve.at(-1)?.evalF1 ?? afterInit.scores.f1 });
  console.log(
    `  ${init.method} initialisation ${init.seconds.toFixed(2)} s${init.norm != null ? ` (norm ${init.norm.toFixed(3)})` : ''}: precision ${f4(afterInit.scores.precision)}, recall ${f4(afterInit.scores.recall)}, F1 ${f4(afterInit.scores.f1)}`,
  );
  run.setMetrics({ init: { method: init.method, seconds: init.seconds, norm: init.norm ?? null }, afterInit: afterInit.scores });
  const trained = { history: r.history, seconds: r.seconds.train };
  const seconds = (performance.now() - t0) / 1000;
  run.writeArray('W', hdSnnToArrays(model).W, {
    description: 'weights [N post, N pre, D]: W[j, i, k] from neuron i at delay D − k (the authors’ lin.weight layout)',
  });
  run.writeArray('patterns', { data: set.data, shape: [set.M, set.N, set.T] }, { description: 'target patterns [M, N, T] (0/1)' });
  run.writeArray('recall_events', eventsToRows(final.spikes, cfg.backgroundSteps, cfg.backgroundSteps), {
    description: 'recalled spikes as (pattern, neuron, step of the pattern) rows; the cue occupies steps 0..D−1',
  });
  run.writeArray(
    'f1_per_step',
    { data: r.f1PerStep, shape: [cfg.T - cfg.D] },
    { description: 'F1 at each pattern step D..T−1 over patterns and neurons' },
  );
  run.writeArray('f1_per_pattern', { data: Float64Array.from(final.perPattern.map((s) => s.f1)), shape: [cfg.M] });
  run.addFigure(
    'training',
    hdTrainingCurveSvg(curve, afterInit.scores.f1, `F1 during training (N=${cfg.N}, D=${cfg.D}, M=${cfg.M})`),
    'recall F1 after each gradient step',
  );
  const rd = r.raster;
  run.addFigure(
    'raster',
    recallRasterSvg(rd.target, rd.recall, {
      N: cfg.N,
      T: cfg.T,
      cueSteps: Math.min(cfg.cueSteps ?? cfg.D, cfg.T),
      title: 'pattern 0: target vs recall',
    }),
    'target spikes (rings) and the recalled spikes of pattern 0',
  );
  run.addFigure(
    'f1_over_time',
    f1OverTimeSvg(r.f1OverTime, 'F1 after the cue (bins of 10 steps, all patterns)'),
    'recall quality along the pattern',
  );
  run.setTiming('total', seconds);
  run.setTiming('train', trained.seconds);
  run.complete({
    afterInit: afterInit.scores,
    final: final.scores,
    trainSteps: trained.history.length,
    seconds,
  });
  const s = final.scores;
  console.log(
    `✓ recall after ${trained.history.length} gradient steps: precision ${f4(s.precision)}, recall ${f4(s.recall)}, F1 ${f4(s.f1)} (TP ${s.TP}, FP ${s.FP}, FN ${s.FN}); ${seconds.toFixed(1)} s in all`,
  );
  console.log(`  next: wmkit evaluate delay-snn ${o.out} --robustness`);
  return 0;
}

export function registerTrainDelaySnn(train: Command): void {
  addConfigOptions(train.command('delay-snn'), 'D=30')
    .description(
      'store spike patterns in a recurrent spiking network with heterogeneous synaptic delays (Perrinet et al. 2026): Hebbian initialisation, surrogate-gradient training with the F1 loss',
    )
    .option('--preset <name>', `configuration: ${hdPresetNames().join(', ')}`, 'perrinet2026.reference')
    .requiredOption('--out <dir>', 'run directory to write')
    .option('--patterns <file.npy>', 'target patterns [M, N, T] of 0/1 (default: generated from the config)')
    .option('--steps <n>', 'gradient steps (default: the preset’s)', parseIntOption('steps', 0))
    .option('--seed <n>', 'seed of the background noise and dropout', parseIntOption('seed', 0))
    .option('--force', 'replace an existing run in --out')
    .option(
      '--engine <name>',
      'kernels (event-driven wasm) or tfjs (TensorFlow.js ops and autodiff on the selected backend)',
      parseEngine,
      'kernels',
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  wmkit train delay-snn --preset perrinet2026.reference --out runs/hdsnn\n' +
        '  wmkit train delay-snn --preset perrinet2026.small --set N=64 --set T=100 --set D=10 --engine tfjs --out runs/hd-tfjs\n' +
        '  wmkit train delay-snn --preset perrinet2026.small --set D=30 --set train.steps=8 --out runs/d30\n' +
        '  wmkit train delay-snn --from runs/hdsnn --print-config\n\n' +
        'Presets:\n' +
        '  perrinet2026.reference  N=1024, D=41, T=1000, M=16, p=1e-3, β=0.7, ϑ=0.8, subtract reset; Hebbian init + 16 SGD steps\n' +
        '  perrinet2026.small      N=512, T=1000, M=8, p=2e-3: same spikes per delay window and Hebbian load, 4 steps\n\n' +
        'Gradients: train.gradient=truncated (default) backpropagates through each neuron’s membrane but not back\n' +
        'through the recurrent spikes, which keeps training event-driven; train.gradient=full is exact BPTT as in\n' +
        'the authors’ code (N·D·N work per step: minutes per step at the reference size).\n\n' +
        'Writes: run.json, W.npy [N,N,D], patterns.npy [M,N,T], recall_events.npy (pattern, neuron, step),\n' +
        'f1_per_step.npy, f1_per_pattern.npy, metrics.jsonl (per step), training.svg, raster.svg, f1_over_time.svg',
    )
    .action(async (o: TrainOptions) => {
      process.exitCode = await trainDelaySnn(o);
    });
}
