/**
 * The trial protocol of the ring models in the scripts' own step indices (1-based i, cue on for
 * stimOn < i < stimOff, erase for delayEnd < i < delayEnd + cue duration), derived from the
 * oculomotor delayed-response timeline of @wmkit/tasks.
 */
import { odrTask, stepsOf } from '@wmkit/tasks';
import { ShapeError } from '@wmkit/tensor';
import type { RingModelParams } from './params';

/** A ring-model trial in steps: cue on/off, end of the delay, erase period, total. */
export interface RingProtocol {
  steps: number;
  stimOn: number;
  stimOff: number;
  delayEnd: number;
  delayWin: number;
  eraseOn: number;
  eraseOff: number;
  /** 0-based timeline of the trial (periods in steps and ms). */
  periods: ReturnType<typeof odrTask>['timeline']['periods'];
}

/** Wimmer et al. 2014: cue 1000–1500 ms, delay `delayMs`, erase 500 ms, 200 ms after. */
export function ringProtocol(p: RingModelParams, delayMs: number): RingProtocol {
  if (!(delayMs >= 0) || !Number.isFinite(delayMs))
    throw new ShapeError(`ring protocol: delay (${delayMs} ms) must be a finite number ≥ 0`);
  const tl = odrTask({ dtMs: p.dtMs, delayMs }).timeline;
  const cue = stepsOf(tl, 'cue');
  const delay = stepsOf(tl, 'delay');
  return {
    steps: tl.steps,
    stimOn: cue.start,
    stimOff: cue.end,
    delayEnd: delay.end,
    delayWin: Math.floor(100 / p.dtMs), // 100-ms window
    eraseOn: delay.end,
    eraseOff: delay.end + (cue.end - cue.start),
    periods: tl.periods,
  };
}
