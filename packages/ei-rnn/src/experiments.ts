/**
 * The experiments of Kim & Sejnowski 2021 on converted networks.
 *
 * Spontaneous activity for timescales: 50 trials of 1.05 s without input, spikes counted in
 * 50-ms bins (21 bins; the analysis drops the first).
 * Synapse-class scaling: multiply one block of the recurrent weights (I→I, E→E, E→I or I→E)
 * by a factor (1.3 and 0.7 in the paper) and re-measure timescales and task performance.
 *
 * @example
 * ```ts
 * const counts = spontaneousCounts(toSpiking(model, { scale: 1 / 40 }), rng);   // [50, N, 21]
 * const stronger = scaleSynapses(model, 'ii', 1.3);
 * ```
 */
import { type SynapseClass, scaleSynapseClass } from '@wmkit/core-neuron';
import type { NDArray, Rng } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';
import type { RateRNN } from './rate-rnn';
import { type SpikingRNN, simulateSpiking } from './spiking';
import type { Engine } from './tfjs-engine';
import { cloneRateRNN } from './trainer';

/** Trials, duration and bin width of the spontaneous-activity recording. */
export interface SpontaneousOptions {
  /** Kim & Sejnowski 2021: 50 trials */
  trials: number;
  /** 1.05 s of fixation */
  durationMs: number;
  /** 50-ms bins */
  binMs: number;
  /** Called with the fraction of trials done. */
  onProgress?: (fraction: number) => void;
  /** Which implementation simulates the network (default: the wasm kernel). */
  engine?: Engine;
}

/** Kim & Sejnowski 2021's spontaneous activity: 50 trials of 1.05 s, counted in 50-ms bins. */
export const KIM2021_SPONTANEOUS: SpontaneousOptions = { trials: 50, durationMs: 1050, binMs: 50 };

/** Spike counts [trials, N, bins] of the spiking network with zero input. */
export function spontaneousCounts(
  net: SpikingRNN,
  rng: Rng,
  options: Partial<SpontaneousOptions> = {},
): { counts: NDArray; meanRateHz: Float32Array } {
  const o = { ...KIM2021_SPONTANEOUS, ...options };
  const stepMs = net.rate.config.dtMs;
  const T = Math.round(o.durationMs / stepMs);
  if (Math.abs(T * stepMs - o.durationMs) > 1e-9)
    throw new ShapeError(`spontaneousCounts: duration ${o.durationMs} ms is not a whole number of ${stepMs}-ms steps`);
  const inputs = { data: new Float32Array(o.trials * T * net.rate.config.nInputs), shape: [o.trials, T, net.rate.config.nInputs] };
  const rec = simulateSpiking(net, inputs, rng, { countBinMs: o.binMs, onProgress: o.onProgress, engine: o.engine });
  return { counts: rec.counts as NDArray, meanRateHz: rec.meanRateHz };
}

/** A copy of `model` with one synapse class scaled (rows post, columns pre; 'ii' = I→I). */
export function scaleSynapses(model: RateRNN, block: SynapseClass, factor: number): RateRNN {
  if (!model.config.dale) throw new ShapeError('scaleSynapses: the network has no E/I identity (dale is false)');
  const m = cloneRateRNN(model);
  m.w = scaleSynapseClass(model.w, model.sign, block, factor);
  return m;
}
