import { angleDifference, bumpDiffusion } from '@wmkit/analysis';
import { initBackend, Rng } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { ringModel } from './params';
import { ringProtocol } from './protocol';
import { simulateRing } from './ring';
import { simulateRingDense } from './ring-dense';
import { denseConnectivity, fourierConnectivity, neuronAngles, populationOf } from './ring-structure';
import { planSurrogate, surrogateDataset } from './surrogate';

beforeAll(async () => {
  await initBackend('wasm', { env: {} });
});

const errorsDeg = (sim: { response: Float32Array; cueAngle: Float32Array }) =>
  Array.from(sim.response, (r, b) => (angleDifference(r, sim.cueAngle[b]) * 180) / Math.PI);

describe('ring structure', () => {
  it('the Fourier form reproduces the circulant matrix', () => {
    const p = ringModel('bump', { NE: 128, NI: 128 });
    const W = denseConnectivity(p);
    const f = fourierConnectivity(p);
    const N = 128;
    let maxErr = 0;
    for (let i = 0; i < N; i++)
      for (let j = 0; j < N; j++) {
        let w = 0;
        for (let q = 0; q < f.nBasis; q++) w += f.basis[q * N + i] * f.basisW[q * N + j];
        maxErr = Math.max(maxErr, Math.abs(w - W[i * N + j]));
      }
    expect(maxErr).toBeLessThan(1e-8);
    expect(f.modes).toBeLessThan(16); // κ = 1.5: a dozen modes carry everything
  });

  it('discrete populations are centred on the cues', () => {
    const p = ringModel('discrete');
    const pop = populationOf(p);
    const th = neuronAngles(p);
    for (let c = 0; c < 8; c++) {
      const members = Array.from(th).filter((_, j) => pop[j] === c);
      expect(members.length).toBe(64);
      const m = Math.atan2(
        members.reduce((a, t) => a + Math.sin(t), 0),
        members.reduce((a, t) => a + Math.cos(t), 0),
      );
      expect(Math.abs(angleDifference(m, (2 * Math.PI * c) / 8))).toBeLessThan(1e-9);
    }
  });

  it("the protocol uses the scripts' step indices", () => {
    const pr = ringProtocol(ringModel('bump'), 2000);
    expect(pr).toMatchObject({ steps: 2100, stimOn: 500, stimOff: 750, delayEnd: 1750, delayWin: 50, eraseOn: 1750, eraseOff: 2000 });
    expect(() => ringProtocol(ringModel('bump'), -5)).toThrow(/delay \(-5 ms\) must be a finite number ≥ 0/);
    expect(() => ringModel('bumpy')).toThrow("unknown ring model 'bumpy'; use one of bump, discrete, decaying");
  });
});

describe('the fast path equals the direct dense form', () => {
  for (const name of ['bump', 'discrete', 'decaying'] as const) {
    it(`${name}: identical trajectories without noise`, () => {
      const p = ringModel(name, { sigmaESqrtMs: 0, sigmaISqrtMs: 0, NE: 64, NI: 64 });
      const fast = simulateRing(p, { trials: 2, delayMs: 400, cues: [0, 3] }, new Rng(1));
      const dense = simulateRingDense(p, [0, (3 * Math.PI) / 4], 400, new Rng(1));
      const scale = Math.max(...dense.delayRates);
      for (let i = 0; i < dense.delayRates.length; i++)
        expect(Math.abs(fast.delayRates.data[i] - dense.delayRates[i])).toBeLessThan(1e-4 * Math.max(1, scale));
      for (let b = 0; b < 2; b++) expect(Math.abs(angleDifference(fast.response[b], dense.response[b]))).toBeLessThan(1e-4);
    });
  }

  it("decaying: the kernel takes the gate's slope and threshold from the parameters", () => {
    const gate = ringModel('decaying', {
      sigmaESqrtMs: 0,
      sigmaISqrtMs: 0,
      NE: 64,
      NI: 64,
      intrinsic: { gateSlope: 1, gateThreshold: 3 },
    } as never);
    const fast = simulateRing(gate, { trials: 1, delayMs: 400, cues: [2] }, new Rng(1));
    const dense = simulateRingDense(gate, [Math.PI / 2], 400, new Rng(1));
    const scale = Math.max(...dense.delayRates);
    for (let i = 0; i < dense.delayRates.length; i++)
      expect(Math.abs(fast.delayRates.data[i] - dense.delayRates[i])).toBeLessThan(1e-4 * Math.max(1, scale));
    // and the gate matters: the default gate gives other delay rates
    const dflt = simulateRingDense(
      ringModel('decaying', { sigmaESqrtMs: 0, sigmaISqrtMs: 0, NE: 64, NI: 64 }),
      [Math.PI / 2],
      400,
      new Rng(1),
    );
    expect(Math.max(...dense.delayRates.map((x, i) => Math.abs(x - dflt.delayRates[i])))).toBeGreaterThan(1e-2 * scale);
  });

  it('bump: the same distribution of responses with noise (mean-field inhibition changes the draws, not the law)', () => {
    // Reduced network (NE = NI = 64) so the dense form is affordable; 240 trials each.
    const p = ringModel('bump', { NE: 64, NI: 64 });
    const n = 240;
    const cues = Array.from({ length: n }, (_, b) => b % 8);
    const fast = simulateRing(p, { trials: n, delayMs: 600, cues }, new Rng(2));
    const dense = simulateRingDense(
      p,
      Float64Array.from(cues, (c) => (2 * Math.PI * c) / 8),
      600,
      new Rng(3),
    );
    const ef = errorsDeg(fast)
      .map(Math.abs)
      .sort((a, b) => a - b);
    const ed = Array.from(dense.response, (r, b) => Math.abs((angleDifference(r, (2 * Math.PI * cues[b]) / 8) * 180) / Math.PI)).sort(
      (a, b) => a - b,
    );
    // two-sample Kolmogorov–Smirnov on |error|: critical D at α = 0.001 is 1.95·√(2/n)
    let D = 0;
    for (const x of [...ef, ...ed]) {
      const Ff = ef.filter((v) => v <= x).length / n;
      const Fd = ed.filter((v) => v <= x).length / n;
      D = Math.max(D, Math.abs(Ff - Fd));
    }
    expect(D).toBeLessThan(1.95 * Math.sqrt(2 / n));
  });
});

describe('each model behaves like its reference script (N = 512, 160 trials)', () => {
  it('bump: persists through the delay and diffuses (variance grows linearly)', () => {
    const sim = simulateRing(ringModel('bump'), { trials: 160, delayMs: 2000 }, new Rng(4));
    const peakRate = (b: number) => Math.max(...sim.delayRates.data.subarray(b * 512, (b + 1) * 512));
    for (let b = 0; b < 160; b += 20) expect(peakRate(b)).toBeGreaterThan(3); // a bump at the delay end
    const d = bumpDiffusion(sim.angles, sim.recordTimesMs, { startMs: 1600, endMs: 3500 });
    expect(d.slope).toBeGreaterThan(0);
    expect(d.r2).toBeGreaterThan(0.9);
    expect(Math.max(...errorsDeg(sim).map(Math.abs))).toBeLessThan(30); // no jumps
  });

  it('discrete: activity is pinned to an attractor or jumps away — not diffusion', () => {
    const sim = simulateRing(ringModel('discrete'), { trials: 320, delayMs: 2000 }, new Rng(5));
    const e = errorsDeg(sim);
    const pinned = e.filter((x) => Math.abs(x) < 22.5);
    const sd = Math.sqrt(pinned.reduce((a, x) => a + x * x, 0) / pinned.length);
    expect(sd).toBeLessThan(8); // trials that stay are held at the population centre
    expect(e.length - pinned.length).toBeGreaterThanOrEqual(3); // and some jump
    const d = bumpDiffusion(sim.angles, sim.recordTimesMs, { startMs: 1600, endMs: 3500 });
    expect(d.r2).toBeLessThan(0.8); // variance grows in steps, not linearly
  });

  it('decaying bump: activity fades through the delay', () => {
    const sim = simulateRing(
      ringModel('decaying'),
      { trials: 40, delayMs: 2000, recordUnits: { units: new Int32Array(40).fill(0), perTrial: 1 } },
      new Rng(6),
    );
    const nRec = sim.angles.shape[1];
    const t = (ms: number) => sim.recordTimesMs.findIndex((x) => x >= ms);
    // mean rate of the unit at the cue (trials with cue 0) early vs late in the delay
    let early = 0;
    let late = 0;
    let n = 0;
    for (let b = 0; b < 40; b += 8) {
      early += sim.unitRates!.data[b * nRec + t(1700)];
      late += sim.unitRates!.data[b * nRec + t(3400)];
      n++;
    }
    expect(late / n).toBeLessThan(0.6 * (early / n));
  });
});

describe('surrogate recordings', () => {
  it('plans 204 neurons in 102 simultaneously recorded pairs and draws Poisson counts', () => {
    expect(planSurrogate(102 * 16, {}, 512, new Rng(7))).toMatchObject({ sessions: 102, trialsPerSession: 16 });
    // the counts are checked on 20 of the neurons (10 pairs × 16 trials): the same code path at a
    // tenth of the simulation (the full plan's 1,632 trials took 40 s of CI time)
    const trials = 10 * 16;
    const plan = planSurrogate(trials, { neurons: 20 }, 512, new Rng(7));
    expect(plan).toMatchObject({ sessions: 10, trialsPerSession: 16 });
    const sim = simulateRing(ringModel('bump'), { trials, delayMs: 200, recordUnits: plan.recordUnits }, new Rng(8));
    const data = surrogateDataset(sim, plan, new Rng(9));
    expect(data.sessions.length).toBe(10);
    expect(data.sessions[0].counts.shape).toEqual([16, 2, sim.angles.shape[1]]);
    const total = data.sessions.reduce((a, s) => a + Array.from(s.counts.data).reduce((x, y) => x + y, 0), 0);
    expect(total).toBeGreaterThan(0);
    expect(() => planSurrogate(100, {}, 512, new Rng(1))).toThrow(/trials per session/);
    // the rate scale is calibrated so the recorded units fire 9 Hz on average over the delay
    expect(data.meanDelayRateHz).toBeCloseTo(9, 9);
    const delay = sim.periods.find((p) => p.name === 'delay')!;
    const binMs = sim.recordTimesMs[0];
    const bins = Array.from(sim.recordTimesMs.keys()).filter(
      (b) => sim.recordTimesMs[b] - binMs >= delay.startMs - 1e-9 && sim.recordTimesMs[b] <= delay.endMs + 1e-9,
    );
    expect(bins.length).toBe(4);
    let count = 0;
    let n = 0;
    let rSum = 0;
    for (const s of data.sessions) {
      const [Tn, U, nRec] = s.counts.shape;
      for (let i = 0; i < Tn * U; i++) for (const b of bins) count += s.counts.data[i * nRec + b];
      n += Tn * U * bins.length;
    }
    for (let t = 0; t < trials; t++)
      for (let u = 0; u < 2; u++) for (const b of bins) rSum += sim.unitRates!.data[(t * 2 + u) * sim.angles.shape[1] + b];
    expect(data.rateScaleHz).toBeCloseTo(9 / (rSum / n), 6);
    // Poisson counts: mean 9 Hz × 50 ms = 0.45 per bin; s.e. of the mean over n bins = √(0.45 / n)
    const expected = (9 * binMs) / 1000;
    expect(Math.abs(count / n - expected)).toBeLessThan(5 * Math.sqrt(expected / n));
    // without calibration the scale is used as given
    const raw = surrogateDataset(sim, { ...plan, config: { ...plan.config, meanRateHz: null, rateScaleHz: 2 } }, new Rng(9));
    expect(raw.rateScaleHz).toBe(2);
    expect(raw.meanDelayRateHz).toBeCloseTo((2 * rSum) / n, 6);
  });
});
