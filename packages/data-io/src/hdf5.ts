/**
 * HDF5 files through h5wasm (Node): plain HDF5 (h5py), MATLAB v7.3 MAT-files, and NWB 2.x
 * (Neurodata Without Borders) — the units table with spike times and the trials table.
 *
 * MATLAB v7.3 stores each array transposed (HDF5 dims are MATLAB's reversed, the data in
 * MATLAB's column-major order); `readMatV73` returns MATLAB's shape with row-major data, like
 * `readMat`. NWB times are in seconds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { type NumericArray, UserError } from '@wmkit/tensor';

// biome-ignore lint/suspicious/noExplicitAny: h5wasm is loaded at run time; its types stay at the boundary
type H5 = any;
let h5: Promise<H5> | null = null;

/**
 * h5wasm ships ESM only, exported for `import` only (`h5wasm/node`), so it is loaded by its
 * package name through Node's resolver, which reads its `exports`: a plain `import()` in the ESM
 * build (and vitest); in the CJS build esbuild would turn that into `require()`, which cannot load
 * it, so there the same `import()` runs from a function esbuild does not see.
 */
const dynamicImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

async function importH5wasm(): Promise<unknown> {
  try {
    return await import('h5wasm/node');
  } catch (err) {
    try {
      return await dynamicImport('h5wasm/node');
    } catch {
      throw new Hdf5FormatError(
        `HDF5 support needs the 'h5wasm' package (a dependency of @wmkit/data-io): ${(err as Error).message.split('\n')[0]}; reinstall the packages`,
      );
    }
  }
}

async function h5wasm(): Promise<H5> {
  h5 ??= (async () => {
    const mod = await importH5wasm();
    const lib = (mod as { default?: H5 }).default ?? mod;
    const module = await lib.ready;
    // HDF5 errors become exceptions (condensed by hdf5Problem) instead of ~70 lines of
    // HDF5-DIAG printed on stderr
    module?.activate_throwing_error_handler?.();
    return lib;
  })();
  return h5;
}

/** A file that claims to be HDF5 (or MATLAB v7.3 / NWB) but cannot be read as such; the message names the file and the problem. */
export class Hdf5FormatError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'Hdf5FormatError';
  }
}

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Does the file start (or, after a user block of 512·2ⁿ bytes, continue) with the HDF5 signature? */
export function isHdf5File(path: string): boolean {
  const b = readFileSync(path);
  for (let off = 0; off + 8 <= b.length && off <= 1 << 20; off = off === 0 ? 512 : off * 2)
    if (HDF5_SIGNATURE.every((x, i) => b[off + i] === x)) return true;
  return false;
}

/**
 * One line from an HDF5 error: its error stack (`#000: … in H5Fopen(): unable to open file`,
 * … `#011: … bad superblock version number`) ends with the most specific problem.
 */
export function hdf5Problem(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const steps = [...text.matchAll(/#\d+: .*? in [\w.]+\(\)(?: line \d+)?: ([^\n]*)/g)].map((m) => m[1].trim());
  if (steps.length) return steps.length > 1 ? `${steps[0]}: ${steps.at(-1)}` : steps[0];
  return text.split('\n')[0].replace(/^HDF5-DIAG: /, '');
}

async function openRead(path: string): Promise<H5> {
  if (!existsSync(path)) throw new Hdf5FormatError(`${path}: no such file`);
  if (!isHdf5File(path)) throw new Hdf5FormatError(`${path}: not an HDF5 file (no HDF5 signature)`);
  const lib = await h5wasm();
  let f: H5;
  try {
    f = new lib.File(path, 'r');
  } catch (err) {
    throw new Hdf5FormatError(
      `${path}: has an HDF5 signature but cannot be read as HDF5 (${hdf5Problem(err)}); the file is damaged or truncated`,
    );
  }
  if (!f?.file_id || Number(f.file_id) < 0) {
    f?.close?.();
    throw new Hdf5FormatError(`${path}: has an HDF5 signature but cannot be read as HDF5; the file is damaged or truncated`);
  }
  return f;
}

/** One group or dataset of an HDF5 file, as listed by {@link listHdf5}. */
export interface Hdf5Node {
  /** Absolute path inside the file, e.g. /units/spike_times. */
  path: string;
  kind: 'group' | 'dataset' | 'link';
  shape?: number[];
  /** h5wasm dtype string, e.g. '<d', '<i4', 'S', or 'compound'. */
  dtype?: string;
  attrs: Record<string, unknown>;
}

function attrsOf(obj: H5): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, a] of Object.entries(obj.attrs as Record<string, H5>)) {
    try {
      out[k] = a.json_value;
    } catch {
      out[k] = '(unreadable)';
    }
  }
  return out;
}

/** Every group and dataset in the file, depth first. */
export async function listHdf5(path: string): Promise<Hdf5Node[]> {
  const f = await openRead(path);
  try {
    const out: Hdf5Node[] = [];
    const walk = (g: H5, prefix: string, depth: number) => {
      if (depth > 32) return;
      for (const key of g.keys() as string[]) {
        const p = `${prefix}/${key}`;
        const obj = g.get(key);
        if (obj == null) {
          out.push({ path: p, kind: 'link', attrs: {} });
          continue;
        }
        if (typeof obj.keys === 'function') {
          out.push({ path: p, kind: 'group', attrs: attrsOf(obj) });
          walk(obj, p, depth + 1);
        } else if ('shape' in obj) {
          out.push({
            path: p,
            kind: 'dataset',
            shape: obj.shape ?? [],
            dtype: typeof obj.dtype === 'string' ? obj.dtype : 'compound',
            attrs: attrsOf(obj),
          });
        } else out.push({ path: p, kind: 'link', attrs: {} });
      }
    };
    out.push({ path: '/', kind: 'group', attrs: attrsOf(f) });
    walk(f, '', 0);
    return out;
  } catch (err) {
    throw new Hdf5FormatError(`${path}: cannot read the HDF5 file's contents (${hdf5Problem(err)}); the file is damaged or truncated`);
  } finally {
    f.close();
  }
}

/** One dataset's values with its HDF5 shape and element type, as read by {@link readHdf5Dataset}. */
export interface Hdf5Array {
  shape: number[];
  dtype: string;
  /** Row-major (HDF5 order) numbers; strings for string datasets. */
  data: NumericArray | BigInt64Array | BigUint64Array | string[];
}

/** One dataset's values (HDF5 order: row-major in the HDF5 dims). */
export async function readHdf5Dataset(path: string, name: string): Promise<Hdf5Array> {
  const f = await openRead(path);
  try {
    const ds = f.get(name);
    if (!ds || !('shape' in ds)) throw new Hdf5FormatError(`${path}: no dataset '${name}'`);
    const v = ds.value;
    const shape: number[] = ds.shape ?? [];
    if (typeof v === 'string') return { shape, dtype: 'string', data: [v] };
    if (Array.isArray(v)) return { shape, dtype: 'string', data: (v as unknown[]).map(String) };
    if (ArrayBuffer.isView(v)) return { shape, dtype: String(ds.dtype), data: v as NumericArray };
    if (typeof v === 'number' || typeof v === 'bigint') return { shape, dtype: String(ds.dtype), data: Float64Array.of(Number(v)) };
    throw new Hdf5FormatError(`${path}: dataset '${name}' has a type wmkit cannot read (${JSON.stringify(ds.dtype)})`);
  } finally {
    f.close();
  }
}

/** One variable of a MATLAB v7.3 (HDF5-based) .mat file. */
export interface MatV73Variable {
  class: string;
  /** MATLAB size. */
  shape: number[];
  /** Row-major values. */
  data: Float64Array;
}

/**
 * Numeric and logical variables of a MATLAB v7.3 file (datasets at the root with a MATLAB_class
 * attribute). Structs (groups) and cells (references) are listed by `listHdf5`.
 */
export async function readMatV73(path: string): Promise<Record<string, MatV73Variable>> {
  const f = await openRead(path);
  try {
    const out: Record<string, MatV73Variable> = {};
    for (const key of f.keys() as string[]) {
      const ds = f.get(key);
      if (!ds || !('shape' in ds)) continue;
      const cls = ds.attrs?.MATLAB_class ? String(ds.attrs.MATLAB_class.json_value) : null;
      if (!cls || cls === 'char' || cls === 'cell' || cls === 'struct') continue;
      const h5shape: number[] = ds.shape ?? [];
      const mshape = [...h5shape].reverse();
      while (mshape.length < 2) mshape.push(1);
      const raw = ds.value as ArrayLike<number | bigint>;
      if (!raw || typeof (raw as ArrayLike<number>).length !== 'number') continue;
      // HDF5 row-major over reversed dims == MATLAB column-major: transpose into row-major
      const n = raw.length;
      const data = new Float64Array(n);
      const rank = mshape.length;
      const sub = new Array(rank).fill(0);
      for (let c = 0; c < n; c++) {
        let fIdx = 0;
        let stride = 1;
        for (let k = 0; k < rank; k++) {
          fIdx += sub[k] * stride;
          stride *= mshape[k];
        }
        data[c] = Number(raw[fIdx]);
        for (let k = rank - 1; k >= 0; k--) {
          if (++sub[k] < mshape[k]) break;
          sub[k] = 0;
        }
      }
      out[key] = { class: cls, shape: mshape, data };
    }
    return out;
  } finally {
    f.close();
  }
}

// ---------------------------------------------------------------- NWB

/** The units table of an NWB file: per unit, its spike times (s). */
export interface NwbUnits {
  /** Spike times (s) of each unit. */
  spikeTimes: ArrayLike<number>[];
  /** Optional per-unit columns (numbers), e.g. { tau_ms: [...] }. */
  columns?: Record<string, ArrayLike<number>>;
  description?: string;
}

/** The trials table of an NWB file: start and stop times (s) and per-trial columns. */
export interface NwbTrials {
  start: ArrayLike<number>;
  stop: ArrayLike<number>;
  /** Optional per-trial columns (numbers), e.g. { cue_angle: [...] }. */
  columns?: Record<string, ArrayLike<number>>;
}

/** What {@link writeNwb} writes: session metadata, units, trials and processed time series. */
export interface NwbContent {
  identifier: string;
  sessionDescription: string;
  /** ISO 8601 date-time. */
  sessionStartTime: string;
  units?: NwbUnits;
  trials?: NwbTrials;
  /**
   * Time series (e.g. firing rates): data [time, channels] or [time], sampled at `rate` Hz from
   * `startingTime` s (default 0). Stored under /analysis, or, with `module`, as processed data
   * in the ProcessingModule /processing/<module.name>.
   */
  timeSeries?: NwbTimeSeries[];
}

/** One NWB TimeSeries (see `NwbContent.timeSeries`). */
export interface NwbTimeSeries {
  name: string;
  data: Float32Array;
  shape: number[];
  rate: number;
  startingTime?: number;
  unit: string;
  description: string;
  module?: { name: string; description: string };
}

/** The NWB schema version the files wmkit writes declare. */
export const NWB_VERSION = '2.7.0';

function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Writes an NWB 2.x file: the root metadata, /units (spike_times with its VectorIndex,
 * id, extra columns), /intervals/trials (start_time, stop_time, id, extra columns) and time
 * series under /analysis or in processing modules. Layout and attributes follow the NWB core schema.
 */
export async function writeNwb(path: string, c: NwbContent): Promise<void> {
  const lib = await h5wasm();
  const f = new lib.File(path, 'w');
  try {
    const core = (obj: H5, type: string, extra: Record<string, unknown> = {}) => {
      obj.create_attribute('namespace', 'core');
      obj.create_attribute('neurodata_type', type);
      obj.create_attribute('object_id', uuid());
      for (const [k, v] of Object.entries(extra)) obj.create_attribute(k, v);
    };
    core(f, 'NWBFile', { nwb_version: NWB_VERSION });
    const now = new Date().toISOString();
    f.create_dataset({ name: 'file_create_date', data: [now] });
    f.create_dataset({ name: 'identifier', data: c.identifier });
    f.create_dataset({ name: 'session_description', data: c.sessionDescription });
    f.create_dataset({ name: 'session_start_time', data: c.sessionStartTime });
    f.create_dataset({ name: 'timestamps_reference_time', data: c.sessionStartTime });
    for (const g of ['acquisition', 'analysis', 'processing', 'general', 'stimulus', 'stimulus/presentation', 'stimulus/templates'])
      f.create_group(g);
    const vectorData = (g: H5, name: string, data: Float64Array | Int32Array | Float32Array, description: string, shape?: number[]) => {
      const ds = g.create_dataset({ name, data, shape: shape ?? [data.length] });
      core(ds, 'VectorData', { description });
      return ds;
    };
    const ids = (g: H5, n: number) => {
      const ds = g.create_dataset({ name: 'id', data: Int32Array.from({ length: n }, (_, i) => i) });
      core(ds, 'ElementIdentifiers');
    };
    if (c.units) {
      const u = f.create_group('units');
      const n = c.units.spikeTimes.length;
      const counts = c.units.spikeTimes.map((s) => s.length);
      const all = new Float64Array(counts.reduce((a, b) => a + b, 0));
      const index = new Int32Array(n);
      let o = 0;
      c.units.spikeTimes.forEach((s, k) => {
        for (let i = 0; i < s.length; i++) all[o++] = s[i];
        index[k] = o;
      });
      const extra = Object.keys(c.units.columns ?? {});
      core(u, 'Units', { colnames: ['spike_times', ...extra], description: c.units.description ?? 'units exported by wmkit' });
      ids(u, n);
      const st = vectorData(u, 'spike_times', all, 'the spike times for each unit in seconds');
      st.create_attribute('resolution', -1.0);
      const idx = u.create_dataset({ name: 'spike_times_index', data: index });
      core(idx, 'VectorIndex', { description: 'Index for VectorData spike_times' });
      idx.create_attribute('target', st.create_reference());
      for (const k of extra) vectorData(u, k, Float64Array.from(c.units.columns?.[k] ?? []), k);
    }
    if (c.trials) {
      const iv = f.create_group('intervals');
      const t = iv.create_group('trials');
      const n = c.trials.start.length;
      if (c.trials.stop.length !== n) throw new Hdf5FormatError(`NWB trials: ${n} start times but ${c.trials.stop.length} stop times`);
      const extra = Object.keys(c.trials.columns ?? {});
      core(t, 'TimeIntervals', { colnames: ['start_time', 'stop_time', ...extra], description: 'experimental trials' });
      ids(t, n);
      vectorData(t, 'start_time', Float64Array.from(c.trials.start), 'Start time of epoch, in seconds');
      vectorData(t, 'stop_time', Float64Array.from(c.trials.stop), 'Stop time of epoch, in seconds');
      for (const k of extra) {
        const col = c.trials.columns?.[k] ?? [];
        if (col.length !== n) throw new Hdf5FormatError(`NWB trials: column '${k}' has ${col.length} values for ${n} trials`);
        vectorData(t, k, Float64Array.from(col), k);
      }
    }
    const modules = new Map<string, H5>();
    for (const ts of c.timeSeries ?? []) {
      let parent = f.get('analysis');
      if (ts.module) {
        parent = modules.get(ts.module.name);
        if (!parent) {
          parent = f.get('processing').create_group(ts.module.name);
          core(parent, 'ProcessingModule', { description: ts.module.description });
          modules.set(ts.module.name, parent);
        }
      }
      const g = parent.create_group(ts.name);
      core(g, 'TimeSeries', { description: ts.description, comments: 'written by wmkit' });
      const d = g.create_dataset({ name: 'data', data: ts.data, shape: ts.shape });
      d.create_attribute('unit', ts.unit);
      d.create_attribute('conversion', 1.0);
      d.create_attribute('offset', 0.0);
      d.create_attribute('resolution', -1.0);
      const st = g.create_dataset({ name: 'starting_time', data: ts.startingTime ?? 0.0 });
      st.create_attribute('rate', ts.rate);
      st.create_attribute('unit', 'seconds');
    }
  } finally {
    f.close();
  }
}

/** What {@link readNwb} reads back: the units and trials tables. */
export interface NwbRecording {
  identifier: string;
  /** Spike times (s) per unit. */
  spikeTimes: Float64Array[];
  unitColumns: Record<string, Float64Array>;
  trials: { start: Float64Array; stop: Float64Array; columns: Record<string, Float64Array> } | null;
}

/** Reads the units and trials tables of an NWB file (ragged spike times through their index). */
export async function readNwb(path: string): Promise<NwbRecording> {
  const f = await openRead(path);
  try {
    const num = (p: string): Float64Array | null => {
      const ds = f.get(p);
      if (!ds || !('shape' in ds)) return null;
      const v = ds.value;
      return ArrayBuffer.isView(v)
        ? Float64Array.from(v as unknown as ArrayLike<number | bigint>, Number)
        : typeof v === 'number'
          ? Float64Array.of(v)
          : null;
    };
    const ident = f.get('identifier');
    const identifier = ident ? String(ident.value) : '';
    const units = f.get('units');
    if (!units) throw new Hdf5FormatError(`${path}: no /units table (is this an NWB file with sorted units?)`);
    const all = num('units/spike_times');
    const index = num('units/spike_times_index');
    if (!all || !index) throw new Hdf5FormatError(`${path}: /units needs spike_times and spike_times_index`);
    const spikeTimes: Float64Array[] = [];
    let prev = 0;
    for (const end of index) {
      if (!(end >= prev && end <= all.length)) throw new Hdf5FormatError(`${path}: /units/spike_times_index is not a valid ragged index`);
      spikeTimes.push(all.slice(prev, end));
      prev = end;
    }
    const unitColumns: Record<string, Float64Array> = {};
    for (const k of units.keys() as string[]) {
      if (['spike_times', 'spike_times_index', 'id'].includes(k) || k.endsWith('_index')) continue;
      const v = num(`units/${k}`);
      if (v && v.length === spikeTimes.length) unitColumns[k] = v;
    }
    let trials: NwbRecording['trials'] = null;
    const tg = f.get('intervals/trials');
    if (tg) {
      const start = num('intervals/trials/start_time');
      const stop = num('intervals/trials/stop_time');
      if (!start || !stop) throw new Hdf5FormatError(`${path}: /intervals/trials needs start_time and stop_time`);
      const columns: Record<string, Float64Array> = {};
      for (const k of tg.keys() as string[]) {
        if (['start_time', 'stop_time', 'id'].includes(k) || k.endsWith('_index')) continue;
        const v = num(`intervals/trials/${k}`);
        if (v && v.length === start.length) columns[k] = v;
      }
      trials = { start, stop, columns };
    }
    return { identifier, spikeTimes, unitColumns, trials };
  } finally {
    f.close();
  }
}
