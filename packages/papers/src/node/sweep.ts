/**
 * Running a sweep's runs on worker threads (Node only): each job is one run's arguments and log
 * file, handed to a worker module that runs it and answers its exit code (the CLI's runs one
 * `wmkit` command per job). A run counts as complete when its run directory says so, whatever
 * the exit code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Sweep, type SweepJob, type SweepRun, sweepRunStatus } from '@wmkit/data-io/node';
import { kernelThreads } from '@wmkit/tensor';
import { runPool } from './pool';
import { type SweepSplit, sweepSplit } from './sweep-split';

export type { SweepSplit, SweepSplitInputs } from './sweep-split';
export { sweepSplit } from './sweep-split';

/**
 * Threads of other programs that are running or ready to run now, on Linux: the median of
 * `samples` readings of the running count in /proc/loadavg, `gapMs` apart, less this thread.
 * Null where /proc/loadavg is absent. (Not the load average: a minute's mean counts this
 * program's own last minutes, e.g. the sweep before.)
 */
export async function otherRunnableThreads(samples = 5, gapMs = 40): Promise<number | null> {
  const counts: number[] = [];
  for (let k = 0; k < samples; k++) {
    if (k) await sleep(gapMs);
    let text: string;
    try {
      text = readFileSync('/proc/loadavg', 'utf8');
    } catch {
      return null;
    }
    const running = Number(text.split(' ')[3]?.split('/')[0]);
    if (!Number.isFinite(running)) return null;
    counts.push(running);
  }
  counts.sort((a, b) => a - b);
  return Math.max(0, (counts[counts.length >> 1] as number) - 1);
}

/** `sweepSplit` on this machine now: its cores, the kernel threads asked for, and (without `workers`) the other programs' running threads. */
export async function chooseSweepSplit(runs: number, workers?: number): Promise<SweepSplit> {
  const others = workers == null ? await otherRunnableThreads() : null;
  return sweepSplit({ runs, cores: availableParallelism(), threads: kernelThreads(), others, workers });
}

/** A run of a sweep that did not complete: why, and where its output went. */
export interface SweepFailure {
  run: SweepRun;
  /** The exit code its worker answered. */
  code: number;
  /** `exit <code>`, or the status its run directory was left in. */
  why: string;
  log: string;
}

/** Options of `runSweepOnWorkers`. */
export interface SweepWorkersOptions {
  /** The worker module (made with `defineWorker`) that runs one `SweepJob` and answers its exit code. */
  workerFile: string | URL;
  workers: number;
  /** Called as each run ends, with its exit code and the counts so far. */
  onRun?: (code: number, counts: { done: number; failed: number }) => void;
  /** Environment of the workers (on top of this process's). */
  env?: Record<string, string | undefined>;
}

/** The log file of a sweep run: `<out>/logs/<id>.log`. */
export const sweepLogFile = (sweep: Sweep, r: SweepRun): string => join(sweep.out, 'logs', `${r.id}.log`);

/**
 * Runs `runs` (a sweep's pending runs) on worker threads; a run whose directory already holds a
 * run.json is replaced (`--force`). Returns the runs that did not complete, in order.
 */
export async function runSweepOnWorkers(sweep: Sweep, runs: SweepRun[], o: SweepWorkersOptions): Promise<SweepFailure[]> {
  const jobs: SweepJob[] = runs.map((r) => ({
    args: existsSync(join(r.dir, 'run.json')) ? [...r.args, '--force'] : r.args,
    log: sweepLogFile(sweep, r),
  }));
  let done = 0;
  let failed = 0;
  const codes = await runPool<SweepJob, number>(o.workerFile, jobs, {
    workers: o.workers,
    env: o.env,
    onResult: (code) => {
      done++;
      if (code !== 0) failed++;
      o.onRun?.(code, { done, failed });
    },
  });
  const failures: SweepFailure[] = [];
  runs.forEach((r, i) => {
    const code = codes[i] as number;
    const status = code === 0 ? sweepRunStatus(sweep, r).status : null;
    if (code !== 0 || status !== 'complete')
      failures.push({
        run: r,
        code,
        why: code !== 0 ? `exit ${code}` : `exit 0 but its run directory is ${status}`,
        log: sweepLogFile(sweep, r),
      });
  });
  return failures;
}
