/** How a sweep's runs share the cores (pure: no Node API, so its tests load nothing else). */

/** How a sweep's runs share the cores: worker threads, kernel threads per worker, and why. */
export interface SweepSplit {
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
  /** Workers the user asked for (`--workers`). */
  workers?: number;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * The split of a sweep's runs into worker threads × kernel threads: the workers asked for, else
 * one per core, at most one per run; the kernel threads asked for are shared among them (at least
 * one each). One worker per core beats one worker with every core's kernel threads because a
 * short run spends most of its time outside the kernels (quiet 2-core machine: 1.35–1.44×). On a
 * busy machine the current load was measured as a reason for fewer workers and rejected: wall-clock
 * ratios swung 0.59–1.38× from round to round at loads 18–37, while with the one-file worker 2
 * workers used no more CPU time than one (14.5–15.7 against 16.2–16.8 CPU s; bench/README.md).
 */
export function sweepSplit(i: SweepSplitInputs): SweepSplit {
  const runs = Math.max(1, i.runs);
  const workers = Math.max(1, Math.min(i.workers ?? i.cores, runs));
  const why = i.workers != null ? `--workers ${i.workers}` : `${plural(i.cores, 'core')}, ${plural(runs, 'run')}`;
  const perWorker = Math.max(1, Math.floor(i.threads / workers));
  return { workers, kernelThreads: perWorker, reason: `${plural(workers, 'worker')} × ${plural(perWorker, 'kernel thread')} (${why})` };
}
