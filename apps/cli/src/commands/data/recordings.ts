/**
 * Recorded (or exported) spike data for the analyses, read by `readSpikeCounts` and
 * `readOdrDataset` of @wmkit/papers/node (layouts in `SPIKE_LAYOUTS`, documented in `wmkit
 * analyze timescales --help`). A file that does not hold a layout is a usage error (exit 2).
 */
import type { OdrDataset } from '@wmkit/analysis';
import { RecordingFormatError, SPIKE_LAYOUTS } from '@wmkit/data-io';
import { type RecordedCounts, type RecordingReadOptions, readOdrDataset, readSpikeCounts } from '@wmkit/papers/node';
import { usage } from '../../options';

export { SPIKE_LAYOUTS };

/** Runs a layout parser; a file in the wrong layout is the user's to fix (exit code 2). */
export const asUsage = <T>(parse: () => T): T => usage(parse, [RecordingFormatError]);

/** Loads spike data in any documented layout as counts. */
export const loadSpikeCounts = (file: string, o: RecordingReadOptions): Promise<RecordedCounts> => asUsage(() => readSpikeCounts(file, o));

/** Loads recorded trials into the data set the Wimmer et al. 2014 analyses take. */
export const loadOdrDataset = (file: string, o: RecordingReadOptions): Promise<OdrDataset> => asUsage(() => readOdrDataset(file, o));
