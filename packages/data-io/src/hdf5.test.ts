import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listHdf5, readHdf5Dataset, readMatV73, readNwb, writeNwb } from './hdf5';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures');
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8'));

describe('HDF5 through h5wasm', () => {
  it('lists and reads a file written by h5py', async () => {
    const nodes = await listHdf5(join(fixtures, 'h5py_plain.h5'));
    expect(nodes.map((n) => `${n.kind} ${n.path}`)).toEqual(
      expect.arrayContaining(['group /', 'group /group', 'dataset /group/ints', 'dataset /group/floats', 'dataset /matrix']),
    );
    expect(nodes.find((n) => n.path === '/group')?.attrs.note).toBe('made by h5py');
    const m = await readHdf5Dataset(join(fixtures, 'h5py_plain.h5'), 'matrix');
    expect(m.shape).toEqual(expected.h5_matrix.shape);
    expect(Array.from(m.data as Float64Array)).toEqual(expected.h5_matrix.data);
    const ints = await readHdf5Dataset(join(fixtures, 'h5py_plain.h5'), 'group/ints');
    expect(Array.from(ints.data as Int32Array)).toEqual([1, -2, 3]);
  });

  it('reads MATLAB v7.3 variables in MATLAB shape, row-major', async () => {
    const v = await readMatV73(join(fixtures, 'matlab_v73.mat'));
    expect(v.A).toEqual({ class: 'double', shape: expected.v73_A.shape, data: Float64Array.from(expected.v73_A.data) });
    expect(v.v).toEqual({ class: 'int32', shape: expected.v73_v.shape, data: Float64Array.from(expected.v73_v.data) });
  });

  it('a non-HDF5 file or a missing file is a clear error', async () => {
    await expect(listHdf5(join(fixtures, 'scipy_plain.mat'))).rejects.toThrow(/scipy_plain.mat: not an HDF5 file/);
    await expect(listHdf5(join(fixtures, 'nope.h5'))).rejects.toThrow(/nope.h5: no such file/);
  });

  it('NWB: written by wmkit, read back; the NWB layout as h5py sees it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wmkit-nwb-'));
    const file = join(dir, 'run.nwb');
    const spikeTimes = [Float64Array.of(0.1, 0.25, 1.5), Float64Array.of(), Float64Array.of(0.7)];
    await writeNwb(file, {
      identifier: 'wmkit-test',
      sessionDescription: 'test',
      sessionStartTime: '2026-01-01T00:00:00Z',
      units: { spikeTimes, columns: { tau_ms: [10, 20, 30] } },
      trials: { start: [0, 2], stop: [2, 4], columns: { cue_angle: [0.5, 1.5] } },
    });
    const back = await readNwb(file);
    expect(back.identifier).toBe('wmkit-test');
    expect(back.spikeTimes).toEqual(spikeTimes);
    expect(Array.from(back.unitColumns.tau_ms)).toEqual([10, 20, 30]);
    expect(Array.from(back.trials?.columns.cue_angle ?? [])).toEqual([0.5, 1.5]);
    const py = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import h5py'], { encoding: 'utf8' }).status === 0);
    if (!py) return; // h5py not installed: the h5wasm read-back above still checked the content
    const script = `
import h5py, json, sys
f = h5py.File(sys.argv[1], 'r')
st = f['/units/spike_times']; idx = f['/units/spike_times_index']
target = f[idx.attrs['target']].name
print(json.dumps({'nwb': f.attrs['nwb_version'] if isinstance(f.attrs['nwb_version'], str) else f.attrs['nwb_version'].decode(),
  'type': str(f.attrs['neurodata_type']), 'st': st[:].tolist(), 'idx': idx[:].tolist(), 'target': target,
  'trials': f['/intervals/trials/start_time'][:].tolist(), 'colnames': [str(c) for c in f['/units'].attrs['colnames']]}))`;
    const r = spawnSync(py, ['-c', script, file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      nwb: '2.7.0',
      type: 'NWBFile',
      st: [0.1, 0.25, 1.5, 0.7],
      idx: [3, 3, 4],
      target: '/units/spike_times',
      trials: [0, 2],
      colnames: ['spike_times', 'tau_ms'],
    });
  });
});
