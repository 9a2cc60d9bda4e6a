/**
 * The one base class of wmkit's user-facing errors: bad input, a config that fails validation, a
 * file in the wrong format, a backend that is not installed, a run that diverged. Its message is
 * written for the user — it names the problem and the fix — so an app shows the message alone,
 * without a stack trace; any other error is a bug. Every package's user-facing error classes
 * extend it, so an app tells them from bugs with one `instanceof UserError`.
 */
export class UserError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UserError';
  }
}

/**
 * An argument of the wrong shape or size, or an option out of its range (a user's input, not a
 * bug): the message names the argument, what it must be and what it is — for a shape, both
 * shapes (`decode: rates: expected shape [B, T, 40] but got [8, 100, 32]`).
 */
export class ShapeError extends UserError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ShapeError';
  }
}

/**
 * Whether `err` is a user-facing error: a `UserError` (including `ShapeError` and every
 * package's own subclasses). Any other error — a plain `RangeError` or `TypeError` included —
 * is a bug.
 */
export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}
