/**
 * `wmkit train delay-snn --preset perrinet2026.reference --out runs/hdsnn`
 *
 * Generates (or reads) the target spike patterns, initialises the heterogeneous-delay network
 * (Hebbian by default), trains it with the global F1 loss, and saves the weights, the patterns,
 * the recalled spikes and figures (training curve, target-vs-recall raster, F1 over time).
 */
import { estimateHdSnnBytes } from '@wmkit/delay-snn';
import { perrinetFigures } from '@wmkit/figures';
import { f4, HD_RUN_KIND, perrinet2026, perrinetArrays, perrinetInitLine, perrinetInitRecord, perrinetStepRecord } from '@wmkit/papers';
import { hdPatterns } from '@wmkit/papers/node';
import type { Command } from 'commander';
import { failOnDivergence } from '../../divergence';
import { addConfigOptions, type ConfigOptionValues, parseIntOption, printConfigIfAsked, usage } from '../../options';
import { exitWith } from '../../options-models';
import { Progress } from '../../progress';
import { checkMemory, startRun, writeOutputs } from '../../run-helpers';
import { engineOption, hdPresetNames, resolveConfig } from './common';

interface TrainOptions extends ConfigOptionValues {
  preset: string;
  out: string;
  patterns?: string;
  steps?: number;
  init?: string;
  learnBeta?: boolean;
  learnThreshold?: boolean;
  seed?: number;
  force?: boolean;
  engine: 'kernels' | 'tfjs';
}

export async function trainDelaySnn(o: TrainOptions): Promise<number> {
  // the options typed on the command line are --set overrides after the others
  const extra = [
    ...(o.steps != null ? [`train.steps=${o.steps}`] : []),
    ...(o.init != null ? [`init.method=${o.init}`] : []),
    ...(o.learnBeta ? ['train.learnBeta=true'] : []),
    ...(o.learnThreshold ? ['train.learnThreshold=true'] : []),
  ];
  let cfg = resolveConfig({ ...o, set: [...(o.set ?? []), ...extra] });
  if (o.seed != null) cfg = { ...cfg, seed: o.seed };
  if (printConfigIfAsked(o, cfg)) return 0;
  checkMemory(estimateHdSnnBytes(cfg), 'reduce N, D, M or T (--set N=…), or split the work into a sweep of smaller runs');
  const loaded = usage(() => hdPatterns(cfg, o.patterns));
  cfg = loaded.cfg;
  const t0 = performance.now();
  const config = { model: cfg, patterns: loaded.source };
  const run = await startRun(o.out, { kind: HD_RUN_KIND, config, seed: cfg.seed, preset: o.preset, force: o.force });
  run.setMetrics({ engine: o.engine }); // which implementation trained it: the wasm kernels or TensorFlow.js autodiff
  console.log(
    `▶ heterogeneous-delay SNN (Perrinet et al. 2026): N=${cfg.N}, D=${cfg.D}, T=${cfg.T}, M=${cfg.M}, p=${cfg.p}, β=${cfg.beta}, ϑ=${cfg.threshold}, ${cfg.reset} reset → ${run.dir}`,
  );
  console.log(`  patterns: ${loaded.source}; ${(cfg.N * cfg.N * cfg.D).toLocaleString('en-US')} weights`);
  const bar = new Progress('  training', cfg.train.steps, 'steps');
  bar.update(0, {}, true);
  const onStep = (s: Parameters<typeof perrinetStepRecord>[0]) => {
    run.appendMetrics(perrinetStepRecord(s));
    bar.update(s.step, { 'F1 (recall)': s.eval.f1, 'F1 (dropout pass)': s.train.f1 }, true);
  };
  const r = await failOnDivergence(run, () => perrinet2026({ config: cfg, patterns: loaded.set, engine: o.engine }, { onStep }));
  const { afterInit, final, model } = r;
  bar.finish(cfg.train.steps, { 'F1 (recall)': r.history.at(-1)?.eval.f1 ?? afterInit.scores.f1 });
  console.log(`  ${perrinetInitLine(r)}`);
  run.setMetrics({ init: perrinetInitRecord(r.init), afterInit: afterInit.scores });
  const seconds = (performance.now() - t0) / 1000;
  writeOutputs(run, perrinetArrays(r, loaded.set), perrinetFigures(r));
  run.setTiming('total', seconds);
  run.setTiming('train', r.seconds.train);
  run.complete({
    // β and ϑ after training (differ from config.model only with --learn-beta / --learn-threshold)
    neuron: { beta: model.config.beta, threshold: model.config.threshold },
    afterInit: afterInit.scores,
    final: final.scores,
    trainSteps: r.history.length,
    seconds,
  });
  const s = final.scores;
  console.log(
    `✓ recall after ${r.history.length} gradient steps: precision ${f4(s.precision)}, recall ${f4(s.recall)}, F1 ${f4(s.f1)} (TP ${s.TP}, FP ${s.FP}, FN ${s.FN}); ${seconds.toFixed(1)} s in all`,
  );
  if (cfg.train.learnBeta || cfg.train.learnThreshold)
    console.log(
      `  learnt neuron constants: β ${cfg.beta} → ${model.config.beta.toFixed(4)}, ϑ ${cfg.threshold} → ${model.config.threshold.toFixed(4)}`,
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
    .option(
      '--init <method>',
      'initialisation: hebbian (default), pinv (minimum-norm least squares; conjugate gradients above 4000 contexts) or zero',
    )
    .option('--learn-beta', 'learn the membrane decay β with the weights (train.learnBeta; fixed in the paper)')
    .option('--learn-threshold', 'learn the threshold ϑ with the weights (train.learnThreshold)')
    .option('--seed <n>', 'seed of the background noise and dropout', parseIntOption('seed', 0))
    .option('--force', 'replace an existing run in --out')
    .addOption(engineOption('TensorFlow.js ops and autodiff on the selected backend'))
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  wmkit train delay-snn --preset perrinet2026.reference --out runs/hdsnn\n' +
        '  wmkit train delay-snn --preset perrinet2026.small --set N=64 --set T=100 --set D=10 --engine tfjs --out runs/hd-tfjs\n' +
        '  wmkit train delay-snn --preset perrinet2026.small --set D=30 --set train.steps=8 --out runs/d30\n' +
        '  wmkit train delay-snn --preset perrinet2026.reference --init pinv --out runs/hdsnn-pinv\n' +
        '  wmkit train delay-snn --preset perrinet2026.small --init zero --steps 30 --out runs/from-zero\n' +
        '  wmkit train delay-snn --preset perrinet2026.small --learn-beta --learn-threshold --out runs/learnt\n' +
        '  wmkit train delay-snn --from runs/hdsnn --print-config\n\n' +
        'Presets:\n' +
        '  perrinet2026.reference  N=1024, D=41, T=1000, M=16, p=1e-3, β=0.7, ϑ=0.8, subtract reset; Hebbian init + 16 SGD steps\n' +
        '  perrinet2026.small      N=512, T=1000, M=8, p=2e-3: same spikes per delay window and Hebbian load, 4 steps\n\n' +
        'Gradients: train.gradient=truncated (default) backpropagates through each neuron’s membrane but not back\n' +
        'through the recurrent spikes, which keeps training event-driven; train.gradient=full is exact BPTT as in\n' +
        'the authors’ code (N·D·N work per step: minutes per step at the reference size).\n\n' +
        'Writes: run.json, W.npy [N,N,D], patterns.npy [M,N,T], recall_events.npy (pattern, neuron, step),\n' +
        'f1_per_step.npy, f1_per_pattern.npy, metrics.jsonl (per step: loss, precision, recall, F1, F1 along the\n' +
        'pattern in bins of 10 steps), training.svg, training_f1_over_time.svg (F1 along the pattern after several\n' +
        'steps, cf. the paper’s Fig. 3), raster.svg, f1_over_time.svg',
    )
    .action(exitWith(trainDelaySnn));
}
