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
 * one each). One worker per core wins over one worker with every core's kernel threads because a
 * short run spends most of its time outside the kernels (bench/README.md: 1.35–1.44× quiet, and
 * 1.3× at a load of 13 on 2 cores, with the one-file worker).
 */
export function sweepSplit(i: SweepSplitInputs): SweepSplit {
  const runs = Math.max(1, i.runs);
  const workers = Math.max(1, Math.min(i.workers ?? i.cores, runs));
  const why = i.workers != null ? `--workers ${i.workers}` : `${plural(i.cores, 'core')}, ${plural(runs, 'run')}`;
  const perWorker = Math.max(1, Math.floor(i.threads / workers));
  return { workers, kernelThreads: perWorker, reason: `${plural(workers, 'worker')} × ${plural(perWorker, 'kernel thread')} (${why})` };
}
