/**
 * The binding of the rate-ring kernel (csrc/ring.c, built by scripts/build-kernels.sh into
 * ./wasm-binary.ts): batched firing-rate ring networks advanced in wasm. The reference it is
 * tested against is ../ring-dense.ts; the equations are in docs/models/attractors.md.
 */
import { defineKernelModule, type KernelBuffer, KernelHost, StructLayout } from '@wmkit/tensor';
import { KERNELS_WASM_BASE64, KERNELS_WASM_THREADS_BASE64 } from './wasm-binary';

/** Arguments of `ringNetworkRun` (see csrc/ring.c). */
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
  /** Noise SD of one step for the E units (σ_E/√dt, see `ringNoisePerStep`). */
  sigE: number;
  /** Noise SD of one step for each I unit (σ_I/√dt; the mean gets sigI/√N_I). */
  sigI: number;
  kE: number;
  kI: number;
  kM: number;
  aM: number;
  /** Decaying model: the intrinsic current's gate r/(1 + e^{−gateSlope·(r − gateThreshold)}). */
  gateSlope: number;
  gateThreshold: number;
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
  /** Decode without the trial's recorded units (see csrc/ring.c). */
  excludeRecorded: boolean;
}

/** The struct as the kernel reads it: `RingRunArgs` plus the per-thread work memory and the flag the kernel's preparation sets. */
export interface RingKernelArgs extends RingRunArgs {
  /** Work memory: `ring_work_floats(N)` floats for each kernel thread. */
  work: KernelBuffer;
  /** Set by the kernel's preparation: 1 when the circulant product goes through the ring's symmetry. */
  sym: number;
}

/** Memory layout of `RingKernelArgs` as the `ring_args` struct of csrc/ring.c. */
export const RING_LAYOUT = new StructLayout<RingKernelArgs>('ring_args', [
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
  ['gateSlope', 'f64'],
  ['gateThreshold', 'f64'],
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
  ['work', 'ptr'],
  ['sym', 'i32'],
]);

/** The compiled rate-ring kernel module (csrc/ring.c) of one thread; get it with `ringKernels()`. */
export class RingKernels extends KernelHost {
  constructor(m: WebAssembly.Module) {
    super(m, [RING_LAYOUT as StructLayout<never>]);
  }

  /**
   * Advances batched ring networks `args.steps` steps (see csrc/ring.c). `args.rng` holds one
   * generator state per trial (4 uint32 words each, see `Rng.getState`), updated in place. The
   * trials are split across the kernel threads (`setKernelThreads`, `WMKIT_THREADS`) in blocks
   * of 4; each trial is computed the same way on any thread, so results are identical for any
   * thread count.
   */
  ringNetworkRun(args: RingRunArgs): void {
    const ex = this.exports as unknown as { ring_work_floats(N: number): number; ring_network_prepare(a: number): void };
    const threads = Math.max(1, Math.min(this.threads, Math.ceil(args.B / 4)));
    this.scope(() => {
      const work = this.scratch(threads * ex.ring_work_floats(args.N));
      this.withStruct(RING_LAYOUT, { ...args, work, sym: 0 }, (p) => {
        ex.ring_network_prepare(p);
        this.parallelFor('par_ring_network_run', p, threads);
      });
    });
  }
}

const ringModule = defineKernelModule(
  'attractor-models/ring',
  { single: KERNELS_WASM_BASE64, threads: KERNELS_WASM_THREADS_BASE64 },
  (m) => new RingKernels(m),
);

/** The ring kernel of this thread (compiled on first use in Node; `initKernels()` first in a browser). */
export function ringKernels(): RingKernels {
  return ringModule.get();
}
