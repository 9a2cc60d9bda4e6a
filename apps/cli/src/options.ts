/**
 * Option parsing shared by every command: numbers and lists checked up front with the option
 * named, and the one configuration model of the train / simulate / reproduce commands:
 *
 *   --config file.(json|yaml)   fields merged onto the preset (validated)
 *   --set path=value            one field by its dotted path (repeatable; unknown paths refused
 *                               with the list of valid ones)
 *   --print-config              print the fully resolved config as JSON and exit
 *   --from <run>                start from the config (and seed) a run.json recorded, to rerun it
 *
 * Order: preset (or --from) → --config → --set, each validated by the command's own schema.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@wmkit/data-io';
import { parseWithSchema, setPatch as patchOf, readConfigFile as readConfig, readRun } from '@wmkit/data-io/node';
import { parseThreadCount, setKernelThreads } from '@wmkit/tensor';
import type { Command } from 'commander';
import type { z } from 'zod';
import { UsageError } from './errors';

/**
 * Runs `f` (or awaits what it returns); an error of one of `kinds` (default: ConfigError, a
 * problem in a file, an override or a field) becomes a usage error (exit code 2).
 */
export function usage<T>(f: () => T, kinds: (abstract new (...args: never[]) => Error)[] = [ConfigError]): T {
  const toUsage = (err: unknown) => (kinds.some((k) => err instanceof k) ? new UsageError((err as Error).message) : err);
  try {
    const r = f();
    return (r instanceof Promise ? r.catch((err) => Promise.reject(toUsage(err))) : r) as T;
  } catch (err) {
    throw toUsage(err);
  }
}

/** Reads a JSON or YAML config file (by extension; errors name the file). */
export const readConfigFile = (path: string): unknown => usage(() => readConfig(path));

/** A partial config holding one `path=value` override; the path must exist in `current` (the error lists the valid fields). */
export const setPatch = (current: unknown, assignment: string): Record<string, unknown> => usage(() => patchOf(current, assignment));

/** A `ConfigSpec.parse` from a zod schema (`parseWithSchema`: merged field by field, then validated; errors name `where`). */
export function schemaParser<C>(schema: z.ZodType<C>): ConfigSpec<C>['parse'] {
  return (patch, base, where) => usage(() => parseWithSchema(schema, patch, base, where));
}

/** An integer option, optionally bounded: `--name must be an integer ≥ min, got 'v'`. */
export function parseIntOption(name: string, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY) {
  const [low, high] = [Number.isFinite(min), Number.isFinite(max)];
  const range = low && high ? ` in ${min}–${max}` : low ? ` ≥ ${min}` : high ? ` ≤ ${max}` : '';
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer${range}, got '${v}'`);
    return n;
  };
}

/** A finite number option. */
export function parseNumberOption(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got '${v}'`);
    return n;
  };
}

/** A finite number > 0 (bin widths, windows, durations). */
export function parsePositiveOption(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!(Number.isFinite(n) && n > 0)) throw new UsageError(`--${name} must be a number > 0, got '${v}'`);
    return n;
  };
}

/** A comma-separated list of finite numbers. */
export function parseListOption(name: string) {
  return (v: string): number[] => {
    const xs = v.split(',').map((s) => Number(s.trim()));
    if (!xs.length || xs.some((x) => !Number.isFinite(x)))
      throw new UsageError(`--${name} must be a comma-separated list of numbers, got '${v}'`);
    return xs;
  };
}

/** Collects a repeatable option (`--set a=1 --set b=2`). */
export function collectSet(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

export const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The values commander collects for the shared config options. */
export interface ConfigOptionValues {
  config?: string;
  set?: string[];
  printConfig?: boolean;
  from?: string;
}

/** Adds --config, --set, --print-config and --from to a command. */
export function addConfigOptions(cmd: Command, example = 'sigmaESqrtMs=2'): Command {
  return cmd
    .option('--config <file>', 'config file (.json or .yaml) merged onto the preset (validated; unknown fields refused)')
    .option('--set <path=value>', `override one config field by its dotted path, e.g. --set ${example} (repeatable)`, collectSet)
    .option('--print-config', 'print the fully resolved config as JSON and exit')
    .option('--from <run>', 'rerun what a run directory recorded: its config and seed (other options still apply)');
}

/** How a command's config is validated and merged. */
export interface ConfigSpec<C> {
  /** The preset or default config (the base when --from is not given). */
  base: C;
  /**
   * Validates `patch` (a partial config) merged onto `base`; throws an error naming the field
   * and `where` on bad input, and refuses unknown fields.
   */
  parse: (patch: unknown, base: C, where: string) => C;
  /** Run kinds --from accepts (e.g. ['attractor.simulate']). */
  kinds?: string[];
  /** Reads the config out of a recorded run.json `config` (default: the whole object). */
  fromRecorded?: (recorded: unknown, dir: string) => unknown;
}

/** The run a --from option names: its recorded config and seed. */
export function recordedRun(dir: string, kinds?: string[]): { config: unknown; seed: number | null; kind: string } {
  if (!existsSync(join(dir, 'run.json'))) throw new UsageError(`--from ${dir}: no run.json there; give a run directory`);
  const rec = readRun(dir);
  const kind = rec.manifest.kind;
  if (kinds && !kinds.includes(kind))
    throw new UsageError(`--from ${dir}: a '${kind}' run, but this command reruns ${kinds.map((k) => `'${k}'`).join(' or ')} runs`);
  const seed = typeof rec.manifest.seed === 'number' ? rec.manifest.seed : null;
  return { config: rec.manifest.config, seed, kind };
}

/** The resolved config of a command: preset or --from, then --config, then each --set. */
export function resolveCommandConfig<C>(o: ConfigOptionValues, spec: ConfigSpec<C>): { config: C; seed: number | null } {
  let cfg = spec.base;
  let seed: number | null = null;
  if (o.from) {
    const r = recordedRun(o.from, spec.kinds);
    const recorded = spec.fromRecorded ? spec.fromRecorded(r.config, o.from) : r.config;
    cfg = spec.parse(recorded, spec.base, `${o.from}/run.json config`);
    seed = r.seed;
  }
  if (o.config) cfg = spec.parse(readConfigFile(o.config), cfg, o.config);
  for (const s of o.set ?? []) cfg = spec.parse(setPatch(cfg, s), cfg, `--set ${s}`);
  return { config: cfg, seed };
}

/** With --print-config: prints the resolved config (JSON) and returns true (the command then stops). */
export function printConfigIfAsked(o: ConfigOptionValues, config: unknown): boolean {
  if (!o.printConfig) return false;
  console.log(JSON.stringify(config, null, 2));
  return true;
}

/** `--engine kernels|tfjs`: the fused wasm kernels, or TensorFlow.js ops on the selected backend. */
export function parseEngine(v: string): 'kernels' | 'tfjs' {
  if (v !== 'kernels' && v !== 'tfjs') throw new UsageError(`--engine must be kernels or tfjs, got '${v}'`);
  return v;
}

/**
 * The config of a command whose options are its config (a reproduction's protocol): the base
 * (the defaults, or a preset such as --quick) → --from → --config → --set → the options typed on
 * the command line (`options` maps a config field, dotted where nested, to its option, e.g.
 * `{ delayMs: 'delay', 'params.alpha': 'alpha' }`; an option left at its default does not override). The seed: --seed if typed, else the --from
 * run's, else --seed's default.
 */
export function resolveOptionConfig<C>(
  o: ConfigOptionValues & { seed?: number },
  cmd: Command,
  spec: ConfigSpec<C> & { options: Record<string, string> },
): { config: C; seed: number | undefined } {
  const r = resolveCommandConfig(o, spec);
  let config = r.config;
  const typed: Record<string, unknown> = {};
  const values = o as Record<string, unknown>;
  for (const [field, option] of Object.entries(spec.options)) {
    if (cmd.getOptionValueSource(option) !== 'cli') continue;
    // a dotted field (params.alpha) becomes a nested patch
    const path = field.split('.');
    let node = typed;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1] as string] = values[option];
  }
  if (Object.keys(typed).length) config = spec.parse(typed, config, 'the command-line options');
  const seedTyped = cmd.getOptionValueSource('seed') === 'cli';
  return { config, seed: seedTyped ? o.seed : (r.seed ?? o.seed) };
}

/**
 * `--threads N` on every command: how many threads the wasm kernels use inside this process
 * (`setKernelThreads`; default every core, or `WMKIT_THREADS`). Recorded in run.json beside the
 * backend (`backend.kernels`).
 */
export function addThreadsOption(program: Command): void {
  program.option('--threads <n>', 'threads the wasm kernels use inside one run (default: every core, or WMKIT_THREADS)');
  program.hook('preAction', () => {
    const t = program.opts().threads as string | undefined;
    setKernelThreads(t == null ? null : parseThreadCount(t, '--threads'));
  });
}
