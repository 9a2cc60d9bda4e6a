/**
 * The steps of `wmkit sweep` as functions: running a sweep's pending runs on workers with
 * SIGINT/SIGTERM handled, and collecting its results into one run directory: sweep.csv (every
 * run's parameters, seed, status and numeric metrics) and each metric as an array over [grid
 * parameters…, seed] (`sweepTable` of @wmkit/data-io), with the counts in run.json.
 */
import { join } from 'node:path';
import { interruptSweepRuns, type Sweep, type SweepRun, type SweepTable } from '@wmkit/data-io/node';
import type { RunStarter } from './run-writer';
import { runSweepOnWorkers, type SweepFailure, type SweepWorkersOptions } from './sweep';

/**
 * Runs `pending` on workers (`runSweepOnWorkers`); on SIGINT or SIGTERM the runs in flight are
 * marked interrupted (a rerun redoes them) and `onSignal` is called (to report and exit).
 */
export async function runSweepInterruptible(
  sweep: Sweep,
  pending: SweepRun[],
  o: SweepWorkersOptions & { onSignal: (signal: NodeJS.Signals) => void },
): Promise<SweepFailure[]> {
  const handler = (signal: NodeJS.Signals) => {
    interruptSweepRuns(pending, signal);
    o.onSignal(signal);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  try {
    return await runSweepOnWorkers(sweep, pending, o);
  } finally {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  }
}

/** The run kind of a collected sweep. */
export const SWEEP_COLLECT_KIND = 'sweep.collect';

/**
 * Writes `table` (the sweep's `sweepTable`) into `<sweep.out>/collect`, started with `start`;
 * returns the run, the counts, the array axes and the arrays' shape.
 */
export async function writeSweepCollect(start: RunStarter, sweep: Sweep, table: SweepTable) {
  const { params, values, seeds } = sweep;
  const run = await start(join(sweep.out, 'collect'), {
    kind: SWEEP_COLLECT_KIND,
    config: { sweep: sweep.file, name: sweep.name, params, values, seeds },
    seed: null,
    force: true,
  });
  run.writeFile('sweep.csv', table.csv);
  const axes = [...params, 'seed'];
  for (const a of table.arrays)
    run.writeArray(a.name, { data: a.data, shape: a.shape }, { description: `metric '${a.metric}' over [${axes.join(', ')}]` });
  const { runs, ...counts } = table.counts;
  run.complete({ runs, ...counts, axes });
  const shape = table.arrays[0]?.shape ?? [...params.map((p) => values[p].length), seeds.length];
  return { run, runs, counts, axes, shape };
}
