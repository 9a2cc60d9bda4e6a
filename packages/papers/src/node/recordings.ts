/**
 * Recorded (or exported) data files → what the analyses take (Node only): spike counts
 * [trials, units, bins] for the timescale, Fano and cross-temporal analyses (`readSpikeCounts`),
 * and the trials of an oculomotor delayed-response data set for the Wimmer et al. 2014 analyses
 * (`readOdrDataset`). The layouts (`SPIKE_LAYOUTS`, `ODR_LAYOUTS`) are parsed by @wmkit/data-io;
 * spike times are binned with `binSpikeTimes` of @wmkit/analysis. A file that cannot be read or
 * does not hold a layout is a `RecordingFormatError` naming the file; bad values are named by
 * the checks of @wmkit/analysis (the file, the variable, the first bad element).
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { binSpikeTimes, checkOdrDataset, checkSpikeCounts, type OdrDataset } from '@wmkit/analysis';
import {
  ODR_LAYOUTS,
  type OdrRecording,
  odrFromMat,
  odrFromNwb,
  type RecordedSpikes,
  RecordingFormatError,
  SPIKE_LAYOUTS,
  spikesFromMat,
  spikesFromNpy,
  spikesFromNwb,
} from '@wmkit/data-io';
import { readNwb } from '@wmkit/data-io/node';
import type { NDArray } from '@wmkit/tensor';

/** Spike counts read from a file, with their bin width and where they came from. */
export interface RecordedCounts {
  counts: NDArray;
  binMs: number;
  /** Where the data came from, in words. */
  description: string;
}

/** Options of the readers: the bin width for spike times, and the analysis window from each trial's start. */
export interface RecordingReadOptions {
  binMs?: number;
  windowMs?: number;
}

/** The bytes of a recorded file (a RecordingFormatError names it when it cannot be read). */
function readRecordedFile(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch {
    throw new RecordingFormatError(`${file}: cannot read the file`);
  }
}

/** Counts [trials, units, bins] of recorded spikes (spike times binned from 0 to the window). */
export function recordedSpikeCounts(s: RecordedSpikes): { data: Float32Array | Float64Array; shape: number[] } {
  return s.kind === 'counts' ? s.counts : binSpikeTimes(s.spikeTimes, { binMs: s.binMs, startMs: 0, endMs: s.windowMs });
}

/** Spike data in any layout of `SPIKE_LAYOUTS` (.npy, .mat, .nwb) as float32 counts, checked. */
export async function readSpikeCounts(file: string, o: RecordingReadOptions = {}): Promise<RecordedCounts> {
  const ext = extname(file).toLowerCase();
  let s: RecordedSpikes;
  if (ext === '.nwb' || ext === '.h5') s = spikesFromNwb(await readNwb(file), file, o);
  else if (ext === '.npy') s = spikesFromNpy(readRecordedFile(file), file, o);
  else if (ext === '.mat') s = spikesFromMat(readRecordedFile(file), file, o);
  else throw new RecordingFormatError(`${file}: unknown extension '${ext}'. ${SPIKE_LAYOUTS}`);
  const c = recordedSpikeCounts(s);
  // finite, non-negative, whole counts from ≥ 3 trials: the error names the file and the first bad element
  checkSpikeCounts(`${file}: ${s.kind === 'counts' ? (ext === '.mat' ? "variable 'counts'" : 'counts') : 'binned spike times'}`, c);
  const data = c.data instanceof Float32Array ? c.data : Float32Array.from(c.data);
  return { counts: { data, shape: c.shape }, binMs: s.binMs, description: s.description };
}

/** Recorded trials with cues and responses (a layout of `ODR_LAYOUTS`: .mat or .nwb) as the data set the analyses take, checked. */
export async function readOdrDataset(file: string, o: RecordingReadOptions = {}): Promise<OdrDataset> {
  const ext = extname(file).toLowerCase();
  let rec: OdrRecording;
  if (ext === '.mat') rec = odrFromMat(readRecordedFile(file), file, o);
  else if (ext === '.nwb' || ext === '.h5') rec = odrFromNwb(await readNwb(file), file, o);
  else throw new RecordingFormatError(`${file}: unknown extension '${ext}' (${ODR_LAYOUTS})`);
  const data = {
    sessions: rec.sessions.map((s) => ({ cue: s.cue, response: s.response, counts: recordedSpikeCounts(s.spikes) })),
    cueAngles: rec.cueAngles,
    binMs: rec.binMs,
  };
  // finite responses and cues, finite non-negative counts: the error names the file, the variable and the first bad element
  const many = data.sessions.length > 1;
  checkOdrDataset(data, (f, i) =>
    ext === '.mat'
      ? `${file}: variable '${i === undefined || !many ? f : `sessions(${i + 1}).${f}`}'`
      : `${file}: ${f === 'counts' ? 'units table' : `trials table column '${f}'`}`,
  );
  return data;
}
