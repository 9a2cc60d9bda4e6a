/**
 * `wmkit sweep run spec.yaml [--workers N] [--index i]`, `wmkit sweep slurm spec.yaml`,
 * `wmkit sweep collect spec.yaml`.
 *
 * run: every run of the sweep whose directory is not complete, on worker threads (one tensor
 * backend each); complete runs are skipped, so a killed sweep restarts where it stopped. Each
 * run's output goes to <out>/logs/<id>.log. `--index i` runs only run i (what a SLURM array task does).
 * slurm: an `sbatch --array` script whose task i calls `wmkit sweep run spec --index i`.
 * collect: one table of every run (parameters, seed, status, numeric metrics) as CSV, and each
 * metric as an .npy array over [grid parameters…, seed] (NaN where a run is missing).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { readRun } from '@wmkit/data-io/node';
import { runPool } from '@wmkit/papers/node';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { parseIntOption } from '../../options';
import { Progress } from '../../progress';
import { startRun } from '../../run-helpers';
import { workerScript } from '../../workers/location';
import type { SweepJob } from '../../workers/sweep-worker';
import { loadSweep, type Sweep, type SweepRun } from './spec';

type RunStatus = 'complete' | 'failed' | 'interrupted' | 'running' | 'missing';

/**
 * A command's arguments as they define the run: without `--out <dir>` (a sweep folder may move,
 * from scratch to home) and `--force` (added when a failed or interrupted run is run again).
 */
function defining(args: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') i++;
    else if (args[i] !== '--force') out.push(args[i]);
  }
  return out.join('\u0000');
}

function statusOf(sweep: Sweep, r: SweepRun): { status: RunStatus; kind: string | null } {
  if (!existsSync(join(r.dir, 'run.json'))) return { status: 'missing', kind: null };
  try {
    const rec = readRun(r.dir);
    if (sweep.kind && rec.manifest.kind !== sweep.kind)
      throw new UsageError(
        `${r.dir} is a '${rec.manifest.kind}' run, but the sweep ${sweep.name} holds '${sweep.kind}' runs; remove it or fix 'kind' in ${sweep.file}`,
      );
    // a run made by another command (another kind of run, or the spec changed since) is not
    // this sweep's, whatever its status: reusing it would mix in other settings unseen. Runs
    // that recorded no arguments (made by wmkit ≤ 0.1 in a sweep worker) cannot be checked.
    const made = rec.manifest.command?.slice(1) ?? [];
    if (made.length && defining(made) !== defining(r.args))
      throw new UsageError(
        `${r.dir} holds a run of \`wmkit ${made.join(' ')}\`, not of this sweep's \`wmkit ${r.args.join(' ')}\` (the spec changed since it ran, or 'out' in ${sweep.file} points at other runs); remove ${r.dir} to run it again, or restore the spec`,
      );
    return { status: rec.state as RunStatus, kind: rec.manifest.kind };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    return { status: 'failed', kind: null };
  }
}

export async function sweepRun(file: string, o: { workers?: number; index?: number }): Promise<number> {
  const sweep = loadSweep(file);
  let runs = sweep.runs;
  if (o.index != null) {
    if (!(o.index >= 0 && o.index < runs.length))
      throw new UsageError(`--index ${o.index} is outside 0…${runs.length - 1} (${runs.length} runs in ${sweep.name})`);
    runs = [runs[o.index]];
  }
  const kinds = new Set<string>();
  const pending = runs.filter((r) => {
    const s = statusOf(sweep, r);
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
  const codes = await runPool<SweepJob, number>(workerScript('sweep-worker.js'), jobs, {
    workers,
    onResult: (code) => {
      done++;
      if (code !== 0) failed++;
      bar.update(done, { failed }, true);
    },
    env: { WMKIT_PROGRESS: '0' },
  });
  bar.finish(pending.length, { failed });
  const seconds = (performance.now() - t0) / 1000;
  const bad = pending.filter((_, i) => codes[i] !== 0);
  for (const r of bad.slice(0, 10))
    console.log(`  ✗ ${r.id} (exit ${codes[pending.indexOf(r)]}): see ${relative(process.cwd(), join(sweep.out, 'logs', `${r.id}.log`))}`);
  console.log(
    `✓ ${pending.length - bad.length}/${pending.length} runs complete in ${seconds.toFixed(1)} s (${((pending.length - bad.length) / seconds).toFixed(2)} runs/s)`,
  );
  return bad.length ? 1 : 0;
}

export function sweepSlurm(file: string, o: { script?: string; partition?: string; time: string; cpus: number; mem: string }): number {
  const sweep = loadSweep(file);
  const script = resolve(o.script ?? join(sweep.out, `${sweep.name}.sbatch`));
  const bin = resolve(process.argv[1] ?? 'wmkit');
  const lines = [
    '#!/bin/bash',
    `#SBATCH --job-name=${sweep.name}`,
    `#SBATCH --array=0-${sweep.runs.length - 1}`,
    `#SBATCH --output=${join(sweep.out, 'logs', 'slurm-%A_%a.out')}`,
    `#SBATCH --cpus-per-task=${o.cpus}`,
    `#SBATCH --mem=${o.mem}`,
    `#SBATCH --time=${o.time}`,
    ...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []),
    '# written by `wmkit sweep slurm`; each array task runs one run of the sweep (skipped if already complete)',
    'set -euo pipefail',
    `cd ${JSON.stringify(process.cwd())}`,
    'export WMKIT_PROGRESS=0',
    `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} sweep run ${JSON.stringify(sweep.file)} --index "$SLURM_ARRAY_TASK_ID" --workers 1`,
    '',
  ];
  mkdirSync(join(sweep.out, 'logs'), { recursive: true });
  writeFileSync(script, lines.join('\n'), { mode: 0o755 });
  console.log(`✓ ${script}: ${sweep.runs.length} array tasks\n  submit: sbatch ${script}\n  then:   wmkit sweep collect ${file}`);
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

export async function sweepCollect(file: string): Promise<number> {
  const sweep = loadSweep(file);
  const rows = sweep.runs.map((r) => {
    const s = statusOf(sweep, r);
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
    .addHelpText(
      'after',
      '\nSpec (YAML or JSON):\n  name: demo\n  command: [reproduce, foldiak1990, --seeds, 1, --presentations, "{presentations}", --seed, "{seed}"]\n  grid: { presentations: [200, 400] }\n  seeds: 3\n  out: runs/demo        # relative to the spec file\n',
    )
    .action(async (spec: string, o: { workers?: number; index?: number }) => {
      process.exitCode = await sweepRun(spec, o);
    });
  sweep
    .command('slurm <spec>')
    .description('write an sbatch --array script: task i runs `wmkit sweep run <spec> --index i`')
    .option('--script <file>', 'where to write it (default <out>/<name>.sbatch)')
    .option('--partition <p>', 'SLURM partition')
    .option('--time <hh:mm:ss>', 'time limit per run', '01:00:00')
    .option('--cpus <n>', 'CPUs per run', parseIntOption('cpus', 1), 1)
    .option('--mem <size>', 'memory per run', '2G')
    .action((spec: string, o: { script?: string; partition?: string; time: string; cpus: number; mem: string }) => {
      process.exitCode = sweepSlurm(spec, o);
    });
  sweep
    .command('collect <spec>')
    .description('one table of all runs (<out>/collect/sweep.csv) and each metric as .npy over [grid…, seed]')
    .action(async (spec: string) => {
      process.exitCode = await sweepCollect(spec);
    });
}
