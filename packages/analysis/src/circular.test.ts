import { describe, expect, it } from 'vitest';
import { angleDifference, circularMean, circularVariance, resultantLength, wrapAngle } from './circular';

describe('circular statistics', () => {
  it('wraps angles to (−π, π]', () => {
    expect(wrapAngle(Math.PI)).toBeCloseTo(Math.PI);
    expect(wrapAngle(-Math.PI)).toBeCloseTo(Math.PI);
    expect(wrapAngle(3 * Math.PI + 0.5)).toBeCloseTo(-Math.PI + 0.5);
    expect(wrapAngle(-0.25)).toBe(-0.25);
  });

  it('signed difference across the ±π seam', () => {
    expect(angleDifference(Math.PI - 0.1, -Math.PI + 0.1)).toBeCloseTo(-0.2);
    expect(angleDifference(-Math.PI + 0.1, Math.PI - 0.1)).toBeCloseTo(0.2);
  });

  it('mean of angles straddling the seam is π, not 0', () => {
    expect(Math.abs(circularMean([Math.PI - 0.2, -Math.PI + 0.2]))).toBeCloseTo(Math.PI);
    expect(circularMean([0.1, -0.1, 0.3])).toBeCloseTo(Math.atan2(Math.sin(0.3), 2 * Math.cos(0.1) + Math.cos(0.3)));
  });

  it('resultant length: 1 for identical angles, 0 for opposite, known value for a uniform ring', () => {
    expect(resultantLength([1, 1, 1])).toBeCloseTo(1);
    expect(resultantLength([0, Math.PI])).toBeCloseTo(0);
    const ring = Array.from({ length: 8 }, (_, k) => (2 * Math.PI * k) / 8);
    expect(resultantLength(ring)).toBeCloseTo(0);
    expect(circularVariance(ring)).toBeCloseTo(1);
    // weights concentrated on one cue: R = 1
    expect(resultantLength(ring, [0, 0, 5, 0, 0, 0, 0, 0])).toBeCloseTo(1);
    expect(circularMean(ring, [0, 0, 5, 0, 0, 0, 0, 0])).toBeCloseTo(Math.PI / 2);
  });

  it('mismatched weights are a clear error', () => {
    expect(() => circularMean([1, 2], [1])).toThrow('circular statistics: 2 angles but 1 weights');
  });
});
