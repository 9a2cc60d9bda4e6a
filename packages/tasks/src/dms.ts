/**
 * Delayed match-to-sample (DMS), the "xor" task of Kim, Li & Sejnowski 2019 and Kim &
 * Sejnowski 2021 (spikeRNN `rate/model.py`: generate_input_stim_xor, generate_target_continuous_xor).
 *
 * Two input channels, Δt = 5 ms. Stimulus 1 (+1 or −1, p = ½) on channel 0, a delay, then
 * stimulus 2 (±1) on channel 1. Match when the two signs agree. The target is +1 (match) or
 * −1 (non-match) during the response window and 0 elsewhere.
 *
 * | period    | short (training) | long (test, 2021) |
 * |-----------|------------------|-------------------|
 * | fixation  | 250 ms           | 150 ms            |
 * | stimulus1 | 250 ms           | 250 ms            |
 * | delay     | 50 ms            | 750 ms            |
 * | stimulus2 | 250 ms           | 250 ms            |
 * | wait      | 50 ms            | 50 ms             |
 * | response  | 500 ms (target)  | 500 ms (target)   |
 * | post      | 150 ms           | 105 ms            |
 * | total     | 300 steps        | 411 steps         |
 *
 * Output index t is the network's output after it has received input step t.
 * Score (authors' rule): a match trial is correct if max(o[t ≥ t₀]) > 0.7, a non-match trial
 * if min(o[t ≥ t₀]) < −0.7; t₀ = 1000 ms for the short task (spikeRNN: `o[200:]`) and the
 * end of stimulus 2 for the long task.
 *
 * @example
 * ```ts
 * const task = dmsTask({ variant: 'short' });
 * const batch = task.sample(16, rng);              // inputs [16, 300, 2], targets [16, 300, 1]
 * const { accuracy } = task.score(outputs, batch);
 * ```
 */
import type { NDArray, Rng } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';
import { checkOutputs, emptyBatch, stepsOf, type Task, type TaskScore, type Timeline, type TrialBatch, timeline } from './task';

/** Timing (ms), amplitudes and scoring rule of the delayed match-to-sample task. */
export interface DmsConfig {
  variant: 'short' | 'long';
  dtMs: number;
  fixationMs: number;
  stimulusMs: number;
  delayMs: number;
  waitMs: number;
  responseMs: number;
  postMs: number;
  /** Input value of a stimulus (±amplitude). */
  amplitude: number;
  /** Response threshold of the scoring rule. */
  threshold: number;
  /** Scoring starts here (ms); null = at the end of stimulus 2. */
  scoreFromMs: number | null;
}

/** Short-delay training version (Kim et al. 2019, spikeRNN `main.py`, task 'xor'). */
export const DMS_SHORT: DmsConfig = {
  variant: 'short',
  dtMs: 5,
  fixationMs: 250, // stim_on = 50 steps
  stimulusMs: 250, // stim_dur = 50 steps
  delayMs: 50, // delay = 10 steps
  waitMs: 50, // target starts 10 steps after stimulus 2
  responseMs: 500, // target lasts 100 steps
  postMs: 150, // T = 300 steps
  amplitude: 1,
  threshold: 0.7, // eval_amp_threh
  scoreFromMs: 1000, // eval uses o[200:]
};

/** Long-delay (750 ms) test version (Kim & Sejnowski 2021, wmRNN; 411 steps). */
export const DMS_LONG: DmsConfig = {
  variant: 'long',
  dtMs: 5,
  fixationMs: 150, // u(1, 31:80): stimulus 1 at steps [30, 80)
  stimulusMs: 250,
  delayMs: 750, // u(2, 231:280): stimulus 2 at steps [230, 280)
  waitMs: 50,
  responseMs: 500,
  postMs: 105, // 411 steps in all
  amplitude: 1,
  threshold: 0.7,
  scoreFromMs: null, // after stimulus 2 offset
};

/** Per-trial conditions of a DMS batch: the two stimuli's signs and whether they match. */
export interface DmsConditions {
  /** Sign of stimulus 1 per trial (±1). */
  stim1: ArrayLike<number>;
  /** Sign of stimulus 2 per trial (±1). */
  stim2: ArrayLike<number>;
}

export interface DmsTask extends Task<DmsConfig> {
  scoreEnvelope(upper: NDArray, lower: NDArray, batch: TrialBatch): TaskScore;
  /** Trials with the given stimulus signs (no randomness). */
  trials(conditions: DmsConditions): TrialBatch;
  /** First output step that the scoring rule looks at. */
  readonly scoreFrom: number;
}

/** The named periods of a DMS trial in steps and ms. */
export function dmsTimeline(c: DmsConfig): Timeline {
  return timeline(c.dtMs, [
    ['fixation', c.fixationMs],
    ['stimulus1', c.stimulusMs],
    ['delay', c.delayMs],
    ['stimulus2', c.stimulusMs],
    ['wait', c.waitMs],
    ['response', c.responseMs],
    ['post', c.postMs],
  ]);
}

/** Kim et al.'s delayed match-to-sample task (`variant` 'short': 2019, 'long': 2021), with its scoring rule; overrides change any timing. */
export function dmsTask(overrides: Partial<DmsConfig> = {}): DmsTask {
  const base = overrides.variant === 'long' ? DMS_LONG : DMS_SHORT;
  const config: DmsConfig = { ...base, ...overrides };
  if (!(config.delayMs >= 0)) throw new ShapeError(`dmsTask: delayMs (${config.delayMs}) must be ≥ 0`);
  const tl = dmsTimeline(config);
  const s1 = stepsOf(tl, 'stimulus1');
  const s2 = stepsOf(tl, 'stimulus2');
  const resp = stepsOf(tl, 'response');
  const scoreFrom = config.scoreFromMs == null ? s2.end : Math.round(config.scoreFromMs / config.dtMs);
  if (scoreFrom >= tl.steps) throw new ShapeError(`dmsTask: scoring starts at step ${scoreFrom}, after the trial ends (${tl.steps} steps)`);

  const trials = (cond: DmsConditions): TrialBatch => {
    const B = cond.stim1.length;
    if (cond.stim2.length !== B) throw new ShapeError(`dmsTask.trials: ${B} stim1 values but ${cond.stim2.length} stim2 values`);
    const b = emptyBatch(B, tl, 2, 1);
    const T = tl.steps;
    const stim1 = new Float32Array(B);
    const stim2 = new Float32Array(B);
    const match = new Float32Array(B);
    for (let i = 0; i < B; i++) {
      const a = cond.stim1[i];
      const c = cond.stim2[i];
      if (Math.abs(a) !== 1 || Math.abs(c) !== 1)
        throw new ShapeError(`dmsTask.trials: stimulus signs must be ±1 (trial ${i}: ${a}, ${c})`);
      stim1[i] = a;
      stim2[i] = c;
      match[i] = a * c > 0 ? 1 : 0;
      for (let t = s1.start; t < s1.end; t++) b.inputs.data[(i * T + t) * 2] = a * config.amplitude;
      for (let t = s2.start; t < s2.end; t++) b.inputs.data[(i * T + t) * 2 + 1] = c * config.amplitude;
      const z = match[i] ? 1 : -1;
      for (let t = resp.start; t < resp.end; t++) b.targets.data[i * T + t] = z;
    }
    b.mask.data.fill(1); // Kim's loss covers every step
    return { ...b, conditions: { stim1, stim2, match }, periods: tl.periods, dtMs: config.dtMs };
  };

  return {
    name: `dms-${config.variant}`,
    meta: {
      paper: 'Kim, Li & Sejnowski 2019 PNAS; Kim & Sejnowski 2021 Nat. Neurosci.',
      tags: ['working-memory', 'match-to-sample', 'two-alternative'],
    },
    config,
    nInputs: 2,
    nOutputs: 1,
    timeline: tl,
    scoreFrom,
    trials,
    sample(batch: number, rng: Rng): TrialBatch {
      const u = rng.uniform(2 * batch);
      const stim1 = new Float32Array(batch);
      const stim2 = new Float32Array(batch);
      for (let i = 0; i < batch; i++) {
        stim1[i] = u[2 * i] < 0.5 ? 1 : -1;
        stim2[i] = u[2 * i + 1] < 0.5 ? 1 : -1;
      }
      return trials({ stim1, stim2 });
    },
    score(outputs: NDArray, batch: TrialBatch): TaskScore {
      return this.scoreEnvelope(outputs, outputs, batch);
    },
    scoreEnvelope(upper: NDArray, lower: NDArray, batch: TrialBatch): TaskScore {
      const { B, T } = checkOutputs(this, upper, batch);
      checkOutputs(this, lower, batch);
      const correct = new Uint8Array(B);
      let n = 0;
      let matchN = 0;
      let matchOk = 0;
      for (let i = 0; i < B; i++) {
        let mx = Number.NEGATIVE_INFINITY;
        let mn = Number.POSITIVE_INFINITY;
        for (let t = scoreFrom; t < T; t++) {
          if (upper.data[i * T + t] > mx) mx = upper.data[i * T + t];
          if (lower.data[i * T + t] < mn) mn = lower.data[i * T + t];
        }
        const isMatch = batch.conditions.match[i] === 1;
        correct[i] = isMatch ? (mx > config.threshold ? 1 : 0) : mn < -config.threshold ? 1 : 0;
        n += correct[i];
        if (isMatch) {
          matchN++;
          matchOk += correct[i];
        }
      }
      return {
        correct,
        accuracy: n / B,
        details: {
          matchAccuracy: matchN ? matchOk / matchN : Number.NaN,
          nonMatchAccuracy: B - matchN ? (n - matchOk) / (B - matchN) : Number.NaN,
        },
      };
    },
  };
}
