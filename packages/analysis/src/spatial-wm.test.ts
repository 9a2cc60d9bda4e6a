import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { bumpDiffusion } from './diffusion';
import {
  fanoAccurateInaccurate,
  groupPairCorrelations,
  noiseCorrelations,
  type OdrDataset,
  type PairCorrelation,
  rateBehaviorCorrelation,
  sessionDeviations,
  shuffleWithinCue,
  tuningBias,
  unitTuning,
} from './spatial-wm';
import { bootstrapStandardError, mean, permutationTest } from './stats';
import { behavioralDeviation, preferredAngle, tuningCurve, tuningStrength } from './tuning';

const CUES = Float32Array.from({ length: 8 }, (_, c) => (2 * Math.PI * c) / 8);

describe('tuning', () => {
  it('known tuning curve: preferred angle and strength', () => {
    // von Mises tuning centred at 90°
    const curve = Array.from(CUES, (t) => 5 * Math.exp(2 * Math.cos(t - Math.PI / 2)));
    expect(preferredAngle(curve, CUES)).toBeCloseTo(Math.PI / 2, 6); // float32 cue angles
    expect(tuningStrength([0, 0, 7, 0, 0, 0, 0, 0], CUES)).toBeCloseTo(1);
    expect(tuningStrength([3, 3, 3, 3, 3, 3, 3, 3], CUES)).toBeCloseTo(0);
    const tc = tuningCurve([1, 3, 5, 7], [0, 0, 1, 1], 3);
    expect(Array.from(tc)).toEqual([2, 6, Number.NaN]);
    expect(() => tuningCurve([1], [9], 8)).toThrow(/cue 9 of trial 0 is outside 0\.\.7/);
  });

  it('behavioural deviation is relative to the mean response to the cue, CW negative', () => {
    const dev = behavioralDeviation([0.1, -0.1, Math.PI - 0.05, -Math.PI + 0.05], [0, 0, 4, 4], 8);
    expect(dev[0]).toBeCloseTo(0.1);
    expect(dev[1]).toBeCloseTo(-0.1);
    expect(dev[2]).toBeCloseTo(-0.05); // across the ±π seam
    expect(dev[3]).toBeCloseTo(0.05);
  });
});

/**
 * Synthetic "bump" data: on each trial the memory sits at cue + δ (δ ~ N(0, 8°)), the response
 * reports it, and every unit fires with a tuning curve centred on its preferred angle and
 * evaluated at the memory: a population where activity and behaviour share the drift.
 * `coupled = false` makes the response independent of the memory (no shared drift).
 */
function syntheticDataset(coupled: boolean, rng: Rng, sessions = 60, trialsPer = 160): OdrDataset {
  return {
    cueAngles: CUES,
    binMs: 100,
    sessions: Array.from({ length: sessions }, (_, s) => {
      const r = rng.fork(`s${s}`);
      const pref = [r.random() * 2 * Math.PI, r.random() * 2 * Math.PI];
      const cue = new Int32Array(trialsPer);
      const response = new Float32Array(trialsPer);
      const counts = new Float32Array(trialsPer * 2 * 10);
      for (let t = 0; t < trialsPer; t++) {
        cue[t] = t % 8;
        const delta = r.normal1() * ((8 * Math.PI) / 180);
        const memory = CUES[cue[t]] + delta;
        response[t] = (coupled ? memory : CUES[cue[t]] + r.normal1() * ((8 * Math.PI) / 180)) + r.normal1() * 0.01;
        for (let u = 0; u < 2; u++) {
          const rate = 30 * Math.exp(2 * (Math.cos(memory - pref[u]) - 1));
          for (let b = 0; b < 10; b++) counts[(t * 2 + u) * 10 + b] = r.poisson1(rate * 0.1);
        }
      }
      return { cue, response, counts: { data: counts, shape: [trialsPer, 2, 10] } };
    }),
  };
}

describe('Wimmer et al. 2014 analyses on synthetic data with a known answer', () => {
  const win = { startMs: 0, endMs: 1000 };
  const coupled = syntheticDataset(true, new Rng(1));
  const independent = syntheticDataset(false, new Rng(2));

  it('unit tuning recovers the preferred angles', () => {
    const t = unitTuning(coupled, win);
    expect(t.length).toBe(120);
    expect(t.filter((u) => u.strength > 0.2).length).toBeGreaterThan(100);
  });

  it('tuning bias is positive when activity and behaviour share the drift, and zero otherwise', () => {
    const rng = new Rng(3);
    const tb = tuningBias(coupled, win);
    expect(tb.mean).toBeGreaterThan(0);
    const p = permutationTest(
      tb.mean,
      (r) => tuningBias(coupled, win, shuffleWithinCue(coupled, sessionDeviations(coupled), r)).mean,
      rng,
      { n: 200 },
    ).p;
    expect(p).toBeLessThan(0.01);
    const tbNull = tuningBias(independent, win);
    const pNull = permutationTest(
      tbNull.mean,
      (r) => tuningBias(independent, win, shuffleWithinCue(independent, sessionDeviations(independent), r)).mean,
      rng.fork('n'),
      { n: 200 },
    ).p;
    expect(pNull).toBeGreaterThan(0.01);
  });

  it('rate–behaviour correlation on flank cues: positive when coupled, ~0 when not', () => {
    const tuning = unitTuning(coupled, win);
    expect(rateBehaviorCorrelation(coupled, win, tuning).mean).toBeGreaterThan(0.15);
    const tIndep = unitTuning(independent, win);
    const r0 = rateBehaviorCorrelation(independent, win, tIndep);
    // SE of a mean of ~100 correlations from ~40 trials each ≈ 0.16/√100
    expect(Math.abs(r0.mean)).toBeLessThan(5 * (0.16 / Math.sqrt(r0.perUnit.length)));
  });

  it('noise correlations: same-tuned pairs are positively correlated when the bump drifts', () => {
    const tuning = unitTuning(coupled, win);
    const pcs = noiseCorrelations(coupled, win, tuning);
    const same = pcs.filter((p) => p.tuningDifference === 0 && p.cueRelation !== 'in-between');
    expect(same.length).toBeGreaterThan(5);
    expect(mean(same.map((p) => p.r))).toBeGreaterThan(0);
    const opposite = pcs.filter((p) => p.tuningDifference === 2 && p.cueRelation === 'in-between');
    if (opposite.length >= 5) expect(mean(opposite.map((p) => p.r))).toBeLessThan(0);
  });

  it('Fano factor: inaccurate flank trials are more variable only when activity and behaviour are coupled', () => {
    const diffStats = (f: ReturnType<typeof fanoAccurateInaccurate>) => {
      const d = f.perUnit.map((u) => u.inaccurate - u.accurate);
      const m = mean(d);
      return { m, se: Math.sqrt(d.reduce((a, x) => a + (x - m) ** 2, 0) / (d.length - 1) / d.length) };
    };
    const c = diffStats(fanoAccurateInaccurate(coupled, win, unitTuning(coupled, win)));
    expect(c.m).toBeGreaterThan(3 * c.se);
    const i = diffStats(fanoAccurateInaccurate(independent, win, unitTuning(independent, win)));
    expect(Math.abs(i.m)).toBeLessThan(4 * i.se);
  });

  it('a malformed dataset is a clear error', () => {
    const bad: OdrDataset = {
      cueAngles: CUES,
      binMs: 100,
      sessions: [{ cue: [0, 1], response: [0], counts: { data: new Float32Array(4), shape: [2, 1, 2] } }],
    };
    expect(() => tuningBias(bad, win)).toThrow('session 0: 2 trials of counts but 2 cues and 1 responses');
  });
});

describe('resampling statistics', () => {
  it('permutation p values are uniform under the null (calibration)', () => {
    const rng = new Rng(5);
    let rejections = 0;
    const runs = 200;
    for (let k = 0; k < runs; k++) {
      const r = rng.fork(`run${k}`);
      const x = r.normal(30);
      const obs = mean(x);
      const p = permutationTest(obs, (q) => mean(Array.from(x, (v) => (q.uint32() & 1 ? v : -v))), r.fork('p'), { n: 199 }).p;
      if (p < 0.05) rejections++;
    }
    // Binomial(200, 0.05): mean 10, SD 3.1
    expect(rejections).toBeGreaterThan(10 - 5 * 3.1);
    expect(rejections).toBeLessThan(10 + 5 * 3.1);
  });

  it('bootstrap SE of a mean ≈ σ/√n', () => {
    const x = Array.from(new Rng(6).normal(400, 0, 2));
    const se = bootstrapStandardError(x, mean, new Rng(7), 500);
    expect(Math.abs(se - 2 / Math.sqrt(400))).toBeLessThan(0.02);
  });
});

describe('bump diffusion', () => {
  it('recovers the diffusion coefficient of a random walk', () => {
    const rng = new Rng(8);
    const trials = 2000;
    const T = 40;
    const D = 0.01; // rad²/s
    const dt = 0.05;
    const data = new Float32Array(trials * T);
    for (let b = 0; b < trials; b++) {
      let a = 1;
      for (let t = 0; t < T; t++) {
        a += Math.sqrt(D * dt) * rng.normal1();
        data[b * T + t] = a;
      }
    }
    const times = Array.from({ length: T }, (_, t) => (t + 1) * 50);
    const res = bumpDiffusion({ data, shape: [trials, T] }, times, { startMs: 50, endMs: 2000 });
    // SE of a variance estimate ≈ Var·√(2/n) ⇒ slope within ~10%
    expect(Math.abs(res.slope / D - 1)).toBeLessThan(0.1);
    expect(res.r2).toBeGreaterThan(0.98);
  });
});

describe('groupPairCorrelations', () => {
  const pc = (p: Partial<PairCorrelation>): PairCorrelation => ({
    session: 0,
    unitA: 0,
    unitB: 1,
    cue: 0,
    tuningDifference: 0,
    cueRelation: 'other',
    offsetA: 0,
    offsetB: 0,
    r: 0,
    ...p,
  });
  it('gives one value per pair and class, averaged over windows and cues', () => {
    const w1 = [
      pc({ cue: 0, cueRelation: 'preferred', r: 0.5 }), // same tuning, peak
      pc({ cue: 1, offsetA: -1, offsetB: -1, r: 0.2 }), // flank
      pc({ cue: 2, offsetA: -2, offsetB: -1, r: 0.4 }), // flank (nearer offset 1)
      pc({ cue: 4, offsetA: 4, offsetB: -4, r: -0.1 }), // tail
      pc({ session: 1, tuningDifference: 2, cue: 3, cueRelation: 'in-between', offsetA: 1, offsetB: -1, r: -0.3 }),
      pc({ session: 1, tuningDifference: 2, cue: 6, cueRelation: 'other', offsetA: 3, offsetB: 5, r: 0.1 }),
      pc({ session: 2, tuningDifference: 4, cue: 2, cueRelation: 'in-between', offsetA: 2, offsetB: -2, r: 0.9 }), // not one cue apart
    ];
    const w2 = [
      pc({ cue: 1, offsetA: -1, offsetB: -1, r: 0.6 }),
      pc({ session: 1, tuningDifference: 2, cue: 3, cueRelation: 'in-between', r: -0.1 }),
    ];
    const g = groupPairCorrelations([w1, w2]);
    expect(g.sameTuning.peak).toEqual([0.5]);
    expect(g.sameTuning.flank).toHaveLength(1);
    expect(g.sameTuning.flank[0]).toBeCloseTo((0.2 + 0.4 + 0.6) / 3, 12);
    expect(g.sameTuning.tail).toEqual([-0.1]);
    expect(g.inBetween).toHaveLength(1);
    expect(g.inBetween[0]).toBeCloseTo(-0.2, 12);
    expect(g.other).toEqual([0.1]);
  });
});
