import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/main';
import { wmkit } from './helpers';

// --json: every command that prints results ends with one JSON object on stdout (and nothing
// else there); progress and messages go to stderr.
const root = mkdtempSync(join(tmpdir(), 'wmkit-json-'));
const leaves = (c: Command): Command[] => (c.commands.length ? c.commands.flatMap(leaves) : [c]);
const path = (c: Command): string => (c.parent && c.parent.name() !== 'wmkit' ? `${path(c.parent)} ${c.name()}` : c.name());

/** stdout must be exactly one JSON object (one line). */
function single(stdout: string): Record<string, unknown> {
  const lines = stdout.split('\n').filter((l) => l.trim());
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]);
}

describe('--json', () => {
  it('every leaf command that prints results has --json (view serves pages instead)', async () => {
    const all = (await buildProgram()).commands.flatMap(leaves);
    expect(all.length).toBeGreaterThan(20);
    const without = all.filter((c) => !c.options.some((o) => o.long === '--json')).map(path);
    expect(without).toEqual(['view']);
  });

  it('a run-writing command: the run (path, kind, status, metrics, arrays, figures) on stdout, progress on stderr', () => {
    const out = join(root, 'bump');
    const r = wmkit([
      'simulate',
      'attractor',
      '--model',
      'bump',
      '--trials',
      '8',
      '--delay',
      '600',
      '--workers',
      '1',
      '--format',
      'svg',
      '--json',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const j = single(r.stdout) as {
      ok: boolean;
      run: { path: string; kind: string; status: string; metrics: Record<string, number>; figures: unknown[] };
    };
    expect(j.ok).toBe(true);
    expect(j.run).toMatchObject({ path: out, kind: 'attractor.simulate', status: 'complete' });
    expect(j.run.metrics.responseSdDeg).toBeGreaterThan(0);
    expect(j.run.figures).toContainEqual({ name: 'bump_trial0', svg: 'bump_trial0.svg' });
    expect(r.stderr).toMatch(/✓ 8 trials/);
  });

  it('a command that writes a file, and one that only prints', () => {
    const e = wmkit(['export', 'mat', join(root, 'bump'), '--out', join(root, 'x', 'bump.mat'), '--json']);
    expect(e.code).toBe(0);
    expect(single(e.stdout)).toMatchObject({ ok: true, file: join(root, 'x', 'bump.mat'), format: 'mat' });
    const i = wmkit(['inspect', join(root, 'x', 'bump.mat'), '--json']);
    expect(i.code).toBe(0);
    const j = single(i.stdout) as { output: string[] };
    expect(j.output.join('\n')).toMatch(/response\s+double/);
  });

  it('a failure: ok false, the exit code and the one-line error, still one object', () => {
    const r = wmkit(['simulate', 'attractor', '--model', 'nope', '--json']);
    expect(r.code).toBe(2);
    expect(single(r.stdout)).toMatchObject({
      ok: false,
      exitCode: 2,
      error: "unknown attractor model 'nope'; use one of bump, discrete, decaying",
    });
    expect(r.stderr).toMatch(/wmkit: error: unknown attractor model/);
  });
});
