/**
 * Benchmark harness: timing with warm-up and medians, reference runs in Python (PyTorch, NumPy,
 * Brian2) on the same machine in the same run, at 1 thread and at all cores, and the table/JSON
 * report.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setKernelThreads } from '@wmkit/tensor';

/** Cores the bench counts as "all cores". */
export const ALL_CORES = availableParallelism();

/** One side of a comparison: its result on one thread and on all cores. */
export interface Side {
  name: string;
  /** Result on one thread, in the row's unit. */
  value: number;
  /** Result on all cores; absent when it was not measured (see `allNote`). */
  valueAll?: number;
  /** Why `valueAll` is what it is, e.g. "single-threaded: same as 1 thread". */
  allNote?: string;
}

export interface BenchRow {
  bench: string;
  case: string;
  backend?: string;
  unit: string;
  /** Higher is better (throughput) or lower is better (time). */
  better: 'higher' | 'lower';
  /** wmkit's result (value: 1 thread; valueAll: all cores); absent on the machine-peak row. */
  wmkit?: Side;
  /** The peer, measured in the same run (value: 1 thread; valueAll: all cores). */
  peer?: Side;
  note?: string;
}

export interface BenchContext {
  quick: boolean;
  /** Interleaved repetitions of wmkit and its peer; medians are reported. */
  rounds: number;
  log: (msg: string) => void;
}

export interface Bench {
  name: string;
  description: string;
  /** Runs only when named in --only. */
  optional?: boolean;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}

export interface Timing {
  medianMs: number;
  minMs: number;
  runs: number;
}

/** Times `fn` after `warmup` calls: at least `minRuns` runs and `minMs` milliseconds. */
export async function time(
  fn: () => unknown | Promise<unknown>,
  opts: { warmup?: number; minRuns?: number; minMs?: number } = {},
): Promise<Timing> {
  const { warmup = 1, minRuns = 3, minMs = 500 } = opts;
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < minRuns || performance.now() - start < minMs) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(samples.length / 2)], minMs: samples[0], runs: samples.length };
}

export function median(xs: number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Runs the measurements `rounds` times, interleaved (a, b, c, a, b, c, …), so that load from
 * other processes on a shared machine falls on every side alike; returns each one's median.
 * A measurement that returns null (a missing peer) is not repeated.
 */
export async function interleaved<K extends string>(
  rounds: number,
  measures: Record<K, () => number | null | Promise<number | null>>,
): Promise<Record<K, number | null>> {
  return (await interleavedRounds(rounds, measures)).medians;
}

/**
 * `interleaved`, also returning every round's result (null where a side did not run), so that
 * ratios can be read per round: on a loaded machine the load changes between rounds, and two
 * sides measured in the same round saw about the same load.
 */
export async function interleavedRounds<K extends string>(
  rounds: number,
  measures: Record<K, () => number | null | Promise<number | null>>,
): Promise<{ medians: Record<K, number | null>; rounds: Record<K, (number | null)[]> }> {
  const samples = {} as Record<K, (number | null)[]>;
  const dead = new Set<K>();
  const keys = Object.keys(measures) as K[];
  for (const k of keys) samples[k] = [];
  for (let r = 0; r < rounds; r++)
    for (const k of keys) {
      if (dead.has(k)) {
        samples[k].push(null);
        continue;
      }
      const v = await measures[k]();
      if (v == null) dead.add(k);
      samples[k].push(v);
    }
  const medians = {} as Record<K, number | null>;
  for (const k of keys) {
    const xs = samples[k].filter((x): x is number => x != null);
    medians[k] = xs.length ? median(xs) : null;
  }
  return { medians, rounds: samples };
}

/**
 * The per-round ratios of two interleaved sides as a speed (> 1: `a` faster), e.g.
 * "1.52, 1.48, 1.61"; `better` says whether the unit is a time ('lower') or a rate ('higher').
 */
export function roundRatios(a: (number | null)[], b: (number | null)[], better: 'higher' | 'lower'): string {
  const r: string[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x == null || y == null) continue;
    r.push(`${(better === 'lower' ? y / x : x / y).toFixed(2)}×`);
  }
  return r.join(', ');
}

const here = dirname(fileURLToPath(import.meta.url));
export const referenceDir = join(here, '..', 'reference');

const pythonCache = new Map<string, string | null>();

/**
 * The first Python interpreter that can import `modules`: $WMKIT_PYTHON, then `python3` on
 * PATH, then Debian's /usr/bin/python3 (where `apt-get install python3-torch python3-brian`
 * puts PyTorch and Brian2 when PATH's python3 is another installation).
 */
export function findPython(modules: string[]): string | null {
  const key = modules.join(',');
  if (pythonCache.has(key)) return pythonCache.get(key) ?? null;
  const candidates = [process.env.WMKIT_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => Boolean(c));
  let found: string | null = null;
  for (const py of candidates) {
    const res = spawnSync(py, ['-c', modules.map((m) => `import ${m}`).join('; ')], { encoding: 'utf8', timeout: 60_000 });
    if (res.status === 0) {
      found = py;
      break;
    }
  }
  pythonCache.set(key, found);
  return found;
}

/**
 * The environment of a reference run on `threads` threads: the thread variables every BLAS and
 * OpenMP runtime reads, and without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, which pin OpenBLAS to
 * a slower kernel when set (this process's own environment is left as it is).
 */
export function peerEnv(threads: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  for (const v of ['WMKIT_BENCH_THREADS', 'OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS']) env[v] = String(threads);
  return env;
}

export type PeerResult = { result: Record<string, number | string> | null; reason?: string };

/**
 * Runs a Python reference script that prints one JSON object on its last line, on `threads`
 * threads (default 1). Returns null (with the reason) when Python or the library it needs is missing.
 */
export function runPythonReference(
  script: string,
  args: string[],
  modules: string[] = ['numpy'],
  opts: { threads?: number; timeoutMs?: number } = {},
): PeerResult {
  const py = findPython(modules);
  if (!py) return { result: null, reason: `not installed (no python3 with ${modules.join(', ')})` };
  const res = spawnSync(py, [join(referenceDir, script), ...args], {
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 900_000,
    env: peerEnv(opts.threads ?? 1),
    cwd: referenceDir,
  });
  if (res.error) return { result: null, reason: `python3 not runnable: ${res.error.message}` };
  if (res.status !== 0) {
    const last = (res.stderr || res.stdout).trim().split('\n').pop() ?? '';
    return { result: null, reason: /ModuleNotFoundError|No module named/.test(res.stderr) ? `not installed (${last})` : `failed: ${last}` };
  }
  const line = res.stdout.trim().split('\n').pop() ?? '{}';
  return { result: JSON.parse(line) };
}

/** A numeric field of a reference's result, or null. */
export function num(r: PeerResult, key: string): number | null {
  const v = r.result?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Runs `fn` with wmkit's kernels on `n` threads (`setKernelThreads`), then puts the default back.
 * The kernels' results are the same on any number of threads; only the time changes.
 */
export async function onKernelThreads<T>(n: number, fn: () => T | Promise<T>): Promise<T> {
  setKernelThreads(n);
  try {
    return await fn();
  } finally {
    setKernelThreads(null);
  }
}

/** A side that does not use threads (tfjs's wasm backend here): its all-cores column repeats the 1-thread result, labelled. */
export const SINGLE_THREADED = 'single-threaded: same as 1 thread';

/** A side measured at 1 thread and all cores; null when the 1-thread run is missing. */
export function side(name: string, one: number | null, all: number | null, allNote?: string): Side | undefined {
  if (one == null) return undefined;
  return { name, value: one, ...(all != null ? { valueAll: all } : {}), ...(allNote ? { allNote } : {}) };
}

let peakCache: Promise<{ one: number | null; all: number | null; blas: string; reason?: string }> | null = null;

/**
 * The machine's measured peak float32 FLOP/s (NumPy/OpenBLAS sgemm 2048²) on one thread and on
 * all cores: the best of `rounds` interleaved tries (a peak is what the machine can do; on a shared
 * machine a median would measure the neighbours), measured once per bench run.
 */
export function machinePeak(ctx: BenchContext): Promise<{ one: number | null; all: number | null; blas: string; reason?: string }> {
  peakCache ??= (async () => {
    ctx.log(`  machine peak: NumPy sgemm 2048², best of ${ctx.rounds} …`);
    let blas = '';
    let reason: string | undefined;
    const run = (threads: number) => {
      const r = runPythonReference('matmul_gflops.py', ['--peak'], ['numpy'], { threads });
      if (r.result?.blas && threads === ALL_CORES) blas = String(r.result.blas);
      reason ??= r.reason;
      return num(r, 'n2048');
    };
    const best: { one: number | null; all: number | null } = { one: null, all: null };
    for (let i = 0; i < ctx.rounds; i++) {
      const one = run(1);
      if (one == null) break;
      best.one = Math.max(best.one ?? 0, one);
      const all = ALL_CORES > 1 ? run(ALL_CORES) : one;
      if (all != null) best.all = Math.max(best.all ?? 0, all);
    }
    return { ...best, blas, reason };
  })();
  return peakCache;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(2)} G`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(1)} k`;
  if (a >= 100) return x.toFixed(0);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

/** wmkit ÷ peer, oriented so that > 1 means wmkit is faster; `all`: at all cores. */
export function speedup(row: BenchRow, all = false): number | null {
  if (!row.peer || !row.wmkit) return null;
  const w = all ? (row.wmkit.valueAll ?? (row.wmkit.allNote ? row.wmkit.value : undefined)) : row.wmkit.value;
  if (w == null) return null;
  // a single-threaded side's all-cores result is its 1-thread result
  const p = all ? (row.peer.valueAll ?? (row.peer.allNote ? row.peer.value : undefined)) : row.peer.value;
  if (p == null) return null;
  return row.better === 'higher' ? w / p : p / w;
}

/** The all-cores cell: the number, or the 1-thread number marked "=" when the side is single-threaded. */
function allCell(s: Side, unit: string): string {
  if (s.valueAll != null) return `${fmt(s.valueAll)} ${unit}`;
  return s.allNote ? `= ${fmt(s.value)} ${unit} (1 thread)` : '—';
}

export function formatTable(rows: BenchRow[]): string {
  const header = [
    'bench',
    'case',
    'wmkit 1 thread',
    `wmkit ${ALL_CORES} cores`,
    'peer (same run)',
    'peer 1 thread',
    `peer ${ALL_CORES} cores`,
    'ratio 1 thr',
    `ratio ${ALL_CORES} cores`,
  ];
  const body = rows.map((r) => {
    const s1 = speedup(r);
    const sa = speedup(r, true);
    return [
      r.bench,
      r.case + (r.backend ? ` [${r.backend}]` : ''),
      r.wmkit ? `${fmt(r.wmkit.value)} ${r.unit}` : '',
      r.wmkit ? allCell(r.wmkit, r.unit) : '',
      r.peer ? r.peer.name : (r.note ?? ''),
      r.peer ? `${fmt(r.peer.value)} ${r.unit}` : '',
      r.peer ? allCell(r.peer, r.unit) : '',
      s1 == null ? '' : `${s1.toFixed(2)}×`,
      sa == null ? '' : `${sa.toFixed(2)}×`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const notes = rows.filter((r) => r.note && r.peer).map((r) => `  ${r.bench} / ${r.case}: ${r.note}`);
  const allNotes = [...new Set(rows.flatMap((r) => [r.wmkit?.allNote, r.peer?.allNote]).filter((n): n is string => Boolean(n)))];
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    ...(notes.length ? ['', 'notes:', ...notes] : []),
    ...(allNotes.length ? ['', `"= … (1 thread)": ${allNotes.join('; ')}`] : []),
    '',
    'ratio = wmkit ÷ peer as a speed (> 1: wmkit faster); medians of interleaved rounds.',
  ].join('\n');
}
