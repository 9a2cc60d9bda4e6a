import { createHash } from 'node:crypto';
import { kernelThreadSupport, Rng, setKernelThreads } from '@wmkit/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { ringModel } from '../params';
import { type RingSimulation, simulateRing } from '../ring';
import { ringKernels } from './ring-kernel';

// Up to 3 kernel threads: the module takes its threaded build when first used with more than one.
setKernelThreads(3);
afterAll(() => setKernelThreads(null));

/** A digest of every output of a run: responses, delay rates, angles, recorded units' rates, traces. */
function digest(sim: RingSimulation): string {
  const h = createHash('sha256');
  for (const a of [sim.response, sim.delayRates.data, sim.angles.data, sim.unitRates?.data, sim.traces?.data]) {
    if (a) h.update(new Uint8Array((a as Float32Array).buffer.slice(0)));
  }
  return h.digest('hex').slice(0, 16);
}

// 10 trials: blocks of 4 split 4/4/2 on 3 threads, a last block of 2; every model (circulant
// product through the symmetry, 8 population sums, the intrinsic current), recorded units and traces.
function run(model: 'bump' | 'discrete' | 'decaying', chunk?: number): string {
  const trials = 10;
  const units = Int32Array.from({ length: trials * 2 }, (_, i) => (i * 37) % 512);
  return digest(
    simulateRing(
      ringModel(model),
      { trials, delayMs: 100, recordUnits: { units, perTrial: 2 }, traceTrials: 5, ...(chunk ? { chunk } : {}) },
      new Rng(11),
    ),
  );
}

describe('ring kernel on several threads', () => {
  it('uses its threaded build here where the runtime supports threads', () => {
    expect(ringKernels().threads).toBe(kernelThreadSupport().ok ? 3 : 1);
  });

  for (const model of ['bump', 'discrete', 'decaying'] as const) {
    it(`gives byte-identical results on 1, 2 and 3 threads (${model})`, () => {
      const byThreads = [1, 2, 3].map((n) => {
        setKernelThreads(n);
        return run(model);
      });
      expect(byThreads[1]).toBe(byThreads[0]);
      expect(byThreads[2]).toBe(byThreads[0]);
    });
  }

  it('gives the same bits whatever the batch (chunk) size, so worker splits do not change results', () => {
    setKernelThreads(2);
    expect(run('bump', 3)).toBe(run('bump'));
  });
});
