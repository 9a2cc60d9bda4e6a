/**
 * The ei-rnn commands' file side: reading trained models back from run directories, and writing
 * each step's arrays, figures and summary (computed by `@wmkit/papers` ei-rnn-runs and drawn by
 * `@wmkit/figures`) — the same files whether a command or `reproduce kim2021` made them.
 */
import type { RunDirectory } from '@wmkit/data-io/node';
import { type EiRnnTaskName, eiRnnPreset, type RateRNN, type RecordedTask } from '@wmkit/ei-rnn';
import { lambdaSearchFigure, rateTrainingFigure, timescaleFigures } from '@wmkit/figures';
import { EI_RUN_KINDS, rateModelArrays } from '@wmkit/papers';
import { eiRunWriters, type RateRunRecord, writeRunOutputs } from '@wmkit/papers/node';
import { UsageError } from '../../errors';
import { usage } from '../../options';
import { startRun } from '../../run-helpers';

export const EI_RATE_KIND = EI_RUN_KINDS.rate;
export const EI_LIF_KIND = EI_RUN_KINDS.lif;

export { readLifRun as loadLifRun, readRateRun as loadRateRun } from '@wmkit/papers/node';

/**
 * The task of a loaded run for a command with an optional explicit `--task`: the recorded one; an
 * explicit task that differs is refused, naming both.
 */
export function taskOfRun(r: RateRunRecord, explicit?: EiRnnTaskName): RecordedTask {
  if (explicit && explicit !== r.task)
    throw new UsageError(`--task ${explicit} does not match ${r.dir}/run.json, which records the ${r.task} task; leave --task out`);
  return r.recorded;
}

/** The preset called `name`, or a usage error listing the presets. */
export const presetOrError = (name: string) => usage(() => eiRnnPreset(name), [Error]);

/** The model arrays of a rate run (and τ per unit). */
export function writeRateModel(run: RunDirectory, m: RateRNN): void {
  writeRunOutputs(run, rateModelArrays(m));
}

/** The E/I RNN steps' run writers (`eiRunWriters` of @wmkit/papers/node), writing as this command. */
export const { startRateRun, finishRateRun, writeRateRun, finishLifRun, writeLifRun, writeScaleRun } = eiRunWriters(startRun, {
  rateTrainingFigure,
  lambdaSearchFigure,
  timescaleFigures,
});
