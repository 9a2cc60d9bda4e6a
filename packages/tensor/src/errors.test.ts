import { describe, expect, it } from 'vitest';
import { BackendUnavailableError } from './backend';
import { isUserError, UserError } from './errors';

describe('UserError', () => {
  it('is an Error with its message; subclasses keep their own name and are user errors', () => {
    const e = new UserError('bad input: use 1..8', { cause: 'x' });
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe('bad input: use 1..8');
    expect(e.name).toBe('UserError');
    expect(e.cause).toBe('x');
    const b = new BackendUnavailableError('install @tensorflow/tfjs-node');
    expect(b).toBeInstanceOf(UserError);
    expect(b.name).toBe('BackendUnavailableError');
    expect(isUserError(b)).toBe(true);
  });

  it('a RangeError (an argument out of range) is a user error; other errors are bugs', () => {
    expect(isUserError(new RangeError('shape'))).toBe(true);
    expect(isUserError(new TypeError('x is undefined'))).toBe(false);
    expect(isUserError(new Error('UserError'))).toBe(false);
    expect(isUserError(Object.assign(new Error('m'), { name: 'ConfigError' }))).toBe(false); // the class counts, not the name
    expect(isUserError('text')).toBe(false);
  });
});
