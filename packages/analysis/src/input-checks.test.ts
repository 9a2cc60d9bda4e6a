import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { checkOdrDataset, type OdrDataset } from './spatial-wm';
import { binSpikeTimes } from './spike-counts';
import { mean, permutationTest } from './stats';
import { checkSpikeCounts, neuronalTimescales } from './timescales';

const counts = (trials = 4, units = 2, bins = 22) => ({
  data: Float32Array.from({ length: trials * units * bins }, (_, i) => (i * 7) % 3),
  shape: [trials, units, bins],
});

describe('timescale inputs are checked before any analysis', () => {
  it('NaN, negative and infinite counts: a ShapeError naming the data and the first bad element', () => {
    const c = counts();
    c.data[1 * 44 + 22 + 5] = Number.NaN; // [1, 1, 5]
    expect(() => checkSpikeCounts('pfc.npy: counts', c)).toThrow('pfc.npy: counts: element [1, 1, 5] is NaN (expected finite values ≥ 0)');
    expect(() => neuronalTimescales(c)).toThrow(/counts: element \[1, 1, 5\] is NaN/);
    const neg = counts();
    neg.data[3] = -2;
    expect(() => neuronalTimescales(neg)).toThrow(/element \[0, 0, 3\] is -2, below 0/);
    const inf = counts();
    inf.data[0] = Number.POSITIVE_INFINITY;
    expect(() => neuronalTimescales(inf)).toThrow(/element \[0, 0, 0\] is Infinity/);
  });

  it('a 0-ms (or negative, or NaN) bin and fewer than 3 trials are refused', () => {
    expect(() => neuronalTimescales(counts(), { binMs: 0 })).toThrow('timescales: bin width 0 ms must be a finite number > 0');
    expect(() => neuronalTimescales(counts(), { binMs: Number.NaN })).toThrow(/bin width NaN ms/);
    expect(() => neuronalTimescales(counts(2))).toThrow(/2 trials are too few for across-trial correlations \(need ≥ 3\)/);
  });

  it('NaN spike times do not vanish from the bins', () => {
    expect(() => binSpikeTimes([[[10, Number.NaN]]], { binMs: 50, startMs: 0, endMs: 100, source: 'r.mat: spike_times' })).toThrow(
      'r.mat: spike_times: spike time 1 of trial 0, unit 0 (0-based) is NaN (expected finite ms)',
    );
  });
});

describe('Wimmer statistics never report p = 1 for NaN', () => {
  it('a NaN observed statistic or an all-NaN null gives p = NaN', () => {
    const rng = new Rng(1);
    expect(permutationTest(Number.NaN, (r) => r.random(), rng, { n: 50 }).p).toBeNaN();
    const allNaN = permutationTest(0.3, () => Number.NaN, rng, { n: 50 });
    expect(allNaN.p).toBeNaN();
    expect(allNaN.n).toBe(0);
    // a finite statistic keeps its p-value
    expect(permutationTest(2, (r) => r.random(), rng, { n: 99 }).p).toBeCloseTo(0.01, 10);
    expect(mean([Number.NaN])).toBeNaN();
  });

  it('checkOdrDataset names the file, variable and element of NaN counts, bad cues and infinite responses', () => {
    const make = (): OdrDataset => ({
      sessions: [{ cue: [0, 1, 2, 3], response: [0.1, Number.NaN, 2, 3], counts: counts(4, 2, 5) }],
      cueAngles: [0, 1.57, 3.14, 4.71],
      binMs: 50,
    });
    const where = (f: string) => `rec.mat: variable '${f}'`;
    expect(() => checkOdrDataset(make(), where)).not.toThrow(); // NaN response = no response
    const d = make();
    (d.sessions[0].counts.data as Float32Array)[12] = Number.NaN;
    expect(() => checkOdrDataset(d, where)).toThrow("rec.mat: variable 'counts': element [1, 0, 2] is NaN (expected finite values ≥ 0)");
    const c = make();
    (c.sessions[0].cue as number[])[2] = 7;
    expect(() => checkOdrDataset(c, where)).toThrow("rec.mat: variable 'cue': element [2] is 7, above 3");
    const r = make();
    (r.sessions[0].response as number[])[0] = Number.NEGATIVE_INFINITY;
    expect(() => checkOdrDataset(r, where)).toThrow(/variable 'response': element \[0\] is -Infinity/);
    expect(() => checkOdrDataset({ ...make(), binMs: 0 }, where)).toThrow(/bin width 0 ms must be/);
  });
});
