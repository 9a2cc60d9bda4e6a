import { describe, expect, it } from 'vitest';
import { detExp, detLog, detLogGamma } from './detmath';

/** Distance in units of the last place between two doubles. */
function ulps(a: number, b: number): number {
  if (a === b) return 0;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return Math.abs(a - b) / (scale * Number.EPSILON);
}

describe('deterministic exp/log', () => {
  it('detExp is within 2 ulp of Math.exp over the whole range', () => {
    let worst = 0;
    for (let i = 0; i <= 20000; i++) {
      const x = -740 + (1449 * i) / 20000;
      const want = Math.exp(x);
      if (want < 2.2250738585072014e-308) continue; // subnormal results compared below
      worst = Math.max(worst, ulps(detExp(x), want));
    }
    expect(worst).toBeLessThanOrEqual(2);
    expect(detExp(0)).toBe(1);
    expect(detExp(-746)).toBe(0);
    expect(detExp(710)).toBe(Number.POSITIVE_INFINITY);
    expect(Math.abs(detExp(-740) / Math.exp(-740) - 1)).toBeLessThan(1e-10);
  });

  it('detLog is within 2 ulp of Math.log from subnormals to the largest double', () => {
    let worst = 0;
    for (let i = 0; i <= 20000; i++) {
      const x = 10 ** (-300 + (608 * i) / 20000);
      worst = Math.max(worst, ulps(detLog(x), Math.log(x)));
    }
    for (let i = 1; i < 5000; i++) {
      const x = 0.5 + i / 5000; // near 1, where relative error is hardest
      const want = Math.log(x);
      if (want !== 0) worst = Math.max(worst, Math.abs(detLog(x) - want) / Number.EPSILON);
    }
    expect(worst).toBeLessThanOrEqual(2);
    expect(detLog(1)).toBe(0);
    expect(Math.abs(detLog(5e-324) - Math.log(5e-324))).toBeLessThan(1e-12);
    expect(detLog(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN(detLog(-1))).toBe(true);
  });

  it('detLogGamma matches ln((n−1)!) and Γ(1/2) = √π', () => {
    let fact = 1;
    for (let n = 1; n < 30; n++) {
      expect(Math.abs(detLogGamma(n) - Math.log(fact))).toBeLessThan(1e-12 * Math.max(1, Math.log(fact)));
      fact *= n;
    }
    expect(Math.abs(detLogGamma(0.5) - 0.5 * Math.log(Math.PI))).toBeLessThan(1e-13);
    expect(Math.abs(detLogGamma(1000.5) - 5908.674175848678)).toBeLessThan(1e-9); // math.lgamma(1000.5) in CPython;
  });
});
