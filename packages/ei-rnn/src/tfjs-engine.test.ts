import { dmsTask } from '@wmkit/tasks';
import { initBackend, Rng } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { KIM_TRAIN_CONFIG, parseRateRnnConfig, type RateRNNConfig } from './config';
import { createRateRNN, initialStates, simulateRate } from './rate-rnn';
import { maxRel, smallKurtkayaConfig } from './test-fixtures';
import { RateRnnGradientTfjs, simulateRateTfjs } from './tfjs-engine';
import { lossAndGradient, RateRnnGradient, trainRateRNN } from './trainer';

// The two engines of the rate RNN: the fused wasm kernels and TensorFlow.js ops. Same seed and
// inputs → the same trajectories to float tolerance (with the same noise draws), and the same
// gradients, on the tfjs cpu and wasm backends; on another backend only the tolerance changes.
beforeAll(async () => {
  await initBackend('cpu', { env: {} });
});

const kim = (over: Partial<RateRNNConfig> = {}) => parseRateRnnConfig({ N: 12, x0: { kind: 'normal', std: 0.5 }, ...over });
const kurtkaya = () => smallKurtkayaConfig(0.05);

// The same-seed simulations and the gradients on both tfjs backends that ship with @wmkit/tensor (cpu, wasm).
for (const backend of ['cpu', 'wasm'] as const) {
  describe(`rate RNN: kernels vs tfjs engine on the tfjs ${backend} backend`, () => {
    beforeAll(async () => {
      expect((await initBackend(backend, { env: {} })).name).toBe(backend);
    });

    for (const [name, cfg] of [
      ['rate form (Kim), no noise', kim({ noiseStd: 0 })],
      ['rate form (Kim), with noise: the same draws', kim({ noiseStd: 0.1 })],
      ['current form (Kurtkaya), with noise, output before the update', kurtkaya()],
    ] as const) {
      it(`simulate: same outputs and rates — ${name}`, () => {
        const m = createRateRNN(cfg, new Rng(name));
        const B = 3;
        const T = 11;
        const inputs = { data: new Rng(2).normal(B * T * cfg.nInputs), shape: [B, T, cfg.nInputs] };
        const a = simulateRate(m, inputs, new Rng(4));
        const b = simulateRateTfjs(m, inputs, new Rng(4));
        expect(b.outputs.shape).toEqual(a.outputs.shape);
        expect(maxRel(b.outputs.data, a.outputs.data)).toBeLessThan(2e-5);
        expect(maxRel(b.rates?.data ?? [], a.rates?.data ?? [])).toBeLessThan(2e-5);
      });
    }

    for (const [name, cfg, loss] of [
      ['Kim: Dale, trainable τ, √Σ loss', kim({ noiseStd: 0.1 }), 'kim-l2'],
      ['Kurtkaya: tanh current form, biases, sigmoid read-out, MSE', kurtkaya(), 'mse'],
    ] as const) {
      it(`gradients equal — ${name}`, () => {
        const m = createRateRNN(cfg, new Rng(`grad-${name}`));
        m.bOut.fill(0.1);
        const B = 2;
        const T = 8;
        const K = cfg.nOutputs;
        const rng = new Rng(5);
        const batch = {
          inputs: { data: rng.normal(B * T * cfg.nInputs), shape: [B, T, cfg.nInputs] },
          targets: { data: rng.uniform(B * T * K), shape: [B, T, K] },
          mask: { data: new Float32Array(B * T * K).fill(1), shape: [B, T, K] },
          conditions: {},
          periods: [],
          dtMs: 5,
        };
        const kern = new RateRnnGradient(cfg, T, B);
        const la = kern.compute(m, batch, new Rng(6), loss);
        kern.dispose();
        const tfp = new RateRnnGradientTfjs(cfg, T, B);
        const sig = cfg.readout === 'sigmoid';
        const lb = tfp.compute(m, batch, new Rng(6), loss, (o, g, w) => lossAndGradient(loss, o, batch, B, T, K, w, sig, g));
        expect(lb).toBeCloseTo(la, 4);
        for (const k of ['w', 'wIn', 'bias', 'wOut', 'bOut', 'tauRaw'] as const) {
          if (k === 'tauRaw' && cfg.tau.kind !== 'trainable') continue;
          if (k === 'bias' && !cfg.biases) continue;
          expect(maxRel(tfp.grads[k], kern.grads[k]), k).toBeLessThan(5e-4);
        }
      });
    }
  });
}

describe('rate RNN: kernels vs tfjs engine, training', () => {
  beforeAll(async () => {
    await initBackend('cpu', { env: {} });
  });

  it('training with either engine follows the same path (a few updates, same seed)', async () => {
    const cfg = parseRateRnnConfig({ N: 16 });
    const train = { ...KIM_TRAIN_CONFIG, batchSize: 2, maxTrials: 8, evalEvery: 4, evalTrials: 4 };
    const run = async (engine: 'kernels' | 'tfjs') => {
      const m = createRateRNN(cfg, new Rng(9));
      const r = await trainRateRNN(m, dmsTask(), train, new Rng(10), { engine });
      return { w: m.w, history: r.history };
    };
    const a = await run('kernels');
    const b = await run('tfjs');
    expect(b.history.map((h) => h.trial)).toEqual(a.history.map((h) => h.trial));
    expect(maxRel(b.w, a.w)).toBeLessThan(1e-3);
    b.history.forEach((h, i) => {
      expect(h.loss).toBeCloseTo(a.history[i]?.loss as number, 3);
    });
  });

  it('initial states come from the same fork in both engines', () => {
    const m = createRateRNN(kim(), new Rng(1));
    expect(Array.from(initialStates(m, 2, new Rng(3).fork('x0')))).toEqual(Array.from(initialStates(m, 2, new Rng(3).fork('x0'))));
  });
});

describe('one owner for dt', () => {
  it('training refuses a task whose dt differs from the network’s, naming both', async () => {
    const m = createRateRNN(parseRateRnnConfig({ N: 12, dtMs: 10 }), new Rng(1));
    await expect(trainRateRNN(m, dmsTask(), { ...KIM_TRAIN_CONFIG, maxTrials: 1 }, new Rng(2))).rejects.toThrow(
      /the task steps dt = 5 ms but the network was built for dt = 10 ms/,
    );
  });
});
