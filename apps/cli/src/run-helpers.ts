/** Shared plumbing for commands that write or read run directories. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { npyToFloat32 } from '@wmkit/data-io';
import { RunDirectory, type RunRecord, readNpyFile, readRun } from '@wmkit/data-io/node';
import { backendInfo, initBackend, type NDArray } from '@wmkit/tensor';
import { UsageError } from './errors';
import { packageVersions } from './versions';

/** The command line as typed (recorded in run.json so a run says how it was made). */
let invocation: string[] | null = null;

/**
 * The arguments of the wmkit command now running, as `main` received them (a sweep worker runs
 * many commands in one thread, none of them in process.argv).
 */
export function setInvocation(args: string[]): void {
  invocation = [...args];
}

/** The command line recorded in run.json: `wmkit` and its arguments. */
export function commandLine(): string[] {
  return ['wmkit', ...(invocation ?? process.argv.slice(2))];
}

export interface StartRunOptions {
  kind: string;
  config: unknown;
  seed: number | string | null;
  preset?: string | null;
  notes?: string[];
  force?: boolean;
  /**
   * The command line that makes this run (default: the one running now), for runs written on
   * behalf of another command (a grid's networks, which `wmkit sweep run` would make so).
   */
  command?: string[];
}

/** Creates a run directory recording the backend, package versions and the command line. */
export async function startRun(dir: string, o: StartRunOptions): Promise<RunDirectory> {
  const backend = backendInfo() ?? (await initBackend());
  return RunDirectory.create(dir, {
    kind: o.kind,
    config: o.config,
    seed: o.seed,
    preset: o.preset ?? null,
    backend,
    versions: packageVersions(),
    command: o.command ?? commandLine(),
    notes: o.notes ?? [],
    overwrite: o.force === true,
  });
}

/** Reads a run and checks its kind; the error names the directory, its kind and the fix. */
export function requireRun(dir: string, kinds: string[], hint: string): RunRecord {
  if (!existsSync(dir)) throw new UsageError(`${dir}: no such run directory`);
  const rec = readRun(dir);
  if (!kinds.includes(rec.manifest.kind)) {
    throw new UsageError(`${dir} is a '${rec.manifest.kind}' run, not ${kinds.map((k) => `'${k}'`).join(' or ')}; ${hint}`);
  }
  if (rec.state !== 'complete') throw new UsageError(`${dir} is not complete (status: ${rec.state}); rerun the command that makes it`);
  return rec;
}

/** Loads the arrays a run lists as float32 NDArrays, by name. */
export function loadRunArrays(rec: RunRecord, names?: string[]): Record<string, NDArray> {
  const out: Record<string, NDArray> = {};
  for (const a of rec.manifest.arrays) {
    if (names && !names.includes(a.name)) continue;
    out[a.name] = npyToFloat32(readNpyFile(join(rec.dir, a.file)));
  }
  return out;
}

export function subRunDir(parent: string, name: string): string {
  return resolve(parent, name);
}
