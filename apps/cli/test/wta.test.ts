import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'wmkit-wta-'));
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));

describe('wmkit reproduce kriener2020 / foldiak1990', () => {
  it('kriener2020 (reduced): table, report and figures; nWTA decides, noisy WTA fails at N = 64', () => {
    const out = join(root, 'kriener');
    const r = wmkit(['reproduce', 'kriener2020', '--sizes', '2,8,64', '--trials', '20', '--wta-trials', '4', '--out', out]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/nWTA with noise decides at every N/);
    const m = manifest(out);
    expect(m.status).toBe('complete');
    expect(m.figures.map((f: { name: string }) => f.name)).toEqual(['decision_time', 'accuracy', 'hick', 'noise_breakdown', 'traces']);
    // Hick's law fit over N ≤ 32 (here N = 2, 8) and the mean-field critical noise per N
    expect(r.stdout).toMatch(/Hick's law at small N: T = [0-9.]+ \+ [0-9.]+·log₂\(N \+ 1\) over N ≤ 8 \(2 sizes/);
    expect(m.metrics.fit.hick.n).toBe(2);
    expect(m.metrics.noiseBreakdown.critical.map((c: { N: number }) => c.N)).toEqual([2, 8, 64]);
    const rows = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((x) => x.N)).toEqual([2, 8, 64]);
    for (const x of rows) expect(x.nwta.decided).toBe(1);
    expect(rows[2].wta.decided).toBeLessThan(0.5);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/\| N \| nWTA time/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<img src="decision_time.svg"/);
    expect(m.arrays.map((a: { name: string }) => a.name)).toEqual(expect.arrayContaining(['nwta_times', 'wta_decided', 'sizes']));
  });

  it('kriener2020 --sweep delta: the grid at each Δ, fits per Δ and a figure; a bad --sweep is refused', () => {
    const out = join(root, 'kriener-delta');
    const args = ['--sizes', '2,8', '--trials', '10', '--wta-trials', '2', '--deltas', '0.05,0.2', '--out', out];
    const r = wmkit(['reproduce', 'kriener2020', '--sweep', 'delta', ...args]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const m = manifest(out);
    expect(m).toMatchObject({ kind: 'reproduce.kriener2020.delta', status: 'complete' });
    expect(m.metrics.fits.map((f: { delta: number }) => f.delta)).toEqual([0.05, 0.2]);
    const rows = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((x) => [x.delta, x.N])).toEqual([
      [0.05, 2],
      [0.05, 8],
      [0.2, 2],
      [0.2, 8],
    ]);
    expect(readFileSync(join(out, 'delta_sweep.svg'), 'utf8')).toMatch(/^<\?xml/);
    // the sweep has its own config (deltas in place of delta): --from takes a sweep's, --set overrides it
    const printed = wmkit(['reproduce', 'kriener2020', '--sweep', 'delta', '--from', out, '--set', 'trials=7', '--print-config']);
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout)).toMatchObject({ deltas: [0.05, 0.2], sizes: [2, 8], trials: 7, wtaTrials: 2 });
    const bad = wmkit(['reproduce', 'kriener2020', '--sweep', 'sigma', '--out', join(root, 'bad-sweep')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--sweep 'sigma' is not known; use --sweep delta/);
  });

  it('parameters outside the WTA regime are refused as such', () => {
    const a = wmkit(['reproduce', 'kriener2020', '--alpha', '1.1', '--out', join(root, 'bad-a')]);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/no winner-take-all regime: α = 1.1 ≥ 1/);
    const b = wmkit(['reproduce', 'kriener2020', '--beta', '0.3', '--out', join(root, 'bad-b')]);
    expect(b.stderr).toMatch(/no winner-take-all regime: β = 0.3 ≤ 1 − α = 0.5/);
    expect(b.stderr).not.toMatch(/at .*\.js/);
    const c = wmkit(['reproduce', 'kriener2020', '--sizes', '1,4', '--out', join(root, 'bad-c')]);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--sizes: 1 is not an integer ≥ 2/);
  });

  it('foldiak1990: every seed learns the 16 bars; receptive fields and learning curve', () => {
    const out = join(root, 'foldiak');
    const r = wmkit(['reproduce', 'foldiak1990', '--seeds', '3', '--presentations', '2000', '--out', out]);
    expect(r.code).toBe(0);
    const m = manifest(out);
    expect(m.metrics.solved).toBeGreaterThanOrEqual(2);
    expect(m.figures.map((f: { name: string }) => f.name)).toEqual(['learning_curve', 'receptive_fields']);
    expect(readFileSync(join(out, 'receptive_fields.svg'), 'utf8')).toMatch(/row \d|column \d/);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/of 3 seeds represent all 16 lines/);
  });
});
