import { logisticCurve, noLearningCurve } from '@wmkit/analysis';
import { describe, expect, it } from 'vitest';
import {
  KURTKAYA2025_BETA_NO_MEMORY,
  KURTKAYA2025_BETA_SP,
  type Kurtkaya2025Network,
  kurtkaya2025,
  kurtkaya2025SweepSpec,
} from './kurtkaya2025';
import { kurtkaya2025LossByClass, kurtkaya2025PsdRatios } from './kurtkaya2025-classes';
import { kurtkaya2025ExponentLines, kurtkaya2025Exponents } from './kurtkaya2025-exponents';
import { STM_CLASS, type StmClass, type StmNetworkResult } from './kurtkaya2025-network';

/** A stand-in for training: the class, a power ratio and a loss curve set per network. */
function runner(of: (n: Kurtkaya2025Network) => Partial<StmNetworkResult>) {
  return async (nets: Kurtkaya2025Network[], onResult: (r: StmNetworkResult, i: number) => void) => {
    for (let i = nets.length - 1; i >= 0; i--) onResult(of(nets[i]) as StmNetworkResult, i);
  };
}

describe('Kurtkaya et al. 2025: the two scaling branches', () => {
  it('recovers planted exponents: slow-point boundary T_SP ∝ lr^(−1/4), no-learning onset T_c ∝ lr^(−1/2.7)', async () => {
    const lrs = [0.3, 0.1, 0.03, 0.01, 0.003];
    const delays = Array.from({ length: 21 }, (_, i) => 20 * i);
    const seeds = 200;
    const tSp = (lr: number) => 40 * (lr / 0.1) ** (-1 / 4);
    const tc = (lr: number) => 150 * (lr / 0.1) ** (-1 / 2.7);
    // per cell: the first seeds not learned (saturating from T_c), the next slow points (logistic from T_SP), the rest limit cycles
    const classOf = (n: Kurtkaya2025Network): StmClass => {
      const nl = Math.round(seeds * noLearningCurve(n.delay, tc(n.lr), 0.02));
      const sp = Math.round(seeds * logisticCurve(n.delay, tSp(n.lr), -0.08));
      return n.seed < nl ? STM_CLASS['not-learned'] : n.seed < nl + sp ? STM_CLASS['slow-point'] : STM_CLASS['limit-cycle'];
    };
    // the slow points of a cell are counted over all its networks, so the planted logistic holds while no network fails
    const r = await kurtkaya2025({ lrs, delays, seeds, trialsPerCue: 2 }, { runNetworks: runner((n) => ({ class: classOf(n) })) });
    const ex = kurtkaya2025Exponents(r);
    for (const [i, b] of ex.slowPoint.boundaries.entries()) expect(Math.abs(b.t - tSp(lrs[i]))).toBeLessThan(4);
    expect(Math.abs((ex.slowPoint.fit?.beta as number) - 4)).toBeLessThan(0.15);
    expect(Math.abs((ex.noLearning.fit?.beta as number) - 2.7)).toBeLessThan(0.15);
    expect(ex.slowPoint.paper).toEqual(KURTKAYA2025_BETA_SP);
    const [lo, hi] = ex.slowPoint.ci as [number, number];
    expect(lo).toBeLessThan(ex.slowPoint.fit?.beta as number);
    expect(hi).toBeGreaterThan(ex.slowPoint.fit?.beta as number);
    // the 95% CI is β ± t(0.975, n − 2)·SE; t(0.975, 3) = 3.182
    expect((hi - lo) / 2 / (ex.slowPoint.fit?.slopeSe as number)).toBeCloseTo(3.1824, 3);
    const lines = kurtkaya2025ExponentLines(ex);
    expect(lines[0]).toMatch(/^Slow-point-manifold boundary .*β = [34]\.\d\d ± .*95% CI .*paper 4\.05 ± 0\.10/);
    expect(lines[1]).toMatch(/^No-learning boundary .*β = 2\.\d\d/);
  });

  it('no slow-point boundary where the fraction never crosses ½; no fit from fewer than 3 learning rates', async () => {
    const r = await kurtkaya2025(
      { lrs: [0.1, 0.01], delays: [0, 100, 200], seeds: 2, trialsPerCue: 2 },
      { runNetworks: runner(() => ({ class: STM_CLASS['slow-point'] })) },
    );
    const ex = kurtkaya2025Exponents(r);
    expect(ex.slowPoint.boundaries.every((b) => Number.isNaN(b.t))).toBe(true);
    expect(ex.slowPoint.fit).toBeNull();
    expect(kurtkaya2025ExponentLines(ex)[0]).toMatch(/no fit \(0 learning rates with a boundary/);
  });
});

describe('Kurtkaya et al. 2025: power ratio and loss by class, the other tasks, the sweep spec', () => {
  it('the power ratios per class with the fitted densities; the loss per class (mean ± SEM)', async () => {
    const classOf = (n: Kurtkaya2025Network): StmClass =>
      n.seed % 3 === 0 ? STM_CLASS['limit-cycle'] : n.seed % 3 === 1 ? STM_CLASS['slow-point'] : STM_CLASS['not-learned'];
    const r = await kurtkaya2025(
      { lrs: [0.1], delays: [0, 100], seeds: 6, trialsPerCue: 2 },
      {
        runNetworks: runner((n) => {
          const cls = classOf(n);
          return {
            class: cls,
            psdRatio: cls === STM_CLASS['limit-cycle'] ? 0.1 + 0.02 * n.seed : cls === STM_CLASS['slow-point'] ? 0.9 : null,
            loss: Float32Array.from({ length: 1200 }, (_, e) => ((cls + 1) * (1 + n.seed)) / (1 + e)),
          };
        }),
      },
    );
    expect(r.losses.every((l) => l?.length === 1000)).toBe(true);
    const p = kurtkaya2025PsdRatios(r);
    expect(p.lc.sort()).toEqual([0.1, 0.1, 0.16, 0.16]);
    expect(p.sp).toEqual([0.9, 0.9, 0.9, 0.9]);
    expect(1 / p.lcRate).toBeCloseTo(0.13, 9);
    expect(p.spMean).toBeCloseTo(0.9, 9);
    // each class's histogram integrates to 1
    for (const cls of ['limit cycle', 'slow-point manifold'])
      expect(p.histogram.filter((h) => h.cls === cls).reduce((a, h) => a + h.density * (h.x1 - h.x0), 0)).toBeCloseTo(1, 9);
    const l = kurtkaya2025LossByClass(r, { every: 100 });
    expect(l?.counts).toEqual({ 'not learned': 4, 'limit cycle': 4, 'slow-point manifold': 4 });
    // epoch 0, limit cycles (class 1): seeds 0 and 3 at both delays, loss 2·(1 + seed)
    const lc0 = l?.curves.find((c) => c.cls === 'limit cycle' && c.epoch === 0);
    expect(lc0?.mean).toBeCloseTo((2 + 8 + 2 + 8) / 4, 6);
    expect((lc0?.hi as number) - (lc0?.mean as number)).toBeCloseTo(Math.sqrt(12) / 2, 5); // SD √12 over √4
  });

  it('the delayed-activation and no-memory tasks: their protocol, and the paper value of each', async () => {
    const da = await kurtkaya2025(
      { lrs: [0.1], delays: [0], seeds: 1, trialsPerCue: 2, task: 'delayed-activation' },
      { runNetworks: runner(() => ({ class: 2 })) },
    );
    expect(da.networks[0].config.task.kind).toBe('delayed-activation');
    expect(da.networks[0].config.model).toMatchObject({ nInputs: 1, nOutputs: 1 });
    expect(da.task).toBe('delayed-activation');
    expect(da.paper).toBeNull();
    const nm = await kurtkaya2025(
      { lrs: [0.1], delays: [0], seeds: 1, trialsPerCue: 2, task: 'no-memory' },
      { runNetworks: runner(() => ({ class: 2 })) },
    );
    expect(nm.networks[0].config.task.kind).toBe('no-memory');
    expect(nm.paper).toEqual(KURTKAYA2025_BETA_NO_MEMORY);
    await expect(kurtkaya2025({ task: 'recall' as 'dcdt' })).rejects.toThrow(/task 'recall' is not dcdt, delayed-activation or no-memory/);
  });

  it('the sweep spec records the engine and the task', () => {
    const spec = kurtkaya2025SweepSpec(
      { lrs: [0.1], delays: [0, 100], seeds: 2, trialsPerCue: 4, postMs: 0, task: 'dcdt' },
      'stm-rnn',
      'tfjs',
    );
    const cmd = spec.command as string[];
    expect(cmd[cmd.indexOf('--engine') + 1]).toBe('tfjs');
    expect(cmd[cmd.indexOf('--task') + 1]).toBe('dcdt');
    expect(spec).toMatchObject({ kind: 'stm-rnn', grid: { lr: [0.1], delay: [0, 100] }, seeds: 2 });
  });
});
