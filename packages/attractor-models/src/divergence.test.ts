import { DivergenceError } from '@wmkit/core-neuron';
import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { createFoldiak, foldiakPresent } from './foldiak';
import { runWtaConditions, wtaActivationBound, wtaParams, wtaTraces, wtaTrial } from './wta';

describe('divergence of the WTA circuits and of Földiák learning', () => {
  const b = [1, 0.95, 0.95, 0.95];

  it('σ = 1e300 overflows the noise: the WTA trial throws DivergenceError instead of scoring a "correct" decision', () => {
    const p = wtaParams({ sigma: 1e300 });
    let err: unknown;
    try {
      wtaTrial(p, b, new Rng(1));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    expect((err as DivergenceError).step).toBe(1);
    expect((err as Error).message).toMatch(
      /^WTA trial diverged at time step 1: (activation x\[\d\] = (Infinity|NaN) \(beyond the physical bound|input drive of unit \d = -?Infinity \(not a finite number: the noise overflowed)/,
    );
    // and through the condition runner (what reproductions call)
    expect(() => runWtaConditions([{ N: 4, trials: 2, params: p }], new Rng(2))).toThrow(DivergenceError);
    expect(() => wtaTraces(p, b, new Rng(3), 1)).toThrow(/WTA simulation diverged at time step 1/);
  });

  it('ordinary noise stays far inside the bound, for trials and long traces', () => {
    const p = wtaParams({ sigma: 0.5 });
    expect(wtaActivationBound(p, 1)).toBeCloseTo(12, 6);
    for (let i = 0; i < 20; i++) wtaTrial(p, b, new Rng(10).fork(String(i)));
    const quiet = wtaParams({ sigma: 0, nonlinear: false });
    const tr = wtaTraces(quiet, [1], new Rng(4), 200); // one unit settles at b/(1 − α), the bound itself
    expect(tr.x[tr.x.length - 1]).toBeCloseTo(2, 6);
  });

  it('Földiák learning with β = 1e6 throws the weights far past the inputs: DivergenceError with the presentation and the weight', () => {
    const net = createFoldiak({ nIn: 4, nOut: 3, beta: 1e6 }, new Rng(5));
    const x = [1, 0, 1, 0];
    let err: unknown;
    try {
      for (let k = 0; k < 200; k++) foldiakPresent(net, x);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    const d = err as DivergenceError;
    expect(d.stepName).toBe('presentation');
    expect(d.step).toBeGreaterThanOrEqual(1);
    expect(Math.abs(d.value)).toBeGreaterThan(100);
    expect(d.message).toMatch(
      /^Földiák learning diverged at presentation \d+: q\[\d+\] = \S+ \(beyond 100 × the largest input = 100; lower beta \(< 2\)\)$/,
    );
    // the spec's rates never come near it
    const ok = createFoldiak({ nIn: 4, nOut: 3 }, new Rng(6));
    for (let k = 0; k < 200; k++) foldiakPresent(ok, x);
  });
});
