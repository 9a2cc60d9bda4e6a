/**
 * A batch of ring-model trials as a run records it (`RingRunConfig`: the model's parameters,
 * flat, and the protocol), validated field by field (`parseRingRunConfig`; errors name the field
 * and where it came from), and the ring's 8 cue positions. Problems in the protocol or the fields
 * are `RingRunError`s; the model's parameters are checked by `parseRingModelParams`.
 */
import { ConfigError, describeConfigIssues, notAnObject } from '@wmkit/data-io';
import { z } from 'zod';
import { legacyNoiseFields, parseRingModelParams, type RingModelParams, ringModel, ringModelNames } from './params';

/** A problem with a ring run's protocol or fields (unknown, misplaced or of the wrong kind). */
export class RingRunError extends ConfigError {
  constructor(message: string) {
    super(message);
    this.name = 'RingRunError';
  }
}

/** The number of cue positions on the ring. */
export const N_CUES = 8;

/**
 * What determines a batch of ring trials, as run.json records it (`wmkit simulate attractor`): the ring model's parameters (flat: `sigmaESqrtMs`, `GEE`, `connectivity.kappa`, …;
 * `name` picks the published model they start from) and the protocol.
 */
export type RingRunConfig = RingModelParams & {
  trials: number;
  delayMs: number;
  /** Trials whose full rate traces are saved. */
  traces: number;
  /** Cue angles (deg), each one of the 8 cue positions, cycled through; null: all 8, balanced. */
  cuesDeg: number[] | null;
  /**
   * Worker threads (null: all cores). Recorded because the ring kernel's float32 sums depend on
   * how many trials it batches, which the split across threads sets: the same number of threads
   * gives the same bits; other numbers agree to float32 rounding.
   */
  workers: number | null;
};

const protocolSchema = z.strictObject({
  trials: z.number().int().min(1),
  delayMs: z.number().finite().min(0),
  traces: z.number().int().min(0),
  cuesDeg: z.array(z.number().finite()).min(1).nullable(),
  workers: z.number().int().min(1).nullable(),
});
const PROTOCOL_KEYS = Object.keys(protocolSchema.shape);

/** The default run of the published model `name`: 16,000 trials, a 2-s delay, 3 traces, all 8 cues. */
export function ringRunBase(name: string): RingRunConfig {
  return { ...ringModel(name), trials: 16000, delayMs: 2000, traces: 3, cuesDeg: null, workers: null };
}

/**
 * Validates `patch` (part of an `RingRunConfig`) merged onto `base`. A `name` other than the
 * base's starts the model from that published model; unknown fields are refused with the list of
 * valid ones; errors name the field and `where`.
 */
export function parseRingRunConfig(patch: unknown, base: RingRunConfig, where: string): RingRunConfig {
  const got = patch === undefined ? null : notAnObject(patch);
  if (got) throw new RingRunError(`${where}: an attractor run config must be an object, got ${got}`);
  const v = { ...(patch as Record<string, unknown>) };
  const legacy = legacyNoiseFields(v, base.dtMs);
  if (legacy) throw new RingRunError(`${where}: ${legacy}`);
  const valid = [...Object.keys(base).filter((k) => !PROTOCOL_KEYS.includes(k)), ...PROTOCOL_KEYS];
  const unknown = Object.keys(v).filter((k) => !valid.includes(k));
  if (unknown.length)
    throw new RingRunError(
      `${where}: ${unknown.map((k) => `'${k}'`).join(', ')}: not a field of this config (the fields: ${valid.join(', ')})`,
    );
  const proto: Record<string, unknown> = {};
  for (const k of PROTOCOL_KEYS) {
    proto[k] = k in v ? v[k] : base[k as keyof RingRunConfig];
    delete v[k];
  }
  const { trials: _t, delayMs: _d, traces: _r, cuesDeg: _c, workers: _w, ...baseModel } = base;
  const name = v.name ?? baseModel.name;
  if (typeof name !== 'string' || !ringModelNames().includes(name))
    throw new RingRunError(`${where}: 'name': unknown attractor model '${String(name)}'; use one of ${ringModelNames().join(', ')}`);
  const model = parseRingModelParams(v, name === baseModel.name ? baseModel : ringModel(name), where);
  const p = protocolSchema.safeParse(proto);
  if (!p.success) throw new RingRunError(`${where}: invalid run: ${describeConfigIssues(p.error.issues, proto)}`);
  const cfg = { ...model, ...p.data };
  if (!wholeSteps(cfg.delayMs, model.dtMs))
    throw new RingRunError(`${where}: 'delayMs' (${cfg.delayMs} ms) must be a whole number of ${model.dtMs}-ms steps`);
  if (cfg.cuesDeg) cueIndices(cfg.cuesDeg, `${where}: 'cuesDeg'`);
  return cfg;
}

/** Degrees between the ring's cue positions. */
export const CUE_SPACING_DEG = 360 / N_CUES;
/** The cue positions in degrees, as a list for messages. */
export const CUE_POSITIONS = Array.from({ length: N_CUES }, (_, i) => `${i * CUE_SPACING_DEG}`).join(', ');

/** Cue angles (deg) → cue indices; each must be one of the ring's 8 positions (angles wrap). */
export function cueIndices(degs: number[], what: string): number[] {
  return degs.map((deg) => {
    const k = deg / CUE_SPACING_DEG;
    if (!Number.isInteger(k))
      throw new RingRunError(`${what}: ${deg}° is not one of the ring's ${N_CUES} cue positions (${CUE_POSITIONS}°)`);
    return ((k % N_CUES) + N_CUES) % N_CUES;
  });
}

/**
 * A recorded config as `parseRingRunConfig` takes it. Runs recorded before the config was flat
 * held the model under `model`; runs recorded before the rings' noise was stated in √ms held the
 * SD per step (`sigmaE`, `sigmaI`): the same process is σ = SD·√dtMs, so a rerun is unchanged.
 */
export function ringRunFromRecorded(recorded: unknown): unknown {
  let rec = recorded;
  const x = rec as Record<string, unknown>;
  if (x && typeof x.model === 'object' && x.model !== null) {
    const { model, cuesDeg, ...rest } = x;
    rec = { ...(model as object), ...rest, cuesDeg: Array.isArray(cuesDeg) ? cuesDeg : null, workers: null };
  }
  if (!rec || typeof rec !== 'object' || Array.isArray(rec)) return rec;
  const { sigmaE, sigmaI, ...rest } = rec as Record<string, unknown>;
  const dt = typeof rest.dtMs === 'number' ? rest.dtMs : 2;
  const out: Record<string, unknown> = rest;
  if (typeof sigmaE === 'number') out.sigmaESqrtMs = sigmaE * Math.sqrt(dt);
  if (typeof sigmaI === 'number') out.sigmaISqrtMs = sigmaI * Math.sqrt(dt);
  return sigmaE === undefined && sigmaI === undefined ? rec : out;
}

/** Whether `ms` is a whole number of `dtMs` steps (to float rounding, so 0.3 ms is three 0.1-ms steps). */
export function wholeSteps(ms: number, dtMs: number): boolean {
  const n = ms / dtMs;
  return Math.abs(n - Math.round(n)) <= 1e-9 * Math.max(1, n);
}

/**
 * `--cues 0,90,180` → cue indices; each angle must be one of the ring's 8 cue positions (0°, 45°,
 * …, 315°; 360° and negative angles wrap, as on a ring).
 */
export function cueIndicesFromText(list: string): number[] {
  const items = list.split(',').map((x) => x.trim());
  if (!items.length || items.some((x) => x === ''))
    throw new RingRunError(
      `--cues: give cue angles in degrees separated by commas, e.g. --cues 0,90,180 (the cue positions: ${CUE_POSITIONS})`,
    );
  const degs = items.map((x) => {
    const deg = Number(x.replace(/°$/, ''));
    if (!Number.isFinite(deg)) throw new RingRunError(`--cues: '${x}' is not an angle in degrees (the cue positions: ${CUE_POSITIONS})`);
    return deg;
  });
  return cueIndices(degs, '--cues');
}

/** `--model`: the name of one of the published ring models (`ringModelNames`). */
export function ringModelNameOf(name: string | undefined): string {
  if (!name) throw new RingRunError(`--model is required: one of ${ringModelNames().join(', ')}`);
  if (!ringModelNames().includes(name))
    throw new RingRunError(`unknown attractor model '${name}'; use one of ${ringModelNames().join(', ')}`);
  return name;
}

/**
 * `--delay` in ms: a number ≥ 0 and, when the model's dt is known here (`dtMs`), a whole number of
 * its steps (otherwise the model's config checks it against its own dt).
 */
export function checkRingDelay(delay: number, dtMs?: number): number {
  if (!(delay >= 0) || !Number.isFinite(delay)) throw new RingRunError(`--delay must be a number of ms ≥ 0, got ${delay}`);
  if (dtMs !== undefined && !wholeSteps(delay, dtMs))
    throw new RingRunError(`--delay (${delay} ms) must be a whole number of the model's ${dtMs}-ms steps`);
  return delay;
}
