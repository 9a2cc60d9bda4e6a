/**
 * The networks of a Kurtkaya et al. 2025 phase diagram kept as run directories (Node only): the
 * grid is a sweep spec (`kurtkaya2025SweepSpec`), one `train stm-rnn` run per network; those
 * already complete are read back (class, power ratio, loss) so that a rerun trains only the
 * others, and a cluster's runs of the same spec count as well.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readNpyFile, readRun, type Sweep, type SweepRun, sweepRunStatus } from '@wmkit/data-io/node';
import { type Kurtkaya2025Known, kurtkaya2025NetworkId } from '../kurtkaya2025';

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
