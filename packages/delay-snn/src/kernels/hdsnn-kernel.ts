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

interface HdExports {
  hdsnn_row_sum(ND: number, N: number, Wt: number, Wsum: number): void;
  hdsnn_max_abs(w: number, n: number): number;
  hdsnn_all_finite(g: number, n: number): number;
}

/** The compiled delay-network kernel module (csrc/hdsnn.c) of one thread; get it with `hdSnnKernels()`. */
export class HdSnnKernels extends KernelHost {
  constructor(m: WebAssembly.Module) {
    super(m, [HD_FWD_LAYOUT as StructLayout<never>, HD_BWD_LAYOUT as StructLayout<never>]);
  }

  private get hd(): HdExports {
    return this.exports as unknown as HdExports;
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

  /** Wsum[j] = Σ_a Wt[a, j] over the `ND` rows of Wt [ND, N]. */
  hdsnnRowSum(ND: number, N: number, Wt: KernelBuffer, Wsum: KernelBuffer): void {
    checkSizes('hdsnnRowSum', [Wt, ND * N], [Wsum, N]);
    this.hd.hdsnn_row_sum(ND, N, Wt.ptr, Wsum.ptr);
  }

  /** The largest |w| over the buffer (0 when empty), NaN if any entry is NaN. */
  hdsnnMaxAbs(w: KernelBuffer): number {
    return this.hd.hdsnn_max_abs(w.ptr, w.length);
  }

  /** Whether every entry of the buffer is finite (no NaN, no ±Infinity). */
  hdsnnAllFinite(g: KernelBuffer): boolean {
    return this.hd.hdsnn_all_finite(g.ptr, g.length) === 1;
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
