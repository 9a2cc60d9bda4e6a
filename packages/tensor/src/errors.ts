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
 * Whether `err` is a user-facing error: a `UserError`, or a `RangeError` (the built-in error
 * wmkit's functions throw for an argument out of its range, e.g. a wrong shape or count).
 */
export function isUserError(err: unknown): err is Error {
  return err instanceof UserError || err instanceof RangeError;
}
