import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'wmkit-compte-'));
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
const tiny = ['--size', '128', '--set', 'protocol.preCueMs=600', '--set', 'protocol.cueMs=200', '--set', 'protocol.delayMs=600'];

describe('wmkit simulate compte2000', () => {
  it('writes decoded angles, rates and figures, identical for the same seed whatever the workers', () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    const ra = wmkit(['simulate', 'compte2000', ...tiny, '--trials', '2', '--seed', '3', '--workers', '1', '--out', a]);
    expect(ra.stderr).not.toMatch(/internal error/);
    expect(ra.code).toBe(0);
    const rb = wmkit(['simulate', 'compte2000', ...tiny, '--trials', '2', '--seed', '3', '--workers', '2', '--out', b]);
    expect(rb.code).toBe(0);
    const m = manifest(a);
    expect(m).toMatchObject({ kind: 'compte2000.simulate', status: 'complete', preset: 'compte2000.ndx3' });
    expect(m.arrays.map((x: { name: string }) => x.name)).toEqual(
      expect.arrayContaining(['cue_angle', 'response', 'decoded_angle', 'spike_counts_e', 'raster_cells', 'pop_rate_e']),
    );
    expect(m.metrics.baselineRateEHz).toBeGreaterThanOrEqual(0);
    expect(m.metrics.baselineRateIHz).toBeGreaterThan(0);
    expect(m.config.NE).toBe(128);
    // --from takes the run's network; --set changes one field; --print-config prints it and runs nothing
    const printed = wmkit(['simulate', 'compte2000', '--from', a, '--set', 'connectivity.sigmaDeg=18', '--print-config']);
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout)).toEqual({ ...m.config, connectivity: { ...m.config.connectivity, sigmaDeg: 18 } });
    for (const f of ['raster_cells.npy', 'raster_times_ms.npy', 'spike_counts_e.npy'])
      expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
  });

  it('--engine tfjs: TensorFlow.js ops, recorded in run.json, rates as the kernels engine within sampling error', () => {
    const short = ['--size', '64', '--set', 'protocol.preCueMs=200', '--set', 'protocol.cueMs=100', '--set', 'protocol.delayMs=200'];
    const a = join(root, 'engine-kernels');
    const b = join(root, 'engine-tfjs');
    expect(wmkit(['simulate', 'compte2000', ...short, '--trials', '2', '--seed', '4', '--out', a]).code).toBe(0);
    const rb = wmkit(['simulate', 'compte2000', ...short, '--trials', '2', '--seed', '4', '--engine', 'tfjs', '--out', b]);
    expect(rb.stderr).not.toMatch(/internal error/);
    expect(rb.code).toBe(0);
    expect(manifest(a).metrics.engine).toBe('kernels');
    expect(manifest(b).metrics.engine).toBe('tfjs');
    const spikes = (dir: string) => manifest(dir).arrays.find((x: { name: string }) => x.name === 'raster_cells').shape[0] as number;
    // same inputs (the per-trial streams), float32 vs float64: the same number of spikes within Poisson error
    const [na, nb] = [spikes(a), spikes(b)];
    expect(na).toBeGreaterThan(10);
    expect(Math.abs(na - nb)).toBeLessThan(3 * Math.sqrt(na + nb));
    const bad = wmkit(['simulate', 'compte2000', '--engine', 'gpu', '--out', join(root, 'bad-engine')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--engine must be kernels or tfjs, got 'gpu'/);
  }, 240_000);

  it('refuses bad parameters with one line naming the parameter', () => {
    const cases: [string[], RegExp][] = [
      [['--set', 'connectivity.gEEns=-0.1'], /'connectivity\.gEEns': must be ≥ 0/],
      [['--set', 'connectivity.sigmaDeg=0'], /'connectivity\.sigmaDeg': must be > 0/],
      [['--distractor', '400,0.2,500'], /'protocol\.distractor\.angleDeg': must be in \[0, 360\)/],
      [['--set', 'dtMs=0.5'], /'dtMs' \(0\.5 ms\) is too large for the NMDA rise/],
      [['--distractor', '90,x'], /--distractor: '90,x' must be angle,strength,onsetMs/],
    ];
    for (const [args, msg] of cases) {
      const r = wmkit(['simulate', 'compte2000', ...args, '--out', join(root, 'bad')]);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
  });
});

describe('wmkit reproduce compte2000', () => {
  it('writes surrogate recordings from the spikes that wmkit analyze wimmer reads', () => {
    const dir = join(root, 'repro');
    const r = wmkit([
      'reproduce',
      'compte2000',
      '--size',
      '64',
      '--set',
      'protocol.preCueMs=600',
      '--set',
      'protocol.cueMs=100',
      '--delay',
      '1000',
      '--trials',
      '16',
      '--distractor-trials',
      '1',
      '--amps',
      '0.2',
      '--distances',
      '90',
      '--neurons',
      '32',
      '--permutations',
      '20',
      '--workers',
      '2',
      '--out',
      dir,
    ]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const m = manifest(dir);
    expect(m.metrics).toMatchObject({ surrogateUnits: 32, surrogateSessions: 1 });
    expect(m.arrays.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['spike_time_ms', 'spike_unit', 'spike_trial']));
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/Analyses of Wimmer et al\. 2014 on the spikes/);
    const a = join(root, 'repro-wimmer');
    const w = wmkit([
      'analyze',
      'wimmer',
      '--data',
      join(dir, 'surrogate_recordings.mat'),
      '--delay',
      '700,1700',
      '--permutations',
      '20',
      '--out',
      a,
    ]);
    expect(w.stderr).toBe('');
    expect(w.code).toBe(0);
    expect(manifest(a).config).toMatchObject({ sessions: 1, units: 32, trials: 16, binMs: 50 });
  }, 240_000);
});
