/**
 * `wmkit simulate compte2000 [--trials 4] [--size 1024] [--set path=value …] [--distractor 90,0.2,1000]`
 *
 * Simulates the spiking ring of Compte et al. 2000 for one or many trials and writes a run
 * directory: decoded angle over time and at the end of the delay (arrays named as in
 * `simulate attractor`), spike counts, population rates, the first trial's spikes, and figures.
 */
import { summarizeCompte } from '@wmkit/attractor-models';
import { compteRunFigures } from '@wmkit/figures';
import { compteRunOutputs, compteSummaryText } from '@wmkit/papers';
import { simulateCompteParallel } from '@wmkit/papers/node';
import { Rng } from '@wmkit/tensor';
import { UsageError } from '../../errors';
import { Progress } from '../../progress';
import { startRun, writeOutputs } from '../../run-helpers';

import { type CompteCliOptions, resolveCompteConfig } from './common';

export interface SimulateCompteOptions extends CompteCliOptions {
  trials: number;
  seed: number;
  out?: string;
  force?: boolean;
  rasterTrials?: number;
  workers?: number;
  engine?: 'kernels' | 'tfjs';
}

export async function simulateCompteCommand(o: SimulateCompteOptions): Promise<number> {
  if (!Number.isInteger(o.trials) || o.trials < 1) throw new UsageError(`--trials must be a positive integer, got ${o.trials}`);
  const config = resolveCompteConfig(o);
  const engine = o.engine ?? 'kernels';
  const run = await startRun(o.out ?? 'runs/compte2000', {
    kind: 'compte2000.simulate',
    config,
    seed: o.seed,
    preset: `compte2000.${o.preset}`,
    force: o.force,
  });
  run.setMetrics({ engine }); // which form ran: typed arrays in JavaScript (kernels) or TensorFlow.js ops (tfjs)
  const d = config.protocol.distractor;
  console.log(
    `▶ Compte et al. 2000 spiking ring (${o.preset}): ${config.NE} E + ${config.NI} I, ${o.trials} trial${o.trials === 1 ? '' : 's'}, ${config.protocol.delayMs}-ms delay${d ? `, distractor ${d.ampNa} nA at ${d.angleDeg}° ${d.onsetMs} ms into the delay` : ''}, engine ${engine} → ${run.dir}`,
  );
  const bar = new Progress('  simulating', o.trials, 'trials');
  const t0 = performance.now();
  // trials on worker threads; each trial's stream forks from this one, so the worker count does not change the spikes
  const sim = await simulateCompteParallel(
    config,
    {
      trials: o.trials,
      rasterTrials: o.rasterTrials ?? 1,
      workers: o.workers,
      engine,
      onProgress: (f: number) => bar.update(f * o.trials),
    },
    new Rng(o.seed).fork('main'),
  );
  const seconds = (performance.now() - t0) / 1000;
  const simulated = (o.trials * sim.protocol.durationMs) / 1000;
  bar.finish(o.trials, { 'simulated s/s': (simulated / seconds).toFixed(2) });
  const summary = summarizeCompte(sim);
  const outputs = compteRunOutputs(sim, summary, seconds);
  writeOutputs(run, outputs, compteRunFigures(sim, summary));
  run.complete({ engine, ...outputs.metrics });
  console.log(`✓ ${simulated.toFixed(2)} s simulated in ${seconds.toFixed(1)} s\n${compteSummaryText(summary)}`);
  return 0;
}
