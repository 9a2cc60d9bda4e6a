/**
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
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../../errors';

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

export interface SweepRun {
  index: number;
  id: string;
  params: Record<string, string | number | boolean>;
  seed: number;
  dir: string;
  args: string[];
}

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
    throw new UsageError(`${file}: cannot read the sweep spec`);
  }
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new UsageError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'} (${(err as Error).message.split('\n')[0]})`);
  }
  const parsed = specSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? `'${issue.path.join('.')}'` : 'the spec';
    throw new UsageError(`${file}: ${where}: ${issue.message}`);
  }
  const s = parsed.data;
  const params = Object.keys(s.grid);
  if (!params.length) throw new UsageError(`${file}: 'grid' is empty; give at least one parameter with a list of values`);
  for (const p of params) {
    if (!s.grid[p].length) throw new UsageError(`${file}: 'grid.${p}' is an empty list; give at least one value`);
    const dup = s.grid[p].find((v, i) => s.grid[p].indexOf(v) !== i);
    if (dup !== undefined)
      throw new UsageError(`${file}: 'grid.${p}' lists ${JSON.stringify(dup)} twice (each value gives one run directory)`);
    if (['seed', 'out'].includes(p)) throw new UsageError(`${file}: 'grid.${p}': '${p}' is reserved (seeds go in 'seeds')`);
  }
  const command = s.command.map(String);
  const used = new Set<string>();
  for (const a of command)
    for (const m of a.matchAll(/\{([^}]*)\}/g)) {
      const name = m[1];
      if (name !== 'seed' && name !== 'out' && !params.includes(name))
        throw new UsageError(
          `${file}: 'command' uses unknown parameter '{${name}}' (grid parameters: ${params.join(', ')}; also {seed}, {out})`,
        );
      used.add(name);
    }
  for (const p of params)
    if (!used.has(p)) throw new UsageError(`${file}: grid parameter '${p}' is not used by 'command' (write {${p}} where it goes)`);
  // each run's directory is the sweep's: a command writing elsewhere would report runs that
  // `collect` never finds
  for (let i = 0; i < command.length; i++) {
    const a = command[i];
    const value = a === '--out' ? command[i + 1] : a.startsWith('--out=') ? a.slice('--out='.length) : null;
    if (value !== null && value !== '{out}')
      throw new UsageError(
        `${file}: 'command' sets its own --out (${value ?? 'nothing'}); remove it (each run writes to <out>/<run id>, passed as --out) or write --out {out}`,
      );
  }
  const seeds = typeof s.seeds === 'number' ? Array.from({ length: s.seeds }, (_, i) => i) : s.seeds;
  if (!seeds.length) throw new UsageError(`${file}: 'seeds' is empty`);
  const base = dirname(resolve(file));
  const out = s.out ? (isAbsolute(s.out) ? resolve(s.out) : resolve(base, s.out)) : join(base, 'runs', s.name);
  const rel = relative(base, out);
  if (!opts.allowOutside && (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)))
    throw new UsageError(
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
