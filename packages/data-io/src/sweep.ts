/**
 * Sweeps: a parameter grid × seeds × one wmkit command, expanded into independent runs with
 * stable ids and directories (`loadSweep`), their status (`sweepRunStatus`), the SLURM array
 * script that runs them on a cluster (`sbatchLines`, `shellQuote`, `sbatchPath`), and the runs
 * stopped by a signal marked interrupted (`interruptSweepRuns`). A problem with a spec or an
 * option is a ConfigError naming the file and the field.
 *
 * Sweep specs: a parameter grid × seeds × one wmkit command, expanded into independent runs
 * with stable ids and directories.
 *
 * ```yaml
 * name: kurtkaya-quick
 * kind: reproduce.foldiak1990          # optional: the run kind every run must have
 * command: [reproduce, foldiak1990, --presentations, "{presentations}", --seed, "{seed}"]
 * grid:
 *   presentations: [200, 400]          # each parameter: a non-empty list
 * seeds: 3                             # 0, 1, 2 (or a list: [1, 5, 9])
 * out: runs/foldiak                   # relative to this file; run i lives in <out>/<id>
 * ```
 * `{name}` in the command is replaced by the run's value of that grid parameter, `{seed}` by
 * its seed, `{out}` by its directory; `--out {out}` is appended when the command has no --out
 * (a command may not set --out to anything else: its runs would land outside the sweep).
 * `out` must stay inside the spec's folder unless the caller allows otherwise (`--allow-outside`).
 * Run order (and `--index`): the grid in the order written, the last parameter fastest, seeds
 * innermost.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './config-issues';
import { RunDirectory, readRun } from './run-directory';
import { lockHolder, thisWriter } from './run-lock';

const scalar = z.union([z.number(), z.string(), z.boolean()]);
const specSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only'),
    kind: z.string().min(1).optional(),
    command: z.array(z.union([z.string(), z.number()])).min(1),
    grid: z.record(z.string(), z.array(scalar)),
    seeds: z.union([z.number().int().positive(), z.array(z.number().int())]).default(1),
    out: z.string().min(1).optional(),
  })
  .strict();

/** One run of a sweep: its index, id, grid values, seed, directory and command arguments. */
export interface SweepRun {
  index: number;
  id: string;
  params: Record<string, string | number | boolean>;
  seed: number;
  dir: string;
  args: string[];
}

/** What `wmkit sweep run` hands a worker thread: one run's arguments and its log file. */
export interface SweepJob {
  args: string[];
  log: string;
}

/** An expanded sweep spec: its file, name, kind, output folder, grid and runs. */
export interface Sweep {
  file: string;
  name: string;
  kind: string | null;
  out: string;
  params: string[];
  values: Record<string, (string | number | boolean)[]>;
  seeds: number[];
  runs: SweepRun[];
}

function idPart(v: string | number | boolean): string {
  return String(v).replace(/[^A-Za-z0-9.+-]/g, '_');
}

/** Options of `loadSweep`. */
export interface LoadSweepOptions {
  /** Allow `out` to leave the spec's folder (`--allow-outside`). */
  allowOutside?: boolean;
}

/** Reads and expands a sweep spec (YAML or JSON); every problem names the file and the field. */
export function loadSweep(file: string, opts: LoadSweepOptions = {}): Sweep {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`${file}: cannot read the sweep spec`);
  }
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'} (${(err as Error).message.split('\n')[0]})`);
  }
  const parsed = specSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? `'${issue.path.join('.')}'` : 'the spec';
    throw new ConfigError(`${file}: ${where}: ${issue.message}`);
  }
  const s = parsed.data;
  const params = Object.keys(s.grid);
  if (!params.length) throw new ConfigError(`${file}: 'grid' is empty; give at least one parameter with a list of values`);
  for (const p of params) {
    if (!s.grid[p].length) throw new ConfigError(`${file}: 'grid.${p}' is an empty list; give at least one value`);
    const dup = s.grid[p].find((v, i) => s.grid[p].indexOf(v) !== i);
    if (dup !== undefined)
      throw new ConfigError(`${file}: 'grid.${p}' lists ${JSON.stringify(dup)} twice (each value gives one run directory)`);
    if (['seed', 'out'].includes(p)) throw new ConfigError(`${file}: 'grid.${p}': '${p}' is reserved (seeds go in 'seeds')`);
  }
  const command = s.command.map(String);
  const used = new Set<string>();
  for (const a of command)
    for (const m of a.matchAll(/\{([^}]*)\}/g)) {
      const name = m[1];
      if (name !== 'seed' && name !== 'out' && !params.includes(name))
        throw new ConfigError(
          `${file}: 'command' uses unknown parameter '{${name}}' (grid parameters: ${params.join(', ')}; also {seed}, {out})`,
        );
      used.add(name);
    }
  for (const p of params)
    if (!used.has(p)) throw new ConfigError(`${file}: grid parameter '${p}' is not used by 'command' (write {${p}} where it goes)`);
  // each run's directory is the sweep's: a command writing elsewhere would report runs that
  // `collect` never finds
  for (let i = 0; i < command.length; i++) {
    const a = command[i];
    const value = a === '--out' ? command[i + 1] : a.startsWith('--out=') ? a.slice('--out='.length) : null;
    if (value !== null && value !== '{out}')
      throw new ConfigError(
        `${file}: 'command' sets its own --out (${value ?? 'nothing'}); remove it (each run writes to <out>/<run id>, passed as --out) or write --out {out}`,
      );
  }
  const seeds = typeof s.seeds === 'number' ? Array.from({ length: s.seeds }, (_, i) => i) : s.seeds;
  if (!seeds.length) throw new ConfigError(`${file}: 'seeds' is empty`);
  const base = dirname(resolve(file));
  const out = s.out ? (isAbsolute(s.out) ? resolve(s.out) : resolve(base, s.out)) : join(base, 'runs', s.name);
  const rel = relative(base, out);
  if (!opts.allowOutside && (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)))
    throw new ConfigError(
      `${file}: 'out' (${s.out}) resolves to ${out}, outside the spec's folder ${base}; give a folder inside it, or pass --allow-outside to write there`,
    );
  const runs: SweepRun[] = [];
  const combos: Record<string, string | number | boolean>[] = [{}];
  for (const p of params) {
    const next: Record<string, string | number | boolean>[] = [];
    for (const c of combos) for (const v of s.grid[p]) next.push({ ...c, [p]: v });
    combos.splice(0, combos.length, ...next);
  }
  for (const c of combos)
    for (const seed of seeds) {
      const id = [...params.map((p) => `${p}-${idPart(c[p])}`), `seed-${seed}`].join('_');
      const dir = join(out, id);
      const args = command.map((a) =>
        a.replace(/\{([^}]*)\}/g, (_, n: string) => (n === 'seed' ? String(seed) : n === 'out' ? dir : String(c[n]))),
      );
      if (!args.includes('--out')) args.push('--out', dir);
      runs.push({ index: runs.length, id, params: c, seed, dir, args });
    }
  return { file: resolve(file), name: s.name, kind: s.kind ?? null, out, params, values: s.grid, seeds, runs };
}

/** A run's status in its sweep. */
export type RunStatus = 'complete' | 'failed' | 'interrupted' | 'running' | 'missing';

/**
 * A command's arguments as they define the run: without `--out <dir>` (a sweep folder may move,
 * from scratch to home) and `--force` (added when a failed or interrupted run is run again).
 */
function defining(args: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') i++;
    else if (args[i] !== '--force') out.push(args[i]);
  }
  return out.join('\u0000');
}

/**
 * A run's status in its sweep. A directory holding another kind of run, or a run of another
 * command line, is an error (ConfigError) naming the directory and the fix.
 */
export function sweepRunStatus(sweep: Sweep, r: SweepRun): { status: RunStatus; kind: string | null } {
  if (!existsSync(join(r.dir, 'run.json'))) return { status: 'missing', kind: null };
  try {
    const rec = readRun(r.dir);
    if (sweep.kind && rec.manifest.kind !== sweep.kind)
      throw new ConfigError(
        `${r.dir} is a '${rec.manifest.kind}' run, but the sweep ${sweep.name} holds '${sweep.kind}' runs; remove it or fix 'kind' in ${sweep.file}`,
      );
    // a run made by another command (another kind of run, or the spec changed since) is not
    // this sweep's, whatever its status: reusing it would mix in other settings unseen. Runs
    // that recorded no arguments (made by wmkit ≤ 0.1 in a sweep worker) cannot be checked.
    const made = rec.manifest.command?.slice(1) ?? [];
    if (made.length && defining(made) !== defining(r.args))
      throw new ConfigError(
        `${r.dir} holds a run of \`wmkit ${made.join(' ')}\`, not of this sweep's \`wmkit ${r.args.join(' ')}\` (the spec changed since it ran, or 'out' in ${sweep.file} points at other runs); remove ${r.dir} to run it again, or restore the spec`,
      );
    return { status: rec.state as RunStatus, kind: rec.manifest.kind };
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    return { status: 'failed', kind: null };
  }
}

/**
 * After SIGINT/SIGTERM: the runs this process's workers were writing (run.json `running`, the
 * lock held by this process) are marked interrupted, so none stays `running`.
 */
export function interruptSweepRuns(runs: SweepRun[], signal: string): void {
  const me = thisWriter();
  for (const r of runs) {
    try {
      if (!existsSync(join(r.dir, 'run.json'))) continue;
      const rec = readRun(r.dir);
      const holder = lockHolder(r.dir)?.writer ?? rec.manifest.writer;
      if (rec.manifest.status !== 'running' || !holder || holder.pid !== me.pid || holder.host !== me.host) continue;
      const run = RunDirectory.open(r.dir);
      run.interrupt(`${signal} (the sweep was stopped)`);
      rmSync(join(r.dir, '.lock'), { force: true });
    } catch {
      /* a run that cannot be read is reported by the next `sweep run` */
    }
  }
}

/** A word for a POSIX shell, in single quotes (quotes inside closed, escaped, reopened). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

// SLURM's own formats (sbatch(1)); anything else is refused rather than escaped, since sbatch
// reads #SBATCH lines itself
const SLURM_NAME = /^[A-Za-z0-9_.+-]+(,[A-Za-z0-9_.+-]+)*$/; // partition (may be a list), account, qos
const SLURM_TIME = /^(\d+-\d{1,2}(:\d{1,2}){0,2}|\d+(:\d{1,2}){0,2})$/; // min, min:s, h:min:s, d-h, d-h:min, d-h:min:s
const SLURM_MEM = /^\d+[KMGT]?$/i;
// options the script sets itself: another value would break the array job
const SBATCH_OWN = ['array', 'output', 'error', 'job-name', 'partition', 'account', 'qos', 'time', 'mem', 'cpus-per-task'];
const SBATCH_LINE = /^--([a-z][a-z0-9-]*)(=([A-Za-z0-9_.,:/@%+=-]+))?$|^-([A-Za-z])( ?([A-Za-z0-9_.,:/@%+=-]+))?$/;
/**
 * A path on an #SBATCH line. sbatch splits such lines itself (no shell: `$(…)` stays text),
 * groups a double-quoted argument and unescapes \\" and \\\\ inside it.
 */
export function sbatchPath(path: string): string {
  return /^[A-Za-z0-9_./+@=,:~$()%-]+$/.test(path) ? path : `"${path.replace(/[\\"]/g, '\\$&')}"`;
}

function noBreaks(option: string, value: string): void {
  if (/[\n\r\0]/.test(value)) throw new ConfigError(`${option}: line breaks and NUL bytes are not allowed (got ${JSON.stringify(value)})`);
}

/** The SLURM options of `wmkit sweep slurm`. */
export interface SlurmOptions {
  script?: string;
  partition?: string;
  account?: string;
  qos?: string;
  time: string;
  cpus: number;
  mem: string;
  sbatch?: string[];
  dryRun?: boolean;
}

/** Validates the options and returns the #SBATCH lines they give. */
export function sbatchLines(o: SlurmOptions): string[] {
  const lines: string[] = [];
  const named = (option: string, key: string, value: string | undefined, example: string) => {
    if (value == null) return;
    noBreaks(option, value);
    if (!SLURM_NAME.test(value))
      throw new ConfigError(`${option} ${JSON.stringify(value)}: a SLURM ${key} name has letters, digits, '_', '.', '-' (e.g. ${example})`);
    lines.push(`#SBATCH --${key}=${value}`);
  };
  noBreaks('--time', o.time);
  if (!SLURM_TIME.test(o.time))
    throw new ConfigError(`--time ${JSON.stringify(o.time)}: give minutes, hh:mm:ss or d-hh:mm:ss (e.g. 01:00:00 or 2-00:00:00)`);
  noBreaks('--mem', o.mem);
  if (!SLURM_MEM.test(o.mem))
    throw new ConfigError(`--mem ${JSON.stringify(o.mem)}: give a size in MB or with a unit K, M, G, T (e.g. 2G or 500M)`);
  lines.push(`#SBATCH --cpus-per-task=${o.cpus}`, `#SBATCH --mem=${o.mem}`, `#SBATCH --time=${o.time}`);
  named('--partition', 'partition', o.partition, 'gpu or short,long');
  named('--account', 'account', o.account, 'mylab');
  named('--qos', 'qos', o.qos, 'normal');
  for (const line of o.sbatch ?? []) {
    noBreaks('--sbatch', line);
    const m = SBATCH_LINE.exec(line.trim());
    if (!m)
      throw new ConfigError(
        `--sbatch ${JSON.stringify(line)}: give one sbatch option as --name=value or --flag (e.g. --sbatch --gres=gpu:1 or --sbatch --constraint=haswell); values may hold letters, digits and _ . , : / @ % + = - only`,
      );
    if (m[1] && SBATCH_OWN.includes(m[1]))
      throw new ConfigError(
        `--sbatch ${line}: the script sets --${m[1]} itself${['array', 'output', 'error', 'job-name'].includes(m[1]) ? ' (the sweep depends on it)' : `; use wmkit's --${m[1] === 'cpus-per-task' ? 'cpus' : m[1]} option`}`,
      );
    lines.push(`#SBATCH ${line.trim()}`);
  }
  return lines;
}

/** The numbers of a metrics object by dotted path (booleans as 0/1). */
export function flattenMetrics(obj: Record<string, unknown>, prefix = '', out: Record<string, number> = {}): Record<string, number> {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
    else if (typeof v === 'boolean') out[key] = v ? 1 : 0;
    else if (v && typeof v === 'object' && !Array.isArray(v)) flattenMetrics(v as Record<string, unknown>, key, out);
  }
  return out;
}

/**
 * The runs of a sweep still to run (all, or run `index` only): their status read from their
 * directories; a sweep whose folder holds runs of several kinds is refused.
 */
export function pendingSweepRuns(sweep: Sweep, index?: number): { runs: SweepRun[]; pending: SweepRun[] } {
  let runs = sweep.runs;
  if (index != null) {
    if (!(index >= 0 && index < runs.length))
      throw new ConfigError(`--index ${index} is outside 0…${runs.length - 1} (${runs.length} runs in ${sweep.name})`);
    runs = [runs[index] as SweepRun];
  }
  const kinds = new Set<string>();
  const pending = runs.filter((r) => {
    const s = sweepRunStatus(sweep, r);
    if (s.kind) kinds.add(s.kind);
    return s.status !== 'complete';
  });
  if (!sweep.kind && kinds.size > 1)
    throw new ConfigError(`${sweep.out} holds runs of several kinds (${[...kinds].join(', ')}); one sweep must hold one kind`);
  return { runs, pending };
}

/**
 * The `sbatch --array` script of a sweep: task i runs `<node> <wmkit> sweep run <spec> --index i`
 * in `cwd`; every value written into it is validated (`sbatchLines`) and every shell word quoted.
 */
export function slurmScript(
  sweep: Sweep,
  o: SlurmOptions & { allowOutside?: boolean },
  env: { node: string; bin: string; cwd: string },
): string {
  const options = sbatchLines(o);
  const logs = join(sweep.out, 'logs');
  // '%' starts one of sbatch's file name patterns (%A: job, %a: task)
  if ([...logs].some((c) => c === '%' || c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127))
    throw new ConfigError(
      `the sweep's logs folder ${JSON.stringify(logs)} holds '%' or a control character, which an #SBATCH line cannot carry; give 'out' in ${sweep.file} a plainer path`,
    );
  const run = [env.node, env.bin, 'sweep', 'run', sweep.file].map(shellQuote).join(' ');
  return [
    '#!/bin/bash',
    `#SBATCH --job-name=${sweep.name}`,
    `#SBATCH --array=0-${sweep.runs.length - 1}`,
    `#SBATCH --output=${sbatchPath(join(logs, 'slurm-%A_%a.out'))}`,
    ...options,
    '# written by `wmkit sweep slurm`; each array task runs one run of the sweep (skipped if already complete)',
    'set -euo pipefail',
    `cd ${shellQuote(env.cwd)}`,
    'export WMKIT_PROGRESS=0',
    `${run} --index "$SLURM_ARRAY_TASK_ID" --workers 1${o.allowOutside ? ' --allow-outside' : ''}`,
    '',
  ].join('\n');
}

/** A sweep's runs in one table (`sweepTable`). */
export interface SweepTable {
  /** sweep.csv: index, id, grid values, seed, status and each numeric metric per run. */
  csv: string;
  /** Each metric over [grid parameters…, seed] (NaN where a run is missing). */
  arrays: { name: string; metric: string; data: Float64Array; shape: number[] }[];
  counts: { runs: number; complete: number; missing: number; failed: number };
  metricNames: string[];
}

/** Every run of a sweep with its status and numeric metrics, as CSV and as arrays over the grid and seeds. */
export function sweepTable(sweep: Sweep): SweepTable {
  const rows = sweep.runs.map((r) => {
    const s = sweepRunStatus(sweep, r);
    const metrics = s.status === 'complete' ? flattenMetrics(readRun(r.dir).manifest.metrics) : {};
    return { r, status: s.status, kind: s.kind, metrics };
  });
  const kinds = new Set(rows.map((x) => x.kind).filter(Boolean));
  if (kinds.size > 1)
    throw new ConfigError(`${sweep.out} holds runs of several kinds (${[...kinds].join(', ')}); one sweep must hold one kind`);
  const complete = rows.filter((x) => x.status === 'complete');
  const metricNames = [...new Set(complete.flatMap((x) => Object.keys(x.metrics)))].sort();
  const header = ['index', 'id', ...sweep.params, 'seed', 'status', ...metricNames];
  const csvCell = (v: unknown) => (typeof v === 'string' && /[,"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v ?? ''));
  const lines = [header.join(',')];
  for (const x of rows)
    lines.push(
      [x.r.index, x.r.id, ...sweep.params.map((p) => x.r.params[p]), x.r.seed, x.status, ...metricNames.map((m) => x.metrics[m] ?? '')]
        .map(csvCell)
        .join(','),
    );
  const shape = [...sweep.params.map((p) => sweep.values[p].length), sweep.seeds.length];
  const arrays = metricNames.map((m) => {
    const data = new Float64Array(rows.length).fill(Number.NaN);
    rows.forEach((x, i) => {
      if (m in x.metrics) data[i] = x.metrics[m] as number;
    });
    return { name: m.replace(/[^A-Za-z0-9_.-]/g, '_'), metric: m, data, shape };
  });
  const counts = {
    runs: rows.length,
    complete: complete.length,
    missing: rows.filter((x) => x.status === 'missing').length,
    failed: rows.filter((x) => x.status === 'failed' || x.status === 'interrupted').length,
  };
  return { csv: `${lines.join('\n')}\n`, arrays, counts, metricNames };
}
