/** Kim & Sejnowski 2021 with one model per worker thread (each model's streams are its own seed's). */
import { type Kim2021Hooks, type Kim2021Options, type Kim2021Result, kim2021 } from '../kim2021';
import { runTasks } from './run-tasks';

/** `Kim2021Options` with the number of worker threads. */
export interface Kim2021ParallelOptions extends Kim2021Options {
  /** Worker threads (default: all cores, at most one per model). */
  workers?: number;
}

/** `Kim2021Hooks` without the runner (the workers are it), with per-model progress. */
export interface Kim2021ParallelHooks extends Omit<Kim2021Hooks, 'runModels' | 'onProgress'> {
  /** Fraction done of each model's job (its index among the jobs, the seed it trains). */
  onModelProgress?: (seed: number, fraction: number) => void;
}

/** `kim2021` with the per-model work on worker threads; the result equals a one-thread run. */
export function kim2021Parallel(o: Kim2021ParallelOptions, hooks: Kim2021ParallelHooks = {}): Promise<Kim2021Result> {
  return kim2021(o, {
    ...hooks,
    runModels: (jobs, onModel) =>
      runTasks('kimModel', jobs, {
        workers: o.workers,
        signal: hooks.signal,
        onResult: (w, i) => onModel(w, i),
        onJobProgress: (i, f) => hooks.onModelProgress?.(jobs[i]?.seed as number, f),
      }),
  });
}
