import { stmTask } from '@wmkit/tasks';
import { initKernels, kernels, Rng, setKernelThreads } from '@wmkit/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lossAndGradient } from './trainer';

beforeAll(async () => {
  await initKernels();
});
afterAll(() => setKernelThreads(null));

/** The trainer's read-out and loss as JavaScript computed them before the kernel (the reference). */
function reference(
  O: Float32Array,
  bOut: Float32Array,
  batch: ReturnType<ReturnType<typeof stmTask>['trials']>,
  B: number,
  T: number,
  K: number,
  end: number,
  sigmoid: boolean,
  kind: 'mse' | 'kim-l2',
) {
  const outputs = new Float32Array(B * T * K);
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++)
      for (let q = 0; q < K; q++) {
        let o = O[(t * B + b) * K + q] + bOut[q];
        if (sigmoid) o = 1 / (1 + Math.exp(-o));
        outputs[(b * T + t) * K + q] = o;
      }
  const g = new Float32Array(B * T * K);
  const losses = lossAndGradient(kind, outputs, batch, B, T, K, end, sigmoid, g);
  const dO = new Float32Array(T * B * K);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let q = 0; q < K; q++) dO[(t * B + b) * K + q] = g[(b * T + t) * K + q];
  return { outputs, dO, losses: Float64Array.from(losses) };
}

describe('Kernels.readoutLoss (the trainer read-out and loss in wasm)', () => {
  it('computes Math.exp bit for bit', () => {
    const k = kernels();
    const rng = new Rng(7);
    const u = rng.uniform(200000, -1, 1);
    const bad: number[] = [];
    for (const x of [0, -0, 1, -1, 1e-12, 709.7, 709.8, -745.1, -746, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN])
      if (!Object.is(k.jsExp(x), Math.exp(x))) bad.push(x);
    for (const s of [1, 30, 1400])
      for (const v of u) {
        const x = v * s;
        if (!Object.is(k.jsExp(x), Math.exp(x))) bad.push(x);
      }
    expect(bad).toEqual([]);
  });

  it('gives the JavaScript loop and lossAndGradient bit for bit, on 1 and 2 threads', () => {
    const task = stmTask({ delayMs: 50 });
    const T = task.timeline.steps;
    const K = task.nOutputs;
    const cues = Array.from({ length: 37 }, (_, i) => i % task.nConditions);
    const batch = task.trials(cues);
    const B = cues.length;
    const rng = new Rng(11);
    const O = rng.normal(T * B * K, 0, 3);
    const bOut = rng.normal(K, 0, 0.5);
    const k = kernels();
    for (const threads of [1, 2])
      for (const sigmoid of [true, false])
        for (const kind of ['mse', 'kim-l2'] as const)
          for (const end of [T, T - 7]) {
            setKernelThreads(threads);
            expect(k.threads).toBe(threads);
            const want = reference(O, bOut, batch, B, T, K, end, sigmoid, kind);
            k.scope(() => {
              const lossB = k.buffer(2 * B);
              const out = k.buffer(B * T * K);
              const dO = k.buffer(T * B * K);
              k.readoutLoss({
                B,
                T,
                K,
                end,
                sigmoid,
                loss: kind,
                O: k.from(O),
                bOut: k.from(bOut),
                z: k.from(batch.targets.data),
                mask: k.from(batch.mask.data),
                out,
                dO,
                lossPerTrial: lossB,
              });
              expect(out.copy()).toEqual(want.outputs);
              expect(dO.copy()).toEqual(want.dO);
              expect(new Float64Array(k.memory.buffer, lossB.ptr, B).slice()).toEqual(want.losses);
            });
          }
  });
});
