import { describe, expect, it } from 'vitest';
import { PERRINET2026_REFERENCE, parseHdSnnConfig } from './config';
import { estimateHdSnnBytes } from './memory';

describe('estimateHdSnnBytes', () => {
  it('counts the weights N·N·D float32 three times when training with SGD (weights, gradient, momentum)', () => {
    const weights = 4 * 1024 * 1024 * 41;
    const est = estimateHdSnnBytes(PERRINET2026_REFERENCE);
    expect(est).toBeGreaterThanOrEqual(3 * weights);
    expect(est).toBeLessThan(4 * weights);
    const untrained = estimateHdSnnBytes(parseHdSnnConfig({ train: { steps: 0 } }));
    expect(untrained).toBeLessThan(est - 2 * weights + 1);
  });

  it('grows as N² (N = 10⁷ asks for petabytes)', () => {
    const big = estimateHdSnnBytes(parseHdSnnConfig({ N: 10_000_000 }));
    expect(big).toBeGreaterThan(4e16);
    expect(estimateHdSnnBytes(parseHdSnnConfig({ N: 2048 })) / estimateHdSnnBytes(PERRINET2026_REFERENCE)).toBeCloseTo(4, 0);
  });
});
