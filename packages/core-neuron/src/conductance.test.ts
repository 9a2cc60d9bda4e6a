import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { type ConductanceLifParams, conductanceLifStep, createConductanceLifState } from './conductance-lif';
import { addSpikes, exponentialGatingStep, mgBlock, nmdaGatingStep } from './nmda';
import { createPoissonInput, poissonInputStep } from './poisson-input';

// Compte et al. 2000 pyramidal cell
const E: ConductanceLifParams = {
  cmNf: 0.5,
  gLeakNs: 25,
  eLeakMv: -70,
  vThresholdMv: -50,
  vResetMv: -60,
  refractoryMs: 2,
  gAmpaNs: 3.1,
  tauAmpaMs: 2,
  eAmpaMv: 0,
  eNmdaMv: 0,
  eGabaMv: -70,
  mgMm: 1,
};
const zeros = new Float64Array(1);

describe('Mg²⁺ block', () => {
  it('matches Jahr & Stevens at known potentials', () => {
    expect(mgBlock(0)).toBeCloseTo(1 / (1 + 1 / 3.57), 12);
    expect(mgBlock(-70)).toBeCloseTo(0.04447, 4);
    expect(mgBlock(-50, 2)).toBeCloseTo(1 / (1 + (2 * Math.exp(3.1)) / 3.57), 12);
    expect(mgBlock(-40)).toBeLessThan(mgBlock(-20)); // relieved by depolarisation
  });
});

describe('conductance-based LIF', () => {
  it('relaxes to E_L + I/g_L with τ = C_m/g_L (RK2, error O(Δt²))', () => {
    const s = createConductanceLifState(1, [-70]);
    const spiked = new Int32Array(1);
    const iExt = [250]; // pA → V∞ = −60 mV
    for (let k = 0; k < 400; k++) conductanceLifStep(s, { gNmda: zeros, gGaba: zeros, iExt }, E, 0.05, spiked); // 20 ms = τ
    expect(s.v[0]).toBeCloseTo(-60 - 10 * Math.exp(-1), 5);
  });

  it('fires with the analytic interspike interval under constant current', () => {
    const s = createConductanceLifState(1, [-60]);
    const spiked = new Int32Array(1);
    const iExt = [750]; // V∞ = −40 mV
    const times: number[] = [];
    for (let k = 0; k < 40000; k++) if (conductanceLifStep(s, { gNmda: zeros, gGaba: zeros, iExt }, E, 0.05, spiked)) times.push(k * 0.05);
    const isi = (times[times.length - 1] - times[0]) / (times.length - 1);
    const want = 2 + 20 * Math.log((-40 + 60) / (-40 + 50)); // τ_ref + τ ln((V∞ − V_r)/(V∞ − V_th))
    expect(Math.abs(isi - want)).toBeLessThan(0.05 + 1e-9); // within one step
  });

  it('holds V for τ_ref after a spike while s_AMPA keeps decaying', () => {
    const s = createConductanceLifState(1, [-49.99]);
    s.sAmpa[0] = 1;
    const spiked = new Int32Array(1);
    const inp = { gNmda: zeros, gGaba: zeros, iExt: [2000] };
    expect(conductanceLifStep(s, inp, E, 0.05, spiked)).toBe(1);
    expect(s.v[0]).toBe(-60);
    for (let k = 0; k < 39; k++) conductanceLifStep(s, inp, E, 0.05, spiked);
    expect(s.v[0]).toBe(-60);
    expect(s.sAmpa[0]).toBeCloseTo(Math.exp(-2 / 2), 4);
    conductanceLifStep(s, inp, E, 0.05, spiked);
    expect(s.v[0]).toBeGreaterThan(-60);
  });

  it('NMDA and GABA conductances pull V towards their reversal potentials', () => {
    const s = createConductanceLifState(2, [-55, -55]);
    const spiked = new Int32Array(2);
    conductanceLifStep(s, { gNmda: [10, 0], gGaba: [0, 10], iExt: null }, E, 0.05, spiked);
    const leakOnly = -55 + (0.05 * (-25 * 15 * 1e-3)) / 0.5;
    expect(s.v[0]).toBeGreaterThan(leakOnly);
    expect(s.v[1]).toBeLessThan(leakOnly);
  });
});

describe('NMDA gating', () => {
  it('saturates at αxτ/(1 + αxτ) under constant x', () => {
    const x = new Float64Array([0.2]);
    const s = new Float64Array(1);
    const p = { tauXMs: 1e12, tauNmdaMs: 100, alphaPerMs: 0.5 };
    for (let k = 0; k < 20000; k++) nmdaGatingStep(x, s, p, 0.05);
    expect(s[0]).toBeCloseTo(10 / 11, 6);
  });

  it('follows the linear double exponential after one spike when α is small', () => {
    const p = { tauXMs: 2, tauNmdaMs: 100, alphaPerMs: 1e-6 };
    const x = new Float64Array(1);
    const s = new Float64Array(1);
    addSpikes(x, Int32Array.of(0), 1);
    for (let k = 0; k < 1000; k++) nmdaGatingStep(x, s, p, 0.05);
    const t = 50;
    const want = ((p.alphaPerMs * p.tauXMs * p.tauNmdaMs) / (p.tauNmdaMs - p.tauXMs)) * (Math.exp(-t / 100) - Math.exp(-t / 2));
    expect(x[0]).toBeCloseTo(Math.exp(-t / 2), 8);
    expect(Math.abs(s[0] / want - 1)).toBeLessThan(1e-4);
  });

  it('exponential gating decays as e^{−t/τ}', () => {
    const g = new Float64Array([1]);
    for (let k = 0; k < 200; k++) exponentialGatingStep(g, 10, 0.05);
    // RK2 local error h³/6 per step (h = Δt/τ = 0.005): 200 steps → e^{−1}·200·h³/6 ≈ 1.5e-6
    expect(Math.abs(g[0] - Math.exp(-1))).toBeLessThan(1.6e-6);
  });
});

describe('Poisson background input', () => {
  it('gives Binomial(n, νΔt) counts per neuron and step (mean and variance within sampling error)', () => {
    const N = 200;
    const steps = 2000;
    const bg = createPoissonInput(N, 1000, 1.8, 0.05); // p = 9e-5, n·p = 0.09
    const rng = new Rng(3);
    const counts = new Float64Array(N);
    let sum = 0;
    let sum2 = 0;
    const perNeuron = new Float64Array(N);
    for (let k = 0; k < steps; k++) {
      counts.fill(0);
      poissonInputStep(bg, counts, rng);
      for (let i = 0; i < N; i++) {
        sum += counts[i];
        sum2 += counts[i] * counts[i];
        perNeuron[i] += counts[i];
      }
    }
    const n = N * steps;
    const mean = sum / n;
    const variance = sum2 / n - mean * mean;
    const np = 1000 * 9e-5;
    expect(Math.abs(mean - np)).toBeLessThan(4 * Math.sqrt(np / n));
    expect(Math.abs(variance - np * (1 - 9e-5))).toBeLessThan(4 * Math.sqrt((2 * np * np + np) / n));
    // every neuron gets its share: per-neuron totals ~ Poisson(steps·n·p) = 180
    const lo = Math.min(...perNeuron);
    const hi = Math.max(...perNeuron);
    expect(lo).toBeGreaterThan(180 - 5 * Math.sqrt(180));
    expect(hi).toBeLessThan(180 + 5 * Math.sqrt(180));
  });

  it('is reproducible from the seed and rejects a rate too high for dt', () => {
    const a = new Float64Array(10);
    const b = new Float64Array(10);
    poissonInputStep(createPoissonInput(10, 1000, 50, 0.05), a, new Rng(1));
    poissonInputStep(createPoissonInput(10, 1000, 50, 0.05), b, new Rng(1));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(() => createPoissonInput(10, 1000, 3e4, 0.05)).toThrow(/must be < 1/);
  });
});
