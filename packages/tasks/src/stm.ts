/**
 * Short-term-memory tasks of Kurtkaya et al. (ICML 2025; docs/models/stm-rnn.md §Tasks), dt = 5 ms:
 *
 * - delayed cue-discrimination (DCDT): a cue (one-hot on input channel k, 30 ms) at the start of
 *   the trial, a delay of 0–400 ms, then a 50-ms response window whose target is one-hot on
 *   output k; target 0 everywhere else, including an optional post-response period;
 * - delayed activation: no input; output 0 through the delay, then 1 for the response window;
 * - no-memory control: the target is the cue label at every step.
 *
 * Loss weights (`mask`), as in the authors' code: the last response-and-post steps (10, or 16 with
 * the 30-ms post period) weigh 1 − R/T, the others R/T, where R is that count and T the trial
 * length.
 *
 * Score, as the authors' `RNN.calculate_accuracy` computes it during training: over the reaction
 * window — steps [(cue + delay)/dt − 1, (cue + delay + response)/dt − 1), one step earlier than the
 * response period, so it holds the last delay step (target all zeros, whose argmax is channel 0)
 * and not the last response step — `stepAccuracy` is the share of (trial, step) pairs whose output
 * argmax equals the target's argmax, and `reliability` the mean of the output on the target's
 * argmax channel divided by the sum of the outputs. (Their float arithmetic moves the window one
 * step further at 300 ms and shortens it at 320 ms; that quirk is not copied.) `accuracy` and
 * `correct` are per trial: the argmax of the mean output over the response period equals the cue.
 * Delayed activation (one output): a step is correct when the output is on the target's side of
 * 0.5, and the reliability is the mean output in the response period.
 */
import type { NDArray, Rng } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';
import { checkOutputs, emptyBatch, stepsOf, type Task, type TaskScore, type Timeline, type TrialBatch, timeline } from './task';

/** Kind, timing (ms) and number of cues of a short-term-memory task. */
export interface StmConfig {
  kind: 'dcdt' | 'delayed-activation' | 'no-memory';
  dtMs: number;
  cueMs: number;
  delayMs: number;
  responseMs: number;
  postMs: number;
  cues: number;
}

/** The delayed cue-discrimination task of Kurtkaya et al. 2025: 2 cues of 30 ms, 200-ms delay, 50-ms response, dt 5 ms. */
export const KURTKAYA2025_DCDT: StmConfig = { kind: 'dcdt', dtMs: 5, cueMs: 30, delayMs: 200, responseMs: 50, postMs: 0, cues: 2 };

/**
 * The protocol of Kurtkaya et al. (2025) that `train stm-rnn` and its reproduction follow: delays
 * 0–400 ms in steps of dt (5 ms), and no post-response period or the 30-ms one of the authors'
 * code (the loss weights are the authors' for those two cases only).
 */
export const KURTKAYA2025_PROTOCOL = { maxDelayMs: 400, postMs: [0, 30] as readonly number[], dtMs: 5 } as const;

/**
 * What is wrong with a delay or post period for the Kurtkaya protocol, as a phrase naming the
 * option's value and the allowed range (null when valid). Checked before any training starts.
 */
export function kurtkayaProtocolProblem(o: { delayMs?: number; postMs?: number }): string | null {
  const { maxDelayMs, postMs, dtMs } = KURTKAYA2025_PROTOCOL;
  if (o.delayMs !== undefined && !(o.delayMs >= 0 && o.delayMs <= maxDelayMs && o.delayMs % dtMs === 0))
    return `delay ${o.delayMs} ms is outside the protocol: use 0–${maxDelayMs} ms in steps of ${dtMs} ms`;
  if (o.postMs !== undefined && !postMs.includes(o.postMs))
    return `post-response period ${o.postMs} ms is outside the protocol: use ${postMs.join(' or ')} ms`;
  return null;
}

export interface StmTask extends Task<StmConfig> {
  /** Distinct trial conditions: the number of cues (1 for delayed activation, which has none). */
  nConditions: number;
  /** Trials with the given cues in [0, nConditions) (no randomness), e.g. [0, 1] × 64 for the full batch. */
  trials(cues: ArrayLike<number>): TrialBatch;
  /** Accuracy and reliability in the response window. */
  score(outputs: NDArray, batch: TrialBatch): StmScore;
}

export interface StmScore extends TaskScore {
  /** The authors' accuracy: share of (trial, step) pairs in the reaction window whose argmax is right. */
  stepAccuracy: number;
  /** The authors' reliability: mean normalised output on the target's channel in the reaction window. */
  reliability: number;
}

/** A short-term-memory task of Kurtkaya et al. 2025 (delayed cue discrimination, delayed activation or the no-memory control). */
export function stmTask(over: Partial<StmConfig> = {}): StmTask {
  const c: StmConfig = { ...KURTKAYA2025_DCDT, ...over };
  if (!['dcdt', 'delayed-activation', 'no-memory'].includes(c.kind))
    throw new ShapeError(`stmTask: kind '${c.kind}' is not one of dcdt, delayed-activation, no-memory`);
  if (!(c.delayMs >= 0)) throw new ShapeError(`stmTask: delayMs (${c.delayMs}) must be ≥ 0`);
  if (!(c.postMs >= 0)) throw new ShapeError(`stmTask: postMs (${c.postMs}) must be ≥ 0 (0 = no post-response period)`);
  if (!(Number.isInteger(c.cues) && c.cues >= 2)) throw new ShapeError(`stmTask: cues (${c.cues}) must be an integer ≥ 2`);
  const periods: [string, number][] = [];
  if (c.kind !== 'delayed-activation') periods.push(['cue', c.cueMs]);
  if (c.delayMs > 0) periods.push(['delay', c.delayMs]);
  periods.push(['response', c.responseMs]);
  if (c.postMs > 0) periods.push(['post', c.postMs]);
  const tl: Timeline = timeline(c.dtMs, periods);
  const nConditions = c.kind === 'delayed-activation' ? 1 : c.cues;
  const nIn = nConditions; // one input channel per cue; delayed activation: one (silent) channel
  const nOut = nConditions;
  const resp = stepsOf(tl, 'response');
  const late = tl.steps - resp.start; // response + post steps
  const T = tl.steps;
  const wLate = 1 - late / T;
  const wEarly = late / T;

  const trials = (cues: ArrayLike<number>): TrialBatch => {
    const B = cues.length;
    const b = emptyBatch(B, tl, nIn, nOut);
    const inp = b.inputs.data;
    const tgt = b.targets.data;
    const m = b.mask.data;
    const cueP = c.kind === 'delayed-activation' ? null : stepsOf(tl, 'cue');
    for (let i = 0; i < B; i++) {
      const k = cues[i];
      if (!(Number.isInteger(k) && k >= 0 && k < nConditions)) throw new ShapeError(`stmTask: cue ${k} is not in [0, ${nConditions})`);
      for (let t = 0; t < T; t++) {
        const row = (i * T + t) * nOut;
        for (let o = 0; o < nOut; o++) m[row + o] = t >= resp.start ? wLate : wEarly;
        if (cueP && t >= cueP.start && t < cueP.end) inp[(i * T + t) * nIn + k] = 1;
        if (c.kind === 'no-memory') tgt[row + k] = 1;
        else if (t >= resp.start && t < resp.end) tgt[row + (c.kind === 'dcdt' ? k : 0)] = 1;
      }
    }
    return { ...b, conditions: { cue: Float32Array.from(cues) }, periods: tl.periods, dtMs: tl.dtMs };
  };

  return {
    name: c.kind,
    meta: { paper: 'Kurtkaya et al. 2025 (ICML)', tags: ['working-memory', 'short-term-memory', 'dynamical-phases'] },
    config: c,
    nInputs: nIn,
    nOutputs: nOut,
    nConditions,
    timeline: tl,
    trials,
    sample(batch: number, rng: Rng): TrialBatch {
      return trials(Array.from({ length: batch }, () => rng.int(nConditions)));
    },
    score(outputs: NDArray, batch: TrialBatch): StmScore {
      const { B, T: TT } = checkOutputs({ nOutputs: nOut }, outputs, batch);
      const o = outputs.data;
      const z = batch.targets.data;
      const correct = new Uint8Array(B);
      const w0 = Math.max(0, resp.start - 1);
      const w1 = Math.min(TT, resp.end - 1);
      let stepRight = 0;
      let relSum = 0;
      const argmax = (a: ArrayLike<number>, at: number) => {
        let best = 0;
        for (let q = 1; q < nOut; q++) if (a[at + q] > a[at + best]) best = q;
        return best;
      };
      for (let i = 0; i < B; i++) {
        const k = c.kind === 'delayed-activation' ? 0 : batch.conditions.cue[i];
        const mean = new Float64Array(nOut);
        for (let t = resp.start; t < resp.end && t < TT; t++) for (let q = 0; q < nOut; q++) mean[q] += o[(i * TT + t) * nOut + q];
        if (c.kind === 'delayed-activation') {
          correct[i] = mean[0] / (resp.end - resp.start) > 0.5 ? 1 : 0;
          relSum += mean[0] / (resp.end - resp.start);
        } else correct[i] = argmax(mean, 0) === k ? 1 : 0;
        for (let t = w0; t < w1; t++) {
          const at = (i * TT + t) * nOut;
          if (c.kind === 'delayed-activation') {
            stepRight += o[at] > 0.5 === z[at] > 0.5 ? 1 : 0;
            continue;
          }
          const g = argmax(z, at);
          stepRight += argmax(o, at) === g ? 1 : 0;
          let tot = 0;
          for (let q = 0; q < nOut; q++) tot += o[at + q];
          relSum += tot !== 0 && Number.isFinite(tot) ? o[at + g] / tot / (w1 - w0) : 0;
        }
      }
      return {
        correct,
        accuracy: correct.reduce((a, v) => a + v, 0) / B,
        stepAccuracy: stepRight / (B * Math.max(1, w1 - w0)),
        reliability: relSum / B,
      };
    },
  };
}
