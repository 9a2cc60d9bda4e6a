import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { bernoulliPatterns, cueInput, cueInputEvents } from './spike-patterns';

/** The spikes of pattern m of a [M, N, steps] raster as per-step lists (neurons ascending). */
function rasterEvents(data: Uint8Array, N: number, steps: number, m: number): { off: number[]; idx: number[] } {
  const off = [0];
  const idx: number[] = [];
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < N; i++) if (data[(m * N + i) * steps + t]) idx.push(i);
    off.push(idx.length);
  }
  return { off, idx };
}

describe('cueInputEvents', () => {
  it("lists exactly cueInput's spikes and leaves the generator where cueInput does", () => {
    const set = bernoulliPatterns({ M: 3, N: 37, T: 60, p: 0.08, seed: 4 });
    for (const [backgroundSteps, cueSteps, steps] of [
      [20, 30, undefined],
      [0, 12, undefined],
      [7, 0, 90],
      [5, 60, 65],
    ] as const) {
      const o = { backgroundSteps, cueSteps, p: 0.15, steps };
      const r1 = new Rng(2);
      const r2 = new Rng(2);
      const dense = cueInput(set, { ...o, rng: r1 });
      const events = cueInputEvents(set, { ...o, rng: r2 });
      expect(events).toHaveLength(3);
      events.forEach((ev, m) => {
        expect(ev.steps).toBe(dense.steps);
        expect({ off: Array.from(ev.off), idx: Array.from(ev.idx) }).toEqual(rasterEvents(dense.data, set.N, dense.steps, m));
      });
      expect(r2.uint32()).toBe(r1.uint32());
    }
  });

  it('refuses what cueInput refuses, with the same message', () => {
    const set = bernoulliPatterns({ M: 1, N: 4, T: 10, p: 0.1, seed: 1 });
    expect(() => cueInputEvents(set, { backgroundSteps: 2, cueSteps: 11, p: 0.1, rng: new Rng(1) })).toThrow(/exceeds the pattern length/);
    expect(() => cueInputEvents(set, { backgroundSteps: 2, cueSteps: 3, p: 0, rng: new Rng(1) })).toThrow(/background p/);
  });
});
