import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, NpyFormatError } from './npy';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'npy');
const expected: Record<string, { dtype: string; shape: number[]; values: (string | number)[] }> = JSON.parse(
  readFileSync(join(fixtures, 'expected.json'), 'utf8'),
);

describe('.npy written by numpy (test/fixtures/make_npy_fixtures.py) reads exactly', () => {
  for (const [name, want] of Object.entries(expected)) {
    it(name, () => {
      const a = decodeNpy(readFileSync(join(fixtures, `${name}.npy`)), `${name}.npy`);
      expect(a.dtype).toBe(want.dtype);
      expect(a.shape).toEqual(want.shape);
      expect(Array.from(a.data)).toEqual(want.values.map(Number));
    });
  }
});

describe('.npy written by wmkit', () => {
  it('round-trips every dtype in memory', () => {
    const cases = [
      { data: new Float32Array([1.5, -2, 3e-39, 3.4e38]), shape: [2, 2] },
      { data: new Float64Array([Math.PI, -1e-310]), shape: [2] },
      { data: new Int32Array([-5, 7, 2147483647]), shape: [3, 1] },
      { data: new Uint8Array([0, 255]), shape: [2] },
    ];
    for (const c of cases) {
      const back = decodeNpy(encodeNpy(c));
      expect(back.shape).toEqual(c.shape);
      expect(back.data).toEqual(c.data);
    }
    const b = decodeNpy(encodeNpy({ data: new Uint8Array([1, 0, 3]), shape: [3] }, 'bool'));
    expect(b.dtype).toBe('bool');
    expect(Array.from(b.data)).toEqual([1, 0, 1]);
    const i64 = decodeNpy(encodeNpy({ data: new Float32Array([3, -4]), shape: [2] }, 'int64'));
    expect(i64).toMatchObject({ dtype: 'int64', shape: [2] });
    expect(Array.from(i64.data)).toEqual([3, -4]);
  });

  it('aligns the data to 64 bytes and handles 0-d and empty arrays', () => {
    const bytes = encodeNpy({ data: new Float32Array([7]), shape: [] });
    const headerLen = bytes[8] | (bytes[9] << 8);
    expect((10 + headerLen) % 64).toBe(0);
    expect(decodeNpy(bytes)).toMatchObject({ shape: [] });
    expect(decodeNpy(encodeNpy({ data: new Float32Array(0), shape: [0, 5] })).shape).toEqual([0, 5]);
  });

  it('loads in numpy with the same values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wmkit-npy-'));
    const arrays = {
      f4: { data: new Float32Array([1.25, -0.5, 1e-20, 65504, 0.1, 7]), shape: [2, 3], dtype: 'float32' as const },
      f8: { data: new Float64Array([Math.E, -Math.PI]), shape: [2], dtype: 'float64' as const },
      i4: { data: new Int32Array([-3, 0, 9, 2147483647]), shape: [2, 1, 2], dtype: 'int32' as const },
      u1: { data: new Uint8Array([0, 200, 255]), shape: [3], dtype: 'uint8' as const },
      b1: { data: new Uint8Array([1, 0]), shape: [2], dtype: 'bool' as const },
    };
    for (const [name, a] of Object.entries(arrays)) writeFileSync(join(dir, `${name}.npy`), encodeNpy(a, a.dtype));
    const script = `
import json, sys, numpy as np
out = {}
for name in ${JSON.stringify(Object.keys(arrays))}:
    a = np.load(sys.argv[1] + '/' + name + '.npy')
    out[name] = {'dtype': str(a.dtype), 'shape': list(a.shape), 'values': [float(v) for v in a.ravel()]}
print(json.dumps(out))`;
    const res = spawnSync('python3', ['-c', script, dir], { encoding: 'utf8' });
    expect(res.stderr, 'python3 with numpy is needed for this test (it is on every wmkit CI machine)').toBe('');
    const got = JSON.parse(res.stdout);
    const npName = { float32: 'float32', float64: 'float64', int32: 'int32', uint8: 'uint8', bool: 'bool' };
    for (const [name, a] of Object.entries(arrays)) {
      expect(got[name].dtype).toBe(npName[a.dtype]);
      expect(got[name].shape).toEqual(a.shape);
      expect(got[name].values).toEqual(Array.from(a.data, (v) => (a.dtype === 'bool' ? (v ? 1 : 0) : v)));
    }
  });
});

describe('.npy errors name the file and the problem', () => {
  const good = encodeNpy({ data: new Float32Array([1, 2, 3, 4]), shape: [2, 2] });
  it('wrong magic', () => {
    expect(() => decodeNpy(new TextEncoder().encode('hello world, not npy'), 'x.npy')).toThrow(
      /^x\.npy: not a \.npy file \(expected magic bytes/,
    );
    expect(() => decodeNpy(new Uint8Array(0), 'e.npy')).toThrow(/found an empty file/);
  });
  it('truncated data and header', () => {
    expect(() => decodeNpy(good.subarray(0, good.length - 3), 't.npy')).toThrow(
      't.npy: truncated: shape [2, 2] of float32 needs 16 data bytes but the file has 13',
    );
    expect(() => decodeNpy(good.subarray(0, 40), 'h.npy')).toThrow(/h\.npy: truncated: the header claims/);
  });
  it('unsupported dtype and version', () => {
    const complex = good.slice();
    const at = new TextDecoder('latin1').decode(good).indexOf("'<f4'");
    complex.set([0x63, 0x38], at + 2); // '<f4' → '<c8'
    expect(() => decodeNpy(complex, 'c.npy')).toThrow(/c\.npy: unsupported dtype '<c8'/);
    const v9 = good.slice();
    v9[6] = 9;
    expect(() => decodeNpy(v9, 'v.npy')).toThrow(/unsupported \.npy format version 9\.0/);
    expect(new NpyFormatError('x')).toBeInstanceOf(Error);
  });
  it('survives random corruption without hanging (fuzz)', () => {
    let seed = 12345;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    for (let k = 0; k < 2000; k++) {
      const b = good.slice(0, Math.floor(rand() * (good.length + 1)));
      for (let j = 0; j < 3; j++) if (b.length) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      try {
        decodeNpy(b, 'fuzz.npy');
      } catch (err) {
        expect(err).toBeInstanceOf(Error);
        expect(String((err as Error).message)).toMatch(/fuzz\.npy|shape/);
      }
    }
  });
});
