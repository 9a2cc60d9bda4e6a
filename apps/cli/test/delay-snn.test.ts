import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy } from '@wmkit/data-io';
import { beforeAll, describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

// The small preset (N=512, T=1000, M=8) with 2 gradient steps keeps this end-to-end test
// quick; `wmkit train delay-snn --preset perrinet2026.reference` is the full-size run.
const root = mkdtempSync(join(tmpdir(), 'wmkit-hd-'));
const run = join(root, 'hd-small');
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));

beforeAll(() => {
  const r = wmkit(['train', 'delay-snn', '--preset', 'perrinet2026.small', '--steps', '2', '--out', run]);
  expect(r.stderr + r.stdout).not.toMatch(/internal error/);
  expect(r.code).toBe(0);
});

describe('wmkit delay-snn (small network)', () => {
  it('train writes weights, patterns, recalled spikes, per-step metrics and figures', () => {
    const m = manifest(run);
    expect(m).toMatchObject({ kind: 'delay-snn', status: 'complete', preset: 'perrinet2026.small' });
    expect(m.config.model).toMatchObject({ N: 512, D: 41, T: 1000, M: 8 });
    const arrays = Object.fromEntries(m.arrays.map((a: { name: string; shape: number[] }) => [a.name, a.shape]));
    expect(arrays.W).toEqual([512, 512, 41]);
    expect(arrays.patterns).toEqual([8, 512, 1000]);
    expect(arrays.recall_events[1]).toBe(3);
    expect(m.figures.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining(['training', 'training_f1_over_time', 'raster', 'f1_over_time']),
    );
    expect(m.metrics.final.f1).toBeGreaterThan(0.99);
    const lines = readFileSync(join(run, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    // per step: loss, F1 and F1 along the pattern in bins of 10 steps ((T − D)/10 = 95.9 → 96 bins)
    expect(lines[1]).toMatchObject({ step: 2, beta: 0.7, threshold: 0.8 });
    expect(lines[1].trainLoss).toBeGreaterThanOrEqual(0);
    expect(lines[1].f1OverTime).toHaveLength(96);
    expect(Math.min(...lines[1].f1OverTime)).toBeGreaterThan(0.9);
  });

  it('evaluate --robustness writes a table and a figure beside the run', () => {
    const r = wmkit(['evaluate', 'delay-snn', run, '--robustness']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\| cue bit flips \| 0\.25 \|/);
    const m = manifest(join(run, 'robustness'));
    expect(m.status).toBe('complete');
    expect(m.metrics.robustness.length).toBe(12); // baseline + 4 flips + 4 cue fractions + silenced 32, 128, 256 (512 = N is left out);
    expect(readFileSync(join(run, 'robustness', 'robustness.csv'), 'utf8')).toMatch(/^protocol,level,precision,recall,F1,paper F1/);
  });

  it('scan writes a table and a plot with the paper’s values', () => {
    const out = join(root, 'scan-D');
    const r = wmkit([
      'scan',
      'delay-snn',
      '--preset',
      'perrinet2026.small',
      '--param',
      'D',
      '--values',
      '10,41',
      '--train-steps',
      '0',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const m = manifest(out);
    expect(m.metrics.points.map((p: { value: number }) => p.value)).toEqual([10, 41]);
    expect(m.metrics.points[0].f1).toBeLessThan(0.5);
    expect(m.metrics.points[1].f1).toBeGreaterThan(0.99);
    expect(readFileSync(join(out, 'scan.md'), 'utf8')).toMatch(/\| D \| seeds \| precision \| recall \| F1/);
    expect(readFileSync(join(out, 'scan.svg'), 'utf8')).toMatch(/^<\?xml/);
  });

  it('bad input: D ≥ T, p outside (0, 1), a pattern file of the wrong shape → a clear error and a non-zero exit', () => {
    const dt = wmkit(['train', 'delay-snn', '--set', 'D=1000', '--out', join(root, 'bad1')]);
    expect(dt.code).not.toBe(0);
    expect(dt.stderr).toMatch(/'D' \(1000\) must be smaller than 'T' \(1000\)/);
    expect(dt.stderr).not.toMatch(/at .*\.js/);
    const p = wmkit(['train', 'delay-snn', '--set', 'p=1.5', '--out', join(root, 'bad2')]);
    expect(p.code).not.toBe(0);
    expect(p.stderr).toMatch(/'p': must be < 1/);
    const file = join(root, 'wrong.npy');
    writeFileSync(file, encodeNpy({ data: new Uint8Array(2 * 10 * 100), shape: [2, 10, 100] }));
    const pf = wmkit(['train', 'delay-snn', '--preset', 'perrinet2026.small', '--patterns', file, '--out', join(root, 'bad3')]);
    expect(pf.code).not.toBe(0);
    expect(pf.stderr).toMatch(/shape \[2, 10, 100\] but the network has N = 512 neurons \(expected \[M, 512, T\]\)/);
    const scan = wmkit(['scan', 'delay-snn', '--param', 'D', '--values', '20,1200', '--out', join(root, 'bad4')]);
    expect(scan.code).not.toBe(0);
    expect(scan.stderr).toMatch(/scan D=1200/);
    const missing = wmkit(['evaluate', 'delay-snn', join(root, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such run directory/);
  });

  it('one config model: --set by dotted path (unknown fields listed), --print-config, --from reruns a run byte for byte', () => {
    const tiny = ['--preset', 'perrinet2026.small', '--set', 'N=64', '--set', 'T=200', '--set', 'M=2', '--set', 'D=10', '--steps', '1'];
    const printed = wmkit(['train', 'delay-snn', ...tiny, '--set', 'train.steps=3', '--print-config', '--out', join(root, 'print')]);
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout)).toMatchObject({ N: 64, T: 200, M: 2, D: 10, train: { steps: 1 } });
    expect(existsSync(join(root, 'print'))).toBe(false);
    const unknown = wmkit(['train', 'delay-snn', '--set', 'train.stepz=3', '--out', join(root, 'bad5')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown field 'stepz' in 'train'; valid fields: .*steps/);
    const a = join(root, 'from-a');
    const b = join(root, 'from-b');
    expect(wmkit(['train', 'delay-snn', ...tiny, '--seed', '5', '--out', a]).code).toBe(0);
    expect(wmkit(['train', 'delay-snn', '--from', a, '--out', b]).code).toBe(0);
    expect(manifest(b).config.model).toEqual(manifest(a).config.model);
    for (const f of ['W.npy', 'patterns.npy', 'recall_events.npy', 'f1_per_step.npy'])
      expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f)))).toBe(true);
    const wrong = wmkit(['train', 'delay-snn', '--from', join(root, 'nope'), '--out', join(root, 'bad6')]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--from .*nope: no run.json there/);
  });
});
