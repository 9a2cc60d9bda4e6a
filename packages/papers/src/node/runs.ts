/**
 * Reading the E/I RNN and delay-network steps back from their run directories (Node only): a
 * trained model with the task it was trained on, its converted spiking network, its timescales
 * analysis, and a trained delay network with its patterns. A missing or incomplete step is a
 * `MissingRunError` that names the command that makes it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { npyToFloat32, type RunRecord, readNpyFile, readRun } from '@wmkit/data-io/node';
import type { HdSnnConfig, HdSnnModel } from '@wmkit/delay-snn';
import { ConfigError, type EiRnnTaskName, type RateRNN, type RecordedTask, type SpikingRNN, toSpiking } from '@wmkit/ei-rnn';
import type { SpikePatternSet } from '@wmkit/tasks';
import { type NDArray, type NumericArray, UserError } from '@wmkit/tensor';
import { HD_RUN_KIND, hdRunFromRecord } from '../delay-snn-runs';
import { EI_RUN_KINDS, rateRunFromRecord } from '../ei-rnn-runs';

/** A run directory a step needs is missing, of another kind or incomplete (the message names the command that makes it). */
export class MissingRunError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'MissingRunError';
  }
}

/** Reads a complete run of one of `kinds`; the error names the directory, its kind and `hint`. */
export function requireCompleteRun(dir: string, kinds: readonly string[], hint: string): RunRecord {
  if (!existsSync(dir)) throw new MissingRunError(`${dir}: no such run directory`);
  const rec = readRun(dir);
  if (!kinds.includes(rec.manifest.kind))
    throw new MissingRunError(`${dir} is a '${rec.manifest.kind}' run, not ${kinds.map((k) => `'${k}'`).join(' or ')}; ${hint}`);
  if (rec.state !== 'complete') throw new MissingRunError(`${dir} is not complete (status: ${rec.state}); rerun the command that makes it`);
  return rec;
}

/** The arrays a run lists, as float32 arrays by name (only `names` when given). */
export function readRunArrays(rec: RunRecord, names?: string[]): Record<string, NDArray> {
  const out: Record<string, NDArray> = {};
  for (const a of rec.manifest.arrays) if (!names || names.includes(a.name)) out[a.name] = npyToFloat32(readNpyFile(join(rec.dir, a.file)));
  return out;
}

/** The run in `dir` if it is complete, else null (missing, unreadable, failed or interrupted). */
export function completeRun(dir: string): RunRecord | null {
  try {
    const rec = readRun(dir);
    return rec.state === 'complete' ? rec : null;
  } catch {
    return null;
  }
}

/** A trained (or imported) rate model read back from its run directory, with the task its run.json records. */
export interface RateRunRecord {
  dir: string;
  model: RateRNN;
  seed: number;
  preset: string | null;
  config: { model: unknown; train?: unknown; task?: unknown };
  /** The task the model was trained on ('dms' unless its run.json names another). */
  task: EiRnnTaskName;
  /** That task's parameters (dt included) and the task built from them. */
  recorded: RecordedTask;
  metrics: Record<string, unknown>;
}

/** A trained (or imported) rate model from its run directory (`wmkit train ei-rnn` or `import kim-mat`). */
export function readRateRun(dir: string): RateRunRecord {
  const hint = 'train one with `wmkit train ei-rnn --preset kim2021.dms --out <dir>` (or import one with `wmkit import kim-mat`)';
  const rec = requireCompleteRun(dir, [EI_RUN_KINDS.rate], hint);
  const config = rec.manifest.config as RateRunRecord['config'];
  const { model, recorded } = rateRunFromRecord(config, readRunArrays(rec), dir);
  const seed = typeof rec.manifest.seed === 'number' ? rec.manifest.seed : 0;
  const { preset, metrics } = rec.manifest;
  return { dir: rec.dir, model, seed, preset, config, metrics, task: recorded.name, recorded };
}

/** The converted spiking network of a rate run (its `lif/` sub-run, at the λ it found). */
export function readLifRun(parentDir: string, model: RateRNN): { net: SpikingRNN; inverseScale: number } {
  const dir = `${parentDir}/lif`;
  let rec: RunRecord;
  try {
    rec = requireCompleteRun(dir, [EI_RUN_KINDS.lif], 'convert the model first');
  } catch (err) {
    throw new MissingRunError(
      `${parentDir} has no converted spiking network (${(err as Error).message}); run \`wmkit convert lif ${parentDir}\` first`,
    );
  }
  const inv = Number(rec.manifest.metrics.bestInverseScale);
  if (!(inv > 0)) throw new ConfigError(`${dir}/run.json: metrics.bestInverseScale is missing or not positive`);
  return { net: toSpiking(model, { scale: 1 / inv }), inverseScale: inv };
}

/** Arrays of a model run's timescales analysis (`<run>/timescales`): `required` must be there, the others may be. */
export function readTimescalesRun(dir: string, required: string[], optional: string[] = []): Record<string, NDArray> {
  const ts = join(dir, 'timescales');
  const make = `run \`wmkit analyze timescales ${dir}\``;
  if (!existsSync(join(ts, 'run.json')))
    throw new MissingRunError(
      `${dir} has no timescales analysis (${ts}/run.json is missing); ${make} first (it needs \`wmkit convert lif ${dir}\`)`,
    );
  const a = readRunArrays(requireCompleteRun(ts, [EI_RUN_KINDS.timescales], make), [...required, ...optional]);
  for (const name of required) if (!a[name]) throw new MissingRunError(`${ts} has no ${name}.npy; re${make}`);
  return a;
}

/** The median τ (paper's and unbiased estimators) of a run's complete timescales analysis; null where there is none. */
export function medianTausOfRun(dir: string): { kim: number | null; unbiased: number | null } {
  const rec = existsSync(join(dir, 'timescales', 'run.json')) ? completeRun(join(dir, 'timescales')) : null;
  const m = (rec?.manifest.metrics ?? {}) as { medianTauMs?: unknown; unbiased?: { medianTauMs?: unknown } };
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return { kim: num(m.medianTauMs), unbiased: num(m.unbiased?.medianTauMs) };
}

/** A trained delay network (Perrinet et al. 2026) and its patterns from its run directory. */
export function readHdRun(dir: string): { dir: string; cfg: HdSnnConfig; model: HdSnnModel; set: SpikePatternSet; seed: number } {
  const rec = requireCompleteRun(dir, [HD_RUN_KIND], 'train one with `wmkit train delay-snn --preset perrinet2026.reference --out <dir>`');
  const arrays: Record<string, NDArray<NumericArray>> = {};
  for (const a of rec.manifest.arrays) {
    if (a.name === 'W') arrays.W = npyToFloat32(readNpyFile(join(rec.dir, a.file)));
    if (a.name === 'patterns') arrays.patterns = readNpyFile(join(rec.dir, a.file)) as NDArray<NumericArray>;
  }
  const { cfg, model, set } = hdRunFromRecord(rec.manifest.config, rec.manifest.metrics, arrays, dir);
  return { dir: rec.dir, cfg, model, set, seed: typeof rec.manifest.seed === 'number' ? rec.manifest.seed : cfg.seed };
}
