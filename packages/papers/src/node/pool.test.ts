import { MessageChannel } from 'node:worker_threads';
import { isUserError, ShapeError, UserError } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { defineWorker, errorFromWorker } from './pool';

class ConfigError extends UserError {
  constructor(m: string) {
    super(m);
    this.name = 'ConfigError';
  }
}

describe('errors across the worker boundary', () => {
  it('a user error stays a user error (class kind, name, message); a bug stays a bug', async () => {
    const cases: [Error, string, boolean][] = [
      [new ConfigError("ring model: 'NE': too small"), 'user', true],
      [new ShapeError('trials (0) must be a positive integer'), 'user', true],
      [new RangeError('KernelBuffer.sub: [0, 9) is outside a buffer of 8'), 'range', false],
      [new TypeError('x is not a function'), 'other', false],
    ];
    for (const [thrown, kind, user] of cases) {
      const { port2 } = new MessageChannel();
      const reply = await defineWorker(() => {
        throw thrown;
      })({ job: null, port: port2 });
      expect(reply).toEqual({ ok: false, name: thrown.name, message: thrown.message, kind });
      if (reply.ok) continue;
      const back = errorFromWorker(reply);
      expect(back.name).toBe(thrown.name);
      expect(back.message).toBe(thrown.message);
      expect(isUserError(back)).toBe(user);
      expect(back instanceof UserError).toBe(kind === 'user');
    }
  });
});
