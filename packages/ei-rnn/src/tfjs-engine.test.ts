import { dmsTask } from '@wmkit/tasks';
import { initBackend, Rng, type Tensor, tf } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { KIM_TRAIN_CONFIG, parseRateRnnConfig, type RateRNNConfig } from './config';
import { createRateRNN, initialStates, type RateRNN, rateRnnStep, rateRnnTensors, simulateRate } from './rate-rnn';
import { maxRel, smallKurtkayaConfig } from './test-fixtures';
import { RateRnnGradientTfjs, simulateRateTfjs, unrollRateTfjs } from './tfjs-engine';
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

// The engine's batched unroll and its hand-written BPTT (`scan`) against tfjs autodiff of the
// plain step-by-step network (`rateRnnStep` in a loop): same outputs and rates, same gradient of
// Σ pre·G for a random G, for every transfer function, clip, form and read-out timing.
for (const backend of ['cpu', 'wasm'] as const) {
  describe(`rate RNN tfjs engine: batched scan vs autodiff of the step-by-step network (tfjs ${backend})`, () => {
    beforeAll(async () => {
      expect((await initBackend(backend, { env: {} })).name).toBe(backend);
    });
    const cases: [string, Partial<RateRNNConfig>][] = [
      ['rate form, sigmoid (Kim)', {}],
      ['rate form, tanh, clip 0.5, output before the update', { transfer: 'tanh', clip: 0.5, outputTiming: 'before-update' }],
      ['rate form, relu', { transfer: 'relu', biases: true }],
      ['rate form, softplus', { transfer: 'softplus' }],
      ['current form, tanh, output before the update (Kurtkaya)', { form: 'current', transfer: 'tanh', outputTiming: 'before-update' }],
      ['current form, relu, clip 1', { form: 'current', transfer: 'relu', clip: 1, biases: true }],
    ];
    for (const [name, over] of cases) {
      it(name, () => {
        const m = createRateRNN(kim({ N: 8, noiseStd: 0, ...over }), new Rng(`scan-${name}`));
        m.bias.set(new Rng(3).normal(8, 0, 0.3));
        const { N, nInputs: nIn, nOutputs: K } = m.config;
        const B = 2;
        const T = 7;
        const rng = new Rng(11);
        const u = rng.normal(B * T * nIn);
        const x0 = rng.normal(B * N);
        const z = rng.normal(T * B * N, 0, 0.1);
        const G = rng.normal(B * T * K);
        const linear = { ...m, config: { ...m.config, readout: 'linear' } } as RateRNN;
        const f = (x: Tensor) => {
          const y = { sigmoid: tf.sigmoid, tanh: tf.tanh, relu: tf.relu, softplus: tf.softplus }[m.config.transfer](x);
          return m.config.clip != null ? tf.minimum(y, m.config.clip) : y;
        };
        const stepwise = (...p: Tensor[]) => {
          const [wEff, wIn, bias, wOut, bOut, alpha] = p as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor];
          const noise = tf.unstack(tf.tensor3d(z, [T, B, N]), 0);
          const steps = tf.unstack(tf.tensor3d(u, [B, T, nIn]), 1);
          let state: Tensor = tf.tensor2d(x0, [B, N]);
          const pre: Tensor[] = [];
          const rates: Tensor[] = [];
          for (let t = 0; t < T; t++) {
            if (m.config.outputTiming === 'before-update') rates.push(m.config.form === 'rate' ? f(state) : state);
            const s = rateRnnStep(linear, { wEff, wIn, bias, wOut, bOut, alpha }, state, steps[t] as Tensor, noise[t]);
            state = s.state;
            pre.push(s.output);
            if (m.config.outputTiming !== 'before-update') rates.push(s.rates);
          }
          return { pre: tf.stack(pre, 1), rates: tf.stack(rates, 1) };
        };
        const batched = (...p: Tensor[]) => {
          const [wEff, wIn, bias, wOut, bOut, alpha] = p as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor];
          return unrollRateTfjs(
            m,
            { wEff, wIn, bias, wOut, bOut, alpha },
            tf.tensor3d(u, [B, T, nIn]),
            tf.tensor2d(x0, [B, N]),
            tf.tensor3d(z, [T, B, N]),
          );
        };
        tf.tidy(() => {
          const t = rateRnnTensors(m);
          const xs = [t.wEff, t.wIn, t.bias, t.wOut, t.bOut, t.alpha];
          const a = stepwise(...xs);
          const b = batched(...xs);
          expect(maxRel(b.pre.dataSync(), a.pre.dataSync())).toBeLessThan(1e-5);
          expect(maxRel(b.rates.dataSync(), a.rates.dataSync())).toBeLessThan(1e-5);
          const g = tf.tensor3d(G, [B, T, K]);
          const ga = tf.grads((...p: Tensor[]) => tf.sum(tf.mul(stepwise(...p).pre, g)))(xs);
          const gb = tf.grads((...p: Tensor[]) => tf.sum(tf.mul(batched(...p).pre, g)))(xs);
          ['wEff', 'wIn', 'bias', 'wOut', 'bOut', 'alpha'].forEach((k, i) => {
            expect(maxRel((gb[i] as Tensor).dataSync(), (ga[i] as Tensor).dataSync()), k).toBeLessThan(1e-4);
          });
        });
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
  }, 60_000); // 3–6 s at load 30–38 on 2 cores, over the default 5 s

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
