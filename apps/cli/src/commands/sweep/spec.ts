/**
 * Sweep specs (`loadSweep` and `sweepRunStatus` of @wmkit/data-io, which document the format),
 * with a problem in a spec reported as a usage error (exit code 2).
 */
import { ConfigError } from '@wmkit/data-io';
import { type LoadSweepOptions, loadSweep as load, type RunStatus, type Sweep, type SweepRun, sweepRunStatus } from '@wmkit/data-io/node';
import { UsageError } from '../../errors';

export type { LoadSweepOptions, Sweep, SweepJob, SweepRun } from '@wmkit/data-io/node';

/** Runs `f`; a ConfigError (a spec or option problem) becomes a UsageError. */
export function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw err instanceof ConfigError ? new UsageError(err.message) : err;
  }
}

/** Reads and expands a sweep spec (YAML or JSON); every problem names the file and the field. */
export const loadSweep = (file: string, o: LoadSweepOptions = {}): Sweep => usage(() => load(file, o));

/** A run's status in its sweep; a directory holding another run is an error naming it and the fix. */
export const runStatus = (sweep: Sweep, r: SweepRun): { status: RunStatus; kind: string | null } => usage(() => sweepRunStatus(sweep, r));
