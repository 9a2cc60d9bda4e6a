import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { bumpSignatures, responseErrorsDeg, responseSpread, sem, slidingCentresMs } from './bump-signatures';
import type { OdrDataset } from './spatial-wm';
import { signFlipTest } from './stats';

const CUES = Array.from({ length: 8 }, (_, c) => (2 * Math.PI * c) / 8);

/**
 * A synthetic oculomotor delayed-response data set: `units` von-Mises-tuned units recorded
 * together, responses scattered about the cue (SD 10°). With `bump`, each unit's delay rate
 * follows the remembered angle (the response), as in a drifting bump; without, it follows the
 * cue only, so activity says nothing about the behavioural error.
 */
function dataset(bump: boolean, seed: number, trials = 320, units = 8): OdrDataset {
  const rng = new Rng(seed);
  const bins = 40; // 50-ms bins: 2 s, delay 0.5–2 s
  const prefs = Array.from({ length: units }, (_, u) => (2 * Math.PI * u) / units);
  const cue = Array.from({ length: trials }, (_, t) => t % 8);
  const response = cue.map((c) => (CUES[c] as number) + ((rng.normal([1])[0] as number) * (10 * Math.PI)) / 180);
  const data = new Float32Array(trials * units * bins);
  for (let t = 0; t < trials; t++)
    for (let u = 0; u < units; u++) {
      const centre = bump ? (response[t] as number) : (CUES[cue[t] as number] as number);
      const hz = 2 + 30 * Math.exp(2 * (Math.cos(centre - (prefs[u] as number)) - 1));
      const counts = rng.poisson([bins], (hz * 50) / 1000);
      data.set(counts, (t * units + u) * bins);
    }
  return { sessions: [{ cue, response, counts: { data, shape: [trials, units, bins] } }], cueAngles: CUES, binMs: 50 };
}

describe('bump signatures (Wimmer et al. 2014 analyses)', () => {
  it('sem and the sign-flip test: known answers', () => {
    expect(sem([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3 / 4), 12);
    expect(sem([1, Number.NaN])).toBeNaN();
    // all positive: no sign flip makes the mean larger; p = (1 + #{≥})/(1 + n) is small
    expect(signFlipTest([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], new Rng(1), 999, 'greater')).toBeLessThan(0.01);
    expect(signFlipTest([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], new Rng(1), 999, 'less')).toBeGreaterThan(0.99);
    expect(signFlipTest([Number.NaN], new Rng(1), 10, 'greater')).toBeNaN();
  });

  it('response spread: the SD with and without the trials beyond half a cue spacing (known answer)', () => {
    const s = responseSpread([3, -4, 0, 45, -90]);
    expect(s.sdDeg).toBeCloseTo(Math.sqrt(10150 / 5), 10);
    expect(s.sdNoJumpsDeg).toBeCloseTo(Math.sqrt(25 / 3), 10);
    expect(s.jumpFraction).toBeCloseTo(0.4, 12);
    expect(responseSpread([22.5, -22.5]).jumpFraction).toBe(0); // the boundary counts as held
    expect(Number.isNaN(responseSpread([]).sdDeg)).toBe(true);
    // errors wrap across ±180°
    const e = responseErrorsDeg([Math.PI - 0.1, 0.2], [-Math.PI + 0.1, 0]);
    expect(e[0]).toBeCloseTo((-0.2 * 180) / Math.PI, 4);
    expect(e[1]).toBeCloseTo((0.2 * 180) / Math.PI, 4);
  });

  it('sliding windows: 1-s windows every 250 ms inside the span', () => {
    expect(slidingCentresMs(0, 2000)).toEqual([500, 750, 1000, 1250, 1500]);
    expect(slidingCentresMs(1500, 4500)).toEqual([2000, 2250, 2500, 2750, 3000, 3250, 3500, 3750, 4000]);
  });

  it('activity that follows the remembered angle shows a positive tuning bias and rate–behaviour correlation', () => {
    const w = { delayStartMs: 500, delayEndMs: 2000, centresMs: [1000, 1500] };
    const r = bumpSignatures(dataset(true, 3), w, new Rng(7), 200);
    expect(r.neurons).toBe(8);
    expect(r.tuning.included).toBe(8);
    expect(r.tuningBias).toHaveLength(2);
    expect(r.tuningBiasLate.value).toBeGreaterThan(0);
    expect(r.tuningBiasLate.p).toBeLessThan(0.01);
    expect(r.rateBehaviorLate.value).toBeGreaterThan(0);
    expect(r.rateBehaviorLate.p).toBeLessThan(0.01);
  }, 120_000);

  it('activity that follows the cue only shows neither (p values not small), and the result is reproducible', () => {
    const w = { delayStartMs: 500, delayEndMs: 2000, centresMs: [1250] };
    const a = bumpSignatures(dataset(false, 4), w, new Rng(7), 200);
    // 320 trials: the tuning-bias SE over units is several degrees; the effect above is far larger
    expect(Math.abs(a.rateBehaviorLate.value)).toBeLessThan(0.1);
    expect(a.tuningBiasLate.p).toBeGreaterThan(0.01);
    expect(a.rateBehaviorLate.p).toBeGreaterThan(0.01);
    const b = bumpSignatures(dataset(false, 4), w, new Rng(7), 200);
    expect(b).toEqual(a);
  }, 120_000);
});
