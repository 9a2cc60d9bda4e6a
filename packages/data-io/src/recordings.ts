/**
 * Recorded spike data: the layouts wmkit reads, parsed from bytes already read (or, for NWB, from
 * the tables `readNwb` of `@wmkit/data-io/node` returns). Spike-time layouts come back as spike
 * times per trial and unit (ms from each trial's start) with the window to count them in; binning
 * them into counts is `binSpikeTimes` of @wmkit/analysis. Problems with a file are
 * `RecordingFormatError`s that name the file and the layout expected.
 *
 * Spike layouts (any analysis of counts [trials, units, bins]):
 * - `.npy` 3-D: binned counts [trials, units, bins];
 * - `.npy` 2-D [n, 3]: one spike per row (trial, unit, time in ms), 0-based trial and unit;
 * - `.mat`: a variable `counts` [trials × units × bins], or `spike_times`, a cell array trials ×
 *   units of spike-time vectors in ms (with `trial_ms`, the trial length, or a window); optional
 *   scalar `bin_ms`;
 * - `.nwb`: the units table (spike times in s) cut into the trials table's intervals, from each
 *   trial's start over a window (default: the shortest trial).
 *
 * Oculomotor delayed-response layouts (cues, responses and spikes, for the analyses of Wimmer et
 * al. 2014):
 * - `.mat`: `counts` (trials × units × bins, one session) or `sessions` (struct array with fields
 *   counts, cue, response); `cue` (cue index per trial, 1-based as in MATLAB), `response`
 *   (response angle per trial, rad; NaN = none), `cue_angles` (rad, one per cue; default 8 cues
 *   evenly spaced from 0), optional `bin_ms` (default 50). Trial time 0 = the first bin.
 * - `.nwb`: the units table and the trials table with columns `cue` (index, 0-based) or
 *   `cue_angle` (rad), and `response` (rad); spikes are counted from each trial's start. All units
 *   form one session (recorded simultaneously).
 */
import { UserError } from '@wmkit/tensor';
import type { NwbRecording } from './hdf5';
import { type MatValue, matToFloat64, readMat } from './mat';
import { decodeNpy } from './npy';

/** A recorded file that does not hold a layout wmkit reads. */
export class RecordingFormatError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'RecordingFormatError';
  }
}

/** The spike layouts, in one line (for help texts and errors). */
export const SPIKE_LAYOUTS =
  'Layouts: .npy [trials, units, bins] counts or [n, 3] rows (trial, unit, time_ms); ' +
  '.mat with `counts` (trials × units × bins) or `spike_times` (cell trials × units, ms) + `trial_ms`; ' +
  '.nwb units + trials tables (spike times in s).';

/** The oculomotor delayed-response layouts, in one line. */
export const ODR_LAYOUTS =
  '.mat: counts (trials × units × bins) or sessions (struct array: counts, cue, response), cue (1-based), response (rad), optional cue_angles, bin_ms; .nwb: units + trials with columns cue (0-based) or cue_angle (rad) and response (rad)';

/** Spike counts [trials, units, bins] as recorded. */
export interface RecordedCounts {
  kind: 'counts';
  counts: { data: Float32Array | Float64Array; shape: number[] };
  binMs: number;
  /** Where the data came from, in words. */
  description: string;
}

/** Spike times per trial and unit (ms from the trial's start), to be counted in [0, windowMs). */
export interface RecordedSpikeTimes {
  kind: 'spikes';
  spikeTimes: number[][][];
  windowMs: number;
  binMs: number;
  description: string;
}

/** Recorded spikes as loaded: counts [trials, units, bins] or spike times per trial and unit. */
export type RecordedSpikes = RecordedCounts | RecordedSpikeTimes;

/** Bin width and window options of the spike layouts. */
export interface SpikeLayoutOptions {
  /** Bin width (ms; default the file's `bin_ms`, else 50). */
  binMs?: number;
  /** Window from each trial's start (ms) for spike times (default: the file's trial length or the shortest trial). */
  windowMs?: number;
}

function fromRows(rows: Float64Array, n: number, binMs: number, windowMs: number | undefined, source: string): RecordedSpikeTimes {
  let trials = 0;
  let units = 0;
  let maxT = 0;
  for (let k = 0; k < n; k++) {
    const [tr, u, t] = [rows[3 * k] as number, rows[3 * k + 1] as number, rows[3 * k + 2] as number];
    if (!(Number.isInteger(tr) && tr >= 0 && Number.isInteger(u) && u >= 0 && Number.isFinite(t)))
      throw new RecordingFormatError(`${source}: row ${k} (${tr}, ${u}, ${t}) is not (trial ≥ 0, unit ≥ 0, time in ms)`);
    trials = Math.max(trials, tr + 1);
    units = Math.max(units, u + 1);
    maxT = Math.max(maxT, t);
  }
  const end = windowMs ?? Math.ceil((maxT + 1e-9) / binMs) * binMs;
  const st: number[][][] = Array.from({ length: trials }, () => Array.from({ length: units }, () => []));
  for (let k = 0; k < n; k++) st[rows[3 * k] as number]?.[rows[3 * k + 1] as number]?.push(rows[3 * k + 2] as number);
  return { kind: 'spikes', spikeTimes: st, windowMs: end, binMs, description: `${n} spikes of ${units} units in ${trials} trials` };
}

function matScalar(v: MatValue | undefined): number | undefined {
  if (!v) return undefined;
  const x = matToFloat64(v);
  return x.data.length === 1 ? x.data[0] : undefined;
}

/** Spike data from a `.npy` file's bytes: counts [trials, units, bins] or spike rows [n, 3]. */
export function spikesFromNpy(bytes: Uint8Array, source: string, o: SpikeLayoutOptions = {}): RecordedSpikes {
  const a = decodeNpy(bytes, source);
  const data = Float64Array.from(a.data as ArrayLike<number | bigint>, Number);
  if (a.shape.length === 3) {
    const binMs = o.binMs ?? 50;
    return {
      kind: 'counts',
      counts: { data: Float32Array.from(data), shape: [...a.shape] },
      binMs,
      description: `counts ${a.shape.join('×')} (trials × units × bins of ${binMs} ms)`,
    };
  }
  if (a.shape.length === 2 && a.shape[1] === 3) return fromRows(data, a.shape[0] as number, o.binMs ?? 50, o.windowMs, source);
  throw new RecordingFormatError(
    `${source}: array of shape [${a.shape.join(', ')}]; expected counts [trials, units, bins] or spike rows [n, 3]. ${SPIKE_LAYOUTS}`,
  );
}

/** Spike data from a `.mat` file's bytes: `counts`, or `spike_times` with `trial_ms`. */
export function spikesFromMat(bytes: Uint8Array, source: string, o: SpikeLayoutOptions = {}): RecordedSpikes {
  const vars = readMat(bytes, source).variables;
  const binMs = o.binMs ?? matScalar(vars.bin_ms) ?? 50;
  if (vars.counts) {
    const c = matToFloat64(vars.counts, `${source}: counts`);
    if (c.shape.length !== 3)
      throw new RecordingFormatError(`${source}: 'counts' has size ${c.shape.join('×')}, expected trials × units × bins`);
    return {
      kind: 'counts',
      counts: { data: Float32Array.from(c.data), shape: c.shape },
      binMs,
      description: `counts ${c.shape.join('×')} from ${source}`,
    };
  }
  if (vars.spike_times) {
    const cell = vars.spike_times;
    if (cell.kind !== 'cell' || cell.shape.length !== 2)
      throw new RecordingFormatError(`${source}: 'spike_times' must be a cell array trials × units`);
    const [trials, units] = cell.shape as [number, number];
    const windowMs = o.windowMs ?? matScalar(vars.trial_ms);
    if (!windowMs)
      throw new RecordingFormatError(`${source}: 'spike_times' needs the trial length: a variable 'trial_ms' or a window (--window-ms)`);
    const st = Array.from({ length: trials }, (_, r) =>
      Array.from({ length: units }, (_, u) =>
        Array.from(matToFloat64(cell.elements[r * units + u] as MatValue, `${source}: spike_times{${r + 1},${u + 1}}`).data),
      ),
    );
    return {
      kind: 'spikes',
      spikeTimes: st,
      windowMs,
      binMs,
      description: `spike times of ${units} units in ${trials} trials from ${source}`,
    };
  }
  throw new RecordingFormatError(
    `${source}: no 'counts' or 'spike_times' variable (found: ${Object.keys(vars).join(', ') || 'none'}). ${SPIKE_LAYOUTS}`,
  );
}

/** Spike data from an NWB recording's units and trials tables. */
export function spikesFromNwb(rec: NwbRecording, source: string, o: SpikeLayoutOptions = {}): RecordedSpikeTimes {
  if (!rec.trials) throw new RecordingFormatError(`${source}: no /intervals/trials table; the spike times need trials to be cut into`);
  const binMs = o.binMs ?? 50;
  const { st, windowMs } = nwbTrialSpikes(rec.spikeTimes, rec.trials, o.windowMs);
  return {
    kind: 'spikes',
    spikeTimes: st,
    windowMs,
    binMs,
    description: `${rec.spikeTimes.length} units × ${st.length} trials from ${source} (first ${windowMs.toFixed(0)} ms of each trial)`,
  };
}

/**
 * An NWB recording's spike times cut into its trials: [trial][unit] times in ms from each trial's
 * start, those in [0, windowMs); windowMs defaults to the shortest trial.
 */
export function nwbTrialSpikes(
  spikeTimes: NwbRecording['spikeTimes'],
  trials: NonNullable<NwbRecording['trials']>,
  windowMs?: number,
): { st: number[][][]; windowMs: number } {
  const w = windowMs ?? Math.min(...Array.from(trials.stop, (s, i) => (s - (trials.start[i] as number)) * 1000));
  const st = Array.from(trials.start, (t0) =>
    spikeTimes.map((times) => {
      const out: number[] = [];
      for (const t of times) {
        const ms = (t - t0) * 1000;
        if (ms >= 0 && ms < w) out.push(ms);
      }
      return out;
    }),
  );
  return { st, windowMs: w };
}

/** One session of an oculomotor delayed-response recording: cues (0-based), responses (rad), spikes. */
export interface OdrRecordedSession {
  cue: number[];
  response: ArrayLike<number>;
  spikes: RecordedSpikes;
}

/** An oculomotor delayed-response recording: sessions, the cue angles (rad) and the bin width. */
export interface OdrRecording {
  sessions: OdrRecordedSession[];
  cueAngles: number[];
  binMs: number;
}

function evenCues(n: number): number[] {
  return Array.from({ length: n }, (_, i) => (2 * Math.PI * i) / n);
}

function cueIndices(angles: ArrayLike<number>, cueAngles: number[], source: string): number[] {
  return Array.from(angles, (a, t) => {
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    cueAngles.forEach((c, i) => {
      const d = Math.abs(Math.atan2(Math.sin(a - c), Math.cos(a - c)));
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    });
    if (bestD > 1e-3)
      throw new RecordingFormatError(`${source}: trial ${t} has cue angle ${a}, which is not one of the ${cueAngles.length} cue angles`);
    return best;
  });
}

/** An oculomotor delayed-response recording from a `.mat` file's bytes. */
export function odrFromMat(bytes: Uint8Array, source: string, o: { binMs?: number } = {}): OdrRecording {
  const v = readMat(bytes, source).variables;
  const num = (x: MatValue | undefined, what: string) => {
    if (!x) throw new RecordingFormatError(`${source}: missing variable '${what}' (${ODR_LAYOUTS})`);
    return matToFloat64(x, `${source}: ${what}`);
  };
  const binMs = o.binMs ?? (v.bin_ms ? (num(v.bin_ms, 'bin_ms').data[0] as number) : 50);
  const session = (
    counts: MatValue | undefined,
    cue: MatValue | undefined,
    response: MatValue | undefined,
    where: string,
  ): OdrRecordedSession => {
    const c = num(counts, `${where}counts`);
    if (c.shape.length !== 3)
      throw new RecordingFormatError(`${source}: '${where}counts' has size ${c.shape.join('×')}, expected trials × units × bins`);
    const cues = Array.from(num(cue, `${where}cue`).data, (x) => x - 1);
    const resp = num(response, `${where}response`).data;
    if (cues.length !== c.shape[0] || resp.length !== c.shape[0])
      throw new RecordingFormatError(
        `${source}: ${c.shape[0]} trials of '${where}counts' but ${cues.length} cues and ${resp.length} responses`,
      );
    return {
      cue: cues,
      response: resp,
      spikes: { kind: 'counts', counts: { data: c.data, shape: c.shape }, binMs, description: `${where}counts` },
    };
  };
  let sessions: OdrRecordedSession[];
  if (v.sessions) {
    const s = v.sessions;
    if (s.kind !== 'struct')
      throw new RecordingFormatError(`${source}: 'sessions' must be a struct array with fields counts, cue, response`);
    sessions = s.elements.map((e, i) => session(e.counts, e.cue, e.response, `sessions(${i + 1}).`));
  } else sessions = [session(v.counts, v.cue, v.response, '')];
  const maxCue = Math.max(...sessions.flatMap((s) => s.cue));
  const cueAngles = v.cue_angles ? Array.from(num(v.cue_angles, 'cue_angles').data) : evenCues(Math.max(8, maxCue + 1));
  for (const s of sessions)
    for (const c of s.cue)
      if (!(Number.isInteger(c) && c >= 0 && c < cueAngles.length))
        throw new RecordingFormatError(`${source}: cue index ${c + 1} is outside 1…${cueAngles.length}`);
  return { sessions, cueAngles, binMs };
}

/** An oculomotor delayed-response recording from an NWB recording (one session of all units). */
export function odrFromNwb(rec: NwbRecording, source: string, o: SpikeLayoutOptions = {}): OdrRecording {
  if (!rec.trials) throw new RecordingFormatError(`${source}: no /intervals/trials table (${ODR_LAYOUTS})`);
  const cols = rec.trials.columns;
  const response = cols.response;
  if (!response) throw new RecordingFormatError(`${source}: the trials table has no 'response' column (response angle, rad)`);
  let cue: number[];
  let cueAngles: number[];
  if (cols.cue) {
    cue = Array.from(cols.cue);
    cueAngles = evenCues(Math.max(8, Math.max(...cue) + 1));
  } else if (cols.cue_angle) {
    cueAngles = [...new Set(Array.from(cols.cue_angle, (a) => Math.round(a * 1e6) / 1e6))].sort((a, b) => a - b);
    cue = cueIndices(cols.cue_angle, cueAngles, source);
  } else throw new RecordingFormatError(`${source}: the trials table needs a 'cue' (index) or 'cue_angle' (rad) column`);
  const binMs = o.binMs ?? 50;
  return { sessions: [{ cue, response, spikes: spikesFromNwb(rec, source, { ...o, binMs }) }], cueAngles, binMs };
}
