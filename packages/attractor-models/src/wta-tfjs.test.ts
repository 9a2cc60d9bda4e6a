import { wtaInputs } from '@wmkit/tasks';
import { initBackend, Rng } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { runWtaConditions, wtaParams, wtaTrial } from './wta';
import { runWtaConditionsTfjs, wtaTrialsTfjs } from './wta-tfjs';

// WTA/nWTA on two engines: float64 JavaScript (`wtaTrial`) and TensorFlow.js ops (tfjs cpu and
// wasm backends), the same OU noise draws from each trial's stream. Noise-free trials give the same
// decision and time; noisy ones the same decisions, times within a step or two, and the same
// statistics.
beforeAll(async () => {
  await initBackend('cpu', { env: {} });
});

// The noise-free trials on both tfjs backends that ship with @wmkit/tensor (cpu, wasm).
for (const backend of ['cpu', 'wasm'] as const) {
  describe(`WTA/nWTA: reference vs tfjs engine on the tfjs ${backend} backend`, () => {
    beforeAll(async () => {
      expect((await initBackend(backend, { env: {} })).name).toBe(backend);
    });

    for (const nonlinear of [false, true]) {
      const name = nonlinear ? 'nWTA' : 'WTA';
      it(`${name}, no noise: the same decision, winner and time`, () => {
        const p = wtaParams({ nonlinear, sigma: 0 });
        const b = wtaInputs(6, { delta: 0.1 }).b;
        const a = wtaTrial(p, b, new Rng(1));
        const [t] = wtaTrialsTfjs(p, b, [new Rng(1)]);
        expect(t?.decided).toBe(a.decided);
        expect(t?.correct).toBe(a.correct);
        expect(Math.abs((t?.time as number) - a.time)).toBeLessThanOrEqual(p.dt + 1e-12);
        expect(t?.top).toBeCloseTo(a.top, 4);
      }, 60_000);
    }
  });
}

describe('WTA/nWTA: reference vs tfjs engine, noise', () => {
  beforeAll(async () => {
    await initBackend('cpu', { env: {} });
  });

  for (const nonlinear of [false, true]) {
    const name = nonlinear ? 'nWTA' : 'WTA';
    it(`${name}, with the same noise draws: the same decisions and times within two steps`, () => {
      const p = wtaParams({ nonlinear });
      const c = [{ N: 8, trials: 24, params: p }];
      const [a] = runWtaConditions(c, new Rng(4));
      const [t] = runWtaConditionsTfjs(c, new Rng(4), { chunk: 10 });
      if (!a || !t) throw new Error('no summary');
      let same = 0;
      for (let i = 0; i < 24; i++) {
        if (a.correct[i] === t.correct[i] && a.decidedMask[i] === t.decidedMask[i]) same++;
        if (a.decidedMask[i] && t.decidedMask[i])
          expect(Math.abs((a.times[i] as number) - (t.times[i] as number))).toBeLessThanOrEqual(2 * p.dt + 1e-12);
      }
      expect(same).toBeGreaterThanOrEqual(23);
      expect(Math.abs(t.meanTime - a.meanTime)).toBeLessThan(0.05 * a.meanTime);
    }, 120_000);
  }
});
