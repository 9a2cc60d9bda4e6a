import { Rng } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BumpSignatures, bumpSignatures } from './bump-signatures';
import { PLANTED_ODR, plantedOdrDataset } from './planted-odr';
import type { WimmerBattery } from './wimmer-battery';

// Planted data sets (8 sessions × 8 units, 20 trials per cue): the remembered angle drifts to the
// response through the delay (a bump) or holds the cue (null); 2 ramping units per session in the
// drift set (gain 0.6 → 1.4 through the delay); unit gains spread ±60% in the null set.
const windows = { delayStartMs: PLANTED_ODR.delayStartMs, delayEndMs: PLANTED_ODR.delayEndMs, centresMs: [1500, 2500, 3500] };
let drift: BumpSignatures;
let nul: BumpSignatures;
let b: WimmerBattery;
let n: WimmerBattery;
beforeAll(() => {
  drift = bumpSignatures(plantedOdrDataset({ drift: true, rampUnits: 2, seed: 1 }), windows, new Rng(1), 60);
  nul = bumpSignatures(plantedOdrDataset({ drift: false, gainSpread: 0.6, seed: 2 }), windows, new Rng(2), 60);
  b = drift.battery as WimmerBattery;
  n = nul.battery as WimmerBattery;
});

// von Mises tuning of the planted units: 3 + 25·exp(2(cos Δ − 1)) Hz at cue offset Δ = k·45°
const planted = (k: number) => 3 + 25 * Math.exp(2 * (Math.cos((k * Math.PI) / 4) - 1));

describe('wimmerBattery on planted data (known answers)', () => {
  it('Fig. 1d: the aligned population tuning curve is the planted von Mises curve', () => {
    const at = (k: number) => n.populationTuning.all[n.populationTuning.offsets.indexOf(k)];
    for (const k of [0, 1, -1, 2, -2, 4]) {
      // ±0.3 s.e. of the preferred-angle jitter, plus 4 s.e.m. of the Poisson counts
      expect(Math.abs(at(k).mean - planted(k))).toBeLessThan(0.03 * planted(k) + 4 * at(k).se);
    }
    // gains spread ±60%: the stronger half (by T) fires more at the preferred cue than the weaker half
    expect(n.populationTuning.strong[n.populationTuning.offsets.indexOf(0)].mean).toBeGreaterThan(
      n.populationTuning.weak[n.populationTuning.offsets.indexOf(0)].mean,
    );
  });

  it('Fig. 1e: tuning strength grows with the rate when gains differ over a fixed baseline', () => {
    expect(n.strengthVsRate.r).toBeGreaterThan(0.8);
    expect(n.strengthVsRate.p).toBeLessThan(1e-6);
    expect(n.strengthVsRate.n).toBe(64);
  });

  it('Fig. 1f: the ramping units have the planted modulation index; the others none', () => {
    // preferred-cue rate in the first vs last second of the 3-s delay: gain 0.733 vs 1.267
    const early = 3 + 25 * (0.6 + 0.8 / 6);
    const late = 3 + 25 * (0.6 + 0.8 * (5 / 6));
    const expected = (late - early) / (late + early); // 0.238
    const ramp = new Set(Array.from({ length: 8 }, (_, s) => [8 * s, 8 * s + 1]).flat());
    const idx = (keep: (u: number) => boolean) => b.modulation.perUnit.filter((u) => keep(u.unit)).map((u) => u.index);
    const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
    expect(Math.abs(mean(idx((u) => ramp.has(u))) - expected)).toBeLessThan(0.04);
    expect(Math.abs(mean(idx((u) => !ramp.has(u))))).toBeLessThan(0.03);
    expect(b.modulation.increase).toBeGreaterThanOrEqual(14); // of the 16 ramping units
    expect(b.modulation.decrease).toBeLessThanOrEqual(4);
    for (const u of ramp) expect(b.modulation.rampingUp).toContain(u);
    // a mixture of 0.24 and 0: not normal, mean > 0
    expect(b.modulation.lilliefors.p).toBeLessThan(0.05);
    expect(b.modulation.tTest.p).toBeLessThan(0.05);
    // without the ramping units the flank rate–behaviour correlation stays
    expect(b.modulation.rateBehaviorNoRamping.value).toBeGreaterThan(0.3);
    expect(b.modulation.rateBehaviorNoRamping.p).toBeLessThan(0.01);
  });

  it('Fig. 1g: planted tuning is stable through the delay', () => {
    expect(n.stability.preferred.medianAbsDeg).toBeLessThan(5);
    expect(n.stability.preferred.p).toBeGreaterThan(0.01);
    expect(n.stability.preferred.changed).toBeLessThanOrEqual(8); // ~5% of 64 by chance
    expect(Math.abs(n.stability.strength.late - n.stability.strength.early)).toBeLessThan(0.02);
  });

  it('Fig. 4e–g: shuffle-corrected R² is ≈ 0 without an effect and large for flank cues with drift', () => {
    const off = (bat: WimmerBattery, k: number) => bat.r2.byOffset.find((o) => o.offset === k) as WimmerBattery['r2']['byOffset'][number];
    for (const k of [1, -1]) {
      expect(off(b, k).corrected).toBeGreaterThan(0.2);
      expect(off(b, k).p).toBeLessThan(0.01);
    }
    // the preferred cue sits at the tuning peak: no slope, no R²
    expect(Math.abs(off(b, 0).corrected)).toBeLessThan(0.05);
    // null: raw R² of 20 trials is ~1/19 by chance; the correction removes it
    for (const o of n.r2.byOffset) expect(Math.abs(o.corrected)).toBeLessThan(0.03);
    expect(n.r2.tunedLate.p).toBeGreaterThan(0.01);
    expect(b.r2.tunedLate.value).toBeGreaterThan(0.05);
    expect(b.r2.tunedLate.p).toBeLessThan(0.01);
    // R² grows through the delay with the drift: first 1-s block of the delay < last
    const blk = (t: number) => b.r2.tuned.find((p) => p.tMs === t)?.value ?? Number.NaN;
    expect(blk(3500)).toBeGreaterThan(blk(1500));
  });

  it('Fig. 5: rate–behaviour correlation for flank cues, not for the preferred cue; nothing in the null', () => {
    const cls = (bat: WimmerBattery, name: string) =>
      bat.rateBehaviorByClass.find((c) => c.name === name) as WimmerBattery['rateBehaviorByClass'][number];
    expect(cls(b, 'flank 1').late.value).toBeGreaterThan(0.4);
    expect(cls(b, 'flank 1').late.p).toBeLessThan(0.01);
    expect(cls(b, 'flank 2').late.value).toBeGreaterThan(0.3);
    expect(Math.abs(cls(b, 'preferred').late.value)).toBeLessThan(0.15);
    expect(Number.isFinite(cls(b, 'flank 1').firstSignificantMs)).toBe(true);
    for (const c of n.rateBehaviorByClass) expect(c.late.p).toBeGreaterThan(0.01);
  });

  it('Fig. 6d: inaccurate flank trials have the higher Fano factor with drift', () => {
    const flank = b.fanoByClass.find((f) => f.name === 'flank');
    expect(flank?.diff).toBeGreaterThan(0);
    expect(flank?.p).toBeLessThan(0.05);
    expect(flank?.n).toBe(64);
  });

  it('Fig. 7: in-flank correlations turn negative late in the delay with drift, not early, not in the null', () => {
    const c = (bat: WimmerBattery, name: string) =>
      bat.noiseCorrEpochs.classes.find((x) => x.name === name) as WimmerBattery['noiseCorrEpochs']['classes'][number];
    const inFlank = c(b, 'one apart: in-flank');
    expect(inFlank.late.mean).toBeLessThan(-0.1);
    expect(inFlank.late.p).toBeLessThan(0.01);
    expect(Math.abs(inFlank.early.mean)).toBeLessThan(0.05);
    expect(inFlank.change.p).toBeLessThan(0.01);
    expect(c(b, 'same: flank').late.mean).toBeGreaterThan(0.05);
    expect(Math.abs(c(n, 'one apart: in-flank').late.mean)).toBeLessThan(0.05);
    expect(c(n, 'one apart: in-flank').late.p).toBeGreaterThan(0.01);
  });

  it('rows a small data set cannot fill are listed with the reason and what they need', () => {
    const tiny = bumpSignatures(plantedOdrDataset({ sessions: 2, perSession: 2, trialsPerCue: 2, seed: 5 }), windows, new Rng(5), 10);
    const gaps = [...(tiny.gaps ?? []), ...(tiny.battery?.gaps ?? [])];
    const gap = (row: string) => gaps.find((g) => g.row === row);
    expect(gap('noiseCorrEpochs.same: peak')?.minTrialsPerCue).toBe(3);
    expect(gap('noiseCorrEpochs.same: peak')?.reason).toMatch(
      /0 pairs: the correlations need ≥ 3 trials per cue in a session; the data hold 2/,
    );
    expect(gap('fanoByClass.flank')?.minTrialsPerCue).toBe(4);
    expect(gap('r2')?.minTrialsPerCue).toBe(4);
    expect(gap('fano')?.minTrialsPerCue).toBe(4);
    expect(gap('noiseCorr.inBetween')?.needsPairs).toBe(true);
    expect(drift.gaps).toEqual([]);
  });
});
