import { dmsTask, type Task, type TrialBatch } from '@wmkit/tasks';
import { initBackend, type NDArray, Rng, runSteps } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRateRnnConfig } from './config';
import { createRateRNN, effectiveWeights, type RateRNN, unitTauMs } from './rate-rnn';
import { searchScale } from './scale-search';
import {
  KIM_LIF_CONFIG,
  lifStepsPerRateStep,
  type SpikingRecord,
  simulateSpiking,
  simulateSpikingBatchSteps,
  simulateSpikingReference,
  toSpiking,
} from './spiking';

beforeAll(async () => {
  await initBackend('cpu', { env: {} });
});

/**
 * A direct transcription of spikeRNN's LIF_network_fnc.m loop for one trial, with the dense
 * product JD = W(:, spiking) summed over all columns (no event-driven shortcut), fed the same
 * random numbers. The event-driven simulator must give identical spikes.
 */
function denseReference(m: RateRNN, scale: number, u: Float32Array, T: number, v0: Float32Array, noise: (step: number) => Float32Array) {
  const N = m.config.N;
  const W = effectiveWeights(m).map((x) => x * scale);
  const td = unitTauMs(m).map((t) => t / 1000);
  const dt = 5e-5;
  const tr = 0.002;
  const v = v0.slice();
  const ipsc = new Float64Array(N);
  const h = new Float64Array(N);
  const tlastSteps = new Int32Array(N).fill(-1000000);
  const spikes: [number, number][] = [];
  for (let step = 0; step < T * 100; step++) {
    const c = Math.floor(step / 100);
    const z = noise(step);
    const fired: number[] = [];
    for (let i = 0; i < N; i++) {
      let ext = 0;
      for (let q = 0; q < m.config.nInputs; q++) ext += m.wIn[i * m.config.nInputs + q] * u[c * m.config.nInputs + q];
      const I = ipsc[i] + -40 + ext;
      const active = step - tlastSteps[i] > 40;
      let x = v[i];
      if (active) x += (dt / 0.01) * (-x + I);
      x += z[i];
      if (x >= -40) {
        fired.push(i);
        tlastSteps[i] = step;
        x = -65;
      }
      v[i] = x;
    }
    const JD = new Float64Array(N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) if (fired.includes(j)) JD[i] += W[i * N + j];
    for (let i = 0; i < N; i++) {
      ipsc[i] = ipsc[i] * Math.exp(-dt / td[i]) + h[i] * dt;
      h[i] = h[i] * Math.exp(-dt / tr) + JD[i] / (tr * td[i]);
    }
    for (const j of fired) spikes.push([step, j]);
  }
  return spikes;
}

describe('LIF conversion', () => {
  it('the JavaScript reference gives the same spikes as the dense transcription of LIF_network_fnc.m', () => {
    const m = createRateRNN(parseRateRnnConfig({ N: 16 }), new Rng(1));
    const T = 12;
    const u = new Float32Array(T * 2);
    u.fill(1, 2 * 2, 6 * 2); // some input on both channels
    const rng = new Rng(2);
    const net = toSpiking(m, { scale: 1 / 30 });
    const rec = simulateSpikingReference(net, { data: u, shape: [1, T, 2] }, rng, { rasterTrials: 1 });
    // replay the same random numbers (the one trial's own noise generator)
    const v0 = rng.fork('v0').uniform(16, -65, 30);
    const nr = rng.fork('noise').fork('trial0');
    const buf = new Float32Array(16);
    const ref = denseReference(m, 1 / 30, u, T, v0, () => nr.fillNormal(buf, 0, 0.1));
    const ours = Array.from(rec.raster!.unit, (j, q) => [Math.round(rec.raster!.timeMs[q] / 0.05) - 1, j]);
    expect(ref.length).toBeGreaterThan(20);
    expect(ours).toEqual(ref);
  });

  it('the wasm kernel (event-driven) equals the JavaScript reference and its own dense path, bit for bit', () => {
    const m = createRateRNN(parseRateRnnConfig({ N: 24 }), new Rng(11));
    const task = dmsTask();
    const batch = task.sample(3, new Rng(12));
    const inputs = { data: batch.inputs.data.slice(0, 3 * 40 * 2), shape: [3, 40, 2] };
    for (let b = 0; b < 3; b++) inputs.data.set(batch.inputs.data.subarray(b * 300 * 2 + 45 * 2, b * 300 * 2 + 85 * 2), b * 40 * 2);
    const net = toSpiking(m, { scale: 1 / 25 });
    const opts = { countBinMs: 20, rasterTrials: 3 };
    const ref = simulateSpikingReference(net, inputs, new Rng(13), opts);
    const fast = simulateSpiking(net, inputs, new Rng(13), opts);
    const dense = simulateSpiking(net, inputs, new Rng(13), { ...opts, dense: true });
    expect(ref.totalSpikes).toBeGreaterThan(100);
    for (const other of [fast, dense]) {
      expect(other.totalSpikes).toBe(ref.totalSpikes);
      expect(Array.from(other.raster!.unit)).toEqual(Array.from(ref.raster!.unit));
      expect(Array.from(other.raster!.timeMs)).toEqual(Array.from(ref.raster!.timeMs));
      expect(Array.from(other.counts!.data)).toEqual(Array.from(ref.counts!.data));
      expect(Array.from(other.outputs.mean.data)).toEqual(Array.from(ref.outputs.mean.data));
      expect(Array.from(other.outputs.max.data)).toEqual(Array.from(ref.outputs.max.data));
      expect(Array.from(other.outputs.min.data)).toEqual(Array.from(ref.outputs.min.data));
    }
  });

  it('kernel = reference bit for bit with N not a multiple of 4 (the scalar tails) and a group of one trial', () => {
    const m = createRateRNN(parseRateRnnConfig({ N: 13 }), new Rng(41));
    const inputs = { data: new Rng(42).uniform(5 * 6 * 2, 0, 1), shape: [5, 6, 2] };
    const net = toSpiking(m, { scale: 1 / 20 });
    const opts = { countBinMs: 10, rasterTrials: 5 };
    const ref = simulateSpikingReference(net, inputs, new Rng(43), opts);
    const fast = simulateSpiking(net, inputs, new Rng(43), opts);
    expect(ref.totalSpikes).toBeGreaterThan(50);
    expect(fast.totalSpikes).toBe(ref.totalSpikes);
    expect(Array.from(fast.raster!.unit)).toEqual(Array.from(ref.raster!.unit));
    expect(Array.from(fast.counts!.data)).toEqual(Array.from(ref.counts!.data));
    for (const k of ['mean', 'max', 'min'] as const) expect(Array.from(fast.outputs[k].data)).toEqual(Array.from(ref.outputs[k].data));
  });

  it('counts, raster and rates are consistent', () => {
    const m = createRateRNN(parseRateRnnConfig({ N: 20 }), new Rng(3));
    const net = toSpiking(m, { scale: 1 / 40 });
    const rec = simulateSpiking(net, { data: new Float32Array(3 * 10 * 2), shape: [3, 10, 2] }, new Rng(4), {
      countBinMs: 10,
      rasterTrials: 3,
    });
    expect(rec.counts?.shape).toEqual([3, 20, 5]);
    const total = rec.counts!.data.reduce((a, v) => a + v, 0);
    expect(total).toBe(rec.totalSpikes);
    expect(rec.raster!.unit.length).toBe(rec.totalSpikes);
    const meanRate = rec.meanRateHz.reduce((a, v) => a + v, 0) / 20;
    expect(meanRate).toBeCloseTo(total / (3 * 20 * 0.05), 4); // float32 rates
  });

  it('the LIF sub-step is derived from the two dts; a rate dt the LIF dt does not divide is refused, naming both', () => {
    expect(lifStepsPerRateStep(5, 0.05)).toBe(100); // Kim et al.: 100 LIF steps per 5-ms rate step
    expect(lifStepsPerRateStep(10, 0.05)).toBe(200);
    expect(lifStepsPerRateStep(5, 5)).toBe(1);
    expect(() => lifStepsPerRateStep(5, 0.03)).toThrow(
      "the LIF step (lif.dtMs = 0.03 ms) must divide the rate network's step (dtMs = 5 ms) a whole number of times, got 166.667",
    );
    expect(() => lifStepsPerRateStep(5, 10)).toThrow(/lif.dtMs = 10 ms.*dtMs = 5 ms.*got 0.5/);
    // a coarser LIF step: the run lasts as long, in half as many steps (the rates are per second of that time)
    const m = createRateRNN(parseRateRnnConfig({ N: 12 }), new Rng(8));
    const inputs = { data: new Float32Array(2 * 6 * 2), shape: [2, 6, 2] };
    const fine = simulateSpiking(toSpiking(m, { scale: 1 / 40 }), inputs, new Rng(9), { rasterTrials: 2 });
    const coarse = simulateSpiking(toSpiking(m, { scale: 1 / 40, lif: { dtMs: 0.1 } }), inputs, new Rng(9), { rasterTrials: 2 });
    expect(Math.max(...fine.raster!.timeMs)).toBeLessThanOrEqual(30);
    expect(Math.max(...coarse.raster!.timeMs)).toBeLessThanOrEqual(30);
    expect(Math.max(...coarse.raster!.timeMs)).toBeGreaterThan(15); // it ran through the 30 ms, not 15
    expect(() => simulateSpiking(toSpiking(m, { scale: 1 / 40, lif: { dtMs: 0.3 } }), inputs, new Rng(9))).toThrow(
      /lif.dtMs = 0.3 ms.*dtMs = 5 ms/,
    );
  });

  it('refuses inputs sampled at a task dt other than the network dt, naming both', () => {
    const m = createRateRNN(parseRateRnnConfig({ N: 8 }), new Rng(5));
    const net = toSpiking(m, { scale: 0.02 });
    const batch = dmsTask({ dtMs: 10 }).sample(1, new Rng(2));
    expect(() => simulateSpiking(net, batch.inputs, new Rng(1), { inputDtMs: batch.dtMs })).toThrow(
      "simulateSpiking: the task steps dt = 10 ms but the rate network was built for dt = 5 ms; sample the task with the network's dt (task dtMs = 5)",
    );
    const ok = dmsTask().sample(1, new Rng(2));
    expect(simulateSpiking(net, ok.inputs, new Rng(1), { inputDtMs: ok.dtMs }).totalSpikes).toBeGreaterThanOrEqual(0);
  });

  it('rejects a non-positive scale and a wrong input shape', () => {
    const m = createRateRNN(parseRateRnnConfig({ N: 8 }), new Rng(5));
    expect(() => toSpiking(m, { scale: 0 })).toThrow(/scale λ \(0\) must be a positive number/);
    expect(() => simulateSpiking(toSpiking(m, { scale: 0.02 }), { data: new Float32Array(9), shape: [1, 3, 3] }, new Rng(1))).toThrow(
      'simulateSpiking: inputs: expected shape [B, T, 2] but got [1, 3, 3]',
    );
  });

  it('λ search returns every grid value with an accuracy and picks the best', () => {
    const m = createRateRNN(parseRateRnnConfig({ N: 10 }), new Rng(6));
    const task = dmsTask();
    const s = searchScale(m, task, { rng: new Rng(7), inverseScales: [25, 50], trials: 4, stopEarly: false });
    expect(s.results.map((r) => r.inverseScale)).toEqual([25, 50]);
    for (const r of s.results) expect(r.accuracy).toBeGreaterThanOrEqual(0);
    expect(s.best.accuracy).toBe(Math.max(...s.results.map((r) => r.accuracy)));
    expect(KIM_LIF_CONFIG.dtMs).toBe(0.05);
  });

  it('λ search stops at the first value that scores every trial: the same best λ, accuracy and rate as the whole grid', () => {
    const m = createRateRNN(parseRateRnnConfig({ N: 10 }), new Rng(6));
    // DMS trials scored as all correct: every value reaches 100%, and the first must be kept
    const task: Task = Object.assign(Object.create(dmsTask()) as Task, {
      scoreEnvelope: undefined,
      score: (_out: NDArray, batch: TrialBatch) => ({ correct: new Uint8Array(batch.inputs.shape[0] as number).fill(1), accuracy: 1 }),
    });
    const opts = { rng: new Rng(7), inverseScales: [25, 50, 75], trials: 6 };
    const full = searchScale(m, task, { ...opts, stopEarly: false });
    const early = searchScale(m, task, opts);
    expect(full.results.map((r) => r.accuracy)).toEqual([1, 1, 1]);
    expect(early.results.map((r) => r.inverseScale)).toEqual([25]);
    expect([early.best.inverseScale, early.best.accuracy, early.best.meanRateHz]).toEqual([
      full.best.inverseScale,
      full.best.accuracy,
      full.best.meanRateHz,
    ]);
  });

  it('several networks and input batches in one kernel call give each simulation its own results, bit for bit', () => {
    const m = createRateRNN(parseRateRnnConfig({ N: 24 }), new Rng(31));
    const T = 12;
    const mk = (seed: number, B: number) => {
      const x = new Rng(seed).uniform(B * T * 2, 0, 1);
      return { data: x, shape: [B, T, 2] };
    };
    const a = mk(32, 5);
    const b = mk(33, 3);
    const n25 = toSpiking(m, { scale: 1 / 25 });
    const n50 = toSpiking(m, { scale: 1 / 50 });
    const jobs = [
      { net: n25, inputs: a, rng: new Rng(34) },
      { net: n50, inputs: a, rng: new Rng(34) },
      { net: n25, inputs: b, rng: new Rng(35) },
    ];
    const together = runSteps(simulateSpikingBatchSteps(jobs));
    jobs.forEach((j, i) => {
      const alone = simulateSpiking(j.net, j.inputs, j.rng);
      const t = together[i] as SpikingRecord;
      expect(t.outputs.max.data).toEqual(alone.outputs.max.data);
      expect(t.outputs.mean.data).toEqual(alone.outputs.mean.data);
      expect(t.meanRateHz).toEqual(alone.meanRateHz);
      expect(t.totalSpikes).toBe(alone.totalSpikes);
    });
    expect(together[0]?.totalSpikes).not.toBe(together[1]?.totalSpikes);
    // and the reference's outputs (non-zero), for the second network
    const ref = simulateSpikingReference(n50, a, new Rng(34));
    expect(ref.outputs.mean.data.some((y) => y !== 0)).toBe(true);
    expect(Array.from(together[1]?.outputs.mean.data ?? [])).toEqual(Array.from(ref.outputs.mean.data));
  });
});
