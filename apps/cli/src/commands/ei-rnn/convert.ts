/**
 * `wmkit convert lif runs/dms-1`
 *
 * Converts the trained rate RNN to a LIF spiking network, searching the weight scale λ over
 * 1/λ ∈ {20, 25, …, 75} with 100 DMS trials each (Kim, Li & Sejnowski 2019), then tests the best
 * network on the long-delay (750 ms) task (`convertKimModel` of @wmkit/papers). Writes the
 * sub-run `<run>/lif`.
 */
import type { EiRnnTaskName } from '@wmkit/ei-rnn';
import { convertKimModelSteps, lifRunConfig, lifSearchLine, requireRecordedTask } from '@wmkit/papers';
import { runStepsYielding } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { parseIntOption } from '../../options';
import { addEiOptions, exitWith } from '../../options-models';
import { Progress } from '../../progress';
import { startRun, subRunDir } from '../../run-helpers';
import { EI_LIF_KIND, finishLifRun, loadRateRun, taskOfRun } from './common';

interface ConvertOptions {
  trials: number;
  grid: number[];
  longTrials: number;
  force?: boolean;
  /** The wasm LIF kernel (default) or TensorFlow.js ops on the selected backend. */
  engine?: 'kernels' | 'tfjs';
  /** The run's task: read from run.json; an explicit one that differs is refused. */
  task?: EiRnnTaskName;
  /** Try every 1/λ (default: stop at the first with every trial correct, which Kim's rule keeps). */
  fullGrid?: boolean;
}

export async function convertLif(dir: string, o: ConvertOptions): Promise<number> {
  const badScale = o.grid.find((x) => !(x > 0));
  if (badScale !== undefined) throw new UsageError(`--grid: 1/λ = ${badScale} is not > 0`);
  const rate = loadRateRun(dir);
  const { model, seed, task } = rate;
  // the λ search scores the task the network was trained on, as run.json records it (dt included)
  requireRecordedTask(taskOfRun(rate, o.task), { name: task, what: 'convert lif' }, `${dir}/run.json`);
  const out = subRunDir(dir, 'lif');
  const run = await startRun(out, { kind: EI_LIF_KIND, config: lifRunConfig({ ...o, task }), seed, force: o.force === true });
  const engine = o.engine ?? 'kernels';
  run.setMetrics({ engine }); // which implementation simulated the LIF networks: the wasm kernel or TensorFlow.js ops
  console.log(
    `▶ converting ${dir} to a LIF network: ${o.grid.length} scales × ${o.trials} ${task === 'dms' ? 'DMS' : task} trials (dt 0.05 ms, ${engine} engine) → ${out}`,
  );
  const bar = new Progress('  λ search', o.grid.length + 1, 'steps');
  // the event loop runs between chunks of trials, so Ctrl-C / SIGTERM stop the search
  const r = await runStepsYielding(
    convertKimModelSteps(
      model,
      { seed, trials: o.trials, grid: o.grid, longTrials: o.longTrials, engine, task, fullGrid: o.fullGrid },
      {
        onProgress: (p) => bar.update(p.done),
        onScale: (s, i) => {
          run.appendMetrics(s);
          bar.update(i + 1, { '1/λ': s.inverseScale, acc: s.accuracy }, true);
        },
      },
    ),
  );
  const s = r.summary;
  bar.finish(o.grid.length + 1, { best: s.bestInverseScale, acc: s.spikingAccuracyShortDelay });
  finishLifRun(run, r, `${dir}: λ search`);
  console.log(lifSearchLine(s, { ...o, task }));
  return 0;
}

export function registerConvert(program: Command): void {
  const convert = program.command('convert').description('convert a trained model into another form');
  const cmd = convert
    .command('lif <run>')
    .description(
      'convert a trained E/I rate RNN into a LIF spiking network: λ grid search (Kim et al. 2019), then the 750-ms delay test; writes <run>/lif',
    );
  addEiOptions(cmd, { trials: ['task trials per scale (the run’s task: DMS, AFC or Go/NoGo)', 100], grid: true })
    .option('--long-trials <n>', 'trials of the 750-ms delay test with the best scale', parseIntOption('long-trials', 1), 100)
    .option('--full-grid', 'try every 1/λ (default: stop at the first that scores every trial correct, the one Kim’s rule keeps)');
  addEiOptions(cmd, {
    task: true,
    force: ['replace an existing <run>/lif'],
    engine: ['kernels (the wasm LIF kernel) or tfjs (TensorFlow.js ops on the selected backend)', 'kernels'],
  })
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit convert lif runs/dms-1\n  wmkit convert lif runs/dms-1 --grid 20,35,50 --trials 40\n' +
        '  wmkit convert lif runs/dms-1 --grid 40 --trials 4 --long-trials 4 --engine tfjs --force\n\n' +
        'Writes: <run>/lif/run.json, inverse_scales.npy, accuracy.npy (per 1/λ), w_spk.npy (λ·W_eff), metrics.jsonl, lambda_search.svg',
    )
    .action(exitWith(convertLif));
}
