import { createRateRNN, KIM_RATE_CONFIG } from '@wmkit/ei-rnn';
import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { kimSubgroups } from './kim2021-analyses';

describe('Kim 2021 Fig. 6: inhibitory subgroups', () => {
  it('planted: finds the two oppositely tuned inhibitory groups, their connection strengths, and scales only between-group I→I', () => {
    // 20 units: 0–11 excitatory, 12–15 inhibitory group A (driven by cue +1), 16–19 group B (driven by cue −1).
    const N = 20;
    const m = createRateRNN({ ...KIM_RATE_CONFIG, N, pInh: 0 }, new Rng(1));
    m.sign.fill(1);
    for (let u = 12; u < N; u++) m.sign[u] = -1;
    m.w.fill(0);
    m.wIn.fill(0);
    for (let u = 12; u < 16; u++) m.wIn[u * 2] = 4; // A: channel 0 (stimulus 1), +
    for (let u = 16; u < 20; u++) m.wIn[u * 2] = -4; // B: −
    const A = [12, 13, 14, 15];
    const B = [16, 17, 18, 19];
    for (const i of A) for (const j of A) if (i !== j) m.w[i * N + j] = 0.2; // within A (pre j → post i)
    for (const i of B) for (const j of B) if (i !== j) m.w[i * N + j] = 0.3;
    for (const i of B) for (const j of A) m.w[i * N + j] = 1.5; // A→B
    for (const i of A) for (const j of B) m.w[i * N + j] = 1.0; // B→A
    const r = kimSubgroups(m, new Rng(2), { factors: [0, 0.8], trialsPerCue: 20, controls: 3, evalTrials: 20 });
    expect(r.groupA).toEqual(A);
    expect(r.groupB).toEqual(B);
    for (let u = 0; u < 12; u++) expect(Number.isNaN(r.selectivity[u])).toBe(true);
    expect(r.strength.withinA).toBeCloseTo(0.2, 6);
    expect(r.strength.withinB).toBeCloseTo(0.3, 6);
    expect(r.strength.aToB).toBeCloseTo(1.5, 6);
    expect(r.strength.bToA).toBeCloseTo(1.0, 6);
    expect(r.betweenConnections).toBe(32);
    expect(r.network).toBe('rate');
    expect(r.scaled.map((x) => x.factor)).toEqual([0, 0.8]);
    for (const x of r.scaled) {
      expect(x.controls).toHaveLength(3);
      for (const a of [r.baseline, x.between, ...x.controls]) expect(a).toBeGreaterThanOrEqual(0);
      // p = (1 + controls at or below the between-subgroup accuracy) / (1 + controls)
      expect(x.pControlAsLow).toBe((1 + x.controls.filter((a) => a <= x.between).length) / 4);
    }
    // on the converted spiking network: the same subgroups, one accuracy per factor and control
    const spk = kimSubgroups(m, new Rng(2), { factors: [0.5], trialsPerCue: 20, controls: 2, evalTrials: 4, spikingInverseScale: 40 });
    expect(spk.network).toBe('spiking');
    expect(spk.groupA).toEqual(A);
    expect(spk.scaled[0].controls).toHaveLength(2);
    for (const a of [spk.baseline, spk.scaled[0].between, ...spk.scaled[0].controls]) expect(a).toBeGreaterThanOrEqual(0);
    expect(() => kimSubgroups(m, new Rng(2), { factors: [-1] })).toThrow(/factor/);
    expect(() => kimSubgroups(m, new Rng(2), { factors: [0.5], spikingInverseScale: 0 })).toThrow(/spikingInverseScale/);
  });
});
