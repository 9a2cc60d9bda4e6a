import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signTestP } from '@wmkit/analysis';
import { beforeAll, describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

// A small network and short budgets keep this end-to-end test fast; the full-size pipeline is
// what `pnpm demo` and the reports run.
const root = mkdtempSync(join(tmpdir(), 'wmkit-ei-'));
const run = join(root, 'dms-small');
const configFile = join(root, 'small.json');

beforeAll(() => {
  writeFileSync(configFile, JSON.stringify({ model: { N: 40 }, train: { maxTrials: 300, evalTrials: 20 } }));
  const r = wmkit(['train', 'ei-rnn', '--preset', 'kim2021.dms', '--seed', '3', '--config', configFile, '--out', run]);
  expect(r.stderr + r.stdout).not.toMatch(/internal error/);
  expect(r.code).toBe(0);
});

const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));

describe('wmkit E/I RNN pipeline (small network)', () => {
  it('train writes the model, curves, figure and the departures of the preset', () => {
    const m = manifest(run);
    expect(m).toMatchObject({ kind: 'ei-rnn.rate', status: 'complete', preset: 'kim2021.dms', seed: 3 });
    expect(m.notes.length).toBe(2);
    expect(m.config.model.N).toBe(40);
    expect(m.config.model.balancedInit).toBe(true);
    expect(m.arrays.map((a: { name: string }) => a.name)).toEqual(
      expect.arrayContaining(['w', 'sign', 'som_m', 'w_in', 'w_out', 'b_out', 'taus_gaus', 'tau_ms']),
    );
    expect(m.figures[0].name).toBe('training');
    expect(typeof m.metrics.rateAccuracyLongDelay).toBe('number');
    const lines = readFileSync(join(run, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3); // evaluations at trials 1, 101, 201
  });

  it('--from reruns a training byte for byte; --set and --print-config work on {model, train}', () => {
    const again = join(root, 'dms-again');
    const r = wmkit(['train', 'ei-rnn', '--from', run, '--out', again]);
    expect(r.code).toBe(0);
    const m = manifest(again);
    expect(m.seed).toBe(3);
    expect(m.config).toEqual(manifest(run).config);
    for (const a of ['w', 'w_in', 'w_out', 'b_out', 'taus_gaus', 'tau_ms'])
      expect(readFileSync(join(again, `${a}.npy`)).equals(readFileSync(join(run, `${a}.npy`)))).toBe(true);
    const p = wmkit(['train', 'ei-rnn', '--config', configFile, '--set', 'model.N=30', '--set', 'train.maxTrials=50', '--print-config']);
    expect(p.code).toBe(0);
    const printed = JSON.parse(p.stdout);
    expect(printed.model).toMatchObject({ N: 30, balancedInit: true });
    expect(printed.train).toMatchObject({ maxTrials: 50, evalTrials: 20 });
    const bad = wmkit(['train', 'ei-rnn', '--set', 'model.nope=1', '--print-config']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--set model\.nope: unknown field 'nope' in 'model'; valid fields: N, /);
  });

  it('convert lif, analyze timescales, experiment and simulate each write a sub-run', () => {
    expect(wmkit(['convert', 'lif', run, '--grid', '30', '--trials', '4', '--long-trials', '4']).code).toBe(0);
    const lif = manifest(join(run, 'lif'));
    expect(lif).toMatchObject({ kind: 'ei-rnn.lif', status: 'complete', metrics: { bestInverseScale: 30 } });
    expect(wmkit(['analyze', 'timescales', run, '--trials', '6']).code).toBe(0);
    const ts = manifest(join(run, 'timescales'));
    expect(ts.arrays.map((a: { name: string }) => a.name)).toEqual(expect.arrayContaining(['tau_ms', 'autocorrelation', 'counts']));
    expect(ts.figures.map((f: { name: string }) => f.name)).toEqual(['tau_histogram', 'autocorrelation']);
    const e = wmkit(['experiment', 'scale-synapses', run, '--block', 'ii', '--factor', '1.3', '--trials', '4', '--timescale-trials', '6']);
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/median τ \(ms\)/);
    expect(manifest(join(run, 'scale-ii-1.3')).metrics).toMatchObject({ block: 'ii', factor: 1.3 });
    const s = wmkit(['simulate', run, '--spiking', '--trials', '2']);
    expect(s.code).toBe(0);
    expect(manifest(join(run, 'simulate-spiking')).arrays.map((a: { name: string }) => a.name)).toEqual(
      expect.arrayContaining(['spike_unit', 'outputs']),
    );
  });
});

describe('wmkit reproduce kim2021', () => {
  it('runs the missing steps of each model (a trained model is reused), then the tables, figure and report', () => {
    const out = join(root, 'kim');
    const models = `${out}.models`;
    mkdirSync(models, { recursive: true });
    // the small trained model without its sub-runs: reproduce must convert it and run both experiments
    cpSync(run, join(models, 'seed-3'), {
      recursive: true,
      filter: (src) => !/dms-small\/(lif|timescales|scale-ii-[\d.]+|simulate-spiking)(\/|$)/.test(src),
    });
    expect(existsSync(join(models, 'seed-3', 'lif'))).toBe(false);
    const trained = readFileSync(join(models, 'seed-3', 'run.json'), 'utf8');
    const args = ['reproduce', 'kim2021', '--out', out, '--seeds', '1', '--seed', '3', '--trials', '4', '--timescale-trials', '6'];
    const r = wmkit([...args, '--workers', '1', '--panels', 'none']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(readFileSync(join(models, 'seed-3', 'run.json'), 'utf8')).toBe(trained); // not retrained
    for (const sub of ['lif', 'scale-ii-0.7', 'scale-ii-1.3']) expect(manifest(join(models, 'seed-3', sub)).status).toBe('complete');
    expect(r.stdout).toMatch(/median τ longer in [01] of 1 model/);
    const m = manifest(out);
    expect(m).toMatchObject({ kind: 'reproduce.kim2021', status: 'complete', metrics: { models: 1, completed: 1 } });
    expect(m.figures.map((f: { name: string }) => f.name)).toEqual(['ii_scaling']);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/## I→I scaling/);
    // a rerun rebuilds the report and reuses every complete step
    const experiment = readFileSync(join(models, 'seed-3', 'scale-ii-0.7', 'run.json'), 'utf8');
    // with panels (Fig. 3, Fig. 7, the unbiased τ) on the one DMS model: figures beside the report, numbers in panels/
    const p = wmkit([...args, '--force', '--tasks', 'dms', '--panels', 'fig3,fig7,unbiased', '--cross-temporal-trials', '2']);
    expect(p.stderr).not.toMatch(/internal error/);
    expect(p.code).toBe(0);
    expect(readFileSync(join(models, 'seed-3', 'scale-ii-0.7', 'run.json'), 'utf8')).toBe(experiment);
    expect(manifest(out).figures.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining(['ii_scaling', 'fig3_delay_accuracy', 'fig3_cross_temporal']),
    );
    expect(manifest(join(out, 'panels'))).toMatchObject({ kind: 'reproduce.kim2021.panels', status: 'complete' });
    expect(manifest(join(out, 'panels')).metrics.networks).toHaveLength(1);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(
      /## Fig\. 3 — cross-temporal decoding[\s\S]*## Fig\. 7 — fixation-period variability/,
    );
  });

  it('trains missing models on workers into the same files as train ei-rnn with that config and seed', () => {
    const out = join(root, 'kim-fresh');
    const sets = ['--set', 'model.N=20', '--set', 'train.maxTrials=20', '--set', 'train.evalTrials=4'];
    const printed = wmkit(['reproduce', 'kim2021', ...sets, '--print-config']);
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout).model.N).toBe(20);
    const args = ['--seeds', '1', '--seed', '5', '--trials', '2', '--timescale-trials', '4', '--workers', '1', '--panels', 'none'];
    const r = wmkit(['reproduce', 'kim2021', '--out', out, ...args, ...sets]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const alone = join(root, 'kim-fresh-alone');
    expect(wmkit(['train', 'ei-rnn', '--seed', '5', ...sets, '--out', alone]).code).toBe(0);
    const dir = join(`${out}.models`, 'seed-5');
    const a = manifest(dir);
    const b = manifest(alone);
    expect(a.config).toEqual(b.config);
    const { trainSeconds: _a, ...ma } = a.metrics;
    const { trainSeconds: _b, ...mb } = b.metrics;
    expect(ma).toEqual(mb);
    for (const name of b.arrays.map((x: { name: string }) => x.name))
      expect(readFileSync(join(dir, `${name}.npy`)).equals(readFileSync(join(alone, `${name}.npy`)))).toBe(true);
    const evals = (d: string) =>
      readFileSync(join(d, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => ({ ...JSON.parse(l), seconds: 0 }));
    expect(evals(dir)).toEqual(evals(alone));
    for (const sub of ['lif', 'scale-ii-0.7', 'scale-ii-1.3']) expect(manifest(join(dir, sub)).status).toBe('complete');
    expect(manifest(out).config.model.N).toBe(20);
  });

  it('bad input: an unknown preset, or a model directory holding another kind of run, is refused before anything is written', () => {
    const out = join(root, 'kim-bad');
    const r = wmkit(['reproduce', 'kim2021', '--preset', 'kim2099.dms', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/kim2099\.dms/);
    expect(existsSync(out)).toBe(false);
    const other = join(`${out}.models`, 'seed-1');
    expect(wmkit(['simulate', 'attractor', '--model', 'bump', '--trials', '2', '--delay', '100', '--out', other]).code).toBe(0);
    const k = wmkit(['reproduce', 'kim2021', '--seeds', '1', '--out', out]);
    expect(k.code).toBe(2);
    expect(k.stderr).toMatch(
      /seed-1 holds a 'attractor.simulate' run, not an E\/I RNN \('ei-rnn.rate'\); remove it or choose another --out/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('the sign test of the I→I comparison (known answers)', () => {
    expect(signTestP(3, 3)).toBe(0.125);
    expect(signTestP(0, 4)).toBe(1);
    expect(signTestP(5, 10)).toBeCloseTo(638 / 1024, 12);
  });
});

describe('bad input gives one clear line and a non-zero exit', () => {
  it('unknown preset', () => {
    const r = wmkit(['train', 'ei-rnn', '--preset', 'kim2099.dms', '--out', join(root, 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      "wmkit: error: unknown ei-rnn preset 'kim2099.dms'; known presets: kim2021.dms-exact, kim2021.dms, kim2021.afc, kim2021.gonogo",
    );
  });

  it('malformed config: bad JSON, and a field that fails validation (named)', () => {
    const bad = join(root, 'bad.json');
    writeFileSync(bad, '{ "model": { "N": ');
    const r1 = wmkit(['train', 'ei-rnn', '--config', bad, '--out', join(root, 'y')]);
    expect(r1.code).toBe(2); // an unreadable config file is a usage error, as for every command's --config
    expect(r1.stderr).toMatch(/bad\.json: not valid JSON/);
    writeFileSync(bad, JSON.stringify({ model: { N: -5, pInh: 2 } }));
    const r2 = wmkit(['train', 'ei-rnn', '--config', bad, '--out', join(root, 'y')]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/bad\.json model: invalid rate RNN config: 'N': .*'pInh'/);
    expect(r2.stderr).not.toMatch(/\n\s+at /);
  });

  it('a config field in the wrong place or misspelt is an error, not silently ignored', () => {
    const cfg = join(root, 'typo.json');
    writeFileSync(cfg, JSON.stringify({ N: 100 }));
    const r1 = wmkit(['train', 'ei-rnn', '--config', cfg, '--out', join(root, 'typo')]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/typo\.json: 'N' is not a top-level field; model fields go under "model"/);
    writeFileSync(cfg, JSON.stringify({ model: { n: 100 } }));
    const r2 = wmkit(['train', 'ei-rnn', '--config', cfg, '--out', join(root, 'typo')]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/typo\.json model: invalid rate RNN config: 'n': not a field of this config \(the fields: N, /);
    expect(existsSync(join(root, 'typo'))).toBe(false);
  });

  it('wrong input dimension', () => {
    const cfg = join(root, 'three-inputs.json');
    writeFileSync(cfg, JSON.stringify({ model: { N: 20, nInputs: 3 } }));
    const r = wmkit(['train', 'ei-rnn', '--config', cfg, '--out', join(root, 'z')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the task has 2 inputs and 1 outputs but the network has 3 and 1/);
  });

  it('a run directory that is not an ei-rnn run, or does not exist', () => {
    const other = join(root, 'ou');
    expect(wmkit(['demo', '--quick', '--out', root]).code).toBe(0);
    const r = wmkit(['convert', 'lif', other]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a 'demo\.ou' run, not 'ei-rnn\.rate'; train one with `wmkit train ei-rnn/);
    expect(wmkit(['analyze', 'timescales', join(root, 'nope')]).stderr).toMatch(/no such run directory/);
  });

  it('timescales before conversion tells you to convert', () => {
    const fresh = join(root, 'fresh');
    expect(wmkit(['train', 'ei-rnn', '--config', configFile, '--max-trials', '1', '--out', fresh]).code).toBe(0);
    const r = wmkit(['analyze', 'timescales', fresh]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no converted spiking network .* run `wmkit convert lif/);
  });

  it('run.json records the task with every parameter; later commands read it back and refuse a mismatch naming both', () => {
    const task = manifest(run).config.task;
    expect(task).toMatchObject({ name: 'dms', variant: 'short', dtMs: 5, delayMs: 50 });
    // a run whose recorded task differs from what convert lif / experiment run (dt 2 ms instead of 5)
    const other = join(root, 'dt2');
    cpSync(run, other, { recursive: true });
    const m = manifest(other);
    m.config.task.dtMs = 2;
    writeFileSync(join(other, 'run.json'), JSON.stringify(m));
    const c = wmkit(['convert', 'lif', other, '--grid', '40', '--trials', '2', '--long-trials', '2']);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(
      /dt2\/run\.json records a dms task that differs from the one convert lif runs \(recorded vs used: dtMs 2 vs 5\)/,
    );
    // an explicit --task that differs from the recorded one
    const t = wmkit(['experiment', 'scale-synapses', run, '--block', 'ii', '--factor', '1.3', '--task', 'afc']);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/--task afc does not match .*run\.json, which records the dms task; leave --task out/);
  });
});
