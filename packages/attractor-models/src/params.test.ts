import { describe, expect, it } from 'vitest';
import { parseRingModelParams, ringModel, ringModelParamsSchema, WIMMER2014_MODELS } from './params';

describe('ring model parameters (schema)', () => {
  it('the three published models are valid as they stand, and keep their field order', () => {
    for (const p of Object.values(WIMMER2014_MODELS)) {
      expect(ringModelParamsSchema.parse(p)).toEqual(p);
      expect(Object.keys(ringModel(p.name))).toEqual(Object.keys(p));
    }
  });

  it('overrides merge onto the model; connectivity and intrinsic merge field by field', () => {
    const p = ringModel('bump', { sigmaE: 2 });
    expect(p.sigmaE).toBe(2);
    expect(p.GEE).toBe(6);
    const k = parseRingModelParams({ connectivity: { kappa: 3 } }, WIMMER2014_MODELS.bump);
    expect(k.connectivity).toEqual({ kind: 'circulant', kappa: 3 });
    const d = parseRingModelParams({ intrinsic: { a: 0.5 } }, WIMMER2014_MODELS.decaying);
    expect(d.intrinsic).toEqual({ tauMs: 300, a: 0.5 });
    const none = parseRingModelParams({ connectivity: { kind: 'none' } }, WIMMER2014_MODELS.bump);
    expect(none.connectivity).toEqual({ kind: 'none' });
  });

  it('refuses unknown fields with the list of valid ones, and out-of-range values by name', () => {
    expect(() => ringModel('bump', { sigma: 1 } as never)).toThrow(
      /'sigma': not a field of this config \(the fields: name, NE, NI, .*sigmaE/,
    );
    expect(() => ringModel('bump', { sigmaE: -1 })).toThrow(/'sigmaE': /);
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
      ringModel('bump', { sigmaE: Number.NaN });
    } catch (e) {
      expect((e as Error).name).toBe('ConfigError');
    }
  });
});
