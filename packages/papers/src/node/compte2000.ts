/**
 * Compte et al. 2000 trials split across worker threads: a block of trials becomes one range per
 * worker, each simulated from the same trial streams (forked by global trial index from the
 * block's stream), and the ranges joined in order — the result equals a one-thread run.
 */
import {
  type CompteConfig,
  type CompteEngine,
  type CompteSimulation,
  type CompteSimulationOptions,
  type CompteSummary,
  concatCompteSimulations,
  simulateCompteTfjs,
  summarizeCompte,
} from '@wmkit/attractor-models';
import { Rng } from '@wmkit/tensor';
import { type Compte2000Hooks, type Compte2000Options, type Compte2000Result, compte2000 } from '../compte2000';
import { compteRunOutputs } from '../compte2000-outputs';
import type { RunOutputs } from '../outputs';
import { defaultWorkers } from './pool';
import { runTasks } from './run-tasks';
import type { CompteJob } from './tasks';

/**
 * `simulateCompte` on `workers` threads. `rng` must be fresh (a fork with no draws yet, as the
 * recipe passes): the workers rebuild it from its state. With `engine: 'tfjs'` the trials run in
 * this thread as TensorFlow.js ops on the selected backend, all of them batched in each op
 * (`simulateCompteTfjs`); `workers` is then unused.
 */
export async function simulateCompteParallel(
  config: CompteConfig,
  o: CompteSimulationOptions & { workers?: number; engine?: CompteEngine },
  rng: Rng,
): Promise<CompteSimulation> {
  if (o.engine === 'tfjs') return simulateCompteTfjs(config, o, rng);
  const W = defaultWorkers(o.trials, o.workers);
  const per = Math.ceil(o.trials / W);
  const first = o.firstTrial ?? 0;
  const jobs: CompteJob[] = [];
  for (let w = 0; w < W; w++) {
    const a = w * per;
    const b = Math.min(o.trials, a + per);
    if (b > a)
      jobs.push({
        config,
        rngState: Array.from(rng.getState()),
        firstTrial: first + a,
        trials: b - a,
        rasterTrials: Math.max(0, Math.min(b - a, (o.rasterTrials ?? 1) - a)),
      });
  }
  const progress = new Array(jobs.length).fill(0);
  const parts = await runTasks('compte2000', jobs, {
    workers: jobs.length,
    signal: o.signal,
    onJobProgress: (i, f) => {
      progress[i] = f * jobs[i].trials;
      o.onProgress?.(progress.reduce((s, v) => s + v, 0) / o.trials);
    },
  });
  return concatCompteSimulations(parts);
}

/** The `compte2000` recipe with its trials on worker threads (default: all cores). */
export function compte2000Parallel(o: Compte2000Options = {}, h: Compte2000Hooks & { workers?: number } = {}): Promise<Compte2000Result> {
  return compte2000(o, {
    ...h,
    simulate: h.simulate ?? ((c, so, r) => simulateCompteParallel(c, { ...so, workers: h.workers, engine: o.engine }, r)),
  });
}

/** What `simulateCompteRun` gives: the simulation, its summary, the run's arrays and metrics, and the seconds it took. */
export interface CompteRunResult {
  sim: CompteSimulation;
  summary: CompteSummary;
  outputs: RunOutputs;
  seconds: number;
}

/**
 * A batch of trials of the Compte et al. 2000 network as `wmkit simulate compte2000` records it:
 * `simulateCompteParallel` from the seed's 'main' stream (each trial forks its own, so the worker
 * count does not change the spikes), then `summarizeCompte` and `compteRunOutputs`.
 */
export async function simulateCompteRun(
  config: CompteConfig,
  seed: number,
  o: { trials: number; rasterTrials?: number; workers?: number; engine?: CompteEngine; onProgress?: (fraction: number) => void },
): Promise<CompteRunResult> {
  const t0 = performance.now();
  const sim = await simulateCompteParallel(config, { ...o, rasterTrials: o.rasterTrials ?? 1 }, new Rng(seed).fork('main'));
  const seconds = (performance.now() - t0) / 1000;
  const summary = summarizeCompte(sim);
  return { sim, summary, outputs: compteRunOutputs(sim, summary, seconds), seconds };
}
