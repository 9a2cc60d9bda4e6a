import { compteConfig } from '@wmkit/attractor-models';
import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { compte2000 } from './compte2000';

describe('compte2000 recipe', () => {
  it('runs the cue-only trials and the distractor grid, and reports progress to the end', async () => {
    const config = compteConfig('ndx3', { NE: 64, NI: 16, protocol: { preCueMs: 600, cueMs: 100, delayMs: 600 } });
    const seen: number[] = [];
    const res = await compte2000(
      { config, trials: 2, distractors: { ampsNa: [0.2], distancesDeg: [90, 135], trialsPerCondition: 1 } },
      { rng: new Rng(2), onProgress: (p) => seen.push(p.done / p.total) },
    );
    expect(res.main.trials).toBe(2);
    expect(res.summary.baselineHz.I).toBeGreaterThan(0);
    expect(res.distractors.map((d) => [d.ampNa, d.distanceDeg, d.trials])).toEqual([
      [0.2, 90, 1],
      [0.2, 135, 1],
    ]);
    expect(res.distractors[0].resist + res.distractors[0].partial + res.distractors[0].capture + res.distractors[0].lost).toBeCloseTo(1);
    expect(Math.max(...seen)).toBeCloseTo(1);
    const again = await compte2000({ config, trials: 2, distractors: null }, { rng: new Rng(2) });
    expect(Array.from(again.main.countsE.data)).toEqual(Array.from(res.main.countsE.data));
  });

  it('stops when its signal fires', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(compte2000({ trials: 1 }, { signal: ac.signal })).rejects.toThrow();
  });
});
