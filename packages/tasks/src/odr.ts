/**
 * Oculomotor delayed response (ODR; Funahashi et al. 1989), as in Wimmer, Nykamp,
 * Constantinidis & Compte 2014: one of 8 equally spaced cue locations is shown for 0.5 s, held
 * through a delay (3 s for the monkeys, 2 s in the model scripts), then reported by a saccade.
 *
 * | period   | ms          | model scripts (dt = 2 ms)                 |
 * |----------|-------------|-------------------------------------------|
 * | fixation | 1000        | cue on for 1000 < t < 1500                |
 * | cue      | 500         |                                           |
 * | delay    | 2000 / 3000 | response decoded at the end of the delay  |
 * | response | 500         | erase input (−stim) in the scripts        |
 * | post     | 200         | trial 4,200 ms for the 2-s delay          |
 *
 * Conditions per trial: `cue` (index 0..7) and `cueAngle` (radians, 2π·cue/8). For networks with
 * input channels the cue is (cos θ, sin θ) on channels 0–1 during the cue period, channel 2 is
 * fixation (1 until the response period), and the target is (cos θ, sin θ) during the response.
 * The score is the angular error of the reported direction (outputs 0–1) in the response period.
 *
 * @example
 * ```ts
 * const task = odrTask({ delayMs: 3000 });
 * const batch = task.sample(16, rng);     // batch.conditions.cueAngle
 * ```
 */
import type { NDArray, Rng } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';
import { checkOutputs, emptyBatch, stepsOf, type Task, type TaskScore, type Timeline, type TrialBatch, timeline } from './task';

/** Timing (ms) and number of cues of the oculomotor delayed-response task. */
export interface OdrConfig {
  dtMs: number;
  cues: number;
  fixationMs: number;
  cueMs: number;
  /** Delay (ms): 3000 as in the monkeys, 2000 as in the model scripts. */
  delayMs: number;
  responseMs: number;
  postMs: number;
  /** A response within this angle (rad) of the cue counts as correct (scoring for trained networks). */
  toleranceRad: number;
}

/** Wimmer et al. 2014 model protocol (Supplementary Codes 1–3). */
export const ODR_WIMMER2014: OdrConfig = {
  dtMs: 2, // integration step
  cues: 8, // npop = 8
  fixationMs: 1000, // stimon = 1000
  cueMs: 500, // stimoff = 1500
  delayMs: 2000, // delayend = 3500 (the monkeys: 3 s)
  responseMs: 500, // erase for (stimoff − stimon)
  postMs: 200, // totalTime = 4200
  toleranceRad: Math.PI / 8,
};

export interface OdrTask extends Task<OdrConfig> {
  /** Trials with the given cue indices (no randomness). */
  trials(cues: ArrayLike<number>): TrialBatch;
  /** Cue angles (rad) of the cue indices 0..cues−1. */
  readonly cueAngles: Float32Array;
}

/** The named periods of an ODR trial in steps and ms. */
export function odrTimeline(c: OdrConfig): Timeline {
  return timeline(c.dtMs, [
    ['fixation', c.fixationMs],
    ['cue', c.cueMs],
    ['delay', c.delayMs],
    ['response', c.responseMs],
    ['post', c.postMs],
  ]);
}

/** The oculomotor delayed-response task with the timing of Wimmer et al.'s 2014 model scripts (8 cues, 2-s delay; the monkeys had 3 s). */
export function odrTask(overrides: Partial<OdrConfig> = {}): OdrTask {
  const config = { ...ODR_WIMMER2014, ...overrides };
  if (!(config.delayMs >= 0)) throw new ShapeError(`odrTask: delayMs (${config.delayMs}) must be ≥ 0`);
  if (!Number.isInteger(config.cues) || config.cues < 2) throw new ShapeError(`odrTask: cues (${config.cues}) must be an integer ≥ 2`);
  const tl = odrTimeline(config);
  const cue = stepsOf(tl, 'cue');
  const resp = stepsOf(tl, 'response');
  const cueAngles = Float32Array.from({ length: config.cues }, (_, c) => (2 * Math.PI * c) / config.cues);

  const trials = (cues: ArrayLike<number>): TrialBatch => {
    const B = cues.length;
    const b = emptyBatch(B, tl, 3, 2);
    const T = tl.steps;
    const cueIdx = new Float32Array(B);
    const cueAngle = new Float32Array(B);
    for (let i = 0; i < B; i++) {
      const c = cues[i];
      if (!Number.isInteger(c) || c < 0 || c >= config.cues) {
        throw new ShapeError(`odrTask.trials: cue ${c} of trial ${i} is outside the ring (cues are 0..${config.cues - 1})`);
      }
      cueIdx[i] = c;
      const th = cueAngles[c];
      cueAngle[i] = th;
      for (let t = 0; t < T; t++) {
        const o = (i * T + t) * 3;
        if (t >= cue.start && t < cue.end) {
          b.inputs.data[o] = Math.cos(th);
          b.inputs.data[o + 1] = Math.sin(th);
        }
        if (t < resp.start) b.inputs.data[o + 2] = 1;
        if (t >= resp.start && t < resp.end) {
          b.targets.data[(i * T + t) * 2] = Math.cos(th);
          b.targets.data[(i * T + t) * 2 + 1] = Math.sin(th);
          b.mask.data.fill(1, (i * T + t) * 2, (i * T + t) * 2 + 2);
        }
      }
    }
    return { ...b, conditions: { cue: cueIdx, cueAngle }, periods: tl.periods, dtMs: config.dtMs };
  };

  return {
    name: 'odr',
    meta: {
      paper: 'Funahashi, Bruce & Goldman-Rakic 1989; Wimmer, Nykamp, Constantinidis & Compte 2014',
      tags: ['working-memory', 'spatial', 'continuous'],
    },
    config,
    nInputs: 3,
    nOutputs: 2,
    timeline: tl,
    cueAngles,
    trials,
    sample(batch: number, rng: Rng): TrialBatch {
      const cues = new Float32Array(batch);
      for (let i = 0; i < batch; i++) cues[i] = rng.int(config.cues);
      return trials(cues);
    },
    score(outputs: NDArray, batch: TrialBatch): TaskScore {
      const { B, T } = checkOutputs(this, outputs, batch);
      const correct = new Uint8Array(B);
      let ok = 0;
      let errSum = 0;
      for (let i = 0; i < B; i++) {
        let cx = 0;
        let cy = 0;
        for (let t = resp.start; t < resp.end; t++) {
          cx += outputs.data[(i * T + t) * 2];
          cy += outputs.data[(i * T + t) * 2 + 1];
        }
        const th = batch.conditions.cueAngle[i];
        let d = Math.atan2(cy, cx) - th;
        d = Math.atan2(Math.sin(d), Math.cos(d));
        errSum += Math.abs(d);
        correct[i] = Math.abs(d) <= config.toleranceRad ? 1 : 0;
        ok += correct[i];
      }
      return { correct, accuracy: ok / B, details: { meanAbsErrorRad: errSum / B } };
    },
  };
}
