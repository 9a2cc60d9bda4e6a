/**
 * `wmkit inspect file.(mat|h5|nwb|npy)` — prints what a file holds: names, classes, shapes
 * (`describeDataFile` of @wmkit/data-io).
 */
import { ConfigError } from '@wmkit/data-io';
import { describeDataFile } from '@wmkit/data-io/node';
import type { Command } from 'commander';
import { UsageError } from '../../errors';

export async function inspectFile(file: string): Promise<number> {
  let d: Awaited<ReturnType<typeof describeDataFile>>;
  try {
    d = await describeDataFile(file);
  } catch (err) {
    throw err instanceof ConfigError ? new UsageError(err.message) : err;
  }
  for (const line of d.lines) console.log(line);
  warnSkipped(file, d.skipped);
  return 0;
}

export function registerInspect(program: Command): void {
  program
    .command('inspect <file>')
    .description('print what a .mat (v5 or v7.3), .h5, .nwb or .npy file holds: names, classes, shapes')
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit inspect Task_dms_N200.mat\n  wmkit inspect runs/dms-1/w.npy\n\nWrites: nothing (prints to the terminal)',
    )
    .action(async (file: string) => {
      process.exitCode = await inspectFile(file);
    });
}

/** One warning line naming the variables of a .mat that could not be read (their class unsupported). */
export function warnSkipped(file: string, skipped: { name: string; className: string }[]): void {
  if (!skipped.length) return;
  console.error(
    `wmkit: warning: ${file}: skipped ${skipped.length} variable${skipped.length > 1 ? 's' : ''} of a class wmkit cannot read: ${skipped.map((s) => `${s.name} (${s.className})`).join(', ')}; save them as numeric arrays, char arrays, structs or cells (e.g. double(x), char(s), table2struct(t)) if they are needed`,
  );
}
