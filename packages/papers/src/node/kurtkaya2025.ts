/**
 * Kurtkaya et al. 2025 with its networks trained on worker threads (`stmCell` jobs, one network
 * each). Every network has its own random stream (its grid seed), so the result equals a
 * one-thread run.
 */
import { type Kurtkaya2025Hooks, type Kurtkaya2025Options, type Kurtkaya2025Result, kurtkaya2025 } from '../kurtkaya2025';
import { defaultWorkers } from './pool';
import { runTasks } from './run-tasks';

/** `Kurtkaya2025Hooks` without the runner (the workers are it), with the worker count and per-network progress. */
export interface ParallelKurtkaya2025Hooks extends Omit<Kurtkaya2025Hooks, 'runNetworks'> {
  /** Worker threads (default: all cores, at most one per network). */
  workers?: number;
  /** Fraction done of network `index` (of the networks trained in this call), 0..1. */
  onNetworkProgress?: (index: number, fraction: number) => void;
}

/** `kurtkaya2025` with the networks trained on worker threads; the result equals a one-thread run. */
export function kurtkaya2025Parallel(o: Kurtkaya2025Options = {}, hooks: ParallelKurtkaya2025Hooks = {}): Promise<Kurtkaya2025Result> {
  const { workers, onNetworkProgress, ...rest } = hooks;
  return kurtkaya2025(o, {
    ...rest,
    runNetworks: async (networks, onResult, signal, engine) => {
      // in chunks, so that the trained networks of a large grid are not all held at once (each
      // goes to onResult as it finishes; the pool answers with the whole chunk)
      const chunk = 16 * defaultWorkers(networks.length, workers);
      for (let start = 0; start < networks.length; start += chunk) {
        const part = networks.slice(start, start + chunk);
        await runTasks(
          'stmCell',
          part.map((n) => ({ config: n.config, seed: n.seed, engine: engine ?? 'kernels' })),
          {
            workers,
            signal,
            onResult: (r, i) => onResult(r, start + i),
            onJobProgress: onNetworkProgress && ((i, f) => onNetworkProgress(start + i, f)),
          },
        );
      }
    },
  });
}
