import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { dmsTask } from './dms';
import { stepsOf } from './task';

describe('DMS task (Kim et al.)', () => {
  it('short version: 300 steps, stimuli at [50,100) and [110,160), target ±1 on [170,270)', () => {
    const task = dmsTask();
    expect(task.timeline.steps).toBe(300);
    expect(stepsOf(task.timeline, 'stimulus1')).toMatchObject({ start: 50, end: 100, startMs: 250 });
    expect(stepsOf(task.timeline, 'stimulus2')).toMatchObject({ start: 110, end: 160 });
    expect(stepsOf(task.timeline, 'response')).toMatchObject({ start: 170, end: 270 });
    expect(task.scoreFrom).toBe(200);
    const b = task.trials({ stim1: [1, -1], stim2: [1, 1] });
    expect(b.inputs.shape).toEqual([2, 300, 2]);
    const at = (trial: number, t: number, ch: number) => b.inputs.data[(trial * 300 + t) * 2 + ch];
    expect([at(0, 49, 0), at(0, 50, 0), at(0, 99, 0), at(0, 100, 0)]).toEqual([0, 1, 1, 0]);
    expect([at(1, 60, 0), at(1, 60, 1), at(1, 110, 1), at(1, 159, 1), at(1, 160, 1)]).toEqual([-1, 0, 1, 1, 0]);
    expect(Array.from(b.conditions.match)).toEqual([1, 0]);
    const z = (trial: number, t: number) => b.targets.data[trial * 300 + t];
    expect([z(0, 169), z(0, 170), z(0, 269), z(0, 270)]).toEqual([0, 1, 1, 0]);
    expect(z(1, 200)).toBe(-1);
  });

  it('long version: 411 steps with a 750-ms delay; scoring from stimulus 2 offset', () => {
    const task = dmsTask({ variant: 'long' });
    expect(task.timeline.steps).toBe(411);
    expect(stepsOf(task.timeline, 'stimulus1')).toMatchObject({ start: 30, end: 80 });
    expect(stepsOf(task.timeline, 'stimulus2')).toMatchObject({ start: 230, end: 280 });
    expect(stepsOf(task.timeline, 'delay')).toMatchObject({ startMs: 400, endMs: 1150 });
    expect(task.scoreFrom).toBe(280);
  });

  it('samples the four conditions with probability ¼ each, from the rng only', () => {
    const task = dmsTask();
    const b = task.sample(4000, new Rng(1));
    const counts: Record<string, number> = {};
    for (let i = 0; i < 4000; i++) {
      const k = `${b.conditions.stim1[i]},${b.conditions.stim2[i]}`;
      counts[k] = (counts[k] ?? 0) + 1;
    }
    for (const c of Object.values(counts)) expect(Math.abs(c - 1000)).toBeLessThan(5 * Math.sqrt(4000 * 0.25 * 0.75));
    expect(task.sample(8, new Rng(2)).inputs.data).toEqual(task.sample(8, new Rng(2)).inputs.data);
  });

  it('scores with the ±0.7 rule after t₀ (only the correct direction counts)', () => {
    const task = dmsTask();
    const b = task.trials({ stim1: [1, 1, 1, 1], stim2: [1, 1, -1, -1] });
    const o = new Float32Array(4 * 300);
    o.fill(0.8, 0 * 300 + 250, 0 * 300 + 260); // match, > 0.7 after 200: correct
    o.fill(0.8, 1 * 300 + 150, 1 * 300 + 199); // match, but only before t₀: wrong
    o.fill(-0.9, 2 * 300 + 220, 2 * 300 + 230); // non-match, < −0.7: correct
    o.fill(0.9, 3 * 300 + 220, 3 * 300 + 230); // non-match answered "match": wrong
    const s = task.score({ data: o, shape: [4, 300, 1] }, b);
    expect(Array.from(s.correct)).toEqual([1, 0, 1, 0]);
    expect(s.accuracy).toBe(0.5);
    expect(s.details).toEqual({ matchAccuracy: 0.5, nonMatchAccuracy: 0.5 });
    expect(() => task.score({ data: new Float32Array(8), shape: [4, 2, 1] }, b)).toThrow(/outputs must have shape \[4, 300, 1\]/);
  });

  it('bad input: signs other than ±1, negative delay', () => {
    expect(() => dmsTask().trials({ stim1: [0.5], stim2: [1] })).toThrow(/must be ±1/);
    expect(() => dmsTask({ delayMs: -5 })).toThrow(/delayMs \(-5\) must be ≥ 0/);
  });
});
