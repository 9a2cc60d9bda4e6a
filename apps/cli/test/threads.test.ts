import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'wmkit-threads-'));
const small = [
  'train',
  'stm-rnn',
  '--lr',
  '0.1',
  '--delay',
  '0',
  '--epochs',
  '10',
  '--trials-per-cue',
  '2',
  '--no-fixed-points',
  '--seed',
  '3',
];

describe('wmkit --threads', () => {
  it('sets the kernels’ threads, is recorded beside the backend in run.json, and changes no result', () => {
    const one = join(root, 'one');
    const two = join(root, 'two');
    expect(wmkit([...small, '--threads', '1', '--out', one]).code).toBe(0);
    expect(wmkit(['--threads', '2', ...small, '--out', two]).code).toBe(0);
    const a = JSON.parse(readFileSync(join(one, 'run.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(two, 'run.json'), 'utf8'));
    expect(a.backend.kernels.threads).toBe(1);
    expect(['simd128', 'relaxed-simd']).toContain(a.backend.kernels.simd); // (relaxed where the runtime validates it: Node ≥ 20, which the kernels switch on)
    // (2 where the runtime has shared memory and workers, as Node does)
    expect(b.backend.kernels.threads).toBe(2);
    for (const f of readdirSync(one).filter((n) => n.endsWith('.npy')))
      expect(readFileSync(join(two, f)).equals(readFileSync(join(one, f))), f).toBe(true);
  });

  it('refuses a count that is not a whole number ≥ 1, naming the option', () => {
    const r = wmkit([...small, '--threads', '0', '--out', join(root, 'never')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^wmkit: error: --threads must be a whole number of threads ≥ 1, got '0'/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
