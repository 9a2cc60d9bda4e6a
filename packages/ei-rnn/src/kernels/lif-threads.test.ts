import { createHash } from 'node:crypto';
import { dmsTask } from '@wmkit/tasks';
import { kernelThreadSupport, Rng, setKernelThreads } from '@wmkit/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRateRnnConfig } from '../config';
import { createRateRNN } from '../rate-rnn';
import { type SpikingRecord, simulateSpiking, simulateSpikingReference, toSpiking } from '../spiking';
import { lifKernels } from './lif-kernel';

const threadsSupported = kernelThreadSupport().ok;

/** A digest of everything a simulation returns. */
function digest(rec: SpikingRecord): string {
  const h = createHash('sha256');
  const put = (a: ArrayBufferView) => h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  for (const x of [rec.outputs.mean.data, rec.outputs.max.data, rec.outputs.min.data, rec.meanRateHz]) put(x);
  if (rec.counts) put(rec.counts.data);
  if (rec.raster) for (const x of [rec.raster.trial, rec.raster.unit, rec.raster.timeMs]) put(x);
  h.update(String(rec.totalSpikes));
  return h.digest('hex');
}

afterAll(() => setKernelThreads(null));

describe('LIF kernel threads', () => {
  it.runIf(threadsSupported)(
    'split the trials across 1, 2 and 3 threads, in calls of any number of rate steps, with the same results, byte for byte, as the reference',
    () => {
      setKernelThreads(3); // before the module's first use: it is instantiated for up to 3 threads
      const k = lifKernels();
      expect(k.threads).toBe(3);
      // 11 trials: groups of four and a short group, cut differently by each thread count
      const m = createRateRNN(parseRateRnnConfig({ N: 24 }), new Rng(21));
      const batch = dmsTask().sample(11, new Rng(22));
      const T = 16;
      const inputs = { data: new Float32Array(11 * T * 2), shape: [11, T, 2] };
      for (let b = 0; b < 11; b++) inputs.data.set(batch.inputs.data.subarray(b * 300 * 2 + 45 * 2, b * 300 * 2 + (45 + T) * 2), b * T * 2);
      const net = toSpiking(m, { scale: 1 / 25 });
      const opts = { countBinMs: 10, rasterTrials: 6 };
      const byThreads = [1, 2, 3].map((n) => {
        setKernelThreads(n);
        expect(k.threads).toBe(n);
        return simulateSpiking(net, inputs, new Rng(23), opts);
      });
      // and rate steps per kernel call: 1, 3 (a short last call), all 16
      const byCall = [1, 3, 16].map((rateStepsPerCall) => simulateSpiking(net, inputs, new Rng(23), { ...opts, rateStepsPerCall }));
      const ref = simulateSpikingReference(net, inputs, new Rng(23), opts);
      expect(ref.totalSpikes).toBeGreaterThan(100);
      expect(ref.raster!.unit.length).toBeGreaterThan(50);
      for (const rec of [...byThreads, ...byCall]) expect(digest(rec)).toBe(digest(ref));
    },
  );

  it('a trial’s noise does not depend on the trials beside it', () => {
    // trial 0 alone and as the first of 5: the same spikes (its own generator, forked by index)
    const m = createRateRNN(parseRateRnnConfig({ N: 16 }), new Rng(31));
    const net = toSpiking(m, { scale: 1 / 30 });
    const T = 10;
    const five = simulateSpiking(net, { data: new Float32Array(5 * T * 2), shape: [5, T, 2] }, new Rng(32), { rasterTrials: 1 });
    const one = simulateSpiking(net, { data: new Float32Array(T * 2), shape: [1, T, 2] }, new Rng(32), { rasterTrials: 1 });
    // (trial 0's initial voltages are the batch's first N draws either way)
    expect(one.raster!.unit.length).toBeGreaterThan(0);
    expect(Array.from(five.raster!.unit)).toEqual(Array.from(one.raster!.unit));
    expect(Array.from(five.raster!.timeMs)).toEqual(Array.from(one.raster!.timeMs));
  });
});
