/**
 * How the CLI reports failure: one line that names the problem and the fix, a non-zero exit
 * code, and never a stack trace unless WMKIT_DEBUG=1 (or for an unexpected internal error,
 * where the stack is what a bug report needs).
 */

/** Bad command-line input (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

// Errors whose message is written for users: wmkit's own error classes and input checks.
const USER_FACING = new Set([
  'UsageError',
  'RangeError',
  'BackendUnavailableError',
  'RunFormatError',
  'NpyFormatError',
  'ConfigError',
  'MatFormatError',
  'WtaRegimeError',
  'DivergenceError',
  'Hdf5FormatError',
  'CommanderError',
]);

export function exitCodeFor(err: unknown): number {
  return (err as Error)?.name === 'UsageError' ? 2 : 1;
}

/** Formats an error for the terminal. */
export function formatError(err: unknown): string {
  const e = err as Error;
  const debug = Boolean(process.env.WMKIT_DEBUG);
  if (e && USER_FACING.has(e.name) && !debug) return `wmkit: error: ${e.message}`;
  const stack = e?.stack ?? String(err);
  return debug
    ? `wmkit: error: ${stack}`
    : `wmkit: internal error: ${e?.message ?? String(err)}\n${stack}\n(this is a bug in wmkit; please report it with the command you ran)`;
}
