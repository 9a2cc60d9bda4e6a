/**
 * Validation messages for configurations read from files or the command line: one problem per
 * clause, each naming its field. A field the schema does not know (a typo such as `tauMin` for
 * `tau`, which a lenient schema would drop without a word) is named together with the fields that
 * object has.
 */
import { UserError } from '@wmkit/tensor';
import type { z } from 'zod';

/**
 * A configuration (a file, a preset with overrides, a command line's settings) that fails
 * validation; the message names each field, the problem and where the config came from. The one
 * config error of every wmkit package.
 */
export class ConfigError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function at(value: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = value;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/** The keys of the object at `path` inside `example` (a complete config); [] if there is none. */
function keysAt(example: unknown, path: readonly PropertyKey[]): string[] {
  const v = at(example, path);
  return v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
}

/**
 * `'field': problem; …` for zod issues. `example` (a complete, valid config) supplies the field
 * names listed beside an unknown field — unless the object there is another `kind` of a
 * discriminated union than the `input`'s, whose fields the example does not show.
 */
export function describeConfigIssues(issues: readonly z.core.$ZodIssue[], example?: unknown, input?: unknown): string {
  const kindOf = (v: unknown) => (v && typeof v === 'object' ? (v as { kind?: unknown }).kind : undefined);
  return issues
    .map((i) => {
      const where = i.path.join('.');
      if (i.code !== 'unrecognized_keys') return `'${where || '(root)'}': ${i.message}`;
      const sameKind = input === undefined || kindOf(at(example, i.path)) === kindOf(at(input, i.path));
      const fields = sameKind ? keysAt(example, i.path) : [];
      const list = fields.length ? ` (the fields${where ? ` of '${where}'` : ''}: ${fields.join(', ')})` : '';
      return i.keys.map((k) => `'${where ? `${where}.` : ''}${k}': not a field of this config${list}`).join('; ');
    })
    .join('; ');
}

/**
 * What a config value is when it is not a plain object ('an array', 'null', 'number', …), for
 * "must be an object, got …"; null when it is an object.
 */
export function notAnObject(value: unknown): string | null {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? null : typeof value;
}
