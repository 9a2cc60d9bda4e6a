import { dmsTask } from '@wmkit/tasks';
import { initBackend, Rng } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRateRnnConfig } from './config';
import { spontaneousCounts } from './experiments';
import { createRateRNN } from './rate-rnn';
import { searchScale } from './scale-search';
import { type SpikingRecord, simulateSpiking, toSpiking } from './spiking';
import { maxRel } from './test-fixtures';

// The converted LIF network on two engines: the wasm kernel and TensorFlow.js ops (tfjs cpu and
// wasm backends). Same seed and inputs → the same initial voltages and noise draws, so short runs
// give the same spikes (both in float32; tfjs sums its dense products in another order: outputs
// agree to float tolerance); independent seeds give the same statistics.
beforeAll(async () => {
  await initBackend('cpu', { env: {} });
});

/** 40 rate steps (200 ms) of DMS input around the first stimulus, 3 trials. */
function dmsSlice(B = 3) {
  const batch = dmsTask().sample(B, new Rng(12));
  const inputs = { data: new Float32Array(B * 40 * 2), shape: [B, 40, 2] };
  for (let b = 0; b < B; b++) inputs.data.set(batch.inputs.data.subarray(b * 300 * 2 + 45 * 2, b * 300 * 2 + 85 * 2), b * 40 * 2);
  return inputs;
}

/** Spike times (LIF steps) of every (trial, unit) in a raster. */
function trains(rec: SpikingRecord, dtMs: number): Map<string, number[]> {
  const r = rec.raster as NonNullable<SpikingRecord['raster']>;
  const m = new Map<string, number[]>();
  for (let q = 0; q < r.unit.length; q++) {
    const key = `${r.trial[q]}/${r.unit[q]}`;
    const list = m.get(key) ?? [];
    list.push(Math.round((r.timeMs[q] as number) / dtMs) - 1);
    m.set(key, list);
  }
  return m;
}

/**
 * The same spikes up to float rounding: every neuron of every trial fires the same number of
 * times, each spike at the same LIF step or one step away (a voltage within float32 rounding of
 * the threshold crosses one step earlier or later), and at least `exactShare` of them exactly.
 */
function expectSameSpikes(a: SpikingRecord, b: SpikingRecord, dtMs: number, exactShare: number): number {
  expect(b.totalSpikes).toBe(a.totalSpikes);
  expect(Array.from(b.meanRateHz)).toEqual(Array.from(a.meanRateHz));
  const ta = trains(a, dtMs);
  const tb = trains(b, dtMs);
  expect([...tb.keys()].sort()).toEqual([...ta.keys()].sort());
  let exact = 0;
  for (const [key, sa] of ta) {
    const sb = tb.get(key) as number[];
    expect(sb.length, key).toBe(sa.length);
    sa.forEach((t, i) => {
      expect(Math.abs((sb[i] as number) - t), `${key} spike ${i}`).toBeLessThanOrEqual(1);
      if (sb[i] === t) exact++;
    });
  }
  expect(exact / a.totalSpikes).toBeGreaterThanOrEqual(exactShare);
  return exact;
}

// The same-seed comparisons on both tfjs backends that ship with @wmkit/tensor: cpu (plain
// JavaScript) and wasm (XNNPACK); on wasm the noise-free case only (CI time).
for (const backend of ['cpu', 'wasm'] as const) {
  describe(`LIF network: kernels vs tfjs engine on the tfjs ${backend} backend`, () => {
    beforeAll(async () => {
      expect((await initBackend(backend, { env: {} })).name).toBe(backend);
    });
    for (const noiseMv of backend === 'cpu' ? [0, 0.1] : [0]) {
      it(`same spikes and outputs for the same seed and input — ${noiseMv ? 'with the same noise draws' : 'no noise'}`, () => {
        const m = createRateRNN(parseRateRnnConfig({ N: 24 }), new Rng(11));
        const net = toSpiking(m, { scale: 1 / 25, lif: { noiseMv } });
        const inputs = dmsSlice();
        const opts = { countBinMs: 20, rasterTrials: 3 };
        const a = simulateSpiking(net, inputs, new Rng(13), opts);
        const b = simulateSpiking(net, inputs, new Rng(13), { ...opts, engine: 'tfjs' });
        expect(a.totalSpikes).toBeGreaterThan(100);
        const exact = expectSameSpikes(a, b, net.lif.dtMs, 0.95);
        // float rounding alone: 1e-5 of the output's range; a spike one step off moves the
        // filtered output by a fraction of one spike's contribution (≲ 1e-3 of the range here)
        const tol = exact === a.totalSpikes ? 1e-5 : 2e-3;
        for (const k of ['mean', 'max', 'min'] as const) {
          expect(b.outputs[k].shape).toEqual(a.outputs[k].shape);
          expect(maxRel(b.outputs[k].data, a.outputs[k].data), k).toBeLessThan(tol);
        }
      }, 60_000);
    }
  });
}

describe('LIF network: kernels vs tfjs engine, statistics', () => {
  beforeAll(async () => {
    await initBackend('cpu', { env: {} });
  });

  it('with noise and independent seeds: the same mean rate and output within sampling error', () => {
    const m = createRateRNN(parseRateRnnConfig({ N: 20 }), new Rng(21));
    const net = toSpiking(m, { scale: 1 / 30 });
    const B = 24;
    const inputs = { data: new Float32Array(B * 20 * 2).fill(0.5), shape: [B, 20, 2] };
    // per-trial spike counts and final-step outputs on each engine, different seeds
    const perTrial = (rec: SpikingRecord) => {
      const c = rec.counts?.data as Float32Array;
      const nBins = rec.counts?.shape[2] as number;
      const out = new Float64Array(B);
      for (let b = 0; b < B; b++) for (let q = 0; q < 20 * nBins; q++) out[b] = (out[b] as number) + (c[b * 20 * nBins + q] as number);
      return out;
    };
    const a = perTrial(simulateSpiking(net, inputs, new Rng(1), { countBinMs: 100 }));
    const b = perTrial(simulateSpiking(net, inputs, new Rng(2), { countBinMs: 100, engine: 'tfjs' }));
    const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
    const variance = (x: Float64Array) => x.reduce((s, v) => s + (v - mean(x)) ** 2, 0) / (x.length - 1);
    const se = Math.sqrt((variance(a) + variance(b)) / B);
    expect(mean(a)).toBeGreaterThan(50);
    // |Δ| < 4 standard errors of the difference (two independent samples of B trials)
    expect(Math.abs(mean(a) - mean(b))).toBeLessThan(4 * se + 1e-9);
  }, 60_000);

  it('the λ search and the spontaneous counts run on either engine alike (same trials, same seed)', () => {
    const m = createRateRNN(parseRateRnnConfig({ N: 12 }), new Rng(6));
    // a shortened DMS trial (110 ms) keeps the tfjs engine's run short
    const task = dmsTask({ fixationMs: 20, stimulusMs: 20, delayMs: 10, waitMs: 10, responseMs: 30, postMs: 0, scoreFromMs: null });
    const search = (engine: 'kernels' | 'tfjs') => searchScale(m, task, { rng: new Rng(3), inverseScales: [25, 40], trials: 3, engine });
    const a = search('kernels');
    const b = search('tfjs');
    expect(b.results.map((r) => r.accuracy)).toEqual(a.results.map((r) => r.accuracy));
    b.results.forEach((r, i) => {
      expect(r.meanRateHz).toBeCloseTo(a.results[i]?.meanRateHz as number, 3);
    });
    const net = toSpiking(m, { scale: 1 / 30 });
    const o = { trials: 2, durationMs: 100, binMs: 50 };
    const ca = spontaneousCounts(net, new Rng(4), o);
    const cb = spontaneousCounts(net, new Rng(4), { ...o, engine: 'tfjs' });
    expect(cb.counts.shape).toEqual(ca.counts.shape);
    const sum = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v, 0);
    expect(sum(ca.counts.data)).toBeGreaterThan(0);
    expect(sum(cb.counts.data)).toBe(sum(ca.counts.data));
  }, 60_000);
});
