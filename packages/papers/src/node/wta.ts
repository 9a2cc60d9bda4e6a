/** WTA conditions on worker threads (one job per condition, through the task table). */
import type { WtaRunner } from '../runners';
import { runTasks } from './run-tasks';

/**
 * A `WtaRunner` on worker threads, for `kriener2020({ runConditions: wtaOnWorkers(2) })`: each
 * condition draws from its own seeded stream, so the numbers equal a one-thread run.
 */
export function wtaOnWorkers(workers?: number): WtaRunner {
  return (runs, o) => runTasks('wta', runs, { workers, onResult: o.onResult, signal: o.signal });
}
