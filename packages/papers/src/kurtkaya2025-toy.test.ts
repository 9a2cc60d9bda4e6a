import { describe, expect, it } from 'vitest';
import {
  TOY_CYCLE_PHASE,
  toyCriticalLrSimulated,
  toyCriticalLrSimulationTheory,
  toyCriticalLrTheory,
  toyOptimum,
  toyResponseTime,
} from './kurtkaya2025-toy';

describe('Kurtkaya et al. 2025: the toy models against their analytic solutions', () => {
  it('response times: the ghost passage 2·atan(40)/√r, the cycle reaching phase 2 at 2/ω', () => {
    for (const r of [0.01, 0.1]) expect(toyResponseTime('slow-point', r)).toBeCloseTo((2 * Math.atan(40)) / Math.sqrt(r), 2);
    for (const w of [0.05, 0.3]) expect(toyResponseTime('limit-cycle', w) / (TOY_CYCLE_PHASE / w)).toBeCloseTo(1, 5);
    expect(toyOptimum('slow-point', 20)).toBeCloseTo(Math.PI ** 2 / 400, 12);
  });

  it("the paper's laws: η_c = (π⁴/4)·T_resp·T⁻⁵ (slow point) and T_resp·T⁻³/4 (limit cycle)", () => {
    expect(toyCriticalLrTheory('slow-point', 10, 10)).toBeCloseTo((Math.PI ** 4 / 4) * 1e-4, 12);
    expect(toyCriticalLrTheory('limit-cycle', 10, 10)).toBeCloseTo(1e-3 * 2.5, 12);
  });

  it('gradient descent on the simulated toys loses stability at the analytic critical learning rate', () => {
    // bisection to 2^(−8) in log η of a ×16 bracket: ±0.5%; finite iterations bias it low by < 1%
    for (const m of ['slow-point', 'limit-cycle'] as const) {
      const sim = toyCriticalLrSimulated(m, 20, 10, { bisections: 8, iterations: 150, steps: 400 });
      expect(Math.abs(sim / toyCriticalLrSimulationTheory(m, 20, 10) - 1)).toBeLessThan(0.02);
    }
  });
});
