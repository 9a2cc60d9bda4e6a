import { describe, expect, it } from 'vitest';
import { denseToEvents, eventsToDense } from './events';

/** The definition: per step, the neurons whose raster byte is non-zero, ascending. */
function eventsByDefinition(data: Uint8Array, N: number, steps: number, m: number): { off: number[]; idx: number[] } {
  const off = [0];
  const idx: number[] = [];
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < N; i++) if (data[m * N * steps + i * steps + t]) idx.push(i);
    off.push(idx.length);
  }
  return { off, idx };
}

describe('denseToEvents', () => {
  it('lists each step’s spikes in neuron order for any density, size and byte alignment', () => {
    let seed = 7;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (const [N, steps, M, p] of [
      [7, 13, 3, 0.2],
      [16, 1000, 2, 1e-3],
      [33, 17, 4, 0.9],
      [5, 3, 5, 0.5],
    ])
      for (const shift of [0, 1, 2, 3]) {
        const data = new Uint8Array(shift + N * steps * M).subarray(shift);
        for (let q = 0; q < data.length; q++) data[q] = rnd() < p ? 1 + Math.floor(rnd() * 3) : 0;
        for (let m = 0; m < M; m++) {
          const ev = denseToEvents(data, N, steps, m);
          const want = eventsByDefinition(data, N, steps, m);
          expect(Array.from(ev.off)).toEqual(want.off);
          expect(Array.from(ev.idx)).toEqual(want.idx);
          const back = eventsToDense(ev, N);
          const want01 = data.slice(m * N * steps, (m + 1) * N * steps).map((x) => (x ? 1 : 0));
          expect(back.every((x, q) => x === want01[q])).toBe(true);
        }
      }
  });
});
