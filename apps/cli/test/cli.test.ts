import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

describe('wmkit', () => {
  it('--help explains the tool and lists commands', () => {
    const r = wmkit(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/working-memory circuit models/);
    expect(r.stdout).toMatch(/info/);
    expect(r.stdout).toMatch(/demo/);
    expect(r.stdout).toMatch(/WMKIT_BACKEND/);
  });

  it('--version prints the version', () => {
    const r = wmkit(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('info --json reports the backend, versions and the machine', () => {
    const r = wmkit(['info', '--json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.backend).toMatchObject({ name: 'wasm', simd: true, threads: 1 });
    expect(info.versions['@wmkit/tensor']).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.versions['@tensorflow/tfjs-core']).toBe('4.22.0');
    expect(info.machine.cpus).toBeGreaterThan(0);
    expect(info.machine.memoryGiB).toBeGreaterThan(0);
  });

  it('info honours WMKIT_BACKEND and reports a backend that cannot load clearly', () => {
    expect(JSON.parse(wmkit(['info', '--json'], { WMKIT_BACKEND: 'cpu' }).stdout).backend.name).toBe('cpu');
    const r = wmkit(['info'], { WMKIT_BACKEND: 'tensorflow' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^wmkit: error: WMKIT_BACKEND=tensorflow: backend 'tensorflow' is not available/);
    expect(r.stderr).toMatch(/npm install @tensorflow\/tfjs-node@4\.22\.0/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('an unknown command or option is a usage error (exit 2)', () => {
    const r = wmkit(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(wmkit(['info', '--bogus']).code).toBe(2);
  });

  it('out-of-range numbers are usage errors that name the option and its range, before any run directory exists', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wmkit-cli-')), 'never');
    const cases: [string[], RegExp][] = [
      [['train', 'stm-rnn', '--lr', '0.1', '--seed', '-3', '--out', out], /--seed must be an integer ≥ 0, got '-3'/],
      [['train', 'stm-rnn', '--lr', '0.1', '--epochs', '0', '--out', out], /--epochs must be an integer ≥ 1, got '0'/],
      [
        ['train', 'stm-rnn', '--lr', '0.1', '--post', '-5', '--out', out],
        /--post -5: post-response period -5 ms is outside the protocol: use 0 or 30 ms/,
      ],
      [['reproduce', 'kriener2020', '--trials', '0', '--out', out], /--trials must be an integer ≥ 1, got '0'/],
      [['sweep', 'run', 'spec.yaml', '--workers', '0'], /--workers must be an integer ≥ 1, got '0'/],
      [['view', '.', '--port', '70000'], /--port must be an integer in 0–65535, got '70000'/],
    ];
    for (const [args, message] of cases) {
      const r = wmkit(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(() => readFileSync(join(out, 'run.json'))).toThrow();
  });

  it('demo --quick writes a complete run directory with the OU check', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wmkit-demo-')), 'demo');
    const r = wmkit(['demo', '--quick', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/demo complete/);
    const run = JSON.parse(readFileSync(join(out, 'ou', 'run.json'), 'utf8'));
    expect(run.status).toBe('complete');
    expect(run.kind).toBe('demo.ou');
    expect(run.arrays.map((a: { name: string }) => a.name)).toEqual(['ou_traces', 'autocorrelation']);
    // 512 processes × 2000 steps: the fitted τ is within 10% of 100 ms (SE ≈ 2–3%)
    expect(Math.abs(run.metrics.tauHatMs - 100)).toBeLessThan(10);
  });
});
