import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { meanDifferenceTest, synapseClassStats } from './synapse-classes';

describe('synapse class statistics', () => {
  it('planted: each class gets its own weights (rows post, columns pre; the presynaptic sign names the class)', () => {
    // units 0, 1 excitatory; 2 inhibitory
    const sign = [1, 1, -1];
    // W[post][pre]
    const W = [
      [0, 0.5, -2], // post 0 (E): from E1 0.5 (E→E), from I2 −2 (I→E)
      [0.3, 0, 0], // post 1 (E): from E0 0.3 (E→E)
      [0.7, 0.9, -4], // post 2 (I): from E0, E1 (E→I), from itself −4 (I→I)
    ].flat();
    const s = synapseClassStats(W, sign);
    expect(s.ee).toMatchObject({ count: 2, possible: 4 });
    expect(s.ee.mean).toBeCloseTo(0.4, 12);
    expect(s.ei).toMatchObject({ count: 2, possible: 2, median: 0.8 });
    expect(s.ie).toMatchObject({ count: 1, possible: 2, mean: -2, meanAbs: 2 });
    expect(s.ii).toMatchObject({ count: 1, possible: 1, mean: -4 });
    expect(Number.isNaN(s.ii.sd)).toBe(true);
    expect(() => synapseClassStats([1, 2], sign)).toThrow(/2 weights for 3 units/);
  });

  it('mean difference: exact p for fully separated groups of 3 (2 of the 20 splits as extreme)', () => {
    const r = meanDifferenceTest([10, 11, 12], [1, 2, 3], new Rng(1), 4000);
    expect(r.difference).toBeCloseTo(9, 12);
    // C(6, 3) = 20 splits, 2 reach |Δ| = 9: p ≈ 0.1 (± 3 SE of 4,000 shuffles)
    expect(Math.abs(r.p - 0.1)).toBeLessThan(3 * Math.sqrt(0.09 / 4000));
    expect(meanDifferenceTest([1, 2], [1, 2], new Rng(1), 100).p).toBe(1);
  });
});
