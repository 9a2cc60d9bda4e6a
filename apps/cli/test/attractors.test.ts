import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCueAngles } from '../src/commands/attractors/simulate';
import { wmkit } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'wmkit-attr-'));
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));

describe('wmkit simulate attractor', () => {
  it('simulates a ring model on worker threads and writes responses, rates, traces and figures', () => {
    const out = join(root, 'bump');
    const r = wmkit([
      'simulate',
      'attractor',
      '--model',
      'bump',
      '--trials',
      '48',
      '--delay',
      '600',
      '--traces',
      '1',
      '--workers',
      '2',
      '--out',
      out,
    ]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const m = manifest(out);
    expect(m).toMatchObject({ kind: 'attractor.simulate', status: 'complete', preset: 'wimmer2014.bump' });
    expect(m.arrays.map((a: { name: string }) => a.name)).toEqual(
      expect.arrayContaining(['response', 'delay_rates', 'decoded_angle', 'traces', 'cue']),
    );
    expect(m.figures.map((f: { name: string }) => f.name)).toEqual(['responses', 'diffusion', 'bump_trial0']);
    expect(m.metrics.responseSdDeg).toBeGreaterThan(0);
    expect(m.metrics.jumpFraction).toBe(0); // a bump drifts, it does not jump (600-ms delay)
    expect(m.metrics.responseSdNoJumpsDeg).toBe(m.metrics.responseSdDeg);
  });

  it('a delay too short for the drift fit still simulates, and says so', () => {
    const out = join(root, 'short');
    const r = wmkit(['simulate', 'attractor', '--model', 'bump', '--trials', '2', '--delay', '100', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no drift fit \(a delay of 100 ms is too short: it needs ≥ 200 ms\)/);
    const m = manifest(out);
    expect(m.status).toBe('complete');
    expect(m.metrics.diffusionSlopeDeg2PerS).toBeNull();
    expect(m.figures.map((f: { name: string }) => f.name)).not.toContain('diffusion');
  });

  it('the same seed gives the same responses with 1 or 2 workers', () => {
    const a = join(root, 'w1');
    const b = join(root, 'w2');
    expect(
      wmkit(['simulate', 'attractor', '--model', 'decaying', '--trials', '10', '--delay', '200', '--workers', '1', '--out', a]).code,
    ).toBe(0);
    expect(
      wmkit(['simulate', 'attractor', '--model', 'decaying', '--trials', '10', '--delay', '200', '--workers', '2', '--out', b]).code,
    ).toBe(0);
    expect(readFileSync(join(a, 'response.npy'))).toEqual(readFileSync(join(b, 'response.npy')));
  });

  it('--cues: chosen cue positions, trials cycling through them across 2 workers', () => {
    expect(parseCueAngles('0, 90,315')).toEqual([0, 2, 7]);
    expect(parseCueAngles('360,-45')).toEqual([0, 7]); // a ring: angles wrap
    const a = join(root, 'cues');
    const r = wmkit([
      'simulate',
      'attractor',
      '--model',
      'bump',
      '--cues',
      '90,270',
      '--trials',
      '5',
      '--delay',
      '200',
      '--workers',
      '2',
      '--out',
      a,
    ]);
    expect(r.code).toBe(0);
    const m = manifest(a);
    expect(m.config.cuesDeg).toEqual([90, 270]);
    const cue = readFileSync(join(a, 'cue.npy'));
    // int32 .npy: the cue indices follow the 128-byte header
    expect(Array.from(new Int32Array(cue.buffer.slice(cue.byteOffset + cue.length - 20, cue.byteOffset + cue.length)))).toEqual([
      2, 6, 2, 6, 2,
    ]);
  });

  it('bad input: a cue outside the ring or between cue positions', () => {
    for (const [cues, msg] of [
      ['100', /--cues: 100° is not one of the ring's 8 cue positions \(0, 45, 90, 135, 180, 225, 270, 315°\)/],
      ['45,abc', /--cues: 'abc' is not an angle in degrees/],
      ['0,,90', /--cues: give cue angles in degrees separated by commas/],
    ] as const) {
      const r = wmkit(['simulate', 'attractor', '--model', 'bump', '--cues', cues, '--out', join(root, 'bad-cue')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
    expect(existsSync(join(root, 'bad-cue'))).toBe(false);
  });

  it('--set reaches the model parameters (--print-config shows them); --from reruns a run byte for byte', () => {
    const p = wmkit([
      'simulate',
      'attractor',
      '--model',
      'bump',
      '--set',
      'sigmaESqrtMs=2',
      '--set',
      'connectivity.kappa=2',
      '--print-config',
    ]);
    expect(p.code).toBe(0);
    const cfg = JSON.parse(p.stdout);
    expect(cfg).toMatchObject({
      name: 'bump',
      sigmaESqrtMs: 2,
      connectivity: { kind: 'circulant', kappa: 2 },
      GEE: 6,
      trials: 16000,
      delayMs: 2000,
    });
    const bad = wmkit(['simulate', 'attractor', '--model', 'bump', '--set', 'sigma=2', '--print-config']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--set sigma: unknown field 'sigma'; valid fields: name, NE, .*sigmaESqrtMs.*cuesDeg/);
    const neg = wmkit(['simulate', 'attractor', '--model', 'bump', '--set', 'sigmaESqrtMs=-1', '--print-config']);
    expect(neg.code).not.toBe(0);
    expect(neg.stderr).toMatch(/'sigmaESqrtMs'/);
    expect(neg.stderr).not.toMatch(/internal error/);
    const a = join(root, 'from-a');
    const b = join(root, 'from-b');
    const first = wmkit([
      'simulate',
      'attractor',
      '--model',
      'bump',
      '--set',
      'sigmaESqrtMs=2',
      '--trials',
      '6',
      '--delay',
      '200',
      '--cues',
      '45,180',
      '--traces',
      '1',
      '--seed',
      '5',
      '--workers',
      '2',
      '--out',
      a,
    ]);
    expect(first.code).toBe(0);
    expect(manifest(a).config).toMatchObject({ name: 'bump', sigmaESqrtMs: 2, trials: 6, delayMs: 200, cuesDeg: [45, 180], traces: 1 });
    expect(manifest(a).seed).toBe(5);
    const again = wmkit(['simulate', 'attractor', '--from', a, '--out', b]);
    expect(again.stderr).not.toMatch(/error/);
    expect(again.code).toBe(0);
    expect(manifest(b).config).toEqual(manifest(a).config);
    expect(manifest(b).config.workers).toBe(2); // the threads of the recorded run, not --workers' default
    for (const f of ['cue', 'response', 'delay_rates', 'decoded_angle', 'traces'])
      expect(readFileSync(join(b, `${f}.npy`)).equals(readFileSync(join(a, `${f}.npy`))), f).toBe(true);
    const other = wmkit(['simulate', 'attractor', '--from', a, '--seed', '6', '--print-config']);
    expect(JSON.parse(other.stdout).sigmaESqrtMs).toBe(2);
    // a run recorded when the noise was the SD per 2-ms step (sigmaE, sigmaI) reruns the same process
    const old = join(root, 'from-old');
    mkdirSync(old);
    const { sigmaESqrtMs: _e, sigmaISqrtMs: _i, ...rest } = manifest(a).config;
    writeFileSync(join(old, 'run.json'), JSON.stringify({ ...manifest(a), config: { ...rest, sigmaE: 1, sigmaI: 3 } }));
    const converted = JSON.parse(wmkit(['simulate', 'attractor', '--from', old, '--print-config']).stdout);
    expect(converted.sigmaESqrtMs).toBe(Math.SQRT2); // the published bump model: 1 per 2-ms step
    expect(converted.sigmaISqrtMs).toBe(3 * Math.SQRT2);
    expect(converted.sigmaE).toBeUndefined();
    // a config file with the old fields is refused with the conversion
    const cfgFile = join(root, 'old-noise.json');
    writeFileSync(cfgFile, JSON.stringify({ sigmaE: 2 }));
    const legacy = wmkit(['simulate', 'attractor', '--model', 'bump', '--config', cfgFile, '--print-config']);
    expect(legacy.code).toBe(2);
    expect(legacy.stderr).toMatch(/'sigmaE' \(noise SD per step\) is now 'sigmaESqrtMs', in √ms: .*sigmaESqrtMs 2\.82843/);
  });

  it('bad input: unknown model, negative delay, missing model', () => {
    const u = wmkit(['simulate', 'attractor', '--model', 'ring', '--out', join(root, 'x')]);
    expect(u.code).toBe(2);
    expect(u.stderr.trim()).toBe("wmkit: error: unknown attractor model 'ring'; use one of bump, discrete, decaying");
    const d = wmkit(['simulate', 'attractor', '--model', 'bump', '--delay', '-100', '--out', join(root, 'y')]);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/--delay must be a number of ms ≥ 0, got -100/);
    expect(wmkit(['simulate', 'attractor', '--out', join(root, 'z')]).stderr).toMatch(/--model is required/);
    expect(wmkit(['simulate', 'attractor', '--from', join(root, 'nowhere'), '--out', join(root, 'z')]).stderr).toMatch(/no run.json there/);
  });

  it('bad input to reproduce wimmer2014: a delay too short for the analyses, too few trials for the surrogate recordings', () => {
    const short = wmkit(['reproduce', 'wimmer2014', '--delay', '0', '--out', join(root, 'wimmer-short-delay')]);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/--delay 0 ms is too short for the analyses.*use ≥ 1000 ms/);
    const few = wmkit(['reproduce', 'wimmer2014', '--trials', '320', '--out', join(root, 'wimmer-few-trials')]);
    expect(few.code).toBe(2);
    expect(few.stderr).toMatch(/--trials 320 is too few for the surrogate recordings .*use ≥ 1632/);
    const single = wmkit(['reproduce', 'wimmer2014', '--per-session', '1', '--out', join(root, 'wimmer-single')]);
    expect(single.code).toBe(2);
    expect(single.stderr).toMatch(/--per-session must be an integer ≥ 2, got '1'/);
    expect(existsSync(join(root, 'wimmer-short-delay'))).toBe(false);
    expect(existsSync(join(root, 'wimmer-few-trials'))).toBe(false);
    expect(existsSync(join(root, 'wimmer-single'))).toBe(false);
  });
});

describe('wmkit reproduce wimmer2014 (reduced)', () => {
  it('runs the three models, the analyses, and writes report.md, report.html and figures', () => {
    const out = join(root, 'wimmer');
    const r = wmkit(['reproduce', 'wimmer2014', '--trials', '1632', '--delay', '1000', '--permutations', '20', '--out', out]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tuning bias, last s/);
    const m = manifest(out);
    expect(m.status).toBe('complete');
    expect(Object.keys(m.metrics)).toEqual(expect.arrayContaining(['bump', 'discrete', 'decaying']));
    // surrogate spike counts scaled to the monkeys' 9-Hz mean delay rate
    expect(r.stdout).toMatch(/surrogate: Hz per unit r_E \(delay mean, Hz\) +[\d.]+ \(9\.0\)/);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toMatch(/Wimmer et al\. 2014/);
    for (const f of ['responses', 'tuning_bias', 'rate_behavior', 'fano', 'noise_correlations', 'diffusion', 'bump_bump']) {
      expect(readFileSync(join(out, `${f}.svg`), 'utf8')).toMatch(/^<\?xml[\s\S]*<svg/);
    }
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<img src="tuning_bias\.svg"/);
  });
});
