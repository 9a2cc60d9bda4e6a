import { DivergenceError } from '@wmkit/core-neuron';
import { dmsTask } from '@wmkit/tasks';
import { initBackend, Rng, type Tensor, tf } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, KIM_RATE_CONFIG, KIM_TRAIN_CONFIG, parseRateRnnConfig, parseTrainConfig, type RateRNNConfig } from './config';
import {
  createRateRNN,
  effectiveWeights,
  initialStates,
  type RateRNN,
  rateRnnStep,
  rateRnnTensors,
  simulateRate,
  unitTauSteps,
} from './rate-rnn';
import { maxRel, smallKurtkayaConfig } from './test-fixtures';
import { RateRnnGradient, trainRateRNN } from './trainer';

beforeAll(async () => {
  await initBackend('cpu', { env: {} });
});

const small = (over: Partial<RateRNNConfig> = {}): RateRNNConfig =>
  parseRateRnnConfig({ N: 12, noiseStd: 0, x0: { kind: 'normal', std: 0.5 }, ...over });
const kurtkaya = () => smallKurtkayaConfig();

/** Runs the network step by step with tfjs ops (the reference). */
function tfOutputs(m: RateRNN, inputs: Float32Array, B: number, T: number, x0: Float32Array): Float32Array {
  const p = rateRnnTensors(m);
  let state: Tensor = tf.tensor2d(x0, [B, m.config.N]);
  const u = tf.tensor3d(inputs, [B, T, m.config.nInputs]);
  const outs: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const step = rateRnnStep(m, p, state, tf.squeeze(tf.slice(u, [0, t, 0], [B, 1, m.config.nInputs]), [1]));
    state = step.state;
    outs.push(step.output);
  }
  return tf.stack(outs, 1).dataSync() as Float32Array;
}

describe('config', () => {
  it('names the field of an invalid value and the source', () => {
    expect(() => parseRateRnnConfig({ N: -5 }, KIM_RATE_CONFIG, 'my.json model')).toThrow(/^my.json model: invalid rate RNN config: 'N'/);
    expect(() => parseTrainConfig({ lr: 0 })).toThrow(/'lr'/);
  });

  it('rejects a field it does not know, listing the fields it may be', () => {
    expect(() => parseRateRnnConfig({ tauMin: 4 })).toThrow(ConfigError);
    expect(() => parseRateRnnConfig({ tauMin: 4 })).toThrow(/'tauMin': not a field of this config \(the fields: N, nInputs,/);
    expect(() => parseRateRnnConfig({ tau: { kind: 'trainable', minSteps: 4, maxSteps: 25, min: 1 } })).toThrow(
      /'tau.min': not a field .*the fields of 'tau': kind, minSteps, maxSteps/,
    );
    // another kind of the union than the base's: the base's fields would mislead, so none are listed
    expect(() => parseRateRnnConfig({ tau: { kind: 'fixed', alpha: 0.5, beta: 1 } })).toThrow(/'tau.beta': not a field of this config$/);
    expect(() => parseTrainConfig({ train: { recurrent: true, inputs: false } })).toThrow(/'train.inputs'/);
  });

  it('rejects a config that is not an object', () => {
    expect(() => parseRateRnnConfig([1, 2])).toThrow(/must be an object, got an array/);
    expect(() => parseTrainConfig('adam')).toThrow(/must be an object, got string/);
  });
});

describe('RateRNN', () => {
  it('initialises as spikeRNN: ~20% connections, non-negative w, ~20% inhibitory, τ in range', () => {
    const m = createRateRNN(KIM_RATE_CONFIG, new Rng(1));
    const N = 200;
    const present = m.w.filter((v) => v !== 0).length / (N * N);
    expect(Math.abs(present - 0.2)).toBeLessThan(5 * Math.sqrt((0.2 * 0.8) / (N * N)));
    expect(m.w.every((v) => v >= 0)).toBe(true);
    const inh = m.sign.filter((s) => s < 0).length / N;
    expect(Math.abs(inh - 0.2)).toBeLessThan(5 * Math.sqrt((0.2 * 0.8) / N));
    const tau = unitTauSteps(m);
    expect(Math.min(...tau)).toBeGreaterThanOrEqual(4);
    expect(Math.max(...tau)).toBeLessThanOrEqual(25);
    // |N(0,1)|·1.5/√(N·0.2): mean of present entries = 1.5·√(2/π)/√40
    const mean = m.w.reduce((a, v) => a + v, 0) / (present * N * N);
    expect(mean).toBeCloseTo((1.5 * Math.sqrt(2 / Math.PI)) / Math.sqrt(40), 2);
  });

  for (const [name, cfg] of [
    ['rate form (Kim)', small()],
    ['current form (Kurtkaya)', kurtkaya()],
  ] as const) {
    it(`simulateRate (wasm scan) equals rateRnnStep (tfjs) — ${name}`, () => {
      const m = createRateRNN(cfg, new Rng(name));
      const B = 3;
      const T = 9;
      const inputs = new Rng(2).normal(B * T * cfg.nInputs);
      const x0 = initialStates(m, B, new Rng(3));
      const sim = simulateRate(m, { data: inputs, shape: [B, T, cfg.nInputs] }, new Rng(4), { noise: false, x0 });
      expect(sim.outputs.shape).toEqual([B, T, cfg.nOutputs]);
      expect(maxRel(sim.outputs.data, tfOutputs(m, inputs, B, T, x0))).toBeLessThan(2e-5);
    });
  }

  it('a wrong input dimension names both shapes', () => {
    const m = createRateRNN(small(), new Rng(1));
    expect(() => simulateRate(m, { data: new Float32Array(3 * 4 * 3), shape: [3, 4, 3] }, new Rng(1))).toThrow(
      'simulateRate: inputs: expected shape [B, T, 2] but got [3, 4, 3]',
    );
  });
});

/** Loss computed with tfjs autodiff over the raw parameters (reference for the hand-written BPTT). */
function tfLossAndGrads(
  m: RateRNN,
  inputs: Float32Array,
  targets: Float32Array,
  B: number,
  T: number,
  x0: Float32Array,
  loss: 'kim-l2' | 'mse',
) {
  const { N, nInputs, nOutputs } = m.config;
  const tau = m.config.tau;
  const sign = tf.tensor1d(m.sign);
  const u = tf.unstack(tf.tensor3d(inputs, [B, T, nInputs]), 1);
  const z = tf.tensor3d(targets, [B, T, nOutputs]);
  const f = (w: Tensor, wIn: Tensor, bias: Tensor, wOut: Tensor, bOut: Tensor, tauRaw: Tensor) => {
    const wEff = m.config.dale ? tf.mul(tf.relu(w), tf.reshape(sign, [1, -1])) : w;
    const alpha =
      tau.kind === 'trainable'
        ? tf.div(1, tf.add(tf.mul(tf.sigmoid(tauRaw), tau.maxSteps - tau.minSteps), tau.minSteps))
        : tf.add(tf.mul(tauRaw, 0), tau.alpha); // constant α, still connected to the graph
    let s: Tensor = tf.tensor2d(x0, [B, N]);
    const outs: Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const mm = { wEff, wIn, bias, wOut, bOut, alpha };
      const st = rateRnnStep(m, mm, s, u[t]);
      s = st.state;
      outs.push(st.output);
    }
    const o = tf.stack(outs, 1);
    const sq = tf.sum(tf.square(tf.sub(o, z)), [1, 2]);
    return loss === 'kim-l2' ? tf.mean(tf.sqrt(sq)) : tf.div(tf.sum(sq), B * T * nOutputs);
  };
  const args = [
    tf.tensor2d(m.w, [N, N]),
    tf.tensor2d(m.wIn, [N, nInputs]),
    tf.tensor1d(m.bias),
    tf.tensor2d(m.wOut, [nOutputs, N]),
    tf.tensor1d(m.bOut),
    tf.tensor1d(m.tauRaw),
  ];
  const { value, grads } = tf.valueAndGrads(f as (...a: Tensor[]) => tf.Scalar)(args);
  return { loss: value.dataSync()[0], grads: grads.map((g) => g.dataSync()) };
}

describe('BPTT gradients (wasm scan + chain rule) equal tfjs autodiff', () => {
  for (const [name, cfg, loss] of [
    ['Kim: Dale, trainable τ, sigmoid, √Σ loss', small(), 'kim-l2'],
    ['Kurtkaya: tanh current form, biases, sigmoid read-out, MSE', kurtkaya(), 'mse'],
  ] as const) {
    it(name, () => {
      const m = createRateRNN(cfg, new Rng(`grad-${name}`));
      m.bOut.fill(0.1);
      const B = 2;
      const T = 8;
      const rng = new Rng(5);
      const inputs = rng.normal(B * T * cfg.nInputs);
      const targets = rng.uniform(B * T * cfg.nOutputs);
      const batch = {
        inputs: { data: inputs, shape: [B, T, cfg.nInputs] },
        targets: { data: targets, shape: [B, T, cfg.nOutputs] },
        mask: { data: new Float32Array(B * T * cfg.nOutputs).fill(1), shape: [B, T, cfg.nOutputs] },
        conditions: {},
        periods: [],
        dtMs: 5,
      };
      const pass = new RateRnnGradient(cfg, T, B);
      const passRng = new Rng(6);
      const loss2 = pass.compute(m, batch, passRng, loss);
      const x0 = initialStates(m, B, passRng.fork('x0'));
      const ref = tfLossAndGrads(m, inputs, targets, B, T, x0, loss);
      pass.dispose();
      expect(loss2).toBeCloseTo(ref.loss, 4);
      const g = pass.grads;
      const ours = [g.w, g.wIn, g.bias, g.wOut, g.bOut, g.tauRaw];
      const names = ['w', 'wIn', 'bias', 'wOut', 'bOut', 'tauRaw'];
      ours.forEach((arr, i) => {
        if (names[i] === 'tauRaw' && cfg.tau.kind !== 'trainable') return;
        if (names[i] === 'bias' && !cfg.biases) return;
        expect(maxRel(arr, ref.grads[i]), names[i]).toBeLessThan(5e-4);
      });
    });
  }
});

describe('training', () => {
  const task = dmsTask();
  const cfg = parseRateRnnConfig({ N: 40 });
  const train = {
    ...KIM_TRAIN_CONFIG,
    batchSize: 4,
    maxTrials: 80,
    evalEvery: 40,
    evalTrials: 20,
    train: { ...KIM_TRAIN_CONFIG.train, input: true },
  };

  it("Dale's signs never flip and τ stays in [τmin, τmax] while training", async () => {
    const m = createRateRNN(cfg, new Rng(7));
    const sign0 = m.sign.slice();
    await trainRateRNN(m, task, { ...train, lr: 0.05 }, new Rng(8), {
      onUpdate: () => {
        const W = effectiveWeights(m);
        for (let j = 0; j < 40; j++) for (let i = 0; i < 40; i++) expect(W[i * 40 + j] * sign0[j]).toBeGreaterThanOrEqual(0);
        const tau = unitTauSteps(m);
        expect(Math.min(...tau)).toBeGreaterThanOrEqual(4);
        expect(Math.max(...tau)).toBeLessThanOrEqual(25);
      },
    });
    expect(Array.from(m.sign)).toEqual(Array.from(sign0));
  });

  it('the same seed gives an identical run', async () => {
    const run = async () => {
      const m = createRateRNN(cfg, new Rng(9));
      const r = await trainRateRNN(m, task, train, new Rng(10));
      return { w: Array.from(m.w), history: r.history };
    };
    const a = await run();
    const b = await run();
    expect(a.w).toEqual(b.w);
    expect(a.history.map((h) => [h.trial, h.loss, h.accuracy])).toEqual(b.history.map((h) => [h.trial, h.loss, h.accuracy]));
  });

  it('a network whose loss diverges is stopped and restored to the last good parameters', async () => {
    const m = createRateRNN(parseRateRnnConfig({ N: 40, transfer: 'relu' }), new Rng(11)); // unbounded rates
    const r = await trainRateRNN(m, task, { ...train, lr: 1e3, maxTrials: 400, evalEvery: 4 }, new Rng(12));
    expect(r.reason).toBe('diverged');
    expect(r.success).toBe(false);
    expect(r.error).toBeInstanceOf(DivergenceError);
    expect(r.message).toMatch(/^E\/I RNN training.* diverged at trial \d+: loss = /);
    expect(m.w.every(Number.isFinite)).toBe(true);
  });

  it('a loss that grows past 100× the untrained one without ever becoming NaN is divergence too (Adam, lr 1e6)', async () => {
    const m = createRateRNN(cfg, new Rng(13));
    const r = await trainRateRNN(m, task, { ...train, lr: 1e6, maxTrials: 200, evalEvery: 8 }, new Rng(14));
    expect(r.reason).toBe('diverged');
    const e = r.error as DivergenceError;
    expect(e).toBeInstanceOf(DivergenceError);
    expect(Number.isFinite(e.value)).toBe(true); // caught before NaN
    expect(e.message).toMatch(/diverged at trial (\d+): loss = \S+ \(more than 100× the initial loss/);
    expect(e.step).toBe(r.history.at(-1)?.trial);
    expect(m.w.every(Number.isFinite)).toBe(true);
  });
});
