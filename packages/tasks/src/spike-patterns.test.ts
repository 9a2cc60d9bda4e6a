import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { bernoulliPatterns, countSpikes, cueInput, evidencePatterns, flipBits, spikePatternSet } from './spike-patterns';

describe('spike patterns', () => {
  it('Bernoulli patterns have the requested rate (within 4 binomial SDs) and are seeded', () => {
    const o = { M: 4, N: 256, T: 500, p: 2e-3, seed: 5 };
    const a = bernoulliPatterns(o);
    const n = o.M * o.N * o.T;
    const sd = Math.sqrt(n * o.p * (1 - o.p));
    expect(Math.abs(countSpikes(a) - n * o.p)).toBeLessThan(4 * sd);
    expect(Array.from(bernoulliPatterns(o).data)).toEqual(Array.from(a.data));
    expect(() => bernoulliPatterns({ ...o, p: 0 })).toThrow(/strictly between 0 and 1/);
    expect(() => bernoulliPatterns({ ...o, p: 1.2 })).toThrow(/strictly between 0 and 1/);
  });

  it('the evidence generator keeps at most the top fraction and respects the minimum interval', () => {
    const o = { M: 2, N: 200, T: 400, p: 1e-3, seed: 3, keepFraction: 0.005, minInterval: 4 };
    const s = evidencePatterns(o);
    const n = o.M * o.N * o.T;
    expect(countSpikes(s)).toBeLessThanOrEqual(Math.ceil(0.005 * n));
    expect(countSpikes(s)).toBeGreaterThan(0);
    for (let row = 0; row < o.M * o.N; row++) {
      let last = -100;
      for (let t = 0; t < o.T; t++) {
        if (s.data[row * o.T + t]) {
          expect(t - last).toBeGreaterThanOrEqual(4);
          last = t;
        }
      }
    }
  });

  it('cue input: background noise, then the first cueSteps of the target, then silence', () => {
    const set = bernoulliPatterns({ M: 2, N: 50, T: 100, p: 0.05, seed: 1 });
    const cue = cueInput(set, { backgroundSteps: 20, cueSteps: 30, p: 0.05, rng: new Rng(2) });
    expect(cue.steps).toBe(120);
    let bg = 0;
    for (let m = 0; m < 2; m++) {
      for (let i = 0; i < 50; i++) {
        const row = (m * 50 + i) * 120;
        for (let t = 0; t < 20; t++) bg += cue.data[row + t] as number;
        for (let t = 0; t < 30; t++) expect(cue.data[row + 20 + t]).toBe(set.data[(m * 50 + i) * 100 + t]);
        for (let t = 50; t < 120; t++) expect(cue.data[row + t]).toBe(0);
      }
    }
    // 2000 background entries at p = 0.05: mean 100, SD ≈ 9.7
    expect(Math.abs(bg - 100)).toBeLessThan(40);
    expect(() => cueInput(set, { backgroundSteps: 20, cueSteps: 101, p: 0.05, rng: new Rng(2) })).toThrow(/exceeds the pattern length/);
  });

  it('balanced bit flips preserve the mean rate and leave unmasked entries alone', () => {
    const data = Uint8Array.from(new Rng(4).bernoulli([100000], 0.01));
    const flipped = flipBits(data, 0.25, new Rng(9));
    const before = data.reduce((a, v) => a + v, 0);
    const after = flipped.reduce((a, v) => a + v, 0);
    // expected change 0 with SD ≈ sqrt(2·0.25·n·p) ≈ 22
    expect(Math.abs(after - before)).toBeLessThan(100);
    let changed = 0;
    for (let k = 0; k < data.length; k++) if (data[k] !== flipped[k]) changed++;
    // P(changed) = 0.25·(p(1−p)·2) ≈ 0.005 → ≈ 495
    expect(changed).toBeGreaterThan(300);
    expect(changed).toBeLessThan(700);
    expect(Array.from(flipBits(data, 0, new Rng(1)))).toEqual(Array.from(data));
  });

  it('wrapping an array checks the shape and names both', () => {
    expect(() => spikePatternSet(2, 3, 4, new Uint8Array(23))).toThrow(/\[M, N, T\] = \[2, 3, 4\] \(24 values\), got 23/);
  });
});
