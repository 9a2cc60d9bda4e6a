import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

// --engine on the commands: both engines run, the engine is recorded in run.json, and the two
// agree (same seed → same noise draws → the same numbers to float tolerance). Tiny workloads.
const root = mkdtempSync(join(tmpdir(), 'wmkit-engines-'));
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));

function both(args: (engine: string, out: string) => string[]) {
  return (['kernels', 'tfjs'] as const).map((engine) => {
    const out = join(root, `${args('x', 'x')[1]}-${engine}-${Math.random().toString(36).slice(2, 7)}`);
    const r = wmkit(args(engine, out));
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code, r.stderr).toBe(0);
    const m = manifest(out);
    expect(m.status).toBe('complete');
    expect(m.metrics.engine).toBe(engine);
    return m;
  });
}

describe('--engine kernels|tfjs', () => {
  it('simulate attractor: the same responses on both engines', () => {
    const [a, b] = both((e, out) => [
      'simulate',
      'attractor',
      '--model',
      'bump',
      '--trials',
      '4',
      '--delay',
      '100',
      '--workers',
      '1',
      '--traces',
      '1',
      '--engine',
      e,
      '--out',
      out,
    ]);
    expect(b.metrics.responseSdDeg).toBeCloseTo(a.metrics.responseSdDeg, 2);
  }, 300_000);

  it('train stm-rnn: the same losses on both engines', () => {
    const [a, b] = both((e, out) => [
      'train',
      'stm-rnn',
      '--lr',
      '0.1',
      '--delay',
      '20',
      '--epochs',
      '3',
      '--trials-per-cue',
      '2',
      '--no-fixed-points',
      '--engine',
      e,
      '--out',
      out,
    ]);
    expect(b.metrics.finalAccuracy).toBeCloseTo(a.metrics.finalAccuracy, 3);
    expect(b.metrics.finalReliability).toBeCloseTo(a.metrics.finalReliability, 3);
    const loss = (m: { arrays: { name: string }[] }, dir: string) => m.arrays.some((x) => x.name === 'loss') && dir;
    expect(loss(a, 'a')).toBeTruthy();
  }, 300_000);

  it('train delay-snn: the same recall on both engines', () => {
    const cfg = [
      '--set',
      'D=5',
      '--set',
      'N=24',
      '--set',
      'T=40',
      '--set',
      'M=2',
      '--set',
      'p=0.05',
      '--set',
      'backgroundSteps=8',
      '--steps',
      '1',
    ];
    const [a, b] = both((e, out) => ['train', 'delay-snn', '--preset', 'perrinet2026.small', ...cfg, '--engine', e, '--out', out]);
    expect(b.metrics.final).toEqual(a.metrics.final);
  }, 300_000);

  it('an unknown engine is a usage error naming the choices', () => {
    const r = wmkit(['simulate', 'attractor', '--model', 'bump', '--engine', 'gpu']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--engine must be kernels or tfjs, got 'gpu'/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('info states each model’s engines and the tfjs backend', () => {
    const r = wmkit(['info', '--json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    const names = info.engines.map((e: { model: string }) => e.model);
    expect(names).toEqual(expect.arrayContaining(['LIF conversion (Kim)', 'delay SNN (Perrinet)', 'ring attractors (Wimmer)']));
    for (const e of info.engines) expect(e.tfjs === null || e.tfjs === info.backend.name).toBe(true);
  }, 120_000);
});
