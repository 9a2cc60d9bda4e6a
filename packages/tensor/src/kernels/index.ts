/**
 * wmkit's generic WebAssembly kernels (C in packages/tensor/csrc, built by
 * scripts/build-kernels.sh, embedded as base64): GEMM, the leaky recurrent scan and its BPTT,
 * transfer functions, the Rng's normal generator and the optimisers — fused loops that
 * TensorFlow.js would run as thousands of small ops, with wasm SIMD. Single-threaded and
 * deterministic: wasm float arithmetic is IEEE-exact with no implicit FMA, so results are
 * bit-identical on every engine. Model packages define their own kernel modules on the same host
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
import { checkSizes, defineKernelModule, initAllKernelModules, type KernelBuffer, KernelHost, type ModuleExports } from './host';
import { KERNELS_WASM_BASE64 } from './wasm-binary';

export {
  checkSizes,
  defineKernelModule,
  type FieldType,
  KernelBuffer,
  KernelHost,
  type KernelModule,
  type ModuleExports,
  StructLayout,
} from './host';

interface RawExports extends ModuleExports {
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

/** tensor's generic kernels on their own module and memory. */
export class Kernels extends KernelHost {
  private get raw(): RawExports {
    return this.exports as RawExports;
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

const tensorKernels = defineKernelModule('tensor', KERNELS_WASM_BASE64, (m) => new Kernels(m));

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
