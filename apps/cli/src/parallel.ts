/** A worker script of the built CLI (dist/workers/<file>), from the main bundle or from a worker. */
export function workerScript(file: string): URL {
  const here = new URL('.', import.meta.url);
  return here.pathname.endsWith('/workers/') ? new URL(file, here) : new URL(`workers/${file}`, here);
}

/**
 * Runs independent jobs on a pool of worker threads (each worker file answers one job per
 * message with { type: 'done', result } or { type: 'error', message, name }). Results come back
 * in job order; `onResult` fires as each finishes.
 */
export async function runPool<J, R>(
  workerFile: string,
  jobs: J[],
  workers: number,
  onResult?: (result: R, index: number) => void,
  options: { env?: Record<string, string | undefined> } = {},
): Promise<R[]> {
  const out: R[] = new Array(jobs.length);
  let next = 0;
  const url = workerScript(workerFile);
  const W = Math.max(1, Math.min(workers, jobs.length));
  await Promise.all(
    Array.from({ length: W }, async () => {
      const worker = new Worker(url, options.env ? { env: { ...process.env, ...options.env } } : {});
      try {
        while (next < jobs.length) {
          const i = next++;
          const result = await new Promise<R>((resolve, reject) => {
            const onMessage = (m: { type: string; result?: R; message?: string; name?: string }) => {
              worker.off('message', onMessage);
              worker.off('error', reject);
              if (m.type === 'done') resolve(m.result as R);
              else reject(Object.assign(new Error(m.message ?? `${workerFile} failed`), { name: m.name ?? 'Error' }));
            };
            worker.on('message', onMessage);
            worker.once('error', reject);
            worker.postMessage(jobs[i]);
          });
          out[i] = result;
          onResult?.(result, i);
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
  return out;
}

/**
 * Runs ring-model simulations on several worker threads (one wasm instance each) and merges the
 * results in trial order. Results equal a single-thread run with the same seed.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RingModelParams, RingSimulation } from '@wmkit/attractor-models';
import type { RingJob } from './workers/ring-worker';

export interface ParallelRingOptions {
  model: string;
  overrides?: Partial<RingModelParams>;
  seed: number;
  trials: number;
  delayMs: number;
  recordEveryMs?: number;
  recordUnits?: { units: Int32Array; perTrial: number };
  traceTrials?: number;
  /** Cue index (0..7) of every trial; default balanced (trial t gets cue t mod 8). */
  cues?: Int32Array;
  workers?: number;
  onProgress?: (fraction: number) => void;
}

function workerUrl(): URL {
  return workerScript('ring-worker.js');
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export async function simulateRingParallel(o: ParallelRingOptions): Promise<RingSimulation> {
  const W = Math.max(1, Math.min(o.workers ?? availableParallelism(), o.trials));
  const per = Math.ceil(o.trials / W);
  const ranges = Array.from({ length: W }, (_, w) => [w * per, Math.min(o.trials, (w + 1) * per)] as const).filter(([a, b]) => b > a);
  const progress = new Array(ranges.length).fill(0);
  const perTrial = o.recordUnits?.perTrial ?? 0;
  const results = await Promise.all(
    ranges.map(
      ([start, end], w) =>
        new Promise<RingSimulation>((resolve, reject) => {
          const worker = new Worker(workerUrl());
          const job: RingJob = {
            model: o.model,
            overrides: o.overrides ?? {},
            seed: o.seed,
            firstTrial: start,
            trials: end - start,
            delayMs: o.delayMs,
            recordEveryMs: o.recordEveryMs ?? 50,
            recordUnits: o.recordUnits ? { units: o.recordUnits.units.slice(start * perTrial, end * perTrial), perTrial } : null,
            traceTrials: w === 0 ? (o.traceTrials ?? 0) : 0,
            cues: o.cues ? o.cues.slice(start, end) : null,
          };
          worker.on('message', (m: { type: string; fraction?: number; sim?: RingSimulation; message?: string; name?: string }) => {
            if (m.type === 'progress') {
              progress[w] = (m.fraction ?? 0) * (end - start);
              o.onProgress?.(progress.reduce((a, v) => a + v, 0) / o.trials);
            } else if (m.type === 'done' && m.sim) {
              resolve(m.sim);
              void worker.terminate();
            } else if (m.type === 'error') {
              reject(Object.assign(new Error(m.message), { name: m.name }));
              void worker.terminate();
            }
          });
          worker.on('error', reject);
          worker.postMessage(job);
        }),
    ),
  );
  const first = results[0];
  const nRec = first.angles.shape[1];
  const N = first.delayRates.shape[1];
  return {
    ...first,
    trials: o.trials,
    cue: concat(results.map((r) => r.cue)),
    cueAngle: concat(results.map((r) => r.cueAngle)),
    response: concat(results.map((r) => r.response)),
    delayRates: { data: concat(results.map((r) => r.delayRates.data as Float32Array)), shape: [o.trials, N] },
    angles: { data: concat(results.map((r) => r.angles.data as Float32Array)), shape: [o.trials, nRec] },
    unitRates: first.unitRates
      ? { data: concat(results.map((r) => r.unitRates?.data as Float32Array)), shape: [o.trials, perTrial, nRec] }
      : null,
    traces: first.traces,
  };
}
