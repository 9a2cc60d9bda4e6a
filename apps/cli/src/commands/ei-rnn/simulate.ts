/**
 * `wmkit simulate runs/dms-1 --trials 100 [--spiking]`
 *
 * Runs a trained model on fresh trials of the task its run.json records (DMS, AFC or Go/NoGo; `simulateEiNetwork`
 * of @wmkit/papers) and saves outputs, conditions and accuracy; with --spiking, the converted LIF
 * network, its spike raster (first trials) and a raster figure.
 */
import { type EiRnnTaskConfig, type EiRnnTaskName, eiRnnTask } from '@wmkit/ei-rnn';
import { eiSimulationFigures } from '@wmkit/figures';
import { EI_RUN_KINDS, eiSimulationLine, eiSimulationRunConfig, simulateEiNetwork } from '@wmkit/papers';
import { Rng } from '@wmkit/tensor';
import { UsageError } from '../../errors';
import { Progress } from '../../progress';
import { startRun, subRunDir, writeOutputs } from '../../run-helpers';
import { loadLifRun, loadRateRun, taskOfRun } from './common';

export interface SimulateEiOptions {
  trials: number;
  spiking?: boolean;
  delay: 'short' | 'long';
  rasterTrials: number;
  out?: string;
  /** The wasm kernels (default) or TensorFlow.js ops on the selected backend. */
  engine?: 'kernels' | 'tfjs';
  /** The run's task: read from run.json; an explicit one that differs is refused. */
  task?: EiRnnTaskName;
}

export async function simulateEiRun(dir: string, o: SimulateEiOptions): Promise<number> {
  const rate = loadRateRun(dir);
  const { model, seed } = rate;
  const recorded = taskOfRun(rate, o.task); // an explicit --task that is not the run's is refused, naming both
  if (o.delay === 'long' && recorded.name !== 'dms')
    throw new UsageError(
      `--delay long is the DMS task's 750-ms delay, but ${dir}/run.json records the ${recorded.name} task; leave --delay out`,
    );
  // the recorded task (dt and timing as trained); --delay long tests DMS at the 750-ms delay with the same dt
  const task = o.delay === 'long' ? eiRnnTask('dms', { variant: 'long', dtMs: recorded.config.dtMs }) : recorded.task;
  const lif = o.spiking ? loadLifRun(dir, model) : null;
  const out = o.out ?? subRunDir(dir, o.spiking ? 'simulate-spiking' : 'simulate');
  const { trials, rasterTrials, delay } = o;
  const inverseScale = lif?.inverseScale ?? null;
  const config = eiSimulationRunConfig(dir, task, { trials, delay, spiking: Boolean(o.spiking), rasterTrials, inverseScale });
  const run = await startRun(out, { kind: EI_RUN_KINDS.simulate, config, seed, force: true });
  const engine = o.engine ?? 'kernels';
  run.setMetrics({ engine }); // which implementation simulated it: the wasm kernels or TensorFlow.js ops
  console.log(
    `▶ simulating ${trials} ${task.name} trials of ${dir} (${lif ? `spiking, 1/λ = ${lif.inverseScale}` : 'rate'}; ${engine} engine) → ${out}`,
  );
  const bar = lif ? new Progress('  simulating', 1) : null;
  const sim = simulateEiNetwork(model, new Rng(seed).fork(`simulate-${delay}`), {
    task,
    trials,
    rasterTrials,
    engine,
    spiking: lif?.net ?? null,
    onProgress: (f) => bar?.update(f),
  });
  bar?.finish(1);
  const figures = eiSimulationFigures(sim, {
    spiking: Boolean(lif),
    units: model.config.N,
    durationMs: config.trialMs,
    threshold: (task.config as EiRnnTaskConfig).threshold,
  });
  writeOutputs(run, sim.arrays, figures);
  run.complete({ accuracy: sim.accuracy, trials, totalSpikes: sim.totalSpikes });
  console.log(eiSimulationLine(sim, trials));
  return 0;
}
