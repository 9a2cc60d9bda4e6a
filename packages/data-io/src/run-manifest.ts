/**
 * `run.json`: the manifest of a run directory. Every wmkit command that produces results
 * writes one; the viewer and users' own scripts read it.
 *
 *   runs/dms-1/
 *     run.json        this manifest (kind, resolved config, seed, backend, versions, status, metrics, arrays)
 *     *.npy           arrays (numpy.load opens them)
 *     metrics.jsonl   training curves, one JSON object per line
 *     *.svg           figures;  report.md / report.html for recipes
 *
 * `status` is `running` while the command works, then `complete` or `failed`; a run killed
 * without a chance to write `failed` stays `running`, and readers report it as interrupted
 * once its writer (`writer`: host, PID, process start time; and the directory's `.lock`) is
 * gone. Only `complete` runs are results.
 */
import { UserError } from '@wmkit/tensor';
import { z } from 'zod';
import { describeConfigIssues } from './config-issues';

/** Version of the run-directory format written to `run.json` (`format`). */
export const RUN_FORMAT_VERSION = 1;

export const npyDtypeSchema = z.enum([
  'float32',
  'float64',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'bool',
]);

/** Validator of one `arrays` entry of `run.json`. */
export const arrayEntrySchema = z.object({
  name: z.string().min(1),
  file: z.string().min(1),
  dtype: npyDtypeSchema,
  shape: z.array(z.number().int().nonnegative()),
  description: z.string().optional(),
});

/** Validator of one `figures` entry of `run.json`. */
export const figureEntrySchema = z.object({
  name: z.string().min(1),
  file: z.string().min(1),
  caption: z.string().optional(),
});

/** Validator of a run's status. */
export const runStatusSchema = z.enum(['running', 'complete', 'failed']);

/** Validator of a whole `run.json`. */
export const runManifestSchema = z.object({
  format: z.literal(RUN_FORMAT_VERSION),
  kind: z.string().min(1),
  id: z.string().min(1),
  status: runStatusSchema,
  preset: z.string().nullable().default(null),
  seed: z.union([z.number(), z.string()]).nullable(),
  config: z.unknown(),
  backend: z.record(z.string(), z.unknown()).nullable(),
  versions: z.record(z.string(), z.string()),
  command: z.array(z.string()).nullable().default(null),
  machine: z.record(z.string(), z.unknown()).nullable().default(null),
  pid: z.number().int().nullable().default(null),
  /** The writing process: host, PID and start time (a PID alone is reused, and is per host). */
  writer: z.object({ host: z.string(), pid: z.number().int(), startTime: z.string().nullable() }).nullable().default(null),
  /** Memory the run was estimated to need before it started, and what the machine had available. */
  memory: z
    .object({ estimatedBytes: z.number().nonnegative(), availableBytes: z.number().nonnegative().nullable() })
    .nullable()
    .default(null),
  startedAt: z.string(),
  endedAt: z.string().nullable().default(null),
  timings: z.record(z.string(), z.number()).default({}),
  metrics: z.record(z.string(), z.unknown()).default({}),
  arrays: z.array(arrayEntrySchema).default([]),
  figures: z.array(figureEntrySchema).default([]),
  notes: z.array(z.string()).default([]),
  error: z.object({ message: z.string(), stack: z.string().optional() }).nullable().default(null),
});

/** 'running' while a command writes the run, then 'complete' or 'failed'. */
export type RunStatus = z.infer<typeof runStatusSchema>;
/** An array of a run as `run.json` lists it: name, file, dtype, shape, description. */
export type ArrayEntry = z.infer<typeof arrayEntrySchema>;
/** A figure of a run as `run.json` lists it: name, file, caption. */
export type FigureEntry = z.infer<typeof figureEntrySchema>;
/** The contents of a `run.json` (see docs/architecture.md §Run directories). */
export type RunManifest = z.infer<typeof runManifestSchema>;

/** A run.json that does not match the format; the message names the file and the fields. */
export class RunFormatError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'RunFormatError';
  }
}

/** Validates parsed run.json content; `source` names the file in errors. */
export function parseRunManifest(value: unknown, source = 'run.json'): RunManifest {
  const res = runManifestSchema.safeParse(value);
  if (!res.success) {
    const problems = describeConfigIssues(res.error.issues);
    throw new RunFormatError(`${source} is not a wmkit run manifest: ${problems}`);
  }
  return res.data;
}
