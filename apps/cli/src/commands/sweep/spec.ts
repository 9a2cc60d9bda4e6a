/**
 * Sweep specs (`loadSweep` of @wmkit/data-io, which documents the format),
 * with a problem in a spec reported as a usage error (exit code 2).
 */
import { type LoadSweepOptions, loadSweep as load, type Sweep } from '@wmkit/data-io/node';
import { usage } from '../../options';

export type { LoadSweepOptions, Sweep, SweepJob, SweepRun } from '@wmkit/data-io/node';

/** Reads and expands a sweep spec (YAML or JSON); every problem names the file and the field. */
export const loadSweep = (file: string, o: LoadSweepOptions = {}): Sweep => usage(() => load(file, o));
