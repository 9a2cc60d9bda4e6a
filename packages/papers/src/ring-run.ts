/**
 * The summary and run outputs of a batch of ring-model trials (`wmkit simulate attractor`): the
 * behavioural errors and their spread (Wimmer et al. 2014), the drift of the decoded angle
 * through the delay, and the arrays and metrics a run directory holds.
 */
import { bumpDiffusion, type DiffusionResult, responseErrorsDeg, responseSpread } from '@wmkit/analysis';
import type { RingSimulation } from '@wmkit/attractor-models';
import type { RunOutputs } from './outputs';

/** What `summarizeRingRun` finds. */
export interface RingRunSummary {
  /** Decoded response − cue per trial (deg). */
  errorsDeg: number[];
  spread: ReturnType<typeof responseSpread>;
  /** The drift fit over the delay after its first 100 ms (null: fewer than 3 read-outs there). */
  diffusion: DiffusionResult | null;
}

const DEG2 = (180 / Math.PI) ** 2;

/** The errors, their spread and the drift of the decoded angle of a ring simulation. */
export function summarizeRingRun(sim: RingSimulation): RingRunSummary {
  const errorsDeg = responseErrorsDeg(sim.response, sim.cueAngle);
  const delayStart = sim.periods.find((p) => p.name === 'delay')?.startMs ?? 1500;
  const delayEnd = sim.periods.find((p) => p.name === 'delay')?.endMs ?? 3500;
  // the drift fit needs ≥ 3 of the 50-ms read-outs after the first 100 ms of the delay
  const fitStart = delayStart + 100;
  const diffusion =
    sim.recordTimesMs.filter((t) => t >= fitStart && t <= delayEnd).length >= 3
      ? bumpDiffusion(sim.angles, sim.recordTimesMs, { startMs: fitStart, endMs: delayEnd })
      : null;
  return { errorsDeg, spread: responseSpread(errorsDeg), diffusion };
}

/** The arrays (cues, responses, delay rates, decoded angle, traces) and metrics of a ring simulation. */
export function ringRunOutputs(sim: RingSimulation, s: RingRunSummary): RunOutputs {
  const trials = sim.response.length;
  const diff = s.diffusion;
  return {
    arrays: [
      { name: 'cue', array: { data: sim.cue, shape: [trials] }, dtype: 'int32', description: 'cue index (0..7) per trial' },
      { name: 'cue_angle', array: { data: sim.cueAngle, shape: [trials] }, description: 'cue angle (rad)' },
      { name: 'response', array: { data: sim.response, shape: [trials] }, description: 'decoded angle at the end of the delay (rad)' },
      { name: 'delay_rates', array: sim.delayRates, description: 'E rates, mean over the last 100 ms of the delay [trial, neuron]' },
      { name: 'decoded_angle', array: sim.angles, description: 'decoded angle at the end of each 50-ms bin [trial, bin]' },
      { name: 'record_times_ms', array: { data: sim.recordTimesMs, shape: [sim.recordTimesMs.length] } },
      { name: 'neuron_angle', array: { data: sim.neuronAngles, shape: [sim.neuronAngles.length] } },
      ...(sim.traces ? [{ name: 'traces', array: sim.traces, description: 'E rates of the first trials [trial, 50-ms bin, neuron]' }] : []),
    ],
    metrics: {
      trials,
      responseSdDeg: s.spread.sdDeg,
      responseSdNoJumpsDeg: s.spread.sdNoJumpsDeg,
      jumpFraction: s.spread.jumpFraction,
      diffusionSlopeDeg2PerS: diff ? diff.slope * DEG2 : null,
      diffusionR2: diff ? diff.r2 : null,
    },
  };
}

/** The summary as the terminal shows it: the response SD (without jumps, if any) and the drift fit. */
export function ringRunSummaryLine(s: RingRunSummary, delayMs: number): string {
  const { sdDeg: sd, sdNoJumpsDeg, jumpFraction } = s.spread;
  const diff = s.diffusion;
  const jumps =
    jumpFraction > 0
      ? ` (${sdNoJumpsDeg.toFixed(2)}° without the ${(100 * jumpFraction).toFixed(1)}% of trials that ended > 22.5° from the cue)`
      : '';
  const drift = diff
    ? `drift variance slope ${(diff.slope * DEG2).toFixed(2)} deg²/s (r² ${diff.r2.toFixed(3)})`
    : `no drift fit (a delay of ${delayMs} ms is too short: it needs ≥ 200 ms)`;
  return `response SD ${sd.toFixed(2)}°${jumps}, ${drift}`;
}
