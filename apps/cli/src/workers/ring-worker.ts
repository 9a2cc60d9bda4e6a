/**
 * Worker thread: simulates a range of ring-model trials (see parallel.ts). Each trial has its own
 * random stream, so the split across workers does not change the results.
 */
import { parentPort } from 'node:worker_threads';
import { type RingModelParams, ringModel, simulateRing } from '@wmkit/attractor-models';
import { initKernels, Rng } from '@wmkit/tensor';

export interface RingJob {
  model: string;
  overrides: Partial<RingModelParams>;
  seed: number;
  firstTrial: number;
  trials: number;
  delayMs: number;
  recordEveryMs: number;
  recordUnits: { units: Int32Array; perTrial: number } | null;
  traceTrials: number;
  /** Cue index per trial of this range (null: balanced, trial t gets cue t mod 8). */
  cues: Int32Array | null;
}

parentPort?.on('message', async (job: RingJob) => {
  try {
    await initKernels();
    const sim = simulateRing(
      ringModel(job.model, job.overrides),
      {
        trials: job.trials,
        firstTrial: job.firstTrial,
        delayMs: job.delayMs,
        recordEveryMs: job.recordEveryMs,
        recordUnits: job.recordUnits ?? undefined,
        traceTrials: job.traceTrials,
        cues: job.cues ?? undefined,
        onProgress: (f) => parentPort?.postMessage({ type: 'progress', fraction: f }),
      },
      new Rng(job.seed),
    );
    const transfer = [sim.response.buffer, sim.delayRates.data.buffer, sim.angles.data.buffer, sim.cue.buffer, sim.cueAngle.buffer];
    if (sim.unitRates) transfer.push(sim.unitRates.data.buffer);
    if (sim.traces) transfer.push(sim.traces.data.buffer);
    parentPort?.postMessage({ type: 'done', sim }, transfer as ArrayBuffer[]);
  } catch (err) {
    parentPort?.postMessage({ type: 'error', message: (err as Error).message, name: (err as Error).name });
  }
});
