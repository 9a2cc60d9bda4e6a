import { checkOdrDataset } from '@wmkit/analysis';
import { type CompteSimulation, compteConfig, compteProtocol } from '@wmkit/attractor-models';
import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { compte2000 } from './compte2000';
import { compteSurrogate, compteSurrogateProblem } from './compte2000-surrogate';

const NE = 64;
const config = compteConfig('ndx3', { NE, NI: 16, protocol: { preCueMs: 600, cueMs: 100, delayMs: 1000 } });

/** A made-up run: in every trial the cell at the cue (180°) fires at `t` ms, and cell 0 at 10 ms. */
function fakeRun(trials: number, t: number): CompteSimulation {
  const pr = compteProtocol(config);
  const cueCell = NE / 2;
  const empty = { data: new Float32Array(0), shape: [trials, 0] };
  return {
    config,
    protocol: pr,
    trials,
    firstTrial: 0,
    countsE: empty,
    countsI: empty,
    popRateE: empty,
    popRateI: empty,
    popBinMs: 10,
    decodedDeg: { data: new Float64Array(trials * pr.nBins).fill(180), shape: [trials, pr.nBins] },
    endAngleDeg: new Float64Array(trials).fill(180),
    cellAnglesDeg: Float64Array.from({ length: NE }, (_, i) => (360 * i) / NE),
    rasters: Array.from({ length: trials }, (_, trial) => ({
      trial,
      timesMs: Float32Array.of(10, t, t),
      cells: Int32Array.of(0, cueCell, NE + 3),
    })),
  };
}

describe('compteSurrogate', () => {
  it('rotates each trial onto its virtual cue: the cue cell’s spike lands on the unit at the virtual cue, the response with it', () => {
    const sim = fakeRun(16, 1650);
    const s = compteSurrogate(sim, { neurons: NE, perSession: NE }, new Rng(1));
    expect([s.sessions, s.perSession, s.trialsPerSession]).toEqual([1, NE, 16]);
    const sess = s.dataset.sessions[0];
    const [T, U, B] = sess.counts.shape;
    expect([T, U, B]).toEqual([16, NE, Math.floor(compteProtocol(config).durationMs / 50)]);
    const col = new Map(Array.from(s.units[0], (cell, u) => [cell, u]));
    for (let k = 0; k < T; k++) {
      const cue = sess.cue[k];
      expect(cue).toBe(k % 8);
      // virtual cue cell = cue·N_E/8; real cue cell N_E/2 → rotation cue·N_E/8 − N_E/2
      const shift = ((((cue * NE) / 8 - NE / 2) % NE) + NE) % NE;
      const atCue = col.get((cue * NE) / 8) as number;
      const atZero = col.get(shift) as number; // where real cell 0 goes
      const at = (u: number, b: number) => sess.counts.data[(k * U + u) * B + b];
      expect(at(atCue, Math.floor(1650 / 50))).toBe(1);
      expect(at(atZero, 0)).toBe(1);
      let total = 0;
      for (let i = 0; i < U * B; i++) total += sess.counts.data[k * U * B + i];
      expect(total).toBe(2); // the I cell's spike is not an E unit's
      expect(sess.response[k]).toBeCloseTo((2 * Math.PI * cue) / 8, 12);
    }
    expect(s.windows).toMatchObject({ delayStartMs: 700, delayEndMs: 1700 });
    expect(() => checkOdrDataset(s.dataset)).not.toThrow();
  });

  it('splits the trials into sessions of their own, each recording units drawn from the ring', () => {
    const s = compteSurrogate(fakeRun(40, 1000), { neurons: 30 }, new Rng(2));
    // 40 trials → at most 2 sessions of ≥ 16 trials → 15 units each, 20 trials each
    expect([s.sessions, s.perSession, s.trialsPerSession]).toEqual([2, 15, 20]);
    for (const u of s.units) expect(new Set(u).size).toBe(15);
    expect(s.dataset.sessions.map((x) => x.counts.shape)).toEqual([
      [20, 15, 34],
      [20, 15, 34],
    ]);
  });

  it('names what a run lacks', () => {
    expect(compteSurrogateProblem(fakeRun(8, 1000))).toMatch(/≥ 16 cue-only trials/);
    expect(compteSurrogateProblem({ ...fakeRun(16, 1000), rasters: [] })).toMatch(/spikes of every cue-only trial/);
    expect(compteSurrogateProblem(fakeRun(16, 1000), { cues: 6, neurons: 32 })).toMatch(/multiple of 6/);
    expect(compteSurrogateProblem(fakeRun(16, 1000), { neurons: 204 })).toMatch(/use 2\.\.64 units/);
    expect(compteSurrogateProblem(fakeRun(16, 1000), { neurons: 64 })).toBeNull();
  });

  it('feeds the Wimmer et al. 2014 analyses from a simulated run (recipe, reduced size)', async () => {
    const res = await compte2000(
      { config, trials: 16, distractors: null, surrogate: { neurons: 32 }, permutations: 20 },
      { rng: new Rng(4) },
    );
    expect(res.wimmerSkipped).toBeNull();
    const w = res.wimmer;
    expect(w?.surrogate.sessions).toBe(1);
    expect(w?.signatures.neurons).toBe(32);
    // the counts are the network's spikes: their delay rate is the recorded units' share of the E delay rate
    expect(w?.surrogate.meanDelayRateHz).toBeGreaterThan(0);
    expect(w?.signatures.tuning.included).toBeLessThanOrEqual(32);
    expect(w?.signatures.rateBehavior.length).toBe(w?.surrogate.windows.centresMs.length);
    const none = await compte2000({ config, trials: 2, distractors: null }, { rng: new Rng(4) });
    expect(none.wimmer).toBeNull();
    expect(none.wimmerSkipped).toMatch(/≥ 16 cue-only trials/);
  }, 120_000);
});
