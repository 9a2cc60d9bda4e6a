/**
 * How the CLI reports failure: one line that names the problem and the fix, a non-zero exit
 * code, and never a stack trace unless WMKIT_DEBUG=1 (or for an unexpected internal error,
 * where the stack is what a bug report needs). A user error is any `UserError` (the base class of
 * every wmkit package's user-facing errors — `ShapeError` for a wrong shape or size, `ConfigError`
 * — and of the CLI's own) or commander's parse error; anything else, a plain `RangeError` included,
 * is a bug.
 */
import { MissingRunError } from '@wmkit/papers/node';
import { isUserError, UserError } from '@wmkit/tensor';
import { CommanderError } from 'commander';

/** Bad command-line input (exit code 2). */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A run that cannot fit on this machine (memory), refused before it starts (exit code 1). */
export class ResourceError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'ResourceError';
  }
}

/** Whether `err`'s message is written for the user (see the module doc). */
export function isUserFacing(err: unknown): boolean {
  return isUserError(err) || err instanceof CommanderError;
}

// What a failed file operation means, for the one-line message (Node's own text names the call).
const FS_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or directory (or its folder does not exist)',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  EBUSY: 'the file is busy',
  EXDEV: 'cannot move across file systems',
};

/** A file-system error (it has a code and a path) as one line: the path and the problem; null otherwise. */
export function describeFsError(err: unknown): string | null {
  const e = err as NodeJS.ErrnoException & { dest?: string };
  if (!e || typeof e.code !== 'string' || !(e.code in FS_PROBLEMS)) return null;
  const path = e.dest && e.code !== 'ENOENT' ? e.dest : e.path;
  return path ? `${path}: ${FS_PROBLEMS[e.code]}` : `${FS_PROBLEMS[e.code]} (${e.syscall ?? 'file system'})`;
}

export function exitCodeFor(err: unknown): number {
  return err instanceof UsageError || err instanceof MissingRunError ? 2 : 1;
}

/** Formats an error for the terminal. */
export function formatError(err: unknown): string {
  const e = err as Error;
  const debug = Boolean(process.env.WMKIT_DEBUG);
  if (isUserFacing(err) && !debug) return `wmkit: error: ${e.message}`;
  // a file that cannot be read or written is the user's to fix, not a bug
  const fs = describeFsError(err);
  if (fs && !debug) return `wmkit: error: ${fs}`;
  const stack = e?.stack ?? String(err);
  return debug
    ? `wmkit: error: ${stack}`
    : `wmkit: internal error: ${e?.message ?? String(err)}\n${stack}\n(this is a bug in wmkit; please report it with the command you ran)`;
}
