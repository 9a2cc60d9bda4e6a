/**
 * `wmkit convert lif runs/dms-1`
 *
 * Converts the trained rate RNN to a LIF spiking network, searching the weight scale λ over
 * 1/λ ∈ {20, 25, …, 75} with 100 DMS trials each (Kim et al. 2019), then tests the best network
 * on the long-delay (750 ms) task. Writes the sub-run `<run>/lif`.
 */
import { evaluateSpiking, KIM_INVERSE_SCALE_GRID, searchScale, toSpiking } from '@wmkit/ei-rnn';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { scaleSearchSvg } from '../../figures/ei-rnn';
import { parseIntOption, parseListOption, pct } from '../../options';
import { Progress } from '../../progress';
import { startRun, subRunDir } from '../../run-helpers';
import { dmsTasks, EI_LIF_KIND, loadRateRun } from './common';

interface ConvertOptions {
  trials: number;
  grid: number[];
  longTrials: number;
  force?: boolean;
}

export async function convertLif(dir: string, o: ConvertOptions): Promise<number> {
  const { model, seed } = loadRateRun(dir);
  const tasks = dmsTasks();
  const out = subRunDir(dir, 'lif');
  const run = await startRun(out, {
    kind: EI_LIF_KIND,
    config: { parent: '..', inverseScaleGrid: o.grid, trialsPerScale: o.trials, longDelayTrials: o.longTrials, task: tasks.short.config },
    seed,
    force: true,
  });
  const rng = new Rng(seed).fork('convert-lif');
  console.log(`▶ converting ${dir} to a LIF network: ${o.grid.length} scales × ${o.trials} DMS trials (dt 0.05 ms) → ${out}`);
  const bar = new Progress('  λ search', o.grid.length, 'scales');
  const search = searchScale(model, tasks.short, {
    rng: rng.fork('search'),
    inverseScales: o.grid,
    trials: o.trials,
    onProgress: (f) => bar.update(f * o.grid.length),
    onResult: (r, i) => {
      run.appendMetrics(r);
      bar.update(i + 1, { '1/λ': r.inverseScale, acc: r.accuracy }, true);
    },
  });
  bar.finish(o.grid.length, { best: search.best.inverseScale, acc: search.best.accuracy });
  const net = toSpiking(model, { scale: search.best.scale });
  const longBar = new Progress('  750-ms test', 1);
  const long = evaluateSpiking(net, tasks.long, o.longTrials, rng.fork('long'), 50, (f) => longBar.update(f));
  longBar.finish(1);
  run.writeArray('inverse_scales', { data: Float32Array.from(search.results.map((r) => r.inverseScale)), shape: [search.results.length] });
  run.writeArray(
    'accuracy',
    { data: Float32Array.from(search.results.map((r) => r.accuracy)), shape: [search.results.length] },
    { description: 'spiking DMS accuracy per 1/λ' },
  );
  run.writeArray(
    'w_spk',
    { data: toSpikingMatrix(net.WT, model.config.N), shape: [model.config.N, model.config.N] },
    { description: 'LIF recurrent weights λ·W_eff (rows postsynaptic)' },
  );
  run.addFigure(
    'lambda_search',
    scaleSearchSvg(search.results, search.best.inverseScale, `${dir}: λ search`),
    'spiking DMS accuracy vs 1/λ',
  );
  run.complete({
    bestInverseScale: search.best.inverseScale,
    bestScale: search.best.scale,
    spikingAccuracyShortDelay: search.best.accuracy,
    spikingAccuracyLongDelay: long.accuracy,
    meanRateHz: search.best.meanRateHz,
    searchSeconds: search.results.reduce((a, r) => a + r.seconds, 0),
  });
  console.log(
    `✓ best 1/λ = ${search.best.inverseScale}: spiking DMS accuracy ${pct(search.best.accuracy)} (${o.trials} trials), 750-ms delay ${pct(long.accuracy)} (${o.longTrials} trials), mean rate ${search.best.meanRateHz.toFixed(1)} Hz`,
  );
  return 0;
}

/** W_spk [post, pre] from its transposed storage. */
function toSpikingMatrix(WT: Float32Array, N: number): Float32Array {
  const W = new Float32Array(N * N);
  for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) W[i * N + j] = WT[j * N + i];
  return W;
}

export function registerConvert(program: Command): void {
  const convert = program.command('convert').description('convert a trained model into another form');
  convert
    .command('lif <run>')
    .description(
      'convert a trained E/I rate RNN into a LIF spiking network: λ grid search (Kim et al. 2019), then the 750-ms delay test; writes <run>/lif',
    )
    .option('--trials <n>', 'DMS trials per scale', parseIntOption('trials', 1), 100)
    .option('--grid <list>', 'values of 1/λ to try', parseListOption('grid'), [...KIM_INVERSE_SCALE_GRID])
    .option('--long-trials <n>', 'trials of the 750-ms delay test with the best scale', parseIntOption('long-trials', 1), 100)
    .action(async (run: string, o: ConvertOptions) => {
      process.exitCode = await convertLif(run, o);
    });
}
