/**
 * wmkit's own WebAssembly kernels (C in packages/tensor/csrc, built by
 * scripts/build-kernels.sh, embedded as base64): fused loops that TensorFlow.js would run as
 * thousands of small ops, with wasm SIMD. Single-threaded and deterministic: wasm float
 * arithmetic is IEEE-exact with no implicit FMA, so results are bit-identical on every engine.
 *
 * Memory is one growable linear memory per thread; buffers are allocated from it with a
 * stack discipline (`mark`/`release`, or `scope`). Views (`buf.view()`) must be taken
 * afresh after any allocation, because growing the memory detaches earlier views.
 *
 * @example
 * ```ts
 * const k = await initKernels();
 * k.scope(() => {
 *   const a = k.buffer(6).set([1, 2, 3, 4, 5, 6]);  // [2, 3]
 *   const b = k.buffer(6).set([1, 0, 0, 1, 1, 1]);  // [2, 3]
 *   const c = k.buffer(4);
 *   k.matmulABt(2, 3, 2, a, b, c);                   // c = a · bᵀ
 *   c.copy();                                         // Float32Array [1, 6, 4, 15]
 * });
 * ```
 */
import type { Rng } from '../rng';
import { zigF, zigK, zigW } from '../ziggurat';
import { KERNELS_WASM_BASE64 } from './wasm-binary';

interface RawExports {
  heap_base(): number;
  transfer_apply(f: number, clip: number, n: number, x: number, y: number): void;
  matmul_abt(M: number, K: number, P: number, A: number, B: number, C: number, acc: number): void;
  matmul_ab(M: number, K: number, P: number, A: number, B: number, C: number, acc: number): void;
  matmul_atb(M: number, K: number, P: number, A: number, B: number, C: number, acc: number): void;
  leaky_rnn_forward(
    mode: number,
    f: number,
    clip: number,
    B: number,
    N: number,
    T: number,
    W: number,
    D: number,
    Z: number,
    bias: number,
    a: number,
    S: number,
    Y: number,
    P: number,
    F: number,
  ): void;
  zig_k_ptr(): number;
  zig_w_ptr(): number;
  zig_f_ptr(): number;
  fill_normal(state: number, out: number, n: number, mean: number, std: number): void;
  lif_network_run(args: number, state: number): number;
  lif_args_size(): number;
  ring_network_run(args: number): void;
  ring_args_size(): number;
  hdsnn_forward(args: number): void;
  hdsnn_fwd_args_size(): number;
  hdsnn_backward(args: number): void;
  hdsnn_bwd_args_size(): number;
  hdsnn_row_sum(ND: number, N: number, Wt: number, Wsum: number): void;
  optim_sgd(n: number, W: number, g: number, buf: number, lr: number, momentum: number, dampening: number, wd: number, first: number): void;
  optim_adamw(
    n: number,
    W: number,
    g: number,
    m1: number,
    m2: number,
    lr: number,
    b1: number,
    b2: number,
    eps: number,
    wd: number,
    bc1: number,
    bc2sqrt: number,
  ): void;
  leaky_rnn_backward(
    mode: number,
    f: number,
    clip: number,
    B: number,
    N: number,
    T: number,
    W: number,
    a: number,
    S: number,
    Y: number,
    P: number,
    F: number,
    dY: number,
    dW: number,
    dD: number,
    dA: number,
    dBias: number,
    dS0: number,
    G: number,
    H: number,
    X: number,
  ): void;
}

/** Transfer functions the kernels implement (codes shared with csrc/kernels.c). */
export const KERNEL_TRANSFER = { sigmoid: 0, tanh: 1, relu: 2, softplus: 3 } as const;
/** A transfer function the kernels implement. */
export type KernelTransfer = keyof typeof KERNEL_TRANSFER;

/** A float32 array living in kernel memory. */
export class KernelBuffer {
  constructor(
    private readonly k: Kernels,
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
  /** The buffer's bytes as 32-bit unsigned integers (take afresh after any allocation). */
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

/** wmkit's WebAssembly kernels and their linear memory; buffers are allocated with a stack discipline (`mark`/`release`, `scope`). */
export class Kernels {
  readonly memory: WebAssembly.Memory;
  private readonly raw: RawExports;
  private top: number;
  private readonly base: number;

  constructor(module: WebAssembly.Module) {
    this.memory = new WebAssembly.Memory({ initial: 32, maximum: 65536 });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.raw = instance.exports as unknown as RawExports;
    this.base = (this.raw.heap_base() + 15) & ~15;
    this.top = this.base;
    // the Rng's ziggurat tables, shared with the C generator (csrc/rng.h)
    new Uint32Array(this.memory.buffer, this.raw.zig_k_ptr(), zigK.length).set(zigK);
    new Float64Array(this.memory.buffer, this.raw.zig_w_ptr(), zigW.length).set(zigW);
    new Float64Array(this.memory.buffer, this.raw.zig_f_ptr(), zigF.length).set(zigF);
    for (const [name, wasmBytes, js] of [
      ['lif_args', this.raw.lif_args_size(), LIF_LAYOUT.bytes],
      ['ring_args', this.raw.ring_args_size(), RING_LAYOUT.bytes],
      ['hd_fwd_args', this.raw.hdsnn_fwd_args_size(), HD_FWD_LAYOUT.bytes],
      ['hd_bwd_args', this.raw.hdsnn_bwd_args_size(), HD_BWD_LAYOUT.bytes],
    ] as const) {
      if (wasmBytes !== js) throw new Error(`wmkit kernels: ${name} is ${wasmBytes} bytes in wasm but ${js} in JS (rebuild the kernels)`);
    }
  }

  /**
   * Fills `out` with N(mean, std²) draws continuing `rng`'s stream: the same values as
   * `rng.fillNormal`, computed in wasm (the generator state is handed over and back).
   */
  fillNormal(rng: Rng, out: KernelBuffer, mean = 0, std = 1): void {
    this.withRngState(rng, (state) => this.raw.fill_normal(state.ptr, out.ptr, out.length, mean, std));
  }

  private withRngState<T>(rng: Rng, fn: (state: KernelBuffer) => T): T {
    return this.scope(() => {
      const state = this.buffer(4);
      state.viewU32().set(rng.getState());
      const out = fn(state);
      rng.setState(state.viewU32());
      return out;
    });
  }

  /**
   * Advances a LIF network `args.steps` steps (see csrc/lif.h); voltage noise continues `rng`'s
   * stream. Returns the number of spikes.
   */
  lifNetworkRun(args: LifRunArgs, rng: Rng): number {
    return this.withRngState(rng, (state) => {
      const a = this.buffer(LIF_LAYOUT.bytes / 4);
      LIF_LAYOUT.write(new DataView(this.memory.buffer, a.ptr, LIF_LAYOUT.bytes), args);
      return this.raw.lif_network_run(a.ptr, state.ptr);
    });
  }

  /**
   * Advances batched ring attractor networks `args.steps` steps (see csrc/ring.h). `args.rng`
   * holds one generator state per trial (4 uint32 words each, see `Rng.getState`), updated in place.
   */
  ringNetworkRun(args: RingRunArgs): void {
    this.scope(() => {
      const a = this.buffer(RING_LAYOUT.bytes / 4);
      RING_LAYOUT.write(new DataView(this.memory.buffer, a.ptr, RING_LAYOUT.bytes), args);
      this.raw.ring_network_run(a.ptr);
    });
  }

  /**
   * Runs one pattern through a heterogeneous-delay spiking network, event-driven (see
   * csrc/hdsnn.h). Dropout draws continue `args.rng` (4 uint32 words, updated in place).
   */
  hdsnnForward(args: HdForwardArgs): void {
    this.scope(() => {
      const a = this.buffer(HD_FWD_LAYOUT.bytes / 4);
      HD_FWD_LAYOUT.write(new DataView(this.memory.buffer, a.ptr, HD_FWD_LAYOUT.bytes), args);
      this.raw.hdsnn_forward(a.ptr);
    });
  }

  /** Wsum[j] = Σ_a Wt[a, j] over the `ND` rows of Wt [ND, N]. */
  hdsnnRowSum(ND: number, N: number, Wt: KernelBuffer, Wsum: KernelBuffer): void {
    checkSizes('hdsnnRowSum', [Wt, ND * N], [Wsum, N]);
    this.raw.hdsnn_row_sum(ND, N, Wt.ptr, Wsum.ptr);
  }

  /** Surrogate-gradient backward pass of one pattern; accumulates into `args.dWt` (see csrc/hdsnn.h). */
  hdsnnBackward(args: HdBackwardArgs): void {
    this.scope(() => {
      const a = this.buffer(HD_BWD_LAYOUT.bytes / 4);
      HD_BWD_LAYOUT.write(new DataView(this.memory.buffer, a.ptr, HD_BWD_LAYOUT.bytes), args);
      this.raw.hdsnn_backward(a.ptr);
    });
  }

  /**
   * One torch.optim.SGD step in place: d = g + wd·W; buf = first ? d : momentum·buf +
   * (1 − dampening)·d; W −= lr·buf (float32 arithmetic).
   */
  sgdStep(
    W: KernelBuffer,
    g: KernelBuffer,
    buf: KernelBuffer,
    o: { lr: number; momentum: number; dampening: number; weightDecay: number; first: boolean },
  ): void {
    checkSizes('sgdStep', [g, W.length], [buf, W.length]);
    this.raw.optim_sgd(W.length, W.ptr, g.ptr, buf.ptr, o.lr, o.momentum, o.dampening, o.weightDecay, o.first ? 1 : 0);
  }

  /** One torch.optim.AdamW step in place; `step` counts from 1. */
  adamwStep(
    W: KernelBuffer,
    g: KernelBuffer,
    m1: KernelBuffer,
    m2: KernelBuffer,
    o: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; step: number },
  ): void {
    checkSizes('adamwStep', [g, W.length], [m1, W.length], [m2, W.length]);
    const bc1 = 1 - o.beta1 ** o.step;
    const bc2 = 1 - o.beta2 ** o.step;
    this.raw.optim_adamw(W.length, W.ptr, g.ptr, m1.ptr, m2.ptr, o.lr, o.beta1, o.beta2, o.eps, o.weightDecay, bc1, Math.sqrt(bc2));
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
        throw new RangeError(`Kernels.buffer: cannot grow kernel memory to ${(end / 2 ** 20).toFixed(0)} MiB (limit 4 GiB)`);
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

  /** y = f(x) elementwise, clipped above at `clip`. */
  transfer(f: KernelTransfer, x: KernelBuffer, y: KernelBuffer, clip = Number.POSITIVE_INFINITY): void {
    this.raw.transfer_apply(KERNEL_TRANSFER[f], clip, Math.min(x.length, y.length), x.ptr, y.ptr);
  }

  /** C[M,P] (+)= A[M,K] · B[P,K]ᵀ */
  matmulABt(M: number, K: number, P: number, A: KernelBuffer, B: KernelBuffer, C: KernelBuffer, accumulate = false): void {
    checkSizes('matmulABt', [A, M * K], [B, P * K], [C, M * P]);
    this.raw.matmul_abt(M, K, P, A.ptr, B.ptr, C.ptr, accumulate ? 1 : 0);
  }

  /** C[M,P] (+)= A[M,K] · B[K,P] */
  matmulAB(M: number, K: number, P: number, A: KernelBuffer, B: KernelBuffer, C: KernelBuffer, accumulate = false): void {
    checkSizes('matmulAB', [A, M * K], [B, K * P], [C, M * P]);
    this.raw.matmul_ab(M, K, P, A.ptr, B.ptr, C.ptr, accumulate ? 1 : 0);
  }

  /** C[K,P] (+)= A[M,K]ᵀ · B[M,P] */
  matmulAtB(M: number, K: number, P: number, A: KernelBuffer, B: KernelBuffer, C: KernelBuffer, accumulate = false): void {
    checkSizes('matmulAtB', [A, M * K], [B, M * P], [C, K * P]);
    this.raw.matmul_atb(M, K, P, A.ptr, B.ptr, C.ptr, accumulate ? 1 : 0);
  }

  /** Forward scan of a leaky recurrent network; see ./leaky-scan.ts for the equations. */
  leakyRnnForward(a: LeakyScanArgs): void {
    const { B, N, T } = a;
    checkScan(a);
    this.raw.leaky_rnn_forward(
      a.mode === 'rate' ? 0 : 1,
      KERNEL_TRANSFER[a.transfer],
      a.clip ?? Number.POSITIVE_INFINITY,
      B,
      N,
      T,
      a.W.ptr,
      a.D?.ptr ?? 0,
      a.Z?.ptr ?? 0,
      a.bias?.ptr ?? 0,
      a.alpha.ptr,
      a.S.ptr,
      a.Y.ptr,
      a.P.ptr,
      a.F?.ptr ?? 0,
    );
  }

  /** BPTT through the scan run by `leakyRnnForward` with the same arguments. */
  leakyRnnBackward(a: LeakyScanArgs & LeakyScanGrads): void {
    const { B, N, T } = a;
    checkScan(a);
    checkSizes('leakyRnnBackward', [a.dY, (T + 1) * B * N], [a.dW, N * N], [a.dD, T * B * N], [a.dS0, B * N]);
    if (a.dAlpha) checkSizes('leakyRnnBackward', [a.dAlpha, N]);
    if (a.dBias) checkSizes('leakyRnnBackward', [a.dBias, N]);
    this.scope(() => {
      // work space the kernel writes before it reads: no zero fill
      const G = this.scratch(B * N);
      const H = this.scratch(B * N);
      const X = this.scratch(N * N);
      this.raw.leaky_rnn_backward(
        a.mode === 'rate' ? 0 : 1,
        KERNEL_TRANSFER[a.transfer],
        a.clip ?? Number.POSITIVE_INFINITY,
        B,
        N,
        T,
        a.W.ptr,
        a.alpha.ptr,
        a.S.ptr,
        a.Y.ptr,
        a.P.ptr,
        a.F?.ptr ?? 0,
        a.dY.ptr,
        a.dW.ptr,
        a.dD.ptr,
        a.dAlpha?.ptr ?? 0,
        a.dBias?.ptr ?? 0,
        a.dS0.ptr,
        G.ptr,
        H.ptr,
        X.ptr,
      );
    });
  }
}

/** Operands of the fused leaky-RNN scan over time (rate or current form). */
export interface LeakyScanArgs {
  /** 'rate': x leaks, r = f(x) feeds W (Kim); 'current': r leaks, f applies to W r + input (Kurtkaya). */
  mode: 'rate' | 'current';
  transfer: KernelTransfer;
  /** Upper clip of f (Kim's clipped ReLU/softplus use 20); default none. */
  clip?: number;
  B: number;
  N: number;
  T: number;
  /** [N, N], row = postsynaptic. */
  W: KernelBuffer;
  /** Drive [T, B, N] (input projection), or null for none. */
  D: KernelBuffer | null;
  /** Additive noise [T, B, N], or null. */
  Z: KernelBuffer | null;
  /** Rate constant a = dt/τ per unit [N]. */
  alpha: KernelBuffer;
  /** States [T+1, B, N]; S[0] must hold the initial state. */
  S: KernelBuffer;
  /** Observables [T+1, B, N]: f(S) in rate mode, S in current mode (where Y may be the S buffer itself). */
  Y: KernelBuffer;
  /** Pre-activations [T, B, N] (written by forward, read by backward). */
  P: KernelBuffer;
  /** Bias [N] added to every pre-activation (W r + D + bias), or null/absent for none. */
  bias?: KernelBuffer | null;
  /**
   * Current mode only, optional: f(P) [T, B, N] (unclipped), written by forward and read by
   * backward so the transfer is not evaluated twice. Give both calls the same buffer (or neither).
   */
  F?: KernelBuffer | null;
}

/** Gradient buffers of the backward leaky-RNN scan. */
export interface LeakyScanGrads {
  /** dL/dY [T+1, B, N] (input). */
  dY: KernelBuffer;
  /** dL/dW [N, N] (accumulated). */
  dW: KernelBuffer;
  /** dL/dD [T, B, N] (written). */
  dD: KernelBuffer;
  /** dL/da [N] (accumulated), or null when the rate constants are not trained. */
  dAlpha: KernelBuffer | null;
  /** dL/d bias [N] (accumulated; = Σ over steps and trials of dD), or null/absent. */
  dBias?: KernelBuffer | null;
  /** dL/dS₀ [B, N] (written). */
  dS0: KernelBuffer;
}

/** Arguments of `lifNetworkRun` (buffers live in kernel memory; see csrc/lif.h). */
export interface LifRunArgs {
  B: number;
  N: number;
  K: number;
  steps: number;
  firstStep: number;
  stepsPerRateStep: number;
  ext: KernelBuffer;
  WT: KernelBuffer;
  wOut: KernelBuffer;
  decayD: KernelBuffer;
  gain: KernelBuffer;
  decayR: number;
  dtS: number;
  kMem: number;
  threshold: number;
  reset: number;
  bias: number;
  noiseStd: number;
  lambda: number;
  refSteps: number;
  v: KernelBuffer;
  ipsc: KernelBuffer;
  h: KernelBuffer;
  jd: KernelBuffer;
  r: KernelBuffer;
  hr: KernelBuffer;
  refLeft: KernelBuffer;
  spikeList: KernelBuffer;
  spiked: KernelBuffer;
  outMean: KernelBuffer;
  outMax: KernelBuffer;
  outMin: KernelBuffer;
  counts: KernelBuffer | null;
  binSteps: number;
  nBins: number;
  raster: KernelBuffer | null;
  rasterTrials: number;
  rasterCap: number;
  rasterCount: KernelBuffer;
  spikesPerUnit: KernelBuffer;
  dense: boolean;
}

type FieldType = 'i32' | 'ptr' | 'f64';

/** Byte layout of a C struct on wasm32 (ints and pointers 4 bytes, doubles 8-aligned). */
class StructLayout<T> {
  readonly offsets: number[] = [];
  readonly bytes: number;
  constructor(readonly fields: [keyof T, FieldType][]) {
    let off = 0;
    for (const [, t] of fields) {
      const size = t === 'f64' ? 8 : 4;
      off = Math.ceil(off / size) * size;
      this.offsets.push(off);
      off += size;
    }
    this.bytes = Math.ceil(off / 8) * 8;
  }
  write(view: DataView, args: T): void {
    this.fields.forEach(([name, t], i) => {
      const v = args[name] as unknown;
      const off = this.offsets[i];
      if (t === 'f64') view.setFloat64(off, v as number, true);
      else if (t === 'ptr') view.setUint32(off, v ? (v as KernelBuffer).ptr : 0, true);
      else view.setInt32(off, typeof v === 'boolean' ? (v ? 1 : 0) : (v as number), true);
    });
  }
}

const LIF_LAYOUT = new StructLayout<LifRunArgs>([
  ['B', 'i32'],
  ['N', 'i32'],
  ['K', 'i32'],
  ['steps', 'i32'],
  ['firstStep', 'i32'],
  ['stepsPerRateStep', 'i32'],
  ['ext', 'ptr'],
  ['WT', 'ptr'],
  ['wOut', 'ptr'],
  ['decayD', 'ptr'],
  ['gain', 'ptr'],
  ['decayR', 'f64'],
  ['dtS', 'f64'],
  ['kMem', 'f64'],
  ['threshold', 'f64'],
  ['reset', 'f64'],
  ['bias', 'f64'],
  ['noiseStd', 'f64'],
  ['lambda', 'f64'],
  ['refSteps', 'i32'],
  ['v', 'ptr'],
  ['ipsc', 'ptr'],
  ['h', 'ptr'],
  ['jd', 'ptr'],
  ['r', 'ptr'],
  ['hr', 'ptr'],
  ['refLeft', 'ptr'],
  ['spikeList', 'ptr'],
  ['spiked', 'ptr'],
  ['outMean', 'ptr'],
  ['outMax', 'ptr'],
  ['outMin', 'ptr'],
  ['counts', 'ptr'],
  ['binSteps', 'i32'],
  ['nBins', 'i32'],
  ['raster', 'ptr'],
  ['rasterTrials', 'i32'],
  ['rasterCap', 'i32'],
  ['rasterCount', 'ptr'],
  ['spikesPerUnit', 'ptr'],
  ['dense', 'i32'],
]);

/** Arguments of `ringNetworkRun` (see csrc/ring.h). */
export interface RingRunArgs {
  B: number;
  N: number;
  steps: number;
  firstStep: number;
  mode: 0 | 1 | 2;
  nBasis: number;
  basis: KernelBuffer | null;
  basisW: KernelBuffer | null;
  nPops: number;
  pop: KernelBuffer | null;
  popW: KernelBuffer | null;
  decaying: boolean;
  GEE: number;
  GEI: number;
  GIE: number;
  GII: number;
  I0E: number;
  I0I: number;
  sigE: number;
  sigI: number;
  kE: number;
  kI: number;
  kM: number;
  aM: number;
  sqrtNI: number;
  stimOn: number;
  stimOff: number;
  eraseOn: number;
  eraseOff: number;
  delayEnd: number;
  delayWin: number;
  eraseAmp: number;
  stim: KernelBuffer;
  cosTh: KernelBuffer;
  sinTh: KernelBuffer;
  rE: KernelBuffer;
  mI: KernelBuffer;
  Im: KernelBuffer | null;
  proj: KernelBuffer | null;
  rec: KernelBuffer;
  delayRates: KernelBuffer;
  response: KernelBuffer;
  recordEvery: number;
  nRec: number;
  angles: KernelBuffer;
  nUnits: number;
  units: KernelBuffer | null;
  unitRates: KernelBuffer | null;
  traceTrials: number;
  traces: KernelBuffer | null;
  /** [B × 4] uint32 generator states, one per trial. */
  rng: KernelBuffer;
  /** Decode without the trial's recorded units (see csrc/ring.h). */
  excludeRecorded: boolean;
}

const RING_LAYOUT = new StructLayout<RingRunArgs>([
  ['B', 'i32'],
  ['N', 'i32'],
  ['steps', 'i32'],
  ['firstStep', 'i32'],
  ['mode', 'i32'],
  ['nBasis', 'i32'],
  ['basis', 'ptr'],
  ['basisW', 'ptr'],
  ['nPops', 'i32'],
  ['pop', 'ptr'],
  ['popW', 'ptr'],
  ['decaying', 'i32'],
  ['GEE', 'f64'],
  ['GEI', 'f64'],
  ['GIE', 'f64'],
  ['GII', 'f64'],
  ['I0E', 'f64'],
  ['I0I', 'f64'],
  ['sigE', 'f64'],
  ['sigI', 'f64'],
  ['kE', 'f64'],
  ['kI', 'f64'],
  ['kM', 'f64'],
  ['aM', 'f64'],
  ['sqrtNI', 'f64'],
  ['stimOn', 'i32'],
  ['stimOff', 'i32'],
  ['eraseOn', 'i32'],
  ['eraseOff', 'i32'],
  ['delayEnd', 'i32'],
  ['delayWin', 'i32'],
  ['eraseAmp', 'f64'],
  ['stim', 'ptr'],
  ['cosTh', 'ptr'],
  ['sinTh', 'ptr'],
  ['rE', 'ptr'],
  ['mI', 'ptr'],
  ['Im', 'ptr'],
  ['proj', 'ptr'],
  ['rec', 'ptr'],
  ['delayRates', 'ptr'],
  ['response', 'ptr'],
  ['recordEvery', 'i32'],
  ['nRec', 'i32'],
  ['angles', 'ptr'],
  ['nUnits', 'i32'],
  ['units', 'ptr'],
  ['unitRates', 'ptr'],
  ['traceTrials', 'i32'],
  ['traces', 'ptr'],
  ['rng', 'ptr'],
  ['excludeRecorded', 'i32'],
]);

function checkSizes(op: string, ...pairs: [KernelBuffer, number][]): void {
  for (const [buf, n] of pairs) {
    if (buf.length < n) throw new RangeError(`${op}: a buffer holds ${buf.length} floats but ${n} are needed`);
  }
}

function checkScan(a: LeakyScanArgs): void {
  const { B, N, T } = a;
  for (const [name, v] of Object.entries({ B, N, T })) {
    if (!Number.isInteger(v) || v < (name === 'T' ? 0 : 1))
      throw new RangeError(`leaky RNN scan: ${name} (${v}) must be a positive integer`);
  }
  const sizes: [string, KernelBuffer | null, number][] = [
    ['W', a.W, N * N],
    ['D', a.D, T * B * N],
    ['Z', a.Z, T * B * N],
    ['alpha', a.alpha, N],
    ['S', a.S, (T + 1) * B * N],
    ['Y', a.Y, (T + 1) * B * N],
    ['P', a.P, T * B * N],
    ['bias', a.bias ?? null, N],
    ['F', a.F ?? null, T * B * N],
  ];
  for (const [name, buf, n] of sizes) {
    if (buf && buf.length < n)
      throw new RangeError(`leaky RNN scan: ${name} holds ${buf.length} floats but B=${B}, N=${N}, T=${T} need ${n}`);
  }
}

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let modulePromise: Promise<WebAssembly.Module> | null = null;
let instance: Kernels | null = null;

/** Compiles (once) and instantiates (once per thread) the kernels; async, works everywhere. */
export async function initKernels(): Promise<Kernels> {
  if (instance) return instance;
  modulePromise ??= WebAssembly.compile(decodeBase64(KERNELS_WASM_BASE64) as BufferSource);
  const module = await modulePromise;
  instance ??= new Kernels(module);
  return instance;
}

/**
 * The kernels, synchronously. In Node and workers this compiles on first use; on a
 * browser's main thread call `await initKernels()` (or `initBackend()`) first.
 */
export function kernels(): Kernels {
  if (instance) return instance;
  try {
    instance = new Kernels(new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64) as BufferSource));
  } catch (err) {
    throw new Error(`wmkit kernels are not initialised: call await initKernels() first (${(err as Error).message})`);
  }
  return instance;
}

/** Arguments of `hdsnnForward` (see csrc/hdsnn.h). Byte arrays are KernelBuffers viewed with `viewU8`. */
export interface HdForwardArgs {
  N: number;
  D: number;
  steps: number;
  tStart: number;
  /** 0 subtract, 1 zero. */
  reset: 0 | 1;
  beta: number;
  threshold: number;
  dropout: number;
  Wt: KernelBuffer;
  inOff: KernelBuffer;
  inIdx: KernelBuffer;
  silence: KernelBuffer | null;
  spkOff: KernelBuffer;
  spkIdx: KernelBuffer;
  ctxOff: KernelBuffer;
  ctxIdx: KernelBuffer;
  mem: KernelBuffer | null;
  keep: KernelBuffer | null;
  rng: KernelBuffer;
  cur: KernelBuffer;
  u: KernelBuffer;
  stamp: KernelBuffer;
  s: KernelBuffer;
  /** Σ of all rows of Wt (enables the complement form for saturated activity), or null. */
  Wsum: KernelBuffer | null;
  /** Work [D, N] bytes, needed with Wsum. */
  winMask: KernelBuffer | null;
}

const HD_FWD_LAYOUT = new StructLayout<HdForwardArgs>([
  ['N', 'i32'],
  ['D', 'i32'],
  ['steps', 'i32'],
  ['tStart', 'i32'],
  ['reset', 'i32'],
  ['beta', 'f64'],
  ['threshold', 'f64'],
  ['dropout', 'f64'],
  ['Wt', 'ptr'],
  ['inOff', 'ptr'],
  ['inIdx', 'ptr'],
  ['silence', 'ptr'],
  ['spkOff', 'ptr'],
  ['spkIdx', 'ptr'],
  ['ctxOff', 'ptr'],
  ['ctxIdx', 'ptr'],
  ['mem', 'ptr'],
  ['keep', 'ptr'],
  ['rng', 'ptr'],
  ['cur', 'ptr'],
  ['u', 'ptr'],
  ['stamp', 'ptr'],
  ['s', 'ptr'],
  ['Wsum', 'ptr'],
  ['winMask', 'ptr'],
]);

/** Arguments of `hdsnnBackward` (see csrc/hdsnn.h). */
export interface HdBackwardArgs {
  N: number;
  D: number;
  steps: number;
  tStart: number;
  reset: 0 | 1;
  /** Backpropagate through the recurrent spikes too (dense N·D·N work per step). */
  full: boolean;
  beta: number;
  threshold: number;
  slope: number;
  dropout: number;
  gPos: number;
  gNeg: number;
  scoreFrom: number;
  scoreTo: number;
  Wt: KernelBuffer;
  spkOff: KernelBuffer;
  spkIdx: KernelBuffer;
  ctxOff: KernelBuffer;
  ctxIdx: KernelBuffer;
  inOff: KernelBuffer;
  inIdx: KernelBuffer;
  tgtOff: KernelBuffer;
  tgtIdx: KernelBuffer;
  mem: KernelBuffer;
  keep: KernelBuffer | null;
  dWt: KernelBuffer;
  du: KernelBuffer;
  dI: KernelBuffer;
  gs: KernelBuffer;
  ring: KernelBuffer | null;
  dC: KernelBuffer | null;
  blocked: KernelBuffer | null;
  ownNow: KernelBuffer;
}

const HD_BWD_LAYOUT = new StructLayout<HdBackwardArgs>([
  ['N', 'i32'],
  ['D', 'i32'],
  ['steps', 'i32'],
  ['tStart', 'i32'],
  ['reset', 'i32'],
  ['full', 'i32'],
  ['beta', 'f64'],
  ['threshold', 'f64'],
  ['slope', 'f64'],
  ['dropout', 'f64'],
  ['gPos', 'f64'],
  ['gNeg', 'f64'],
  ['scoreFrom', 'i32'],
  ['scoreTo', 'i32'],
  ['Wt', 'ptr'],
  ['spkOff', 'ptr'],
  ['spkIdx', 'ptr'],
  ['ctxOff', 'ptr'],
  ['ctxIdx', 'ptr'],
  ['inOff', 'ptr'],
  ['inIdx', 'ptr'],
  ['tgtOff', 'ptr'],
  ['tgtIdx', 'ptr'],
  ['mem', 'ptr'],
  ['keep', 'ptr'],
  ['dWt', 'ptr'],
  ['du', 'ptr'],
  ['dI', 'ptr'],
  ['gs', 'ptr'],
  ['ring', 'ptr'],
  ['dC', 'ptr'],
  ['blocked', 'ptr'],
  ['ownNow', 'ptr'],
]);
