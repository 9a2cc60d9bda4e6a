/** Shared plumbing for commands that write or read run directories. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { availableMemory, checkOutputPath, formatBytes, loadRunArrays, RunDirectory, type RunRecord, readRun } from '@wmkit/data-io/node';
import type { FigureList } from '@wmkit/figures';
import { initPngRenderer, svgToPng } from '@wmkit/figures/node';
import type { RunOutputs } from '@wmkit/papers';
import { backendInfo, initBackend, kernelInfo } from '@wmkit/tensor';
import { ResourceError, UsageError } from './errors';
import { usage } from './options';
import { currentFigureFormats, noteRunStarted } from './output-options';
import { packageVersions } from './versions';

/** The command line as typed (recorded in run.json so a run says how it was made). */
let invocation: string[] | null = null;

/**
 * The arguments of the wmkit command now running, as `main` received them (a sweep worker runs
 * many commands in one thread, none of them in process.argv).
 */
export function setInvocation(args: string[]): void {
  invocation = [...args];
  memoryEstimate = null;
}

/** The estimate of the command now running (checkMemory), recorded by startRun in run.json. */
let memoryEstimate: { estimatedBytes: number; availableBytes: number | null } | null = null;

/**
 * Refuses, before anything is allocated, a run whose estimated memory exceeds what this machine
 * has available: one line with both sizes and `hint` (what to reduce). The estimate is recorded
 * in the run's run.json by startRun. WMKIT_MEMORY_CHECK=0 turns the refusal off (the estimate
 * is still recorded).
 */
export function checkMemory(estimatedBytes: number, hint: string): void {
  const availableBytes = availableMemory();
  memoryEstimate = { estimatedBytes, availableBytes };
  if (process.env.WMKIT_MEMORY_CHECK === '0' || estimatedBytes <= availableBytes) return;
  throw new ResourceError(
    `this run needs ~${formatBytes(estimatedBytes)} of memory, this machine has ${formatBytes(availableBytes)} available; ${hint} (WMKIT_MEMORY_CHECK=0 runs it anyway)`,
  );
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
  const png = currentFigureFormats().includes('png');
  if (png) await initPngRenderer();
  const run = RunDirectory.create(dir, {
    kind: o.kind,
    config: o.config,
    seed: o.seed,
    preset: o.preset ?? null,
    backend: { ...backend, kernels: kernelInfo() },
    versions: packageVersions(),
    command: o.command ?? commandLine(),
    notes: o.notes ?? [],
    overwrite: o.force === true,
    memory: memoryEstimate,
  });
  if (png) run.pngRenderer = (svg) => svgToPng(svg);
  noteRunStarted(run);
  return run;
}

/** Writes what a result puts into its run directory (arrays, records, files, timings, figures). */
export function writeOutputs(run: RunDirectory, o: RunOutputs = {}, figures: FigureList = []): void {
  for (const a of o.arrays ?? []) run.writeArray(a.name, a.array, { dtype: a.dtype, description: a.description });
  for (const r of o.records ?? []) run.appendMetrics(r);
  for (const [name, text] of o.files ?? []) run.writeFile(name, text);
  for (const [name, s] of o.timings ?? []) run.setTiming(name, s);
  for (const [name, svg, caption] of figures) run.addFigure(name, svg, caption);
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

/** The arrays a run lists as float32 NDArrays, by name (from @wmkit/data-io). */
export { loadRunArrays };

export function subRunDir(parent: string, name: string): string {
  return resolve(parent, name);
}

/**
 * Checks where a command is about to write a file (`checkOutputPath` of @wmkit/data-io: the
 * folder, the target's kind, a run directory's own files, `force`); a problem is a usage error.
 */
export function checkOutputFile(
  out: string,
  o: { force?: boolean; option?: string; example?: string; createFolder?: boolean } = {},
): string {
  return usage(() => checkOutputPath(out, o));
}
