import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { barImage, barsDataset, wtaInputs } from './wta-inputs';

describe('WTA inputs and the bars data set', () => {
  it('WTA inputs: one winner at 1, the others 1 − Δ; errors name the problem', () => {
    const { b, winner } = wtaInputs(4, { delta: 0.1 });
    expect(winner).toBe(0);
    expect(Array.from(b)).toEqual([1, 0.9, 0.9, 0.9]);
    const r = wtaInputs(10, { rng: new Rng(3) });
    expect(r.b[r.winner]).toBe(1);
    expect(() => wtaInputs(1)).toThrow(/N = 1 must be an integer ≥ 2/);
    expect(() => wtaInputs(3, { delta: 2 })).toThrow(/Δ = 2 must be in \(0, 1\)/);
  });

  it('bar images: 8 pixels each, rows then columns', () => {
    expect(barImage(0).reduce((a, b) => a + b, 0)).toBe(8);
    expect(Array.from(barImage(1).subarray(8, 16))).toEqual(new Array(8).fill(1));
    expect(barImage(8)[0]).toBe(1);
    expect(barImage(8)[8]).toBe(1);
    expect(barImage(8)[1]).toBe(0);
  });

  it('bars: each line on with probability 1/8 (within 4 SE), pixels are the OR of the lines, seeded', () => {
    const d = barsDataset({ count: 4000, rng: new Rng(1) });
    const on = d.lines.reduce((a, b) => a + b, 0) / d.lines.length;
    const se = Math.sqrt(((1 / 8) * (7 / 8)) / d.lines.length);
    expect(Math.abs(on - 1 / 8)).toBeLessThan(4 * se);
    for (let n = 0; n < 50; n++) {
      const img = new Float32Array(64);
      for (let l = 0; l < 16; l++) if (d.lines[n * 16 + l]) for (const [i, v] of barImage(l).entries()) img[i] = Math.max(img[i], v);
      expect(Array.from(d.x.subarray(n * 64, n * 64 + 64))).toEqual(Array.from(img));
    }
    expect(barsDataset({ count: 5, rng: new Rng(9) }).x).toEqual(barsDataset({ count: 5, rng: new Rng(9) }).x);
  });
});
