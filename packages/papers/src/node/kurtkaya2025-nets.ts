/**
 * The networks of a Kurtkaya et al. 2025 phase diagram kept as run directories (Node only): the
 * grid is a sweep spec (`kurtkaya2025SweepSpec`), one `train stm-rnn` run per network; those
 * already complete are read back (class, power ratio, loss) so that a rerun trains only the
 * others, and a cluster's runs of the same spec count as well (`kurtkaya2025NetsPlan`); the
 * others are trained on worker threads and saved as each finishes (`kurtkaya2025Nets`).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSweep, readNpyFile, readRun, type Sweep, type SweepRun, sweepRunStatus } from '@wmkit/data-io/node';
import type { RecipeHooks } from '../hooks';
import {
  type Kurtkaya2025Grid,
  type Kurtkaya2025Known,
  type Kurtkaya2025Result,
  kurtkaya2025NetworkId,
  kurtkaya2025SweepSpec,
  type StmTaskKind,
} from '../kurtkaya2025';
import { kurtkaya2025Parallel } from './kurtkaya2025';
import { type RunStarter, STM_RUN_KIND, type StmNetworkFigures, startStmRun, writeStmNetwork } from './run-writer';

/** Each network's run by network id, and what the complete ones learned. */
export function kurtkaya2025KnownNetworks(sweep: Sweep): { runOf: Map<string, SweepRun>; known: Map<string, Kurtkaya2025Known> } {
  const runOf = new Map<string, SweepRun>();
  const known = new Map<string, Kurtkaya2025Known>();
  for (const r of sweep.runs) {
    const id = kurtkaya2025NetworkId(r.params.lr as number, r.params.delay as number, r.seed);
    runOf.set(id, r);
    if (sweepRunStatus(sweep, r).status !== 'complete') continue;
    const m = readRun(r.dir).manifest.metrics;
    if (typeof m.class !== 'number') continue;
    const lossFile = join(r.dir, 'loss.npy');
    const loss = existsSync(lossFile) ? Float32Array.from(readNpyFile(lossFile).data as Float32Array) : null;
    known.set(id, { class: m.class as Kurtkaya2025Known['class'], psdRatio: typeof m.psdRatio === 'number' ? m.psdRatio : null, loss });
  }
  return { runOf, known };
}

/** A phase diagram's grid as `kurtkaya2025NetsPlan` and `kurtkaya2025Nets` take it. */
export type Kurtkaya2025NetsGrid = Kurtkaya2025Grid & { postMs: number; task: StmTaskKind };

/** Where the networks of a phase diagram are, which are complete, and how many are left to train. */
export interface Kurtkaya2025NetsPlan {
  /** The grid as a sweep spec (`<netsDir>/sweep.json`), loaded. */
  sweep: Sweep;
  /** Each network's run, by network id. */
  runOf: Map<string, SweepRun>;
  /** What the complete networks learned, by network id. */
  known: Map<string, Kurtkaya2025Known>;
  /** Networks in the grid, and those still to train. */
  total: number;
  pending: number;
}

/**
 * Writes the grid as a sweep spec `<netsDir>/sweep.json` (`wmkit sweep slurm` runs it on a
 * cluster; the run directories of either are reused by the other) and reads back its complete
 * networks.
 */
export function kurtkaya2025NetsPlan(g: Kurtkaya2025NetsGrid, netsDir: string, engine: 'kernels' | 'tfjs'): Kurtkaya2025NetsPlan {
  mkdirSync(netsDir, { recursive: true });
  const specFile = join(netsDir, 'sweep.json');
  writeFileSync(specFile, `${JSON.stringify(kurtkaya2025SweepSpec(g, STM_RUN_KIND, engine), null, 1)}\n`);
  const sweep = loadSweep(specFile);
  const { runOf, known } = kurtkaya2025KnownNetworks(sweep);
  return { sweep, runOf, known, total: sweep.runs.length, pending: sweep.runs.length - known.size };
}

/** How `kurtkaya2025Nets` trains and saves the networks. */
export interface Kurtkaya2025NetsOptions {
  engine: 'kernels' | 'tfjs';
  /** Worker threads (default: all cores, at most one per network). */
  workers?: number;
  /** Starts each network's run directory. */
  start: RunStarter;
  /** The figures of a network's run (`@wmkit/figures`). */
  figures: StmNetworkFigures;
}

/**
 * The phase diagram (`kurtkaya2025Parallel`) with the plan's complete networks reused and each new
 * one saved as it finishes, as `wmkit train stm-rnn` saves it (a stopped run keeps what finished).
 */
export async function kurtkaya2025Nets(
  g: Kurtkaya2025NetsGrid,
  plan: Kurtkaya2025NetsPlan,
  o: Kurtkaya2025NetsOptions,
  hooks: Omit<RecipeHooks, 'rng'> = {},
): Promise<Kurtkaya2025Result> {
  let saving: Promise<void> = Promise.resolve();
  const { known, runOf } = plan;
  const res = await kurtkaya2025Parallel(
    { ...g, known, engine: o.engine },
    {
      workers: o.workers,
      signal: hooks.signal,
      onProgress: hooks.onProgress,
      onNetwork: (net, r) => {
        const sr = runOf.get(net.id) as SweepRun;
        saving = saving.then(async () => {
          const force = existsSync(join(sr.dir, 'run.json'));
          const run = await startStmRun(o.start, sr.dir, {
            config: r.config,
            seed: net.seed,
            engine: o.engine,
            force,
            command: ['wmkit', ...sr.args],
          });
          writeStmNetwork(run, r, o.figures);
        });
      },
    },
  ).finally(() => saving); // the networks finished before a failure are kept for the rerun
  await saving;
  return res;
}
