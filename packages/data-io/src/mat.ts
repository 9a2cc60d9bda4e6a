/**
 * MATLAB Level 5 MAT-files (the format of `save -v7` and of scipy.io.savemat): a reader for
 * numeric arrays of every class (double, single, int8…uint64, logical), complex, char, sparse,
 * structs and struct arrays, cell arrays, compressed elements, either byte order; and a writer
 * for numeric arrays, logical, char, structs and cells (so results open in MATLAB).
 *
 * ## Array order
 * MATLAB stores arrays column-major. The reader returns every array with its MATLAB size as
 * `shape` and its data in **row-major (C) order**, so element (i, j) of a matrix is
 * `data[i * shape[1] + j]` — the same indices as in MATLAB (1-based there) and as numpy's
 * `scipy.io.loadmat(...)['x'][i, j]`. Struct and cell elements follow the same rule. The writer
 * takes row-major arrays and stores them column-major. Vectors keep MATLAB's two dimensions
 * ([1, n] row, [n, 1] column); a 1-D array is written as a row vector (scipy's default).
 *
 * ## Safety
 * Every length read from the file is checked against the bytes that remain before anything is
 * allocated, so a truncated or corrupt file gives a `MatFormatError` naming the file and the
 * byte offset, never a hang or an unbounded allocation.
 */

import { type NumericArray, UserError } from '@wmkit/tensor';
import { unzlibSync, zlibSync } from 'fflate';

/** A file that is not a MAT-file this reader understands; the message says what was found. */
export class MatFormatError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'MatFormatError';
  }
}

/** MATLAB numeric classes. */
export type MatClass = 'double' | 'single' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64';

/** Storage of a numeric MATLAB array (64-bit integers as BigInt arrays). */
export type MatNumericData = NumericArray | BigInt64Array | BigUint64Array;

/** A MATLAB numeric array (real part, and imaginary part if complex), row-major. */
export interface MatNumeric {
  kind: 'numeric';
  class: MatClass;
  shape: number[];
  /** Row-major data in the class's typed array (int64/uint64: BigInt64Array/BigUint64Array). */
  data: MatNumericData;
  /** Imaginary part of a complex array (same type and order). */
  imag?: MatNumericData;
}

/** A MATLAB logical array. */
export interface MatLogical {
  kind: 'logical';
  shape: number[];
  /** Row-major 0/1. */
  data: Uint8Array;
}

/** A MATLAB char array, as strings. */
export interface MatChar {
  kind: 'char';
  shape: number[];
  /** One string per row (a char row vector gives one string). */
  rows: string[];
}

/** A MATLAB sparse matrix in compressed-column form. */
export interface MatSparse {
  kind: 'sparse';
  /** [rows, cols]. */
  shape: [number, number];
  logical: boolean;
  /** Compressed sparse column storage, 0-based, as in the file: row index of each stored value. */
  rowIndices: Int32Array;
  /** Column pointers (length cols + 1). */
  colPointers: Int32Array;
  values: Float64Array;
  imag?: Float64Array;
}

/** A MATLAB struct array: field names and, per element, a value per field. */
export interface MatStruct {
  kind: 'struct';
  shape: number[];
  fields: string[];
  /** Elements in row-major order; each maps field name → value. */
  elements: Record<string, MatValue>[];
}

/** A MATLAB cell array. */
export interface MatCell {
  kind: 'cell';
  shape: number[];
  /** Elements in row-major order. */
  elements: MatValue[];
}

/** Any value a MAT-file variable can hold. */
export type MatValue = MatNumeric | MatLogical | MatChar | MatSparse | MatStruct | MatCell;

/** A parsed MAT-file: header text, byte order and its top-level variables. */
export interface MatFile {
  /** The 116-byte descriptive text of the header. */
  header: string;
  littleEndian: boolean;
  /** Variables in file order. */
  variables: Record<string, MatValue>;
  /**
   * Top-level variables that were skipped because wmkit cannot read their class — MATLAB
   * objects such as `string`, `table`, `datetime`, `categorical` (stored as opaque MCOS objects),
   * class objects and function handles — with the class as the file names it. The other
   * variables are read (as scipy.io.loadmat does); callers should tell the user what was skipped.
   */
  skipped: { name: string; className: string }[];
}

/** What to tell the user about a file's skipped variables (`MatFile.skipped`): one line naming them and the fix; null if none. */
export function skippedVariablesMessage(file: string, skipped: MatFile['skipped']): string | null {
  if (!skipped.length) return null;
  const list = skipped.map((s) => `${s.name} (${s.className})`).join(', ');
  return `${file}: skipped ${skipped.length} variable${skipped.length > 1 ? 's' : ''} of a class wmkit cannot read: ${list}; save them as numeric arrays, char arrays, structs or cells (e.g. double(x), char(s), table2struct(t)) if they are needed`;
}

// mi data types
const MI = {
  INT8: 1,
  UINT8: 2,
  INT16: 3,
  UINT16: 4,
  INT32: 5,
  UINT32: 6,
  SINGLE: 7,
  DOUBLE: 9,
  INT64: 12,
  UINT64: 13,
  MATRIX: 14,
  COMPRESSED: 15,
  UTF8: 16,
  UTF16: 17,
  UTF32: 18,
} as const;
const MI_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8, 16: 1, 17: 2, 18: 4 };
const MX_NUMERIC: Record<number, MatClass> = {
  6: 'double',
  7: 'single',
  8: 'int8',
  9: 'uint8',
  10: 'int16',
  11: 'uint16',
  12: 'int32',
  13: 'uint32',
  14: 'int64',
  15: 'uint64',
};
const MX_NAMES: Record<number, string> = {
  1: 'cell',
  2: 'struct',
  3: 'object',
  4: 'char',
  5: 'sparse',
  16: 'function handle',
  17: 'opaque (e.g. string, table, datetime)',
};
const CLASS_ARRAY: Record<MatClass, { new (n: number): MatNumericData }> = {
  double: Float64Array,
  single: Float32Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
};

/** Largest array (elements) the reader will allocate — far above any real .mat variable. */
const MAX_ELEMENTS = 2 ** 31;

interface Element {
  type: number;
  /** Byte offset of the data within `bytes`. */
  offset: number;
  nbytes: number;
  /** Offset of the next element. */
  next: number;
}

class Reader {
  readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly le: boolean,
    readonly source: string,
    /** Where `bytes` begins in the file (for error messages; inside compressed data: its element). */
    readonly where: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(msg: string, at: number): never {
    throw new MatFormatError(`${this.source}: ${msg} (${this.where}byte ${at})`);
  }

  element(at: number, end = this.bytes.length): Element {
    if (at + 8 > end) this.fail(`truncated file: a data element tag needs 8 bytes but ${end - at} remain`, at);
    const first = this.view.getUint32(at, this.le);
    if (first >>> 16 !== 0) {
      // small data element: 2-byte size, 2-byte type, ≤ 4 bytes of data in the tag
      const type = first & 0xffff;
      const nbytes = first >>> 16;
      if (nbytes > 4) this.fail(`corrupt small data element: ${nbytes} bytes declared (at most 4)`, at);
      return { type, offset: at + 4, nbytes, next: at + 8 };
    }
    const nbytes = this.view.getUint32(at + 4, this.le);
    if (nbytes > end - at - 8)
      this.fail(`truncated file: element of type ${first} declares ${nbytes} bytes but only ${end - at - 8} remain`, at);
    const padded = first === MI.COMPRESSED ? nbytes : Math.ceil(nbytes / 8) * 8;
    return { type: first, offset: at + 8, nbytes, next: Math.min(end, at + 8 + padded) };
  }

  /** Reads an element's values as numbers (or bigints for 64-bit integer types). */
  values(el: Element, what: string): Float64Array {
    const size = MI_SIZE[el.type];
    if (!size || el.type === MI.UTF8 || el.type === MI.UTF16 || el.type === MI.UTF32)
      this.fail(`${what}: unexpected data type ${el.type}`, el.offset - 8);
    if (el.nbytes % size !== 0) this.fail(`${what}: ${el.nbytes} bytes is not a whole number of ${size}-byte values`, el.offset);
    const n = el.nbytes / size;
    const out = new Float64Array(n);
    const v = this.view;
    const le = this.le;
    let p = el.offset;
    for (let i = 0; i < n; i++, p += size) {
      switch (el.type) {
        case MI.INT8:
          out[i] = v.getInt8(p);
          break;
        case MI.UINT8:
          out[i] = v.getUint8(p);
          break;
        case MI.INT16:
          out[i] = v.getInt16(p, le);
          break;
        case MI.UINT16:
          out[i] = v.getUint16(p, le);
          break;
        case MI.INT32:
          out[i] = v.getInt32(p, le);
          break;
        case MI.UINT32:
          out[i] = v.getUint32(p, le);
          break;
        case MI.SINGLE:
          out[i] = v.getFloat32(p, le);
          break;
        case MI.DOUBLE:
          out[i] = v.getFloat64(p, le);
          break;
        case MI.INT64:
          out[i] = Number(v.getBigInt64(p, le));
          break;
        case MI.UINT64:
          out[i] = Number(v.getBigUint64(p, le));
          break;
      }
    }
    return out;
  }

  /** 64-bit integer data, exactly. */
  bigValues(el: Element, signed: boolean): bigint[] {
    const size = MI_SIZE[el.type];
    if (el.type === MI.INT64 || el.type === MI.UINT64) {
      const n = el.nbytes / 8;
      const out: bigint[] = new Array(n);
      for (let i = 0; i < n; i++)
        out[i] =
          el.type === MI.INT64 ? this.view.getBigInt64(el.offset + 8 * i, this.le) : this.view.getBigUint64(el.offset + 8 * i, this.le);
      return out;
    }
    if (!size) this.fail(`unexpected data type ${el.type} for ${signed ? 'int64' : 'uint64'} data`, el.offset);
    return Array.from(this.values(el, 'int64 data'), (x) => BigInt(x));
  }

  text(el: Element): string {
    const b = this.bytes.subarray(el.offset, el.offset + el.nbytes);
    if (el.type === MI.UTF8 || el.type === MI.INT8 || el.type === MI.UINT8) return new TextDecoder('utf-8').decode(b);
    if (el.type === MI.UTF16 || el.type === MI.UINT16 || el.type === MI.INT16) {
      let s = '';
      for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode(this.view.getUint16(el.offset + i, this.le));
      return s;
    }
    if (el.type === MI.UTF32 || el.type === MI.INT32 || el.type === MI.UINT32) {
      let s = '';
      for (let i = 0; i + 3 < b.length; i += 4) s += String.fromCodePoint(this.view.getUint32(el.offset + i, this.le));
      return s;
    }
    return this.fail(`char data of type ${el.type} is not text`, el.offset);
  }
}

function product(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Column-major index order → row-major, for any rank. */
function fortranToCIndex(shape: number[]): Int32Array {
  const n = product(shape);
  const idx = new Int32Array(n); // idx[c] = fortran index of row-major position c
  const rank = shape.length;
  const sub = new Array(rank).fill(0);
  for (let c = 0; c < n; c++) {
    let f = 0;
    let stride = 1;
    for (let k = 0; k < rank; k++) {
      f += sub[k] * stride;
      stride *= shape[k];
    }
    idx[c] = f;
    for (let k = rank - 1; k >= 0; k--) {
      if (++sub[k] < shape[k]) break;
      sub[k] = 0;
    }
  }
  return idx;
}

// biome-ignore lint/suspicious/noExplicitAny: element-wise copy between arrays of any element type
type Indexable = { length: number; [i: number]: any };

/** Copies column-major `src` into a new row-major array made by `make`. */
function reorder<T extends Indexable>(src: Indexable, shape: number[], make: (n: number) => T): T {
  if (shape.filter((d) => d > 1).length <= 1) {
    const out = make(src.length);
    for (let i = 0; i < src.length; i++) out[i] = src[i];
    return out;
  }
  const idx = fortranToCIndex(shape);
  const out = make(idx.length);
  for (let c = 0; c < idx.length; c++) out[c] = src[idx[c]];
  return out;
}

function numericFrom(vals: Float64Array, cls: Exclude<MatClass, 'int64' | 'uint64'>, shape: number[]): MatNumericData {
  const Ctor = CLASS_ARRAY[cls] as new (n: number) => NumericArray;
  return reorder(vals, shape, (n) => new Ctor(n));
}

function parseMatrix(r: Reader, el: Element, depth: number): { name: string; value: MatValue } {
  if (depth > 64) r.fail('nesting deeper than 64 levels', el.offset);
  const end = el.offset + el.nbytes;
  if (el.nbytes === 0) return { name: '', value: { kind: 'numeric', class: 'double', shape: [0, 0], data: new Float64Array(0) } };
  const flagsEl = r.element(el.offset, end);
  if (flagsEl.type !== MI.UINT32 || flagsEl.nbytes < 8) r.fail('array flags subelement missing', el.offset);
  const flags = r.view.getUint32(flagsEl.offset, r.le);
  const nzmax = r.view.getUint32(flagsEl.offset + 4, r.le);
  const mx = flags & 0xff;
  const complex = (flags & 0x0800) !== 0;
  const logical = (flags & 0x0200) !== 0;
  const dimsEl = r.element(flagsEl.next, end);
  if (dimsEl.type !== MI.INT32) r.fail('dimensions subelement missing', flagsEl.next);
  const shape = Array.from(r.values(dimsEl, 'dimensions'));
  if (shape.length < 2 || shape.some((d) => !(d >= 0 && Number.isInteger(d))))
    r.fail(`invalid dimensions [${shape.join(', ')}]`, dimsEl.offset);
  const count = product(shape);
  if (!(count <= MAX_ELEMENTS)) r.fail(`dimensions [${shape.join(', ')}] are too large`, dimsEl.offset);
  const nameEl = r.element(dimsEl.next, end);
  const name = r.text(nameEl);
  let at = nameEl.next;
  const sub = (what: string) => {
    if (at >= end) r.fail(`${name || 'array'}: ${what} subelement missing`, at);
    const e = r.element(at, end);
    at = e.next;
    return e;
  };
  const className = MX_NAMES[mx];
  if (mx === 3 || mx === 16 || mx === 17 || (!MX_NUMERIC[mx] && !className))
    r.fail(
      `variable '${name}': MATLAB class ${className ?? mx} is not supported (save it as numeric arrays, structs or cells)`,
      el.offset - 8,
    );

  if (MX_NUMERIC[mx]) {
    const cls = MX_NUMERIC[mx];
    const re = sub('real part');
    // the data may be stored in a smaller type than the class (savemat compresses int ranges)
    const checkCount = (e: Element) => {
      const n = e.nbytes / (MI_SIZE[e.type] ?? 1);
      if (n !== count) r.fail(`variable '${name}': ${n} values for dimensions [${shape.join(', ')}] (${count})`, e.offset);
    };
    checkCount(re);
    if (logical) {
      const vals = r.values(re, name);
      const data = reorder(vals, shape, (n) => new Float64Array(n));
      return { name, value: { kind: 'logical', shape, data: Uint8Array.from(data, (x) => (x ? 1 : 0)) } };
    }
    const data =
      cls === 'int64' || cls === 'uint64'
        ? bigTyped(
            reorder(r.bigValues(re, cls === 'int64'), shape, (n) => new Array<bigint>(n)),
            cls,
          )
        : numericFrom(r.values(re, name), cls, shape);
    const value: MatNumeric = { kind: 'numeric', class: cls, shape, data };
    if (complex) {
      const im = sub('imaginary part');
      checkCount(im);
      value.imag =
        cls === 'int64' || cls === 'uint64'
          ? bigTyped(
              reorder(r.bigValues(im, cls === 'int64'), shape, (n) => new Array<bigint>(n)),
              cls,
            )
          : numericFrom(r.values(im, name), cls, shape);
    }
    return { name, value };
  }
  if (mx === 4) {
    const d = sub('character data');
    const text = d.nbytes === 0 ? '' : r.text(d);
    const chars = Array.from(text);
    if (chars.length !== count)
      r.fail(`char variable '${name}': ${chars.length} characters for dimensions [${shape.join(', ')}]`, d.offset);
    // 2-D char arrays: rows of shape[1] characters, stored column-major
    const rowsN = shape[0];
    const cols = count / Math.max(rowsN, 1);
    const rows: string[] = [];
    for (let i = 0; i < rowsN; i++) {
      let s = '';
      for (let j = 0; j < cols; j++) s += chars[i + j * rowsN];
      rows.push(s);
    }
    return { name, value: { kind: 'char', shape, rows: rowsN === 0 ? [''] : rows } };
  }
  if (mx === 5) {
    if (shape.length !== 2) r.fail(`sparse variable '${name}' must be 2-D`, dimsEl.offset);
    const ir = r.values(sub('row indices'), name);
    const jc = r.values(sub('column pointers'), name);
    if (jc.length !== shape[1] + 1) r.fail(`sparse variable '${name}': ${jc.length} column pointers for ${shape[1]} columns`, at);
    const nnz = jc[jc.length - 1];
    if (!(nnz <= ir.length && nnz <= Math.max(nzmax, ir.length)))
      r.fail(`sparse variable '${name}': ${nnz} non-zeros but ${ir.length} row indices`, at);
    const pr = r.values(sub('values'), name);
    if (pr.length < nnz) r.fail(`sparse variable '${name}': ${pr.length} values for ${nnz} non-zeros`, at);
    for (let k = 0; k < nnz; k++)
      if (!(ir[k] >= 0 && ir[k] < shape[0])) r.fail(`sparse variable '${name}': row index ${ir[k]} outside ${shape[0]} rows`, at);
    const value: MatSparse = {
      kind: 'sparse',
      shape: [shape[0], shape[1]],
      logical,
      rowIndices: Int32Array.from(ir.slice(0, nnz)),
      colPointers: Int32Array.from(jc),
      values: Float64Array.from(pr.slice(0, nnz)),
    };
    if (complex) value.imag = Float64Array.from(r.values(sub('imaginary values'), name).slice(0, nnz));
    return { name, value };
  }
  if (mx === 1) {
    const cells: MatValue[] = [];
    for (let k = 0; k < count; k++) {
      const e = sub(`cell element ${k + 1}`);
      if (e.type !== MI.MATRIX) r.fail(`cell '${name}': element ${k + 1} is not an array`, e.offset);
      cells.push(parseMatrix(r, e, depth + 1).value);
    }
    return { name, value: { kind: 'cell', shape, elements: reorder(cells, shape, (n) => new Array<MatValue>(n)) } };
  }
  // struct
  const lenEl = sub('field name length');
  const fieldLen = r.values(lenEl, 'field name length')[0];
  const namesEl = sub('field names');
  if (!(fieldLen > 0) || namesEl.nbytes % fieldLen !== 0)
    r.fail(`struct '${name}': field names of ${namesEl.nbytes} bytes with length ${fieldLen}`, namesEl.offset);
  const nFields = namesEl.nbytes / fieldLen;
  const fields: string[] = [];
  for (let f = 0; f < nFields; f++) {
    const raw = r.bytes.subarray(namesEl.offset + f * fieldLen, namesEl.offset + (f + 1) * fieldLen);
    const z = raw.indexOf(0);
    fields.push(new TextDecoder().decode(z >= 0 ? raw.subarray(0, z) : raw));
  }
  const elements: Record<string, MatValue>[] = [];
  for (let k = 0; k < count; k++) {
    const rec: Record<string, MatValue> = {};
    for (const f of fields) {
      const e = sub(`field '${f}'`);
      if (e.type !== MI.MATRIX) r.fail(`struct '${name}': field '${f}' is not an array`, e.offset);
      rec[f] = parseMatrix(r, e, depth + 1).value;
    }
    elements.push(rec);
  }
  return {
    name,
    value: { kind: 'struct', shape, fields, elements: reorder(elements, shape, (n) => new Array<Record<string, MatValue>>(n)) },
  };
}

function bigTyped(vals: bigint[], cls: 'int64' | 'uint64'): BigInt64Array | BigUint64Array {
  return cls === 'int64' ? BigInt64Array.from(vals) : BigUint64Array.from(vals);
}

/** Is this a MATLAB v7.3 file (HDF5 inside)? Those are read with `readHdf5` (data-io/node). */
export function isMatV73(bytes: Uint8Array): boolean {
  const hdf5 = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  return bytes.length >= 520 && hdf5.every((b, i) => bytes[512 + i] === b);
}

/**
 * Adler-32 of `data` (RFC 1950 §9). fflate inflates zlib streams without verifying this trailer,
 * and exports no checksum, so it is computed here: a flipped byte inside a compressed element
 * can inflate without error to different numbers, which only the checksum reveals.
 */
export function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; ) {
    const end = Math.min(i + 5552, data.length); // zlib's block length: the sums stay small integers
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** The name of the matrix element that `r` starts with, if it can be read (null otherwise). */
function variableNameOf(r: Reader): string | null {
  try {
    const el = r.element(0);
    if (el.type !== MI.MATRIX) return null;
    const flags = r.element(el.offset, el.offset + el.nbytes);
    const dims = r.element(flags.next, el.offset + el.nbytes);
    const name = r.element(dims.next, el.offset + el.nbytes);
    const text = new TextDecoder('latin1').decode(r.bytes.subarray(name.offset, name.offset + name.nbytes));
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(text) ? text : null;
  } catch {
    return null;
  }
}

/** Parses a Level 5 MAT-file. `source` names the file in errors. */
export function readMat(bytes: Uint8Array, source = 'MAT-file'): MatFile {
  if (bytes.length < 128) throw new MatFormatError(`${source}: not a MAT-file (${bytes.length} bytes; the header alone is 128)`);
  if (isMatV73(bytes))
    throw new MatFormatError(`${source}: a MATLAB v7.3 (HDF5) file; read it with readHdf5 from @wmkit/data-io/node (or 'wmkit inspect')`);
  const ind = String.fromCharCode(bytes[126], bytes[127]);
  if (ind !== 'IM' && ind !== 'MI') {
    const text = new TextDecoder('latin1').decode(bytes.subarray(0, 10));
    throw new MatFormatError(
      `${source}: not a Level 5 MAT-file (bad endian indicator ${JSON.stringify(ind)}${text.startsWith('MATLAB') ? '' : '; no "MATLAB" header text — a v4 file or not a .mat file'})`,
    );
  }
  const le = ind === 'IM';
  const version = new DataView(bytes.buffer, bytes.byteOffset + 124, 2).getUint16(0, le);
  if (version !== 0x0100) throw new MatFormatError(`${source}: unsupported MAT-file version 0x${version.toString(16)} (expected 0x0100)`);
  const header = new TextDecoder('latin1').decode(bytes.subarray(0, 116)).replace(/[\s\0]+$/, '');
  const top = new Reader(bytes, le, source, '');
  const variables: Record<string, MatValue> = {};
  const skipped: MatFile['skipped'] = [];
  let at = 128;
  while (at + 8 <= bytes.length) {
    const el = top.element(at);
    at = el.next;
    let r = top;
    let inner = el;
    if (el.type === MI.COMPRESSED) {
      const z = bytes.subarray(el.offset, el.offset + el.nbytes);
      let raw: Uint8Array;
      try {
        raw = unzlibSync(z);
      } catch (err) {
        return top.fail(`corrupt compressed element (${(err as Error).message})`, el.offset - 8);
      }
      r = new Reader(raw, le, source, `compressed element at byte ${el.offset - 8}, inner `);
      if (z.length < 6 || adler32(raw) !== new DataView(z.buffer, z.byteOffset + z.length - 4, 4).getUint32(0, false)) {
        const name = variableNameOf(r);
        return top.fail(
          `${name ? `variable '${name}'` : 'a variable'}: compressed data fail their zlib checksum (the file is corrupt; re-export or re-download it)`,
          el.offset - 8,
        );
      }
      inner = r.element(0);
    }
    if (inner.type !== MI.MATRIX) continue; // other top-level elements carry no variables
    const unsupported = unsupportedVariable(r, inner);
    if (unsupported) {
      if (unsupported.name !== '__function_workspace__') skipped.push(unsupported);
      continue;
    }
    const { name, value } = parseMatrix(r, inner, 0);
    if (name === '__function_workspace__') continue;
    variables[name] = value;
  }
  return { header, littleEndian: le, variables, skipped };
}

/**
 * A top-level variable of a class wmkit does not read (object, function handle, opaque MCOS
 * object, unknown): its name and class; null for readable classes. An opaque variable's
 * elements are: flags, name, type system ('MCOS'), class name ('string', 'table', …), data.
 */
function unsupportedVariable(r: Reader, el: Element): { name: string; className: string } | null {
  if (el.nbytes === 0) return null;
  const end = el.offset + el.nbytes;
  const flagsEl = r.element(el.offset, end);
  if (flagsEl.type !== MI.UINT32 || flagsEl.nbytes < 8) return null; // parseMatrix reports it
  const mx = r.view.getUint32(flagsEl.offset, r.le) & 0xff;
  if (!(mx === 3 || mx === 16 || mx === 17 || (!MX_NUMERIC[mx] && !MX_NAMES[mx]))) return null;
  const strings: string[] = [];
  try {
    let at = flagsEl.next;
    for (let k = 0; k < 4 && at < end; k++) {
      const e = r.element(at, end);
      at = e.next;
      if (e.type === MI.INT8) strings.push(r.text(e));
      else if (e.type !== MI.INT32) break; // dimensions (objects, function handles) come before the name
    }
  } catch {
    /* the class alone is enough to skip it */
  }
  const name = strings[0] ?? '(unnamed)';
  // opaque: [name, 'MCOS', class]; object: [name, class]
  const className =
    mx === 17 ? (strings[2] ?? 'opaque object') : mx === 3 ? (strings[1] ?? 'object') : mx === 16 ? 'function handle' : `class ${mx}`;
  return { name, className };
}

// ---------------------------------------------------------------- conversions

/** A numeric or logical variable as a row-major array of numbers (int64 converted to Number). */
export function matToFloat64(v: MatValue, what = 'variable'): { data: Float64Array; shape: number[] } {
  if (v.kind === 'numeric') return { data: Float64Array.from(v.data as ArrayLike<number | bigint>, Number), shape: v.shape };
  if (v.kind === 'logical') return { data: Float64Array.from(v.data), shape: v.shape };
  if (v.kind === 'sparse') return { data: sparseToDense(v), shape: v.shape };
  throw new MatFormatError(`${what} is a ${v.kind} array, not numeric`);
}

/** Dense row-major values of a sparse matrix. */
export function sparseToDense(s: MatSparse): Float64Array {
  const [m, n] = s.shape;
  const out = new Float64Array(m * n);
  for (let j = 0; j < n; j++) for (let k = s.colPointers[j]; k < s.colPointers[j + 1]; k++) out[s.rowIndices[k] * n + j] = s.values[k];
  return out;
}

/** The text of a char variable (rows joined by newlines). */
export function matToString(v: MatValue, what = 'variable'): string {
  if (v.kind !== 'char') throw new MatFormatError(`${what} is a ${v.kind} array, not char`);
  return v.rows.join('\n');
}

// ---------------------------------------------------------------- writer

/** What `writeMat` accepts: numeric arrays (row-major, any rank), plain numbers, strings, booleans,
 *  logical arrays, structs (plain objects), struct arrays and cells. */
export type MatWritable =
  | number
  | string
  | boolean
  | { data: NumericArray; shape: readonly number[] }
  | { kind: 'logical'; data: ArrayLike<number>; shape: readonly number[] }
  | { kind: 'cell'; shape?: readonly number[]; elements: MatWritable[] }
  | { kind: 'struct-array'; shape?: readonly number[]; elements: Record<string, MatWritable>[] }
  | MatWritable[]
  | { [field: string]: MatWritable };

const CLASS_OF: [new (...a: never[]) => unknown, number, number][] = [
  // typed array → [mx class, mi type]
  [Float64Array, 6, MI.DOUBLE],
  [Float32Array, 7, MI.SINGLE],
  [Int8Array, 8, MI.INT8],
  [Uint8Array, 9, MI.UINT8],
  [Int16Array, 10, MI.INT16],
  [Uint16Array, 11, MI.UINT16],
  [Int32Array, 12, MI.INT32],
  [Uint32Array, 13, MI.UINT32],
];

class Writer {
  private chunks: Uint8Array[] = [];
  private size = 0;
  push(b: Uint8Array): void {
    this.chunks.push(b);
    this.size += b.length;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

function tagged(type: number, payload: Uint8Array): Uint8Array {
  const padded = Math.ceil(payload.length / 8) * 8;
  const out = new Uint8Array(8 + padded);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, payload.length, true);
  out.set(payload, 8);
  return out;
}

function typedBytes(a: NumericArray): Uint8Array {
  return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength) as ArrayBuffer);
}

function toColumnMajor<T extends NumericArray>(data: T, shape: number[]): T {
  if (shape.filter((d) => d > 1).length <= 1) return data;
  const idx = fortranToCIndex(shape); // idx[c] = fortran position of row-major c
  const out = new (data.constructor as new (n: number) => T)(data.length);
  for (let c = 0; c < idx.length; c++) out[idx[c]] = data[c];
  return out;
}

function matrixElement(name: string, v: MatWritable, where: string): Uint8Array {
  const w = new Writer();
  const header = (mx: number, shape: number[], flags = 0, nzmax = 0) => {
    const f = new Uint8Array(8);
    new DataView(f.buffer).setUint32(0, mx | flags, true);
    new DataView(f.buffer).setUint32(4, nzmax, true);
    w.push(tagged(MI.UINT32, f));
    w.push(tagged(MI.INT32, typedBytes(Int32Array.from(shape))));
    w.push(tagged(MI.INT8, new TextEncoder().encode(name)));
  };
  const shape2 = (s: readonly number[] | undefined, n: number): number[] => {
    const sh = s ? [...s] : [1, n];
    if (sh.length === 0) return [1, 1];
    if (sh.length === 1) return [1, sh[0]];
    if (sh.reduce((a, b) => a * b, 1) !== n) throw new MatFormatError(`${where}: shape [${sh.join(', ')}] does not match ${n} elements`);
    return sh;
  };
  if (typeof v === 'number' || typeof v === 'boolean') {
    if (typeof v === 'boolean') {
      header(9, [1, 1], 0x0200);
      w.push(tagged(MI.UINT8, Uint8Array.of(v ? 1 : 0)));
    } else {
      header(6, [1, 1]);
      w.push(tagged(MI.DOUBLE, typedBytes(Float64Array.of(v))));
    }
  } else if (typeof v === 'string') {
    const codes = Uint16Array.from(Array.from(v), (c) => {
      const p = c.codePointAt(0) ?? 0;
      if (p > 0xffff) throw new MatFormatError(`${where}: character U+${p.toString(16)} does not fit MATLAB's 16-bit char`);
      return p;
    });
    header(4, [v.length === 0 ? 0 : 1, codes.length]);
    w.push(tagged(MI.UINT16, typedBytes(codes)));
  } else if (Array.isArray(v)) {
    return matrixElement(name, { kind: 'cell', elements: v }, where);
  } else if ('kind' in v && v.kind === 'cell') {
    const els = v.elements as MatWritable[];
    const shape = shape2(v.shape as number[] | undefined, els.length);
    header(1, shape);
    const idx = fortranToCIndex(shape);
    const colMajor = new Array<MatWritable>(els.length);
    for (let c = 0; c < idx.length; c++) colMajor[idx[c]] = els[c];
    colMajor.forEach((e, k) => {
      w.push(matrixElement('', e, `${where}{${k + 1}}`));
    });
  } else if ('kind' in v && v.kind === 'struct-array') {
    const els = v.elements as Record<string, MatWritable>[];
    const shape = shape2(v.shape as number[] | undefined, els.length);
    structBody(w, header, shape, els, where);
  } else if ('kind' in v && v.kind === 'logical') {
    const data = v.data as ArrayLike<number>;
    const shape = shape2(v.shape as number[], data.length);
    header(9, shape, 0x0200);
    w.push(
      tagged(
        MI.UINT8,
        typedBytes(
          toColumnMajor(
            Uint8Array.from(data, (x) => (x ? 1 : 0)),
            shape,
          ),
        ),
      ),
    );
  } else if ('data' in v && ArrayBuffer.isView((v as { data: unknown }).data)) {
    const arr = v as { data: NumericArray; shape: readonly number[] };
    const entry = CLASS_OF.find(([C]) => arr.data instanceof C);
    if (!entry) throw new MatFormatError(`${where}: unsupported array type ${arr.data.constructor.name}`);
    const shape = shape2(arr.shape, arr.data.length);
    header(entry[1], shape);
    w.push(tagged(entry[2], typedBytes(toColumnMajor(arr.data, shape))));
  } else {
    structBody(w, header, [1, 1], [v as Record<string, MatWritable>], where);
  }
  return tagged(MI.MATRIX, w.bytes());
}

function structBody(
  w: Writer,
  header: (mx: number, shape: number[]) => void,
  shape: number[],
  els: Record<string, MatWritable>[],
  where: string,
): void {
  const fields = els.length ? Object.keys(els[0]) : [];
  for (const [k, e] of els.entries()) {
    const f = Object.keys(e);
    if (f.length !== fields.length || f.some((x, i) => x !== fields[i]))
      throw new MatFormatError(`${where}(${k + 1}): struct array elements must have the same fields`);
  }
  for (const f of fields)
    if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(f))
      throw new MatFormatError(
        `${where}: '${f}' is not a valid MATLAB field name (letters, digits, _; starting with a letter; ≤ 63 characters)`,
      );
  header(2, shape);
  const len = Math.max(...fields.map((f) => f.length), 0) + 1;
  const lenBytes = new Uint8Array(8);
  const dv = new DataView(lenBytes.buffer);
  dv.setUint32(0, (4 << 16) | MI.INT32, true); // small element: 4 bytes of int32
  dv.setInt32(4, len, true);
  w.push(lenBytes);
  const names = new Uint8Array(len * fields.length);
  fields.forEach((f, i) => {
    names.set(new TextEncoder().encode(f), i * len);
  });
  w.push(tagged(MI.INT8, names));
  const idx = fortranToCIndex(shape);
  const colMajor = new Array<Record<string, MatWritable>>(els.length);
  for (let c = 0; c < idx.length; c++) colMajor[idx[c]] = els[c];
  for (const e of colMajor) for (const f of fields) w.push(matrixElement('', e[f], `${where}.${f}`));
}

/**
 * Writes a Level 5 MAT-file (little-endian; `compress` stores each variable as a zlib
 * miCOMPRESSED element, as `save -v7` does). Variable names must be valid MATLAB names.
 */
export function writeMat(variables: Record<string, MatWritable>, o: { compress?: boolean; header?: string } = {}): Uint8Array {
  const w = new Writer();
  const head = new Uint8Array(128).fill(0x20);
  const text = (o.header ?? `MATLAB 5.0 MAT-file, written by wmkit, ${new Date().toUTCString()}`).slice(0, 116);
  head.set(new TextEncoder().encode(text), 0);
  head.fill(0, 116, 124);
  const dv = new DataView(head.buffer);
  dv.setUint16(124, 0x0100, true);
  head[126] = 'I'.charCodeAt(0);
  head[127] = 'M'.charCodeAt(0);
  w.push(head);
  for (const [name, v] of Object.entries(variables)) {
    if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(name))
      throw new MatFormatError(`'${name}' is not a valid MATLAB variable name (letters, digits, _; starting with a letter)`);
    const el = matrixElement(name, v, name);
    if (o.compress) {
      const z = zlibSync(el);
      const t = new Uint8Array(8 + z.length);
      const tv = new DataView(t.buffer);
      tv.setUint32(0, MI.COMPRESSED, true);
      tv.setUint32(4, z.length, true);
      t.set(z, 8);
      w.push(t);
    } else w.push(el);
  }
  return w.bytes();
}

/** A short description of every variable: name, class, shape (for `wmkit inspect`). */
export function describeMat(file: MatFile): string[] {
  const lines: string[] = [];
  const walk = (name: string, v: MatValue, indent: string) => {
    const shape = v.shape.join('×');
    if (v.kind === 'numeric') lines.push(`${indent}${name}  ${v.class}${v.imag ? ' complex' : ''}  ${shape}`);
    else if (v.kind === 'logical') lines.push(`${indent}${name}  logical  ${shape}`);
    else if (v.kind === 'char') lines.push(`${indent}${name}  char  ${shape}  ${JSON.stringify(v.rows.join('\n').slice(0, 40))}`);
    else if (v.kind === 'sparse')
      lines.push(`${indent}${name}  sparse${v.logical ? ' logical' : ''}  ${shape}  (${v.values.length} non-zeros)`);
    else if (v.kind === 'cell') {
      lines.push(`${indent}${name}  cell  ${shape}`);
      for (const [i, e] of v.elements.slice(0, 8).entries()) walk(`{${i + 1}}`, e, `${indent}  `);
      if (v.elements.length > 8) lines.push(`${indent}  … ${v.elements.length - 8} more`);
    } else {
      lines.push(`${indent}${name}  struct  ${shape}  fields: ${v.fields.join(', ')}`);
      if (v.elements.length === 1) for (const f of v.fields) walk(`.${f}`, v.elements[0][f], `${indent}  `);
    }
  };
  for (const [name, v] of Object.entries(file.variables)) walk(name, v, '');
  return lines;
}
