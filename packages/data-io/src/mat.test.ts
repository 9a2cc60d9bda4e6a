import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@wmkit/tensor';
import { unzlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { adler32, MatFormatError, type MatValue, matToFloat64, matToString, readMat, writeMat } from './mat';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures');
const expected: Record<string, { shape: number[]; data?: (number | string)[]; re?: number[]; im?: number[]; dense?: number[] }> =
  JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8'));
const numericNames = ['d', 's', 'i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64', 'cube'];
const CLASSES: Record<string, string> = {
  d: 'double',
  s: 'single',
  i8: 'int8',
  u8: 'uint8',
  i16: 'int16',
  u16: 'uint16',
  i32: 'int32',
  u32: 'uint32',
  i64: 'int64',
  u64: 'uint64',
  cube: 'double',
};

describe.each(['scipy_plain.mat', 'scipy_compressed.mat'])('%s (scipy.io.savemat) reads with exact values', (file) => {
  const mat = readMat(readFileSync(join(fixtures, file)), file);
  const v = mat.variables;

  it('numeric arrays of every class, in MATLAB shape and row-major order', () => {
    for (const name of numericNames) {
      const x = v[name];
      expect(x.kind, name).toBe('numeric');
      if (x.kind !== 'numeric') continue;
      expect(x.class, name).toBe(CLASSES[name]);
      expect(x.shape, name).toEqual(expected[name].shape);
      const want = expected[name].data ?? [];
      if (x.class === 'int64' || x.class === 'uint64') expect(Array.from(x.data as BigInt64Array, String), name).toEqual(want.map(String));
      else expect(Array.from(x.data as Float64Array), name).toEqual(want.map(Number));
    }
  });

  it('complex, logical, scalars and empty arrays', () => {
    const z = v.z;
    if (z.kind !== 'numeric' || !z.imag) throw new Error('z should be complex');
    expect(Array.from(z.data as Float64Array)).toEqual(expected.z.re);
    expect(Array.from(z.imag as Float64Array)).toEqual(expected.z.im);
    expect(v.logic).toEqual({ kind: 'logical', shape: [2, 2], data: Uint8Array.from([1, 0, 0, 1]) });
    expect(matToFloat64(v.scalar)).toEqual({ data: Float64Array.of(3), shape: [1, 1] });
    expect(matToFloat64(v.empty).shape).toEqual([0, 0]);
  });

  it('char arrays', () => {
    expect(matToString(v.txt)).toBe('hello, wmkit');
    expect(v.chars).toMatchObject({ kind: 'char', shape: [2, 3], rows: ['abc', 'xyz'] });
  });

  it('sparse (double and logical)', () => {
    expect(Array.from(matToFloat64(v.sp).data)).toEqual(expected.sp.dense);
    expect(v.sp.shape).toEqual([4, 5]);
    expect(v.splog).toMatchObject({ kind: 'sparse', logical: true });
    expect(Array.from(matToFloat64(v.splog).data)).toEqual(expected.splog.dense);
  });

  it('structs, nested structs, struct arrays and cells', () => {
    const st = v.st;
    if (st.kind !== 'struct') throw new Error('st should be a struct');
    expect(st.shape).toEqual([1, 1]);
    expect(st.fields).toEqual(['a', 'b', 'c', 'inner']);
    const e = st.elements[0];
    expect(matToFloat64(e.a).data).toEqual(Float64Array.of(1));
    expect(matToString(e.b)).toBe('text');
    expect(e.c).toMatchObject({ kind: 'numeric', class: 'int32', shape: [1, 3], data: Int32Array.of(1, 2, 3) });
    const inner = e.inner as Extract<MatValue, { kind: 'struct' }>;
    expect(Array.from(matToFloat64(inner.elements[0].x).data)).toEqual([9, 8]);
    const sarr = v.sarr;
    if (sarr.kind !== 'struct') throw new Error('sarr should be a struct array');
    expect(sarr.shape).toEqual([1, 2]);
    expect(sarr.elements.map((x) => matToString(x.name))).toEqual(['first', 'second']);
    expect(Array.from(matToFloat64(sarr.elements[1].value).data)).toEqual([2, 3]);
    const cel = v.cel;
    if (cel.kind !== 'cell') throw new Error('cel should be a cell');
    expect(cel.shape).toEqual([1, 3]);
    expect(matToFloat64(cel.elements[0]).data).toEqual(Float64Array.of(1));
    expect(matToString(cel.elements[1])).toBe('two');
    expect(Array.from(matToFloat64(cel.elements[2]).data)).toEqual([3, 4]);
  });
});

describe('other files', () => {
  it('a big-endian Level 5 file', () => {
    const m = readMat(readFileSync(join(fixtures, 'big_endian.mat')), 'big_endian.mat');
    expect(m.littleEndian).toBe(false);
    expect(matToFloat64(m.variables.bd)).toEqual({ data: Float64Array.from(expected.bd.data as number[]), shape: [2, 3] });
    expect(m.variables.bi).toMatchObject({ class: 'int16', data: Int16Array.of(-2, 300, 7) });
  });

  it('a v7.3 file is recognised and sent to the HDF5 reader', () => {
    expect(() => readMat(readFileSync(join(fixtures, 'matlab_v73.mat')), 'matlab_v73.mat')).toThrow(/v7.3 \(HDF5\).*readHdf5/);
  });
});

describe('bad input: one clear error naming the file and the problem', () => {
  const good = readFileSync(join(fixtures, 'scipy_plain.mat'));
  it('too short, wrong magic, truncated, unsupported class', () => {
    expect(() => readMat(new Uint8Array(20), 'x.mat')).toThrow(/x.mat: not a MAT-file \(20 bytes/);
    const bad = Uint8Array.from(good);
    bad[126] = 0x41;
    expect(() => readMat(bad, 'x.mat')).toThrow(/x.mat: not a Level 5 MAT-file \(bad endian indicator/);
    expect(() => readMat(good.subarray(0, 300), 'cut.mat')).toThrow(/cut.mat: truncated file/);
    // a function-handle class (16) in the array flags: the variable is skipped and named (as scipy does), not the file refused
    const fh = writeMat({ f: 1 });
    fh[128 + 16] = 16;
    expect(readMat(fh, 'fh.mat')).toMatchObject({ variables: {}, skipped: [{ name: 'f', className: 'function handle' }] });
  });

  it('a flipped byte inside a compressed element fails the zlib checksum: the error names the file and the variable', () => {
    const w = { data: Float64Array.from({ length: 64 }, (_, i) => Math.sin(i) / 3), shape: [8, 8] };
    const bytes = writeMat({ w }, { compress: true });
    // the compressed element starts at 128: tag (8 bytes), then the zlib stream (2-byte header)
    const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(132, true);
    const z = bytes.subarray(136, 136 + n);
    // a flip that still inflates without error, to different bytes: only the checksum reveals it
    let at = -1;
    const clean = unzlibSync(z);
    for (let k = 2; k < n - 4 && at < 0; k++) {
      const b = Uint8Array.from(z);
      b[k] ^= 0x01;
      try {
        const out = unzlibSync(b);
        // (past the header and name, which a flip there would garble too)
        if (out.length === clean.length && out.some((v, i) => v !== clean[i]) && out.subarray(0, 56).every((v, i) => v === clean[i]))
          at = k;
      } catch {
        /* this flip breaks the stream itself: the next one */
      }
    }
    expect(at).toBeGreaterThan(0);
    const bad = Uint8Array.from(bytes);
    bad[136 + at] ^= 0x01;
    expect(() => readMat(bad, 'weights.mat')).toThrow(MatFormatError);
    expect(() => readMat(bad, 'weights.mat')).toThrow(
      /^weights.mat: variable 'w': compressed data fail their zlib checksum \(the file is corrupt; re-export or re-download it\) \(byte 128\)$/,
    );
    // the checksum itself flipped
    const badSum = Uint8Array.from(bytes);
    badSum[136 + n - 1] ^= 0x80;
    expect(() => readMat(badSum, 'weights.mat')).toThrow(/variable 'w': compressed data fail their zlib checksum/);
    expect(readMat(bytes, 'weights.mat').variables.w).toMatchObject({ shape: [8, 8] });
  });

  it('adler32: known answers (RFC 1950)', () => {
    expect(adler32(new TextEncoder().encode('Wikipedia'))).toBe(0x11e60398);
    expect(adler32(new Uint8Array(0))).toBe(1);
    // long input: the modulo is taken in blocks; compare with the direct definition
    const long = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 131) % 256);
    let a = 1;
    let b = 0;
    for (const v of long) {
      a = (a + v) % 65521;
      b = (b + a) % 65521;
    }
    expect(adler32(long)).toBe(((b << 16) | a) >>> 0);
  });

  it('fuzz: random and truncated inputs never hang, never throw anything but MatFormatError', () => {
    const rng = new Rng('mat-fuzz');
    const sources = [
      good,
      readFileSync(join(fixtures, 'scipy_compressed.mat')),
      writeMat({ a: { data: Float64Array.of(1, 2, 3), shape: [3] }, s: { x: 'y' } }),
    ];
    let errors = 0;
    for (let k = 0; k < 400; k++) {
      const src = sources[k % sources.length];
      let bytes: Uint8Array;
      if (k % 4 === 0) bytes = src.subarray(0, rng.int(src.length));
      else {
        bytes = Uint8Array.from(src);
        const flips = 1 + rng.int(8);
        for (let f = 0; f < flips; f++) bytes[128 + rng.int(bytes.length - 128)] = rng.int(256);
      }
      try {
        readMat(bytes, 'fuzz.mat');
      } catch (err) {
        expect(err).toBeInstanceOf(MatFormatError);
        expect((err as Error).message).toMatch(/^fuzz.mat: /);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(100);
  });
});

describe('writer', () => {
  it('round trip through the reader: numeric classes, logical, char, struct, struct array, cell, N-D', () => {
    const cube = Float64Array.from({ length: 24 }, (_, i) => i);
    const bytes = writeMat(
      {
        d: { data: Float64Array.of(1, 2, 3, 4, 5, 6), shape: [2, 3] },
        f: { data: Float32Array.of(0.5, -1), shape: [2, 1] },
        u: { data: Uint16Array.of(1, 65535), shape: [2] },
        b: { kind: 'logical', data: [1, 0, 1], shape: [1, 3] },
        t: 'working memory',
        cube: { data: cube, shape: [2, 3, 4] },
        s: { n: 3, name: 'x', nested: { v: { data: Int32Array.of(7, 8), shape: [1, 2] } } },
        sa: { kind: 'struct-array', elements: [{ k: 1 }, { k: 2 }] },
        c: [1, 'two', { data: Float64Array.of(3, 4), shape: [1, 2] }],
      },
      { compress: false },
    );
    for (const b of [bytes]) {
      const m = readMat(b, 'rt.mat').variables;
      expect(m.d).toMatchObject({ class: 'double', shape: [2, 3], data: Float64Array.of(1, 2, 3, 4, 5, 6) });
      expect(m.f).toMatchObject({ class: 'single', shape: [2, 1], data: Float32Array.of(0.5, -1) });
      expect(m.u).toMatchObject({ class: 'uint16', shape: [1, 2] });
      expect(m.b).toEqual({ kind: 'logical', shape: [1, 3], data: Uint8Array.of(1, 0, 1) });
      expect(matToString(m.t)).toBe('working memory');
      expect(matToFloat64(m.cube)).toEqual({ data: cube, shape: [2, 3, 4] });
      const s = m.s as Extract<MatValue, { kind: 'struct' }>;
      expect(matToString(s.elements[0].name)).toBe('x');
      expect((s.elements[0].nested as Extract<MatValue, { kind: 'struct' }>).elements[0].v).toMatchObject({ data: Int32Array.of(7, 8) });
      expect((m.sa as Extract<MatValue, { kind: 'struct' }>).elements.map((e) => matToFloat64(e.k).data[0])).toEqual([1, 2]);
      expect((m.c as Extract<MatValue, { kind: 'cell' }>).elements.map((e) => e.kind)).toEqual(['numeric', 'char', 'numeric']);
    }
    const z = readMat(writeMat({ d: { data: Float64Array.of(1, 2), shape: [1, 2] } }, { compress: true }), 'z.mat');
    expect(z.variables.d).toMatchObject({ data: Float64Array.of(1, 2) });
    expect(() => writeMat({ '1bad': 1 })).toThrow(/'1bad' is not a valid MATLAB variable name/);
    expect(() => writeMat({ x: { data: Float64Array.of(1, 2, 3), shape: [2, 2] } })).toThrow(/x: shape \[2, 2\] does not match 3 elements/);
  });

  it('files written by wmkit load in scipy with the same values (when python3 with scipy is present)', () => {
    const py = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import scipy.io'], { encoding: 'utf8' }).status === 0);
    if (!py) return; // scipy is not installed here: the reader round trip above still ran
    const dir = mkdtempSync(join(tmpdir(), 'wmkit-mat-'));
    const file = join(dir, 'out.mat');
    writeFileSync(
      file,
      writeMat(
        {
          d: { data: Float64Array.of(1, 2, 3, 4, 5, 6), shape: [2, 3] },
          i: { data: Int32Array.of(-1, 5), shape: [2, 1] },
          t: 'abc',
          s: { a: 2.5, b: [1, 'x'] },
        },
        { compress: true },
      ),
    );
    const r = spawnSync(
      py,
      [
        '-c',
        `import scipy.io, json; m = scipy.io.loadmat(${JSON.stringify(file)}); s = m['s'][0,0]; print(json.dumps([m['d'].tolist(), m['i'].tolist(), str(m['t'][0]), float(s['a'][0,0]), str(s['b'][0,1][0])]))`,
      ],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [[-1], [5]],
      'abc',
      2.5,
      'x',
    ]);
  });
});

describe('variables of classes wmkit cannot read', () => {
  /** An uncompressed top-level element as MATLAB writes an opaque MCOS object (e.g. a string). */
  function opaqueElement(name: string, className: string): Uint8Array {
    const parts: number[] = [];
    const u32 = (v: number) => parts.push(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
    const pad = () => {
      while (parts.length % 8) parts.push(0);
    };
    const int8 = (s: string) => {
      u32(1); // miINT8
      u32(s.length);
      for (const c of s) parts.push(c.charCodeAt(0));
      pad();
    };
    u32(6); // miUINT32 flags
    u32(8);
    u32(17); // mxOPAQUE_CLASS
    u32(0);
    int8(name);
    int8('MCOS');
    int8(className);
    // the object's metadata: a 2 × 1 uint32 matrix
    const inner: number[] = [];
    const w = (v: number) => inner.push(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
    w(6);
    w(8);
    w(13); // mxUINT32_CLASS
    w(0);
    w(5);
    w(8);
    w(2);
    w(1);
    w(1);
    w(0);
    w(6);
    w(8);
    w(0xdd000000);
    w(2);
    u32(14);
    u32(inner.length);
    parts.push(...inner);
    const body = Uint8Array.from(parts);
    const out = new Uint8Array(8 + body.length);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, 14, true); // miMATRIX
    dv.setUint32(4, body.length, true);
    out.set(body, 8);
    return out;
  }

  it('a MATLAB string or table variable is skipped and named; the other variables are read', () => {
    const base = writeMat({ x: { data: Float64Array.of(1, 2, 3), shape: [1, 3] }, label: 'ok' }, { compress: false });
    const s = opaqueElement('names', 'string');
    const t = opaqueElement('T', 'table');
    const bytes = new Uint8Array(base.length + s.length + t.length);
    bytes.set(base);
    bytes.set(s, base.length);
    bytes.set(t, base.length + s.length);
    const m = readMat(bytes, 'mixed.mat');
    expect(Object.keys(m.variables)).toEqual(['x', 'label']);
    expect(Array.from(matToFloat64(m.variables.x, 'x').data)).toEqual([1, 2, 3]);
    expect(m.skipped).toEqual([
      { name: 'names', className: 'string' },
      { name: 'T', className: 'table' },
    ]);
  });

  it('a file whose variables are all readable skips nothing', () => {
    const m = readMat(writeMat({ y: 2 }), 'plain.mat');
    expect(m.skipped).toEqual([]);
  });
});
