/**
 * `wmkit simulate attractor --model bump --trials 16000 --out runs/bump`
 *
 * Simulates one of the Wimmer et al. 2014 ring models for many trials (cues balanced over the 8
 * positions) on all cores, and saves the decoded responses, delay rates, decoded angle over time,
 * and full rate traces of a few trials, with a bump heat map, the error histogram and the
 * diffusion of the decoded angle.
 */

import { angleDifference, bumpDiffusion } from '@wmkit/analysis';
import { estimateRingSimulationBytes, type RingSimulation, ringModel, ringModelNames } from '@wmkit/attractor-models';
import { simulateRingParallel } from '@wmkit/papers/node';
import { UsageError } from '../../errors';
import { bumpHeatmapSvg, diffusionSvg, responseHistogramSvg } from '../../figures/attractors';
import { Progress } from '../../progress';
import { checkMemory, startRun } from '../../run-helpers';

export interface SimulateAttractorOptions {
  model?: string;
  trials: number;
  delay: number;
  out?: string;
  seed: number;
  traces: number;
  /** Cue angles in degrees, each one of the 8 cue positions; trials cycle through them (default: all 8, balanced). */
  cues?: string;
  workers?: number;
  force?: boolean;
}

const N_CUES = 8;

/**
 * `--cues 0,90,180` → cue indices; each angle must be one of the ring's 8 cue positions (0°, 45°,
 * …, 315°; 360° and negative angles wrap, as on a ring).
 */
export function parseCueAngles(list: string): number[] {
  const spacing = 360 / N_CUES;
  const positions = Array.from({ length: N_CUES }, (_, i) => `${i * spacing}`).join(', ');
  const items = list.split(',').map((x) => x.trim());
  if (!items.length || items.some((x) => x === ''))
    throw new UsageError(`--cues: give cue angles in degrees separated by commas, e.g. --cues 0,90,180 (the cue positions: ${positions})`);
  return items.map((x) => {
    const deg = Number(x.replace(/°$/, ''));
    if (!Number.isFinite(deg)) throw new UsageError(`--cues: '${x}' is not an angle in degrees (the cue positions: ${positions})`);
    const k = deg / spacing;
    if (!Number.isInteger(k)) throw new UsageError(`--cues: ${deg}° is not one of the ring's ${N_CUES} cue positions (${positions}°)`);
    return ((k % N_CUES) + N_CUES) % N_CUES;
  });
}

export function checkRingModelName(name: string | undefined): string {
  if (!name) throw new UsageError(`--model is required: one of ${ringModelNames().join(', ')}`);
  if (!ringModelNames().includes(name))
    throw new UsageError(`unknown attractor model '${name}'; use one of ${ringModelNames().join(', ')}`);
  return name;
}

export function checkDelay(delay: number): number {
  if (!(delay >= 0) || !Number.isFinite(delay)) throw new UsageError(`--delay must be a number of ms ≥ 0, got ${delay}`);
  if (delay % 2 !== 0) throw new UsageError(`--delay (${delay} ms) must be a whole number of 2-ms steps`);
  return delay;
}

/** Errors of the responses in degrees. */
export function responseErrorsDeg(sim: RingSimulation): number[] {
  return Array.from(sim.response, (r, b) => (angleDifference(r, sim.cueAngle[b]) * 180) / Math.PI);
}

/**
 * Spread of the responses: the SD of the errors (about 0, the cue), and the same without the
 * trials whose error exceeds half the cue spacing (22.5° for 8 cues) — jumps to another
 * attractor in the discrete model — with the fraction of such trials. Wimmer et al. 2014
 * (Fig. 8b) compare the models' behavioural variability; a few jumps dominate a plain SD.
 */
export function responseSpread(errorsDeg: number[], halfSpacingDeg = 22.5): { sdDeg: number; sdNoJumpsDeg: number; jumpFraction: number } {
  const rms = (xs: number[]) => (xs.length ? Math.sqrt(xs.reduce((a, e) => a + e * e, 0) / xs.length) : Number.NaN);
  const kept = errorsDeg.filter((e) => Math.abs(e) <= halfSpacingDeg);
  return {
    sdDeg: rms(errorsDeg),
    sdNoJumpsDeg: rms(kept),
    jumpFraction: errorsDeg.length ? (errorsDeg.length - kept.length) / errorsDeg.length : Number.NaN,
  };
}

export async function simulateAttractor(o: SimulateAttractorOptions): Promise<number> {
  const name = checkRingModelName(o.model);
  const delay = checkDelay(o.delay);
  if (!Number.isInteger(o.trials) || o.trials < 1) throw new UsageError(`--trials must be a positive integer, got ${o.trials}`);
  checkMemory(
    estimateRingSimulationBytes(ringModel(name), { trials: o.trials, delayMs: delay, traceTrials: o.traces }),
    'reduce --trials, or run it as a sweep over --seed with fewer trials each',
  );
  const cueSet = o.cues == null ? null : parseCueAngles(o.cues);
  const cues = cueSet ? Int32Array.from({ length: o.trials }, (_, t) => cueSet[t % cueSet.length]) : undefined;
  const out = o.out ?? `runs/${name}`;
  const model = ringModel(name);
  const run = await startRun(out, {
    kind: 'attractor.simulate',
    config: {
      model,
      trials: o.trials,
      delayMs: delay,
      traces: o.traces,
      cuesDeg: cueSet ? cueSet.map((c) => (c * 360) / N_CUES) : 'all 8, balanced',
    },
    seed: o.seed,
    preset: `wimmer2014.${name}`,
    force: o.force,
  });
  console.log(`▶ ${name} ring model (Wimmer et al. 2014): ${o.trials.toLocaleString('en-US')} trials, ${delay}-ms delay → ${run.dir}`);
  const bar = new Progress('  simulating', o.trials, 'trials');
  const t0 = performance.now();
  const sim = await simulateRingParallel({
    params: ringModel(name),
    seed: o.seed,
    trials: o.trials,
    delayMs: delay,
    traceTrials: o.traces,
    cues,
    workers: o.workers,
    onProgress: (f) => bar.update(f * o.trials),
  });
  const seconds = (performance.now() - t0) / 1000;
  bar.finish(o.trials, { 'trials/s': Math.round(o.trials / seconds) });
  run.writeArray('cue', { data: sim.cue, shape: [o.trials] }, { dtype: 'int32', description: 'cue index (0..7) per trial' });
  run.writeArray('cue_angle', { data: sim.cueAngle, shape: [o.trials] }, { description: 'cue angle (rad)' });
  run.writeArray('response', { data: sim.response, shape: [o.trials] }, { description: 'decoded angle at the end of the delay (rad)' });
  run.writeArray('delay_rates', sim.delayRates, { description: 'E rates, mean over the last 100 ms of the delay [trial, neuron]' });
  run.writeArray('decoded_angle', sim.angles, { description: 'decoded angle at the end of each 50-ms bin [trial, bin]' });
  run.writeArray('record_times_ms', { data: sim.recordTimesMs, shape: [sim.recordTimesMs.length] });
  run.writeArray('neuron_angle', { data: sim.neuronAngles, shape: [sim.neuronAngles.length] });
  const errs = responseErrorsDeg(sim);
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
    trials: o.trials,
    seconds,
    trialsPerSecond: o.trials / seconds,
    responseSdDeg: sd,
    responseSdNoJumpsDeg: spread.sdNoJumpsDeg,
    jumpFraction: spread.jumpFraction,
    diffusionSlopeDeg2PerS: diff ? diff.slope * (180 / Math.PI) ** 2 : null,
    diffusionR2: diff ? diff.r2 : null,
  });
  console.log(
    `✓ ${o.trials.toLocaleString('en-US')} trials in ${seconds.toFixed(1)} s (${(o.trials / seconds).toFixed(0)} trials/s): response SD ${sd.toFixed(2)}°${spread.jumpFraction > 0 ? ` (${spread.sdNoJumpsDeg.toFixed(2)}° without the ${(100 * spread.jumpFraction).toFixed(1)}% of trials that ended > 22.5° from the cue)` : ''}, ${diff ? `drift variance slope ${(diff.slope * (180 / Math.PI) ** 2).toFixed(2)} deg²/s (r² ${diff.r2.toFixed(3)})` : `no drift fit (a delay of ${delay} ms is too short: it needs ≥ 200 ms)`}`,
  );
  return 0;
}
