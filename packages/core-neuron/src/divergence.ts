/**
 * Divergence: a training run or simulation whose numbers have left the range where they mean
 * anything. NaN/Inf is the last stage of it; each model family also names an earlier, physical
 * sign (a loss far above where it started, rates beyond what the circuit can produce), so that a
 * run which blew up is reported as failed with the step and the value instead of being written
 * out as a result.
 */
import { ShapeError, UserError } from '@wmkit/tensor';

/** A trainer or simulation diverged at `step` (its own unit: update, epoch, time step, trial). */
export class DivergenceError extends UserError {
  /** What diverged ("E/I RNN training", "WTA trial", …). */
  readonly what: string;
  /** The step (in `stepName` units) at which it was detected. */
  readonly step: number;
  readonly stepName: string;
  /** The quantity that crossed its bound ("loss", "activation", …) and its value there. */
  readonly quantity: string;
  readonly value: number;
  constructor(what: string, o: { step: number; stepName: string; quantity: string; value: number; bound: string }) {
    super(`${what} diverged at ${o.stepName} ${o.step}: ${o.quantity} = ${formatValue(o.value)} (${o.bound})`);
    this.name = 'DivergenceError';
    this.what = what;
    this.step = o.step;
    this.stepName = o.stepName;
    this.quantity = o.quantity;
    this.value = o.value;
  }
}

/** 1.820e+9, 10.05, 0.25, NaN: four significant digits (whole numbers below 1e6 as they are). */
function formatValue(v: number): string {
  if (!Number.isFinite(v) || (Number.isInteger(v) && Math.abs(v) < 1e6)) return String(v);
  return Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3 ? v.toExponential(3) : String(Number(v.toPrecision(4)));
}

/** How far a loss may rise above its first value before training counts as diverged. */
export const DEFAULT_LOSS_GROWTH = 100;

/**
 * Watches a training loss: throws DivergenceError when it is not finite, or when it exceeds
 * `growth` × the first loss (the first value is where a freshly initialised network stands;
 * gradient descent that ends far above it has not been descending).
 */
export class LossDivergenceGuard {
  private initial = Number.NaN;
  constructor(
    readonly what: string,
    readonly stepName: string,
    readonly growth = DEFAULT_LOSS_GROWTH,
  ) {
    if (!(growth > 1)) throw new ShapeError(`LossDivergenceGuard: growth (${growth}) must be > 1`);
  }

  /** The bound now in force (Infinity before the first loss). */
  get bound(): number {
    return Number.isFinite(this.initial) ? this.growth * Math.max(this.initial, Number.MIN_VALUE) : Number.POSITIVE_INFINITY;
  }

  /** Records the loss of `step` (the first call sets the reference); throws DivergenceError if it is not finite or above `bound`. */
  check(step: number, loss: number): void {
    if (!Number.isFinite(loss))
      throw new DivergenceError(this.what, { step, stepName: this.stepName, quantity: 'loss', value: loss, bound: 'not a finite number' });
    if (Number.isNaN(this.initial)) {
      this.initial = loss;
      return;
    }
    if (loss > this.bound)
      throw new DivergenceError(this.what, {
        step,
        stepName: this.stepName,
        quantity: 'loss',
        value: loss,
        bound: `more than ${this.growth}× the initial loss ${formatValue(this.initial)}`,
      });
  }
}

/** Throws DivergenceError at the first non-finite value of `state` (a network's state or weights). */
export function checkFiniteState(what: string, state: ArrayLike<number>, step: number, stepName: string, quantity = 'state'): void {
  for (let i = 0; i < state.length; i++)
    if (!Number.isFinite(state[i]))
      throw new DivergenceError(what, { step, stepName, quantity: `${quantity}[${i}]`, value: state[i], bound: 'not a finite number' });
}
