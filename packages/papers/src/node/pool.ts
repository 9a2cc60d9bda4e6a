/**
 * A pool of worker threads for independent jobs, on tinypool (maintained, small, used by vitest):
 * results come back in job order whatever the number of workers, progress messages from the
 * workers are forwarded, and an AbortSignal stops the jobs not yet finished.
 */
import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { kernelThreads, UserError } from '@wmkit/tensor';
import Tinypool from 'tinypool';
import { abortError } from '../hooks';
import { kernelThreadsPerWorker, workersFor } from './sweep-split';

/** Options of `runPool`: workers, result and progress callbacks, abort signal and the workers' environment. */
export interface PoolOptions<R> {
  /** Worker threads (default: all cores, at most one per job). */
  workers?: number;
  /** Called as each job finishes, with its index in `jobs`. */
  onResult?: (result: R, index: number) => void;
  /** Called with each progress message a job posts on its port (`fraction` of that job in 0..1). */
  onJobProgress?: (index: number, fraction: number) => void;
  signal?: AbortSignal;
  /** Environment of the workers (default: the parent's). */
  env?: Record<string, string | undefined>;
}

/** The number of workers a pool uses for `jobs` jobs when `workers` is not given. */
export function defaultWorkers(jobs: number, workers?: number): number {
  return workersFor(jobs, workers ?? availableParallelism());
}

/**
 * Runs `jobs` on worker threads loading `workerFile`, a module whose default export is made by
 * `defineWorker`. Results come back in job order.
 */
export async function runPool<J, R>(workerFile: string | URL, jobs: J[], o: PoolOptions<R> = {}): Promise<R[]> {
  if (jobs.length === 0) return [];
  const threads = defaultWorkers(jobs.length, o.workers);
  const pool = new Tinypool({
    filename: workerFile instanceof URL ? workerFile.href : workerFile,
    minThreads: threads,
    maxThreads: threads,
    // one job per worker at a time; workers are kept (their wasm instances stay warm)
    concurrentTasksPerWorker: 1,
    isolateWorkers: false,
    // kernel threads per worker: workers × kernel threads ≤ the threads asked for (WMKIT_THREADS, else the cores)
    env: Object.fromEntries(
      Object.entries({ ...process.env, WMKIT_THREADS: String(kernelThreadsPerWorker(kernelThreads(), threads)), ...o.env }).filter(
        ([, v]) => v !== undefined,
      ),
    ) as Record<string, string>,
  });
  const controller = new AbortController();
  // tinypool adds one abort listener per queued job: more than Node's default of 10 is expected here
  setMaxListeners(jobs.length + 10, controller.signal);
  const stop = () => controller.abort(abortError(o.signal));
  o.signal?.addEventListener('abort', stop, { once: true });
  try {
    if (o.signal?.aborted) throw abortError(o.signal);
    return await Promise.all(
      jobs.map(async (job, i) => {
        const { port1, port2 } = new MessageChannel();
        port1.on('message', (f: number) => o.onJobProgress?.(i, f));
        try {
          const reply = (await pool.run({ job, port: port2 }, { transferList: [port2], signal: controller.signal })) as WorkerReply<R>;
          if (!reply.ok) throw errorFromWorker(reply);
          o.onResult?.(reply.result, i);
          return reply.result;
        } catch (err) {
          if (controller.signal.aborted) throw abortError(o.signal);
          throw restoreError(err);
        } finally {
          port1.close();
        }
      }),
    );
  } finally {
    o.signal?.removeEventListener('abort', stop);
    await pool.destroy();
  }
}

/** What a worker defined with `defineWorker` answers. */
export type WorkerReply<R> = { ok: true; result: R } | { ok: false; name: string; message: string; kind: WorkerErrorKind };

/** How an error crosses the thread boundary: a `UserError`, a `RangeError`, or any other error (a bug). */
export type WorkerErrorKind = 'user' | 'range' | 'other';

/** The message a job receives in its worker: the job and a port for progress (numbers in 0..1). */
export interface WorkerInput<J> {
  job: J;
  port: import('node:worker_threads').MessagePort;
}

/**
 * A worker module's default export: runs `fn` on each job; errors come back with their name,
 * message and kind (a `UserError` or `RangeError` stays one in the calling thread, so an app
 * still tells user errors such as ConfigError from bugs).
 */
export function defineWorker<J, R>(fn: (job: J, progress: (fraction: number) => void) => R | Promise<R>) {
  return async ({ job, port }: WorkerInput<J>): Promise<WorkerReply<R>> => {
    try {
      const result = await fn(job, (f) => port.postMessage(f));
      return { ok: true, result };
    } catch (err) {
      const e = err as Error;
      const kind: WorkerErrorKind = err instanceof UserError ? 'user' : err instanceof RangeError ? 'range' : 'other';
      return { ok: false, name: e?.name ?? 'Error', message: e?.message ?? String(err), kind };
    } finally {
      port.close();
    }
  };
}

/** A worker's error (a `WorkerReply` that failed) in the calling thread: the same kind of error (user, range, other), name and message. */
export function errorFromWorker(e: { name: string; message: string; kind: WorkerErrorKind }): Error {
  const err = e.kind === 'user' ? new UserError(e.message) : e.kind === 'range' ? new RangeError(e.message) : new Error(e.message);
  err.name = e.name;
  return err;
}

/** Errors that tinypool itself passes on (a worker that crashed) as plain objects: keep their name and message. */
function restoreError(err: unknown): Error {
  if (err instanceof Error) return err;
  const e = err as { name?: string; message?: string };
  return Object.assign(new Error(e?.message ?? String(err)), { name: e?.name ?? 'Error' });
}
