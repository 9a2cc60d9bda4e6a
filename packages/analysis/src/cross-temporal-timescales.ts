/**
 * Cross-temporal cue decoding by long- and short-timescale units (Kim & Sejnowski 2021 Fig. 3;
 * the authors' `model/cross_temporal_disc.m` splits at the 25th/75th percentiles, the issue at
 * hand asks for a median split with equal unit counts so that the two groups are comparable).
 *
 * Units with a finite τ are sorted; the upper half is the long-τ group, the lower half the
 * short-τ group (a middle unit is left out when the count is odd). Each group's activity
 * [trials, units, time] is decoded with `crossTemporalDecoding` (nearest centroid trained on odd
 * trials at t₁, tested on even trials at t₂), and the delay accuracy is the mean of the diagonal
 * (t₁ = t₂) over the delay bins.
 *
 * @example
 * ```ts
 * const r = crossTemporalByTimescale(counts, cue, tauMs, { from: 8, to: 23 });
 * r.long.delayAccuracy; r.short.delayAccuracy; r.long.matrix;   // [T × T]
 * ```
 */
import { assertShape, type NDArray, ShapeError } from '@wmkit/tensor';
import { crossTemporalDecoding } from './decoding';

/** The long- and short-τ halves of the units with a finite τ (equal sizes; indices sorted by τ). */
export function timescaleHalves(tauMs: ArrayLike<number>): { long: number[]; short: number[] } {
  const ok = Array.from({ length: tauMs.length }, (_, i) => i)
    .filter((i) => Number.isFinite(tauMs[i]))
    .sort((a, b) => tauMs[a] - tauMs[b]);
  const h = Math.floor(ok.length / 2);
  return { short: ok.slice(0, h), long: ok.slice(ok.length - h) };
}

/** One group's cross-temporal decoding. */
export interface GroupDecoding {
  units: number[];
  /** Accuracy [train time × test time]. */
  matrix: NDArray<Float64Array>;
  /** Mean diagonal accuracy over the delay bins. */
  delayAccuracy: number;
}

/** Long- vs short-τ cross-temporal decoding of a two-class cue. */
export interface TimescaleDecoding {
  long: GroupDecoding;
  short: GroupDecoding;
  /** Delay bins [from, to) used for `delayAccuracy`. */
  delay: { from: number; to: number };
}

/** Decodes the cue from the long-τ and the short-τ halves of the units. */
export function crossTemporalByTimescale(
  rates: NDArray,
  labels: ArrayLike<number>,
  tauMs: ArrayLike<number>,
  delay: { from: number; to: number },
): TimescaleDecoding {
  const { units, time } = assertShape('crossTemporalByTimescale: rates', rates.shape, ['trials', 'units', 'time']);
  if (tauMs.length !== units)
    throw new ShapeError(`crossTemporalByTimescale: ${units} units in the activity but ${tauMs.length} timescales`);
  if (!(Number.isInteger(delay.from) && Number.isInteger(delay.to) && delay.from >= 0 && delay.to <= time && delay.from < delay.to))
    throw new ShapeError(`crossTemporalByTimescale: delay bins [${delay.from}, ${delay.to}) must lie within the ${time} time bins`);
  const halves = timescaleHalves(tauMs);
  if (halves.long.length < 1)
    throw new ShapeError('crossTemporalByTimescale: fewer than 2 units have a timescale; nothing to split into long and short halves');
  const group = (u: number[]): GroupDecoding => {
    const matrix = crossTemporalDecoding(rates, labels, u);
    let s = 0;
    for (let t = delay.from; t < delay.to; t++) s += matrix.data[t * time + t];
    return { units: u, matrix, delayAccuracy: s / (delay.to - delay.from) };
  };
  return { long: group(halves.long), short: group(halves.short), delay };
}
