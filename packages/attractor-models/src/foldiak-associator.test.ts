import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { deltaRuleLearning, hebbianCapacity, willshawRecall, willshawStore } from './foldiak-associator';

// Known answers for the downstream associative layer.
describe('associative layer: Willshaw (Hebbian) and normalised delta rule', () => {
  it('orthogonal (one-hot) inputs: every association recalled, capacity = number of inputs', () => {
    const K = 5;
    const inputs = new Float64Array(K * K);
    for (let k = 0; k < K; k++) inputs[k * K + k] = 1;
    const targets = Uint8Array.from([1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 0]);
    const c = hebbianCapacity(inputs, targets, K, K, 3);
    expect(c.capacity).toBe(5);
    expect(Array.from(c.exact)).toEqual([1, 1, 1, 1, 1]);
    expect(c.weightedError).toBe(0);
  });

  it('overlapping inputs: crosstalk appears at the third pattern (worked example)', () => {
    // r1 = 110, r2 = 011, r3 = 101; z1 = 10, z2 = 01, z3 = 01: storing r3 → z3 fills W_2 = 111,
    // so r1 recalls z = 11 (one wrong bit); r2 and r3 stay right
    const inputs = [1, 1, 0, 0, 1, 1, 1, 0, 1];
    const targets = [1, 0, 0, 1, 0, 1];
    const W = willshawStore(inputs, targets, 3, 3, 2);
    expect(Array.from(W)).toEqual([1, 1, 0, 1, 1, 1]);
    expect(Array.from(willshawRecall(W, [1, 1, 0], 3, 2))).toEqual([1, 1]);
    const c = hebbianCapacity(inputs, targets, 3, 3, 2, [0.5, 0.25, 0.25]);
    expect(c.capacity).toBe(2);
    expect(c.exact[2]).toBeCloseTo(2 / 3, 12);
    expect(c.bitError[2]).toBeCloseTo(1 / 6, 12);
    expect(c.weightedError).toBeCloseTo(0.5, 12);
  });

  it('delta rule, one association: the error shrinks by (1 − η) per presentation', () => {
    const r = deltaRuleLearning([1, 0, 1], [1, 0, 1, 1], 1, 3, 4, [1], new Rng(1), { rate: 0.5, presentations: 4, every: 1 });
    // initial outputs 0: mse = mean z² = 3/4; after n presentations (1 − η)^{2n} of that
    for (const [n, pt] of r.curve.entries()) expect(pt.mse).toBeCloseTo(0.75 * 0.25 ** n, 12);
    // after one presentation the outputs are 0.5·z, not above the 0.5 recall threshold; after two, 0.75·z
    expect(r.curve[1]?.error).toBe(1);
    expect(r.curve[2]?.error).toBe(0);
    expect(r.allCorrectAt).toBe(2);
  });

  it('delta rule learns four one-hot inputs with random targets exactly', () => {
    const inputs = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    const targets = [1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0];
    const r = deltaRuleLearning(inputs, targets, 4, 4, 3, [0.4, 0.3, 0.2, 0.1], new Rng(2), { presentations: 500, every: 50 });
    expect(r.final.error).toBe(0);
    expect(r.allCorrectAt).toBeGreaterThan(0);
    expect(r.reachedAt).toBeLessThanOrEqual(r.allCorrectAt);
    expect(r.final.mse).toBeLessThan(1e-3);
  });

  it('refuses mismatched shapes and rates, naming both sizes', () => {
    expect(() => willshawStore([1, 0], [1], 1, 3, 1)).toThrow(/inputs have 2 values, expected \[K, nIn\] = \[1, 3\]/);
    expect(() => deltaRuleLearning([1], [1], 1, 1, 1, [1], new Rng(1), { rate: 2 })).toThrow(/rate η = 2 must be in \(0, 2\)/);
    expect(() => deltaRuleLearning([1], [1], 1, 1, 1, [1, 2], new Rng(1))).toThrow(/2 probabilities for K = 1/);
  });
});
