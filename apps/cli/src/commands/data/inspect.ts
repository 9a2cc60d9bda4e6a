/**
 * `wmkit inspect file.(mat|h5|nwb|npy)` — prints what a file holds: names, classes, shapes
 * (`describeDataFile` of @wmkit/data-io).
 */
import { skippedVariablesMessage } from '@wmkit/data-io';
import { describeDataFile } from '@wmkit/data-io/node';
import type { Command } from 'commander';
import { usage } from '../../options';

export async function inspectFile(file: string): Promise<number> {
  const d = await usage(() => describeDataFile(file));
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
  const message = skippedVariablesMessage(file, skipped);
  if (message) console.error(`wmkit: warning: ${message}`);
}
