/**
 * The host of wmkit's WebAssembly modules: each module (tensor's generic kernels, and each model
 * package's own kernel, e.g. the LIF network in @wmkit/ei-rnn) is instantiated once per thread
 * with its own linear memory, and allocates buffers there with a stack discipline
 * (`mark`/`release`, or `scope`). Views (`buf.view()`) must be taken afresh after any
 * allocation, because growing the memory detaches earlier views.
 *
 * A module comes in two builds of the same C (scripts/build-kernels.sh): one for a single thread
 * on a memory of its own, and one on a shared memory that worker threads instantiate too, so
 * that an exported entry `name(args, tid, nth)` can split a call's work across threads
 * (`parallelFor`, ./threads.ts). The threaded build is used where the runtime supports it and
 * more than one thread is asked for (`setKernelThreads`, `WMKIT_THREADS`); results are the same
 * on any number of threads.
 *
 * Every module carries the exports of csrc/module.h (heap base, the Rng's ziggurat tables and
 * normal fill, the optimisers' `par_optim` entry), so those methods work on any host. A module's argument structs
 * are described once in TypeScript (`StructLayout`) and checked field by field against the
 * offsets the C compiler exported (`verifyLayout`): a field missing, renamed, retyped or in
 * another order fails at instantiation, not as garbage in a simulation.
 */

import { ShapeError } from '../errors';
import type { Rng } from '../rng';
import { zigF, zigK, zigW } from '../ziggurat';
import { relaxedSimdSupport } from './features';
import { kernelThreadSupport, kernelThreads, newTeamModuleId, runOnTeam, startTeam, type TeamModule, WORKER_STACK_BYTES } from './threads';

/** The exports every module has (csrc/module.h). */
export interface ModuleExports {
  /** Start of the heap in linear memory. */
  heap_base(): number;
  /** Address of the ziggurat's k table. */
  zig_k_ptr(): number;
  /** Address of the ziggurat's w table. */
  zig_w_ptr(): number;
  /** Address of the ziggurat's f table. */
  zig_f_ptr(): number;
  /** Fills `n` floats at `out` with N(mean, std²) draws from the generator state at `state`. */
  fill_normal(state: number, out: number, n: number, mean: number, std: number): void;
}

/** A float32 array living in kernel memory. */
export class KernelBuffer {
  constructor(
    private readonly k: KernelHost,
    readonly ptr: number,
    readonly length: number,
  ) {}
  /** A view of the memory (invalid after the next allocation that grows memory). */
  view(): Float32Array {
    return new Float32Array(this.k.memory.buffer, this.ptr, this.length);
  }
  /** Copies `data` into the buffer from `offset`. */
  set(data: ArrayLike<number>, offset = 0): this {
    if (data.length + offset > this.length) {
      throw new RangeError(`KernelBuffer.set: ${data.length} values at offset ${offset} do not fit a buffer of ${this.length}`);
    }
    this.view().set(data, offset);
    return this;
  }
  /** Sets every element to `value`. */
  fill(value: number): this {
    this.view().fill(value);
    return this;
  }
  /** The same memory viewed as int32 / uint32 / uint8 (4·length bytes). */
  viewI32(): Int32Array {
    return new Int32Array(this.k.memory.buffer, this.ptr, this.length);
  }
  /** The buffer's memory as 32-bit unsigned integers (take afresh after any allocation). */
  viewU32(): Uint32Array {
    return new Uint32Array(this.k.memory.buffer, this.ptr, this.length);
  }
  /** The buffer's bytes (take afresh after any allocation). */
  viewU8(): Uint8Array {
    return new Uint8Array(this.k.memory.buffer, this.ptr, this.length * 4);
  }
  /** A copy that stays valid. */
  copy(): Float32Array {
    return this.view().slice();
  }
  /** The part [offset, offset + length) of this buffer, sharing its memory. */
  sub(offset: number, length: number): KernelBuffer {
    if (!(offset >= 0 && length >= 0 && offset + length <= this.length)) {
      throw new RangeError(`KernelBuffer.sub: [${offset}, ${offset + length}) is outside a buffer of ${this.length}`);
    }
    return new KernelBuffer(this.k, this.ptr + offset * 4, length);
  }
}

/** Types of struct fields on wasm32: int (4 bytes), pointer (4), double (8, 8-aligned). */
export type FieldType = 'i32' | 'ptr' | 'f64';

/** Byte layout of a C struct on wasm32 (ints and pointers 4 bytes, doubles 8-aligned). */
export class StructLayout<T> {
  readonly offsets: number[] = [];
  readonly bytes: number;
  constructor(
    /** The C struct's name in the module (`<name>_size`, `_names`, `_offsets` are its layout exports). */
    readonly name: string,
    readonly fields: [keyof T & string, FieldType][],
  ) {
    let off = 0;
    for (const [, t] of fields) {
      const size = t === 'f64' ? 8 : 4;
      off = Math.ceil(off / size) * size;
      this.offsets.push(off);
      off += size;
    }
    const align = fields.some(([, t]) => t === 'f64') ? 8 : 4; // (C pads a struct to its widest field)
    this.bytes = Math.ceil(off / align) * align;
  }
  /** Writes `args` into `view` at the struct's field offsets. */
  write(view: DataView, args: T): void {
    this.fields.forEach(([name, t], i) => {
      const v = args[name] as unknown;
      const off = this.offsets[i] as number;
      if (t === 'f64') view.setFloat64(off, v as number, true);
      else if (t === 'ptr') view.setUint32(off, v ? (v as KernelBuffer).ptr : 0, true);
      else view.setInt32(off, typeof v === 'boolean' ? (v ? 1 : 0) : (v as number), true);
    });
  }
  /**
   * Compares this layout with the one the C compiler produced (the names and offsets a module
   * exports through WMKIT_LAYOUT): same fields, same order, each at the same byte offset, same
   * size. Throws naming the first field that differs.
   */
  verify(c: { size: number; names: string[]; offsets: number[] }): void {
    const where = `kernel struct ${this.name}`;
    const ts = this.fields.map(([n]) => n as string);
    for (const n of ts) if (!c.names.includes(n)) throw new Error(`${where}: field '${n}' is not in the C struct (rebuild the kernels)`);
    for (const n of c.names) if (!ts.includes(n)) throw new Error(`${where}: the C struct has a field '${n}' the binding lacks`);
    this.fields.forEach(([n], i) => {
      const at = c.offsets[c.names.indexOf(n)];
      if (at !== this.offsets[i])
        throw new Error(`${where}: field '${n}' is at byte ${this.offsets[i]} in the binding but at ${at} in C (order or type differs)`);
    });
    if (c.size !== this.bytes) throw new Error(`${where}: ${c.size} bytes in C but ${this.bytes} in the binding`);
  }
}

/** Arguments of `par_optim` (csrc/optim.h): one SGD or AdamW step on `n` weights. */
interface OptimArgs {
  /** 0 SGD (m1: momentum buffer), 1 AdamW (m1, m2: moments). */
  op: 0 | 1;
  n: number;
  first: boolean;
  W: KernelBuffer;
  g: KernelBuffer;
  m1: KernelBuffer;
  m2: KernelBuffer | null;
  lr: number;
  momentum: number;
  dampening: number;
  wd: number;
  b1: number;
  b2: number;
  eps: number;
  bc1: number;
  bc2sqrt: number;
}

const OPTIM_LAYOUT = new StructLayout<OptimArgs>('optim_args', [
  ['op', 'i32'],
  ['n', 'i32'],
  ['first', 'i32'],
  ['W', 'ptr'],
  ['g', 'ptr'],
  ['m1', 'ptr'],
  ['m2', 'ptr'],
  ['lr', 'f64'],
  ['momentum', 'f64'],
  ['dampening', 'f64'],
  ['wd', 'f64'],
  ['b1', 'f64'],
  ['b2', 'f64'],
  ['eps', 'f64'],
  ['bc1', 'f64'],
  ['bc2sqrt', 'f64'],
]);

const OPTIM_NONE = { first: false, m2: null, momentum: 0, dampening: 0, b1: 0, b2: 0, eps: 0, bc1: 0, bc2sqrt: 0 };

/** Elements per kernel thread below which an optimiser step takes fewer threads (a fork/join costs more than a small step). */
const OPTIM_ELEMENTS_PER_THREAD = 65536;

/** A WebAssembly kernel module and its linear memory: buffers allocated with a stack discipline (`mark`/`release`, `scope`), the Rng's generator and the optimisers; model packages register their own kernels on it. */
export class KernelHost {
  readonly memory: WebAssembly.Memory;
  protected readonly exports: ModuleExports;
  private top: number;
  private base: number;
  /** Workers this instance can run on besides the calling thread (0: the one-thread build). */
  private readonly workerCapacity: number;
  private readonly team: TeamModule | null = null;

  constructor(module: WebAssembly.Module, layouts: StructLayout<never>[] = []) {
    // the threaded build exports its stack pointer (scripts/build-kernels.sh)
    const threaded = WebAssembly.Module.exports(module).some((e) => e.name === '__stack_pointer');
    this.memory = new WebAssembly.Memory({ initial: 32, maximum: 65536, ...(threaded ? { shared: true } : {}) });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.exports = instance.exports as unknown as ModuleExports;
    this.base = (this.exports.heap_base() + 15) & ~15;
    this.top = this.base;
    this.workerCapacity = threaded ? Math.max(0, kernelThreads() - 1) : 0;
    if (this.workerCapacity > 0) {
      // each worker's instance gets a stack of its own below the heap (stacks grow down)
      const stacks = this.scratch((this.workerCapacity * WORKER_STACK_BYTES) / 4).ptr;
      this.base = this.top;
      this.team = {
        id: newTeamModuleId(),
        module,
        memory: this.memory,
        stackTop: (w) => stacks + (w + 1) * WORKER_STACK_BYTES,
      };
    }
    // the Rng's ziggurat tables, shared with the C generator (csrc/rng.h)
    new Uint32Array(this.memory.buffer, this.exports.zig_k_ptr(), zigK.length).set(zigK);
    new Float64Array(this.memory.buffer, this.exports.zig_w_ptr(), zigW.length).set(zigW);
    new Float64Array(this.memory.buffer, this.exports.zig_f_ptr(), zigF.length).set(zigF);
    for (const layout of [OPTIM_LAYOUT as StructLayout<never>, ...layouts]) layout.verify(this.layoutOf(layout.name));
  }

  /**
   * Threads a parallel call of this module uses now: `kernelThreads()`, at most as many as the
   * module was instantiated for (1 for the one-thread build).
   */
  get threads(): number {
    return this.workerCapacity === 0 ? 1 : Math.min(kernelThreads(), this.workerCapacity + 1);
  }

  /**
   * Runs the module's exported entry `fn(arg, tid, nth)` on `threads` threads (tid 0 here, the
   * others on worker threads sharing this memory) and returns when every thread is done; on one
   * thread it is the plain call `fn(arg, 0, 1)`. The entry splits its work by `tid` (see
   * csrc/parallel.h) so that the results do not depend on `nth`. `arg` is typically a struct
   * written by `withStruct`.
   */
  parallelFor(fn: string, arg: number, threads = this.threads): void {
    const entry = (this.exports as unknown as Record<string, (arg: number, tid: number, nth: number) => void>)[fn];
    if (typeof entry !== 'function') throw new Error(`wmkit kernels: the module exports no entry '${fn}' (rebuild the kernels)`);
    const nth = Math.max(1, Math.min(threads, this.workerCapacity + 1));
    if (nth === 1 || !this.team) {
      entry(arg, 0, 1);
      return;
    }
    runOnTeam(this.team, fn, arg, nth, () => entry(arg, 0, nth));
  }

  /** The layout of struct `name` as compiled: its size, field names and byte offsets. */
  layoutOf(name: string): { size: number; names: string[]; offsets: number[] } {
    const ex = this.exports as unknown as Record<string, () => number>;
    const size = ex[`${name}_size`];
    const namesPtr = ex[`${name}_names`];
    const offsPtr = ex[`${name}_offsets`];
    if (!size || !namesPtr || !offsPtr) throw new Error(`kernel struct ${name}: the module exports no layout for it (rebuild the kernels)`);
    const bytes = new Uint8Array(this.memory.buffer);
    let end = namesPtr();
    while (bytes[end] !== 0) end++;
    // (a copy: TextDecoder refuses views of shared memory)
    const names = new TextDecoder().decode(bytes.slice(namesPtr(), end)).split(',').filter(Boolean);
    const offsets = Array.from(new Uint32Array(this.memory.buffer, offsPtr(), names.length));
    return { size: size(), names, offsets };
  }

  /** Calls `fn(ptr)` with `args` written into a temporary struct of the given layout. */
  protected withStruct<T, R>(layout: StructLayout<T>, args: T, fn: (ptr: number) => R): R {
    return this.scope(() => {
      const a = this.buffer(layout.bytes / 4);
      layout.write(new DataView(this.memory.buffer, a.ptr, layout.bytes), args);
      return fn(a.ptr);
    });
  }

  /**
   * Fills `out` with N(mean, std²) draws continuing `rng`'s stream: the same values as
   * `rng.fillNormal`, computed in wasm (the generator state is handed over and back).
   */
  fillNormal(rng: Rng, out: KernelBuffer, mean = 0, std = 1): void {
    this.withRngState(rng, (state) => this.exports.fill_normal(state.ptr, out.ptr, out.length, mean, std));
  }

  /** Runs `fn` with `rng`'s generator state in kernel memory, then hands the advanced state back. */
  withRngState<T>(rng: Rng, fn: (state: KernelBuffer) => T): T {
    return this.scope(() => {
      const state = this.buffer(4);
      state.viewU32().set(rng.getState());
      const out = fn(state);
      rng.setState(state.viewU32());
      return out;
    });
  }

  /**
   * One torch.optim.SGD step in place: d = g + wd·W; buf = first ? d : momentum·buf +
   * (1 − dampening)·d; W −= lr·buf (float32 arithmetic). The elements are split across
   * `o.threads` kernel threads (default: one per 65,536 elements, at most `threads`); every
   * element gets the same arithmetic on any number of threads, so the result is the same.
   */
  sgdStep(
    W: KernelBuffer,
    g: KernelBuffer,
    buf: KernelBuffer,
    o: { lr: number; momentum: number; dampening: number; weightDecay: number; first: boolean; threads?: number },
  ): void {
    checkSizes('sgdStep', [g, W.length], [buf, W.length]);
    const { lr, momentum, dampening, weightDecay: wd, first } = o;
    this.optimStep({ ...OPTIM_NONE, op: 0, n: W.length, first, W, g, m1: buf, lr, momentum, dampening, wd }, o.threads);
  }

  /** One torch.optim.AdamW step in place; `step` counts from 1. Threads as in `sgdStep` (the same result on any number). */
  adamwStep(
    W: KernelBuffer,
    g: KernelBuffer,
    m1: KernelBuffer,
    m2: KernelBuffer,
    o: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; step: number; threads?: number },
  ): void {
    checkSizes('adamwStep', [g, W.length], [m1, W.length], [m2, W.length]);
    const bc1 = 1 - o.beta1 ** o.step;
    const bc2sqrt = Math.sqrt(1 - o.beta2 ** o.step);
    const { lr, beta1: b1, beta2: b2, eps, weightDecay: wd } = o;
    this.optimStep({ ...OPTIM_NONE, op: 1, n: W.length, W, g, m1, m2, lr, b1, b2, eps, wd, bc1, bc2sqrt }, o.threads);
  }

  /** Runs `par_optim` (csrc/optim.h) on `threads` kernel threads (default: one per OPTIM_ELEMENTS_PER_THREAD elements). */
  private optimStep(args: OptimArgs, threads?: number): void {
    const nth = threads ?? Math.max(1, Math.min(this.threads, Math.floor(args.n / OPTIM_ELEMENTS_PER_THREAD)));
    if (!(Number.isInteger(nth) && nth >= 1)) throw new RangeError(`optimiser step: threads (${threads}) must be a whole number ≥ 1`);
    this.withStruct(OPTIM_LAYOUT, args, (p) => this.parallelFor('par_optim', p, nth));
  }

  /** Bytes currently allocated above the kernels' static data. */
  get allocatedBytes(): number {
    return this.top - this.base;
  }

  /** Allocates `n` float32s (16-byte aligned, zero-filled). */
  buffer(n: number): KernelBuffer {
    return this.scratch(n).fill(0);
  }

  /** Allocates `n` float32s (16-byte aligned) without clearing them: for work space written before it is read. */
  scratch(n: number): KernelBuffer {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`Kernels.buffer: length (${n}) must be a non-negative integer`);
    const ptr = this.top;
    const end = ptr + ((n * 4 + 15) & ~15);
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((Math.max(end, have * 1.5) - have) / 65536);
      try {
        this.memory.grow(pages);
      } catch {
        throw new ShapeError(`Kernels.buffer: cannot grow kernel memory to ${(end / 2 ** 20).toFixed(0)} MiB (limit 4 GiB)`);
      }
    }
    this.top = end;
    return new KernelBuffer(this, ptr, n);
  }

  /** Allocates and fills a buffer from `data`. */
  from(data: ArrayLike<number>): KernelBuffer {
    return this.buffer(data.length).set(data);
  }

  /** The current top of the allocation stack, to `release` back to. */
  mark(): number {
    return this.top;
  }

  /** Frees everything allocated since `mark` (stack discipline). */
  release(mark: number): void {
    if (mark < this.base || mark > this.top) throw new RangeError(`Kernels.release: ${mark} is not a live mark`);
    this.top = mark;
  }

  /** Runs `fn`, then frees what it allocated. */
  scope<T>(fn: () => T): T {
    const m = this.mark();
    try {
      return fn();
    } finally {
      this.release(m);
    }
  }
}

/** A clear error when a buffer is smaller than an operation needs. */
export function checkSizes(op: string, ...pairs: [KernelBuffer, number][]): void {
  for (const [buf, n] of pairs) {
    if (buf.length < n) throw new RangeError(`${op}: a buffer holds ${buf.length} floats but ${n} are needed`);
  }
}

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** A module of kernels: compiled once, instantiated once per thread. */
export interface KernelModule<H extends KernelHost> {
  readonly name: string;
  /** Compiles and instantiates (async, works everywhere, including a browser's main thread). */
  init(): Promise<H>;
  /** The instance, synchronously: compiles on first use in Node and workers; in a browser call `init` (or `initKernels`) first. */
  get(): H;
}

/** A module's two builds (base64), as scripts/build-kernels.sh writes them. */
export interface KernelBinaries {
  /** The build for one thread on a memory of its own. */
  single: string;
  /** The build for threads on a shared memory; absent: the module always runs on one thread. */
  threads?: string;
  /** The one-thread build with relaxed SIMD (./features.ts); absent: plain SIMD everywhere. */
  relaxed?: string;
  /** The threads build with relaxed SIMD. */
  relaxedThreads?: string;
}

const registry: KernelModule<KernelHost>[] = [];

/**
 * Declares a wasm module (its binaries as base64: one build, or both builds) and how to wrap its
 * instance. Model packages call this for their own kernels; `initKernels()` initialises every
 * declared module. The threaded build is chosen when the module is first instantiated, if the
 * runtime supports threads and `kernelThreads()` > 1; the relaxed-SIMD build where the module has
 * one and `relaxedSimdSupport()` allows it.
 */
export function defineKernelModule<H extends KernelHost>(
  name: string,
  binaries: string | KernelBinaries,
  make: (m: WebAssembly.Module) => H,
): KernelModule<H> {
  const bins = typeof binaries === 'string' ? { single: binaries } : binaries;
  const pick = () => {
    const threads = bins.threads && kernelThreads() > 1 && kernelThreadSupport().ok;
    const relaxed = (threads ? bins.relaxedThreads : bins.relaxed) && relaxedSimdSupport().ok;
    if (threads) return (relaxed ? bins.relaxedThreads : bins.threads) as string;
    return (relaxed ? bins.relaxed : bins.single) as string;
  };
  let compiled: Promise<WebAssembly.Module> | null = null;
  let instance: H | null = null;
  const mod: KernelModule<H> = {
    name,
    async init() {
      if (instance) return instance;
      compiled ??= WebAssembly.compile(decodeBase64(pick()) as BufferSource);
      const m = await compiled;
      instance ??= make(m);
      // (in a browser the workers start asynchronously: before the first parallel call)
      await startTeam(instance.threads);
      return instance;
    },
    get() {
      if (instance) return instance;
      const binary = pick(); // (a bad WMKIT_THREADS is the user's error, not an initialisation's)
      try {
        instance = make(new WebAssembly.Module(decodeBase64(binary) as BufferSource));
      } catch (err) {
        throw new Error(`wmkit kernels (${name}) are not initialised: call await initKernels() first (${(err as Error).message})`);
      }
      return instance;
    },
  };
  registry.push(mod as unknown as KernelModule<KernelHost>);
  return mod;
}

/** Initialises every declared kernel module (tensor's and those of the model packages imported so far). */
export async function initAllKernelModules(): Promise<void> {
  for (const m of [...registry]) await m.init();
}
