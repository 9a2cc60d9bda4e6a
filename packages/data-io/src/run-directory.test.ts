import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listRuns, RunDirectory, readRun } from './run-directory';
import { RunFormatError } from './run-manifest';

const tmp = () => mkdtempSync(join(tmpdir(), 'wmkit-run-'));
const opts = { kind: 'test.kind', config: { n: 3, nested: { tau: 100 } }, seed: 7, versions: { '@wmkit/tensor': '0.1.0' } };

describe('RunDirectory', () => {
  it('writes run.json, arrays, metrics and figures; complete() marks it complete', () => {
    const dir = join(tmp(), 'run-a');
    const run = RunDirectory.create(dir, { ...opts, preset: 'demo.preset', backend: { name: 'wasm', simd: true, threads: 1 } });
    expect(readRun(dir).manifest.status).toBe('running');
    run.writeArray('rates', { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] }, { description: 'delay rates' });
    run.writeArray('spikes', { data: new Uint8Array([1, 0, 1]), shape: [3] }, { dtype: 'bool' });
    run.appendMetrics({ trial: 100, loss: 3.5 });
    run.appendMetrics({ trial: 200, loss: 2.5 });
    run.addFigure('hist', '<svg xmlns="http://www.w3.org/2000/svg"/>', 'a histogram');
    run.complete({ accuracy: 0.97 });
    const { manifest, state } = readRun(dir);
    expect(state).toBe('complete');
    expect(manifest).toMatchObject({
      format: 1,
      kind: 'test.kind',
      id: 'run-a',
      preset: 'demo.preset',
      seed: 7,
      config: { n: 3, nested: { tau: 100 } },
      backend: { name: 'wasm', simd: true, threads: 1 },
      metrics: { accuracy: 0.97 },
      arrays: [
        { name: 'rates', file: 'rates.npy', dtype: 'float32', shape: [2, 3], description: 'delay rates' },
        { name: 'spikes', file: 'spikes.npy', dtype: 'bool', shape: [3] },
      ],
      figures: [{ name: 'hist', file: 'hist.svg', caption: 'a histogram' }],
    });
    expect(manifest.timings.total).toBeGreaterThanOrEqual(0);
    expect(manifest.endedAt).not.toBeNull();
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { trial: 100, loss: 3.5 },
      { trial: 200, loss: 2.5 },
    ]);
    expect(Array.from(RunDirectory.open(dir).readArray('rates').data)).toEqual([1, 2, 3, 4, 5, 6]);
    // no temporary files left behind
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('RunDirectory.run marks a run that throws as failed, never complete', async () => {
    const dir = join(tmp(), 'run-b');
    await expect(
      RunDirectory.run(dir, opts, (run) => {
        run.writeArray('partial', { data: new Float32Array([1]), shape: [1] });
        throw new Error('diverged: loss is NaN at trial 300');
      }),
    ).rejects.toThrow(/diverged/);
    const { manifest, state } = readRun(dir);
    expect(state).toBe('failed');
    expect(manifest.error?.message).toBe('diverged: loss is NaN at trial 300');
    expect(manifest.arrays.map((a) => a.name)).toEqual(['partial']);
  });

  it('refuses to overwrite a complete run without overwrite, and non-run directories always', () => {
    const root = tmp();
    const dir = join(root, 'r');
    RunDirectory.create(dir, opts).complete();
    expect(() => RunDirectory.create(dir, opts)).toThrow(
      /already holds a complete 'test\.kind' run; choose another output directory or pass --force/,
    );
    RunDirectory.create(dir, { ...opts, overwrite: true }).complete();
    const other = join(root, 'not-a-run');
    mkdirSync(other);
    writeFileSync(join(other, 'thesis.tex'), 'precious');
    expect(() => RunDirectory.create(other, { ...opts, overwrite: true })).toThrow(/is not empty and is not a run directory/);
    expect(existsSync(join(other, 'thesis.tex'))).toBe(true);
  });

  it('validates run.json, naming the file and the fields', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ format: 1, kind: 'x', id: 'y', status: 'done' }));
    expect(() => readRun(dir)).toThrow(RunFormatError);
    expect(() => readRun(dir)).toThrow(/run\.json is not a wmkit run manifest: 'status': .*'seed'/s);
    writeFileSync(join(dir, 'run.json'), '{ not json');
    expect(() => readRun(dir)).toThrow(/run\.json: not valid JSON/);
    expect(() => readRun(tmp())).toThrow(/is not a run directory \(no run\.json\)/);
    expect(() => RunDirectory.create(join(tmp(), 'z'), opts).writeArray('../evil', { data: new Float32Array(1), shape: [1] })).toThrow(
      /array name '\.\.\/evil' may contain only/,
    );
  });

  it('a process that crashes or is killed leaves failed / interrupted, never complete', () => {
    const root = tmp();
    const here = dirname(fileURLToPath(import.meta.url));
    const mod = join(here, '..', 'dist', 'node.js');
    const script = (dir: string, end: string) => `
      import { RunDirectory } from ${JSON.stringify(mod)};
      const run = RunDirectory.create(${JSON.stringify(dir)}, { kind: 'crash', config: {}, seed: 1 });
      run.writeArray('x', { data: new Float32Array([1, 2]), shape: [2] });
      ${end}`;
    const crash = spawnSync('node', ['--input-type=module', '-e', script(join(root, 'crash'), "throw new Error('boom');")], {
      encoding: 'utf8',
    });
    expect(crash.status).not.toBe(0);
    expect(readRun(join(root, 'crash'))).toMatchObject({ state: 'failed', manifest: { status: 'failed' } });
    expect(readRun(join(root, 'crash')).manifest.error?.message).toMatch(/exited \(code 1\)/);
    const sigint = spawnSync(
      'node',
      [
        '--input-type=module',
        '-e',
        script(join(root, 'int'), "process.kill(process.pid, 'SIGINT'); await new Promise((r) => setTimeout(r, 5000));"),
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(sigint.status).toBe(130);
    expect(readRun(join(root, 'int')).manifest).toMatchObject({ status: 'interrupted', error: { message: 'interrupted by SIGINT' } });
    const killed = spawnSync('node', ['--input-type=module', '-e', script(join(root, 'kill'), "process.kill(process.pid, 'SIGKILL');")], {
      encoding: 'utf8',
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(readRun(join(root, 'kill'))).toMatchObject({ state: 'interrupted', manifest: { status: 'running' } });
    expect(
      listRuns(root)
        .map((r) => `${r.manifest.id}:${r.state}`)
        .sort(),
    ).toEqual(['crash:failed', 'int:interrupted', 'kill:interrupted']);
  }, 60_000); // three node processes: seconds each on a loaded machine
});
