import { describe, expect, it } from 'vitest';
import { estimateRateRnnBytes } from './memory';
import { eiRnnPreset, presetNames } from './presets';

describe('estimateRateRnnBytes', () => {
  it('grows as N² and exceeds terabytes for 10⁶ units', () => {
    const p = eiRnnPreset(presetNames()[0]);
    const small = estimateRateRnnBytes(p.model, p.train, 300);
    const big = estimateRateRnnBytes({ ...p.model, N: 1_000_000 }, p.train, 300);
    expect(small).toBeGreaterThan(4 * p.model.N * p.model.N);
    expect(small).toBeLessThan(1e9);
    expect(big).toBeGreaterThan(4e12);
  });
});
