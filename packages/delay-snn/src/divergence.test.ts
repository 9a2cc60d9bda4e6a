import { DivergenceError } from '@wmkit/core-neuron';
import { bernoulliPatterns } from '@wmkit/tasks';
import { initKernels } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { PERRINET2026_REFERENCE, parseHdSnnConfig } from './config';
import { createHdSnn, initialise } from './network';
import { hdSnnFromArrays } from './serialize';
import { trainHdSnn } from './train';

beforeAll(async () => {
  await initKernels();
});

describe('HD-SNN training and loading: divergence and bad weights', () => {
  it('a learning rate of 1e6 blows the weights up: training stops with DivergenceError (step and value)', () => {
    const cfg = parseHdSnnConfig({
      ...PERRINET2026_REFERENCE,
      N: 32,
      D: 8,
      T: 60,
      M: 2,
      p: 0.05,
      train: { ...PERRINET2026_REFERENCE.train, steps: 4, lr: 1e6, dampening: 0 },
    });
    const set = bernoulliPatterns({ M: cfg.M, N: cfg.N, T: cfg.T, p: cfg.p, seed: 1 });
    const model = createHdSnn(cfg);
    initialise(model, set);
    let err: unknown;
    try {
      trainHdSnn(model, set);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    expect((err as DivergenceError).step).toBeGreaterThanOrEqual(1);
    expect((err as Error).message).toMatch(/^delay-SNN training diverged at step \d+: /);
  });

  it('NaN weights in a saved model are refused, naming the element', () => {
    const cfg = parseHdSnnConfig({ ...PERRINET2026_REFERENCE, N: 4, D: 2 });
    const W = new Float32Array(4 * 4 * 2);
    W[9] = Number.NaN;
    expect(() => hdSnnFromArrays(cfg, { W: { data: W, shape: [4, 4, 2] } }, 'run/W.npy')).toThrow(
      'run/W.npy: W: element [1, 0, 1] is NaN (expected finite values)',
    );
  });
});
