import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { compteConfig, parseCompteConfig } from './config';
import { concatCompteSimulations, summarizeCompte } from './experiment';
import { denseRingMatrix, jMinus, ringConvolver, ringFootprint } from './network';
import { compteProtocol } from './protocol';
import { simulateCompte } from './simulate';

describe('Compte 2000 ring structure', () => {
  it('J− makes the footprint average 1 over the ring', () => {
    for (const [jp, sig] of [
      [1.6, 20],
      [1.62, 14.4],
      [3, 40],
    ]) {
      const w = ringFootprint(2048, jp, sig);
      expect(w.reduce((a, v) => a + v, 0) / w.length).toBeCloseTo(1, 6);
      expect(jMinus(jp, sig)).toBeLessThan(1);
    }
  });

  it('the FFT and Fourier-mode convolutions equal the dense product to round-off', () => {
    for (const N of [64, 60]) {
      const W = denseRingMatrix(N, 1.6, 20);
      const rng = new Rng(5);
      const s = rng.fillUniform(new Float64Array(N));
      const want = new Float64Array(N);
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) want[i] += W[i * N + j] * s[j];
      for (const method of ['fft', 'modes'] as const) {
        const conv = ringConvolver(ringFootprint(N, 1.6, 20), method);
        const out = new Float64Array(N);
        conv.convolve(s, out);
        for (let i = 0; i < N; i++) expect(Math.abs(out[i] - want[i])).toBeLessThan(1e-11 * N);
      }
    }
  });

  it('puts a bin edge on the cue offset and reads the memory out in the last delay bin', () => {
    const pr = compteProtocol(compteConfig());
    expect(Array.from(pr.binEdgesMs)).toContain(1250);
    expect(pr.binEdgesMs[pr.endOfDelayBin + 1]).toBe(3250);
    expect(pr.steps).toBe(65000);
  });
});

describe('Compte 2000 configuration errors', () => {
  const cases: [unknown, RegExp][] = [
    [{ connectivity: { gEEns: -0.1 } }, /'connectivity\.gEEns': must be ≥ 0/],
    [{ connectivity: { sigmaDeg: 0 } }, /'connectivity\.sigmaDeg': must be > 0/],
    [
      { protocol: { distractor: { angleDeg: 400, ampNa: 0.2, onsetMs: 500, durationMs: 250 } } },
      /'protocol\.distractor\.angleDeg': must be in \[0, 360\)/,
    ],
    [{ dtMs: 0.5 }, /'dtMs' \(0\.5 ms\) is too large for the NMDA rise/],
    [{ protocol: { distractor: { angleDeg: 90, ampNa: 0.2, onsetMs: 1900, durationMs: 250 } } }, /must end within the delay/],
    [{ connectivty: {} }, /'connectivty': not a field/],
  ];
  for (const [input, msg] of cases)
    it(`rejects ${JSON.stringify(input)}`, () => {
      expect(() => parseCompteConfig(input)).toThrow(msg);
      try {
        parseCompteConfig(input);
      } catch (e) {
        expect((e as Error).name).toBe('ConfigError');
        expect((e as Error).message).not.toContain('\n');
      }
    });
});

describe('Compte 2000 simulation', () => {
  const small = compteConfig('ndx3', { NE: 128, NI: 32, protocol: { preCueMs: 200, cueMs: 100, delayMs: 200 }, binMs: 100 });

  it('same seed → identical spikes; trials do not depend on how they are split', () => {
    const a = simulateCompte(small, { trials: 2, rasterTrials: 2 }, new Rng(7));
    const b = simulateCompte(small, { trials: 2, rasterTrials: 2 }, new Rng(7));
    expect(a.rasters[0].cells.length).toBeGreaterThan(0);
    expect(Array.from(a.rasters[1].cells)).toEqual(Array.from(b.rasters[1].cells));
    expect(Array.from(a.rasters[1].timesMs)).toEqual(Array.from(b.rasters[1].timesMs));
    const second = simulateCompte(small, { trials: 1, firstTrial: 1 }, new Rng(7));
    const joined = concatCompteSimulations([simulateCompte(small, { trials: 1 }, new Rng(7)), second]);
    expect(Array.from(joined.countsE.data)).toEqual(Array.from(a.countsE.data));
    const other = simulateCompte(small, { trials: 1 }, new Rng(8));
    expect(Array.from(other.countsE.data)).not.toEqual(Array.from(a.countsE.data.subarray(0, other.countsE.data.length)));
  });

  it('summarises rates, bump and errors without NaN where spikes exist', () => {
    const sim = simulateCompte(small, { trials: 2 }, new Rng(3));
    const s = summarizeCompte(sim);
    expect(s.baselineHz.E).toBeGreaterThanOrEqual(0);
    expect(s.baselineHz.I).toBeGreaterThan(0);
    expect(s.endErrorDeg.length).toBe(2);
    expect(sim.decodedDeg.shape).toEqual([2, sim.protocol.nBins]);
  });
});
