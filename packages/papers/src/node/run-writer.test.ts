import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRun } from '@wmkit/data-io/node';
import { afterAll, describe, expect, it } from 'vitest';
import { startRunDirectory, writeRunOutputs } from './run-writer';

const root = mkdtempSync(join(tmpdir(), 'wmkit-run-writer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writing a run directory from a script', () => {
  it('records what it was given, writes arrays, records and both forms of figure, and reads back complete', async () => {
    const dir = join(root, 'run');
    const run = await startRunDirectory(dir, { kind: 'test.kind', config: { a: 1 }, seed: 3, notes: ['a note'] });
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"/>';
    writeRunOutputs(
      run,
      {
        arrays: [{ name: 'x', array: { data: Float32Array.of(1, 2, 3, 4), shape: [2, 2] }, description: 'x values' }],
        records: [{ step: 1 }, { step: 2 }],
        files: [['table.csv', 'a,b\n']],
      },
      [{ name: 'one', svg, caption: 'first' }, ['two', svg, 'second']],
    );
    writeRunOutputs(run, [{ name: 'y', array: { data: Int32Array.of(7), shape: [1] }, dtype: 'int32' }]);
    run.complete({ score: 0.5 });
    const rec = readRun(dir);
    expect(rec.state).toBe('complete');
    expect(rec.manifest).toMatchObject({ kind: 'test.kind', config: { a: 1 }, seed: 3, notes: ['a note'], metrics: { score: 0.5 } });
    expect(rec.manifest.arrays.map((a) => [a.name, a.shape])).toEqual([
      ['x', [2, 2]],
      ['y', [1]],
    ]);
    expect(rec.manifest.figures.map((f) => f.name)).toEqual(['one', 'two']);
    expect(existsSync(join(dir, 'table.csv'))).toBe(true);
    // a second start on the same directory is refused unless forced
    await expect(startRunDirectory(dir, { kind: 'test.kind', config: {}, seed: 1 })).rejects.toThrow(
      /already holds a complete 'test.kind' run/,
    );
    const again = await startRunDirectory(dir, { kind: 'test.kind', config: {}, seed: 1, force: true });
    again.complete({});
    expect(readRun(dir).manifest.seed).toBe(1);
  });
});
