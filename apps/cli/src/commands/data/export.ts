/**
 * `wmkit export mat <run>` and `wmkit export nwb <run>`.
 *
 * mat: every array of the run as a MATLAB variable (MATLAB shape = the array's shape), plus
 *      `metrics` (a struct of the numeric metrics) and `config_json` (the run's config as text).
 * nwb: spike trains as the units table (spike times in s, trials laid end to end), trials as
 *      /intervals/trials with the run's per-trial conditions as columns, and rate arrays as
 *      processed TimeSeries in /processing/rates; ring-attractor runs' E rates and decoded angle as processed
 *      TimeSeries in /processing/ring_attractor. Missing folders of --out are created. Runs with spikes: `wmkit simulate ei-rnn --spiking` (spike_trial,
 *      spike_unit, spike_time_ms) and delay-snn runs (recall_events, 1 step = 1 ms).
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type MatWritable, writeMat } from '@wmkit/data-io';
import { atomicWriteFile, type NwbContent, readRun, writeNwb } from '@wmkit/data-io/node';
import type { NumericArray } from '@wmkit/tensor';
import type { Command } from 'commander';
import { describeFsError, UsageError } from '../../errors';
import { setJsonSummary } from '../../output-options';
import { checkOutputFile, loadRunArrays } from '../../run-helpers';

function validName(name: string): string {
  let s = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z]/.test(s)) s = `x_${s}`;
  return s.slice(0, 63);
}

interface ExportOptions {
  out?: string;
  /** Replace an existing output file. */
  force?: boolean;
  /** Export a run that is not complete (failed, interrupted, still running). */
  allowIncomplete?: boolean;
}

function openRun(dir: string, o: ExportOptions) {
  let rec: ReturnType<typeof readRun>;
  try {
    rec = readRun(dir);
  } catch (err) {
    throw new UsageError(`${dir}: not a wmkit run directory (${describeFsError(err) ?? (err as Error).message})`);
  }
  if (rec.state !== 'complete' && !o.allowIncomplete)
    throw new UsageError(
      `${dir}: the run is ${rec.state}, not complete, so its arrays may be missing or partial; rerun it, or pass --allow-incomplete to export what it has`,
    );
  return rec;
}

/** Where an export goes: checked before any work (see checkOutputFile); missing folders are created when it is written. */
function outputPath(dir: string, o: ExportOptions, ext: string): string {
  return checkOutputFile(o.out ?? join(dir, `export${ext}`), { force: o.force, example: `export${ext}`, createFolder: true });
}

/** Creates the output's folder (and its parents) if missing. */
function makeFolder(out: string): void {
  try {
    mkdirSync(dirname(out), { recursive: true });
  } catch (err) {
    throw writeFailed(out, err);
  }
}

/** A failed write as one line naming the file and the problem. */
function writeFailed(out: string, err: unknown): UsageError {
  const e = err as NodeJS.ErrnoException;
  const problem = describeFsError(err)?.replace(/^.*?: /, '') ?? e.message;
  return new UsageError(`--out ${out}: cannot write the file (${problem})`);
}

export async function exportMat(dir: string, o: ExportOptions): Promise<number> {
  const rec = openRun(dir, o);
  const out = outputPath(dir, o, '.mat');
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
  const bytes = writeMat(vars, { compress: true });
  makeFolder(out);
  try {
    atomicWriteFile(out, bytes);
  } catch (err) {
    throw writeFailed(out, err);
  }
  setJsonSummary({ file: out, format: 'mat', arrays: Object.keys(arrays).length });
  console.log(`✓ ${out}: ${Object.keys(arrays).length} arrays${vars.metrics ? ', metrics' : ''}, config_json (MATLAB: load('${out}'))`);
  return 0;
}

export async function exportNwb(dir: string, o: ExportOptions): Promise<number> {
  const rec = openRun(dir, o);
  const out = outputPath(dir, o, '.nwb');
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
    throw new UsageError(
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
  // h5wasm writes in place: write beside the target, then rename, so a crash leaves no partial file
  const tmp = `${out}.${process.pid}.tmp`;
  makeFolder(out);
  try {
    await writeNwb(tmp, content);
    renameSync(tmp, out);
  } catch (err) {
    throw describeFsError(err) ? writeFailed(out, err) : err;
  } finally {
    rmSync(tmp, { force: true });
  }
  setJsonSummary({
    file: out,
    format: 'nwb',
    units: content.units?.spikeTimes.length ?? 0,
    trials: content.trials ? nTrials : 0,
    timeSeries: (content.timeSeries ?? []).map((t) => (t.module ? `processing/${t.module.name}/${t.name}` : `analysis/${t.name}`)),
  });
  console.log(
    `✓ ${out}: NWB ${content.units ? `${content.units.spikeTimes.length} units, ` : ''}${content.trials ? `${nTrials} trials` : ''}${content.timeSeries ? ', rates' : ''} (open with pynwb or h5py)`,
  );
  return 0;
}

export function registerExport(program: Command): void {
  const exp = program.command('export').description('export a run to a format other tools read');
  exp
    .command('mat <run>')
    .description('every array of the run as a MATLAB variable, with metrics and config (Level 5 MAT-file, compressed)')
    .option('--out <file>', 'output file (default <run>/export.mat)')
    .option('--force', 'replace the output file if it exists')
    .option('--allow-incomplete', 'export a run that failed or was interrupted (what it has)')
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit export mat runs/dms-1\n  wmkit export mat runs/bump --out bump.mat --force\n' +
        '\nWrites: <run>/export.mat (or --out): one variable per array of the run, plus metrics and config',
    )
    .action(async (run: string, o: ExportOptions) => {
      process.exitCode = await exportMat(run, o);
    });
  exp
    .command('nwb <run>')
    .description('spike trains (units table), trials and rates as an NWB 2.x file')
    .option('--out <file>', 'output file (default <run>/export.nwb)')
    .option('--force', 'replace the output file if it exists')
    .option('--allow-incomplete', 'export a run that failed or was interrupted (what it has)')
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit export nwb runs/dms-1/simulate-spiking\n  wmkit export nwb runs/bump --out bump.nwb\n' +
        '\nWrites: <run>/export.nwb (or --out): units table (spike trains), trials table and rates, as NWB 2.x',
    )
    .action(async (run: string, o: ExportOptions) => {
      process.exitCode = await exportNwb(run, o);
    });
}
