/**
 * Run directories on disk (Node only; import from `@wmkit/data-io/node`).
 *
 * Every write is atomic (a temporary file in the same directory, then rename), so a reader
 * never sees half a file. A run is `running` until `complete()`; if the process throws,
 * exits early the run is marked `failed` with the reason, and `interrupted` if SIGINT/SIGTERM
 * stopped it; never `complete`. While a run is written its directory's lock (`.lock`, see
 * run-lock.ts) names the writer, so a second writer is refused and a dead one is recognised.
 *
 * @example
 * ```ts
 * const run = RunDirectory.create('runs/demo', { kind: 'demo', config, seed: 1 });
 * run.writeArray('rates', { data, shape: [100, 200] });
 * run.appendMetrics({ trial: 100, loss: 3.2 });
 * run.complete({ accuracy: 0.97 });
 * ```
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, hostname, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { NDArray, NumericArray } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';
import { decodeNpy, encodeNpy, type NpyArray, type NpyDtype, npyDtypeOf } from './npy';
import { acquireRunLock, describeWriter, LOCK, lockHolder, type RunLock, thisWriter, writerState } from './run-lock';
import { type ArrayEntry, parseRunManifest, RUN_FORMAT_VERSION, RunFormatError, type RunManifest } from './run-manifest';

/** File name of a run's manifest. */
export const MANIFEST = 'run.json';
/** File name of a run's metrics log (one JSON object per line). */
export const METRICS = 'metrics.jsonl';

/** Writes `data` to `path` atomically (temporary file + rename). */
export function atomicWriteFile(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw err;
  }
}

/** Writes an array as a .npy file (atomically). */
export function writeNpyFile(path: string, array: NDArray<NumericArray>, dtype?: NpyDtype): void {
  atomicWriteFile(path, encodeNpy(array, dtype));
}

/** Reads a .npy file; errors name the file. */
export function readNpyFile(path: string): NpyArray {
  if (!existsSync(path)) throw new RunFormatError(`${path}: no such file`);
  return decodeNpy(readFileSync(path), path);
}

/** Whether a process with this id is running on this machine (false for null). */
export function isProcessAlive(pid: number | null): boolean {
  if (pid == null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What a new run records in `run.json`: kind, resolved config, seed, preset, the command that made it. */
export interface CreateRunOptions {
  kind: string;
  config: unknown;
  seed: number | string | null;
  preset?: string | null;
  backend?: object | null;
  versions?: Record<string, string>;
  command?: string[] | null;
  notes?: string[];
  /** Replace an existing run in `dir` (never a directory that is not a run). */
  overwrite?: boolean;
  /** The memory the run was estimated to need (recorded in run.json). */
  memory?: { estimatedBytes: number; availableBytes: number | null } | null;
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
function checkName(what: string, name: string): void {
  if (!NAME.test(name)) throw new ShapeError(`${what} name '${name}' may contain only letters, digits, '_', '.', '-'`);
}

// Runs this process has open; marked failed if the process ends before they complete.
const active = new Set<RunDirectory>();
let hooksInstalled = false;
// refreshes the locks of open runs (so a writer on another host is not taken as gone)
let heartbeat: ReturnType<typeof setInterval> | null = null;
function installExitHooks(): void {
  heartbeat ??= setInterval(() => {
    for (const run of active) run.touchLock();
  }, 30_000);
  heartbeat.unref?.();
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', (code) => {
    for (const run of active) run.fail(new Error(`the process exited (code ${code}) before the run completed`));
  });
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      for (const run of active) run.interrupt(signal);
      process.exit(code);
    });
  }
}

function notARun(dir: string): RunFormatError {
  return new RunFormatError(`${dir} exists, is not empty and is not a run directory (no ${MANIFEST}); choose another output directory`);
}

/** Whether the process that wrote a manifest may still run (from `writer`, or `pid` in older runs). */
function manifestWriterAlive(m: RunManifest): boolean {
  if (m.writer) return writerState(m.writer) !== 'gone';
  return m.pid != null && isProcessAlive(m.pid);
}

/** A run directory being written: `run.json`, `.npy` arrays, `metrics.jsonl`, figures; every write atomic, and the run marked failed if the process throws, interrupted if a signal stops it. */
export class RunDirectory {
  readonly dir: string;
  manifest: RunManifest;
  /**
   * Renders each figure's SVG to PNG bytes; when set, `addFigure` writes `<name>.png` beside
   * `<name>.svg` and records it. (The rendering lives above this package, e.g. `svgToPng` of
   * `@wmkit/figures/node`.)
   */
  pngRenderer: ((svg: string) => Uint8Array) | null = null;

  private lock: RunLock | null;

  private constructor(dir: string, manifest: RunManifest, lock: RunLock | null = null) {
    this.dir = dir;
    this.manifest = manifest;
    this.lock = lock;
  }

  /**
   * Starts a new run in `dir` (created if needed) with status `running`, holding the
   * directory's writer lock until the run completes or fails: of two processes given the same
   * directory, one wins and the other gets an error naming the writer.
   */
  static create(dir: string, opts: CreateRunOptions): RunDirectory {
    const abs = resolve(dir);
    if (existsSync(abs) && !statSync(abs).isDirectory()) throw new RunFormatError(`${dir} exists and is not a directory`);
    const isRun = () => existsSync(join(abs, MANIFEST));
    // the lock and the files of a run another process is creating right now are not foreign
    const foreign = () => readdirSync(abs).some((f) => f !== LOCK && !f.startsWith(`${LOCK}.`) && !f.startsWith(`${MANIFEST}.tmp-`));
    // In this order, because another process may be creating or replacing a run here at this
    // moment: it takes the lock first and writes or removes run.json only while holding it. So a
    // directory seen with foreign files and no run.json that now holds a lock is left to
    // acquireRunLock (whose error names the writer) and checked again under the lock below.
    const locked = () => existsSync(join(abs, LOCK));
    if (existsSync(abs) && foreign() && !isRun() && !locked()) throw notARun(dir);
    try {
      mkdirSync(abs, { recursive: true });
    } catch (err) {
      throw new RunFormatError(
        `${dir}: cannot create the run directory (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
    const lock = acquireRunLock(abs);
    try {
      if (isRun()) {
        const prev = readRun(abs);
        // a run made before run directories had locks: its manifest's writer may still live
        if (prev.manifest.status === 'running' && !lock.tookOverFrom && manifestWriterAlive(prev.manifest))
          throw new RunFormatError(
            `${dir} is in use by a running process (${describeWriter(prev.manifest.writer ?? { host: hostname(), pid: prev.manifest.pid ?? -1, startTime: null })})`,
          );
        const state = prev.manifest.status === 'running' ? 'interrupted' : prev.state;
        if (!opts.overwrite) {
          throw new RunFormatError(
            `${dir} already holds a${state === 'interrupted' ? 'n' : ''} ${state} '${prev.manifest.kind}' run; choose another output directory or pass --force to replace it`,
          );
        }
        for (const f of readdirSync(abs))
          if (f !== LOCK && !f.startsWith(`${LOCK}.`)) rmSync(join(abs, f), { recursive: true, force: true });
      } else if (foreign()) throw notARun(dir);
      const manifest = parseRunManifest({
        format: RUN_FORMAT_VERSION,
        kind: opts.kind,
        id: basename(abs),
        status: 'running',
        preset: opts.preset ?? null,
        seed: opts.seed,
        config: opts.config ?? null,
        backend: (opts.backend as Record<string, unknown> | null) ?? null,
        versions: opts.versions ?? {},
        command: opts.command ?? null,
        machine: {
          host: hostname(),
          cpus: availableParallelism(),
          memoryGiB: Math.round(totalmem() / 2 ** 30),
          platform: process.platform,
          node: process.version,
        },
        pid: process.pid,
        writer: thisWriter(),
        memory: opts.memory ?? null,
        startedAt: new Date().toISOString(),
        notes: opts.notes ?? [],
      });
      const run = new RunDirectory(abs, manifest, lock);
      run.save();
      installExitHooks();
      active.add(run);
      return run;
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /** Opens an existing run (to read it, or to add results to it and save again). */
  static open(dir: string): RunDirectory {
    const { manifest } = readRun(dir);
    return new RunDirectory(resolve(dir), manifest);
  }

  /** Refreshes this run's writer lock (done at every write, and every 30 s while the process runs). */
  touchLock(): void {
    this.lock?.touch();
  }

  /** The path of `file` inside the run directory. */
  path(file: string): string {
    return join(this.dir, file);
  }

  private save(): void {
    atomicWriteFile(this.path(MANIFEST), `${JSON.stringify(this.manifest, null, 2)}\n`);
    this.lock?.touch();
  }

  private finish(): void {
    active.delete(this);
    this.lock?.release();
    this.lock = null;
    if (!active.size && heartbeat) {
      clearInterval(heartbeat);
      heartbeat = null;
    }
  }

  /** Writes `<name>.npy` and records it (dtype defaults to the typed array's own). */
  writeArray(name: string, array: NDArray<NumericArray>, opts: { dtype?: NpyDtype; description?: string } = {}): ArrayEntry {
    checkName('array', name);
    const bytes = encodeNpy(array, opts.dtype);
    const file = `${name}.npy`;
    atomicWriteFile(this.path(file), bytes);
    const entry: ArrayEntry = { name, file, dtype: opts.dtype ?? npyDtypeOf(array.data), shape: [...array.shape] };
    if (opts.description) entry.description = opts.description;
    this.manifest.arrays = [...this.manifest.arrays.filter((a) => a.name !== name), entry];
    this.save();
    return entry;
  }

  /** Reads an array recorded in this run. */
  readArray(name: string): NpyArray {
    const entry = this.manifest.arrays.find((a) => a.name === name);
    if (!entry) {
      const have = this.manifest.arrays.map((a) => a.name).join(', ') || 'none';
      throw new RunFormatError(`${this.path(MANIFEST)}: no array '${name}' in this run (arrays: ${have})`);
    }
    return readNpyFile(this.path(entry.file));
  }

  /** Writes a text or binary file into the run (atomically). */
  writeFile(file: string, content: string | Uint8Array): void {
    checkName('file', file);
    atomicWriteFile(this.path(file), content);
  }

  /** Writes an SVG figure (and its PNG, if a `pngRenderer` is set) and records it. */
  addFigure(name: string, svg: string, caption?: string): void {
    checkName('figure', name);
    const file = `${name}.svg`;
    this.writeFile(file, svg);
    const png = this.pngRenderer ? `${name}.png` : null;
    if (this.pngRenderer && png) this.writeFile(png, this.pngRenderer(svg));
    this.manifest.figures = [
      ...this.manifest.figures.filter((f) => f.name !== name),
      { name, file, ...(caption ? { caption } : {}), ...(png ? { png } : {}) },
    ];
    this.save();
  }

  /** Appends one record (a point of a training curve) to metrics.jsonl. */
  appendMetrics(record: object): void {
    appendFileSync(this.path(METRICS), `${JSON.stringify(record)}\n`);
    this.lock?.touch();
  }

  /** Merges `metrics` into the manifest's metrics and saves it. */
  setMetrics(metrics: Record<string, unknown>): void {
    this.manifest.metrics = { ...this.manifest.metrics, ...metrics };
    this.save();
  }

  /** Records how long a stage took (s) and saves the manifest. */
  setTiming(name: string, seconds: number): void {
    this.manifest.timings = { ...this.manifest.timings, [name]: seconds };
    this.save();
  }

  /** Appends a note (a departure, a warning) to the manifest and saves it. */
  addNote(note: string): void {
    this.manifest.notes = [...this.manifest.notes, note];
    this.save();
  }

  /** Marks the run complete (only after every result is written). */
  complete(metrics: Record<string, unknown> = {}): void {
    this.manifest.metrics = { ...this.manifest.metrics, ...metrics };
    this.manifest.status = 'complete';
    this.manifest.endedAt = new Date().toISOString();
    this.manifest.timings = {
      ...this.manifest.timings,
      total: (Date.parse(this.manifest.endedAt) - Date.parse(this.manifest.startedAt)) / 1000,
    };
    this.manifest.error = null;
    this.save();
    this.finish();
  }

  /** Marks the run failed with the reason; results written so far stay for inspection. */
  fail(error: unknown): void {
    this.end(error, 'failed');
  }

  /**
   * Marks the run interrupted (stopped by `signal`, e.g. SIGINT or SIGTERM); results written so
   * far stay for inspection, and the run never reads as complete.
   */
  interrupt(signal: string): void {
    this.end(new Error(`interrupted by ${signal}`), 'interrupted');
  }

  private end(error: unknown, status: 'failed' | 'interrupted'): void {
    const e = error instanceof Error ? error : new Error(String(error));
    this.manifest.status = status;
    this.manifest.endedAt = new Date().toISOString();
    this.manifest.error = { message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
    this.save();
    this.finish();
  }

  /** Runs `body` in a new run directory: complete on success, failed (and rethrown) on error. */
  static async run<T>(dir: string, opts: CreateRunOptions, body: (run: RunDirectory) => Promise<T> | T): Promise<T> {
    const run = RunDirectory.create(dir, opts);
    try {
      const out = await body(run);
      if (run.manifest.status === 'running') run.complete();
      return out;
    } catch (err) {
      run.fail(err);
      throw err;
    }
  }
}

/** A run's state as read back: its status, or 'interrupted' when it says running but its process is gone. */
export type RunState = 'running' | 'complete' | 'failed' | 'interrupted';

/** A run found on disk: its directory, manifest and state. */
export interface RunRecord {
  dir: string;
  manifest: RunManifest;
  /** `interrupted`: run.json says running but its process is gone. */
  state: RunState;
}

/** Reads and validates `dir/run.json`. */
export function readRun(dir: string): RunRecord {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) throw new RunFormatError(`${dir} is not a run directory (no ${MANIFEST})`);
  if (!statSync(file).isFile())
    throw new RunFormatError(`${file} is not a file (a run's ${MANIFEST} is a JSON file); the run directory is damaged`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RunFormatError(`${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new RunFormatError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const manifest = parseRunManifest(raw, file);
  let interrupted = false;
  if (manifest.status === 'running') {
    const holder = lockHolder(dir);
    interrupted = holder ? holder.stale : !manifestWriterAlive(manifest);
  }
  return { dir: resolve(dir), manifest, state: interrupted ? 'interrupted' : manifest.status };
}

/** Every run directory under `root` (depth ≤ `maxDepth`), newest first. Unreadable ones are skipped. */
export function listRuns(root: string, maxDepth = 3): RunRecord[] {
  const out: RunRecord[] = [];
  const walk = (dir: string, depth: number) => {
    if (existsSync(join(dir, MANIFEST))) {
      try {
        out.push(readRun(dir));
      } catch {
        /* not a valid run: skipped */
      }
    }
    if (depth >= maxDepth) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') walk(join(dir, e.name), depth + 1);
    }
  };
  if (existsSync(root)) walk(resolve(root), 0);
  return out.sort((a, b) => b.manifest.startedAt.localeCompare(a.manifest.startedAt));
}
