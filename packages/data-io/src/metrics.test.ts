import { describe, expect, it } from 'vitest';
import { METRICS, metricInfo, metricLabel } from './metrics';

describe('metric registry', () => {
  it('labels known metrics with their units', () => {
    expect(metricLabel('responseSdDeg')).toBe('response SD (deg)');
    expect(metricLabel('diffusionSlopeDeg2PerS')).toBe('diffusion (deg²/s)');
    expect(metricLabel('loss')).toBe('loss');
    expect(metricInfo('accuracy').description).toMatch(/evaluation trials/);
  });

  it('reads the unit of an unlisted metric from its name', () => {
    expect(metricInfo('delayRateEHz')).toEqual({ label: 'delay rate e', unit: 'Hz', description: '' });
    expect(metricLabel('driftSlopeLateDeg2PerS')).toBe('drift slope late (deg²/s)');
    expect(metricLabel('firstSolvedAt')).toBe('first solved at');
    expect(metricLabel('simulatedSecondsPerSecond')).toBe('simulated seconds (/s)');
  });

  it('every registered metric has a label and a description', () => {
    for (const [name, m] of Object.entries(METRICS)) {
      expect(m.label, name).not.toBe('');
      expect(m.description, name).not.toBe('');
    }
  });
});
