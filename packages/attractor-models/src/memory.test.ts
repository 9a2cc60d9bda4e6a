import { describe, expect, it } from 'vitest';
import { estimateRingSimulationBytes } from './memory';
import { WIMMER2014_MODELS } from './params';

describe('estimateRingSimulationBytes', () => {
  const bump = WIMMER2014_MODELS.bump;
  it('is linear in the trials, with the delay rates of the NE cells per trial', () => {
    const one = estimateRingSimulationBytes(bump, { trials: 1000, delayMs: 1000 });
    const two = estimateRingSimulationBytes(bump, { trials: 2000, delayMs: 1000 });
    const perTrial = (two - one) / 1000;
    expect(perTrial).toBeGreaterThan(2 * 4 * bump.NE);
    expect(perTrial).toBeLessThan(2 * 4 * bump.NE * 2);
  });

  it('10⁹ trials ask for terabytes', () => {
    expect(estimateRingSimulationBytes(bump, { trials: 1e9, delayMs: 100 })).toBeGreaterThan(4e12);
  });
});
