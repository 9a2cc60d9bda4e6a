import { describe, expect, it } from 'vitest';
import { BackendUnavailableError } from './backend';
import { isUserError, ShapeError, UserError } from './errors';
import { assertShape } from './ndarray';

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

  it('a ShapeError (wrong shape or size) is a user error; a plain RangeError and other errors are bugs', () => {
    expect(isUserError(new ShapeError('shape'))).toBe(true);
    expect(new ShapeError('s')).toBeInstanceOf(UserError);
    expect(new ShapeError('s').name).toBe('ShapeError');
    expect(isUserError(new RangeError('internal: offset outside the buffer'))).toBe(false);
    expect(isUserError(new TypeError('x is undefined'))).toBe(false);
    expect(isUserError(new Error('UserError'))).toBe(false);
    expect(isUserError(Object.assign(new Error('m'), { name: 'ConfigError' }))).toBe(false); // the class counts, not the name
    expect(isUserError('text')).toBe(false);
  });
});

describe('ShapeError', () => {
  it('a wrong shape gives a ShapeError that names both shapes', () => {
    let err: unknown;
    try {
      assertShape('decode: rates', [8, 100, 32], ['B', 'T', 40]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ShapeError);
    expect((err as Error).message).toBe('decode: rates: expected shape [B, T, 40] but got [8, 100, 32]');
  });
});
