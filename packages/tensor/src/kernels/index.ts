/**
 * wmkit's generic WebAssembly kernels (C in packages/tensor/csrc, built by
 * scripts/build-kernels.sh, embedded as base64): GEMM, the leaky recurrent scan and its BPTT,
 * transfer functions, the Rng's normal generator and the optimisers — fused loops that
 * TensorFlow.js would run as thousands of small ops, with wasm SIMD. Products and scans run on
 * `kernelThreads()` threads where the runtime has shared memory and workers (./threads.ts), and
 * are deterministic: wasm float arithmetic is IEEE-exact with no implicit FMA and the work is
 * split without changing any sum's order, so results are bit-identical on every engine and for
 * any number of threads. Model packages define their own kernel modules on the same host
 * (`defineKernelModule`, ./host.ts).
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
import {
  checkSizes,
  defineKernelModule,
  initAllKernelModules,
  type KernelBuffer,
  KernelHost,
  type ModuleExports,
  StructLayout,
} from './host';
import {
  KERNELS_WASM_BASE64,
  KERNELS_WASM_RELAXED_BASE64,
  KERNELS_WASM_RELAXED_THREADS_BASE64,
  KERNELS_WASM_THREADS_BASE64,
} from './wasm-binary';

export {
  type KernelInfo,
  kernelInfo,
  type RelaxedSimdSupport,
  relaxedSimdSupport,
  runtimeHasRelaxedSimd,
  setRelaxedSimd,
} from './features';
export {
  checkSizes,
  defineKernelModule,
  type FieldType,
  type KernelBinaries,
  KernelBuffer,
  KernelHost,
  type KernelModule,
  type ModuleExports,
  StructLayout,
} from './host';
export {
  kernelThreadSupport,
  kernelThreads,
  parseThreadCount,
  setKernelThreads,
  simulateNoThreadSupport,
  type ThreadCapabilities,
  type ThreadSupport,
  threadSupportOf,
} from './threads';

interface RawExports extends ModuleExports {
  transfer_apply(f: number, clip: number, n: number, x: number, y: number): void;
  matmul_abt(M: number, K: number, P: number, A: number, B: number, C: number, acc: number, work: number): void;
  matmul_ab(M: number, K: number, P: number, A: number, B: number, C: number, acc: number, work: number): void;
  matmul_atb(M: number, K: number, P: number, A: number, B: number, C: number, acc: number, work: number): void;
  matmul_work_floats(form: number, M: number, K: number, P: number): number;
  leaky_rnn_backward_prepare(args: number): void;
  leaky_rnn_forward_prepare(args: number): void;
  js_exp(x: number): number;
}

/** Arguments of the threaded products (csrc/kernels.c `mat_args`). */
interface MatArgs {
  M: number;
  K: number;
  P: number;
  A: KernelBuffer;
  B: KernelBuffer;
  C: KernelBuffer;
  accumulate: boolean;
  /** Work space of the packed kernel: one part per thread (null for shapes that do not use it). */
  work: KernelBuffer | null;
}
const MAT_LAYOUT = new StructLayout<MatArgs>('mat_args', [
  ['M', 'i32'],
  ['K', 'i32'],
  ['P', 'i32'],
  ['A', 'ptr'],
  ['B', 'ptr'],
  ['C', 'ptr'],
  ['accumulate', 'i32'],
  ['work', 'ptr'],
]);

/** Arguments of the rate-RNN read-out and loss as csrc/kernels.c's `readout_args` holds them: the loss kind as a flag, the per-trial losses as `loss`. */
type ReadoutStruct = Omit<ReadoutLossArgs, 'loss' | 'lossPerTrial'> & { kim: boolean; loss: KernelBuffer };

const READOUT_LAYOUT = new StructLayout<ReadoutStruct>('readout_args', [
  ['B', 'i32'],
  ['T', 'i32'],
  ['K', 'i32'],
  ['end', 'i32'],
  ['sigmoid', 'i32'],
  ['kim', 'i32'],
  ['O', 'ptr'],
  ['bOut', 'ptr'],
  ['z', 'ptr'],
  ['mask', 'ptr'],
  ['out', 'ptr'],
  ['dO', 'ptr'],
  ['loss', 'ptr'],
]);

/** Operands of `Kernels.readoutLoss`. */
export interface ReadoutLossArgs {
  B: number;
  T: number;
  K: number;
  /** The loss covers steps [0, end). */
  end: number;
  sigmoid: boolean;
  /** 'mse': Σ mask·e² / (T·K) per trial; 'kim-l2': √(Σ mask·e²). */
  loss: 'mse' | 'kim-l2';
  /** Read-out pre-activations [T, B, K] (time-major, before the bias). */
  O: KernelBuffer;
  /** [K] */
  bOut: KernelBuffer;
  /** Targets and mask [B, T, K] (batch-major). */
  z: KernelBuffer;
  mask: KernelBuffer;
  /** Outputs [B, T, K] (written). */
  out: KernelBuffer;
  /** ∂L/∂(pre-activation) [T, B, K], L the mean over trials (written). */
  dO: KernelBuffer;
  /** Per-trial losses, float64 [B] (2·B floats, written; read with `float64View`). */
  lossPerTrial: KernelBuffer;
}

/** The products' form codes (csrc/kernels.c). */
const MAT_FORM = { matmul_abt: 0, matmul_ab: 1, matmul_atb: 2 } as const;

/** Arguments of the leaky scan, forward and backward (csrc/kernels.c `scan_args`). */
interface ScanStruct {
  mode: number;
  f: number;
  clip: number;
  B: number;
  N: number;
  T: number;
  W: KernelBuffer;
  D: KernelBuffer | null;
  Z: KernelBuffer | null;
  bias: KernelBuffer | null;
  a: KernelBuffer;
  S: KernelBuffer;
  Y: KernelBuffer;
  P: KernelBuffer;
  F: KernelBuffer | null;
  dY: KernelBuffer | null;
  dW: KernelBuffer | null;
  dD: KernelBuffer | null;
  dA: KernelBuffer | null;
  dBias: KernelBuffer | null;
  dS0: KernelBuffer | null;
  G: KernelBuffer | null;
  H: KernelBuffer | null;
  Wt: KernelBuffer | null;
  Gall: KernelBuffer | null;
  /** Work space of the packed kernel for dL/dW (backward), one part per thread, or null. */
  work: KernelBuffer | null;
}
const SCAN_LAYOUT = new StructLayout<ScanStruct>('scan_args', [
  ['mode', 'i32'],
  ['f', 'i32'],
  ['clip', 'f64'],
  ['B', 'i32'],
  ['N', 'i32'],
  ['T', 'i32'],
  ['W', 'ptr'],
  ['D', 'ptr'],
  ['Z', 'ptr'],
  ['bias', 'ptr'],
  ['a', 'ptr'],
  ['S', 'ptr'],
  ['Y', 'ptr'],
  ['P', 'ptr'],
  ['F', 'ptr'],
  ['dY', 'ptr'],
  ['dW', 'ptr'],
  ['dD', 'ptr'],
  ['dA', 'ptr'],
  ['dBias', 'ptr'],
  ['dS0', 'ptr'],
  ['G', 'ptr'],
  ['H', 'ptr'],
  ['Wt', 'ptr'],
  ['Gall', 'ptr'],
  ['work', 'ptr'],
]);

/**
 * Products smaller than this many multiply-adds run on the calling thread: waking the workers
 * costs more than they would save. (Results are the same either way.)
 */
const PARALLEL_MIN_MACS = 1 << 16;

function scanStruct(a: LeakyScanArgs): ScanStruct {
  return {
    mode: a.mode === 'rate' ? 0 : 1,
    f: KERNEL_TRANSFER[a.transfer],
    clip: a.clip ?? Number.POSITIVE_INFINITY,
    B: a.B,
    N: a.N,
    T: a.T,
    W: a.W,
    D: a.D,
    Z: a.Z,
    bias: a.bias ?? null,
    a: a.alpha,
    S: a.S,
    Y: a.Y,
    P: a.P,
    F: a.F ?? null,
    dY: null,
    dW: null,
    dD: null,
    dA: null,
    dBias: null,
    dS0: null,
    G: null,
    H: null,
    Wt: null,
    Gall: null,
    work: null,
  };
}

/** Transfer functions the kernels implement (codes shared with csrc/kernels.c). */
export const KERNEL_TRANSFER = { sigmoid: 0, tanh: 1, relu: 2, softplus: 3 } as const;
/** A transfer function the kernels implement. */
export type KernelTransfer = keyof typeof KERNEL_TRANSFER;

/**
 * tensor's generic kernels on their own module and memory. The products and the leaky scans run
 * on `threads` threads (products by blocks of rows, scans by trials), with the same results on
 * any number.
 */
export class Kernels extends KernelHost {
  constructor(m: WebAssembly.Module) {
    super(m, [MAT_LAYOUT as StructLayout<never>, SCAN_LAYOUT as StructLayout<never>, READOUT_LAYOUT as StructLayout<never>]);
  }

  private get raw(): RawExports {
    return this.exports as RawExports;
  }

  /** y = f(x) elementwise, clipped above at `clip`. */
  transfer(f: KernelTransfer, x: KernelBuffer, y: KernelBuffer, clip = Number.POSITIVE_INFINITY): void {
    this.raw.transfer_apply(KERNEL_TRANSFER[f], clip, Math.min(x.length, y.length), x.ptr, y.ptr);
  }

  private product(entry: string, one: keyof typeof MAT_FORM, args: Omit<MatArgs, 'work'>): void {
    const { M, K, P } = args;
    // work space of the packed kernel (csrc/gemm.h), per thread; 0 floats for thin products
    const perThread = this.raw.matmul_work_floats(MAT_FORM[one], M, K, P);
    const threads = M * K * P < (Math.min(M, K, P) < 16 ? 1 << 24 : PARALLEL_MIN_MACS) ? 1 : this.threads; // thin: memory-bound, rarely pays
    this.scope(() => {
      const work = perThread > 0 ? this.scratch(perThread * threads) : null;
      if (threads === 1) {
        this.raw[one](M, K, P, args.A.ptr, args.B.ptr, args.C.ptr, args.accumulate ? 1 : 0, work ? work.ptr : 0);
        return;
      }
      this.withStruct(MAT_LAYOUT, { ...args, work }, (p) => this.parallelFor(entry, p, threads));
    });
  }

  /**
   * C[M,P] (+)= A[M,K] · B[P,K]ᵀ. Products with every dimension ≥ 16 use the packed kernel and
   * allocate its work space (freed on return; it may grow the memory: take views afresh after).
   */
  matmulABt(M: number, K: number, P: number, A: KernelBuffer, B: KernelBuffer, C: KernelBuffer, accumulate = false): void {
    checkSizes('matmulABt', [A, M * K], [B, P * K], [C, M * P]);
    this.product('par_matmul_abt', 'matmul_abt', { M, K, P, A, B, C, accumulate });
  }

  /** C[M,P] (+)= A[M,K] · B[K,P] (work space as in `matmulABt`) */
  matmulAB(M: number, K: number, P: number, A: KernelBuffer, B: KernelBuffer, C: KernelBuffer, accumulate = false): void {
    checkSizes('matmulAB', [A, M * K], [B, K * P], [C, M * P]);
    this.product('par_matmul_ab', 'matmul_ab', { M, K, P, A, B, C, accumulate });
  }

  /** C[K,P] (+)= A[M,K]ᵀ · B[M,P] (work space as in `matmulABt`) */
  matmulAtB(M: number, K: number, P: number, A: KernelBuffer, B: KernelBuffer, C: KernelBuffer, accumulate = false): void {
    checkSizes('matmulAtB', [A, M * K], [B, M * P], [C, K * P]);
    this.product('par_matmul_atb', 'matmul_atb', { M, K, P, A, B, C, accumulate });
  }

  /**
   * The rate-RNN trainer's read-out, loss and ∂L/∂o (packages/ei-rnn trainer.ts: the same float64
   * arithmetic in the same order, Math.exp's bits), trials split across threads.
   */
  readoutLoss(a: ReadoutLossArgs): void {
    const { B, T, K } = a;
    checkSizes(
      'readoutLoss',
      [a.O, T * B * K],
      [a.bOut, K],
      [a.z, B * T * K],
      [a.mask, B * T * K],
      [a.out, B * T * K],
      [a.dO, T * B * K],
      [a.lossPerTrial, 2 * B],
    );
    const args: ReadoutStruct = { ...a, kim: a.loss === 'kim-l2', loss: a.lossPerTrial };
    // one thread: at the trainer's size (B·T·K = 14,336, ~0.17 ms) two measured slower (the
    // fork/join costs more than it saves on a loaded machine); the split by trials gives the same
    // values on any number
    this.withStruct(READOUT_LAYOUT, args, (p) => this.parallelFor('par_readout_loss', p, 1));
  }

  /** Math.exp(x) computed in wasm (csrc/kernels.c js_exp; for tests). */
  jsExp(x: number): number {
    return this.raw.js_exp(x);
  }

  /** Forward scan of a leaky recurrent network; see ./leaky-scan.ts for the equations. Trials split across threads. */
  leakyRnnForward(a: LeakyScanArgs): void {
    checkScan(a);
    this.scope(() => {
      // Wt: W packed once for the per-step product (work space the kernel writes before it reads)
      const args: ScanStruct = { ...scanStruct(a), Wt: this.scratch(a.N * a.N) };
      this.withStruct(SCAN_LAYOUT, args, (p) => {
        this.raw.leaky_rnn_forward_prepare(p);
        // (no more threads than blocks of 4 trials: a thread with none would only be woken)
        this.parallelFor('par_leaky_rnn_forward', p, Math.min(this.threads, Math.ceil(a.B / 4)));
      });
    });
  }

  /**
   * BPTT through the scan run by `leakyRnnForward` with the same arguments: trials split across
   * threads, then the sums over trials (dL/dW, dL/da, dL/d bias) split by unit, each summed in
   * the same order on any number of threads.
   */
  leakyRnnBackward(a: LeakyScanArgs & LeakyScanGrads): void {
    const { B, N, T } = a;
    checkScan(a);
    checkSizes('leakyRnnBackward', [a.dY, (T + 1) * B * N], [a.dW, N * N], [a.dD, T * B * N], [a.dS0, B * N]);
    if (a.dAlpha) checkSizes('leakyRnnBackward', [a.dAlpha, N]);
    if (a.dBias) checkSizes('leakyRnnBackward', [a.dBias, N]);
    this.scope(() => {
      // work space the kernel writes before it reads: no zero fill
      const args: ScanStruct = {
        ...scanStruct(a),
        dY: a.dY,
        dW: a.dW,
        dD: a.dD,
        dA: a.dAlpha,
        dBias: a.dBias ?? null,
        dS0: a.dS0,
        G: this.scratch(B * N),
        H: this.scratch(B * N),
        Wt: this.scratch(N * N),
        Gall: this.scratch(T * B * N),
        work: null,
      };
      const sumThreads = Math.min(this.threads, Math.ceil(N / 4));
      const perThread = this.raw.matmul_work_floats(MAT_FORM.matmul_atb, T * B, N, N); // (dW += Eᵀ·Y)
      if (perThread > 0) args.work = this.scratch(perThread * sumThreads);
      this.withStruct(SCAN_LAYOUT, args, (p) => {
        this.raw.leaky_rnn_backward_prepare(p);
        this.parallelFor('par_leaky_rnn_backward', p, Math.min(this.threads, Math.ceil(B / 4)));
        this.parallelFor('par_leaky_rnn_backward_sums', p, sumThreads);
      });
    });
  }
}

/** Operands of the fused leaky-RNN scan over time (rate or current form). */
export interface LeakyScanArgs {
  /** 'rate': x leaks and r = f(x) feeds W; 'current': r leaks and f applies to W r + input. */
  mode: 'rate' | 'current';
  transfer: KernelTransfer;
  /** Upper clip of f (e.g. 20 for a clipped ReLU/softplus); default none. */
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

const tensorKernels = defineKernelModule(
  'tensor',
  {
    single: KERNELS_WASM_BASE64,
    threads: KERNELS_WASM_THREADS_BASE64,
    relaxed: KERNELS_WASM_RELAXED_BASE64,
    relaxedThreads: KERNELS_WASM_RELAXED_THREADS_BASE64,
  },
  (m) => new Kernels(m),
);

/**
 * Compiles (once) and instantiates (once per thread) the generic kernels and every model
 * package's kernel module imported so far; async, works everywhere.
 */
export async function initKernels(): Promise<Kernels> {
  await initAllKernelModules();
  return tensorKernels.init();
}

/**
 * The generic kernels, synchronously. In Node and workers this compiles on first use; on a
 * browser's main thread call `await initKernels()` (or `initBackend()`) first.
 */
export function kernels(): Kernels {
  return tensorKernels.get();
}
