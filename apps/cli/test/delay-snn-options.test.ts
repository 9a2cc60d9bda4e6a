import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

// Tiny networks (N = 64, T = 200) so these stay quick on a loaded machine; the small and
// reference presets are exercised in delay-snn.test.ts and by the reduced reproductions.
const root = mkdtempSync(join(tmpdir(), 'wmkit-hd-opts-'));
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));

describe('wmkit delay-snn options (tiny network)', () => {
  it('scan --seeds K --train trains every point and reports mean ± SD over seeds', () => {
    const out = join(root, 'scan-seeds');
    const tiny = ['--preset', 'perrinet2026.small', '--set', 'N=64', '--set', 'T=200', '--set', 'M=2', '--set', 'train.steps=1'];
    const r = wmkit(['scan', 'delay-snn', ...tiny, '--param', 'D', '--values', '10,20', '--seeds', '2', '--train', '--out', out]);
    expect(r.code).toBe(0);
    const m = manifest(out);
    expect(m.metrics.points).toHaveLength(4);
    expect(m.metrics.points.every((p: { trainSteps: number }) => p.trainSteps === 1)).toBe(true);
    expect(m.metrics.summary.map((s: { value: number; n: number }) => [s.value, s.n])).toEqual([
      [10, 2],
      [20, 2],
    ]);
    expect(readFileSync(join(out, 'scan.md'), 'utf8')).toMatch(/\| 10 \| 2 \| [0-9.]+ ± [0-9.]+ \|/);
  });

  it('train --init pinv and --learn-beta/--learn-threshold record what they did', () => {
    const tiny = ['--preset', 'perrinet2026.small', '--set', 'N=64', '--set', 'T=200', '--set', 'M=2', '--set', 'D=10', '--set', 'p=0.02'];
    const a = join(root, 'pinv');
    const r = wmkit(['train', 'delay-snn', ...tiny, '--init', 'pinv', '--steps', '0', '--out', a]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/pinv initialisation/);
    expect(manifest(a).metrics.init).toMatchObject({ method: 'pinv', solver: 'direct' });
    const b = join(root, 'learnt');
    const l = wmkit(['train', 'delay-snn', ...tiny, '--steps', '2', '--learn-beta', '--learn-threshold', '--out', b]);
    expect(l.code).toBe(0);
    expect(l.stdout).toMatch(/learnt neuron constants: β 0\.7 → [0-9.]+, ϑ 0\.8 → [0-9.]+/);
    const mb = manifest(b);
    expect(mb.config.model.train).toMatchObject({ learnBeta: true, learnThreshold: true });
    expect(mb.metrics.neuron.beta).toBeGreaterThanOrEqual(0);
    expect(mb.metrics.neuron.beta).toBeLessThanOrEqual(1);
    const bad = wmkit(['train', 'delay-snn', ...tiny, '--init', 'pinvv', '--out', join(root, 'bad7')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/'init\.method': Invalid option: expected one of "hebbian"\|"pinv"\|"zero"/);
  });
});
