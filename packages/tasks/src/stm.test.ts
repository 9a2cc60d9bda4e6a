import { describe, expect, it } from 'vitest';
import { kurtkayaProtocolProblem, stmTask } from './stm';

describe('Kurtkaya et al. short-term-memory tasks', () => {
  it('DCDT: cue at the start, target in the response window, the authors’ loss weights', () => {
    const task = stmTask({ delayMs: 100 }); // 6 + 20 + 10 steps
    expect(task.timeline.steps).toBe(36);
    const b = task.trials([0, 1]);
    const at = (a: { data: Float32Array }, i: number, t: number, ch: number, n = 2) => a.data[(i * 36 + t) * n + ch];
    expect(at(b.inputs, 0, 0, 0)).toBe(1);
    expect(at(b.inputs, 0, 5, 0)).toBe(1);
    expect(at(b.inputs, 0, 6, 0)).toBe(0);
    expect(at(b.inputs, 1, 0, 1)).toBe(1);
    expect(at(b.targets, 1, 26, 1)).toBe(1);
    expect(at(b.targets, 1, 25, 1)).toBe(0);
    expect(at(b.mask, 0, 30, 0)).toBeCloseTo(1 - 10 / 36, 6);
    expect(at(b.mask, 0, 3, 0)).toBeCloseTo(10 / 36, 6);
    const post = stmTask({ delayMs: 100, postMs: 30 });
    expect(post.trials([0]).mask.data[(0 * 42 + 41) * 2]).toBeCloseTo(1 - 16 / 42, 6);
  });

  it('score: the authors’ per-step accuracy and reliability over their reaction window (one step early), and per-trial accuracy', () => {
    const task = stmTask({ delayMs: 0 }); // cue steps 0–5, response 6–15; reaction window 5–14
    const b = task.trials([0, 1]);
    const out = { data: Float32Array.from(b.targets.data, (v) => 0.1 + 0.8 * v), shape: b.targets.shape };
    const s = task.score(out, b);
    expect(s.accuracy).toBe(1);
    // step 5: target all zeros (argmax channel 0), outputs equal (argmax 0): right, reliability 0.5
    expect(s.stepAccuracy).toBe(1);
    expect(s.reliability).toBeCloseTo((0.5 + 9 * 0.9) / 10, 6);
    // trial 1 answers late: the wrong channel on steps 6–9, so right on 5 and 10–14 → 6/10 per
    // step, while the mean over the response period still points at the cue
    const late = Float32Array.from(out.data);
    for (let t = 6; t < 10; t++) {
      late[(16 + t) * 2] = 0.9;
      late[(16 + t) * 2 + 1] = 0.1;
    }
    const l = task.score({ data: late, shape: out.shape }, b);
    expect(l.accuracy).toBe(1);
    expect(l.stepAccuracy).toBeCloseTo((10 + 6) / 20, 6);
    expect(() => task.score({ data: new Float32Array(4), shape: [2, 1, 2] }, b)).toThrow(/outputs must have shape/);
  });

  it('delayed activation and the no-memory control', () => {
    const da = stmTask({ kind: 'delayed-activation', delayMs: 50 });
    expect(da.nInputs).toBe(1);
    const b = da.trials([0]);
    expect(Array.from(b.targets.data)).toEqual([...new Array(10).fill(0), ...new Array(10).fill(1)]);
    const nm = stmTask({ kind: 'no-memory', delayMs: 50 });
    expect(Array.from(nm.trials([1]).targets.data.filter((_, i) => i % 2 === 1))).toEqual(new Array(26).fill(1));
    expect(() => stmTask({ kind: 'x' as 'dcdt' })).toThrow(/kind 'x' is not one of/);
    expect(() => stmTask({ postMs: -5 })).toThrow(/postMs \(-5\) must be ≥ 0/);
  });
});

describe('the Kurtkaya protocol ranges', () => {
  it('delays 0–400 ms in steps of 5, post period 0 or 30 ms', () => {
    expect(kurtkayaProtocolProblem({ delayMs: 0, postMs: 0 })).toBeNull();
    expect(kurtkayaProtocolProblem({ delayMs: 400, postMs: 30 })).toBeNull();
    expect(kurtkayaProtocolProblem({ delayMs: 1000 })).toBe('delay 1000 ms is outside the protocol: use 0–400 ms in steps of 5 ms');
    expect(kurtkayaProtocolProblem({ delayMs: 12 })).toMatch(/delay 12 ms/);
    expect(kurtkayaProtocolProblem({ delayMs: -5 })).toMatch(/delay -5 ms/);
    expect(kurtkayaProtocolProblem({ postMs: 10 })).toBe('post-response period 10 ms is outside the protocol: use 0 or 30 ms');
  });
});
