/**
 * The configuration model shared by the train / simulate / reproduce commands, as functions:
 * config files (JSON or YAML), `path=value` overrides whose path must exist (the error lists the
 * fields valid where it stops matching), field-by-field merging, and validation by a zod schema.
 * Every problem is a ConfigError naming the file, the override or the field.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError, describeConfigIssues, notAnObject } from './config-issues';

/** Reads a JSON or YAML config file (by extension; errors name the file). */
export function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`${path}: cannot read the config file`);
  }
  const yaml = /\.ya?ml$/i.test(path);
  try {
    // yaml's default maxAliasCount refuses alias bombs
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path}: not valid ${yaml ? 'YAML' : 'JSON'} (${(err as Error).message.split('\n')[0]})`);
  }
}

/** A value typed on the command line: JSON where it parses (numbers, booleans, lists), else a string. */
export function parseSetValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/**
 * A partial config holding one `path=value` override. The path must exist in `current`: the
 * error lists the fields valid at the level where it stops matching.
 */
export function setPatch(current: unknown, assignment: string): Record<string, unknown> {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new ConfigError(`--set expects path=value (e.g. --set sigmaESqrtMs=2 or --set train.steps=0), got '${assignment}'`);
  const path = assignment.slice(0, eq).trim().split('.');
  const value = parseSetValue(assignment.slice(eq + 1).trim());
  let node: unknown = current;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] as string;
    if (!isObject(node) || !(key in node)) {
      const at = path.slice(0, i).join('.');
      const valid = isObject(node) ? Object.keys(node).join(', ') : '(none: not an object)';
      throw new ConfigError(`--set ${path.join('.')}: unknown field '${key}'${at ? ` in '${at}'` : ''}; valid fields: ${valid}`);
    }
    node = node[key];
  }
  const patch: Record<string, unknown> = {};
  let cursor = patch;
  for (let i = 0; i < path.length - 1; i++) {
    const next: Record<string, unknown> = {};
    cursor[path[i] as string] = next;
    cursor = next;
  }
  cursor[path[path.length - 1] as string] = value;
  return patch;
}

/** `patch` merged into `base`, objects field by field (arrays and values replace). */
export function mergeDeep(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = k in base ? mergeDeep(base[k], v) : v;
  return out;
}

/**
 * `patch` merged into `base` field by field, then validated by the zod schema (unknown fields
 * refused with the valid ones); errors name `where`.
 */
export function parseWithSchema<C>(schema: z.ZodType<C>, patch: unknown, base: C, where: string): C {
  {
    const got = notAnObject(patch);
    if (got) throw new ConfigError(`${where}: the config must be an object, got ${got}`);
    const merged = mergeDeep(base, patch);
    const r = schema.safeParse(merged);
    if (!r.success) throw new ConfigError(`${where}: ${describeConfigIssues(r.error.issues, base, merged)}`);
    return r.data;
  }
}
