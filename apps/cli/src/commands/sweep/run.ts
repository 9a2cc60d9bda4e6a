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
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { lockHolder, RunDirectory, readRun, thisWriter } from '@wmkit/data-io/node';
import { runPool } from '@wmkit/papers/node';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { parseIntOption } from '../../options';
import { jsonMode, setJsonSummary } from '../../output-options';
import { Progress } from '../../progress';
import { startRun } from '../../run-helpers';
import { workerScript } from '../../workers/location';
import { type LoadSweepOptions, loadSweep, runStatus, type SweepJob, type SweepRun } from './spec';

/**
 * After SIGINT/SIGTERM: the runs this process's workers were writing (run.json `running`, the
 * lock held by this process) are marked interrupted, so none stays `running`.
 */
function failInFlight(runs: SweepRun[], signal: string): void {
  const me = thisWriter();
  for (const r of runs) {
    try {
      if (!existsSync(join(r.dir, 'run.json'))) continue;
      const rec = readRun(r.dir);
      const holder = lockHolder(r.dir)?.writer ?? rec.manifest.writer;
      if (rec.manifest.status !== 'running' || !holder || holder.pid !== me.pid || holder.host !== me.host) continue;
      const run = RunDirectory.open(r.dir);
      run.interrupt(`${signal} (the sweep was stopped)`);
      rmSync(join(r.dir, '.lock'), { force: true });
    } catch {
      /* a run that cannot be read is reported by the next `sweep run` */
    }
  }
}

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
    failInFlight(pending, signal);
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

/** A word for a POSIX shell, in single quotes (quotes inside closed, escaped, reopened). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

// SLURM's own formats (sbatch(1)); anything else is refused rather than escaped, since sbatch
// reads #SBATCH lines itself
const SLURM_NAME = /^[A-Za-z0-9_.+-]+(,[A-Za-z0-9_.+-]+)*$/; // partition (may be a list), account, qos
const SLURM_TIME = /^(\d+-\d{1,2}(:\d{1,2}){0,2}|\d+(:\d{1,2}){0,2})$/; // min, min:s, h:min:s, d-h, d-h:min, d-h:min:s
const SLURM_MEM = /^\d+[KMGT]?$/i;
// options the script sets itself: another value would break the array job
const SBATCH_OWN = ['array', 'output', 'error', 'job-name', 'partition', 'account', 'qos', 'time', 'mem', 'cpus-per-task'];
const SBATCH_LINE = /^--([a-z][a-z0-9-]*)(=([A-Za-z0-9_.,:/@%+=-]+))?$|^-([A-Za-z])( ?([A-Za-z0-9_.,:/@%+=-]+))?$/;
/**
 * A path on an #SBATCH line. sbatch splits such lines itself (no shell: `$(…)` stays text),
 * groups a double-quoted argument and unescapes \\" and \\\\ inside it.
 */
export function sbatchPath(path: string): string {
  return /^[A-Za-z0-9_./+@=,:~$()%-]+$/.test(path) ? path : `"${path.replace(/[\\"]/g, '\\$&')}"`;
}

function noBreaks(option: string, value: string): void {
  if (/[\n\r\0]/.test(value)) throw new UsageError(`${option}: line breaks and NUL bytes are not allowed (got ${JSON.stringify(value)})`);
}

export interface SlurmOptions extends LoadSweepOptions {
  script?: string;
  partition?: string;
  account?: string;
  qos?: string;
  time: string;
  cpus: number;
  mem: string;
  sbatch?: string[];
  dryRun?: boolean;
}

/** Validates the options and returns the #SBATCH lines they give. */
export function sbatchLines(o: SlurmOptions): string[] {
  const lines: string[] = [];
  const named = (option: string, key: string, value: string | undefined, example: string) => {
    if (value == null) return;
    noBreaks(option, value);
    if (!SLURM_NAME.test(value))
      throw new UsageError(`${option} ${JSON.stringify(value)}: a SLURM ${key} name has letters, digits, '_', '.', '-' (e.g. ${example})`);
    lines.push(`#SBATCH --${key}=${value}`);
  };
  noBreaks('--time', o.time);
  if (!SLURM_TIME.test(o.time))
    throw new UsageError(`--time ${JSON.stringify(o.time)}: give minutes, hh:mm:ss or d-hh:mm:ss (e.g. 01:00:00 or 2-00:00:00)`);
  noBreaks('--mem', o.mem);
  if (!SLURM_MEM.test(o.mem))
    throw new UsageError(`--mem ${JSON.stringify(o.mem)}: give a size in MB or with a unit K, M, G, T (e.g. 2G or 500M)`);
  lines.push(`#SBATCH --cpus-per-task=${o.cpus}`, `#SBATCH --mem=${o.mem}`, `#SBATCH --time=${o.time}`);
  named('--partition', 'partition', o.partition, 'gpu or short,long');
  named('--account', 'account', o.account, 'mylab');
  named('--qos', 'qos', o.qos, 'normal');
  for (const line of o.sbatch ?? []) {
    noBreaks('--sbatch', line);
    const m = SBATCH_LINE.exec(line.trim());
    if (!m)
      throw new UsageError(
        `--sbatch ${JSON.stringify(line)}: give one sbatch option as --name=value or --flag (e.g. --sbatch --gres=gpu:1 or --sbatch --constraint=haswell); values may hold letters, digits and _ . , : / @ % + = - only`,
      );
    if (m[1] && SBATCH_OWN.includes(m[1]))
      throw new UsageError(
        `--sbatch ${line}: the script sets --${m[1]} itself${['array', 'output', 'error', 'job-name'].includes(m[1]) ? ' (the sweep depends on it)' : `; use wmkit's --${m[1] === 'cpus-per-task' ? 'cpus' : m[1]} option`}`,
      );
    lines.push(`#SBATCH ${line.trim()}`);
  }
  return lines;
}

export function sweepSlurm(file: string, o: SlurmOptions): number {
  const sweep = loadSweep(file, o);
  const options = sbatchLines(o);
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

function flatten(obj: Record<string, unknown>, prefix = '', out: Record<string, number> = {}): Record<string, number> {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
    else if (typeof v === 'boolean') out[key] = v ? 1 : 0;
    else if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
  }
  return out;
}

export async function sweepCollect(file: string, o: LoadSweepOptions = {}): Promise<number> {
  const sweep = loadSweep(file, o);
  const rows = sweep.runs.map((r) => {
    const s = runStatus(sweep, r);
    const metrics = s.status === 'complete' ? flatten(readRun(r.dir).manifest.metrics) : {};
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
    .action((spec: string, o: SlurmOptions) => {
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
