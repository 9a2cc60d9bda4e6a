/**
 * The binding of the LIF-network kernel (csrc/lif.c, built by scripts/build-kernels.sh into
 * ./wasm-binary.ts): B trials of a LIF network with double-exponential synapses advanced in
 * wasm, event-driven. The reference it is tested against is `simulateSpikingReference`
 * (../spiking.ts); the equations are in docs/models/ei-rnn.md.
 */
import { defineKernelModule, type KernelBuffer, KernelHost, StructLayout } from '@wmkit/tensor';
import { KERNELS_WASM_BASE64, KERNELS_WASM_THREADS_BASE64 } from './wasm-binary';

/** Arguments of `lifNetworkRun` (buffers live in this module's memory; see csrc/lif.c). */
export interface LifRunArgs {
  B: number;
  N: number;
  K: number;
  /** Rate steps this call advances (each `stepsPerRateStep` LIF steps, the input held). */
  rateSteps: number;
  /** Index of the call's first LIF step in the simulation (for the count bins). */
  firstStep: number;
  stepsPerRateStep: number;
  ext: KernelBuffer;
  /** [N, N] W_spk transposed, or [nets, N, N] with `lambdas` (one block per network). */
  WT: KernelBuffer;
  wOut: KernelBuffer;
  /** [N] float32: each unit's synaptic decay factor per step. */
  decayD: KernelBuffer;
  /** [N] float32: each unit's spike increment 1/(τ_r τ_d). */
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
  /** [rasterTrials, rateSteps·stepsPerRateStep·N] int32: trial b's spikes of this call as s·N + j (s: step in the call), in order (or null). */
  raster: KernelBuffer | null;
  rasterTrials: number;
  /** [rasterTrials] int32: how many entries of each trial's raster row this call wrote. */
  rasterCount: KernelBuffer;
  /** [B, N] int32: spikes per trial and unit, accumulated over calls. */
  unitSpikes: KernelBuffer;
  /** [B, 4] uint32: each trial's xoshiro128** noise generator, advanced by the call. */
  rng: KernelBuffer;
  dense: boolean;
  /** [nets] float64: each network's λ when the call runs several networks (else null: one, λ = `lambda`). */
  lambdas: KernelBuffer | null;
  /** [B] int32: the network each trial runs (with `lambdas`). */
  trialNet: KernelBuffer | null;
}

/** Memory layout of `LifRunArgs` as the `lif_args` struct of csrc/lif.c. */
export const LIF_LAYOUT = new StructLayout<LifRunArgs>('lif_args', [
  ['B', 'i32'],
  ['N', 'i32'],
  ['K', 'i32'],
  ['rateSteps', 'i32'],
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
  ['rasterCount', 'ptr'],
  ['unitSpikes', 'ptr'],
  ['rng', 'ptr'],
  ['dense', 'i32'],
  ['lambdas', 'ptr'],
  ['trialNet', 'ptr'],
]);

/** The compiled LIF-network kernel module (csrc/lif.c) of this thread, with its kernel threads; get it with `lifKernels()`. */
export class LifKernels extends KernelHost {
  constructor(m: WebAssembly.Module) {
    super(m, [LIF_LAYOUT as StructLayout<never>]);
  }

  /**
   * Advances the B trials of a LIF network `args.rateSteps` rate steps (see csrc/lif.c), the trials split
   * across this module's threads (`threads`, at most one per trial); voltage noise continues each
   * trial's generator in `args.rng`. The results are the same for any number of threads.
   */
  lifNetworkRun(args: LifRunArgs, threads = this.threads): void {
    this.withStruct(LIF_LAYOUT, args, (ptr) => this.parallelFor('par_lif_network_run', ptr, Math.max(1, Math.min(threads, args.B))));
  }
}

const lifModule = defineKernelModule(
  'ei-rnn/lif',
  { single: KERNELS_WASM_BASE64, threads: KERNELS_WASM_THREADS_BASE64 },
  (m) => new LifKernels(m),
);

/** The LIF-network kernel of this thread (compiled on first use in Node; `initKernels()` first in a browser). */
export function lifKernels(): LifKernels {
  return lifModule.get();
}
