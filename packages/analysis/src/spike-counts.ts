/**
 * Spike trains ↔ binned counts, the layout every count-based analysis takes:
 * `counts` NDArray [trials, units, bins].
 *
 * Spike trains are given per trial and unit as spike times in ms from the trial's start
 * (the layout of recorded data in wmkit: see @wmkit/data-io).
 *
 * @example
 * ```ts
 * const counts = binSpikeTimes(spikeTimes, { binMs: 50, startMs: 0, endMs: 1050 });
 * ```
 */
import type { NDArray } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';

/** spikeTimes[trial][unit] = times (ms). Bins [start + iΔ, start + (i+1)Δ). */
export function binSpikeTimes(
  spikeTimes: ArrayLike<number>[][],
  opts: { binMs: number; startMs: number; endMs: number /** Names the data in errors (file and variable). */; source?: string },
): NDArray {
  const { binMs, startMs, endMs } = opts;
  const source = opts.source ?? 'binSpikeTimes';
  if (!(binMs > 0) || !(endMs > startMs))
    throw new ShapeError(`binSpikeTimes: need binMs > 0 and endMs > startMs (got ${binMs}, ${startMs}, ${endMs})`);
  const bins = Math.floor((endMs - startMs) / binMs + 1e-9);
  const trials = spikeTimes.length;
  const units = trials ? spikeTimes[0].length : 0;
  const data = new Float32Array(trials * units * bins);
  spikeTimes.forEach((tr, r) => {
    if (tr.length !== units) throw new ShapeError(`binSpikeTimes: trial ${r} has ${tr.length} units, trial 0 has ${units}`);
    tr.forEach((times, u) => {
      for (let i = 0; i < times.length; i++) {
        // a NaN time would fall in no bin and vanish without a word
        if (!Number.isFinite(times[i]))
          throw new ShapeError(`${source}: spike time ${i} of trial ${r}, unit ${u} (0-based) is ${times[i]} (expected finite ms)`);
        const b = Math.floor((times[i] - startMs) / binMs);
        if (b >= 0 && b < bins) data[(r * units + u) * bins + b] += 1;
      }
    });
  });
  return { data, shape: [trials, units, bins] };
}

/** Sums adjacent bins: counts [trials, units, bins] → [trials, units, ⌊bins/factor⌋]. */
export function rebinCounts(counts: NDArray, factor: number): NDArray {
  const [trials, units, bins] = counts.shape;
  if (!Number.isInteger(factor) || factor < 1) throw new ShapeError(`rebinCounts: factor (${factor}) must be a positive integer`);
  const nb = Math.floor(bins / factor);
  const data = new Float32Array(trials * units * nb);
  for (let r = 0; r < trials * units; r++)
    for (let b = 0; b < nb * factor; b++) data[r * nb + Math.floor(b / factor)] += counts.data[r * bins + b];
  return { data, shape: [trials, units, nb] };
}
