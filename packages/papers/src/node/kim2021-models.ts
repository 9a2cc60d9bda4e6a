/**
 * The models of a Kim & Sejnowski 2021 reproduction read back from their run directories (Node
 * only), so that a stopped reproduction resumes where it stopped: `<models>/seed-<k>` holds the
 * trained DMS network with `lif/` and `scale-ii-<factor>/` beside it, `<models>/<task>-seed-<k>`
 * a network of another task for the panels. A step whose run is complete is read back (typed: a
 * missing field is an error naming it); one that is not is run again.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readRun } from '@wmkit/data-io/node';
import type { EiRnnTaskName } from '@wmkit/ei-rnn';
import { EI_RUN_KINDS, lifSummaryOf, scaleSummaryOf, trainingOf } from '../ei-rnn-runs';
import { KIM2021_PROTOCOL, type KimModelDone } from '../kim2021';
import type { KimPanelNetwork } from '../kim2021-panels';
import { completeRun, MissingRunError, readRateRun } from './runs';

/** Refuses a model folder that holds a run of another kind than a trained E/I RNN (none or an unreadable one is fine: training remakes it). */
export function checkKimModelDir(dir: string): void {
  if (!existsSync(join(dir, 'run.json'))) return;
  let kind: string;
  try {
    kind = readRun(dir).manifest.kind;
  } catch {
    return;
  }
  if (kind !== EI_RUN_KINDS.rate)
    throw new MissingRunError(`${dir} holds a '${kind}' run, not an E/I RNN ('${EI_RUN_KINDS.rate}'); remove it or choose another --out`);
}

/** The complete steps of one DMS model folder, read back as typed summaries. */
export function kimModelDone(dir: string): KimModelDone {
  if (!completeRun(dir)) return {};
  const rate = readRateRun(dir);
  const done: KimModelDone = { trained: { model: rate.model, training: trainingOf(rate.metrics, rate.preset, `${rate.dir}/run.json`) } };
  const lif = completeRun(join(dir, 'lif'));
  if (!lif) return done;
  done.lif = lifSummaryOf(lif.manifest.metrics, join(dir, 'lif', 'run.json'));
  done.scaled = {};
  for (const f of KIM2021_PROTOCOL.factors) {
    const sub = join(dir, `scale-${KIM2021_PROTOCOL.block}-${f}`);
    const e = completeRun(sub);
    if (e) done.scaled[f] = scaleSummaryOf(e.manifest.metrics, join(sub, 'run.json'));
  }
  return done;
}

/** A converted network of `task` in `dir`, read back, or null when it is not complete. */
export function kimTaskNetwork(dir: string, task: EiRnnTaskName, seed: number): KimPanelNetwork | null {
  const lif = completeRun(dir) && completeRun(join(dir, 'lif'));
  if (!lif) return null;
  const rate = readRateRun(dir);
  if (rate.task !== task)
    throw new MissingRunError(`${dir} holds a network trained on ${rate.task}, not ${task}; remove it or choose another --out`);
  return { seed, task, model: rate.model, inverseScale: lifSummaryOf(lif.manifest.metrics, join(dir, 'lif', 'run.json')).bestInverseScale };
}
