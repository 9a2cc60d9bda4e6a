import { describe, expect, it } from 'vitest';
import { checkOutputs, emptyBatch, stepsOf, timeline } from './task';

describe('timeline', () => {
  it('converts a period table in ms to steps', () => {
    const tl = timeline(5, [
      ['fixation', 250],
      ['stimulus', 250],
      ['delay', 750],
      ['response', 500],
    ]);
    expect(tl.steps).toBe(350);
    expect(stepsOf(tl, 'delay')).toEqual({ name: 'delay', start: 100, end: 250, startMs: 500, endMs: 1250 });
    expect(stepsOf(tl, 'fixation').start).toBe(0);
  });

  it('rejects durations that are not whole steps, negative, or repeated', () => {
    expect(() => timeline(5, [['cue', 12]])).toThrow("timeline: period 'cue' lasts 12 ms, not a whole number of 5-ms steps");
    expect(() => timeline(5, [['delay', -5]])).toThrow(/negative or invalid duration \(-5 ms\)/);
    expect(() =>
      timeline(5, [
        ['a', 5],
        ['a', 5],
      ]),
    ).toThrow(/'a' appears twice/);
    expect(() => timeline(0, [])).toThrow(/dtMs \(0\)/);
    expect(() => stepsOf(timeline(5, [['a', 5]]), 'b')).toThrow("timeline has no period 'b' (periods: a)");
  });

  it('allows zero-length periods (a delay of 0 ms)', () => {
    const tl = timeline(5, [
      ['cue', 30],
      ['delay', 0],
      ['response', 50],
    ]);
    expect(stepsOf(tl, 'delay')).toMatchObject({ start: 6, end: 6 });
    expect(tl.steps).toBe(16);
  });
});

describe('batches', () => {
  it('allocates [B, T, n] arrays and checks output shapes, naming both', () => {
    const tl = timeline(10, [['a', 50]]);
    const b = emptyBatch(3, tl, 2, 1);
    expect(b.inputs.shape).toEqual([3, 5, 2]);
    expect(b.targets.data.length).toBe(15);
    const batch = { ...b, conditions: {}, periods: tl.periods, dtMs: 10 };
    expect(checkOutputs({ nOutputs: 1 }, { data: new Float32Array(15), shape: [3, 5, 1] }, batch)).toEqual({ B: 3, T: 5 });
    expect(() => checkOutputs({ nOutputs: 1 }, { data: new Float32Array(12), shape: [3, 4, 1] }, batch)).toThrow(
      'score: outputs must have shape [3, 5, 1] (trials, steps, outputs) but got [3, 4, 1]',
    );
    expect(() => emptyBatch(0, tl, 1, 1)).toThrow(/batch \(0\) must be a positive integer/);
  });
});
