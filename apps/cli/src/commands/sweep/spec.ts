/**
 * Sweep specs (`loadSweep` and `sweepRunStatus` of @wmkit/data-io, which document the format),
 * with a problem in a spec reported as a usage error (exit code 2).
 */
import { type LoadSweepOptions, loadSweep as load, type RunStatus, type Sweep, type SweepRun, sweepRunStatus } from '@wmkit/data-io/node';
import { usage } from '../../options';

export type { LoadSweepOptions, Sweep, SweepJob, SweepRun } from '@wmkit/data-io/node';

/** Reads and expands a sweep spec (YAML or JSON); every problem names the file and the field. */
export const loadSweep = (file: string, o: LoadSweepOptions = {}): Sweep => usage(() => load(file, o));

/** A run's status in its sweep; a directory holding another run is an error naming it and the fix. */
export const runStatus = (sweep: Sweep, r: SweepRun): { status: RunStatus; kind: string | null } => usage(() => sweepRunStatus(sweep, r));
