/**
 * A run directory exported for other tools: every array as a MATLAB variable (`runToMat`: MATLAB
 * shape = the array's shape, plus `metrics`, a struct of the numeric metrics, `config_json` and
 * `kind`), or its recordings-like data as NWB 2.x content (`runToNwb`): spike trains as the units
 * table (spike times in s, trials laid end to end), trials as /intervals/trials with the run's
 * per-trial conditions as columns, rate arrays as processed TimeSeries in /processing/rates, and
 * ring-attractor runs' E rates and decoded angle in /processing/ring_attractor. Runs with spikes:
 * `wmkit simulate ei-rnn --spiking` (spike_trial, spike_unit, spike_time_ms) and delay-snn runs
 * (recall_events, 1 step = 1 ms).
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NDArray, NumericArray } from '@wmkit/tensor';
import { ConfigError } from './config-issues';
import { type NwbContent, writeNwb } from './hdf5';
import { type MatWritable, writeMat } from './mat';
import { npyToFloat32 } from './npy';
import { atomicWriteFile, type RunRecord, readNpyFile } from './run-directory';

/** The arrays a run lists, as float32 NDArrays by name (`names`: only these). */
export function loadRunArrays(rec: RunRecord, names?: string[]): Record<string, NDArray> {
  const out: Record<string, NDArray> = {};
  for (const a of rec.manifest.arrays) {
    if (names && !names.includes(a.name)) continue;
    out[a.name] = npyToFloat32(readNpyFile(join(rec.dir, a.file)));
  }
  return out;
}

function validName(name: string): string {
  let s = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z]/.test(s)) s = `x_${s}`;
  return s.slice(0, 63);
}

/** A run as a compressed Level 5 MAT-file: its bytes, how many arrays it holds, and whether it holds metrics. */
export function runToMat(rec: RunRecord): { bytes: Uint8Array; arrays: number; metrics: boolean } {
  const arrays = loadRunArrays(rec);
  const vars: Record<string, MatWritable> = {};
  for (const [name, a] of Object.entries(arrays))
    vars[validName(name)] = { data: Float64Array.from(a.data as NumericArray), shape: a.shape };
  const metrics: Record<string, MatWritable> = {};
  for (const [k, v] of Object.entries(rec.manifest.metrics ?? {}))
    if (typeof v === 'number' && Number.isFinite(v)) metrics[validName(k)] = v;
  if (Object.keys(metrics).length) vars.metrics = metrics;
  vars.config_json = JSON.stringify(rec.manifest.config ?? {});
  vars.kind = rec.manifest.kind;
  return { bytes: writeMat(vars, { compress: true }), arrays: Object.keys(arrays).length, metrics: Boolean(vars.metrics) };
}

/**
 * A run's recordings-like data as NWB content, and how many trials its trials table holds; a
 * ConfigError when it has none (no spikes, rates or decoded angles).
 */
export function runToNwb(rec: RunRecord, dir: string): { content: NwbContent; nTrials: number } {
  const names = rec.manifest.arrays.map((a) => a.name);
  const arrays = loadRunArrays(rec);
  const cfg = (rec.manifest.config ?? {}) as Record<string, unknown>;
  const content: NwbContent = {
    identifier: `wmkit-${rec.manifest.kind}-${rec.manifest.id}`,
    sessionDescription: `wmkit ${rec.manifest.kind} run ${dir} (${(rec.manifest.command ?? []).join(' ')})`,
    sessionStartTime: rec.manifest.startedAt,
  };
  let trialMs = 0;
  let nTrials = 0;
  if (names.includes('spike_trial') && names.includes('spike_unit') && names.includes('spike_time_ms')) {
    const tr = arrays.spike_trial.data;
    const un = arrays.spike_unit.data;
    const tm = arrays.spike_time_ms.data;
    // trial length: recorded by `wmkit simulate` (older runs: the last spike, rounded up)
    trialMs = typeof cfg.trialMs === 'number' ? cfg.trialMs : Math.ceil(Math.max(0, ...tm) / 100) * 100 + 100;
    nTrials = (cfg.trials as number) ?? Math.max(0, ...tr) + 1;
    const units = Math.max(0, ...un) + 1;
    const spikeTimes: number[][] = Array.from({ length: units }, () => []);
    for (let k = 0; k < tr.length; k++) spikeTimes[un[k]].push((tr[k] * trialMs + tm[k]) / 1000);
    for (const s of spikeTimes) s.sort((a, b) => a - b);
    content.units = { spikeTimes, description: `spiking network units (${units}); trials of ${trialMs} ms laid end to end` };
  } else if (names.includes('recall_events')) {
    const ev = arrays.recall_events;
    const model = cfg.model as { N?: number; T?: number; M?: number } | undefined;
    const N = model?.N ?? Math.max(0, ...Array.from({ length: ev.shape[0] }, (_, k) => ev.data[3 * k + 1])) + 1;
    trialMs = model?.T ?? 1000;
    nTrials = model?.M ?? Math.max(0, ...Array.from({ length: ev.shape[0] }, (_, k) => ev.data[3 * k])) + 1;
    const spikeTimes: number[][] = Array.from({ length: N }, () => []);
    for (let k = 0; k < ev.shape[0]; k++) spikeTimes[ev.data[3 * k + 1]].push((ev.data[3 * k] * trialMs + ev.data[3 * k + 2]) / 1000);
    for (const s of spikeTimes) s.sort((a, b) => a - b);
    content.units = { spikeTimes, description: `delay-network neurons (${N}); one trial per recalled pattern, 1 step = 1 ms` };
  }
  if (names.includes('rates') && arrays.rates.shape.length === 3) {
    const [trials, T, N] = arrays.rates.shape;
    const task = cfg.task as { dtMs?: number } | undefined;
    const dt = task?.dtMs ?? 5;
    content.timeSeries = [
      {
        name: 'rates',
        data: Float32Array.from(arrays.rates.data),
        shape: [trials * T, N],
        rate: 1000 / dt,
        unit: 'a.u.',
        description: `model rates, ${trials} trials of ${T} steps laid end to end`,
        module: { name: 'rates', description: `rate-network activity of ${rec.manifest.kind} run ${rec.manifest.id} (model units)` },
      },
    ];
    if (!trialMs) {
      trialMs = T * dt;
      nTrials = trials;
    }
  }
  // ring attractors (simulate attractor, reproduce wimmer2014 models): the traced trials' E rates
  // and every trial's decoded angle, per record bin, as processed time series
  if (names.includes('record_times_ms') && (names.includes('traces') || names.includes('decoded_angle'))) {
    const times = arrays.record_times_ms.data;
    const binMs = times.length > 1 ? Number(times[1]) - Number(times[0]) : 50;
    const nBins = times.length;
    const module = {
      name: 'ring_attractor',
      description: `ring-attractor model ${rec.manifest.kind} (${rec.manifest.preset ?? 'custom'}): rates and decoded angle per ${binMs}-ms record bin, trials laid end to end`,
    };
    const series: NonNullable<NwbContent['timeSeries']> = [];
    if (names.includes('traces') && arrays.traces.shape.length === 3) {
      const [traced, T, N] = arrays.traces.shape;
      series.push({
        name: 'rates_e',
        data: Float32Array.from(arrays.traces.data as ArrayLike<number>),
        shape: [traced * T, N],
        rate: 1000 / binMs,
        startingTime: Number(times[0]) / 1000,
        unit: 'a.u.',
        description: `E-cell rates (model units) of the first ${traced} trials, ${N} cells ordered by preferred angle`,
        module,
      });
    }
    if (names.includes('decoded_angle') && arrays.decoded_angle.shape.length === 2) {
      const [trials, T] = arrays.decoded_angle.shape;
      series.push({
        name: 'decoded_angle',
        data: Float32Array.from(arrays.decoded_angle.data as ArrayLike<number>),
        shape: [trials * T],
        rate: 1000 / binMs,
        startingTime: Number(times[0]) / 1000,
        unit: 'radians',
        description: 'population-vector decoded angle of the E rates per record bin',
        module,
      });
    }
    content.timeSeries = [...(content.timeSeries ?? []), ...series];
    if (!trialMs && series.length) {
      trialMs = nBins * binMs;
      nTrials = names.includes('decoded_angle') ? arrays.decoded_angle.shape[0] : arrays.traces.shape[0];
    }
  }
  if (!content.units && !content.timeSeries)
    throw new ConfigError(
      `${dir} (${rec.manifest.kind}) has no spike trains, rates or decoded angles to export to NWB (NWB holds recordings-like data: spike_trial/spike_unit/spike_time_ms of wmkit simulate --spiking, recall_events of delay-snn, rates, or a ring attractor's traces/decoded_angle); use wmkit export mat for its other arrays`,
    );
  if (nTrials > 0) {
    const columns: Record<string, number[]> = {};
    for (const name of names) {
      const a = arrays[name];
      if (
        a.shape.length === 1 &&
        a.shape[0] === nTrials &&
        (name.startsWith('condition_') || ['cue_angle', 'response', 'cue'].includes(name))
      )
        columns[validName(name)] = Array.from(a.data);
    }
    content.trials = {
      start: Array.from({ length: nTrials }, (_, i) => (i * trialMs) / 1000),
      stop: Array.from({ length: nTrials }, (_, i) => ((i + 1) * trialMs) / 1000),
      columns,
    };
  }
  return { content, nTrials };
}

/** What `exportRun` wrote: the MAT-file's arrays and metrics, or the NWB file's units, trials and time series (null: none). */
export type RunExport =
  | { format: 'mat'; arrays: number; metrics: boolean }
  | { format: 'nwb'; units: number | null; trials: number | null; timeSeries: string[] | null };

/**
 * Writes a run (`readRun` of `dir`) as a MAT-file (`runToMat`) or an NWB 2.x file (`runToNwb`) at
 * `out`, creating its folders. The file is written whole or not at all: the MAT bytes with
 * `atomicWriteFile`; h5wasm writes in place, so the NWB file is written beside the target, then
 * renamed. A run with nothing for NWB is a ConfigError, raised before anything is written.
 */
export async function exportRun(rec: RunRecord, dir: string, format: 'mat' | 'nwb', out: string): Promise<RunExport> {
  if (format === 'mat') {
    const mat = runToMat(rec);
    mkdirSync(dirname(out), { recursive: true });
    atomicWriteFile(out, mat.bytes);
    return { format, arrays: mat.arrays, metrics: mat.metrics };
  }
  const { content, nTrials } = runToNwb(rec, dir);
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    await writeNwb(tmp, content);
    renameSync(tmp, out);
  } finally {
    rmSync(tmp, { force: true });
  }
  return {
    format,
    units: content.units ? content.units.spikeTimes.length : null,
    trials: content.trials ? nTrials : null,
    timeSeries: content.timeSeries?.map((t) => (t.module ? `processing/${t.module.name}/${t.name}` : `analysis/${t.name}`)) ?? null,
  };
}
