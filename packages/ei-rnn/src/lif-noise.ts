/**
 * The voltage noise of the converted LIF network (`simulateSpiking` and its engines): every trial
 * has a generator of its own, forked from the simulation's noise stream by the trial's index
 * (`noiseRng.fork('trial<b>')`), and draws one N(0, σ²) value per neuron per LIF step, in unit
 * order. A trial's noise therefore depends only on the seed and its index, not on how many trials
 * run beside it or which thread runs it, so the wasm kernel can split trials across threads and
 * still match the JavaScript reference spike for spike.
 */
import { gaussianNoise } from '@wmkit/core-neuron';
import type { Rng } from '@wmkit/tensor';

/** The per-trial noise generators of a LIF simulation of B trials of N neurons with σ = `std` (mV). */
export class LifTrialNoise {
  /** Trial b's generator: `noiseRng.fork('trial' + b)`. */
  readonly streams: Rng[];

  constructor(
    noiseRng: Rng,
    B: number,
    private readonly N: number,
    private readonly std: number,
  ) {
    this.streams = Array.from({ length: B }, (_, b) => noiseRng.fork(`trial${b}`));
  }

  /** One LIF step's noise, out [B, N]: row b holds trial b's next N draws (unit order). */
  draw(out: Float32Array): void {
    const N = this.N;
    this.streams.forEach((g, b) => {
      gaussianNoise(out.subarray(b * N, (b + 1) * N), this.std, g);
    });
  }

  /** The generators' states, 4 uint32 words per trial ([B, 4]), as the kernel takes them. */
  states(): Uint32Array {
    const s = new Uint32Array(4 * this.streams.length);
    this.streams.forEach((g, b) => {
      s.set(g.getState(), 4 * b);
    });
    return s;
  }
}
