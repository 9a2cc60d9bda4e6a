import { initBackend, tf } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { SpikeDelayBuffer } from './delay-buffer';
import { discreteLifStep, discreteLifStepTensor, membraneTimeConstant } from './discrete-lif';
import { fastSigmoidDerivative, fastSigmoidSpike } from './surrogate';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('discrete LIF', () => {
  it('subtract reset: known trajectory', () => {
    const p = { beta: 0.5, threshold: 1, reset: 'subtract' as const };
    const u = new Float32Array(1);
    const s = new Uint8Array(1);
    const seq: number[] = [];
    for (const I of [0.75, 0.75, 0, 0]) {
      discreteLifStep(u, s, [I], p);
      seq.push(u[0], s[0]);
    }
    // 0.75 → 0.375+0.75 = 1.125 (spike) → 0.5625 − 1 = −0.4375 → −0.21875
    expect(seq).toEqual([0.75, 0, 1.125, 1, -0.4375, 0, -0.21875, 0]);
  });

  it('zero reset: known trajectory', () => {
    const p = { beta: 0.5, threshold: 1, reset: 'zero' as const };
    const u = new Float32Array(1);
    const s = new Uint8Array(1);
    const seq: number[] = [];
    for (const I of [0.75, 0.75, 0.25, 0]) {
      discreteLifStep(u, s, [I], p);
      seq.push(u[0], s[0]);
    }
    expect(seq).toEqual([0.75, 0, 1.125, 1, 0.25, 0, 0.125, 0]);
  });

  it('time constant of beta = 0.7 is about 2.8 steps', () => {
    expect(membraneTimeConstant(0.7)).toBeCloseTo(2.804, 3);
  });

  it('the tfjs step matches the typed-array step and its reset carries no gradient', () => {
    for (const reset of ['subtract', 'zero'] as const) {
      const p = { beta: 0.7, threshold: 0.8, reset };
      const u0 = Float32Array.of(0.1, 0.9, -0.2, 0.5);
      const s0 = Uint8Array.of(0, 1, 0, 1);
      const I = Float32Array.of(0.8, 0.3, 0.1, 0.9);
      const u = Float32Array.from(u0);
      const s = Uint8Array.from(s0);
      discreteLifStep(u, s, I, p);
      const out = discreteLifStepTensor(tf.tensor1d(u0), tf.tensor1d(Float32Array.from(s0)), tf.tensor1d(I), p, fastSigmoidSpike(15));
      expect(Array.from(out.mem.dataSync())).toEqual(Array.from(u));
      expect(Array.from(out.spikes.dataSync())).toEqual(Array.from(s));
      // d spikes / d current = surrogate(u − ϑ)
      const g = tf.grad((x: tf.Tensor) =>
        tf.sum(discreteLifStepTensor(tf.tensor1d(u0), tf.tensor1d(Float32Array.from(s0)), x, p, fastSigmoidSpike(15)).spikes),
      );
      const grad = g(tf.tensor1d(I)).dataSync();
      for (let j = 0; j < 4; j++) expect(grad[j]).toBeCloseTo(fastSigmoidDerivative(u[j] - Math.fround(0.8), 15), 6);
    }
  });

  it('rejects bad parameters with the parameter named', async () => {
    const { checkDiscreteLifParams } = await import('./discrete-lif');
    expect(() => checkDiscreteLifParams({ beta: 1.5, threshold: 1, reset: 'zero' })).toThrow(/beta/);
    expect(() => checkDiscreteLifParams({ beta: 0.5, threshold: 0, reset: 'zero' })).toThrow(/threshold/);
  });
});

describe('fast sigmoid surrogate', () => {
  it('forward is a strict Heaviside step, backward 1/(k|x|+1)²', () => {
    const f = fastSigmoidSpike(15);
    const x = tf.tensor1d([-0.1, 0, 0.2]);
    expect(Array.from(f(x).dataSync())).toEqual([0, 0, 1]);
    const g = tf
      .grad((v: tf.Tensor) => tf.sum(f(v)))(x)
      .dataSync();
    expect(g[0]).toBeCloseTo(1 / 2.5 ** 2, 6);
    expect(g[1]).toBeCloseTo(1, 6);
    expect(g[2]).toBeCloseTo(1 / 16, 6);
    expect(() => fastSigmoidSpike(0)).toThrow(/slope/);
  });
});

describe('SpikeDelayBuffer', () => {
  it('returns the spikes of each delay and drops the oldest', () => {
    const b = new SpikeDelayBuffer(10, 3);
    b.push([1, 2]);
    b.push([]);
    b.push([5]);
    expect(Array.from(b.spikesAt(1))).toEqual([5]);
    expect(Array.from(b.spikesAt(3))).toEqual([1, 2]);
    expect(b.size).toBe(3);
    b.push([7]);
    expect(Array.from(b.spikesAt(3))).toEqual([]);
    const seen: [number, number][] = [];
    b.forEachInWindow((i, d) => seen.push([i, d]));
    expect(seen).toEqual([
      [7, 1],
      [5, 2],
    ]);
    expect(() => b.spikesAt(4)).toThrow(/delay 4/);
    expect(() => b.push([10])).toThrow(/neuron index 10/);
  });
});
