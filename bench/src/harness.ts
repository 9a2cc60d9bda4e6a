/**
 * Benchmark harness: timing with warm-up and medians, reference runs in Python
 * (PyTorch, NumPy, Brian2) on the same machine in the same run, and the table/JSON report.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchRow {
  bench: string;
  case: string;
  backend?: string;
  /** The measurement, in `unit`. */
  value: number;
  unit: string;
  /** Higher is better (throughput) or lower is better (time). */
  better: 'higher' | 'lower';
  /** A reference measured in the same run, in the same unit. */
  reference?: { name: string; value: number };
  note?: string;
}

export interface BenchContext {
  quick: boolean;
  log: (msg: string) => void;
}

export interface Bench {
  name: string;
  description: string;
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
 * Runs a Python reference script that prints one JSON object on its last line.
 * Returns null (with the reason) when Python or the library it needs is missing.
 */
export function runPythonReference(
  script: string,
  args: string[],
  modules: string[] = ['numpy'],
  timeoutMs = 600_000,
): { result: Record<string, number> | null; reason?: string } {
  // Reference scripts print numbers (and may add strings such as versions, ignored here).
  const py = findPython(modules);
  if (!py) return { result: null, reason: `not installed (no python3 with ${modules.join(', ')})` };
  const res = spawnSync(py, [join(referenceDir, script), ...args], { encoding: 'utf8', timeout: timeoutMs });
  if (res.error) return { result: null, reason: `python3 not runnable: ${res.error.message}` };
  if (res.status !== 0) {
    const last = (res.stderr || res.stdout).trim().split('\n').pop() ?? '';
    return { result: null, reason: /ModuleNotFoundError|No module named/.test(res.stderr) ? `not installed (${last})` : `failed: ${last}` };
  }
  const line = res.stdout.trim().split('\n').pop() ?? '{}';
  return { result: JSON.parse(line) };
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

/** wmkit ÷ reference, oriented so that > 1 means wmkit is faster. */
export function speedup(row: BenchRow): number | null {
  if (!row.reference) return null;
  return row.better === 'higher' ? row.value / row.reference.value : row.reference.value / row.value;
}

export function formatTable(rows: BenchRow[]): string {
  const header = ['bench', 'case', 'backend', 'result', 'reference (same run)', 'speed-up'];
  const body = rows.map((r) => {
    const s = speedup(r);
    return [
      r.bench,
      r.case,
      r.backend ?? '',
      `${fmt(r.value)} ${r.unit}`,
      r.reference ? `${r.reference.name}: ${fmt(r.reference.value)} ${r.unit}` : (r.note ?? ''),
      s == null ? '' : `${s.toFixed(2)}×`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
