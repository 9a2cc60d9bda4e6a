/** Shared plumbing for commands that write or read run directories. */
import { resolve } from 'node:path';
import { availableMemory, checkOutputPath, formatBytes } from '@wmkit/data-io/node';
import { initPngRenderer, svgToPng } from '@wmkit/figures/node';
import { type RunStarter, startRunDirectory, writeRunOutputs } from '@wmkit/papers/node';
import { ResourceError } from './errors';
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

/**
 * Creates a run directory recording the backend, package versions, the command line, the memory
 * estimate, and a PNG beside each figure when --format asks for it.
 */
export const startRun: RunStarter = async (dir, o) => {
  const png = currentFigureFormats().includes('png');
  if (png) await initPngRenderer();
  const run = await startRunDirectory(dir, {
    ...o,
    versions: packageVersions(),
    command: o.command ?? commandLine(),
    memory: memoryEstimate,
    pngRenderer: png ? (svg) => svgToPng(svg) : undefined,
  });
  noteRunStarted(run);
  return run;
};

/** Writes what a result puts into its run directory (arrays, records, files, timings, figures). */
export const writeOutputs = writeRunOutputs;

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
