import { describe, expect, it } from 'vitest';
import { kriener2020NoiseBreakdown } from './kriener2020';

describe('kriener2020 noise breakdown (mean field)', () => {
  const r = kriener2020NoiseBreakdown({ sizes: [2, 16, 128, 1024], sigmas: [0, 0.05, 0.1, 0.2, 0.3] });

  it('without noise the winner sits at b/(1 − α) = 2 and the losers are silent (α 0.5, β 0.6, Δ 0.05)', () => {
    // loser input 0.95 − β·2 = −0.25 < 0 is rectified to 0, so x_w = α x_w + 1 → x_w = 2
    for (const N of r.sizes) {
      const q = r.points.find((x) => x.N === N && x.sigma === 0);
      expect(q?.winner).toBeCloseTo(2, 8);
      expect(q?.loser).toBeCloseTo(0, 8);
      expect(q?.wta).toBe(true);
    }
  });

  it('the critical noise falls with N and the largest network loses its winner within the grid', () => {
    const crit = r.critical.map((c) => c.sigma ?? Number.POSITIVE_INFINITY);
    for (let i = 1; i < crit.length; i++) expect(crit[i]).toBeLessThanOrEqual(crit[i - 1] as number);
    expect(r.critical.at(-1)?.sigma).not.toBeNull();
    expect(crit[0]).toBeGreaterThan(crit.at(-1) as number);
  });
});
