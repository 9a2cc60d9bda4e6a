/**
 * Inputs for winner-take-all and sparse-coding circuits (docs/models/wta-sparse.md):
 * - WTA input sets (Kriener, Chaudhuri & Fiete 2020): one winner with input 1, the other N − 1
 *   options 1 − Δ;
 * - the bars data set (Földiák 1990): an 8 × 8 grid, each of the 16 lines (8 horizontal, 8
 *   vertical) on independently with probability 1/8; pixels where lines cross are 1.
 */
import type { Rng } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';

/** Inputs of a WTA decision: winner's input, gap Δ to the others, position of the winner. */
export interface WtaInputOptions {
  /** Gap between the winner and the others (default 0.05). */
  delta?: number;
  /** Input of the winner (default 1). */
  top?: number;
  /** Index of the winner (default 0); with `rng`, drawn uniformly instead. */
  winner?: number;
  rng?: Rng;
}

/** One WTA input vector: `top` for the winner, `top − Δ` for the N − 1 others. */
export function wtaInputs(N: number, o: WtaInputOptions = {}): { b: Float64Array; winner: number } {
  if (!(Number.isInteger(N) && N >= 2)) throw new ShapeError(`wtaInputs: N = ${N} must be an integer ≥ 2`);
  const delta = o.delta ?? 0.05;
  const top = o.top ?? 1;
  if (!(delta > 0 && delta < top)) throw new ShapeError(`wtaInputs: Δ = ${delta} must be in (0, ${top})`);
  const winner = o.rng ? o.rng.int(N) : (o.winner ?? 0);
  if (!(Number.isInteger(winner) && winner >= 0 && winner < N))
    throw new ShapeError(`wtaInputs: winner ${winner} is not a unit index in [0, ${N})`);
  const b = new Float64Array(N).fill(top - delta);
  b[winner] = top;
  return { b, winner };
}

/** Grid size, line probability and count of a bars data set (Földiák 1990). */
export interface BarsOptions {
  /** Grid side (default 8: 16 lines on 64 pixels). */
  size?: number;
  /** Probability that each line is on (default 1/8). */
  p?: number;
  /** Number of patterns. */
  count: number;
  rng: Rng;
}

/** Bars images and which lines each one holds. */
export interface BarsDataset {
  size: number;
  count: number;
  /** [count, size²] binary pixels, row-major images. */
  x: Float32Array;
  /** `[count, 2·size]`: which lines are on (0…size−1 horizontal rows, size…2·size−1 vertical columns). */
  lines: Uint8Array;
}

/** The image of one line alone (index < size: horizontal row; otherwise vertical column). */
export function barImage(line: number, size = 8): Float32Array {
  if (!(Number.isInteger(line) && line >= 0 && line < 2 * size)) throw new ShapeError(`barImage: line ${line} is not in [0, ${2 * size})`);
  const img = new Float32Array(size * size);
  for (let k = 0; k < size; k++) img[line < size ? line * size + k : k * size + (line - size)] = 1;
  return img;
}

/** Random bars patterns, seeded. */
export function barsDataset(o: BarsOptions): BarsDataset {
  const size = o.size ?? 8;
  const p = o.p ?? 1 / 8;
  if (!(Number.isInteger(size) && size >= 2)) throw new ShapeError(`barsDataset: size ${size} must be an integer ≥ 2`);
  if (!(p >= 0 && p <= 1)) throw new ShapeError(`barsDataset: p = ${p} must be in [0, 1]`);
  if (!(Number.isInteger(o.count) && o.count >= 0)) throw new ShapeError(`barsDataset: count ${o.count} must be a non-negative integer`);
  const L = 2 * size;
  const x = new Float32Array(o.count * size * size);
  const lines = new Uint8Array(o.count * L);
  for (let n = 0; n < o.count; n++) {
    const img = x.subarray(n * size * size, (n + 1) * size * size);
    for (let l = 0; l < L; l++) {
      if (o.rng.random() >= p) continue;
      lines[n * L + l] = 1;
      for (let k = 0; k < size; k++) img[l < size ? l * size + k : k * size + (l - size)] = 1;
    }
  }
  return { size, count: o.count, x, lines };
}
