/**
 * `wmkit simulate runs/dms-1 --trials 100 [--spiking]`
 *
 * Runs a trained model on fresh DMS trials and saves outputs, conditions and accuracy; with
 * --spiking, the converted LIF network, its spike raster (first trials) and a raster figure.
 */
import { type SpikingRecord, scoreSpiking, simulateRate, simulateRateTfjs, simulateSpiking } from '@wmkit/ei-rnn';
import { outputTracesSvg, rasterSvg } from '@wmkit/figures';
import { Rng } from '@wmkit/tensor';
import { pct } from '../../options';
import { Progress } from '../../progress';
import { startRun, subRunDir } from '../../run-helpers';
import { dmsTasks, loadLifRun, loadRateRun } from './common';

export interface SimulateEiOptions {
  trials: number;
  spiking?: boolean;
  delay: 'short' | 'long';
  rasterTrials: number;
  out?: string;
  /** The wasm kernels (default) or TensorFlow.js ops on the selected backend. */
  engine?: 'kernels' | 'tfjs';
}

export async function simulateEiRun(dir: string, o: SimulateEiOptions): Promise<number> {
  const { model, seed } = loadRateRun(dir);
  const task = dmsTasks()[o.delay];
  const lif = o.spiking ? loadLifRun(dir, model) : null;
  const out = o.out ?? subRunDir(dir, o.spiking ? 'simulate-spiking' : 'simulate');
  const run = await startRun(out, {
    kind: 'ei-rnn.simulate',
    config: {
      parent: dir,
      trials: o.trials,
      spiking: Boolean(o.spiking),
      task: task.config,
      trialMs: task.timeline.steps * task.timeline.dtMs,
      inverseScale: lif?.inverseScale ?? null,
    },
    seed,
    force: true,
  });
  const engine = o.engine ?? 'kernels';
  run.setMetrics({ engine }); // which implementation simulated it: the wasm kernels or TensorFlow.js ops
  const rng = new Rng(seed).fork(`simulate-${o.delay}`);
  const batch = task.sample(o.trials, rng.fork('trials'));
  console.log(
    `▶ simulating ${o.trials} ${task.name} trials of ${dir} (${o.spiking ? `spiking, 1/λ = ${lif?.inverseScale}` : 'rate'}; ${engine} engine) → ${out}`,
  );
  let outputs = null as null | { data: Float32Array; shape: number[] };
  let accuracy: number;
  let rec: SpikingRecord | null = null;
  if (lif) {
    const bar = new Progress('  simulating', 1);
    rec = simulateSpiking(lif.net, batch.inputs, rng.fork('sim'), {
      inputDtMs: batch.dtMs,
      rasterTrials: o.rasterTrials,
      onProgress: (f) => bar.update(f),
      engine,
    });
    bar.finish(1);
    outputs = rec.outputs.mean;
    accuracy = scoreSpiking(task, rec, batch).accuracy;
    run.writeArray('output_max', rec.outputs.max, { description: 'upper envelope of the output within each 5-ms step' });
    run.writeArray('output_min', rec.outputs.min, { description: 'lower envelope of the output within each 5-ms step' });
    if (rec.raster) {
      run.writeArray(
        'spike_trial',
        { data: rec.raster.trial, shape: [rec.raster.trial.length] },
        { description: 'spike raster: trial of each spike' },
      );
      run.writeArray(
        'spike_unit',
        { data: rec.raster.unit, shape: [rec.raster.unit.length] },
        { description: 'spike raster: unit of each spike' },
      );
      run.writeArray(
        'spike_time_ms',
        { data: rec.raster.timeMs, shape: [rec.raster.timeMs.length] },
        { description: 'spike raster: time of each spike (ms)' },
      );
      const spikes: { unit: number; timeMs: number; inhibitory: boolean }[] = [];
      for (let q = 0; q < rec.raster.trial.length; q++) {
        if (rec.raster.trial[q] !== 0) continue;
        const u = rec.raster.unit[q];
        spikes.push({ unit: u, timeMs: rec.raster.timeMs[q], inhibitory: model.sign[u] < 0 });
      }
      run.addFigure(
        'raster',
        rasterSvg(spikes, batch.periods, {
          title: `trial 0 (stim ${batch.conditions.stim1[0] > 0 ? '+' : '−'}/${batch.conditions.stim2[0] > 0 ? '+' : '−'})`,
          units: model.config.N,
          durationMs: task.timeline.steps * task.timeline.dtMs,
        }),
        'spike raster of trial 0; stimulus periods shaded',
      );
    }
    run.writeArray('mean_rate_hz', { data: rec.meanRateHz, shape: [model.config.N] });
  } else {
    const sim = (engine === 'tfjs' ? simulateRateTfjs : simulateRate)(model, batch.inputs, rng.fork('sim'));
    outputs = sim.outputs;
    accuracy = task.score(sim.outputs, batch).accuracy;
    if (sim.rates) run.writeArray('rates', sim.rates, { description: 'firing rates r [trial, step, unit]' });
  }
  run.writeArray('outputs', outputs, { description: 'network output [trial, step, 1]' });
  run.writeArray('inputs', batch.inputs);
  for (const [name, v] of Object.entries(batch.conditions)) run.writeArray(`condition_${name}`, { data: v, shape: [v.length] });
  const T = task.timeline.steps;
  const traces = [];
  for (let b = 0; b < Math.min(8, o.trials); b++) {
    for (let t = 0; t < T; t++)
      traces.push({
        t: t * task.timeline.dtMs,
        o: outputs.data[b * T + t],
        trial: b,
        label: batch.conditions.match[b] ? 'match' : 'non-match',
      });
  }
  run.addFigure(
    'outputs',
    outputTracesSvg(traces, task.config.threshold, `${o.spiking ? 'spiking' : 'rate'} network output, first trials`),
    'output of the first 8 trials',
  );
  run.complete({ accuracy, trials: o.trials, totalSpikes: rec?.totalSpikes ?? null });
  console.log(`✓ accuracy ${pct(accuracy)} on ${o.trials} trials${rec ? `, ${rec.totalSpikes.toLocaleString('en-US')} spikes` : ''}`);
  return 0;
}
