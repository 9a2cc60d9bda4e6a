/**
 * Recorded (or exported) spike data → spike counts [trials, units, bins] for the analyses: reads
 * the file and hands its bytes to the layout parsers of @wmkit/data-io (layouts listed in
 * `SPIKE_LAYOUTS`, documented in `wmkit analyze timescales --help`); spike times are binned with
 * `binSpikeTimes` of @wmkit/analysis. A file that does not hold a layout is a usage error (exit 2).
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { binSpikeTimes, checkSpikeCounts } from '@wmkit/analysis';
import { type RecordedSpikes, RecordingFormatError, SPIKE_LAYOUTS, spikesFromMat, spikesFromNpy, spikesFromNwb } from '@wmkit/data-io';
import { readNwb } from '@wmkit/data-io/node';
import type { NDArray } from '@wmkit/tensor';
import { UsageError } from '../../errors';

export { SPIKE_LAYOUTS };

export interface LoadedCounts {
  counts: NDArray;
  binMs: number;
  /** Where the data came from, in words. */
  description: string;
}

/** The bytes of a recorded file (a usage error names it when it cannot be read). */
export function readRecordedFile(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch {
    throw new UsageError(`${file}: cannot read the file`);
  }
}

/** Runs a layout parser; a file in the wrong layout is the user's to fix (exit code 2). */
export async function asUsage<T>(parse: () => T | Promise<T>): Promise<T> {
  try {
    return await parse();
  } catch (err) {
    if (err instanceof RecordingFormatError) throw new UsageError(err.message);
    throw err;
  }
}

/** Counts [trials, units, bins] of recorded spikes (spike times binned from 0 to the window). */
export function spikeCounts(s: RecordedSpikes): { data: Float32Array | Float64Array; shape: number[] } {
  return s.kind === 'counts' ? s.counts : binSpikeTimes(s.spikeTimes, { binMs: s.binMs, startMs: 0, endMs: s.windowMs });
}

/** Loads spike data in any documented layout as counts. */
export async function loadSpikeCounts(file: string, o: { binMs?: number; windowMs?: number }): Promise<LoadedCounts> {
  const ext = extname(file).toLowerCase();
  const s = await asUsage(async () => {
    if (ext === '.nwb' || ext === '.h5') return spikesFromNwb(await readNwb(file), file, o);
    const bytes = readRecordedFile(file);
    if (ext === '.npy') return spikesFromNpy(bytes, file, o);
    if (ext === '.mat') return spikesFromMat(bytes, file, o);
    throw new UsageError(`${file}: unknown extension '${ext}'. ${SPIKE_LAYOUTS}`);
  });
  const c = spikeCounts(s);
  // finite, non-negative, whole counts from ≥ 3 trials: the error names the file and the first bad element
  checkSpikeCounts(`${file}: ${s.kind === 'counts' ? (ext === '.mat' ? "variable 'counts'" : 'counts') : 'binned spike times'}`, c);
  const data = c.data instanceof Float32Array ? c.data : Float32Array.from(c.data);
  return { counts: { data, shape: c.shape }, binMs: s.binMs, description: s.description };
}
