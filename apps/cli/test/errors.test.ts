import { ConfigError as AttractorConfigError, WtaRegimeError } from '@wmkit/attractor-models';
import { DivergenceError } from '@wmkit/core-neuron';
import { ConfigError, MatFormatError, NpyFormatError, RecordingFormatError, RunFormatError } from '@wmkit/data-io';
import { Hdf5FormatError } from '@wmkit/data-io/node';
import { ConfigError as SnnConfigError } from '@wmkit/delay-snn';
import { ConfigError as RnnConfigError } from '@wmkit/ei-rnn';
import { BackendUnavailableError as Backend, ShapeError, UserError } from '@wmkit/tensor';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { exitCodeFor, formatError, isUserFacing, ResourceError, UsageError } from '../src/errors';

// The CLI tells user errors from bugs by one base class (UserError), not by a list of names.
describe('user errors and bugs', () => {
  it("every package's user-facing error class extends UserError and prints as one line", () => {
    const errors: Error[] = [
      new ConfigError('x.json: invalid config'),
      new NpyFormatError('a.npy: not an .npy file'),
      new MatFormatError('a.mat: not a MAT-file'),
      new Hdf5FormatError('a.nwb: not HDF5'),
      new RunFormatError('run.json: missing field kind'),
      new RecordingFormatError('rec.mat: missing field spikes'),
      new DivergenceError('WTA trial', { step: 3, stepName: 'step', quantity: 'rate', value: Number.NaN, bound: 'not a finite number' }),
      new WtaRegimeError('α ≥ 1'),
      new Backend('install @tensorflow/tfjs-node'),
      new UsageError('--trials must be ≥ 1'),
      new ResourceError('needs 90 GB'),
    ];
    for (const e of errors) {
      expect(e, e.name).toBeInstanceOf(UserError);
      expect(isUserFacing(e), e.name).toBe(true);
      expect(formatError(e)).toBe(`wmkit: error: ${e.message}`);
    }
    expect(new ConfigError('m').name).toBe('ConfigError');
  });

  it('one ConfigError: the model packages re-export the class of @wmkit/data-io', () => {
    expect(RnnConfigError).toBe(ConfigError);
    expect(SnnConfigError).toBe(ConfigError);
    expect(AttractorConfigError).toBe(ConfigError);
  });

  it("ShapeError (a wrong shape or size) and commander's errors are the user's; anything else, a RangeError included, is a bug", () => {
    expect(formatError(new ShapeError('a: expected shape [2, 3] but got [3, 2]'))).toBe(
      'wmkit: error: a: expected shape [2, 3] but got [3, 2]',
    );
    expect(formatError(new RangeError('KernelBuffer.sub: [0, 9) is outside a buffer of 8'))).toMatch(
      /^wmkit: internal error: KernelBuffer/,
    );
    expect(isUserFacing(new CommanderError(1, 'commander.unknownOption', "unknown option '--x'"))).toBe(true);
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    expect(isUserFacing(bug)).toBe(false);
    expect(formatError(bug)).toMatch(/^wmkit: internal error: Cannot read .*\n[\s\S]*this is a bug in wmkit/);
    // a plain Error that merely carries a user error's name is not one
    expect(isUserFacing(Object.assign(new Error('m'), { name: 'ConfigError' }))).toBe(false);
  });

  it('exit code 2 for usage errors, 1 otherwise', () => {
    expect(exitCodeFor(new UsageError('x'))).toBe(2);
    expect(exitCodeFor(new ConfigError('x'))).toBe(1);
    expect(exitCodeFor(new Error('x'))).toBe(1);
  });
});
