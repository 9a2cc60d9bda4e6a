import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeNpy, readMat, writeMat } from '@wmkit/data-io';
import { readNwb } from '@wmkit/data-io/node';
import { Rng } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

const here = dirname(fileURLToPath(import.meta.url));
const kimMat = join(here, '..', '..', '..', 'packages', 'ei-rnn', 'test', 'fixtures', 'kim_dms_model.mat');
const root = mkdtempSync(join(tmpdir(), 'wmkit-data-'));
const run = join(root, 'kim-1');
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));

let importOut = '';
beforeAll(() => {
  const r = wmkit(['import', 'kim-mat', kimMat, '--trials', '100', '--spiking-trials', '20', '--out', run]);
  importOut = r.stdout + r.stderr;
  expect(r.code).toBe(0);
});

describe('interchange: Kim .mat models, MAT/NWB export, inspect, recorded spikes', () => {
  it('import kim-mat: the model runs as rate and spiking networks, and is an ei-rnn run', () => {
    expect(importOut).toMatch(/rate network: DMS accuracy \d+\.\d%/);
    expect(importOut).toMatch(/spiking network \(1\/λ = 20 from the file\): DMS accuracy \d+\.\d%/);
    const m = manifest(run);
    expect(m.kind).toBe('ei-rnn.rate');
    expect(m.metrics.rateAccuracyShortDelay).toBeGreaterThanOrEqual(0.9);
    expect(m.metrics.spikingAccuracyShortDelay).toBeGreaterThanOrEqual(0.85);
    expect(manifest(join(run, 'lif')).metrics.bestInverseScale).toBe(20);
  });

  it('import kim-mat: a missing field or a corrupt file is one clear error', () => {
    const bad = join(root, 'no-wout.mat');
    const vars = readMat(readFileSync(kimMat), 'kim').variables;
    writeFileSync(
      bad,
      writeMat({
        w: { data: Float64Array.from((vars.w as { data: Float64Array }).data), shape: [200, 200] },
        taus: { data: Float64Array.of(4, 25), shape: [1, 2] },
      }),
    );
    const r = wmkit(['import', 'kim-mat', bad, '--out', join(root, 'bad')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no-wout.mat: missing fields 'm', 'som_m', 'w_in', 'w_out', 'b_out', 'taus_gaus'/);
    const cut = join(root, 'cut.mat');
    writeFileSync(cut, readFileSync(kimMat).subarray(0, 1000));
    const c = wmkit(['import', 'kim-mat', cut, '--out', join(root, 'bad2')]);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/cut.mat: (truncated file|corrupt compressed element)/);
    expect(c.stderr).not.toMatch(/internal error/);
  });

  it('simulate --spiking → export nwb → the units and trials read back; analyze timescales --spikes runs on it', async () => {
    expect(wmkit(['simulate', run, '--spiking', '--trials', '12', '--raster-trials', '12']).code).toBe(0);
    const sim = join(run, 'simulate-spiking');
    const e = wmkit(['export', 'nwb', sim]);
    expect(e.code).toBe(0);
    const nwb = await readNwb(join(sim, 'export.nwb'));
    expect(nwb.spikeTimes.length).toBe(200);
    expect(nwb.trials?.start.length).toBe(12);
    expect(Array.from(nwb.trials?.stop ?? []).slice(0, 2)).toEqual([1.5, 3]);
    expect(Object.keys(nwb.trials?.columns ?? {})).toEqual(expect.arrayContaining(['condition_stim1', 'condition_match']));
    const i = wmkit(['inspect', join(sim, 'export.nwb')]);
    expect(i.stdout).toMatch(/NWB 2\.7\.0 \(HDF5\)/);
    expect(i.stdout).toMatch(/spike_times_index {2}<i {2}\[200\] {2}<VectorIndex>/);
    const t = wmkit(['analyze', 'timescales', '--spikes', join(sim, 'export.nwb'), '--out', join(root, 'tau-nwb')]);
    expect(t.stderr).not.toMatch(/internal error/);
    expect(t.code).toBe(0);
    expect(manifest(join(root, 'tau-nwb')).config.shape).toEqual([12, 200, 30]);
  });

  it('export mat: arrays, metrics and config open as MATLAB variables', () => {
    expect(wmkit(['export', 'mat', run]).code).toBe(0);
    const m = readMat(readFileSync(join(run, 'export.mat')), 'export.mat').variables;
    expect(m.w).toMatchObject({ kind: 'numeric', class: 'double', shape: [200, 200] });
    expect(m.metrics.kind).toBe('struct');
    expect(m.config_json.kind).toBe('char');
  });

  it('export refuses a run that is not complete (its arrays may be partial) unless --allow-incomplete', () => {
    const failed = join(root, 'failed');
    const m = manifest(run);
    m.status = 'failed';
    mkdirSync(failed);
    writeFileSync(join(failed, 'run.json'), JSON.stringify({ ...m, arrays: [] }));
    for (const fmt of ['mat', 'nwb']) {
      const r = wmkit(['export', fmt, failed]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/the run is failed, not complete, .*pass --allow-incomplete/);
      expect(existsSync(join(failed, `export.${fmt}`))).toBe(false);
    }
    expect(wmkit(['export', 'mat', failed, '--allow-incomplete']).code).toBe(0);
  });

  it('analyze timescales --spikes: counts .npy and spike rows; bad layouts named', () => {
    // 30 trials × 4 units × 30 bins of Poisson counts whose rate follows a slow AR(1) process
    let s = 12345;
    const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    const counts = new Float32Array(30 * 4 * 30);
    for (let tr = 0; tr < 30; tr++)
      for (let u = 0; u < 4; u++) {
        let x = 0;
        for (let b = 0; b < 30; b++) {
          x = 0.8 * x + (rnd() - 0.5);
          const lam = Math.max(0.1, 3 + 3 * x);
          let k = 0;
          let p = Math.exp(-lam);
          let F = p;
          const v = rnd();
          while (v > F && k < 50) {
            p *= lam / ++k;
            F += p;
          }
          counts[(tr * 4 + u) * 30 + b] = k;
        }
      }
    const f = join(root, 'counts.npy');
    writeFileSync(f, encodeNpy({ data: counts, shape: [30, 4, 30] }));
    const r = wmkit(['analyze', 'timescales', '--spikes', f, '--out', join(root, 'tau-npy')]);
    expect(r.code).toBe(0);
    expect(manifest(join(root, 'tau-npy')).metrics.units).toBe(4);
    const wrong = join(root, 'wrong.npy');
    writeFileSync(wrong, encodeNpy({ data: new Float32Array(10), shape: [10] }));
    const w = wmkit(['analyze', 'timescales', '--spikes', wrong, '--out', join(root, 'tau-bad')]);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/wrong.npy: array of shape \[10\]; expected counts \[trials, units, bins\] or spike rows \[n, 3\]/);
  });

  it('analyze wimmer on recorded trials (.mat): a bump-like data set shows the tuning bias', () => {
    // 8 cues × 50 trials, 30 units tuned around the ring; the remembered angle drifts from the cue
    // to the eventual response over the delay (1–4 s), as in a bump attractor
    const rng = new Rng(7);
    const T = 400;
    const U = 30;
    const B = 80; // 50-ms bins, 4 s
    const cue = new Float64Array(T);
    const response = new Float64Array(T);
    const counts = new Float64Array(T * U * B);
    const dev = rng.normal([T], 0, 0.25);
    for (let t = 0; t < T; t++) {
      const c = t % 8;
      cue[t] = c + 1;
      const theta = (2 * Math.PI * c) / 8;
      response[t] = theta + dev[t];
      for (let b = 0; b < B; b++) {
        const tms = (b + 0.5) * 50;
        const m = theta + dev[t] * Math.min(1, Math.max(0, (tms - 1000) / 3000));
        for (let u = 0; u < U; u++) {
          const rate = tms < 500 ? 3 : 3 + 25 * Math.exp(2 * (Math.cos(m - (2 * Math.PI * u) / U) - 1));
          counts[(t * U + u) * B + b] = rng.poisson([1], rate * 0.05)[0];
        }
      }
    }
    const f = join(root, 'recorded.mat');
    writeFileSync(
      f,
      writeMat({
        counts: { data: counts, shape: [T, U, B] },
        cue: { data: cue, shape: [T, 1] },
        response: { data: response, shape: [T, 1] },
        bin_ms: 50,
      }),
    );
    const r = wmkit(['analyze', 'wimmer', '--data', f, '--delay', '1000,4000', '--permutations', '200', '--out', join(root, 'wimmer-rec')]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const m = manifest(join(root, 'wimmer-rec'));
    expect(m.metrics.tuningBiasLateDeg).toBeGreaterThan(0);
    expect(m.metrics.tuningBiasLateP).toBeLessThan(0.05);
    expect(readFileSync(join(root, 'wimmer-rec', 'report.md'), 'utf8')).toMatch(/tuning bias, last s/);
    const bad = wmkit(['analyze', 'wimmer', '--data', kimMat, '--out', join(root, 'wimmer-bad')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/kim_dms_model.mat: missing variable 'counts'/);
  });

  it('inspect: .mat, v7.3, .npy', () => {
    const fx = join(here, '..', '..', '..', 'packages', 'data-io', 'test', 'fixtures');
    expect(wmkit(['inspect', kimMat]).stdout).toMatch(/taus_gaus {2}double {2}200×1/);
    expect(wmkit(['inspect', join(fx, 'matlab_v73.mat')]).stdout).toMatch(/A {2}<d {2}MATLAB size 2×3 {2}<double>/);
    expect(wmkit(['inspect', join(fx, 'scipy_compressed.mat')]).stdout).toMatch(/st {2}struct {2}1×1 {2}fields: a, b, c, inner/);
    const bad = wmkit(['inspect', join(fx, 'make_fixtures.py')]);
    expect(bad.code).toBe(2);
  });
});
