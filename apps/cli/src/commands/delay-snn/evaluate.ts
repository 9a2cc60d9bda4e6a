/**
 * `wmkit evaluate delay-snn runs/hdsnn [--robustness]`
 *
 * Recalls every stored pattern of a trained delay network with fresh background noise and
 * scores it; with --robustness also under degraded cues (balanced bit flips, truncated cue)
 * and silenced neurons, beside the paper's values. Results go to `<run>/evaluate` or
 * `<run>/robustness`.
 */
import { evaluateRecall, type RobustnessRow, robustnessSuite } from '@wmkit/delay-snn';
import { robustnessSvg } from '@wmkit/figures';
import { csv, f4, robustnessTable } from '@wmkit/papers';
import { readHdRun, writeRunTable } from '@wmkit/papers/node';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { parseIntOption } from '../../options';
import { exitWith } from '../../options-models';
import { Progress } from '../../progress';
import { startRun, subRunDir } from '../../run-helpers';
import { engineOption } from './common';

interface EvaluateOptions {
  robustness?: boolean;
  seed: number;
  force?: boolean;
  engine: 'kernels' | 'tfjs';
}

export async function evaluateDelaySnn(dir: string, o: EvaluateOptions): Promise<number> {
  const loaded = readHdRun(dir);
  const { cfg, model, set } = loaded;
  const name = o.robustness ? 'robustness' : 'evaluate';
  const run = await startRun(subRunDir(dir, name), {
    kind: `${'delay-snn'}.${name}`,
    config: { parent: loaded.dir, robustness: Boolean(o.robustness) },
    seed: o.seed,
    force: true,
  });
  run.setMetrics({ engine: o.engine }); // which implementation recalled: the wasm kernels or TensorFlow.js ops
  const t0 = performance.now();
  const base = evaluateRecall(model, set, new Rng(o.seed).fork('evaluate'), {}, o.engine);
  const s = base.scores;
  console.log(`▶ recall of ${cfg.M} patterns (N=${cfg.N}, D=${cfg.D}, T=${cfg.T}) with fresh background noise → ${run.dir}`);
  console.log(`  precision ${f4(s.precision)}, recall ${f4(s.recall)}, F1 ${f4(s.f1)} (TP ${s.TP}, FP ${s.FP}, FN ${s.FN})`);
  const perPattern = base.perPattern.map((p, m) => [m, f4(p.precision), f4(p.recall), f4(p.f1)]);
  run.writeFile('per_pattern.csv', csv(['pattern', 'precision', 'recall', 'f1'], perPattern));
  const metrics: Record<string, unknown> = { recall: s, perPatternF1: base.perPattern.map((p) => p.f1) };
  if (o.robustness) {
    const bar = new Progress('  robustness', 13, 'conditions');
    const rows: RobustnessRow[] = robustnessSuite(model, set, o.seed, undefined, (_r, done) => bar.update(done, {}, true), o.engine);
    bar.finish(rows.length);
    console.log(`\n${writeRunTable(run, 'robustness', robustnessTable(rows))}\n`);
    run.addFigure(
      'robustness',
      robustnessSvg(rows, 'recall under perturbations'),
      'F1 under cue bit flips, truncated cues and silenced neurons (paper values as diamonds)',
    );
    metrics.robustness = rows;
  }
  run.complete({ ...metrics, seconds: (performance.now() - t0) / 1000 });
  console.log(`✓ ${run.dir} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return 0;
}

export function registerEvaluateDelaySnn(evaluate: Command): void {
  evaluate
    .command('delay-snn <run>')
    .description('recall the stored patterns of a trained delay network and score it (precision, recall, F1; per pattern)')
    .option('--robustness', 'also recall under cue bit flips, truncated cues and silenced neurons (the paper’s protocols)')
    .option('--seed <n>', 'seed of the background noise and perturbations', parseIntOption('seed', 0), 1)
    .addOption(engineOption())
    .addHelpText(
      'after',
      '\nProtocols (--robustness):\n' +
        '  cue bit flips     each input entry redrawn with probability f at the input’s mean rate (the authors’ balanced flips)\n' +
        '  truncated cue     only the first fraction of the D cue steps is given\n' +
        '  silenced neurons  neurons that never spike and get no cue; scored on the others\n\n' +
        'Examples:\n  wmkit evaluate delay-snn runs/hdsnn\n  wmkit evaluate delay-snn runs/hdsnn --robustness\n' +
        '  wmkit evaluate delay-snn runs/hdsnn --robustness --seed 2\n  wmkit evaluate delay-snn runs/hdsnn --engine tfjs\n\n' +
        'Writes (<run>/evaluate, or <run>/robustness with --robustness): run.json, per_pattern.csv, robustness.csv/.md,\n' +
        '        robustness.svg',
    )
    .action(exitWith(evaluateDelaySnn));
}
