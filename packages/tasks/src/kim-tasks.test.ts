import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { afcTask, goNoGoTask } from './kim-tasks';
import { stepsOf } from './task';

const out = (B: number, T: number, f: (i: number, t: number) => number) => {
  const data = new Float32Array(B * T);
  for (let i = 0; i < B; i++) for (let t = 0; t < T; t++) data[i * T + t] = f(i, t);
  return { data, shape: [B, T, 1] };
};

describe('AFC task (Kim & Sejnowski 2021)', () => {
  it('300 steps: stimulus ±1 on [50, 100), target = its sign from step 100 to the end', () => {
    const task = afcTask();
    expect(task.timeline.steps).toBe(300);
    expect(stepsOf(task.timeline, 'stimulus')).toMatchObject({ start: 50, end: 100 });
    expect(task.scoreFrom).toBe(100);
    const b = task.trials({ stim: [1, -1] });
    expect(b.inputs.shape).toEqual([2, 300, 1]);
    const u = (i: number, t: number) => b.inputs.data[i * 300 + t];
    const z = (i: number, t: number) => b.targets.data[i * 300 + t];
    expect([u(0, 49), u(0, 50), u(0, 99), u(0, 100)]).toEqual([0, 1, 1, 0]);
    expect(u(1, 60)).toBe(-1);
    expect([z(0, 99), z(0, 100), z(0, 299), z(1, 200)]).toEqual([0, 1, 1, -1]);
    expect(() => task.trials({ stim: [0.5] })).toThrow(/±1/);
  });
  it('scores with the ±0.7 rule after the stimulus; a response during the stimulus does not count', () => {
    const task = afcTask();
    const b = task.trials({ stim: [1, 1, -1, -1] });
    const o = out(4, 300, (i, t) => {
      if (i === 0) return t >= 150 ? 0.8 : 0; // correct
      if (i === 1) return t < 100 ? 0.9 : 0.5; // only during the stimulus: wrong
      if (i === 2) return t >= 200 ? -0.75 : 0; // correct
      return 0.9; // wrong sign
    });
    const s = task.score(o, b);
    expect(Array.from(s.correct)).toEqual([1, 0, 1, 0]);
    expect(s.accuracy).toBe(0.5);
  });
  it('samples both signs with probability ½ (4 SE) from the rng only', () => {
    const b1 = afcTask().sample(4000, new Rng(2));
    const b2 = afcTask().sample(4000, new Rng(2));
    expect(Array.from(b1.conditions.stim)).toEqual(Array.from(b2.conditions.stim));
    const plus = Array.from(b1.conditions.stim).filter((v) => v === 1).length;
    expect(Math.abs(plus / 4000 - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / 4000));
  });
});

describe('Go/NoGo task (spikeRNN)', () => {
  it('200 steps: Go input 1 on [50, 75) and target 1 from 75; NoGo: no input, target 0', () => {
    const task = goNoGoTask();
    expect(task.timeline.steps).toBe(200);
    expect(stepsOf(task.timeline, 'stimulus')).toMatchObject({ start: 50, end: 75 });
    const b = task.trials({ go: [1, 0] });
    const u = (i: number, t: number) => b.inputs.data[i * 200 + t];
    const z = (i: number, t: number) => b.targets.data[i * 200 + t];
    expect([u(0, 49), u(0, 50), u(0, 74), u(0, 75)]).toEqual([0, 1, 1, 0]);
    expect([z(0, 74), z(0, 75), z(0, 199)]).toEqual([0, 1, 1]);
    expect(Array.from(b.inputs.data.subarray(200, 400)).every((v) => v === 0)).toBe(true);
    expect(Array.from(b.targets.data.subarray(200, 400)).every((v) => v === 0)).toBe(true);
    expect(() => task.trials({ go: [2] })).toThrow(/1 \(Go\) or 0 \(NoGo\)/);
  });
  it('Go: max > 0.7 after the stimulus; NoGo: |o| < 0.3 throughout the response period', () => {
    const task = goNoGoTask();
    const b = task.trials({ go: [1, 1, 0, 0, 0] });
    const o = out(5, 200, (i, t) => {
      if (i === 0) return t >= 120 ? 0.9 : 0; // Go, correct
      if (i === 1) return 0.6; // Go, too weak
      if (i === 2) return t < 75 ? 0.9 : 0.2; // NoGo, quiet after the stimulus period: correct
      if (i === 3) return t === 150 ? -0.35 : 0; // NoGo, one excursion below −0.3: wrong
      return 0.1; // NoGo, correct
    });
    expect(Array.from(task.score(o, b).correct)).toEqual([1, 0, 1, 0, 1]);
  });
});
