/**
 * wmkit against Brian2: the same network (ndx3 preset at 512 E + 128 I, 1 s baseline, 250-ms cue,
 * 1-s delay) simulated by bench/reference/compte2000_brian2.py (command in the fixture). Baseline
 * rates, bump peak and bump width must agree within 4 combined standard errors of the two sets of
 * trials (the per-trial spread of each side), since the two simulators draw different noise.
 */
import { readFileSync } from 'node:fs';
import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { compteConfig } from './config';
import { bumpProfile, compteWindowRates } from './observables';
import { type CompteSimulation, simulateCompte } from './simulate';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/brian2-ndx3-512.json', import.meta.url), 'utf8'));

const mean = (xs: number[]) => xs.reduce((a, v) => a + v, 0) / xs.length;
const se = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, v) => a + (v - m) ** 2, 0) / (xs.length - 1) / xs.length);
};

function perTrial(sim: CompteSimulation, t: number) {
  const one: CompteSimulation = {
    ...sim,
    trials: 1,
    popRateE: {
      data: sim.popRateE.data.subarray(t * sim.popRateE.shape[1], (t + 1) * sim.popRateE.shape[1]),
      shape: [1, sim.popRateE.shape[1]],
    },
    popRateI: {
      data: sim.popRateI.data.subarray(t * sim.popRateI.shape[1], (t + 1) * sim.popRateI.shape[1]),
      shape: [1, sim.popRateI.shape[1]],
    },
  };
  const base = compteWindowRates(one, 500, 1000);
  const bump = bumpProfile(sim, { trials: [t] });
  return { baseE: base.E, baseI: base.I, peak: bump.peakHz, fwhm: bump.fwhmDeg, holds: bump.peakHz - bump.floorHz > 10 };
}

describe('Compte 2000: wmkit vs Brian2 at 512 E + 128 I', () => {
  it('baseline rates, bump peak and bump width agree within sampling error', () => {
    const c = compteConfig('ndx3', { NE: 512, NI: 128, protocol: { preCueMs: 1000, cueMs: 250, delayMs: 1000 } });
    const sim = simulateCompte(c, { trials: 4, rasterTrials: 0 }, new Rng(11));
    const w = Array.from({ length: sim.trials }, (_, t) => perTrial(sim, t));
    const b = fixture.per_trial;
    const bHolds = (b.bump_peak_hz as number[]).map((p, i) => ({ p, f: b.bump_fwhm_deg[i] as number })).filter((x) => x.p > 10);
    const checks: [string, number[], number[], number][] = [
      ['baseline E (Hz)', w.map((x) => x.baseE), b.baseline_E_hz, 0.05],
      ['baseline I (Hz)', w.map((x) => x.baseI), b.baseline_I_hz, 0.1],
      ['bump peak (Hz)', w.filter((x) => x.holds).map((x) => x.peak), bHolds.map((x) => x.p), 2],
      ['bump FWHM (deg)', w.filter((x) => x.holds).map((x) => x.fwhm), bHolds.map((x) => x.f), 5],
    ];
    for (const [name, ours, theirs, floor] of checks) {
      expect(ours.length, `${name}: wmkit trials with a bump`).toBeGreaterThanOrEqual(3);
      const tol = 4 * Math.sqrt(se(ours) ** 2 + se(theirs) ** 2) + floor;
      expect(
        Math.abs(mean(ours) - mean(theirs)),
        `${name}: wmkit ${mean(ours).toFixed(3)} vs Brian2 ${mean(theirs).toFixed(3)} (tolerance ${tol.toFixed(3)})`,
      ).toBeLessThan(tol);
    }
  });
});
