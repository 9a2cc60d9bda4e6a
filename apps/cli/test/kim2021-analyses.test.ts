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
