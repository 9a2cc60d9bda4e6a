import { ConfigError } from '@wmkit/data-io';
import { type RunDirectory, readNpyFile } from '@wmkit/data-io/node';
import { type HdSnnConfig, parseHdSnnConfig, patternsFor, patternsFromArray, type ScanParam, type ScanPoint } from '@wmkit/delay-snn';
import type { SpikePatternSet } from '@wmkit/tasks';
import type { NDArray, NumericArray } from '@wmkit/tensor';
import { csv, markdownTable } from '../delay-snn-runs';
import { runTasks } from './run-tasks';

/** What `hdScanParallel` runs: the values, replicates per value, engine, workers and a callback per point. */
export interface HdScanParallelOptions {
  workers: number;
  /** Replicates per value (new patterns and noise each: seeds + r). */
  seeds?: number;
  engine?: 'kernels' | 'tfjs';
  /** Called with each point as its worker returns it. */
  onPoint?: (p: ScanPoint) => void;
}

/**
 * A scan of one parameter of the delay network (Perrinet et al. 2026) on worker threads: each
 * value and replicate is one job; the points come back in value order.
 */
export function hdScanParallel(cfg: HdSnnConfig, param: ScanParam, values: number[], o: HdScanParallelOptions): Promise<ScanPoint[]> {
  const engine = o.engine ?? 'kernels';
  const jobs = values.flatMap((value) =>
    Array.from({ length: o.seeds ?? 1 }, (_, replicate) => ({ config: cfg, param, value, engine, replicate })),
  );
  return runTasks('hdsnnScan', jobs, { workers: o.workers, onResult: (p) => o.onPoint?.(p) });
}

/**
 * The patterns a delay network stores: read from a .npy file ([M, N, T] of 0/1; its M may differ
 * from the config's and wins), else generated from the config. A file that cannot be read is a
 * ConfigError naming it; a wrong shape, a ShapeError naming both shapes.
 */
export function hdPatterns(cfg: HdSnnConfig, file?: string): { cfg: HdSnnConfig; set: SpikePatternSet; source: string } {
  if (!file) return { cfg, set: patternsFor(cfg), source: `${cfg.patterns.generator} generator, seed ${cfg.patterns.seed}` };
  let arr: NDArray<NumericArray>;
  try {
    arr = readNpyFile(file) as NDArray<NumericArray>;
  } catch (err) {
    throw new ConfigError(`${file}: cannot read the pattern file (${(err as Error).message})`);
  }
  const set = patternsFromArray(arr, file, { N: cfg.N, T: cfg.T });
  return { cfg: parseHdSnnConfig({ M: set.M }, cfg, file), set, source: file };
}

/** Writes a table into a run as `<name>.md` and `<name>.csv`; returns the Markdown. */
export function writeRunTable(run: RunDirectory, name: string, t: { header: string[]; rows: (string | number)[][] }): string {
  const md = markdownTable(t.header, t.rows);
  run.writeFile(`${name}.md`, `${md}\n`);
  run.writeFile(`${name}.csv`, csv(t.header, t.rows));
  return md;
}
