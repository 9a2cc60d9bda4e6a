import { stmTask } from '@wmkit/tasks';
import { initBackend, initKernels, Rng } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStmRnn, KURTKAYA2025_RNN, stmEpochs, trainStm } from './stm';

beforeAll(async () => {
  await initBackend('cpu');
  await initKernels();
});

describe('Kurtkaya et al. short-term-memory networks', () => {
  it('the spec network: tanh current form, α = 0.5, zero W_rec diagonal; epochs = max(1000, 30/lr)', () => {
    const m = createStmRnn(KURTKAYA2025_RNN, new Rng(1));
    for (let i = 0; i < 100; i++) expect(m.w[i * 100 + i]).toBe(0);
    expect(KURTKAYA2025_RNN).toMatchObject({
      N: 100,
      transfer: 'tanh',
      form: 'current',
      tau: { kind: 'fixed', alpha: 0.5 },
      readout: 'sigmoid',
    });
    expect(stmEpochs(0.1)).toBe(1000);
    expect(stmEpochs(0.001)).toBe(30000);
  });

  it('reduced reproduction: a 100-ms DCDT is learned at lr 0.1 within 200 epochs (8 trials per cue)', () => {
    // measured once: first epoch with accuracy and reliability > 0.8 is ~17; 200 leaves room for other seeds
    const r = trainStm(stmTask({ delayMs: 100 }), KURTKAYA2025_RNN, new Rng(1), { lr: 0.1, epochs: 200, trialsPerCue: 8 });
    expect(r.divergedAt).toBe(-1);
    expect(r.accuracy[199]).toBe(1);
    expect(r.reliability[199]).toBeGreaterThan(0.8);
    expect(r.loss[199]).toBeLessThan(r.loss[0]);
  });

  it('refuses a task whose channels do not match the network', () => {
    expect(() => trainStm(stmTask({ kind: 'delayed-activation' }), KURTKAYA2025_RNN, new Rng(1), { lr: 0.1, epochs: 1 })).toThrow(
      /the task has 1 inputs and 1 outputs but the network has 2 and 2/,
    );
  });
});
