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
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { flattenMetrics, interruptSweepRuns, readRun, type SlurmOptions, sbatchLines, sbatchPath, shellQuote } from '@wmkit/data-io/node';
import { runPool } from '@wmkit/papers/node';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { parseIntOption, usage } from '../../options';
import { jsonMode, setJsonSummary } from '../../output-options';
import { Progress } from '../../progress';
import { startRun } from '../../run-helpers';
import { workerScript } from '../../workers/location';
import { type LoadSweepOptions, loadSweep, runStatus, type SweepJob } from './spec';

export interface SweepRunOptions extends LoadSweepOptions {
  workers?: number;
  index?: number;
}

export async function sweepRun(file: string, o: SweepRunOptions): Promise<number> {
  const sweep = loadSweep(file, o);
  let runs = sweep.runs;
  if (o.index != null) {
    if (!(o.index >= 0 && o.index < runs.length))
      throw new UsageError(`--index ${o.index} is outside 0…${runs.length - 1} (${runs.length} runs in ${sweep.name})`);
    runs = [runs[o.index]];
  }
  const kinds = new Set<string>();
  const pending = runs.filter((r) => {
    const s = runStatus(sweep, r);
    if (s.kind) kinds.add(s.kind);
    return s.status !== 'complete';
  });
  if (!sweep.kind && kinds.size > 1)
    throw new UsageError(`${sweep.out} holds runs of several kinds (${[...kinds].join(', ')}); one sweep must hold one kind`);
  const workers = Math.max(1, Math.min(o.workers ?? availableParallelism(), pending.length || 1));
  console.log(
    `▶ sweep ${sweep.name}: ${runs.length} runs (${runs.length - pending.length} already complete, ${pending.length} to run) on ${workers} worker${workers > 1 ? 's' : ''} → ${sweep.out}`,
  );
  if (!pending.length) return 0;
  const bar = new Progress('  runs', pending.length, 'runs');
  bar.update(0, {}, true);
  let done = 0;
  let failed = 0;
  const t0 = performance.now();
  const jobs: SweepJob[] = pending.map((r) => ({
    args: existsSync(join(r.dir, 'run.json')) ? [...r.args, '--force'] : r.args,
    log: join(sweep.out, 'logs', `${r.id}.log`),
  }));
  const onSignal = (signal: NodeJS.Signals) => {
    interruptSweepRuns(pending, signal);
    console.error(
      `\n✗ sweep ${sweep.name} stopped by ${signal}; the runs in flight are marked interrupted, and \`wmkit sweep run\` reruns them`,
    );
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let codes: number[];
  try {
    codes = await runPool<SweepJob, number>(workerScript('sweep-worker.js'), jobs, {
      workers,
      onResult: (code) => {
        done++;
        if (code !== 0) failed++;
        bar.update(done, { failed }, true);
      },
      env: { WMKIT_PROGRESS: '0' },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  bar.finish(pending.length, { failed });
  const seconds = (performance.now() - t0) / 1000;
  // a run counts as complete when its directory says so, whatever the command's exit code
  const bad = pending.filter((r, i) => codes[i] !== 0 || runStatus(sweep, r).status !== 'complete');
  for (const r of bad.slice(0, 10)) {
    const code = codes[pending.indexOf(r)];
    const why = code !== 0 ? `exit ${code}` : `exit 0 but its run directory is ${runStatus(sweep, r).status}`;
    console.log(`  ✗ ${r.id} (${why}): see ${relative(process.cwd(), join(sweep.out, 'logs', `${r.id}.log`))}`);
  }
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
  const options = usage(() => sbatchLines(o));
  const script = resolve(o.script ?? join(sweep.out, `${sweep.name}.sbatch`));
  const bin = resolve(process.argv[1] ?? 'wmkit');
  const logs = join(sweep.out, 'logs');
  // '%' starts one of sbatch's file name patterns (%A: job, %a: task)
  if ([...logs].some((c) => c === '%' || c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127))
    throw new UsageError(
      `the sweep's logs folder ${JSON.stringify(logs)} holds '%' or a control character, which an #SBATCH line cannot carry; give 'out' in ${sweep.file} a plainer path`,
    );
  const run = [process.execPath, bin, 'sweep', 'run', sweep.file].map(shellQuote).join(' ');
  const lines = [
    '#!/bin/bash',
    `#SBATCH --job-name=${sweep.name}`,
    `#SBATCH --array=0-${sweep.runs.length - 1}`,
    `#SBATCH --output=${sbatchPath(join(logs, 'slurm-%A_%a.out'))}`,
    ...options,
    '# written by `wmkit sweep slurm`; each array task runs one run of the sweep (skipped if already complete)',
    'set -euo pipefail',
    `cd ${shellQuote(process.cwd())}`,
    'export WMKIT_PROGRESS=0',
    `${run} --index "$SLURM_ARRAY_TASK_ID" --workers 1${o.allowOutside ? ' --allow-outside' : ''}`,
    '',
  ];
  const text = lines.join('\n');
  if (o.dryRun) {
    if (jsonMode()) setJsonSummary({ script: text, scriptFile: script, arrayTasks: sweep.runs.length, written: false });
    else process.stdout.write(text);
    console.error(`(dry run: ${script} not written; ${sweep.runs.length} array tasks)`);
    return 0;
  }
  mkdirSync(logs, { recursive: true });
  writeFileSync(script, text, { mode: 0o755 });
  console.log(
    `✓ ${script}: ${sweep.runs.length} array tasks\n  submit: sbatch ${shellQuote(script)}\n  then:   wmkit sweep collect ${shellQuote(file)}`,
  );
  return 0;
}

export async function sweepCollect(file: string, o: LoadSweepOptions = {}): Promise<number> {
  const sweep = loadSweep(file, o);
  const rows = sweep.runs.map((r) => {
    const s = runStatus(sweep, r);
    const metrics = s.status === 'complete' ? flattenMetrics(readRun(r.dir).manifest.metrics) : {};
    return { r, status: s.status, kind: s.kind, metrics };
  });
  const kinds = new Set(rows.map((x) => x.kind).filter(Boolean));
  if (kinds.size > 1)
    throw new UsageError(`${sweep.out} holds runs of several kinds (${[...kinds].join(', ')}); one sweep must hold one kind`);
  const complete = rows.filter((x) => x.status === 'complete');
  const metricNames = [...new Set(complete.flatMap((x) => Object.keys(x.metrics)))].sort();
  const run = await startRun(join(sweep.out, 'collect'), {
    kind: 'sweep.collect',
    config: { sweep: sweep.file, name: sweep.name, params: sweep.params, values: sweep.values, seeds: sweep.seeds },
    seed: null,
    force: true,
  });
  const header = ['index', 'id', ...sweep.params, 'seed', 'status', ...metricNames];
  const csvCell = (v: unknown) => (typeof v === 'string' && /[,"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v ?? ''));
  const lines = [header.join(',')];
  for (const x of rows)
    lines.push(
      [x.r.index, x.r.id, ...sweep.params.map((p) => x.r.params[p]), x.r.seed, x.status, ...metricNames.map((m) => x.metrics[m] ?? '')]
        .map(csvCell)
        .join(','),
    );
  run.writeFile('sweep.csv', `${lines.join('\n')}\n`);
  const shape = [...sweep.params.map((p) => sweep.values[p].length), sweep.seeds.length];
  for (const m of metricNames) {
    const data = new Float64Array(rows.length).fill(Number.NaN);
    rows.forEach((x, i) => {
      if (m in x.metrics) data[i] = x.metrics[m];
    });
    run.writeArray(
      m.replace(/[^A-Za-z0-9_.-]/g, '_'),
      { data, shape },
      { description: `metric '${m}' over [${[...sweep.params, 'seed'].join(', ')}]` },
    );
  }
  const counts = {
    complete: complete.length,
    missing: rows.filter((x) => x.status === 'missing').length,
    failed: rows.filter((x) => x.status === 'failed' || x.status === 'interrupted').length,
  };
  run.complete({ runs: rows.length, ...counts, axes: [...sweep.params, 'seed'] });
  console.log(
    `✓ ${run.dir}: sweep.csv (${rows.length} runs: ${counts.complete} complete, ${counts.failed} failed, ${counts.missing} not run) and ${metricNames.length} metric arrays of shape [${shape.join(', ')}] (${[...sweep.params, 'seed'].join(' × ')})`,
  );
  return counts.complete === rows.length ? 0 : 1;
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
    .option('--workers <n>', 'worker threads (default: all cores)', parseIntOption('workers', 1))
    .option('--index <i>', 'run only run i (0-based; what each SLURM array task does)', parseIntOption('index', 0))
    .option('--allow-outside', "let the spec's 'out' leave the spec's folder")
    .addHelpText(
      'after',
      '\nSpec (YAML or JSON):\n  name: demo\n  command: [reproduce, foldiak1990, --seeds, 1, --presentations, "{presentations}", --seed, "{seed}"]\n  grid: { presentations: [200, 400] }\n  seeds: 3\n  out: runs/demo        # relative to the spec file, and inside its folder\n' +
        '\nExamples:\n  wmkit sweep run sweep.yaml --workers 4\n  wmkit sweep run sweep.yaml --index 3\n' +
        '\nWrites: one run directory per grid point and seed under <out> (<out>/<id>, what the command writes),\n' +
        '        and its output in <out>/logs/<id>.log',
    )
    .action(async (spec: string, o: SweepRunOptions) => {
      process.exitCode = await sweepRun(spec, o);
    });
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
    .option(
      '--sbatch <option>',
      'one more sbatch option for every task, e.g. --sbatch=--gres=gpu:1 (repeatable; validated)',
      (v: string, prev: string[] = []) => [...prev, v],
    )
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
    .action(async (spec: string, o: LoadSweepOptions) => {
      process.exitCode = await sweepCollect(spec, o);
    });
}
