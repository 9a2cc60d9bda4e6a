/**
 * The two tasks Kim & Sejnowski 2021 (Nat. Neurosci. 24:129, Fig. 4 and Fig. 8) trained beside
 * delayed match-to-sample to show that timescales are task-specific: a two-alternative forced
 * choice (AFC) and Go/NoGo. Neither needs a memory of the cue across a delay. Δt = 5 ms.
 *
 * AFC: one input channel; a stimulus of sign ±1 (p = ½) for 250 ms after 250 ms of fixation;
 * the target is the stimulus's sign from its offset to the end of the trial (300 steps, as DMS),
 * 0 before. Correct (the authors' ±0.7 rule): max(o[t ≥ offset]) > 0.7 for +1, min < −0.7 for −1.
 *
 * Go/NoGo (spikeRNN `rate/model.py`, task 'go-nogo'; 200 steps): one input channel; on Go trials
 * (p = ½) the input is 1 on steps [50, 75), on NoGo trials it stays 0. The target is 1 from the
 * stimulus offset to the end on Go trials and 0 throughout on NoGo trials. Correct (spikeRNN's
 * evaluation): Go if max(o[t ≥ 75]) > 0.7, NoGo if max|o[t ≥ 75]| < 0.3.
 *
 * @example
 * ```ts
 * const afc = afcTask();
 * const b = afc.trials({ stim: [1, -1] });          // inputs [2, 300, 1], targets [2, 300, 1]
 * const g = goNoGoTask().sample(16, rng);           // conditions.go: 1 or 0
 * ```
 */
import type { NDArray, Rng } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';
import { checkOutputs, emptyBatch, stepsOf, type Task, type TaskScore, type Timeline, type TrialBatch, timeline } from './task';

/** Timing (ms), amplitude and thresholds of the AFC task. */
export interface AfcConfig {
  dtMs: number;
  fixationMs: number;
  stimulusMs: number;
  responseMs: number;
  amplitude: number;
  threshold: number;
}

/** Kim & Sejnowski 2021's AFC task on the DMS trial length (300 steps of 5 ms). */
export const AFC_CONFIG: AfcConfig = { dtMs: 5, fixationMs: 250, stimulusMs: 250, responseMs: 1000, amplitude: 1, threshold: 0.7 };

/** Timing (ms) and thresholds of the Go/NoGo task. */
export interface GoNoGoConfig {
  dtMs: number;
  fixationMs: number;
  stimulusMs: number;
  responseMs: number;
  amplitude: number;
  /** A Go trial is correct when the output exceeds this after the stimulus. */
  threshold: number;
  /** A NoGo trial is correct when |output| stays below this after the stimulus. */
  noGoThreshold: number;
}

/** spikeRNN's Go/NoGo: 200 steps, stimulus on steps [50, 75). */
export const GO_NOGO_CONFIG: GoNoGoConfig = {
  dtMs: 5,
  fixationMs: 250,
  stimulusMs: 125,
  responseMs: 625,
  amplitude: 1,
  threshold: 0.7,
  noGoThreshold: 0.3,
};

/** A task whose trials can also be built from given conditions, with the step scoring starts. */
export interface KimTask<C, Cond> extends Task<C> {
  /** Trials with the given conditions (no randomness). */
  trials(conditions: Cond): TrialBatch;
  /** First output step that the scoring rule looks at. */
  readonly scoreFrom: number;
  scoreEnvelope(upper: NDArray, lower: NDArray, batch: TrialBatch): TaskScore;
}

/** The named periods of an AFC or Go/NoGo trial. */
export function singleStimulusTimeline(c: { dtMs: number; fixationMs: number; stimulusMs: number; responseMs: number }): Timeline {
  return timeline(c.dtMs, [
    ['fixation', c.fixationMs],
    ['stimulus', c.stimulusMs],
    ['response', c.responseMs],
  ]);
}

/** Shared scorer: `rule(max, min)` of the outputs from `from` says whether trial i is correct. */
function scoreWindow(
  task: { nOutputs: number },
  upper: NDArray,
  lower: NDArray,
  batch: TrialBatch,
  from: number,
  rule: (i: number, max: number, min: number) => boolean,
): { correct: Uint8Array; accuracy: number } {
  const { B, T } = checkOutputs(task, upper, batch);
  checkOutputs(task, lower, batch);
  const correct = new Uint8Array(B);
  let n = 0;
  for (let i = 0; i < B; i++) {
    let mx = Number.NEGATIVE_INFINITY;
    let mn = Number.POSITIVE_INFINITY;
    for (let t = from; t < T; t++) {
      if (upper.data[i * T + t] > mx) mx = upper.data[i * T + t];
      if (lower.data[i * T + t] < mn) mn = lower.data[i * T + t];
    }
    correct[i] = rule(i, mx, mn) ? 1 : 0;
    n += correct[i];
  }
  return { correct, accuracy: n / B };
}

/** Per-trial condition of an AFC batch: the stimulus sign (±1). */
export interface AfcConditions {
  stim: ArrayLike<number>;
}

/** Kim & Sejnowski 2021's two-alternative forced choice: report the sign of one stimulus. */
export function afcTask(overrides: Partial<AfcConfig> = {}): KimTask<AfcConfig, AfcConditions> {
  const config: AfcConfig = { ...AFC_CONFIG, ...overrides };
  const tl = singleStimulusTimeline(config);
  const stim = stepsOf(tl, 'stimulus');
  const resp = stepsOf(tl, 'response');
  const trials = (cond: AfcConditions): TrialBatch => {
    const B = cond.stim.length;
    const b = emptyBatch(B, tl, 1, 1);
    const T = tl.steps;
    const s = new Float32Array(B);
    for (let i = 0; i < B; i++) {
      const v = cond.stim[i];
      if (Math.abs(v) !== 1) throw new ShapeError(`afcTask.trials: stimulus signs must be ±1 (trial ${i}: ${v})`);
      s[i] = v;
      for (let t = stim.start; t < stim.end; t++) b.inputs.data[i * T + t] = v * config.amplitude;
      for (let t = resp.start; t < resp.end; t++) b.targets.data[i * T + t] = v;
    }
    b.mask.data.fill(1);
    return { ...b, conditions: { stim: s }, periods: tl.periods, dtMs: config.dtMs };
  };
  return {
    name: 'afc',
    meta: { paper: 'Kim & Sejnowski 2021 Nat. Neurosci.', tags: ['decision', 'two-alternative'] },
    config,
    nInputs: 1,
    nOutputs: 1,
    timeline: tl,
    scoreFrom: resp.start,
    trials,
    sample(batch: number, rng: Rng): TrialBatch {
      const u = rng.uniform(batch);
      return trials({ stim: Float32Array.from(u, (x) => (x < 0.5 ? 1 : -1)) });
    },
    score(outputs: NDArray, batch: TrialBatch): TaskScore {
      return this.scoreEnvelope(outputs, outputs, batch);
    },
    scoreEnvelope(upper: NDArray, lower: NDArray, batch: TrialBatch): TaskScore {
      const s = batch.conditions.stim;
      return scoreWindow(this, upper, lower, batch, resp.start, (i, mx, mn) => (s[i] > 0 ? mx > config.threshold : mn < -config.threshold));
    },
  };
}

/** Per-trial condition of a Go/NoGo batch: 1 for Go, 0 for NoGo. */
export interface GoNoGoConditions {
  go: ArrayLike<number>;
}

/** spikeRNN's Go/NoGo task: respond (output 1) after a Go stimulus, stay at 0 without one. */
export function goNoGoTask(overrides: Partial<GoNoGoConfig> = {}): KimTask<GoNoGoConfig, GoNoGoConditions> {
  const config: GoNoGoConfig = { ...GO_NOGO_CONFIG, ...overrides };
  const tl = singleStimulusTimeline(config);
  const stim = stepsOf(tl, 'stimulus');
  const resp = stepsOf(tl, 'response');
  const trials = (cond: GoNoGoConditions): TrialBatch => {
    const B = cond.go.length;
    const b = emptyBatch(B, tl, 1, 1);
    const T = tl.steps;
    const go = new Float32Array(B);
    for (let i = 0; i < B; i++) {
      const v = cond.go[i];
      if (v !== 0 && v !== 1) throw new ShapeError(`goNoGoTask.trials: go must be 1 (Go) or 0 (NoGo) (trial ${i}: ${v})`);
      go[i] = v;
      if (v === 1) {
        for (let t = stim.start; t < stim.end; t++) b.inputs.data[i * T + t] = config.amplitude;
        for (let t = resp.start; t < resp.end; t++) b.targets.data[i * T + t] = 1;
      }
    }
    b.mask.data.fill(1);
    return { ...b, conditions: { go }, periods: tl.periods, dtMs: config.dtMs };
  };
  return {
    name: 'gonogo',
    meta: { paper: 'Kim, Li & Sejnowski 2019 PNAS; Kim & Sejnowski 2021 Nat. Neurosci.', tags: ['go-nogo', 'inhibition'] },
    config,
    nInputs: 1,
    nOutputs: 1,
    timeline: tl,
    scoreFrom: resp.start,
    trials,
    sample(batch: number, rng: Rng): TrialBatch {
      const u = rng.uniform(batch);
      return trials({ go: Float32Array.from(u, (x) => (x <= 0.5 ? 1 : 0)) });
    },
    score(outputs: NDArray, batch: TrialBatch): TaskScore {
      return this.scoreEnvelope(outputs, outputs, batch);
    },
    scoreEnvelope(upper: NDArray, lower: NDArray, batch: TrialBatch): TaskScore {
      const go = batch.conditions.go;
      return scoreWindow(this, upper, lower, batch, resp.start, (i, mx, mn) =>
        go[i] === 1 ? mx > config.threshold : Math.max(Math.abs(mx), Math.abs(mn)) < config.noGoThreshold,
      );
    },
  };
}
