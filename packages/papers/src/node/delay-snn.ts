import type { HdSnnConfig, ScanParam, ScanPoint } from '@wmkit/delay-snn';
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
