/**
 * The binding of the delay-network kernels (csrc/hdsnn.c, built by scripts/build-kernels.sh into
 * ./wasm-binary.ts): the event-driven forward pass and the surrogate-gradient backward pass of
 * one pattern, with the optimisers every module carries. The dense JavaScript reference is
 * ../dense.ts; the equations are in docs/models/delay-snn.md.
 */
import { checkSizes, defineKernelModule, type KernelBuffer, KernelHost, StructLayout } from '@wmkit/tensor';
import { KERNELS_WASM_BASE64, KERNELS_WASM_THREADS_BASE64 } from './wasm-binary';

/** Arguments of `hdsnnForward` (see csrc/hdsnn.c). Byte arrays are KernelBuffers viewed with `viewU8`. */
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

/** Memory layout of `HdForwardArgs` as the `hdsnn_fwd_args` struct of csrc/hdsnn.c. */
export const HD_FWD_LAYOUT = new StructLayout<HdForwardArgs>('hdsnn_fwd_args', [
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

/** Arguments of `hdsnnBackward` (see csrc/hdsnn.c). */
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
  /** [2] or null: dL/dβ and dL/dϑ are added here (learnable membrane decay and threshold). */
  dParams: KernelBuffer | null;
}

/** Memory layout of `HdBackwardArgs` as the `hdsnn_bwd_args` struct of csrc/hdsnn.c. */
export const HD_BWD_LAYOUT = new StructLayout<HdBackwardArgs>('hdsnn_bwd_args', [
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
  ['dParams', 'ptr'],
]);

/** Arguments of the whole-matrix passes (`par_hdsnn_bulk` in csrc/hdsnn.c): column sums, optimiser steps, divergence checks. */
interface HdBulkArgs {
  /** 0 column sums, 1 SGD, 2 AdamW, 3 max |W|, 4 all finite (W). */
  op: 0 | 1 | 2 | 3 | 4;
  n: number;
  N: number;
  first: boolean;
  W: KernelBuffer;
  g: KernelBuffer | null;
  m1: KernelBuffer | null;
  m2: KernelBuffer | null;
  out: KernelBuffer | null;
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

const HD_BULK_LAYOUT = new StructLayout<HdBulkArgs>('hdsnn_bulk_args', [
  ['op', 'i32'],
  ['n', 'i32'],
  ['N', 'i32'],
  ['first', 'i32'],
  ['W', 'ptr'],
  ['g', 'ptr'],
  ['m1', 'ptr'],
  ['m2', 'ptr'],
  ['out', 'ptr'],
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

const BULK_NONE = {
  n: 0,
  N: 0,
  first: false,
  g: null,
  m1: null,
  m2: null,
  out: null,
  lr: 0,
  momentum: 0,
  dampening: 0,
  wd: 0,
  b1: 0,
  b2: 0,
  eps: 0,
  bc1: 0,
  bc2sqrt: 0,
};

/** The compiled delay-network kernel module (csrc/hdsnn.c) of one thread; get it with `hdSnnKernels()`. */
export class HdSnnKernels extends KernelHost {
  constructor(m: WebAssembly.Module) {
    super(m, [HD_FWD_LAYOUT as StructLayout<never>, HD_BWD_LAYOUT as StructLayout<never>, HD_BULK_LAYOUT as StructLayout<never>]);
  }

  /** Runs a whole-matrix pass on the kernel threads (blocks of 16 floats of `n`, or of the N columns for op 0). */
  private bulk(args: HdBulkArgs, items: number): void {
    const threads = Math.max(1, Math.min(this.threads, Math.ceil(items / 16)));
    this.withStruct(HD_BULK_LAYOUT, args, (p) => this.parallelFor('par_hdsnn_bulk', p, threads));
  }

  /** One result per thread of a reduction over W (ops 3 and 4). */
  private reduce(op: 3 | 4, W: KernelBuffer): Float32Array {
    const threads = Math.max(1, Math.min(this.threads, Math.ceil(W.length / 16)));
    return this.scope(() => {
      const out = this.buffer(threads);
      this.withStruct(HD_BULK_LAYOUT, { ...BULK_NONE, op, n: W.length, W, out }, (p) => this.parallelFor('par_hdsnn_bulk', p, threads));
      return out.copy();
    });
  }

  /**
   * Runs one pattern through the network, event-driven. Dropout draws continue `args.rng` (4
   * uint32 words, updated in place). The neurons are split across the kernel threads
   * (`setKernelThreads`, `WMKIT_THREADS`), with the same results on any number; with dropout the
   * threads need the keep record (`args.keep`), else the pass runs on one thread.
   */
  hdsnnForward(args: HdForwardArgs): void {
    const threads = args.dropout > 0 && !args.keep ? 1 : this.threadsFor(args.N);
    this.withStruct(HD_FWD_LAYOUT, args, (p) => this.parallelFor('par_hdsnn_forward', p, threads));
  }

  /** Kernel threads for N neurons split in blocks of 16. */
  private threadsFor(N: number): number {
    return Math.max(1, Math.min(this.threads, Math.ceil(N / 16)));
  }

  /** Wsum[j] = Σ_a Wt[a, j] over the `ND` rows of Wt [ND, N] (columns split across the kernel threads; sums in row order). */
  hdsnnRowSum(ND: number, N: number, Wt: KernelBuffer, Wsum: KernelBuffer): void {
    checkSizes('hdsnnRowSum', [Wt, ND * N], [Wsum, N]);
    this.bulk({ ...BULK_NONE, op: 0, n: ND, N, W: Wt, out: Wsum }, N);
  }

  /** The largest |w| over the buffer (0 when empty), NaN if any entry is NaN. */
  hdsnnMaxAbs(w: KernelBuffer): number {
    const parts = this.reduce(3, w);
    let m = 0;
    for (const v of parts) {
      if (Number.isNaN(v)) return Number.NaN;
      if (v > m) m = v;
    }
    return m;
  }

  /** Whether every entry of the buffer is finite (no NaN, no ±Infinity). */
  hdsnnAllFinite(g: KernelBuffer): boolean {
    return this.reduce(4, g).every((v) => v === 1);
  }

  /** `sgdStep` (torch.optim.SGD) with the elements split across the kernel threads: the same values. */
  hdsnnSgdStep(
    W: KernelBuffer,
    g: KernelBuffer,
    buf: KernelBuffer,
    o: { lr: number; momentum: number; dampening: number; weightDecay: number; first: boolean },
  ): void {
    checkSizes('hdsnnSgdStep', [g, W.length], [buf, W.length]);
    const { lr, momentum, dampening, weightDecay: wd, first } = o;
    this.bulk({ ...BULK_NONE, op: 1, n: W.length, W, g, m1: buf, lr, momentum, dampening, wd, first }, W.length);
  }

  /** `adamwStep` (torch.optim.AdamW; `step` counts from 1) with the elements split across the kernel threads: the same values. */
  hdsnnAdamwStep(
    W: KernelBuffer,
    g: KernelBuffer,
    m1: KernelBuffer,
    m2: KernelBuffer,
    o: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; step: number },
  ): void {
    checkSizes('hdsnnAdamwStep', [g, W.length], [m1, W.length], [m2, W.length]);
    const bc1 = 1 - o.beta1 ** o.step;
    const bc2sqrt = Math.sqrt(1 - o.beta2 ** o.step);
    const { lr, beta1: b1, beta2: b2, eps, weightDecay: wd } = o;
    this.bulk({ ...BULK_NONE, op: 2, n: W.length, W, g, m1, m2, lr, b1, b2, eps, wd, bc1, bc2sqrt }, W.length);
  }

  /**
   * Surrogate-gradient backward pass of one pattern; accumulates into `args.dWt`. The truncated
   * gradient splits the neurons (columns of dWt) across the kernel threads, with the same results
   * on any number; full BPTT and the β/ϑ gradients run on one thread.
   */
  hdsnnBackward(args: HdBackwardArgs): void {
    const threads = args.full || args.dParams ? 1 : this.threadsFor(args.N);
    this.withStruct(HD_BWD_LAYOUT, args, (p) => this.parallelFor('par_hdsnn_backward', p, threads));
  }
}

const hdModule = defineKernelModule(
  'delay-snn/hdsnn',
  { single: KERNELS_WASM_BASE64, threads: KERNELS_WASM_THREADS_BASE64 },
  (m) => new HdSnnKernels(m),
);

/** The delay-network kernels of this thread (compiled on first use in Node; `initKernels()` first in a browser). */
export function hdSnnKernels(): HdSnnKernels {
  return hdModule.get();
}
