import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'wmkit-foldiak-'));
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
const rows = (dir: string) =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('wmkit reproduce foldiak1990 --stimuli alphabet / --engine', () => {
  it('alphabet (1 seed, 300 presentations): the code, its measures, the associative layer and five figures', () => {
    const out = join(root, 'alphabet');
    const r = wmkit([
      'reproduce',
      'foldiak1990',
      '--stimuli',
      'alphabet',
      '--seeds',
      '1',
      '--presentations',
      '300',
      '--score-every',
      '100',
      '--out',
      out,
    ]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const m = manifest(out);
    expect(m.status).toBe('complete');
    expect(m.config.stimuli).toBe('alphabet');
    expect(m.metrics.engine).toBe('kernels');
    expect(m.metrics.letterEntropy).toBeCloseTo(4.18, 2);
    expect(m.metrics.bitsKept).toBeGreaterThan(2);
    expect(m.metrics.bitsKept).toBeLessThanOrEqual(m.metrics.letterEntropy + 1e-9);
    expect(m.figures.map((f: { name: string }) => f.name)).toEqual([
      'alphabet_glyphs',
      'alphabet_code',
      'alphabet_receptive_fields',
      'alphabet_learning',
      'associator',
    ]);
    expect(m.arrays.map((a: { name: string }) => a.name)).toEqual(expect.arrayContaining(['codes', 'active_units', 'images', 'q']));
    const [row] = rows(out);
    expect(row.distinctCodes).toBeGreaterThan(10);
    expect(row.hebbianCapacity.code).toBeGreaterThanOrEqual(1);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/A downstream associative layer/);
    expect(md).toMatch(/\| E +\| 12\.70/);
    expect(r.stdout).toMatch(/of 26 letters distinct codes and keeps [0-9.]+ of the 4\.18 bits/);
  });

  it('bars on both engines (1 seed, 40 presentations): the same scores, the engine in run.json', () => {
    const runs = (['kernels', 'tfjs'] as const).map((engine) => {
      const out = join(root, `bars-${engine}`);
      const r = wmkit([
        'reproduce',
        'foldiak1990',
        '--seeds',
        '1',
        '--presentations',
        '40',
        '--score-every',
        '20',
        '--engine',
        engine,
        '--out',
        out,
      ]);
      expect(r.code).toBe(0);
      expect(manifest(out).metrics.engine).toBe(engine);
      return rows(out)[0];
    });
    const [a, b] = runs;
    for (const k of ['lines', 'activity', 'solvedAt']) expect(b[k]).toBe(a[k]);
    expect(b.meanAbsCorrelation).toBeCloseTo(a.meanAbsCorrelation, 6);
  });

  it('a stimulus set other than bars or alphabet is a usage error naming both', () => {
    const r = wmkit(['reproduce', 'foldiak1990', '--stimuli', 'digits']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--stimuli must be bars or alphabet, got 'digits'/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
