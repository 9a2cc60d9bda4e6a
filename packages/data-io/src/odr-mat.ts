/**
 * Recorded-trial data sets (sessions of spike counts with cues and responses) written as the
 * recordings .mat layout that `odrFromMat` reads: a struct array `sessions` with `counts`
 * [trials, units, bins], 1-based `cue` and `response` (rad), and `cue_angles`, `bin_ms`.
 */
import { type MatWritable, writeMat } from './mat';

/** A data set in the recordings layout (cues 0-based here). */
export interface OdrSessionsData {
  sessions: { counts: { data: ArrayLike<number>; shape: number[] }; cue: ArrayLike<number>; response: ArrayLike<number> }[];
  cueAngles: ArrayLike<number>;
  binMs: number;
}

/** The data set as a compressed Level 5 MAT-file in the recordings layout. */
export function odrDatasetToMat(d: OdrSessionsData): Uint8Array {
  const sessions: Record<string, MatWritable>[] = d.sessions.map((s) => ({
    counts: { data: Float32Array.from(s.counts.data), shape: s.counts.shape },
    cue: { data: Float64Array.from(s.cue, (c) => c + 1), shape: [s.cue.length, 1] },
    response: { data: Float64Array.from(s.response), shape: [s.response.length, 1] },
  }));
  return writeMat(
    {
      sessions: { kind: 'struct-array', shape: [1, sessions.length], elements: sessions },
      cue_angles: { data: Float64Array.from(d.cueAngles), shape: [1, d.cueAngles.length] },
      bin_ms: d.binMs,
    },
    { compress: true },
  );
}
