import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy } from '@wmkit/data-io';
import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'wmkit-kim-analyses-'));
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));

/** Counts [trials, units, 21 bins of 50 ms] of Poisson units whose rate follows an AR(1) process with `tauMs`. */
function slowCounts(trials: number, units: number, tauMs: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const a = Math.exp(-50 / tauMs);
  const out = new Float32Array(trials * units * 21);
  for (let r = 0; r < trials; r++)
    for (let u = 0; u < units; u++) {
      let x = rng.normal1();
      for (let b = 0; b < 21; b++) {
        x = a * x + Math.sqrt(1 - a * a) * rng.normal1();
        out[(r * units + u) * 21 + b] = rng.poisson1(Math.max(0.05, 2.5 * (1 + 0.5 * x)));
      }
    }
  return out;
}

describe('analyze timescales --estimator', () => {
  it('unbiased: writes per-unit posterior medians and credible intervals beside the paper’s arrays', () => {
    const f = join(root, 'counts.npy');
    writeFileSync(f, encodeNpy({ data: slowCounts(40, 6, 200, 3), shape: [40, 6, 21] }));
    const out = join(root, 'tau-unbiased');
    const r = wmkit(['analyze', 'timescales', '--spikes', f, '--estimator', 'unbiased', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/unbiased estimator: \d+ units/);
    for (const a of ['tau_ms', 'tau_unbiased_ms', 'tau_unbiased_lower_ms', 'tau_unbiased_upper_ms', 'tau_posterior', 'tau_grid_ms'])
      expect(existsSync(join(out, `${a}.npy`))).toBe(true);
    const m = manifest(out);
    expect(m.config.estimator).toBe('unbiased');
    expect(m.metrics.unbiased.included + m.metrics.unbiased.unconstrained).toBeGreaterThan(0);
    const bad = wmkit(['analyze', 'timescales', '--spikes', f, '--estimator', 'abc', '--out', join(root, 'tau-bad')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--estimator must be kim or unbiased, got 'abc'/);
  });
});

describe('analyze fano and cross-temporal on recordings; what a model run lacks is named', () => {
  it('analyze fano --spikes: slow units vary more than Poisson units over the window', () => {
    // 8 units with a slow (400 ms) rate process, 8 Poisson units: all at 50 Hz
    const trials = 50;
    const slow = slowCounts(trials, 8, 400, 5);
    const data = new Float32Array(trials * 16 * 21);
    const rng = new Rng(6);
    for (let r = 0; r < trials; r++)
      for (let u = 0; u < 16; u++)
        for (let b = 0; b < 21; b++) data[(r * 16 + u) * 21 + b] = u < 8 ? slow[(r * 8 + u) * 21 + b] : rng.poisson1(2.5);
    const f = join(root, 'fix.npy');
    writeFileSync(f, encodeNpy({ data, shape: [trials, 16, 21] }));
    const out = join(root, 'fano');
    const r = wmkit(['analyze', 'fano', '--spikes', f, '--permutations', '500', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Spearman ρ -?\d\.\d+ \(permutation p/);
    const m = manifest(out).metrics;
    expect(m.pairs).toBeGreaterThan(0);
    expect(m.medianFano).toBeGreaterThan(1);
    expect(existsSync(join(out, 'fano_vs_tau.svg'))).toBe(true);
  });

  it('analyze cross-temporal --spikes: planted long-τ units keep the cue through the delay', () => {
    const B = 60;
    const U = 12;
    const T = 30; // 50-ms bins; cue [150, 400) ms, delay [400, 1150) ms
    const rng = new Rng(8);
    const labels = Float32Array.from({ length: B }, (_, i) => i % 2);
    const data = new Float32Array(B * U * T);
    for (let r = 0; r < B; r++)
      for (let u = 0; u < U; u++)
        for (let t = 0; t < T; t++) {
          const on = u < 6 ? t >= 3 && t < 23 : t >= 3 && t < 8;
          data[(r * U + u) * T + t] = rng.poisson1(on ? (labels[r] ? 4 : 0.5) : 2);
        }
    const tau = Float32Array.from({ length: U }, (_, u) => (u < 6 ? 300 : 30));
    const files = { c: join(root, 'cue.npy'), l: join(root, 'labels.npy'), t: join(root, 'tau.npy') };
    writeFileSync(files.c, encodeNpy({ data, shape: [B, U, T] }));
    writeFileSync(files.l, encodeNpy({ data: labels, shape: [B] }));
    writeFileSync(files.t, encodeNpy({ data: tau, shape: [U] }));
    const out = join(root, 'ct');
    const args = ['analyze', 'cross-temporal', '--spikes', files.c, '--labels', files.l, '--tau', files.t];
    const r = wmkit([...args, '--delay-ms', '400,1150', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = manifest(out).metrics;
    expect(m.unitsPerGroup).toBe(6);
    expect(m.longDelayAccuracy).toBeGreaterThan(0.9);
    expect(m.shortDelayAccuracy).toBeLessThan(0.7);
    expect(existsSync(join(out, 'decoding_long.npy'))).toBe(true);
    const missing = wmkit([...args.slice(0, 4), '--out', join(root, 'ct2')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--spikes needs --labels/);
  });

  it('train ei-rnn --task afc records its task; simulate runs it (and refuses another task); a run without a spiking network names `wmkit convert lif`', () => {
    const dir = join(root, 'afc-tiny');
    const t = wmkit([
      'train',
      'ei-rnn',
      '--task',
      'afc',
      '--set',
      'model.N=20',
      '--set',
      'train.maxTrials=40',
      '--set',
      'train.evalTrials=10',
      '--out',
      dir,
    ]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/rate RNN on afc \(kim2021\.afc, seed 1\)/);
    expect(t.stdout).toMatch(/rate afc accuracy \(200 fresh trials\): \d+\.\d%/);
    const m = manifest(dir);
    expect(m.config.task.name).toBe('afc');
    expect(m.config.model.nInputs).toBe(1);
    expect(typeof m.metrics.rateAccuracyTask).toBe('number');
    const sim = wmkit(['simulate', dir, '--task', 'afc', '--trials', '4', '--format', 'svg']);
    expect(sim.stderr).toBe('');
    expect(sim.stdout).toMatch(/simulating 4 afc trials .*\n✓ accuracy \d+\.\d% on 4 trials/);
    expect(manifest(join(dir, 'simulate')).config.task.stimulusMs).toBe(m.config.task.stimulusMs);
    const wrongTask = wmkit(['simulate', dir, '--task', 'gonogo', '--trials', '4']);
    expect(wrongTask.code).toBe(2);
    expect(wrongTask.stderr).toMatch(/--task gonogo does not match .*run\.json, which records the afc task; leave --task out/);
    const ct = wmkit(['analyze', 'cross-temporal', dir]);
    expect(ct.code).toBe(2);
    expect(ct.stderr).toMatch(/has no converted spiking network .*run `wmkit convert lif /);
    const fano = wmkit(['analyze', 'fano', dir]);
    expect(fano.code).toBe(2);
    expect(fano.stderr).toMatch(/has no timescales analysis .*run `wmkit analyze timescales /);
    const w = wmkit(['analyze', 'weights', dir, '--out', join(root, 'weights'), '--permutations', '20']);
    expect(w.stderr).toBe('');
    expect(w.stdout).toMatch(/afc +1 networks: mean weight E→E \d\.\d+, E→I \d\.\d+, I→E -\d\.\d+, I→I -\d\.\d+/);
    expect(manifest(join(root, 'weights')).metrics.byTask.afc.networks).toBe(1);
    const sub = wmkit(['experiment', 'subgroups', dir]);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toMatch(/was trained on afc; the subgroup experiment needs a DMS network/);
    const clash = wmkit(['train', 'ei-rnn', '--task', 'gonogo', '--preset', 'kim2021.afc', '--out', join(root, 'x')]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/--task gonogo does not match --preset kim2021.afc/);
  });
});
