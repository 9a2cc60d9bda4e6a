/**
 * `wmkit scan delay-snn --param D --values 10,15,20,25,30,40,55 --out runs/scan-D`
 *
 * For each value: new patterns, initialisation, training (the preset's steps unless
 * --train-steps), and recall with fresh noise. Points run in parallel on worker threads. Writes a
 * table (scan.md, scan.csv) and an SVG plot with the authors' published values. Scanning M gives
 * the capacity curve (F1 vs number of stored patterns).
 */
import { availableParallelism } from 'node:os';
import { SCAN_PARAMS, type ScanParam, type ScanPoint, summariseScan, withScanValue } from '@wmkit/delay-snn';
import { scanFigure } from '@wmkit/figures';
import { scanTable } from '@wmkit/papers';
import { hdScanParallel, writeRunTable } from '@wmkit/papers/node';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { addConfigOptions, type ConfigOptionValues, parseIntOption, parseListOption, printConfigIfAsked } from '../../options';
import { exitWith } from '../../options-models';
import { Progress } from '../../progress';
import { startRun, writeOutputs } from '../../run-helpers';
import { engineOption, hdPresetNames, resolveConfig } from './common';

interface ScanOptions extends ConfigOptionValues {
  param?: string;
  values?: number[];
  preset: string;
  trainSteps?: number;
  train?: boolean;
  seeds: number;
  workers?: number;
  out?: string;
  force?: boolean;
  engine?: 'kernels' | 'tfjs';
}

export async function scanDelaySnn(o: ScanOptions): Promise<number> {
  if (!o.param) throw new UsageError(`--param is required: one of ${SCAN_PARAMS.join(', ')}`);
  if (!(SCAN_PARAMS as readonly string[]).includes(o.param))
    throw new UsageError(`--param '${o.param}' cannot be scanned; use one of ${SCAN_PARAMS.join(', ')}`);
  const param = o.param as ScanParam;
  if (!o.values?.length) throw new UsageError('--values is required, e.g. --values 10,15,20,25,30,40,55');
  // Scans default to the Hebbian initialisation alone (train.steps = 0): the D transition and the
  // capacity curve are properties of the stored weights, and training under dropout at large D
  // over-activates the network (10⁴–10⁵ spikes per pattern), which makes each step tens of seconds.
  // --train keeps the preset's (or --set's) steps; --train-steps sets them
  const base = resolveConfig(o);
  const steps = o.trainSteps ?? (o.train ? base.train.steps : 0);
  const cfg = resolveConfig({ ...o, set: [...(o.set ?? []), `train.steps=${steps}`] });
  // validate every value before starting (e.g. D ≥ T is refused here, with the value named)
  for (const v of o.values) withScanValue(cfg, param, v);
  if (printConfigIfAsked(o, cfg)) return 0;
  const out = o.out ?? `runs/scan-${param}`;
  const run = await startRun(out, {
    kind: 'delay-snn.scan',
    config: { model: cfg, param, values: o.values, seeds: o.seeds },
    seed: cfg.seed,
    preset: o.preset,
    force: o.force,
  });
  const engine = o.engine ?? 'kernels';
  run.setMetrics({ engine }); // which implementation ran the points: the wasm kernels or TensorFlow.js ops
  const workers = o.workers ?? Math.min(availableParallelism(), 2);
  console.log(
    `▶ scanning ${param} over ${o.values.join(', ')} (N=${cfg.N}, D=${cfg.D}, T=${cfg.T}, M=${cfg.M}, p=${cfg.p}; ${cfg.train.steps} training steps per point; ${o.seeds} seed${o.seeds > 1 ? 's' : ''} per value; ${workers} workers) → ${run.dir}`,
  );
  const t0 = performance.now();
  const total = o.values.length * o.seeds;
  const bar = new Progress('  scan', total, 'points');
  bar.update(0, {}, true);
  let done = 0;
  const onPoint = (p: ScanPoint) => {
    run.appendMetrics(p);
    bar.update(++done, { [`${param}=${p.value} F1`]: p.f1 }, true);
  };
  const points = await hdScanParallel(cfg, param, o.values, { workers, engine, seeds: o.seeds, onPoint });
  bar.finish(points.length);
  const summary = summariseScan(points);
  console.log(`\n${writeRunTable(run, 'scan', scanTable(param, summary, points, o.seeds))}\n`);
  const title = `N=${cfg.N}, D=${cfg.D}, T=${cfg.T}, M=${cfg.M}, p=${cfg.p}; ${cfg.train.steps} steps${o.seeds > 1 ? `; mean ± SD of ${o.seeds} seeds` : ''}`;
  writeOutputs(run, [], [scanFigure(param, summary, { title })]);
  const seconds = (performance.now() - t0) / 1000;
  run.complete({ points, summary, seconds });
  console.log(`✓ ${run.dir}/scan.md, scan.svg (${seconds.toFixed(1)} s)`);
  return 0;
}

export function registerScanDelaySnn(scan: Command): void {
  addConfigOptions(scan.command('delay-snn'), 'D=30')
    .description(
      'scan one parameter of the delay network (D, N, M, p, T): F1 of recall at each value (Hebbian initialisation, optionally + --train-steps); M gives the capacity curve',
    )
    .option('--param <name>', `parameter to scan: ${SCAN_PARAMS.join(', ')}`)
    .option('--values <list>', 'comma-separated values, e.g. 10,15,20,25,30,40,55', parseListOption('values'))
    .option('--preset <name>', `base configuration: ${hdPresetNames().join(', ')}`, 'perrinet2026.reference')
    .option(
      '--train-steps <n>',
      'gradient steps per point after the Hebbian initialisation (default 0 = initialisation only; training at D ≥ 50 is slow: the dropout pass over-activates)',
      parseIntOption('train-steps', 0),
    )
    .option('--train', 'train each point for the preset’s steps (train.steps) after the initialisation')
    .option(
      '--seeds <k>',
      'replicates per value (new patterns and noise each: seeds + r); tables show mean ± SD',
      parseIntOption('seeds', 1),
      1,
    )
    .option('--workers <n>', 'worker threads (default: up to 2)', parseIntOption('workers', 1))
    .option('--out <dir>', 'run directory (default runs/scan-<param>)')
    .option('--force', 'replace an existing run in --out')
    .addOption(engineOption())
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  wmkit scan delay-snn --param D --values 10,15,20,25,30,40,55\n' +
        '  wmkit scan delay-snn --preset perrinet2026.small --set N=64 --set T=100 --param D --values 5,10 --engine tfjs\n' +
        '  wmkit scan delay-snn --param M --values 8,16,25,30,40,60 --out runs/capacity\n' +
        '  wmkit scan delay-snn --param p --values 0.0002,0.0005,0.001,0.002,0.0032\n' +
        '  wmkit scan delay-snn --preset perrinet2026.small --param D --values 20,25,30,41 --seeds 3 --train\n\n' +
        'Writes: run.json, metrics.jsonl (one line per point and seed), scan.md, scan.csv (mean ± SD over seeds),\n' +
        'scan.svg (F1 with ±SD bars)',
    )
    .action(exitWith(scanDelaySnn));
}
