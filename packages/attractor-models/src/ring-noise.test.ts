import { angleDifference } from '@wmkit/analysis';
import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { ringModel } from './params';
import { simulateRing } from './ring';

/**
 * The bump's diffusion constant D (rad²/s) from the growth of the decoded angle's variance over
 * the delay, Var[θ(t + L) − θ(t)] = 2·D·L, pooled over non-overlapping lags L of each trial, with
 * its standard error from the spread of the per-trial estimates (trials are independent; lags
 * within a trial need not be).
 */
function diffusionConstant(sim: ReturnType<typeof simulateRing>, fromMs: number, toMs: number, lagMs: number) {
  const T = sim.angles.shape[1] as number;
  const idx = [...sim.recordTimesMs.keys()].filter((i) => sim.recordTimesMs[i] >= fromMs && sim.recordTimesMs[i] <= toMs);
  const lag = Math.round(lagMs / (sim.recordTimesMs[0] as number));
  const perTrial: number[] = [];
  for (let b = 0; b < sim.trials; b++) {
    let s = 0;
    let n = 0;
    for (let q = 0; q + lag < idx.length; q += lag) {
      const d = angleDifference(sim.angles.data[b * T + idx[q + lag]], sim.angles.data[b * T + idx[q]]);
      s += (d * d) / (2 * (lagMs / 1000));
      n++;
    }
    perTrial.push(s / n);
  }
  const D = perTrial.reduce((a, x) => a + x, 0) / perTrial.length;
  const sd = Math.sqrt(perTrial.reduce((a, x) => a + (x - D) ** 2, 0) / (perTrial.length - 1));
  return { D, se: sd / Math.sqrt(perTrial.length) };
}

describe('ring noise in √ms', () => {
  it("halving dt leaves the bump's diffusion constant unchanged (within sampling error)", () => {
    // A reduced ring (N_E = N_I = 128: the same bump, faster diffusion, 4× cheaper), 256 trials
    // per dt, the decoded angle every 50 ms over 1600–2500 ms of a 1-s delay, lags of 100 ms.
    const trials = 256;
    const run = (dtMs: number) =>
      diffusionConstant(
        simulateRing(ringModel('bump', { NE: 128, NI: 128, dtMs }), { trials, delayMs: 1000 }, new Rng(11)),
        1600,
        2500,
        100,
      );
    const at2 = run(2);
    const at1 = run(1);
    const seDiff = Math.hypot(at2.se, at1.se);
    // the tolerance, 4 standard errors of the difference, must be able to tell the per-step noise
    // of before (which at dt = 1 ms would halve D) from the process kept: set it before comparing
    expect(4 * seDiff).toBeLessThan(0.25 * at2.D);
    expect(Math.abs(at1.D - at2.D)).toBeLessThan(4 * seDiff);
  });
});
