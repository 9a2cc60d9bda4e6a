import { initBackend, tf } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DiscreteLifParams, discreteLifStepTensor } from './discrete-lif';
import { fastSigmoidSpike } from './surrogate';

/** One step of the discrete LIF on numbers: [u, s] from [u, s] of the previous step and current I. */
function stepTensor(u: number, s: number, I: number, p: DiscreteLifParams): [number, number] {
  const out = discreteLifStepTensor(tf.tensor1d([u]), tf.tensor1d([s]), tf.tensor1d([I]), p, fastSigmoidSpike(15));
  return [out.mem.dataSync()[0] as number, out.spikes.dataSync()[0] as number];
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('discrete LIF', () => {
  it('subtract reset: known trajectory', () => {
    const p = { beta: 0.5, threshold: 1, reset: 'subtract' as const };
    let u = 0;
    let s = 0;
    const seq: number[] = [];
    for (const I of [0.75, 0.75, 0, 0]) {
      [u, s] = stepTensor(u, s, I, p);
      seq.push(u, s);
    }
    // 0.75 → 0.375+0.75 = 1.125 (spike) → 0.5625 − 1 = −0.4375 → −0.21875
    expect(seq).toEqual([0.75, 0, 1.125, 1, -0.4375, 0, -0.21875, 0]);
  });

  it('zero reset: known trajectory', () => {
    const p = { beta: 0.5, threshold: 1, reset: 'zero' as const };
    let u = 0;
    let s = 0;
    const seq: number[] = [];
    for (const I of [0.75, 0.75, 0.25, 0]) {
      [u, s] = stepTensor(u, s, I, p);
      seq.push(u, s);
    }
    expect(seq).toEqual([0.75, 0, 1.125, 1, 0.25, 0, 0.125, 0]);
  });

  it('β and ϑ as tensors give the same step, and the reset carries no gradient', () => {
    for (const reset of ['subtract', 'zero'] as const) {
      const p = { beta: 0.7, threshold: 0.8, reset };
      const u0 = Float32Array.of(0.1, 0.9, -0.2, 0.5);
      const s0 = Uint8Array.of(0, 1, 0, 1);
      const I = Float32Array.of(0.8, 0.3, 0.1, 0.9);
      const out = discreteLifStepTensor(tf.tensor1d(u0), tf.tensor1d(Float32Array.from(s0)), tf.tensor1d(I), p, fastSigmoidSpike(15));
      const pt = { beta: tf.scalar(0.7), threshold: tf.scalar(0.8), reset };
      const outT = discreteLifStepTensor(tf.tensor1d(u0), tf.tensor1d(Float32Array.from(s0)), tf.tensor1d(I), pt, fastSigmoidSpike(15));
      const u = Array.from(out.mem.dataSync());
      expect(Array.from(outT.mem.dataSync())).toEqual(u);
      expect(Array.from(outT.spikes.dataSync())).toEqual(Array.from(out.spikes.dataSync()));
      // float32: β·u + I − ϑ·s (subtract) or β·u·(1 − s) + I (zero)
      const f = Math.fround;
      for (let j = 0; j < 4; j++) {
        const bu = f(f(0.7) * (u0[j] as number));
        const want = reset === 'subtract' ? f(f(bu + (I[j] as number)) - (s0[j] ? f(0.8) : 0)) : f((s0[j] ? 0 : bu) + (I[j] as number));
        expect(u[j]).toBe(want);
      }
      // d spikes / d current = surrogate(u − ϑ)
      const g = tf.grad((x: tf.Tensor) =>
        tf.sum(discreteLifStepTensor(tf.tensor1d(u0), tf.tensor1d(Float32Array.from(s0)), x, p, fastSigmoidSpike(15)).spikes),
      );
      const grad = g(tf.tensor1d(I)).dataSync();
      for (let j = 0; j < 4; j++) expect(grad[j]).toBeCloseTo(1 / (15 * Math.abs((u[j] as number) - Math.fround(0.8)) + 1) ** 2, 6);
    }
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
