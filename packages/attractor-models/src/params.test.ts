import { describe, expect, it } from 'vitest';
import {
  intrinsicGate,
  legacyNoiseFields,
  parseRingModelParams,
  ringModel,
  ringModelParamsSchema,
  ringNoisePerStep,
  WIMMER2014_MODELS,
} from './params';

describe('ring model parameters (schema)', () => {
  it('the three published models are valid as they stand, and keep their field order', () => {
    for (const p of Object.values(WIMMER2014_MODELS)) {
      expect(ringModelParamsSchema.parse(p)).toEqual(p);
      expect(Object.keys(ringModel(p.name))).toEqual(Object.keys(p));
    }
  });

  it('overrides merge onto the model; connectivity and intrinsic merge field by field', () => {
    const p = ringModel('bump', { sigmaESqrtMs: 2 });
    expect(p.sigmaESqrtMs).toBe(2);
    expect(p.GEE).toBe(6);
    const k = parseRingModelParams({ connectivity: { kappa: 3 } }, WIMMER2014_MODELS.bump);
    expect(k.connectivity).toEqual({ kind: 'circulant', kappa: 3 });
    const d = parseRingModelParams({ intrinsic: { a: 0.5 } }, WIMMER2014_MODELS.decaying);
    expect(d.intrinsic).toEqual({ tauMs: 300, a: 0.5, gateSlope: 2, gateThreshold: 2 });
    const none = parseRingModelParams({ connectivity: { kind: 'none' } }, WIMMER2014_MODELS.bump);
    expect(none.connectivity).toEqual({ kind: 'none' });
  });

  it('refuses unknown fields with the list of valid ones, and out-of-range values by name', () => {
    expect(() => ringModel('bump', { sigma: 1 } as never)).toThrow(
      /'sigma': not a field of this config \(the fields: name, NE, NI, .*sigmaESqrtMs/,
    );
    expect(() => ringModel('bump', { sigmaESqrtMs: -1 })).toThrow(/'sigmaESqrtMs': /);
    expect(() => ringModel('bump', { NE: 4 })).toThrow(/'NE': /);
    expect(() => ringModel('bump', { dtMs: 20 })).toThrow(/'dtMs': dt\/τ_I = 2 > 1 is unstable/);
    expect(() => ringModel('discrete', { NE: 100 })).toThrow(/NE \(100\) must be a multiple of the 8 populations/);
    expect(() => parseRingModelParams({ connectivity: { kind: 'circulant', kapa: 1 } }, WIMMER2014_MODELS.bump)).toThrow(
      /'connectivity.kapa': not a field/,
    );
    expect(() => parseRingModelParams([1], WIMMER2014_MODELS.bump, 'x.json')).toThrow(
      'x.json: ring model parameters must be an object, got an array',
    );
    try {
      ringModel('bump', { sigmaESqrtMs: Number.NaN });
    } catch (e) {
      expect((e as Error).name).toBe('ConfigError');
    }
  });
});

describe('ring model noise in √ms', () => {
  it("at the scripts' dt of 2 ms each step draws exactly the scripts' per-step SDs", () => {
    const scripts = { bump: [1, 3], discrete: [12, 3], decaying: [5, 3] } as const;
    for (const [name, [e, i]] of Object.entries(scripts)) {
      const p = ringModel(name);
      expect(p.dtMs).toBe(2);
      expect(ringNoisePerStep(p)).toEqual({ sigE: e, sigI: i }); // bit for bit, so the scripts' results are kept
    }
  });

  it('the per-step SD scales with √dt, so the variance per ms does not depend on dt', () => {
    const p = ringModel('bump');
    for (const dtMs of [0.5, 1, 2]) {
      const { sigE, sigI } = ringNoisePerStep({ ...p, dtMs });
      // variance added to r_E per ms: (s·dt/τ)²/dt = σ²/τ²
      expect(((sigE * dtMs) / p.tauEMs) ** 2 / dtMs).toBeCloseTo(p.sigmaESqrtMs ** 2 / p.tauEMs ** 2, 12);
      expect(((sigI * dtMs) / p.tauIMs) ** 2 / dtMs).toBeCloseTo(p.sigmaISqrtMs ** 2 / p.tauIMs ** 2, 12);
    }
  });

  it('refuses the old per-step fields with the conversion', () => {
    expect(() => ringModel('bump', { sigmaE: 1 } as never)).toThrow(
      "ring model 'bump': 'sigmaE' (noise SD per step) is now 'sigmaESqrtMs', in √ms: sigmaESqrtMs = sigmaE·√dtMs (sigmaE 1 per 2-ms step = sigmaESqrtMs 1.41421)",
    );
    expect(legacyNoiseFields({ sigmaI: 3, dtMs: 1 }, 2)).toMatch(/'sigmaI' .* \(sigmaI 3 per 1-ms step = sigmaISqrtMs 3\)/);
    expect(legacyNoiseFields({ sigmaESqrtMs: 1 }, 2)).toBeNull();
  });
});

describe('the decaying bump gate', () => {
  it("defaults to the script's r/(1 + e^{−2(r − 2)}) and takes its slope and threshold as parameters", () => {
    const m = ringModel('decaying').intrinsic!;
    expect(m).toEqual({ tauMs: 300, a: 0.85, gateSlope: 2, gateThreshold: 2 });
    for (const r of [0, 0.5, 2, 3.7]) expect(intrinsicGate(r, m)).toBe(r / (1 + Math.exp(-2 * (r - 2))));
    expect(intrinsicGate(3, { ...m, gateThreshold: 3 })).toBe(1.5); // half-point at the threshold
    const steep = { ...m, gateSlope: 1e3 };
    expect(intrinsicGate(1.9, steep)).toBeCloseTo(0, 9); // a step at the threshold
    expect(intrinsicGate(2.1, steep)).toBeCloseTo(2.1, 9);
    expect(() => ringModel('decaying', { intrinsic: { gateSlope: Number.NaN } } as never)).toThrow(/'intrinsic.gateSlope'/);
  });
});
