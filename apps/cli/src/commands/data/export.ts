/**
 * `wmkit export mat <run>` and `wmkit export nwb <run>`: the run as a MAT-file or NWB 2.x file
 * (`runToMat` / `runToNwb` of @wmkit/data-io say what each holds). Missing folders of --out are
 * created; the file is written whole (beside the target, then renamed) or not at all.
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '@wmkit/data-io';
import { atomicWriteFile, readRun, runToMat, runToNwb, writeNwb } from '@wmkit/data-io/node';
import type { Command } from 'commander';
import { describeFsError, UsageError } from '../../errors';
import { setJsonSummary } from '../../output-options';
import { checkOutputFile } from '../../run-helpers';

interface ExportOptions {
  out?: string;
  /** Replace an existing output file. */
  force?: boolean;
  /** Export a run that is not complete (failed, interrupted, still running). */
  allowIncomplete?: boolean;
}

/** The run to export and where it goes (checked before any work; see checkOutputFile). */
function open(dir: string, o: ExportOptions, ext: string) {
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
  const out = checkOutputFile(o.out ?? join(dir, `export${ext}`), { force: o.force, example: `export${ext}`, createFolder: true });
  return { rec, out };
}

/** Writes the file (creating its folders); a failure is one line naming the file and the problem. */
async function write(out: string, body: () => void | Promise<void>): Promise<void> {
  try {
    mkdirSync(dirname(out), { recursive: true });
    await body();
  } catch (err) {
    const fs = describeFsError(err);
    if (!fs && !(err as NodeJS.ErrnoException).code) throw err;
    throw new UsageError(`--out ${out}: cannot write the file (${fs?.replace(/^.*?: /, '') ?? (err as Error).message})`);
  }
}

export async function exportMat(dir: string, o: ExportOptions): Promise<number> {
  const { rec, out } = open(dir, o, '.mat');
  const mat = runToMat(rec);
  await write(out, () => atomicWriteFile(out, mat.bytes));
  setJsonSummary({ file: out, format: 'mat', arrays: mat.arrays });
  console.log(`✓ ${out}: ${mat.arrays} arrays${mat.metrics ? ', metrics' : ''}, config_json (MATLAB: load('${out}'))`);
  return 0;
}

export async function exportNwb(dir: string, o: ExportOptions): Promise<number> {
  const { rec, out } = open(dir, o, '.nwb');
  let nwb: ReturnType<typeof runToNwb>;
  try {
    nwb = runToNwb(rec, dir);
  } catch (err) {
    throw err instanceof ConfigError ? new UsageError(err.message) : err;
  }
  const { content, nTrials } = nwb;
  // h5wasm writes in place: write beside the target, then rename, so a crash leaves no partial file
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    await write(out, async () => {
      await writeNwb(tmp, content);
      renameSync(tmp, out);
    });
  } finally {
    rmSync(tmp, { force: true });
  }
  setJsonSummary({
    file: out,
    format: 'nwb',
    units: content.units?.spikeTimes.length ?? 0,
    trials: content.trials ? nTrials : 0,
    timeSeries: (content.timeSeries ?? []).map((t) => (t.module ? `processing/${t.module.name}/${t.name}` : `analysis/${t.name}`)),
  });
  console.log(
    `✓ ${out}: NWB ${content.units ? `${content.units.spikeTimes.length} units, ` : ''}${content.trials ? `${nTrials} trials` : ''}${content.timeSeries ? ', rates' : ''} (open with pynwb or h5py)`,
  );
  return 0;
}

export function registerExport(program: Command): void {
  const exp = program.command('export').description('export a run to a format other tools read');
  const common = (c: Command, ext: string) =>
    c
      .option('--out <file>', `output file (default <run>/export.${ext})`)
      .option('--force', 'replace the output file if it exists')
      .option('--allow-incomplete', 'export a run that failed or was interrupted (what it has)');
  common(
    exp
      .command('mat <run>')
      .description('every array of the run as a MATLAB variable, with metrics and config (Level 5 MAT-file, compressed)'),
    'mat',
  )
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit export mat runs/dms-1\n  wmkit export mat runs/bump --out bump.mat --force\n' +
        '\nWrites: <run>/export.mat (or --out): one variable per array of the run, plus metrics and config',
    )
    .action(async (run: string, o: ExportOptions) => {
      process.exitCode = await exportMat(run, o);
    });
  common(exp.command('nwb <run>').description('spike trains (units table), trials and rates as an NWB 2.x file'), 'nwb')
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit export nwb runs/dms-1/simulate-spiking\n  wmkit export nwb runs/bump --out bump.nwb\n' +
        '\nWrites: <run>/export.nwb (or --out): units table (spike trains), trials table and rates, as NWB 2.x',
    )
    .action(async (run: string, o: ExportOptions) => {
      process.exitCode = await exportNwb(run, o);
    });
}
