/**
 * `wmkit simulate attractor --model bump --trials 16000 --out runs/bump`
 *
 * Simulates one of the Wimmer et al. 2014 ring models for many trials (cues balanced over the 8
 * positions) on all cores, and saves the decoded responses, delay rates, decoded angle over time,
 * and full rate traces of a few trials, with a bump heat map, the error histogram and the
 * diffusion of the decoded angle.
 */

import { bumpDiffusion, responseErrorsDeg, responseSpread } from '@wmkit/analysis';
import {
  estimateRingSimulationBytes,
  legacyNoiseFields,
  parseRingModelParams,
  type RingModelParams,
  ringModel,
  ringModelNames,
} from '@wmkit/attractor-models';
import { describeConfigIssues, notAnObject } from '@wmkit/data-io';
import { bumpHeatmapSvg, diffusionSvg, responseHistogramSvg } from '@wmkit/figures';
import { defaultWorkers, simulateRingParallel } from '@wmkit/papers/node';
import { z } from 'zod';
import { UsageError } from '../../errors';
import { type ConfigOptionValues, printConfigIfAsked, resolveCommandConfig } from '../../options';
import { Progress } from '../../progress';
import { checkMemory, startRun } from '../../run-helpers';

export interface SimulateAttractorOptions extends ConfigOptionValues {
  model?: string;
  trials?: number;
  delay?: number;
  out?: string;
  seed?: number;
  traces?: number;
  /** Cue angles in degrees, each one of the 8 cue positions; trials cycle through them (default: all 8, balanced). */
  cues?: string;
  workers?: number;
  force?: boolean;
  /** The wasm ring kernel (default) or TensorFlow.js ops on the selected backend. */
  engine?: 'kernels' | 'tfjs';
}

/**
 * What determines a `simulate attractor` run, as run.json records it and --config / --set /
 * --from take it: the ring model's parameters (flat: `sigmaESqrtMs`, `GEE`, `connectivity.kappa`, …;
 * `name` picks the published model they start from) and the protocol.
 */
export type AttractorRunConfig = RingModelParams & {
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

export const ATTRACTOR_SIMULATE_KIND = 'attractor.simulate';

const protocolSchema = z.strictObject({
  trials: z.number().int().min(1),
  delayMs: z.number().finite().min(0),
  traces: z.number().int().min(0),
  cuesDeg: z.array(z.number().finite()).min(1).nullable(),
  workers: z.number().int().min(1).nullable(),
});
const PROTOCOL_KEYS = Object.keys(protocolSchema.shape);

/** The default run of the published model `name`: 16,000 trials, a 2-s delay, 3 traces, all 8 cues. */
export function attractorRunBase(name: string): AttractorRunConfig {
  return { ...ringModel(name), trials: 16000, delayMs: 2000, traces: 3, cuesDeg: null, workers: null };
}

/**
 * Validates `patch` (part of an `AttractorRunConfig`) merged onto `base`. A `name` other than the
 * base's starts the model from that published model; unknown fields are refused with the list of
 * valid ones; errors name the field and `where`.
 */
export function parseAttractorRunConfig(patch: unknown, base: AttractorRunConfig, where: string): AttractorRunConfig {
  const got = patch === undefined ? null : notAnObject(patch);
  if (got) throw new UsageError(`${where}: an attractor run config must be an object, got ${got}`);
  const v = { ...(patch as Record<string, unknown>) };
  const legacy = legacyNoiseFields(v, base.dtMs);
  if (legacy) throw new UsageError(`${where}: ${legacy}`);
  const valid = [...Object.keys(base).filter((k) => !PROTOCOL_KEYS.includes(k)), ...PROTOCOL_KEYS];
  const unknown = Object.keys(v).filter((k) => !valid.includes(k));
  if (unknown.length)
    throw new UsageError(
      `${where}: ${unknown.map((k) => `'${k}'`).join(', ')}: not a field of this config (the fields: ${valid.join(', ')})`,
    );
  const proto: Record<string, unknown> = {};
  for (const k of PROTOCOL_KEYS) {
    proto[k] = k in v ? v[k] : base[k as keyof AttractorRunConfig];
    delete v[k];
  }
  const { trials: _t, delayMs: _d, traces: _r, cuesDeg: _c, workers: _w, ...baseModel } = base;
  const name = v.name ?? baseModel.name;
  if (typeof name !== 'string' || !ringModelNames().includes(name))
    throw new UsageError(`${where}: 'name': unknown attractor model '${String(name)}'; use one of ${ringModelNames().join(', ')}`);
  const model = parseRingModelParams(v, name === baseModel.name ? baseModel : ringModel(name), where);
  const p = protocolSchema.safeParse(proto);
  if (!p.success) throw new UsageError(`${where}: invalid run: ${describeConfigIssues(p.error.issues, proto)}`);
  const cfg = { ...model, ...p.data };
  if (!wholeSteps(cfg.delayMs, model.dtMs))
    throw new UsageError(`${where}: 'delayMs' (${cfg.delayMs} ms) must be a whole number of ${model.dtMs}-ms steps`);
  if (cfg.cuesDeg) cueIndices(cfg.cuesDeg, `${where}: 'cuesDeg'`);
  return cfg;
}

const N_CUES = 8;

/**
 * `--cues 0,90,180` → cue indices; each angle must be one of the ring's 8 cue positions (0°, 45°,
 * …, 315°; 360° and negative angles wrap, as on a ring).
 */
export function parseCueAngles(list: string): number[] {
  const items = list.split(',').map((x) => x.trim());
  if (!items.length || items.some((x) => x === ''))
    throw new UsageError(`--cues: give cue angles in degrees separated by commas, e.g. --cues 0,90,180 (the cue positions: ${POSITIONS})`);
  return cueIndices(
    items.map((x) => {
      const deg = Number(x.replace(/°$/, ''));
      if (!Number.isFinite(deg)) throw new UsageError(`--cues: '${x}' is not an angle in degrees (the cue positions: ${POSITIONS})`);
      return deg;
    }),
    '--cues',
  );
}

const SPACING = 360 / N_CUES;
const POSITIONS = Array.from({ length: N_CUES }, (_, i) => `${i * SPACING}`).join(', ');

/** Cue angles (deg) → cue indices; each must be one of the ring's 8 positions (angles wrap). */
function cueIndices(degs: number[], what: string): number[] {
  return degs.map((deg) => {
    const k = deg / SPACING;
    if (!Number.isInteger(k)) throw new UsageError(`${what}: ${deg}° is not one of the ring's ${N_CUES} cue positions (${POSITIONS}°)`);
    return ((k % N_CUES) + N_CUES) % N_CUES;
  });
}

/**
 * A run recorded before the rings' noise was stated in √ms held the SD per step (`sigmaE`,
 * `sigmaI`): the same process is σ = SD·√dtMs, so --from reruns it unchanged.
 */
function perSqrtMsNoise(rec: unknown): unknown {
  if (!rec || typeof rec !== 'object' || Array.isArray(rec)) return rec;
  const { sigmaE, sigmaI, ...rest } = rec as Record<string, unknown>;
  const dt = typeof rest.dtMs === 'number' ? rest.dtMs : 2;
  const out: Record<string, unknown> = rest;
  if (typeof sigmaE === 'number') out.sigmaESqrtMs = sigmaE * Math.sqrt(dt);
  if (typeof sigmaI === 'number') out.sigmaISqrtMs = sigmaI * Math.sqrt(dt);
  return sigmaE === undefined && sigmaI === undefined ? rec : out;
}

export function checkRingModelName(name: string | undefined): string {
  if (!name) throw new UsageError(`--model is required: one of ${ringModelNames().join(', ')}`);
  if (!ringModelNames().includes(name))
    throw new UsageError(`unknown attractor model '${name}'; use one of ${ringModelNames().join(', ')}`);
  return name;
}

/** Whether `ms` is a whole number of `dtMs` steps (to float rounding, so 0.3 ms is three 0.1-ms steps). */
function wholeSteps(ms: number, dtMs: number): boolean {
  const n = ms / dtMs;
  return Math.abs(n - Math.round(n)) <= 1e-9 * Math.max(1, n);
}

/**
 * `--delay` in ms: a number ≥ 0 and, when the model's dt is known here (`dtMs`), a whole number of
 * its steps (otherwise the model's config checks it against its own dt).
 */
export function checkDelay(delay: number, dtMs?: number): number {
  if (!(delay >= 0) || !Number.isFinite(delay)) throw new UsageError(`--delay must be a number of ms ≥ 0, got ${delay}`);
  if (dtMs !== undefined && !wholeSteps(delay, dtMs))
    throw new UsageError(`--delay (${delay} ms) must be a whole number of the model's ${dtMs}-ms steps`);
  return delay;
}

/** The resolved config and seed of `simulate attractor`: --model (or --from) → --config → --set → flags. */
export function resolveAttractorRun(o: SimulateAttractorOptions): { config: AttractorRunConfig; seed: number } {
  if (!o.model && !o.from) throw new UsageError(`--model is required: one of ${ringModelNames().join(', ')} (or --from <run>)`);
  const set = [...(o.set ?? [])];
  if (o.model && o.from) set.push(`name=${checkRingModelName(o.model)}`);
  if (o.trials != null) set.push(`trials=${o.trials}`);
  if (o.delay != null) set.push(`delayMs=${checkDelay(o.delay)}`);
  if (o.traces != null) set.push(`traces=${o.traces}`);
  if (o.workers != null) set.push(`workers=${o.workers}`);
  if (o.cues != null) set.push(`cuesDeg=${JSON.stringify(parseCueAngles(o.cues).map((c) => c * SPACING))}`);
  const r = resolveCommandConfig(
    { ...o, set },
    {
      base: attractorRunBase(o.model ? checkRingModelName(o.model) : 'bump'),
      parse: parseAttractorRunConfig,
      kinds: [ATTRACTOR_SIMULATE_KIND],
      fromRecorded: (rec) => {
        // runs recorded before the config was flat held the model under `model`
        const x = rec as Record<string, unknown>;
        if (x && typeof x.model === 'object' && x.model !== null) {
          const { model, cuesDeg, ...rest } = x;
          return perSqrtMsNoise({ ...(model as object), ...rest, cuesDeg: Array.isArray(cuesDeg) ? cuesDeg : null, workers: null });
        }
        return perSqrtMsNoise(rec);
      },
    },
  );
  return { config: r.config, seed: o.seed ?? r.seed ?? 1 };
}

export async function simulateAttractor(o: SimulateAttractorOptions): Promise<number> {
  const { config, seed } = resolveAttractorRun(o);
  if (printConfigIfAsked(o, config)) return 0;
  const { trials, delayMs: delay, traces, cuesDeg, workers: _w, ...params } = config;
  // the threads actually used, so that --from reruns the same batches (see AttractorRunConfig)
  const workers = defaultWorkers(trials, config.workers ?? undefined);
  const name = params.name;
  checkMemory(
    estimateRingSimulationBytes(params, { trials, delayMs: delay, traceTrials: traces }),
    'reduce --trials, or run it as a sweep over --seed with fewer trials each',
  );
  const cueSet = cuesDeg ? cueIndices(cuesDeg, 'cuesDeg') : null;
  const cues = cueSet ? Int32Array.from({ length: trials }, (_, t) => cueSet[t % cueSet.length] as number) : undefined;
  const out = o.out ?? `runs/${name}`;
  const run = await startRun(out, {
    kind: ATTRACTOR_SIMULATE_KIND,
    config: { ...config, workers },
    seed,
    preset: `wimmer2014.${name}`,
    force: o.force,
  });
  const engine = o.engine ?? 'kernels';
  run.setMetrics({ engine }); // which implementation simulated it: the wasm kernel or TensorFlow.js ops
  console.log(
    `▶ ${name} ring model (Wimmer et al. 2014): ${trials.toLocaleString('en-US')} trials, ${delay}-ms delay, ${engine} engine → ${run.dir}`,
  );
  const bar = new Progress('  simulating', trials, 'trials');
  const t0 = performance.now();
  const sim = await simulateRingParallel({
    params,
    seed,
    trials,
    delayMs: delay,
    traceTrials: traces,
    cues,
    workers,
    engine,
    onProgress: (f) => bar.update(f * trials),
  });
  const seconds = (performance.now() - t0) / 1000;
  bar.finish(trials, { 'trials/s': Math.round(trials / seconds) });
  run.writeArray('cue', { data: sim.cue, shape: [trials] }, { dtype: 'int32', description: 'cue index (0..7) per trial' });
  run.writeArray('cue_angle', { data: sim.cueAngle, shape: [trials] }, { description: 'cue angle (rad)' });
  run.writeArray('response', { data: sim.response, shape: [trials] }, { description: 'decoded angle at the end of the delay (rad)' });
  run.writeArray('delay_rates', sim.delayRates, { description: 'E rates, mean over the last 100 ms of the delay [trial, neuron]' });
  run.writeArray('decoded_angle', sim.angles, { description: 'decoded angle at the end of each 50-ms bin [trial, bin]' });
  run.writeArray('record_times_ms', { data: sim.recordTimesMs, shape: [sim.recordTimesMs.length] });
  run.writeArray('neuron_angle', { data: sim.neuronAngles, shape: [sim.neuronAngles.length] });
  const errs = responseErrorsDeg(sim.response, sim.cueAngle);
  const spread = responseSpread(errs);
  const sd = spread.sdDeg;
  const delayStart = sim.periods.find((p) => p.name === 'delay')?.startMs ?? 1500;
  const delayEnd = sim.periods.find((p) => p.name === 'delay')?.endMs ?? 3500;
  // the drift fit needs ≥ 3 of the 50-ms read-outs after the first 100 ms of the delay
  const fitStart = delayStart + 100;
  const diff =
    sim.recordTimesMs.filter((t) => t >= fitStart && t <= delayEnd).length >= 3
      ? bumpDiffusion(sim.angles, sim.recordTimesMs, { startMs: fitStart, endMs: delayEnd })
      : null;
  run.addFigure(
    'responses',
    responseHistogramSvg(
      errs.map((e) => ({ model: name, errorDeg: e })),
      `${name}: behavioural errors`,
    ),
    'decoded response − cue',
  );
  if (diff)
    run.addFigure(
      'diffusion',
      diffusionSvg(
        diff.timesMs.map((t, i) => ({ model: name, tMs: t, varianceDeg2: diff.variance[i] * (180 / Math.PI) ** 2 })),
        `${name}: drift of the decoded angle through the delay`,
      ),
      'variance of the decoded angle’s displacement since the start of the delay',
    );
  if (sim.traces) {
    run.writeArray('traces', sim.traces, { description: 'E rates of the first trials [trial, 50-ms bin, neuron]' });
    const [, nRec, N] = sim.traces.shape;
    run.addFigure(
      'bump_trial0',
      bumpHeatmapSvg(
        sim.traces.data.subarray(0, nRec * N) as Float32Array,
        nRec,
        N,
        sim.recordTimesMs,
        Array.from(sim.neuronAngles, (a) => (a * 180) / Math.PI),
        Array.from(sim.angles.data.subarray(0, nRec), (a) => (a * 180) / Math.PI),
        `${name}: trial 0 (cue ${((sim.cueAngle[0] * 180) / Math.PI).toFixed(0)}°)`,
        sim.periods,
      ),
      'E-cell rates of trial 0 with the decoded angle',
    );
  }
  run.complete({
    trials: trials,
    seconds,
    trialsPerSecond: trials / seconds,
    responseSdDeg: sd,
    responseSdNoJumpsDeg: spread.sdNoJumpsDeg,
    jumpFraction: spread.jumpFraction,
    diffusionSlopeDeg2PerS: diff ? diff.slope * (180 / Math.PI) ** 2 : null,
    diffusionR2: diff ? diff.r2 : null,
  });
  console.log(
    `✓ ${trials.toLocaleString('en-US')} trials in ${seconds.toFixed(1)} s (${(trials / seconds).toFixed(0)} trials/s): response SD ${sd.toFixed(2)}°${spread.jumpFraction > 0 ? ` (${spread.sdNoJumpsDeg.toFixed(2)}° without the ${(100 * spread.jumpFraction).toFixed(1)}% of trials that ended > 22.5° from the cue)` : ''}, ${diff ? `drift variance slope ${(diff.slope * (180 / Math.PI) ** 2).toFixed(2)} deg²/s (r² ${diff.r2.toFixed(3)})` : `no drift fit (a delay of ${delay} ms is too short: it needs ≥ 200 ms)`}`,
  );
  return 0;
}
