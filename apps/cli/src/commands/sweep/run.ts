/**
 * `wmkit sweep run spec.yaml [--workers N] [--index i]`, `wmkit sweep slurm spec.yaml`,
 * `wmkit sweep collect spec.yaml`.
 *
 * run: every run of the sweep whose directory is not complete, on worker threads (one tensor
 * backend each); complete runs are skipped, so a killed sweep restarts where it stopped. Each
 * run's output goes to <out>/logs/<id>.log. `--index i` runs only run i (what a SLURM array task does).
 * slurm: an `sbatch --array` script whose task i calls `wmkit sweep run spec --index i`. Every value
 * written into it is validated (SLURM's formats, no line breaks) and every shell word is quoted.
 * collect: one table of every run (parameters, seed, status, numeric metrics) as CSV, and each
 * metric as an .npy array over [grid parameters…, seed] (NaN where a run is missing).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pendingSweepRuns, type SlurmOptions, shellQuote, slurmScript, sweepTable } from '@wmkit/data-io/node';
import { chooseSweepSplit, runSweepInterruptible, writeSweepCollect } from '@wmkit/papers/node';
import type { Command } from 'commander';
import { collectSet, parseIntOption, usage } from '../../options';
import { exitWith } from '../../options-models';
import { jsonMode, setJsonSummary } from '../../output-options';
import { Progress } from '../../progress';
import { startRun } from '../../run-helpers';
import { sweepWorkerScript } from '../../workers/location';
import { type LoadSweepOptions, loadSweep } from './spec';

export interface SweepRunOptions extends LoadSweepOptions {
  workers?: number;
  index?: number;
}

export async function sweepRun(file: string, o: SweepRunOptions): Promise<number> {
  const sweep = loadSweep(file, o);
  const { runs, pending } = usage(() => pendingSweepRuns(sweep, o.index));
  if (!pending.length) {
    console.log(`▶ sweep ${sweep.name}: ${runs.length} runs (${runs.length} already complete, 0 to run) → ${sweep.out}`);
    return 0;
  }
  const split = await chooseSweepSplit(pending.length, o.workers);
  console.log(
    `▶ sweep ${sweep.name}: ${runs.length} runs (${runs.length - pending.length} already complete, ${pending.length} to run) on ${split.reason} → ${sweep.out}`,
  );
  const bar = new Progress('  runs', pending.length, 'runs');
  bar.update(0, {}, true);
  const t0 = performance.now();
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(
      `\n✗ sweep ${sweep.name} stopped by ${signal}; the runs in flight are marked interrupted, and \`wmkit sweep run\` reruns them`,
    );
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  // a run directory another command made is a usage error
  const bad = await usage(() =>
    runSweepInterruptible(sweep, pending, {
      workerFile: sweepWorkerScript(),
      workers: split.workers,
      onRun: (_code, { done, failed }) => bar.update(done, { failed }, true),
      env: { WMKIT_PROGRESS: '0' },
      onSignal,
    }),
  );
  bar.finish(pending.length, { failed: bad.filter((f) => f.code !== 0).length });
  const seconds = (performance.now() - t0) / 1000;
  for (const f of bad.slice(0, 10)) console.log(`  ✗ ${f.run.id} (${f.why}): see ${relative(process.cwd(), f.log)}`);
  if (bad.length > 10) console.log(`  ✗ … and ${bad.length - 10} more`);
  const ok = pending.length - bad.length;
  console.log(
    `${bad.length ? '✗' : '✓'} ${ok}/${pending.length} runs complete${bad.length ? `, ${bad.length} failed` : ''} in ${seconds.toFixed(1)} s (${(ok / seconds).toFixed(2)} runs/s)${bad.length ? `; fix the cause and run \`wmkit sweep run ${file}\` again to redo the failed runs` : ''}`,
  );
  return bad.length ? 1 : 0;
}

interface SlurmCliOptions extends SlurmOptions, LoadSweepOptions {
  script?: string;
  dryRun?: boolean;
}

export function sweepSlurm(file: string, o: SlurmCliOptions): number {
  const sweep = loadSweep(file, o);
  const script = resolve(o.script ?? join(sweep.out, `${sweep.name}.sbatch`));
  const env = { node: process.execPath, bin: resolve(process.argv[1] ?? 'wmkit'), cwd: process.cwd() };
  const text = usage(() => slurmScript(sweep, o, env));
  if (o.dryRun) {
    if (jsonMode()) setJsonSummary({ script: text, scriptFile: script, arrayTasks: sweep.runs.length, written: false });
    else process.stdout.write(text);
    console.error(`(dry run: ${script} not written; ${sweep.runs.length} array tasks)`);
    return 0;
  }
  mkdirSync(join(sweep.out, 'logs'), { recursive: true });
  writeFileSync(script, text, { mode: 0o755 });
  console.log(
    `✓ ${script}: ${sweep.runs.length} array tasks\n  submit: sbatch ${shellQuote(script)}\n  then:   wmkit sweep collect ${shellQuote(file)}`,
  );
  return 0;
}

export async function sweepCollect(file: string, o: LoadSweepOptions = {}): Promise<number> {
  const sweep = loadSweep(file, o);
  const t = usage(() => sweepTable(sweep));
  const { run, runs, counts, axes, shape } = await writeSweepCollect(startRun, sweep, t);
  console.log(
    `✓ ${run.dir}: sweep.csv (${runs} runs: ${counts.complete} complete, ${counts.failed} failed, ${counts.missing} not run) and ${t.metricNames.length} metric arrays of shape [${shape.join(', ')}] (${axes.join(' × ')})`,
  );
  return counts.complete === runs ? 0 : 1;
}

export function registerSweep(program: Command): void {
  const sweep = program
    .command('sweep')
    .description(
      'parameter sweeps: a grid × seeds of one wmkit command, run on all cores or on a SLURM cluster, then collected into one table',
    );
  sweep
    .command('run <spec>')
    .description('run every run of the sweep that is not complete yet (resumable), on worker threads')
    .option(
      '--workers <n>',
      'worker threads (default: one per free core, at most one per run; see Workers below)',
      parseIntOption('workers', 1),
    )
    .option('--index <i>', 'run only run i (0-based; what each SLURM array task does)', parseIntOption('index', 0))
    .option('--allow-outside', "let the spec's 'out' leave the spec's folder")
    .addHelpText(
      'after',
      '\nSpec (YAML or JSON):\n  name: demo\n  command: [reproduce, foldiak1990, --seeds, 1, --presentations, "{presentations}", --seed, "{seed}"]\n  grid: { presentations: [200, 400] }\n  seeds: 3\n  out: runs/demo        # relative to the spec file, and inside its folder\n' +
        '\nWorkers (without --workers): one per core that no other program keeps busy now (on Linux: the\n' +
        '  running threads in /proc/loadavg), at most one per run, at least one; the kernel threads\n' +
        '  (--threads, WMKIT_THREADS, else the cores) are shared among them. On an idle 2-core machine that\n' +
        '  is 2 workers × 1 kernel thread (a short run spends most of its time outside the kernels); on a\n' +
        '  busy one, 1 worker × 2 (a second worker gains no CPU time there). The first line names the split.\n' +
        '\nExamples:\n  wmkit sweep run sweep.yaml --workers 4\n  wmkit sweep run sweep.yaml --index 3\n' +
        '\nWrites: one run directory per grid point and seed under <out> (<out>/<id>, what the command writes),\n' +
        '        and its output in <out>/logs/<id>.log',
    )
    .action(exitWith(sweepRun));
  sweep
    .command('slurm <spec>')
    .description('write an sbatch --array script: task i runs `wmkit sweep run <spec> --index i`')
    .option('--script <file>', 'where to write it (default <out>/<name>.sbatch)')
    .option('--partition <p>', 'SLURM partition (or a comma-separated list)')
    .option('--account <a>', 'SLURM account to charge')
    .option('--qos <q>', 'SLURM quality of service')
    .option('--time <hh:mm:ss>', 'time limit per run (minutes, hh:mm:ss or d-hh:mm:ss)', '01:00:00')
    .option('--cpus <n>', 'CPUs per run', parseIntOption('cpus', 1), 1)
    .option('--mem <size>', 'memory per run (e.g. 2G, 500M)', '2G')
    .option('--sbatch <option>', 'one more sbatch option for every task, e.g. --sbatch=--gres=gpu:1 (repeatable; validated)', collectSet)
    .option('--dry-run', 'print the script instead of writing it')
    .option('--allow-outside', "let the spec's 'out' leave the spec's folder")
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit sweep slurm sweep.yaml --partition short --time 00:30:00 && sbatch runs/demo/demo.sbatch\n' +
        '  wmkit sweep slurm sweep.yaml --dry-run\n' +
        '\nWrites: <out>/<name>.sbatch (or --script); nothing with --dry-run',
    )
    .action((spec: string, o: SlurmCliOptions) => {
      process.exitCode = sweepSlurm(spec, o);
    });
  sweep
    .command('collect <spec>')
    .description('one table of all runs (<out>/collect/sweep.csv) and each metric as .npy over [grid…, seed]')
    .option('--allow-outside', "let the spec's 'out' leave the spec's folder")
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit sweep collect sweep.yaml\n' +
        '\nWrites: <out>/collect: run.json, sweep.csv (parameters, seed, status, metrics per run), <metric>.npy\n' +
        '        [grid parameters…, seed] (NaN where a run is missing)',
    )
    .action(exitWith(sweepCollect));
}
