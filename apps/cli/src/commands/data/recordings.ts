/**
 * Recorded (or exported) spike data → spike counts [trials, units, bins] for the analyses.
 *
 * Accepted layouts (documented in `wmkit analyze timescales --help`):
 * - `.npy` 3-D: binned counts [trials, units, bins] (bin width --bin-ms);
 * - `.npy` 2-D [n, 3]: one spike per row (trial, unit, time in ms), 0-based trial and unit;
 * - `.mat`: a variable `counts` [trials × units × bins], or `spike_times`, a cell array
 *   trials × units of spike-time vectors in ms (with `trial_ms`, the trial length, or --window-ms);
 *   optional scalar `bin_ms`;
 * - `.nwb`: the units table (spike times in s) cut into the trials table's intervals, from each
 *   trial's start over --window-ms (default: the shortest trial).
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { binSpikeTimes, checkSpikeCounts } from '@wmkit/analysis';
import { decodeNpy, type MatValue, matToFloat64, readMat } from '@wmkit/data-io';
import { type NwbRecording, readNwb } from '@wmkit/data-io/node';
import type { NDArray } from '@wmkit/tensor';
import { UsageError } from '../../errors';

export interface LoadedCounts {
  counts: NDArray;
  binMs: number;
  /** Where the data came from, in words. */
  description: string;
}

export const SPIKE_LAYOUTS =
  'Layouts: .npy [trials, units, bins] counts or [n, 3] rows (trial, unit, time_ms); ' +
  '.mat with `counts` (trials × units × bins) or `spike_times` (cell trials × units, ms) + `trial_ms`; ' +
  '.nwb units + trials tables (spike times in s).';

function fromRows(rows: Float64Array, n: number, binMs: number, windowMs: number | undefined, source: string): LoadedCounts {
  let trials = 0;
  let units = 0;
  let maxT = 0;
  for (let k = 0; k < n; k++) {
    const [tr, u, t] = [rows[3 * k], rows[3 * k + 1], rows[3 * k + 2]];
    if (!(Number.isInteger(tr) && tr >= 0 && Number.isInteger(u) && u >= 0 && Number.isFinite(t)))
      throw new UsageError(`${source}: row ${k} (${tr}, ${u}, ${t}) is not (trial ≥ 0, unit ≥ 0, time in ms)`);
    trials = Math.max(trials, tr + 1);
    units = Math.max(units, u + 1);
    maxT = Math.max(maxT, t);
  }
  const end = windowMs ?? Math.ceil((maxT + 1e-9) / binMs) * binMs;
  if (!(end > 0)) throw new UsageError(`${source}: no spike at a time > 0 ms; give the trial length with --window-ms`);
  const st: number[][][] = Array.from({ length: trials }, () => Array.from({ length: units }, () => []));
  for (let k = 0; k < n; k++) st[rows[3 * k]][rows[3 * k + 1]].push(rows[3 * k + 2]);
  return {
    counts: binSpikeTimes(st, { binMs, startMs: 0, endMs: end, source }),
    binMs,
    description: `${n} spikes of ${units} units in ${trials} trials`,
  };
}

function matScalar(v: MatValue | undefined): number | undefined {
  if (!v) return undefined;
  const x = matToFloat64(v);
  return x.data.length === 1 ? x.data[0] : undefined;
}

/** Loads spike data in any documented layout as counts. */
export async function loadSpikeCounts(file: string, o: { binMs?: number; windowMs?: number }): Promise<LoadedCounts> {
  const loaded = await loadCounts(file, o);
  if (!(Number.isFinite(loaded.binMs) && loaded.binMs > 0))
    throw new UsageError(`${file}: bin width ${loaded.binMs} ms must be > 0 (set it with --bin-ms)`);
  return loaded;
}

async function loadCounts(file: string, o: { binMs?: number; windowMs?: number }): Promise<LoadedCounts> {
  const ext = extname(file).toLowerCase();
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new UsageError(`${file}: cannot read the file`);
  }
  if (ext === '.npy') {
    const a = decodeNpy(bytes, file);
    const data = Float64Array.from(a.data as ArrayLike<number | bigint>, Number);
    if (a.shape.length === 3) {
      const binMs = o.binMs ?? 50;
      checkSpikeCounts(`${file}: counts`, { data, shape: a.shape });
      return {
        counts: { data: Float32Array.from(data), shape: [...a.shape] },
        binMs,
        description: `counts ${a.shape.join('×')} (trials × units × bins of ${binMs} ms)`,
      };
    }
    if (a.shape.length === 2 && a.shape[1] === 3) return fromRows(data, a.shape[0], o.binMs ?? 50, o.windowMs, file);
    throw new UsageError(
      `${file}: array of shape [${a.shape.join(', ')}]; expected counts [trials, units, bins] or spike rows [n, 3]. ${SPIKE_LAYOUTS}`,
    );
  }
  if (ext === '.mat') {
    const vars = readMat(bytes, file).variables;
    const binMs = o.binMs ?? matScalar(vars.bin_ms) ?? 50;
    if (vars.counts) {
      const c = matToFloat64(vars.counts, `${file}: counts`);
      if (c.shape.length !== 3) throw new UsageError(`${file}: 'counts' has size ${c.shape.join('×')}, expected trials × units × bins`);
      checkSpikeCounts(`${file}: variable 'counts'`, c);
      return {
        counts: { data: Float32Array.from(c.data), shape: c.shape },
        binMs,
        description: `counts ${c.shape.join('×')} from ${file}`,
      };
    }
    if (vars.spike_times) {
      const cell = vars.spike_times;
      if (cell.kind !== 'cell' || cell.shape.length !== 2)
        throw new UsageError(`${file}: 'spike_times' must be a cell array trials × units`);
      const [trials, units] = cell.shape;
      const windowMs = o.windowMs ?? matScalar(vars.trial_ms);
      if (!windowMs) throw new UsageError(`${file}: 'spike_times' needs the trial length: a variable 'trial_ms' or --window-ms`);
      const st = Array.from({ length: trials }, (_, r) =>
        Array.from({ length: units }, (_, u) =>
          Array.from(matToFloat64(cell.elements[r * units + u], `${file}: spike_times{${r + 1},${u + 1}}`).data),
        ),
      );
      return {
        counts: binSpikeTimes(st, { binMs, startMs: 0, endMs: windowMs, source: `${file}: variable 'spike_times'` }),
        binMs,
        description: `spike times of ${units} units in ${trials} trials from ${file}`,
      };
    }
    throw new UsageError(
      `${file}: no 'counts' or 'spike_times' variable (found: ${Object.keys(vars).join(', ') || 'none'}). ${SPIKE_LAYOUTS}`,
    );
  }
  if (ext === '.nwb' || ext === '.h5') {
    const rec = await readNwb(file);
    if (!rec.trials) throw new UsageError(`${file}: no /intervals/trials table; the spike times need trials to be cut into`);
    const binMs = o.binMs ?? 50;
    const { st, windowMs } = nwbTrialSpikes(rec.spikeTimes, rec.trials, o.windowMs);
    return {
      counts: binSpikeTimes(st, { binMs, startMs: 0, endMs: windowMs, source: `${file}: units table` }),
      binMs,
      description: `${rec.spikeTimes.length} units × ${st.length} trials from ${file} (first ${windowMs.toFixed(0)} ms of each trial)`,
    };
  }
  throw new UsageError(`${file}: unknown extension '${ext}'. ${SPIKE_LAYOUTS}`);
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
  const w = windowMs ?? Math.min(...Array.from(trials.stop, (s, i) => (s - trials.start[i]) * 1000));
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
