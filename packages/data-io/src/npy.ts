/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0), read and written in memory so the
 * same code runs in Node and the browser. Spec: numpy/lib/format.py ("NEP 1").
 *
 *   magic "\x93NUMPY" | major | minor | header length (uint16 LE, uint32 LE from 2.0)
 *   | header: a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
 *     padded with spaces and a final '\n' so the data starts on a 64-byte boundary
 *   | data, C (row-major) or Fortran (column-major) order
 *
 * Reading returns C-order data in a typed array of the file's dtype (Fortran-order files
 * are transposed; big-endian files are byte-swapped). int64/uint64 become Float64Array
 * (exact up to 2^53; larger values are an error). bool becomes Uint8Array of 0/1.
 * Writing uses format 1.0 (2.0 when the header needs it), little-endian, C order.
 *
 * @example
 * ```ts
 * const bytes = encodeNpy({ data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] });
 * const back = decodeNpy(bytes);   // { dtype: 'float32', shape: [2, 3], data: Float32Array }
 * ```
 * In Python: `numpy.load('x.npy')` opens what `encodeNpy` writes.
 */
import { formatShape, type NDArray, type NumericArray, ShapeError, sizeOf, UserError } from '@wmkit/tensor';

/** The `.npy` element types wmkit reads and writes. */
export type NpyDtype = 'float32' | 'float64' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'bool';

/** An array read from or written to a `.npy` file: dtype, shape (C order) and data. */
export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: NumericArray;
}

/** A malformed or unsupported .npy file; the message names the file and the problem. */
export class NpyFormatError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'NpyFormatError';
  }
}

const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

interface DtypeInfo {
  dtype: NpyDtype;
  bytes: number;
  make: (n: number) => NumericArray;
  get: (view: DataView, offset: number, little: boolean) => number;
}

const KINDS: Record<string, DtypeInfo> = {
  f4: { dtype: 'float32', bytes: 4, make: (n) => new Float32Array(n), get: (v, o, l) => v.getFloat32(o, l) },
  f8: { dtype: 'float64', bytes: 8, make: (n) => new Float64Array(n), get: (v, o, l) => v.getFloat64(o, l) },
  i1: { dtype: 'int8', bytes: 1, make: (n) => new Int8Array(n), get: (v, o) => v.getInt8(o) },
  i2: { dtype: 'int16', bytes: 2, make: (n) => new Int16Array(n), get: (v, o, l) => v.getInt16(o, l) },
  i4: { dtype: 'int32', bytes: 4, make: (n) => new Int32Array(n), get: (v, o, l) => v.getInt32(o, l) },
  i8: { dtype: 'int64', bytes: 8, make: (n) => new Float64Array(n), get: (v, o, l) => safeBig(v.getBigInt64(o, l)) },
  u1: { dtype: 'uint8', bytes: 1, make: (n) => new Uint8Array(n), get: (v, o) => v.getUint8(o) },
  u2: { dtype: 'uint16', bytes: 2, make: (n) => new Uint16Array(n), get: (v, o, l) => v.getUint16(o, l) },
  u4: { dtype: 'uint32', bytes: 4, make: (n) => new Uint32Array(n), get: (v, o, l) => v.getUint32(o, l) },
  u8: { dtype: 'uint64', bytes: 8, make: (n) => new Float64Array(n), get: (v, o, l) => safeBig(v.getBigUint64(o, l)) },
  b1: { dtype: 'bool', bytes: 1, make: (n) => new Uint8Array(n), get: (v, o) => (v.getUint8(o) ? 1 : 0) },
};

function safeBig(x: bigint): number {
  const n = Number(x);
  if (!Number.isSafeInteger(n)) throw new ShapeError(`64-bit integer ${x} does not fit a float64 exactly`);
  return n;
}

const DESCR: Record<NpyDtype, string> = {
  float32: '<f4',
  float64: '<f8',
  int8: '|i1',
  int16: '<i2',
  int32: '<i4',
  int64: '<i8',
  uint8: '|u1',
  uint16: '<u2',
  uint32: '<u4',
  uint64: '<u8',
  bool: '|b1',
};

function fail(source: string, problem: string): never {
  throw new NpyFormatError(`${source}: ${problem}`);
}

/** Parses the header dict literal; only the three keys numpy writes are accepted. */
function parseHeader(text: string, source: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr == null) fail(source, `header has no 'descr' (header: ${text.trim().slice(0, 120)})`);
  if (fortran == null) fail(source, `header has no 'fortran_order' (header: ${text.trim().slice(0, 120)})`);
  if (shapeText == null) fail(source, `header has no 'shape' (header: ${text.trim().slice(0, 120)})`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim().replace(/L$/, ''))
    .filter((s) => s !== '')
    .map((s) => {
      const d = Number(s);
      if (!Number.isSafeInteger(d) || d < 0) fail(source, `shape entry '${s}' is not a non-negative integer`);
      return d;
    });
  return { descr, fortran: fortran === 'True', shape };
}

/** Column-major → row-major for the given (row-major) shape. */
function fortranToC<D extends NumericArray>(src: D, shape: number[], make: (n: number) => NumericArray): D {
  const n = src.length;
  const out = make(n) as D;
  const rank = shape.length;
  const idx = new Array(rank).fill(0);
  // Walk the C-order output; keep the Fortran offset incrementally.
  const fStride = new Array(rank);
  let s = 1;
  for (let d = 0; d < rank; d++) {
    fStride[d] = s;
    s *= shape[d];
  }
  let f = 0;
  for (let c = 0; c < n; c++) {
    out[c] = src[f];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      f += fStride[d];
      if (idx[d] < shape[d]) break;
      f -= fStride[d] * shape[d];
      idx[d] = 0;
    }
  }
  return out;
}

/** Decodes a .npy file. `source` (a file name) is used in error messages. */
export function decodeNpy(bytes: Uint8Array, source = '.npy data'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) {
    const got = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ');
    fail(source, `not a .npy file (expected magic bytes 93 4e 55 4d 50 59 "\\x93NUMPY", found ${got || 'an empty file'})`);
  }
  const major = bytes[6];
  if (major < 1 || major > 3) fail(source, `unsupported .npy format version ${major}.${bytes[7]} (supported: 1.0, 2.0, 3.0)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : bytes.length >= 12 ? view.getUint32(8, true) : fail(source, 'truncated header');
  const headerStart = major === 1 ? 10 : 12;
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length)
    fail(source, `truncated: the header claims ${headerLen} bytes but the file has ${bytes.length - headerStart}`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const { descr, fortran, shape } = parseHeader(header, source);
  const order = descr[0];
  const kind = KINDS[descr.slice(1)];
  if (!kind || !'<>|='.includes(order)) {
    fail(
      source,
      `unsupported dtype '${descr}' (supported: float32/64, int8/16/32/64, uint8/16/32/64, bool; structured, complex and object arrays are not)`,
    );
  }
  const little = order !== '>';
  const n = sizeOf(shape);
  const need = n * kind.bytes;
  if (bytes.length - dataStart < need) {
    fail(
      source,
      `truncated: shape ${formatShape(shape)} of ${kind.dtype} needs ${need} data bytes but the file has ${bytes.length - dataStart}`,
    );
  }
  let data = kind.make(n);
  if ((little || kind.bytes === 1) && HOST_LITTLE && kind.dtype !== 'bool' && kind.dtype !== 'int64' && kind.dtype !== 'uint64') {
    // Fast path: copy the bytes (the copy is aligned) and view them as the dtype.
    new Uint8Array(data.buffer).set(bytes.subarray(dataStart, dataStart + need));
  } else {
    try {
      for (let i = 0; i < n; i++) data[i] = kind.get(view, dataStart + i * kind.bytes, little);
    } catch (err) {
      fail(source, (err as Error).message);
    }
  }
  if (fortran && shape.length > 1) data = fortranToC(data, shape, kind.make);
  return { dtype: kind.dtype, shape, data };
}

/** The .npy dtype a typed array is written as by default. */
export function npyDtypeOf(data: NumericArray): NpyDtype {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int8Array) return 'int8';
  return 'uint32';
}

/**
 * Encodes an array as a .npy file (little-endian, C order). `dtype` defaults to the typed
 * array's own; pass 'bool' to write a Uint8Array of 0/1 as numpy booleans, or another
 * dtype to convert (e.g. a Float32Array of spike counts written as 'int32').
 */
export function encodeNpy(array: NDArray<NumericArray>, dtype: NpyDtype = npyDtypeOf(array.data)): Uint8Array {
  const n = sizeOf(array.shape);
  if (array.data.length !== n) {
    throw new ShapeError(`encodeNpy: data has ${array.data.length} elements but shape ${formatShape(array.shape)} needs ${n}`);
  }
  const shapeText = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  let header = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const v1 = header.length + 11 < 65536;
  const prefix = v1 ? 10 : 12;
  const total = Math.ceil((prefix + header.length + 1) / 64) * 64;
  header = `${header.padEnd(total - prefix - 1, ' ')}\n`;
  const kind = KINDS[DESCR[dtype].slice(1)];
  const out = new Uint8Array(total + n * kind.bytes);
  out.set(MAGIC, 0);
  out[6] = v1 ? 1 : 2;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (v1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  const src = array.data;
  if (HOST_LITTLE && dtype === npyDtypeOf(src)) {
    out.set(new Uint8Array(src.buffer, src.byteOffset, n * kind.bytes), total);
    return out;
  }
  for (let i = 0, o = total; i < n; i++, o += kind.bytes) {
    const x = src[i];
    switch (dtype) {
      case 'float32':
        view.setFloat32(o, x, true);
        break;
      case 'float64':
        view.setFloat64(o, x, true);
        break;
      case 'int8':
        view.setInt8(o, x);
        break;
      case 'int16':
        view.setInt16(o, x, true);
        break;
      case 'int32':
        view.setInt32(o, x, true);
        break;
      case 'int64':
        view.setBigInt64(o, BigInt(Math.trunc(x)), true);
        break;
      case 'uint8':
        view.setUint8(o, x);
        break;
      case 'uint16':
        view.setUint16(o, x, true);
        break;
      case 'uint32':
        view.setUint32(o, x, true);
        break;
      case 'uint64':
        view.setBigUint64(o, BigInt(Math.trunc(x)), true);
        break;
      case 'bool':
        view.setUint8(o, x ? 1 : 0);
        break;
    }
  }
  return out;
}

/** Any numeric NpyArray as a float32 NDArray (the type models take). */
export function npyToFloat32(a: NpyArray): NDArray {
  return { data: a.data instanceof Float32Array ? a.data : Float32Array.from(a.data), shape: [...a.shape] };
}
