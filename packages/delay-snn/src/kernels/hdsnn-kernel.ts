/**
 * The binding of the delay-network kernels (csrc/hdsnn.c, built by scripts/build-kernels.sh into
 * ./wasm-binary.ts): the event-driven forward pass and the surrogate-gradient backward pass of a
 * batch of patterns (the optimisers are tensor's, which every module carries: `sgdStep`,
 * `adamwStep`). The dense JavaScript reference is ../dense.ts; the equations are in
 * docs/models/delay-snn.md.
 */
import { checkSizes, defineKernelModule, type KernelBuffer, KernelHost, StructLayout } from '@wmkit/tensor';
import { KERNELS_WASM_BASE64, KERNELS_WASM_THREADS_BASE64 } from './wasm-binary';

/** One pattern of `hdsnnForward` (see csrc/hdsnn.c). Byte arrays are KernelBuffers viewed with `viewU8`. */
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
  /** The pattern's dropout generator (4 uint32 words, advanced in place). */
  rng: KernelBuffer;
  /** Σ of all rows of Wt (enables the complement form for saturated activity), or null. */
  Wsum: KernelBuffer | null;
}

/** Work buffers of one thread's forward passes (`hd_work` in csrc/hdsnn.c). */
export interface HdWork {
  cur: KernelBuffer | null;
  u: KernelBuffer | null;
  stamp: KernelBuffer | null;
  s: KernelBuffer | null;
  /** [D, N] bytes, needed with Wsum. */
  winMask: KernelBuffer | null;
}

const NO_WORK: HdWork = { cur: null, u: null, stamp: null, s: null, winMask: null };

const HD_WORK_LAYOUT = new StructLayout<HdWork>('hdsnn_work', [
  ['cur', 'ptr'],
  ['u', 'ptr'],
  ['stamp', 'ptr'],
  ['s', 'ptr'],
  ['winMask', 'ptr'],
]);

/** Memory layout of `HdForwardArgs` as the `hdsnn_fwd_args` struct of csrc/hdsnn.c (the work fields are set by the kernel to the thread's own). */
export const HD_FWD_LAYOUT = new StructLayout<HdForwardArgs & HdWork>('hdsnn_fwd_args', [
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

/** One pattern of `hdsnnBackward` (see csrc/hdsnn.c). */
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

/** Arguments of the whole-matrix passes (`par_hdsnn_bulk` in csrc/hdsnn.c): column sums, divergence checks. */
interface HdBulkArgs {
  /** 0 column sums, 3 max |W|, 4 all finite (W). */
  op: 0 | 3 | 4;
  n: number;
  N: number;
  W: KernelBuffer;
  out: KernelBuffer;
}

const HD_BULK_LAYOUT = new StructLayout<HdBulkArgs>('hdsnn_bulk_args', [
  ['op', 'i32'],
  ['n', 'i32'],
  ['N', 'i32'],
  ['W', 'ptr'],
  ['out', 'ptr'],
]);

/** A batch of forward passes (`hd_fwd_batch`): `pats` and `work` are arrays of structs. */
interface HdFwdBatch {
  count: number;
  next: number;
  pats: KernelBuffer;
  work: KernelBuffer;
}

const HD_FWD_BATCH_LAYOUT = new StructLayout<HdFwdBatch>('hdsnn_fwd_batch', [
  ['count', 'i32'],
  ['next', 'i32'],
  ['pats', 'ptr'],
  ['work', 'ptr'],
]);

/** A batch of backward passes (`hd_bwd_batch`): patterns, the group size and the truncated gradient's buffers. */
interface HdBwdBatch {
  count: number;
  pats: KernelBuffer;
  /** 1: dWt is cleared before the additions. */
  zero: 0 | 1;
  /** Patterns whose δI are held at once (truncated gradient). */
  group: number;
  /** [group, steps, N] δI of a group's patterns, or null (full BPTT, β/ϑ gradients). */
  dI: KernelBuffer | null;
  /** [N + 1] offsets into `occ`, or null. */
  occOff: KernelBuffer | null;
  /** Every pattern's context entries by neuron, m·steps + τ (patterns ascending, τ descending), or null. */
  occ: KernelBuffer | null;
}

const HD_BWD_BATCH_LAYOUT = new StructLayout<HdBwdBatch>('hdsnn_bwd_batch', [
  ['count', 'i32'],
  ['pats', 'ptr'],
  ['zero', 'i32'],
  ['group', 'i32'],
  ['dI', 'ptr'],
  ['occOff', 'ptr'],
  ['occ', 'ptr'],
]);

/** Floats of δI the truncated backward pass holds at once (128 MB): patterns beyond it go in further groups. */
export const HD_BWD_GROUP_FLOATS = 1 << 25;

/**
 * Every pattern's context entries (own or input spike of neuron i at step τ) listed by neuron:
 * offsets [N + 1] and entries m·steps + τ, patterns ascending and τ descending within each (the
 * order in which the backward pass adds their terms into a row of dWt).
 */
function contextByNeuron(patterns: HdBackwardArgs[], N: number, steps: number): { off: Int32Array; occ: Int32Array } {
  const lists = patterns.map((p) => {
    const off = p.ctxOff.viewI32().subarray(0, steps + 1);
    return { off, idx: p.ctxIdx.viewI32().subarray(0, off[steps] as number) };
  });
  const off = new Int32Array(N + 1);
  for (const l of lists) for (let q = 0; q < l.idx.length; q++) off[(l.idx[q] as number) + 1]++;
  for (let i = 0; i < N; i++) off[i + 1] += off[i] as number;
  const fill = off.slice(0, N);
  const occ = new Int32Array(off[N] as number);
  lists.forEach((l, m) => {
    for (let tau = steps - 1; tau >= 0; tau--)
      for (let q = l.off[tau] as number; q < (l.off[tau + 1] as number); q++) occ[fill[l.idx[q] as number]++] = m * steps + tau;
  });
  return { off, occ };
}

const LAYOUTS = [
  HD_FWD_LAYOUT,
  HD_BWD_LAYOUT,
  HD_BULK_LAYOUT,
  HD_WORK_LAYOUT,
  HD_FWD_BATCH_LAYOUT,
  HD_BWD_BATCH_LAYOUT,
] as StructLayout<never>[];

/** The compiled delay-network kernel module (csrc/hdsnn.c) of one thread; get it with `hdSnnKernels()`. */
export class HdSnnKernels extends KernelHost {
  constructor(m: WebAssembly.Module) {
    super(m, LAYOUTS);
  }

  /** Writes `items` as consecutive structs of `layout` into a new buffer (inside the caller's scope). */
  private structArray<T>(layout: StructLayout<T>, items: T[]): KernelBuffer {
    const a = this.buffer((items.length * layout.bytes) / 4);
    items.forEach((item, i) => {
      layout.write(new DataView(this.memory.buffer, a.ptr + i * layout.bytes, layout.bytes), item);
    });
    return a;
  }

  /** One result per thread of a whole-matrix pass over W (blocks of 16 floats of `n`, or of the N columns for op 0). */
  private bulk(op: 0 | 3 | 4, n: number, N: number, W: KernelBuffer, out: KernelBuffer | null, items: number): Float32Array {
    const threads = Math.max(1, Math.min(this.threads, Math.ceil(items / 16)));
    return this.scope(() => {
      const o = out ?? this.buffer(threads);
      this.withStruct(HD_BULK_LAYOUT, { op, n, N, W, out: o }, (p) => this.parallelFor('par_hdsnn_bulk', p, threads));
      return out ? new Float32Array(0) : o.copy();
    });
  }

  /**
   * Runs a batch of patterns through the network, event-driven. The patterns are split across
   * the kernel threads (`setKernelThreads`, `WMKIT_THREADS`), a whole pattern per thread at a
   * time, each with work buffers of its own: a pattern's spikes (and its dropout draws, which
   * continue its own `rng`) depend only on its own inputs, so results are the same on any number
   * of threads. All patterns share N, D and the weights. A pattern that fails on a worker thread
   * makes this throw (the others finish first).
   */
  hdsnnForward(patterns: HdForwardArgs[]): void {
    const first = patterns[0];
    if (!first) return;
    const { N, D } = first;
    if (patterns.some((p) => p.N !== N || p.D !== D)) throw new RangeError('hdsnnForward: the patterns of a batch must share N and D');
    const threads = Math.max(1, Math.min(this.threads, patterns.length));
    const complement = patterns.some((p) => p.Wsum);
    this.scope(() => {
      const work = Array.from({ length: threads }, () => ({
        cur: this.scratch(N),
        u: this.scratch(N),
        stamp: this.scratch(N),
        s: this.scratch(Math.ceil(N / 4)),
        winMask: complement ? this.scratch(Math.ceil((D * N) / 4)) : null,
      }));
      const pats = this.structArray(
        HD_FWD_LAYOUT,
        patterns.map((p) => ({ ...p, ...NO_WORK })),
      );
      const batch = { count: patterns.length, next: 0, pats, work: this.structArray(HD_WORK_LAYOUT, work) };
      this.withStruct(HD_FWD_BATCH_LAYOUT, batch, (p) => this.parallelFor('par_hdsnn_forward', p, threads));
    });
  }

  /** Kernel threads for N neurons split in blocks of 16. */
  private threadsFor(N: number): number {
    return Math.max(1, Math.min(this.threads, Math.ceil(N / 16)));
  }

  /** Wsum[j] = Σ_a Wt[a, j] over the `ND` rows of Wt [ND, N] (columns split across the kernel threads; sums in row order). */
  hdsnnRowSum(ND: number, N: number, Wt: KernelBuffer, Wsum: KernelBuffer): void {
    checkSizes('hdsnnRowSum', [Wt, ND * N], [Wsum, N]);
    this.bulk(0, ND, N, Wt, Wsum, N);
  }

  /** The largest |w| over the buffer (0 when empty), NaN if any entry is NaN. */
  hdsnnMaxAbs(w: KernelBuffer): number {
    const parts = this.bulk(3, w.length, 0, w, null, w.length);
    let m = 0;
    for (const v of parts) {
      if (Number.isNaN(v)) return Number.NaN;
      if (v > m) m = v;
    }
    return m;
  }

  /** Whether every entry of the buffer is finite (no NaN, no ±Infinity). */
  hdsnnAllFinite(g: KernelBuffer): boolean {
    return this.bulk(4, g.length, 0, g, null, g.length).every((v) => v === 1);
  }

  /**
   * Surrogate-gradient backward passes of a batch of patterns, in order; each adds into its
   * `dWt` (the patterns of a batch share it and the work buffers). The truncated gradient splits
   * the neurons (columns of dWt) across the kernel threads, each running every pattern on its own
   * columns, with the same results on any number; full BPTT and the β/ϑ gradients run on one thread.
   * With `zero`, `dWt` is cleared first (in the same pass: its rows are in the cache then).
   */
  hdsnnBackward(patterns: HdBackwardArgs[], zero = false): void {
    const first = patterns[0];
    if (!first) return;
    const serial = patterns.some((p) => p.full || p.dParams);
    const threads = serial ? 1 : this.threadsFor(first.N);
    const { N, steps } = first;
    if (patterns.some((p) => p.N !== N || p.D !== first.D || p.steps !== steps || p.dWt.ptr !== first.dWt.ptr))
      throw new RangeError('hdsnnBackward: the patterns of a batch must share N, D, steps and dWt');
    this.scope(() => {
      const pats = this.structArray(HD_BWD_LAYOUT, patterns);
      const batch: HdBwdBatch = {
        count: patterns.length,
        pats,
        zero: zero ? 1 : 0,
        group: patterns.length,
        dI: null,
        occOff: null,
        occ: null,
      };
      if (!serial) {
        batch.group = Math.max(1, Math.min(patterns.length, Math.floor(HD_BWD_GROUP_FLOATS / (steps * N))));
        // (every row of dI a pass reads is written first: no clearing)
        batch.dI = this.scratch(batch.group * steps * N);
        const { off, occ } = contextByNeuron(patterns, N, steps);
        batch.occOff = this.scratch(N + 1);
        batch.occ = this.scratch(Math.max(1, occ.length));
        batch.occOff.viewI32().set(off);
        batch.occ.viewI32().set(occ);
      }
      this.withStruct(HD_BWD_BATCH_LAYOUT, batch, (p) => this.parallelFor('par_hdsnn_backward', p, threads));
    });
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
