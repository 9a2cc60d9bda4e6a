/**
 * The binding of the LIF-network kernel (csrc/lif.c, built by scripts/build-kernels.sh into
 * ./wasm-binary.ts): B trials of a LIF network with double-exponential synapses advanced in
 * wasm, event-driven. The reference it is tested against is `simulateSpikingReference`
 * (../spiking.ts); the equations are in docs/models/ei-rnn.md.
 */
import { defineKernelModule, type KernelBuffer, KernelHost, type Rng, StructLayout } from '@wmkit/tensor';
import { KERNELS_WASM_BASE64, KERNELS_WASM_THREADS_BASE64 } from './wasm-binary';

/** Arguments of `lifNetworkRun` (buffers live in this module's memory; see csrc/lif.c). */
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

/** Memory layout of `LifRunArgs` as the `lif_args` struct of csrc/lif.c. */
export const LIF_LAYOUT = new StructLayout<LifRunArgs>('lif_args', [
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

/** The compiled LIF-network kernel module (csrc/lif.c) of one thread; get it with `lifKernels()`. */
export class LifKernels extends KernelHost {
  constructor(m: WebAssembly.Module) {
    super(m, [LIF_LAYOUT as StructLayout<never>]);
  }

  /**
   * Advances a LIF network `args.steps` steps (see csrc/lif.c); voltage noise continues `rng`'s
   * stream. Returns the number of spikes.
   */
  lifNetworkRun(args: LifRunArgs, rng: Rng): number {
    const run = (this.exports as unknown as { lif_network_run(a: number, s: number): number }).lif_network_run;
    return this.withRngState(rng, (state) => this.withStruct(LIF_LAYOUT, args, (ptr) => run(ptr, state.ptr)));
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
