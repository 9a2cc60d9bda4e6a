import { initBackend, Rng } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { compteConfig } from './config';
import { simulateCompte } from './simulate';
import { compteSimulator, simulateCompteTfjs } from './tfjs';

// The spiking ring on two engines: typed arrays in JavaScript (float64) and TensorFlow.js ops
// (float32; the same-spikes test on the tfjs cpu and wasm backends — the wasm backend has every op
// the engine uses — the statistics test on cpu). Both draw the same initial potentials and Poisson
// input from the same per-trial streams.
beforeAll(async () => {
  await initBackend('cpu', { env: {} });
});

describe('compte2000: kernels vs tfjs engine', () => {
  it('refuses an unknown engine', () => {
    expect(() => compteSimulator('gpu' as never)).toThrow(/engine must be kernels or tfjs, got 'gpu'/);
  });

  for (const backend of ['cpu', 'wasm'] as const)
    it(`without background noise: the same spikes (tfjs ${backend})`, async () => {
      expect((await initBackend(backend, { env: {} })).name).toBe(backend);
      // a strong cue on a silent network (no external input): the cued cells fire, recurrent NMDA and the I cells follow
      // (130 ms, 2,600 steps: short, as it runs once per backend)
      const c = compteConfig('ndx3', {
        NE: 64,
        NI: 16,
        external: { rateHz: 0 },
        protocol: { preCueMs: 10, cueMs: 100, delayMs: 20, cue: { ampNa: 0.8 } },
      });
      const a = simulateCompte(c, { trials: 2, rasterTrials: 2 }, new Rng(3));
      const b = simulateCompteTfjs(c, { trials: 2, rasterTrials: 2 }, new Rng(3));
      for (let k = 0; k < 2; k++) {
        expect(a.rasters[k].cells.length).toBeGreaterThan(20);
        expect(Array.from(a.rasters[k].cells).some((cell) => cell >= 64)).toBe(true); // an I cell fired
        expect(Array.from(b.rasters[k].cells)).toEqual(Array.from(a.rasters[k].cells));
        expect(Array.from(b.rasters[k].timesMs)).toEqual(Array.from(a.rasters[k].timesMs));
      }
      expect(Array.from(b.countsE.data)).toEqual(Array.from(a.countsE.data));
    }, 300_000);

  it('with the background: the same input draws, the same rates within sampling error (tfjs cpu)', async () => {
    expect((await initBackend('cpu', { env: {} })).name).toBe('cpu');
    const c = compteConfig('ndx3', { NE: 64, NI: 16, protocol: { preCueMs: 200, cueMs: 150, delayMs: 250, cue: { ampNa: 0.4 } } });
    const o = { trials: 4, rasterTrials: 4 };
    const a = simulateCompte(c, o, new Rng(9));
    const b = compteSimulator('tfjs')(c, o, new Rng(9));
    const total = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v, 0);
    for (const [ca, cb] of [
      [a.countsE.data, b.countsE.data],
      [a.countsI.data, b.countsI.data],
    ]) {
      const [na, nb] = [total(ca), total(cb)];
      expect(na).toBeGreaterThan(50);
      // two Poisson-like counts: |difference| within 3 SD of it (the shared input makes them closer still)
      expect(Math.abs(na - nb)).toBeLessThan(3 * Math.sqrt(na + nb));
    }
    // the trajectories start identical (same inputs; float32 vs float64 only moves a spike that
    // crosses threshold by less than the rounding): the first 10 spikes of every trial agree
    for (let k = 0; k < 4; k++) {
      const n = Math.min(10, a.rasters[k].cells.length);
      expect(n).toBe(10);
      expect(Array.from(b.rasters[k].timesMs.slice(0, n))).toEqual(Array.from(a.rasters[k].timesMs.slice(0, n)));
      expect(Array.from(b.rasters[k].cells.slice(0, n))).toEqual(Array.from(a.rasters[k].cells.slice(0, n)));
    }
  }, 300_000);
});
