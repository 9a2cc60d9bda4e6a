/**
 * `wmkit simulate compte2000 [--trials 4] [--size 1024] [--set path=value …] [--distractor 90,0.2,1000]`
 *
 * Simulates the spiking ring of Compte et al. 2000 for one or many trials and writes a run
 * directory: decoded angle over time and at the end of the delay (arrays named as in
 * `simulate attractor`), spike counts, population rates, the first trial's spikes, and figures.
 */
import { compteRunFigures } from '@wmkit/figures';
import { compteSummaryText } from '@wmkit/papers';
import { simulateCompteRun } from '@wmkit/papers/node';
import { type ConfigOptionValues, printConfigIfAsked } from '../../options';
import { Progress } from '../../progress';
import { startRun, writeOutputs } from '../../run-helpers';
import { type CompteCliOptions, resolveCompteConfig } from './common';

export interface SimulateCompteOptions extends Omit<CompteCliOptions, 'preset'>, ConfigOptionValues {
  /** Default ndx3. */
  preset?: string;
  /** Default 1. */
  trials?: number;
  /** Default 1. */
  seed?: number;
  out?: string;
  force?: boolean;
  workers?: number;
  engine?: 'kernels' | 'tfjs';
}

export async function simulateCompteCommand(opts: SimulateCompteOptions): Promise<number> {
  const preset = opts.preset ?? 'ndx3';
  const { config, seed } = resolveCompteConfig({ ...opts, preset });
  if (printConfigIfAsked(opts, config)) return 0;
  const o = { ...opts, preset, trials: opts.trials ?? 1, seed: opts.seed ?? seed ?? 1 };
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
  const { trials, workers } = o; // the first trial's spikes are kept (simulateCompteRun's rasterTrials)
  const r = await simulateCompteRun(config, o.seed, { trials, workers, engine, onProgress: (f) => bar.update(f * trials) });
  const simulated = (trials * r.sim.protocol.durationMs) / 1000;
  bar.finish(trials, { 'simulated s/s': (simulated / r.seconds).toFixed(2) });
  writeOutputs(run, r.outputs, compteRunFigures(r.sim, r.summary));
  run.complete({ engine, ...r.outputs.metrics });
  console.log(`✓ ${simulated.toFixed(2)} s simulated in ${r.seconds.toFixed(1)} s\n${compteSummaryText(r.summary)}`);
  return 0;
}
