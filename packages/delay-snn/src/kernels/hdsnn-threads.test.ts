import { createHash } from 'node:crypto';
import { kernelThreadSupport, Rng, setKernelThreads } from '@wmkit/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { HdSnnEngine } from '../engine';
import type { SpikeEvents } from '../events';
import { hdSnnKernels } from './hdsnn-kernel';

// Up to 3 kernel threads: the module takes its threaded build when first used with more than one.
setKernelThreads(3);
afterAll(() => setKernelThreads(null));

// N = 50: blocks of 16 neurons split 32/16/2 on 3 threads, a last block of 2 (not a multiple of 4).
const N = 50;
const D = 5;
const steps = 60;
const tStart = D;

/** Random input spikes per step (each neuron with probability p). */
function inputEvents(seed: number, p: number): SpikeEvents {
  const rng = new Rng(seed);
  const off = new Int32Array(steps + 1);
  const idx: number[] = [];
  for (let t = 0; t < steps; t++) {
    off[t] = idx.length;
    for (let j = 0; j < N; j++) if (rng.random() < p) idx.push(j);
  }
  off[steps] = idx.length;
  return { steps, off, idx: Int32Array.from(idx) };
}

/**
 * Forward passes (a batch of three with dropout and records, single ones without, and a saturated
 * network whose current takes the complement form) and truncated backward passes of the batch for
 * both resets; a digest of the spikes, the dropout generators' states and the accumulated weight
 * gradient.
 */
function digest(): string {
  const h = createHash('sha256');
  const engine = new HdSnnEngine({ N, D, steps, slots: 3, train: { optimizer: 'sgd', full: false, params: false } });
  try {
    for (const [mean, label] of [
      [-0.02, 'active'],
      [0.08, 'saturated'],
    ] as const) {
      engine.setWeights(new Rng(label === 'active' ? 5 : 6).normal([N * D * N], mean, 0.3));
      engine.zeroGrad();
      for (const reset of ['subtract', 'zero'] as const) {
        const o = { beta: 0.7, threshold: 0.8, reset, tStart };
        const rngs = [0, 1, 2].map((m) => new Rng(9).fork(String(m)));
        const owns = engine.forwardBatch(
          [0, 1, 2].map((m) => inputEvents(20 + m, 0.05)),
          { ...o, dropout: 0.3, rngs, record: true },
        );
        for (const own of owns) h.update(new Uint8Array(own.off.buffer)).update(new Uint8Array(own.idx.buffer.slice(0)));
        for (const rng of rngs) h.update(new Uint8Array(rng.getState().buffer.slice(0)));
        const targets = [0, 1, 2].map((m) => inputEvents(40 + m, 0.1));
        engine.backwardBatch(targets, { ...o, slope: 5, gPos: -1.5, gNeg: 0.25, scoreFrom: tStart, scoreTo: steps, full: false });
        const plain = engine.forward(inputEvents(30, 0.05), o);
        h.update(new Uint8Array(plain.off.buffer)).update(new Uint8Array(plain.idx.buffer.slice(0)));
      }
      h.update(new Uint8Array(engine.gradient().buffer));
      engine.sgdStep({ lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 1e-3, first: true });
      h.update(new Uint8Array(engine.getWeights().buffer));
      h.update(`${engine.maxAbsWeight()} ${engine.gradientIsFinite()}`);
    }
  } finally {
    engine.dispose();
  }
  return h.digest('hex').slice(0, 16);
}

describe('HD-SNN kernel on several threads', () => {
  it('uses its threaded build here where the runtime supports threads', () => {
    expect(hdSnnKernels().threads).toBe(kernelThreadSupport().ok ? 3 : 1);
  });

  it('gives byte-identical spikes, dropout draws, weight gradients and SGD steps on 1, 2 and 3 threads', () => {
    const byThreads = [1, 2, 3].map((n) => {
      setKernelThreads(n);
      return digest();
    });
    expect(byThreads[1]).toBe(byThreads[0]);
    expect(byThreads[2]).toBe(byThreads[0]);
  });

  it('runs a batch as the same passes one pattern at a time (spikes, records, gradient, generators)', () => {
    setKernelThreads(3);
    const engine = new HdSnnEngine({ N, D, steps, slots: 3, train: { optimizer: 'sgd', full: false, params: false } });
    try {
      engine.setWeights(new Rng(5).normal([N * D * N], -0.02, 0.3));
      const o = { beta: 0.7, threshold: 0.8, reset: 'subtract' as const, tStart, dropout: 0.3, record: true };
      const inputs = [0, 1, 2].map((m) => inputEvents(20 + m, 0.05));
      const targets = [0, 1, 2].map((m) => inputEvents(40 + m, 0.1));
      const bo = { ...o, slope: 5, gPos: -1.5, gNeg: 0.25, scoreFrom: tStart, scoreTo: steps, full: false };
      const run = (batched: boolean) => {
        const rngs = [0, 1, 2].map((m) => new Rng(9).fork(String(m)));
        engine.zeroGrad();
        const owns = batched
          ? engine.forwardBatch(inputs, { ...o, rngs })
          : inputs.map((input, m) => engine.forward(input, { ...o, rng: rngs[m] }, m));
        if (batched) engine.backwardBatch(targets, bo);
        else
          targets.forEach((t, m) => {
            engine.backward(t, bo, m);
          });
        return { owns, states: rngs.map((r) => Array.from(r.getState())), grad: engine.gradient() };
      };
      expect(run(true)).toEqual(run(false));
    } finally {
      engine.dispose();
    }
  });

  it('reports a pass that fails on a thread as an error instead of waiting for it, and runs again afterwards', () => {
    setKernelThreads(2);
    const engine = new HdSnnEngine({ N, D, steps, slots: 0, batch: 4 });
    try {
      engine.setWeights(new Rng(5).normal([N * D * N], -0.02, 0.3));
      const o = { beta: 0.7, threshold: 0.8, reset: 'subtract' as const, tStart };
      const good = [0, 1, 2, 3].map((m) => inputEvents(20 + m, 0.05));
      const expected = engine.forwardBatch(good, o);
      // a planted fault: one pattern's input lists a neuron far outside the network, so its pass
      // reads outside the kernel memory and traps on whichever thread took it
      for (const bad of [0, 1, 3]) {
        const inputs = good.map((ev, m) => (m === bad ? { ...ev, idx: ev.idx.map(() => 1 << 28) } : ev));
        expect(() => engine.forwardBatch(inputs, o)).toThrow(/out of bounds|failed on a worker thread/);
      }
      expect(engine.forwardBatch(good, o)).toEqual(expected);
    } finally {
      engine.dispose();
    }
  });

  it("splits the whole-matrix passes without changing a bit: tensor's optimiser steps, column sums, checks", () => {
    setKernelThreads(3);
    const k = hdSnnKernels();
    const n = 16 * 37 + 5;
    const rand = (seed: number, std = 1) => new Rng(seed).normal([n], 0, std);
    k.scope(() => {
      const [W1, W2, g, b1, b2, m1, m2, v1, v2] = [
        rand(1),
        rand(1),
        rand(2),
        rand(3, 0.1),
        rand(3, 0.1),
        rand(4, 0.1),
        rand(4, 0.1),
        rand(5, 0.01),
        rand(5, 0.01),
      ].map((a) => k.from(a));
      const sgd = { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 1e-2, first: false };
      k.sgdStep(W1, g, b1, { ...sgd, threads: 1 });
      k.sgdStep(W2, g, b2, { ...sgd, threads: 3 });
      expect(W2.copy()).toEqual(W1.copy());
      expect(b2.copy()).toEqual(b1.copy());
      const adamw = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-2, step: 3 };
      k.adamwStep(W1, g, m1, v1, { ...adamw, threads: 1 });
      k.adamwStep(W2, g, m2, v2, { ...adamw, threads: 3 });
      expect(W2.copy()).toEqual(W1.copy());
      expect([m2.copy(), v2.copy()]).toEqual([m1.copy(), v1.copy()]);
      // column sums of a [rows, N] matrix, each column in row order
      const N = 53;
      const rows = Math.floor(n / N);
      const Wsum = k.buffer(N);
      k.hdsnnRowSum(rows, N, k.from(W1.copy().subarray(0, rows * N)), Wsum);
      const w = W1.copy();
      const expected = Float32Array.from({ length: N }, (_, j) => {
        let acc = 0;
        for (let r = 0; r < rows; r++) acc = Math.fround(acc + (w[r * N + j] as number));
        return acc;
      });
      expect(Wsum.copy()).toEqual(expected);
      expect(k.hdsnnMaxAbs(W1)).toBe(w.reduce((m, x) => Math.max(m, Math.abs(x)), 0));
    });
  });
});
