/**
 * The shared config options (--config, --set, --print-config, --from) on reproduce wimmer2014,
 * kriener2020, foldiak1990 and simulate <run>: an override shows in --print-config, an unknown
 * --set field is refused with the valid ones, and --from reruns a recorded run byte for byte.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

const here = dirname(fileURLToPath(import.meta.url));
const kimMat = join(here, '..', '..', '..', 'packages', 'ei-rnn', 'test', 'fixtures', 'kim_dms_model.mat');
const root = mkdtempSync(join(tmpdir(), 'wmkit-config-'));
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));

/** Every .npy of `a` is byte for byte the one of `b`, and the metrics agree (less timings). */
function expectSameArrays(a: string, b: string): void {
  const files = readdirSync(a).filter((f) => f.endsWith('.npy'));
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
  const strip = (m: Record<string, unknown>) => Object.fromEntries(Object.entries(m).filter(([k]) => !/seconds/i.test(k)));
  expect(strip(manifest(b).metrics)).toEqual(strip(manifest(a).metrics));
}

function ok(args: string[]) {
  const r = wmkit(args);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

const cases: { name: string; cmd: string[]; set: [string, string, unknown]; small: string[] }[] = [
  {
    name: 'reproduce foldiak1990',
    cmd: ['reproduce', 'foldiak1990'],
    set: ['presentations=300', 'presentations', 300],
    small: ['--seeds', '1', '--seed', '4', '--presentations', '200', '--score-every', '100'],
  },
  {
    name: 'reproduce kriener2020',
    cmd: ['reproduce', 'kriener2020'],
    set: ['params.sigma=0.2', 'params', { sigma: 0.2 }],
    small: ['--sizes', '2,4', '--trials', '3', '--wta-trials', '2', '--seed', '5', '--workers', '1'],
  },
  {
    name: 'reproduce wimmer2014',
    cmd: ['reproduce', 'wimmer2014'],
    set: ['surrogate.perSession=4', 'surrogate', { perSession: 4 }],
    small: ['--trials', '32', '--delay', '1000', '--permutations', '2', '--neurons', '4', '--seed', '6', '--workers', '1'],
  },
];

describe('--config / --set / --print-config / --from on the reproductions', () => {
  for (const c of cases) {
    it(`${c.name}: --set shows in --print-config, an unknown field is refused, --from reruns byte for byte`, () => {
      const [assignment, field, value] = c.set;
      const p = ok([...c.cmd, '--set', assignment, '--print-config']);
      const printed = JSON.parse(p.stdout);
      if (typeof value === 'object') expect(printed[field]).toMatchObject(value as object);
      else expect(printed[field]).toBe(value);
      const bad = wmkit([...c.cmd, '--set', 'nope=1', '--print-config']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--set nope: unknown field 'nope'; valid fields: /);
      expect(bad.stderr.split('\n').length).toBeLessThan(4);
      // a config file is validated too, and a typed option overrides it
      const file = join(root, `${c.cmd[1]}.json`);
      writeFileSync(file, JSON.stringify({ nope: 1 }));
      expect(wmkit([...c.cmd, '--config', file, '--print-config']).stderr).toMatch(/'nope': not a field of this config/);
      const a = join(root, `${c.cmd[1]}-a`);
      const b = join(root, `${c.cmd[1]}-b`);
      ok([...c.cmd, ...c.small, '--out', a]);
      ok([...c.cmd, '--from', a, '--out', b]);
      expect(manifest(b).config).toEqual(manifest(a).config);
      expect(manifest(b).seed).toBe(manifest(a).seed);
      expectSameArrays(a, b);
    }, 600_000); // six CLI starts: slow on a loaded machine
  }
});

describe('--config / --set / --print-config / --from on simulate <run>', () => {
  const model = join(root, 'kim');
  beforeAll(() => {
    ok(['import', 'kim-mat', kimMat, '--trials', '10', '--spiking-trials', '0', '--out', model]);
  }, 120_000);

  it('--set shows in --print-config, an unknown field is refused, --from reruns byte for byte', () => {
    const p = JSON.parse(ok(['simulate', model, '--set', 'trials=7', '--set', 'delay="long"', '--print-config']).stdout);
    expect(p).toEqual({ trials: 7, delay: 'long', spiking: false, rasterTrials: 5 });
    // a typed option overrides --set
    expect(JSON.parse(ok(['simulate', model, '--set', 'trials=7', '--trials', '3', '--print-config']).stdout).trials).toBe(3);
    const bad = wmkit(['simulate', model, '--set', 'nope=1', '--print-config']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--set nope: unknown field 'nope'; valid fields: trials, delay, spiking, rasterTrials/);
    const a = join(root, 'sim-a');
    const b = join(root, 'sim-b');
    ok(['simulate', model, '--trials', '6', '--delay', 'long', '--out', a]);
    ok(['simulate', model, '--from', a, '--out', b]);
    expect(manifest(b).config).toEqual({ ...manifest(a).config });
    expectSameArrays(a, b);
  }, 240_000);
});
