/**
 * `wmkit export mat <run>` and `wmkit export nwb <run>`: the run as a MAT-file or NWB 2.x file
 * (`runToMat` / `runToNwb` of @wmkit/data-io say what each holds; `exportRun` writes the file
 * whole, beside the target then renamed, or not at all). Missing folders of --out are created.
 */
import { join } from 'node:path';
import { exportRun, readRun } from '@wmkit/data-io/node';
import type { Command } from 'commander';
import { describeFsError, UsageError } from '../../errors';
import { usage } from '../../options';
import { setJsonSummary } from '../../output-options';
import { checkOutputFile } from '../../run-helpers';

interface ExportOptions {
  out?: string;
  /** Replace an existing output file. */
  force?: boolean;
  /** Export a run that is not complete (failed, interrupted, still running). */
  allowIncomplete?: boolean;
}

type Format = 'mat' | 'nwb';

/** Each format's command: description, examples and what it writes. */
const FORMATS: Record<Format, { description: string; examples: string[]; writes: string }> = {
  mat: {
    description: 'every array of the run as a MATLAB variable, with metrics and config (Level 5 MAT-file, compressed)',
    examples: ['wmkit export mat runs/dms-1', 'wmkit export mat runs/bump --out bump.mat --force'],
    writes: '<run>/export.mat (or --out): one variable per array of the run, plus metrics and config',
  },
  nwb: {
    description: 'spike trains (units table), trials and rates as an NWB 2.x file',
    examples: ['wmkit export nwb runs/dms-1/simulate-spiking', 'wmkit export nwb runs/bump --out bump.nwb'],
    writes: '<run>/export.nwb (or --out): units table (spike trains), trials table and rates, as NWB 2.x',
  },
};

/** Exports the run in `dir` (checked before any work: a complete run, an output file that may be written). */
export async function exportRunCommand(format: Format, dir: string, o: ExportOptions): Promise<number> {
  let rec: ReturnType<typeof readRun>;
  try {
    rec = readRun(dir);
  } catch (err) {
    throw new UsageError(`${dir}: not a wmkit run directory (${describeFsError(err) ?? (err as Error).message})`);
  }
  if (rec.state !== 'complete' && !o.allowIncomplete)
    throw new UsageError(
      `${dir}: the run is ${rec.state}, not complete, so its arrays may be missing or partial; rerun it, or pass --allow-incomplete to export what it has`,
    );
  const ext = `.${format}`;
  const out = checkOutputFile(o.out ?? join(dir, `export${ext}`), { force: o.force, example: `export${ext}`, createFolder: true });
  let x: Awaited<ReturnType<typeof exportRun>>;
  try {
    x = await usage(() => exportRun(rec, dir, format, out));
  } catch (err) {
    // a failure to write is one line naming the file and the problem
    const fs = describeFsError(err);
    if (!fs && !(err as NodeJS.ErrnoException).code) throw err;
    throw new UsageError(`--out ${out}: cannot write the file (${fs?.replace(/^.*?: /, '') ?? (err as Error).message})`);
  }
  if (x.format === 'mat') {
    setJsonSummary({ file: out, format, arrays: x.arrays });
    console.log(`✓ ${out}: ${x.arrays} arrays${x.metrics ? ', metrics' : ''}, config_json (MATLAB: load('${out}'))`);
  } else {
    setJsonSummary({ file: out, format, units: x.units ?? 0, trials: x.trials ?? 0, timeSeries: x.timeSeries ?? [] });
    const units = x.units != null ? `${x.units} units, ` : '';
    console.log(
      `✓ ${out}: NWB ${units}${x.trials != null ? `${x.trials} trials` : ''}${x.timeSeries ? ', rates' : ''} (open with pynwb or h5py)`,
    );
  }
  return 0;
}

export function registerExport(program: Command): void {
  const exp = program.command('export').description('export a run to a format other tools read');
  for (const [format, f] of Object.entries(FORMATS) as [Format, (typeof FORMATS)[Format]][])
    exp
      .command(`${format} <run>`)
      .description(f.description)
      .option('--out <file>', `output file (default <run>/export.${format})`)
      .option('--force', 'replace the output file if it exists')
      .option('--allow-incomplete', 'export a run that failed or was interrupted (what it has)')
      .addHelpText('after', `\nExamples:\n${f.examples.map((e) => `  ${e}\n`).join('')}\nWrites: ${f.writes}`)
      .action(async (run: string, o: ExportOptions) => {
        process.exitCode = await exportRunCommand(format, run, o);
      });
}
