import { initBackend, Rng, tf } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLifState, lifStep, lifStepTensor } from './lif';
import { gaussianNoise, ouStep } from './noise';
import { createDoubleExponential, doubleExponentialFactors, doubleExponentialStep, doubleExponentialStepTensor } from './synapse';

beforeAll(async () => {
  await initBackend('cpu', { env: {} });
});

const P = { dt: 0.01, tauMem: 10, threshold: -40, reset: -65, refractory: 2 };

describe('LIF neuron', () => {
  it('fires regularly under constant drive with the analytic interspike interval', () => {
    // ISI = t_ref + τ ln((I − V_reset)/(I − θ))
    const I = -30;
    const s = createLifState(1, [-65]);
    const spiked = new Int32Array(1);
    const times: number[] = [];
    for (let step = 0; step < 20000; step++) if (lifStep(s, [I], P, null, spiked)) times.push(step * P.dt);
    const isi = (times[times.length - 1] - times[1]) / (times.length - 2);
    const want = P.refractory + P.tauMem * Math.log((I - P.reset) / (I - P.threshold));
    expect(Math.abs(isi - want) / want).toBeLessThan(0.005); // Euler error at dt/τ = 1e-3
  });

  it('does not integrate during the refractory period, and stays silent below threshold', () => {
    const s = createLifState(2, [-41, -60]);
    const spiked = new Int32Array(2);
    expect(lifStep(s, [100, -45], P, null, spiked)).toBe(0);
    expect(s.v[0]).toBeCloseTo(-41 + 0.001 * 141, 4); // v + (dt/τ)(I − v)
    s.v[0] = -40;
    expect(lifStep(s, [100, -45], P, null, spiked)).toBe(1);
    expect(spiked[0]).toBe(0);
    expect(s.v[0]).toBe(-65);
    for (let k = 0; k < 200; k++) lifStep(s, [100, -45], P, null, spiked); // 2 ms refractory
    expect(s.v[0]).toBe(-65);
    lifStep(s, [100, -45], P, null, spiked);
    expect(s.v[0]).toBeGreaterThan(-65);
    expect(s.v[1]).toBeLessThan(-40);
  });

  it('the tfjs step gives the same spikes, voltages and refractory counts as the typed-array step', () => {
    const n = 400;
    const rng = new Rng(3);
    const s = createLifState(n, rng.uniform(n, -66, -39));
    const spiked = new Int32Array(n);
    const noise = new Float32Array(n);
    let total = 0;
    for (let step = 0; step < 100; step++) {
      // one step from the same state (float32 ops vs a double update stored in float32)
      const before = { v: tf.tensor1d(Float32Array.from(s.v)), refractoryLeft: tf.tensor1d(Float32Array.from(s.refractoryLeft)) };
      const current = rng.uniform(n, -50, -20);
      gaussianNoise(noise, 0.5, rng);
      const count = lifStep(s, current, P, noise, spiked);
      const next = lifStepTensor(before, tf.tensor1d(current), P, tf.tensor1d(noise.slice()));
      const spikes = next.spikes.dataSync();
      expect(Array.from(spikes).reduce((a, b) => a + Number(b), 0)).toBe(count);
      for (let k = 0; k < count; k++) expect(spikes[spiked[k] as number]).toBe(1);
      const v = next.v.dataSync();
      for (let i = 0; i < n; i++) expect(v[i]).toBeCloseTo(s.v[i] as number, 4);
      expect(Array.from(next.refractoryLeft.dataSync())).toEqual(Array.from(s.refractoryLeft));
      total += count;
    }
    expect(total).toBeGreaterThan(50); // spikes and refractory neurons were compared
  });
});

describe('double-exponential synapse', () => {
  it('one spike of weight w: current area w (exactly the discrete-time sum), peak at τrτd/(τd−τr)·ln(τd/τr)', () => {
    const tr = 0.002;
    const td = 0.05;
    const dt = 5e-6;
    const syn = createDoubleExponential(1, { dt, tauRise: tr, tauDecay: td });
    doubleExponentialStep(syn, [0.7]);
    let area = 0;
    let peak = 0;
    let peakT = 0;
    for (let k = 1; k < 200000; k++) {
      doubleExponentialStep(syn, null);
      area += syn.current[0] * dt;
      if (syn.current[0] > peak) {
        peak = syn.current[0];
        peakT = k * dt;
      }
    }
    // Σ I·Δt of the discrete scheme = w·Δt² / (τrτd (1 − e^{−Δt/τr})(1 − e^{−Δt/τd})) → w as Δt → 0
    const discrete = (0.7 * dt * dt) / (tr * td * (1 - Math.exp(-dt / tr)) * (1 - Math.exp(-dt / td)));
    expect(Math.abs(area / discrete - 1)).toBeLessThan(5e-4); // float32 state over 2·10⁵ steps
    expect(Math.abs(area / 0.7 - 1)).toBeLessThan(2e-3);
    expect(peakT).toBeCloseTo(((tr * td) / (td - tr)) * Math.log(td / tr), 4);
  });

  it('batched copies share per-neuron constants; the tfjs step gives the same currents', () => {
    const n = 3;
    const p = { dt: 5e-5, tauRise: 0.002, tauDecay: [0.01, 0.05, 0.1] };
    const syn = createDoubleExponential(n, p, 2);
    const one = createDoubleExponential(n, p);
    const f = doubleExponentialFactors(n, p);
    expect(Array.from(syn.decayD)).toEqual(Array.from(f.decayD));
    let st = { current: tf.zeros([2, n]), h: tf.zeros([2, n]) };
    const fT = { dt: f.dt, decayD: tf.tensor1d(f.decayD), decayR: f.decayR, gain: tf.tensor1d(f.gain) };
    const inputs = [Float32Array.of(0, 1, 0, 0.5, 0, 0), Float32Array.of(0.2, 0, 0, 0, 0, 1)];
    for (let k = 0; k < 200; k++) {
      const x = inputs[k % 2] as Float32Array;
      doubleExponentialStep(syn, x);
      doubleExponentialStep(one, x.subarray(0, n));
      st = doubleExponentialStepTensor(st, tf.tensor2d(x, [2, n]), fT);
    }
    expect(Array.from(syn.current.subarray(0, n))).toEqual(Array.from(one.current));
    const c = st.current.dataSync();
    const scale = Math.max(...syn.current);
    expect(scale).toBeGreaterThan(0);
    for (let k = 0; k < 2 * n; k++) expect(Math.abs((c[k] as number) - (syn.current[k] as number))).toBeLessThan(1e-5 * scale);
    expect(() => createDoubleExponential(2, p)).toThrow('doubleExponentialFactors: 3 decay times for 2 neurons');
  });
});

describe('noise', () => {
  it('OU: stationary SD σ and lag-k correlation e^{−kΔt/τ} (5 SE)', () => {
    const n = 20000;
    const p = { dt: 0.01, tau: 0.05, sigma: 0.22 };
    const rng = new Rng(4);
    const eta = rng.normal(n, 0, p.sigma);
    const start = eta.slice();
    for (let k = 0; k < 5; k++) ouStep(eta, p, rng);
    let s2 = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      s2 += eta[i] * eta[i];
      sxy += eta[i] * start[i];
    }
    expect(Math.abs(Math.sqrt(s2 / n) - p.sigma)).toBeLessThan(5 * p.sigma * Math.sqrt(1 / (2 * n)));
    const rho = sxy / n / p.sigma ** 2;
    expect(Math.abs(rho - Math.exp(-0.05 / 0.05))).toBeLessThan(5 / Math.sqrt(n));
    expect(() => ouStep(eta, { ...p, tau: 0 }, rng)).toThrow(/tau > 0/);
  });

  it('gaussianNoise draws N(0, σ²), and zeros without draws at σ = 0', () => {
    const x = gaussianNoise(new Float32Array(50000), 0.5, new Rng(5));
    let s = 0;
    let s2 = 0;
    for (const v of x) {
      s += v;
      s2 += v * v;
    }
    const m = s / x.length;
    expect(Math.abs(m)).toBeLessThan((5 * 0.5) / Math.sqrt(x.length));
    expect(Math.abs(Math.sqrt(s2 / x.length - m * m) - 0.5)).toBeLessThan(0.01);
    const rng = new Rng(6);
    expect(gaussianNoise(x, 0, rng).every((v) => v === 0)).toBe(true);
    expect(rng.normal(1)[0]).toBe(new Rng(6).normal(1)[0]);
    expect(() => gaussianNoise(x, -1, rng)).toThrow(/sigma \(-1\) must be ≥ 0/);
  });
});
