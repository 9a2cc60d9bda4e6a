/**
 * A diverged trainer or simulation (DivergenceError from a model package) ends its run as
 * `failed`, with the step and the value in run.json's error and one line on stderr; exit code 1.
 */
import type { RunDirectory } from '@wmkit/data-io/node';

export function isDivergence(err: unknown): err is Error {
  return (err as Error)?.name === 'DivergenceError';
}

/** Records the divergence in `run`'s metrics (`diverged`, `divergedAt`) and marks it failed. */
export function markDiverged(run: RunDirectory, err: Error): void {
  const e = err as Error & { step?: number; stepName?: string };
  run.setMetrics({ diverged: true, divergedAt: e.step != null ? `${e.stepName} ${e.step}` : null });
  run.fail(err);
}

/** Runs `body`; a DivergenceError inside marks `run` failed (and is rethrown: a one-line error, exit code 1). */
export async function failOnDivergence<T>(run: RunDirectory, body: () => Promise<T> | T): Promise<T> {
  try {
    return await body();
  } catch (err) {
    if (isDivergence(err)) markDiverged(run, err);
    throw err;
  }
}
