import { describe, expect, it } from 'vitest';
import { writeMat } from './mat';
import { encodeNpy } from './npy';
import { nwbTrialSpikes, odrFromMat, odrFromNwb, RecordingFormatError, spikesFromMat, spikesFromNpy, spikesFromNwb } from './recordings';

describe('recorded spike layouts (parsed from bytes)', () => {
  it('.npy counts [trials, units, bins] come back as counts', () => {
    const bytes = encodeNpy({ data: Float32Array.from({ length: 24 }, (_, i) => i % 3), shape: [2, 3, 4] });
    const s = spikesFromNpy(bytes, 'c.npy', { binMs: 20 });
    expect(s.kind).toBe('counts');
    if (s.kind !== 'counts') return;
    expect(s.counts.shape).toEqual([2, 3, 4]);
    expect(s.binMs).toBe(20);
    expect(Array.from(s.counts.data.slice(0, 4))).toEqual([0, 1, 2, 0]);
  });

  it('.npy spike rows (trial, unit, ms): spike times per trial and unit, window rounded up to a bin', () => {
    const rows = Float64Array.from([0, 0, 10, 0, 1, 30, 1, 0, 5, 1, 0, 120]);
    const s = spikesFromNpy(encodeNpy({ data: rows, shape: [4, 3] }), 'r.npy', { binMs: 50 });
    expect(s).toMatchObject({
      kind: 'spikes',
      windowMs: 150,
      spikeTimes: [
        [[10], [30]],
        [[5, 120], []],
      ],
    });
    expect(() => spikesFromNpy(encodeNpy({ data: Float64Array.from([0, -1, 3]), shape: [1, 3] }), 'bad.npy')).toThrow(
      /bad.npy: row 0 \(0, -1, 3\) is not \(trial ≥ 0, unit ≥ 0, time in ms\)/,
    );
    expect(() => spikesFromNpy(encodeNpy({ data: new Float32Array(10), shape: [10] }), 'w.npy')).toThrow(
      /w.npy: array of shape \[10\]; expected counts \[trials, units, bins\] or spike rows \[n, 3\]/,
    );
  });

  it('.mat counts (with bin_ms) and spike_times cells (with trial_ms)', () => {
    const c = spikesFromMat(writeMat({ counts: { data: new Float64Array(2 * 3 * 5), shape: [2, 3, 5] }, bin_ms: 25 }), 'c.mat');
    expect(c).toMatchObject({ kind: 'counts', binMs: 25, counts: { shape: [2, 3, 5] } });
    const st = writeMat({
      spike_times: {
        kind: 'cell',
        shape: [1, 2],
        elements: [
          { data: Float64Array.from([1, 2]), shape: [1, 2] },
          { data: Float64Array.from([7]), shape: [1, 1] },
        ],
      },
      trial_ms: 100,
    });
    expect(spikesFromMat(st, 's.mat')).toMatchObject({ kind: 'spikes', windowMs: 100, spikeTimes: [[[1, 2], [7]]] });
    const none = writeMat({ x: 1 });
    expect(() => spikesFromMat(none, 'n.mat')).toThrow(RecordingFormatError);
    expect(() => spikesFromMat(none, 'n.mat')).toThrow(/n.mat: no 'counts' or 'spike_times' variable \(found: x\)/);
  });

  it('NWB: spikes cut into trials from each start, over the shortest trial by default', () => {
    const rec = {
      identifier: 'x',
      spikeTimes: [Float64Array.from([0.01, 0.5, 1.05, 1.2]), Float64Array.from([1.3])],
      unitColumns: {},
      trials: {
        start: Float64Array.from([0, 1]),
        stop: Float64Array.from([0.4, 1.5]),
        columns: { cue: Float64Array.from([0, 3]), response: Float64Array.from([0.1, 2.4]) },
      },
    };
    const { st, windowMs } = nwbTrialSpikes(rec.spikeTimes, rec.trials);
    expect(windowMs).toBeCloseTo(400, 9);
    expect(st[0]?.[0]).toEqual([10]);
    expect(st[1]?.[0]?.map((x) => Math.round(x))).toEqual([50, 200]);
    expect(st[1]?.[1]?.map((x) => Math.round(x))).toEqual([300]);
    expect(spikesFromNwb(rec, 'r.nwb', { windowMs: 250 }).windowMs).toBe(250);
    const odr = odrFromNwb(rec, 'r.nwb');
    expect(odr.sessions[0]?.cue).toEqual([0, 3]);
    expect(odr.cueAngles).toHaveLength(8);
    expect(() => spikesFromNwb({ ...rec, trials: null }, 'r.nwb')).toThrow(/r.nwb: no \/intervals\/trials table/);
    const byAngle = odrFromNwb(
      { ...rec, trials: { ...rec.trials, columns: { cue_angle: Float64Array.from([0, Math.PI]), response: Float64Array.from([0, 3]) } } },
      'a.nwb',
    );
    expect(byAngle.sessions[0]?.cue).toEqual([0, 1]);
  });

  it('oculomotor delayed response .mat: 1-based cues become 0-based; missing variables and bad cues are named', () => {
    const mat = writeMat({
      counts: { data: new Float64Array(3 * 2 * 4), shape: [3, 2, 4] },
      cue: { data: Float64Array.from([1, 2, 8]), shape: [3, 1] },
      response: { data: Float64Array.from([0, 1, 2]), shape: [3, 1] },
    });
    const r = odrFromMat(mat, 'o.mat');
    expect(r.sessions[0]?.cue).toEqual([0, 1, 7]);
    expect(r.binMs).toBe(50);
    expect(r.cueAngles).toHaveLength(8);
    expect(() => odrFromMat(writeMat({ cue: 1 }), 'k.mat')).toThrow(/k.mat: missing variable 'counts'/);
    const bad = writeMat({
      counts: { data: new Float64Array(2 * 1 * 1), shape: [2, 1, 1] },
      cue: { data: Float64Array.from([1, 2]), shape: [2, 1] },
      response: { data: Float64Array.from([0, 1]), shape: [2, 1] },
      cue_angles: { data: Float64Array.from([0]), shape: [1, 1] },
    });
    expect(() => odrFromMat(bad, 'b.mat')).toThrow(/b.mat: cue index 2 is outside 1…1/);
  });
});
