import { describe, expect, it } from 'vitest';
import { checkFiniteState, DivergenceError, LossDivergenceGuard } from './divergence';

describe('divergence checks', () => {
  it('a loss guard accepts descent and noise, and throws at 100× the initial loss with the step and the value', () => {
    const g = new LossDivergenceGuard('test training', 'epoch');
    for (const [step, loss] of [
      [0, 2],
      [1, 1.5],
      [2, 150],
      [3, 0.1],
    ])
      g.check(step, loss);
    expect(g.bound).toBe(200);
    let err: unknown;
    try {
      g.check(4, 1.8e9);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    const d = err as DivergenceError;
    expect(d.name).toBe('DivergenceError');
    expect([d.step, d.value, d.quantity]).toEqual([4, 1.8e9, 'loss']);
    expect(d.message).toBe('test training diverged at epoch 4: loss = 1.800e+9 (more than 100× the initial loss 2)');
  });

  it('a non-finite loss is divergence from the first step', () => {
    const g = new LossDivergenceGuard('t', 'step');
    expect(() => g.check(0, Number.NaN)).toThrow(/diverged at step 0: loss = NaN \(not a finite number\)/);
  });

  it('checkFiniteState names the first non-finite element', () => {
    expect(() => checkFiniteState('sim', [0, 1, Number.POSITIVE_INFINITY, Number.NaN], 7, 'time step', 'x')).toThrow(
      'sim diverged at time step 7: x[2] = Infinity (not a finite number)',
    );
    expect(() => checkFiniteState('sim', [0, 1], 7, 'time step')).not.toThrow();
  });
});
