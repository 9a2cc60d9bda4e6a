import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMat, writeMat } from '@wmkit/data-io';
import { RunDirectory } from '@wmkit/data-io/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

// Lab-file interop: .mat files with MATLAB objects, export into folders that do not exist yet,
// NWB export of attractor and rate runs read back with h5py (Debian's python3-h5py) against the
// NWB 2.x layout.
const here = dirname(fileURLToPath(import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'wmkit-interop-'));
const PY = '/usr/bin/python3';
const haveH5py = spawnSync(PY, ['-c', 'import h5py'], { encoding: 'utf8' }).status === 0;
if (!haveH5py && process.env.WMKIT_REQUIRE_PEERS === '1') throw new Error('h5py is missing: apt-get install python3-h5py');
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .*\.(js|ts):\d+/);

/** Checks an NWB file's layout with h5py; prints one JSON object describing it. */
const NWB_CHECK = `
import h5py, json, sys
f = h5py.File(sys.argv[1], 'r')
a = lambda o, k: (o.attrs[k].decode() if isinstance(o.attrs[k], bytes) else str(o.attrs[k]))
assert a(f, 'neurodata_type') == 'NWBFile' and a(f, 'namespace') == 'core'
assert a(f, 'nwb_version').startswith('2.')
for k in ['identifier', 'session_description', 'session_start_time', 'timestamps_reference_time', 'file_create_date']:
    assert k in f, k
for g in ['acquisition', 'analysis', 'processing', 'general', 'stimulus']:
    assert g in f, g
out = {'modules': {}, 'trials': None}
for m, mod in f['processing'].items():
    assert a(mod, 'neurodata_type') == 'ProcessingModule' and a(mod, 'description')
    out['modules'][m] = {}
    for n, ts in mod.items():
        assert a(ts, 'neurodata_type') == 'TimeSeries'
        st = ts['starting_time']
        out['modules'][m][n] = {'shape': list(ts['data'].shape), 'unit': a(ts['data'], 'unit'), 'rate': float(st.attrs['rate']), 'start': float(st[()]), 'first': float(ts['data'][()].flat[0])}
if 'intervals' in f and 'trials' in f['intervals']:
    t = f['intervals/trials']
    assert a(t, 'neurodata_type') == 'TimeIntervals'
    out['trials'] = {'n': int(t['start_time'].shape[0]), 'colnames': [c.decode() if isinstance(c, bytes) else c for c in t.attrs['colnames']], 'stop0': float(t['stop_time'][0])}
print(json.dumps(out))
`;

function h5pyLayout(file: string) {
  const r = spawnSync(PY, ['-c', NWB_CHECK, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`h5py check of ${file} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** An uncompressed top-level MAT element as MATLAB writes an opaque MCOS object (string, table, datetime). */
function opaqueElement(name: string, className: string): Uint8Array {
  const b: number[] = [];
  const u32 = (v: number) => b.push(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
  const int8 = (s: string) => {
    u32(1);
    u32(s.length);
    for (const c of s) b.push(c.charCodeAt(0));
    while (b.length % 8) b.push(0);
  };
  u32(6);
  u32(8);
  u32(17);
  u32(0);
  int8(name);
  int8('MCOS');
  int8(className);
  const body = Uint8Array.from(b);
  const out = new Uint8Array(8 + body.length);
  new DataView(out.buffer).setUint32(0, 14, true);
  new DataView(out.buffer).setUint32(4, body.length, true);
  out.set(body, 8);
  return out;
}

const bump = join(root, 'bump');
beforeAll(() => {
  const r = wmkit([
    'simulate',
    'attractor',
    '--model',
    'bump',
    '--trials',
    '8',
    '--delay',
    '600',
    '--traces',
    '1',
    '--workers',
    '1',
    '--format',
    'svg',
    '--out',
    bump,
  ]);
  if (r.code !== 0) throw new Error(r.stderr);
});

describe('.mat files with MATLAB objects', () => {
  it('inspect reads the other variables and warns, naming the skipped ones and their classes', () => {
    const base = writeMat({ rates: { data: Float64Array.of(1, 2, 3, 4), shape: [2, 2] } }, { compress: false });
    const extra = [opaqueElement('subject', 'string'), opaqueElement('sessions', 'table'), opaqueElement('when', 'datetime')];
    const bytes = new Uint8Array(base.length + extra.reduce((a, e) => a + e.length, 0));
    bytes.set(base);
    let o = base.length;
    for (const e of extra) {
      bytes.set(e, o);
      o += e.length;
    }
    const f = join(root, 'lab.mat');
    writeFileSync(f, bytes);
    const r = wmkit(['inspect', f]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rates\s+double\s+\[2, 2\]|rates.*double.*2.*2/);
    expect(r.stderr).toMatch(
      /warning: .*lab\.mat: skipped 3 variables of a class wmkit cannot read: subject \(string\), sessions \(table\), when \(datetime\)/,
    );
    noStack(r.stderr);
  });
});

describe('export mat | nwb', () => {
  it('export mat creates the missing folders of --out', () => {
    const out = join(root, 'new', 'deeper', 'bump.mat');
    const r = wmkit(['export', 'mat', bump, '--out', out]);
    expect(r.code).toBe(0);
    const m = readMat(readFileSync(out), out);
    expect(Object.keys(m.variables)).toEqual(expect.arrayContaining(['response', 'traces', 'decoded_angle', 'config_json']));
  });

  it('a folder that cannot be made (a file in the way) is one clear error, before any work', () => {
    writeFileSync(join(root, 'afile'), 'x');
    const r = wmkit(['export', 'mat', bump, '--out', join(root, 'afile', 'sub', 'x.mat')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out .*afile\/sub\/x\.mat: .*afile is a file, not a folder/);
    noStack(r.stderr);
  });

  it('export nwb of an attractor run: rates and decoded angle as processed time series, trials with cues (h5py)', () => {
    const out = join(root, 'nwb-new', 'bump.nwb');
    const r = wmkit(['export', 'nwb', bump, '--out', out]);
    expect(r.code).toBe(0);
    if (!haveH5py) return;
    const l = h5pyLayout(out);
    const man = JSON.parse(readFileSync(join(bump, 'run.json'), 'utf8'));
    const shape = (n: string) => man.arrays.find((a: { name: string }) => a.name === n).shape;
    const [, bins, N] = shape('traces');
    expect(l.modules.ring_attractor.rates_e).toMatchObject({ shape: [bins, N], unit: 'a.u.', rate: 20 });
    expect(l.modules.ring_attractor.decoded_angle).toMatchObject({ shape: [8 * bins], unit: 'radians', rate: 20 });
    expect(l.trials.n).toBe(8);
    expect(l.trials.colnames).toEqual(expect.arrayContaining(['start_time', 'stop_time', 'cue_angle', 'response']));
    expect(l.trials.stop0).toBeCloseTo((bins * 50) / 1000, 9);
  });

  it('export nwb of a rate run: rates as a processed time series (h5py)', () => {
    const kim = join(root, 'kim');
    const fixture = join(here, '..', '..', '..', 'packages', 'ei-rnn', 'test', 'fixtures', 'kim_dms_model.mat');
    expect(wmkit(['import', 'kim-mat', fixture, '--trials', '10', '--spiking-trials', '2', '--out', kim]).code).toBe(0);
    expect(wmkit(['simulate', kim, '--trials', '3', '--format', 'svg']).code).toBe(0);
    const out = join(root, 'rates', 'kim.nwb');
    const r = wmkit(['export', 'nwb', join(kim, 'simulate'), '--out', out]);
    expect(r.code).toBe(0);
    if (!haveH5py) return;
    const l = h5pyLayout(out);
    const [trials, T, N] = JSON.parse(readFileSync(join(kim, 'simulate', 'run.json'), 'utf8')).arrays.find(
      (a: { name: string }) => a.name === 'rates',
    ).shape;
    expect(l.modules.rates.rates).toMatchObject({ shape: [trials * T, N], unit: 'a.u.' });
    expect(l.trials.n).toBe(trials);
  });

  it('export nwb refuses only a run with nothing NWB can hold, naming what it needs and the alternative', () => {
    const run = RunDirectory.create(join(root, 'table-only'), { kind: 'wta.reproduce', seed: 1, config: {} });
    run.writeArray('fit', { data: Float64Array.of(1, 2), shape: [2] });
    run.complete();
    const r = wmkit(['export', 'nwb', join(root, 'table-only')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no spike trains, rates or decoded angles to export to NWB .* use wmkit export mat/);
    noStack(r.stderr);
  });
});
