/** Runs named jobs from the task table on the package's worker module. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type PoolOptions, runPool } from './pool';
import type { JobOf, ResultOf, TaskName } from './tasks';

/**
 * The built worker module. The bundler may place this code in dist/, dist/node/ or a shared
 * chunk, and tests run it from src/: look in each place.
 */
export function papersWorkerFile(): string {
  const candidates = ['./worker.js', './node/worker.js', '../../dist/node/worker.js', '../dist/node/worker.js'];
  for (const c of candidates) {
    const p = fileURLToPath(new URL(c, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error('@wmkit/papers/node: dist/node/worker.js not found; build the package (pnpm build)');
}

/** Runs jobs of one kind from the task table on worker threads; results in job order. */
export function runTasks<T extends TaskName>(task: T, jobs: JobOf<T>[], o: PoolOptions<ResultOf<T>> = {}): Promise<ResultOf<T>[]> {
  return runPool<{ task: T; job: JobOf<T> }, ResultOf<T>>(
    papersWorkerFile(),
    jobs.map((job) => ({ task, job })),
    o,
  );
}
