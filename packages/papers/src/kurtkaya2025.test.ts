import { noLearningCurve } from '@wmkit/analysis';
import { stmProtocol } from '@wmkit/ei-rnn';
import { initKernels } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  KURTKAYA2025_BETA,
  KURTKAYA2025_PAPER_LRS,
  type Kurtkaya2025Network,
  kurtkaya2025,
  kurtkaya2025NetworkId,
  kurtkaya2025Networks,
} from './kurtkaya2025';
import { STM_CLASS, type StmClass, type StmNetworkResult, trainStmNetwork } from './kurtkaya2025-network';
import { runTasks } from './node';

beforeAll(async () => {
  await initKernels();
});

/** A stand-in for training: a network result with only the class set (the phase analysis reads nothing else). */
const fake = (cls: StmClass) => ({ class: cls }) as StmNetworkResult;

function fakeRunner(classOf: (n: Kurtkaya2025Network) => StmClass, seen: string[] = []) {
  return async (nets: Kurtkaya2025Network[], onResult: (r: StmNetworkResult, i: number) => void) => {
    // answer out of order, as worker threads do
    for (let i = nets.length - 1; i >= 0; i--) {
      seen.push(nets[i].id);
      onResult(fake(classOf(nets[i])), i);
    }
  };
}

describe('Kurtkaya et al. 2025: the grid', () => {
  it("the paper's 30 learning rates, high to low; networks lr-major, then delay, then seed, each with the paper's protocol", () => {
    expect(KURTKAYA2025_PAPER_LRS).toHaveLength(30);
    expect(KURTKAYA2025_PAPER_LRS[0]).toBeCloseTo(0.3162, 4);
    expect(KURTKAYA2025_PAPER_LRS.at(-1)).toBeCloseTo(0.001, 6);
    const nets = kurtkaya2025Networks({ lrs: [0.1, 0.001], delays: [0, 100], seeds: 2, trialsPerCue: 4, postMs: 30 });
    expect(nets.map((n) => n.id)).toEqual([
      'lr-0.1_delay-0_seed-0',
      'lr-0.1_delay-0_seed-1',
      'lr-0.1_delay-100_seed-0',
      'lr-0.1_delay-100_seed-1',
      'lr-0.001_delay-0_seed-0',
      'lr-0.001_delay-0_seed-1',
      'lr-0.001_delay-100_seed-0',
      'lr-0.001_delay-100_seed-1',
    ]);
    expect(nets[2].config).toEqual(stmProtocol({ lr: 0.1, task: { kind: 'dcdt', delayMs: 100, postMs: 30 }, trialsPerCue: 4 }));
    expect(nets[0].config.epochs).toBe(1000); // max(1000, 30/lr)
    expect(nets[4].config.epochs).toBe(30000);
    expect(nets[0].config).toMatchObject({ momentum: 0.9, weightDecay: 1e-7, task: { cueMs: 30, responseMs: 50, dtMs: 5 } });
    expect(kurtkaya2025NetworkId(0.03, 100, 7)).toBe('lr-0.03_delay-100_seed-7');
  });

  it('bad grids are refused with the value named', () => {
    expect(() => kurtkaya2025Networks({ delays: [0, 12] })).toThrow(/delay 12 ms is not ≥ 0 and a multiple of the task's dt \(5 ms\)/);
    expect(() => kurtkaya2025Networks({ lrs: [0.1, 0] })).toThrow(/learning rate 0 is not > 0/);
    expect(() => kurtkaya2025Networks({ seeds: 0 })).toThrow(/seeds \(0\) must be an integer ≥ 1/);
  });
});

describe('Kurtkaya et al. 2025: the phase diagram', () => {
  it('fractions per cell from the classes; known networks are not trained again; every new one is reported', async () => {
    // lr 0.1: delay 0 slow point, delay 100 limit cycle for seed 0, not learned (or unstable) otherwise
    const classOf = (n: Kurtkaya2025Network): StmClass =>
      n.delay === 0
        ? STM_CLASS['slow-point']
        : n.seed === 0
          ? STM_CLASS['limit-cycle']
          : n.seed === 1
            ? STM_CLASS.unstable
            : STM_CLASS['not-learned'];
    const known = new Map<string, StmClass>([['lr-0.1_delay-100_seed-2', STM_CLASS['not-learned']]]);
    const seen: string[] = [];
    const reported: string[] = [];
    const progress: number[] = [];
    const r = await kurtkaya2025(
      { lrs: [0.1], delays: [0, 100], seeds: 4, trialsPerCue: 2, known },
      {
        runNetworks: fakeRunner(classOf, seen),
        onNetwork: (n) => reported.push(n.id),
        onProgress: (p) => progress.push(p.done),
      },
    );
    expect(seen).toHaveLength(7);
    expect(seen).not.toContain('lr-0.1_delay-100_seed-2');
    expect([...reported].sort()).toEqual([...seen].sort());
    expect(progress).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(r.trainedNow).toBe(7);
    expect(r.reused).toBe(1);
    expect(r.classes).toEqual([2, 2, 2, 2, 1, 3, 0, 0]);
    expect(r.cells).toEqual([
      { lr: 0.1, delay: 0, n: 4, notLearned: 0, lc: 0, sp: 1 },
      { lr: 0.1, delay: 100, n: 4, notLearned: 0.75, lc: 0.25, sp: 0 },
    ]);
    // two delays: too few for an onset fit, so no exponent
    expect(Number.isNaN(r.onsetFits[0].onset)).toBe(true);
    expect(r.fit).toBeNull();
    expect(r.paper).toEqual(KURTKAYA2025_BETA.nopost);
  });

  it('recovers a known critical-learning-rate exponent from onsets T_c ∝ lr^(−1/β)', async () => {
    const beta = 2.7;
    const lrs = [0.3, 0.2, 0.12, 0.08, 0.05];
    const delays = Array.from({ length: 21 }, (_, i) => 20 * i);
    const seeds = 200;
    const tc = (lr: number) => 100 * (lr / 0.1) ** (-1 / beta);
    // the share not learned follows the saturating curve from T_c (rate 0.02/ms), rounded to whole networks
    const classOf = (n: Kurtkaya2025Network): StmClass =>
      n.seed < Math.round(seeds * noLearningCurve(n.delay, tc(n.lr), 0.02)) ? STM_CLASS['not-learned'] : STM_CLASS['slow-point'];
    const r = await kurtkaya2025({ lrs, delays, seeds, trialsPerCue: 2, postMs: 30 }, { runNetworks: fakeRunner(classOf) });
    // onsets within a few ms (the fractions are quantised to 1/200 and the delays to 20 ms)
    for (const [i, f] of r.onsetFits.entries()) expect(Math.abs(f.onset - tc(lrs[i]))).toBeLessThan(6);
    expect(r.fit?.n).toBe(5);
    expect(Math.abs((r.fit?.beta as number) - beta)).toBeLessThan(0.1);
    expect(r.paper).toEqual(KURTKAYA2025_BETA.post);
    expect(r.fitLine).toHaveLength(5);
    expect(r.paperLine).toHaveLength(2);
    // the dashed line has the paper's slope: log-log slope −β
    const [a, b] = r.paperLine;
    expect(Math.log(b.lr / a.lr) / Math.log(b.tc / a.tc)).toBeCloseTo(-KURTKAYA2025_BETA.post.beta, 9);
    expect(r.onsetCurves).toHaveLength(5 * 81); // every 5 ms of 0–400, per learning rate
  });

  it('a signal stops it before any network is trained', async () => {
    const c = new AbortController();
    c.abort();
    const seen: string[] = [];
    await expect(
      kurtkaya2025({ lrs: [0.1], delays: [0] }, { signal: c.signal, runNetworks: fakeRunner(() => 2, seen) }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([]);
  });
});

describe('Kurtkaya et al. 2025: one network', () => {
  const config = { ...stmProtocol({ lr: 0.1, task: { delayMs: 0 }, trialsPerCue: 2 }), epochs: 40 };

  it('is a function of its protocol and seed: the same in this thread and as an stmCell job on a worker', async () => {
    const a = trainStmNetwork({ config, seed: 3 });
    const again = trainStmNetwork({ config, seed: 3 });
    expect(Buffer.from(again.model.w.buffer).equals(Buffer.from(a.model.w.buffer))).toBe(true);
    expect(a.loss).toHaveLength(40);
    expect(a.epochs).toBe(40);
    expect(a.class).toBe(a.outcome === 'learned' ? STM_CLASS[a.mechanism ?? 'slow-point'] : STM_CLASS[a.outcome]);
    expect(a.dynamics).toBeNull();
    const other = trainStmNetwork({ config, seed: 4 });
    expect(Buffer.from(other.model.w.buffer).equals(Buffer.from(a.model.w.buffer))).toBe(false);
    const [w] = await runTasks('stmCell', [{ config, seed: 3, engine: 'kernels' }], { workers: 1 });
    expect(Buffer.from(w.model.w.buffer).equals(Buffer.from(a.model.w.buffer))).toBe(true);
    expect(Buffer.from(w.loss.buffer).equals(Buffer.from(a.loss.buffer))).toBe(true);
    expect(w.class).toBe(a.class);
  });

  it('with dynamics: both cues on 3 PCs and the fixed points of the zero-input map', () => {
    const r = trainStmNetwork({ config, seed: 3, dynamics: true });
    const d = r.dynamics;
    expect(d).not.toBeNull();
    if (!d) return;
    expect(d.nCues).toBe(2);
    expect(d.T).toBe(9 * (30 / 5 + 50 / 5));
    expect(d.projection).toHaveLength(2 * d.T * 3);
    const explained = d.explained[0] + d.explained[1] + d.explained[2];
    expect(explained).toBeGreaterThan(0);
    expect(explained).toBeLessThanOrEqual(1 + 1e-9);
    expect(d.pointsProjection).toHaveLength(3 * d.points.length);
  });
});
