import { bernoulliPatterns } from '@wmkit/tasks';
import { initBackend, Rng } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { type HdSnnConfig, parseHdSnnConfig } from './config';
import { HdSnnEngine } from './engine';
import { HdSnnTfjsEngine } from './engine-tfjs';
import { denseToEvents, type SpikeEvents, shiftedTargetEvents } from './events';
import { createHdSnn } from './network';
import { recallInput, silencedNeurons } from './recall';
import { evaluateRecall, gradientPass, trainHdSnn } from './train';

// The HD-SNN on two engines: the event-driven wasm kernels and TensorFlow.js ops (tfjs cpu and
// wasm backends). Same weights, inputs and dropout draws → the same spikes (recall, with
// silenced neurons too) and the same weight gradients (surrogate gradient, truncated and full
// BPTT, both resets); a few training steps follow the same path.
beforeAll(async () => {
  await initBackend('cpu', { env: {} });
});

function tiny(over: Record<string, unknown> = {}): HdSnnConfig {
  return parseHdSnnConfig({ N: 20, T: 30, D: 4, M: 2, p: 0.06, backgroundSteps: 6, seed: 3, ...over });
}

function weights(cfg: HdSnnConfig, seed: number): Float32Array {
  return new Rng(seed).normal([cfg.N * cfg.D * cfg.N], -0.02, 0.3);
}

const maxRel = (a: Float32Array, b: Float32Array) => {
  let scale = 1e-12;
  let d = 0;
  for (let q = 0; q < b.length; q++) {
    scale = Math.max(scale, Math.abs(b[q] as number));
    d = Math.max(d, Math.abs((a[q] as number) - (b[q] as number)));
  }
  return d / scale;
};

// Spikes and gradients on both tfjs backends that ship with @wmkit/tensor (cpu, wasm).
for (const backend of ['cpu', 'wasm'] as const) {
  describe(`HD-SNN: kernels vs tfjs engine on the tfjs ${backend} backend`, () => {
    beforeAll(async () => {
      expect((await initBackend(backend, { env: {} })).name).toBe(backend);
    });

    for (const reset of ['subtract', 'zero'] as const) {
      it(`forward: the same spikes for the same weights and input, with dropout and silenced neurons (${reset} reset)`, () => {
        const cfg = tiny({ reset });
        const set = bernoulliPatterns({ M: cfg.M, N: cfg.N, T: cfg.T, p: cfg.p, seed: 7 });
        const Wt = weights(cfg, 11);
        const input = recallInput(set, cfg, new Rng(5));
        const shape = { N: cfg.N, D: cfg.D, steps: input.steps, slots: 0 };
        const a = new HdSnnEngine(shape);
        const b = new HdSnnTfjsEngine(shape);
        try {
          a.setWeights(Wt);
          b.setWeights(Wt);
          let total = 0;
          for (let m = 0; m < cfg.M; m++) {
            const ev = denseToEvents(input.data, cfg.N, input.steps, m);
            for (const o of [
              { dropout: 0.3, silence: null },
              { dropout: 0, silence: silencedNeurons(cfg.N, 5, 2) },
            ]) {
              const ra = new Rng(9).fork(String(m));
              const rb = new Rng(9).fork(String(m));
              const common = { beta: cfg.beta, threshold: cfg.threshold, reset, tStart: cfg.D, ...o };
              const sa = a.forward(ev, { ...common, rng: ra });
              const sb = b.forward(ev, { ...common, rng: rb });
              expect(Array.from(sb.off)).toEqual(Array.from(sa.off));
              expect(Array.from(sb.idx)).toEqual(Array.from(sa.idx));
              // the dropout draws leave both generators in the same state
              expect(Array.from(rb.getState())).toEqual(Array.from(ra.getState()));
              total += sa.idx.length;
            }
          }
          expect(total).toBeGreaterThan(0.05 * 2 * cfg.M * cfg.N * (input.steps - cfg.D));
          expect(total).toBeLessThan(0.7 * 2 * cfg.M * cfg.N * (input.steps - cfg.D));
        } finally {
          a.dispose();
        }
      });
    }

    for (const gradient of ['truncated', 'full'] as const) {
      for (const reset of ['subtract', 'zero'] as const) {
        it(`gradients equal (${gradient} BPTT, ${reset} reset, dropout 0.25)`, () => {
          const cfg = tiny({ reset, train: { gradient, dropout: 0.25, surrogateSlope: 5 } });
          const set = bernoulliPatterns({ M: cfg.M, N: cfg.N, T: cfg.T, p: cfg.p, seed: 8 });
          const Wt = weights(cfg, 12);
          const steps = cfg.backgroundSteps + cfg.T;
          const shape = { N: cfg.N, D: cfg.D, steps, slots: cfg.M, train: { optimizer: 'sgd' as const, full: gradient === 'full' } };
          const plain = Array.from({ length: cfg.M }, (_, m) => denseToEvents(set.data, cfg.N, cfg.T, m));
          const targets = { plain, aligned: plain.map((ev) => shiftedTargetEvents(ev, cfg.backgroundSteps, cfg.D, cfg.T, steps)) };
          const a = new HdSnnEngine(shape);
          const b = new HdSnnTfjsEngine(shape);
          try {
            a.setWeights(Wt);
            b.setWeights(Wt);
            const pa = gradientPass(a, set, cfg, new Rng(21), targets);
            const pb = gradientPass(b, set, cfg, new Rng(21), targets);
            expect(pb.counts).toEqual(pa.counts);
            expect(pb.loss).toBe(pa.loss);
            const ga = a.gradient();
            expect(Math.max(...Array.from(ga, Math.abs))).toBeGreaterThan(0);
            expect(maxRel(b.gradient(), ga)).toBeLessThan(1e-4);
          } finally {
            a.dispose();
          }
        });
      }
    }
  });
}

describe('HD-SNN: kernels vs tfjs engine, training', () => {
  beforeAll(async () => {
    await initBackend('cpu', { env: {} });
  });

  for (const optimizer of ['sgd', 'adamw'] as const) {
    it(`training follows the same path for a few steps (${optimizer}), and recall scores match`, () => {
      const cfg = tiny({ train: { steps: 3, optimizer, dropout: 0.1, lr: optimizer === 'sgd' ? 0.05 : 0.01 } });
      const set = bernoulliPatterns({ M: cfg.M, N: cfg.N, T: cfg.T, p: cfg.p, seed: 4 });
      const run = (engine: 'kernels' | 'tfjs') => {
        const model = createHdSnn(cfg);
        model.Wt.set(weights(cfg, 13));
        const r = trainHdSnn(model, set, { engine });
        return { model, r };
      };
      const a = run('kernels');
      const b = run('tfjs');
      expect(b.r.history.map((h) => h.train)).toEqual(a.r.history.map((h) => h.train));
      expect(b.r.history.map((h) => h.eval)).toEqual(a.r.history.map((h) => h.eval));
      expect(maxRel(b.model.Wt, a.model.Wt)).toBeLessThan(1e-5);
      const ea = evaluateRecall(a.model, set, new Rng(2), {}, 'kernels');
      const eb = evaluateRecall(a.model, set, new Rng(2), {}, 'tfjs');
      expect(eb.scores).toEqual(ea.scores);
      expect((eb.spikes as SpikeEvents[]).map((s) => Array.from(s.idx))).toEqual(ea.spikes.map((s) => Array.from(s.idx)));
    });
  }
});
