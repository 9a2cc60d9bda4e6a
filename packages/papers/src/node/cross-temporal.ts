/**
 * Cross-temporal decoding of recorded data (Kim & Sejnowski 2021 Fig. 3, on a recording): spike
 * counts in any layout `readSpikeCounts` reads, the cue of each trial and τ per unit from .npy
 * files, and the delay period in ms. A file in the wrong layout or of the wrong length is a
 * `RecordingFormatError` naming the file and both shapes.
 */
import { npyToFloat32, RecordingFormatError } from '@wmkit/data-io';
import { readNpyFile } from '@wmkit/data-io/node';
import { crossTemporalOfCounts } from '../ei-rnn-runs';
import { type RecordingReadOptions, readSpikeCounts } from './recordings';

/** One value per `lengthName` (`length` of them) from a 1-D .npy file. */
function readVector(file: string, what: string, length: number, lengthName: string): Float32Array {
  const arr = npyToFloat32(readNpyFile(file));
  if (arr.shape.length !== 1 || arr.shape[0] !== length)
    throw new RecordingFormatError(`${file}: ${what} has shape [${arr.shape.join(', ')}]; expected [${length}] (one per ${lengthName})`);
  return arr.data as Float32Array;
}

/** The files of a recorded cross-temporal decoding and its delay period. */
export interface RecordedCrossTemporalInputs {
  /** Spike data (.npy, .mat or .nwb; `readSpikeCounts`). */
  spikes: string;
  /** .npy with the cue of each trial (two values). */
  labels: string;
  /** .npy with τ per unit in ms (NaN: none). */
  tau: string;
  /** The delay period [from, to] in ms from the trial's start. */
  delayMs: readonly number[];
}

/**
 * Decodes the cue across time from the long-τ and the short-τ half of the recorded units
 * (`crossTemporalOfCounts`): the decoding, the bin centres (ms), the labels and the bin width.
 */
export async function recordedCrossTemporal(f: RecordedCrossTemporalInputs, o: RecordingReadOptions = {}) {
  const { counts, binMs } = await readSpikeCounts(f.spikes, o);
  const [trials, units] = counts.shape;
  const labels = readVector(f.labels, 'the labels', trials, 'trial');
  const tau = readVector(f.tau, 'the timescales', units, 'unit');
  const { decoding, timesMs } = crossTemporalOfCounts(counts, labels, tau, binMs, f.delayMs);
  return { decoding, timesMs, labels, binMs };
}
