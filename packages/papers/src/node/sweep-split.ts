/** How a sweep's runs share the cores (pure: no Node API, so its tests load nothing else). */

/** How a sweep's runs share the cores: worker threads, kernel threads per worker, and why. */
export interface SweepSplit {
  /** Worker threads, each running one run at a time. */
  workers: number;
  /** Kernel threads of each worker: the kernel threads asked for (`--threads`, `WMKIT_THREADS`, else the cores) shared among the workers. */
  kernelThreads: number;
  /** One line for the user: what was chosen and from what. */
  reason: string;
}

/** What `sweepSplit` decides from. */
export interface SweepSplitInputs {
  /** Runs to do. */
  runs: number;
  /** Cores of this machine (`os.availableParallelism()`). */
  cores: number;
  /** Kernel threads asked for in all (`kernelThreads()` of @wmkit/tensor). */
  threads: number;
  /** Threads of other programs running now (`otherRunnableThreads`), or null where unknown. */
  others?: number | null;
  /** Workers the user asked for (`--workers`); the rule applies only without it. */
  workers?: number;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** Workers for `jobs` jobs from `workers` wanted: at most one per job, at least one (`runPool` and `sweepSplit`). */
export function workersFor(jobs: number, workers: number): number {
  return Math.max(1, Math.min(workers, jobs));
}

/** Kernel threads of each of `workers` workers sharing `threads` in all: workers × kernel threads ≤ threads, at least one each. */
export function kernelThreadsPerWorker(threads: number, workers: number): number {
  return Math.max(1, Math.floor(threads / workers));
}

/**
 * The split of a sweep's runs into worker threads × kernel threads. Asked for: `workers` (at most
 * one per run). Otherwise one worker per core that no other program keeps busy now (`cores` less
 * `others`), at most one per run and at least one; the kernel threads asked for are shared among
 * the workers (at least one each). A worker per free core beats one worker with every core's
 * kernel threads because a short run spends most of its time outside the kernels (quiet 2-core
 * machine: 2 workers 1.35–1.44× one). On a busy machine a second worker gains the sweep no CPU
 * time (Linux shares the cores among sessions, not threads): measured at loads 16–37 on 2 cores,
 * 2 workers ran 0.59–0.98× as fast as one in 7 of 8 rounds (median 0.86×; bench/README.md),
 * with no more CPU time: then one worker.
 */
export function sweepSplit(i: SweepSplitInputs): SweepSplit {
  const runs = Math.max(1, i.runs);
  let workers: number;
  let why: string;
  if (i.workers != null) {
    workers = workersFor(runs, i.workers);
    why = `--workers ${i.workers}`;
  } else {
    const others = i.others ?? 0;
    const free = Math.max(1, i.cores - others);
    workers = workersFor(runs, free);
    why = others > 0 ? `${plural(others, 'other thread')} running on ${plural(i.cores, 'core')}` : plural(i.cores, 'core');
    if (i.others === 0) why += ', none busy';
    if (workers === runs && runs < free) why += `, ${plural(runs, 'run')}`;
  }
  const perWorker = kernelThreadsPerWorker(i.threads, workers);
  return { workers, kernelThreads: perWorker, reason: `${plural(workers, 'worker')} × ${plural(perWorker, 'kernel thread')} (${why})` };
}
