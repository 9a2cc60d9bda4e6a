/**
 * Spike trains as per-step event lists (compressed sparse rows over time): `off[t]..off[t+1]`
 * index the neurons that spiked at step t. The event-driven kernels read and write this form;
 * `denseToEvents`/`eventsToDense` convert from and to [N, steps] Boolean rasters.
 */

import type { SpikeEvents } from '@wmkit/tasks';

/** Spikes of one pattern: per-step neuron lists (defined in @wmkit/tasks, whose `cueInputEvents` makes them). */
export type { SpikeEvents };

/** Events of pattern `m` of a [M, N, steps] Boolean array (neuron-major rows). */
export function denseToEvents(data: Uint8Array, N: number, steps: number, m = 0): SpikeEvents {
  const base = m * N * steps;
  const end = base + N * steps;
  // Rasters are sparse: one pass finds the spikes (skipping four zero bytes at a time through a
  // 32-bit view of the aligned middle), then a counting sort by step keeps neurons ascending.
  let units = new Int32Array(256);
  let times = new Int32Array(256);
  let n = 0;
  const push = (p: number) => {
    if (n === units.length) {
      const u = new Int32Array(2 * n);
      u.set(units);
      units = u;
      const t = new Int32Array(2 * n);
      t.set(times);
      times = t;
    }
    const i = ((p - base) / steps) | 0;
    units[n] = i;
    times[n++] = p - base - i * steps;
  };
  let p = base;
  const head = Math.min(end, base + ((4 - ((data.byteOffset + base) & 3)) & 3));
  for (; p < head; p++) if (data[p]) push(p);
  const nWords = (end - p) >> 2;
  if (nWords > 0) {
    const words = new Uint32Array(data.buffer, data.byteOffset + p, nWords);
    for (let w = 0; w < nWords; w++)
      if (words[w] !== 0) {
        const q = p + 4 * w;
        for (let k = 0; k < 4; k++) if (data[q + k]) push(q + k);
      }
    p += 4 * nWords;
  }
  for (; p < end; p++) if (data[p]) push(p);
  const off = new Int32Array(steps + 1);
  for (let q = 0; q < n; q++) off[times[q] + 1] += 1;
  for (let t = 0; t < steps; t++) off[t + 1] += off[t];
  const idx = new Int32Array(n);
  const fill = off.slice(0, steps);
  for (let q = 0; q < n; q++) idx[fill[times[q]]++] = units[q];
  return { steps, off, idx };
}

/** Writes events into rows of a [N, steps] raster (pattern `m` of a [M, N, steps] array). */
export function eventsToDense(ev: SpikeEvents, N: number, out?: Uint8Array, m = 0): Uint8Array {
  const o = out ?? new Uint8Array(N * ev.steps);
  const base = m * N * ev.steps;
  for (let t = 0; t < ev.steps; t++) {
    for (let q = ev.off[t]; q < ev.off[t + 1]; q++) o[base + ev.idx[q] * ev.steps + t] = 1;
  }
  return o;
}

/** Number of events. */
export function eventCount(ev: SpikeEvents): number {
  return ev.off[ev.steps];
}

/**
 * Target events aligned on network steps: target step t appears at network step
 * `shift + t`, for target steps [from, to) only (other steps are empty).
 */
export function shiftedTargetEvents(target: SpikeEvents, shift: number, from: number, to: number, steps: number): SpikeEvents {
  const off = new Int32Array(steps + 1);
  const parts: number[] = [];
  for (let tau = 0; tau < steps; tau++) {
    const t = tau - shift;
    if (t >= from && t < to && t < target.steps) for (let q = target.off[t]; q < target.off[t + 1]; q++) parts.push(target.idx[q]);
    off[tau + 1] = parts.length;
  }
  return { steps, off, idx: Int32Array.from(parts) };
}
