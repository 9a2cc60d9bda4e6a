import { barsDataset } from '@wmkit/tasks';
import { initBackend, Rng } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFoldiak, FOLDIAK1990_BARS } from './foldiak';
import { foldiakEngine, runFoldiakBars } from './foldiak-run';

// Földiák's network on two engines: float64 JavaScript and TensorFlow.js ops (tfjs cpu backend
// here). Same seed and the same patterns → the same outputs at every presentation and the same
// learned weights to float32 rounding over a short run.
beforeAll(async () => {
  await initBackend('cpu', { env: {} });
});

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

describe('Földiák network: JavaScript (kernels) vs tfjs engine', () => {
  it('same seed, same 10 pre-training + 40 learning patterns → same outputs and weights within 1e-4', () => {
    const js = foldiakEngine(createFoldiak(FOLDIAK1990_BARS, new Rng(7)), 'kernels');
    const tf = foldiakEngine(createFoldiak(FOLDIAK1990_BARS, new Rng(7)), 'tfjs');
    const data = barsDataset({ count: 50, rng: new Rng(8) });
    const x = (n: number) => data.x.subarray(n * 64, (n + 1) * 64);
    for (let n = 0; n < 10; n++) {
      js.pretrain(x(n));
      tf.pretrain(x(n));
    }
    let active = 0;
    for (let n = 10; n < 50; n++) {
      const a = js.present(x(n));
      expect(Array.from(tf.present(x(n)))).toEqual(Array.from(a));
      active += a.reduce((s, v) => s + v, 0);
    }
    expect(active).toBeGreaterThan(0); // the run exercised learning, not silent outputs
    const [a, b] = [js.network(), tf.network()];
    expect(b.presentations).toBe(40);
    expect(maxDiff(a.q, b.q)).toBeLessThan(1e-4);
    expect(maxDiff(a.w, b.w)).toBeLessThan(1e-4);
    expect(maxDiff(a.t, b.t)).toBeLessThan(1e-4);
    expect(Math.max(...b.w)).toBeLessThanOrEqual(0);
    // batched responses (every row settles on its own) equal the JavaScript ones
    expect(Array.from(tf.respond(data.x, 50))).toEqual(Array.from(js.respond(data.x, 50)));
    tf.dispose();
  }, 120_000);

  it('the bars run on the tfjs engine follows the same learning curve over 60 presentations', () => {
    const o = { presentations: 60, scoreEvery: 30 };
    const a = runFoldiakBars({ pretrainCycles: 20 }, new Rng(3), o);
    const b = runFoldiakBars({ pretrainCycles: 20 }, new Rng(3), { ...o, engine: 'tfjs' });
    expect(b.curve.map((c) => c.linesRepresented)).toEqual(a.curve.map((c) => c.linesRepresented));
    expect(b.curve.map((c) => c.activity)).toEqual(a.curve.map((c) => c.activity));
    expect(maxDiff(a.net.q, b.net.q)).toBeLessThan(1e-4);
  }, 120_000);
});
