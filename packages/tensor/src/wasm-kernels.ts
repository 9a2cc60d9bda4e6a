/**
 * Faster wasm kernels for Slice, Unpack (tf.unstack) and SplitV (tf.split).
 *
 * tfjs-backend-wasm 4.22's Slice starts with `backend.readSync(x)`, which copies the *whole*
 * input out of the wasm heap for every slice. `tf.unstack` of a [T, B] tensor therefore
 * copies T × (T·B) floats: 2.9 s for T = 2000, B = 512 on this machine, against 22 ms on
 * the pure-JS backend. These replacements read the input through a view of the heap (no
 * copy) and copy only the slice, contiguous runs at a time. Results are identical to the
 * stock kernels (tested against the cpu backend).
 *
 * `initBackend` installs them when it chooses wasm; `useStockWasmKernels()` puts the stock
 * ones back (benchmarks compare both).
 */
import { tf } from './tf';

type TensorInfo = { dataId: object; shape: number[]; dtype: string };
interface WasmBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}
type KernelArgs = { inputs: Record<string, TensorInfo>; attrs: Record<string, unknown>; backend: unknown };

function strides(shape: number[]): number[] {
  const s = new Array(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) s[d] = s[d + 1] * shape[d + 1];
  return s;
}

/** Copies the box [begin, begin + size) of x into a new output. */
function sliceInto(backend: WasmBackend, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const out = backend.makeOutput([...size], x.dtype); // a copy: callers reuse `size`
  const total = size.reduce((a, b) => a * b, 1);
  if (total === 0) return out;
  // Views are taken after makeOutput: growing the heap detaches earlier views.
  const xv = backend.typedArrayFromHeap(x);
  const ov = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  if (rank === 0) {
    ov[0] = xv[0];
    return out;
  }
  const st = strides(x.shape);
  // Merge trailing dimensions that are taken whole, to copy the longest contiguous runs.
  let inner = 1;
  let d = rank - 1;
  while (d >= 0 && begin[d] === 0 && size[d] === x.shape[d]) {
    inner *= size[d];
    d--;
  }
  if (d < 0) {
    ov.set(xv.subarray(0, total));
    return out;
  }
  inner *= size[d];
  const base = begin[d] * st[d];
  const outer = total / inner;
  const idx = new Array(d).fill(0);
  for (let o = 0, outOff = 0; o < outer; o++, outOff += inner) {
    let off = base;
    for (let k = 0; k < d; k++) off += (begin[k] + idx[k]) * st[k];
    ov.set(xv.subarray(off, off + inner), outOff);
    for (let k = d - 1; k >= 0; k--) {
      if (++idx[k] < size[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}

function fastSlice({ inputs, attrs, backend }: KernelArgs): TensorInfo {
  const x = inputs.x;
  const [begin, size] = tf.slice_util.parseSliceParams(x as unknown as tf.TensorInfo, attrs.begin as number[], attrs.size as number[]);
  return sliceInto(backend as WasmBackend, x, begin, size);
}

function fastUnpack({ inputs, attrs, backend }: KernelArgs): TensorInfo[] {
  const x = inputs.value;
  const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
  const num = x.shape[axis];
  const outShape = x.shape.filter((_, i) => i !== axis);
  const begin = new Array(x.shape.length).fill(0);
  const size = [...x.shape];
  size[axis] = 1;
  const outs: TensorInfo[] = [];
  for (let i = 0; i < num; i++) {
    begin[axis] = i;
    const o = sliceInto(backend as WasmBackend, x, begin, size);
    outs.push({ dataId: o.dataId, dtype: o.dtype, shape: outShape });
  }
  return outs;
}

function fastSplitV({ inputs, attrs, backend }: KernelArgs): TensorInfo[] {
  const x = inputs.x;
  const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, attrs.numOrSizeSplits as number | number[], axis);
  const begin = new Array(x.shape.length).fill(0);
  const size = [...x.shape];
  return sizes.map((s) => {
    size[axis] = s;
    const o = sliceInto(backend as WasmBackend, x, begin, size);
    begin[axis] += s;
    return o;
  });
}

const FAST: Record<string, (args: KernelArgs) => TensorInfo | TensorInfo[]> = { Slice: fastSlice, Unpack: fastUnpack, SplitV: fastSplitV };
const stock = new Map<string, tf.KernelConfig>();
let installed = false;

function swap(kernels: Record<string, tf.KernelFunc | undefined>): void {
  for (const [name, fn] of Object.entries(kernels)) {
    if (!fn) continue;
    if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: fn });
  }
}

/** Installs the fast Slice/Unpack/SplitV kernels on the wasm backend (idempotent). */
export function useFastWasmKernels(): void {
  if (installed) return;
  for (const name of Object.keys(FAST)) {
    const k = tf.getKernel(name, 'wasm');
    if (k && !stock.has(name)) stock.set(name, k);
  }
  swap(FAST as unknown as Record<string, tf.KernelFunc>);
  installed = true;
}

/** Restores tfjs's own wasm kernels (for benchmarks that compare against stock tfjs). */
export function useStockWasmKernels(): void {
  if (!installed) return;
  swap(Object.fromEntries([...stock].map(([n, k]) => [n, k.kernelFunc])));
  installed = false;
}

/** True once wmkit's fast kernels are registered with the tfjs wasm backend. */
export function fastWasmKernelsInstalled(): boolean {
  return installed;
}
