import { ringModel, WIMMER2014_SURROGATE } from '@wmkit/attractor-models';
import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { foldiak1990 } from './foldiak1990';
import { kriener2020 } from './kriener2020';
import { ringOnWorkers } from './node/ring';
import { wtaOnWorkers } from './node/wta';
import { ringInThisThread } from './runners';
import { checkWimmer2014 } from './wimmer2014';

describe('kriener2020 (reduced)', () => {
  it('nWTA decides at every N; in this thread and on workers the numbers are the same', async () => {
    const o = { sizes: [2, 8], trials: 6, wtaTrials: 2 };
    const stages: number[] = [];
    const a = await kriener2020(o, { onProgress: (p) => stages.push(p.done) });
    expect(stages.at(-1)).toBe(8); // 4 series × 2 sizes
    expect(a.results['nWTA, noise'].map((r) => r.decided)).toEqual([1, 1]);
    expect(a.results['nWTA, no noise'][0]?.trials).toBe(1);
    expect(a.bench).toHaveLength(2);
    expect(a.traces.map((t) => t.series)).toEqual(['nWTA, noise', 'WTA, noise']);
    const b = await kriener2020({ ...o, runConditions: wtaOnWorkers(2) });
    expect(b.results).toEqual(a.results);
    expect(b.fit).toEqual(a.fit);
  });

  it('outside the WTA regime the model says so', async () => {
    await expect(kriener2020({ sizes: [2], trials: 1, params: { alpha: 1.1 } })).rejects.toThrow(/no winner-take-all regime/);
    await expect(kriener2020({ sizes: [1] })).rejects.toThrow(/N = 1 is not an integer ≥ 2/);
  });
});

describe('foldiak1990 (reduced)', () => {
  it('learns the bars within 2000 presentations for most seeds; a given stream reproduces', async () => {
    const seen: number[] = [];
    const r = await foldiak1990({ seeds: 2, presentations: 2000 }, { onSeed: (s) => seen.push(s.seed) });
    expect(seen).toEqual([1, 2]);
    expect(r.solved).toBeGreaterThanOrEqual(1);
    for (const s of r.seeds) {
      expect(s.maxLateral).toBeLessThanOrEqual(0);
      expect(s.maxSelf).toBe(0);
      expect(s.q).toHaveLength(16 * 64);
    }
    const again = await foldiak1990({ seeds: 1, presentations: 200 }, { rng: new Rng('x') });
    const twice = await foldiak1990({ seeds: 1, presentations: 200 }, { rng: new Rng('x') });
    expect(twice.seeds[0]?.q).toEqual(again.seeds[0]?.q);
    await expect(foldiak1990({ seeds: 0 })).rejects.toThrow(/seeds \(0\) must be an integer ≥ 1/);
  });
});

describe('ring runners and wimmer2014 checks', () => {
  it('ring trials in this thread equal those on one worker and on two, bit for bit', async () => {
    const run = { params: ringModel('bump', { NE: 64, NI: 64 }), seed: 3, trials: 6, delayMs: 200 };
    const a = await ringInThisThread(run);
    const b = await ringOnWorkers(1)(run);
    expect(Array.from(b.response)).toEqual(Array.from(a.response));
    expect(Array.from(b.angles.data)).toEqual(Array.from(a.angles.data));
    const c = await ringOnWorkers(2)(run);
    // batches of 3 instead of 6 trials: the same streams, and each trial's sums in the same order
    expect(Array.from(c.response)).toEqual(Array.from(a.response));
  });

  it('a run too small for the analyses is refused with the size that works', () => {
    const surrogate = WIMMER2014_SURROGATE;
    expect(() => checkWimmer2014({ trials: 1632, delayMs: 500, surrogate, N: 512 })).toThrow(/500-ms delay is too short.*≥ 1000 ms/);
    expect(() => checkWimmer2014({ trials: 320, delayMs: 1000, surrogate, N: 512 })).toThrow(/use ≥ 1632/);
    expect(() => checkWimmer2014({ trials: 1632, delayMs: 1000, surrogate: { ...surrogate, perSession: 1 }, N: 512 })).toThrow(
      /use 2\.\.512/,
    );
    expect(() => checkWimmer2014({ trials: 1632, delayMs: 1000, surrogate, N: 512 })).not.toThrow();
  });
});
