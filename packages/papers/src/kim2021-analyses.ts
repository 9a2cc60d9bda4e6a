/**
 * Kim & Sejnowski 2021 beyond Fig. 2 and Fig. 5: the simulations behind Fig. 3 (cross-temporal
 * cue decoding by long- and short-timescale units). Plain functions on a converted spiking
 * network; the analyses themselves live in `@wmkit/analysis`.
 */
import { crossTemporalByTimescale, type TimescaleDecoding } from '@wmkit/analysis';
import { type SpikingRNN, simulateSpiking } from '@wmkit/ei-rnn';
import { dmsTask } from '@wmkit/tasks';
import type { NDArray, Rng } from '@wmkit/tensor';

/** The trials of the cross-temporal analysis (defaults: 40 per cue, 50-ms bins). */
export interface KimCrossTemporalOptions {
  /** Trials per cue sign (the authors: 12; more make the decoder's accuracy less noisy). */
  trialsPerCue?: number;
  /** Count bin (ms). */
  binMs?: number;
  onProgress?: (fraction: number) => void;
}

/** Spike counts of the cue trials, their labels, and the long- vs short-τ decoding. */
export interface KimCrossTemporalResult {
  /** Counts [trials, units, bins]. */
  counts: NDArray;
  /** Cue per trial: 1 (+1 stimulus) or 0 (−1). */
  labels: Float32Array;
  /** Bin centres (ms from trial start). */
  timesMs: number[];
  /** Period boundaries (ms): stimulus 1, delay, stimulus 2. */
  periodsMs: { stimulus1: [number, number]; delay: [number, number]; stimulus2: [number, number] };
  decoding: TimescaleDecoding;
}

/**
 * Fig. 3 of Kim & Sejnowski 2021: the spiking network runs the 750-ms-delay DMS trial (411 steps)
 * with both stimuli of the same sign (+1 or −1, `trialsPerCue` each; a one-input network gets
 * both on its one channel, as in the authors' analysis), spikes are counted in bins, and the cue
 * is decoded across time from the long-τ and the short-τ halves of the units (equal counts).
 * The delay accuracy averages the diagonal over the bins wholly inside the delay.
 */
export function kimCrossTemporal(
  net: SpikingRNN,
  tauMs: ArrayLike<number>,
  rng: Rng,
  o: KimCrossTemporalOptions = {},
): KimCrossTemporalResult {
  const per = o.trialsPerCue ?? 40;
  const binMs = o.binMs ?? 50;
  if (!(Number.isInteger(per) && per >= 2)) throw new RangeError(`kimCrossTemporal: trialsPerCue (${per}) must be an integer ≥ 2`);
  const N = net.rate.config.N;
  if (tauMs.length !== N) throw new RangeError(`kimCrossTemporal: ${tauMs.length} timescales for a ${N}-unit network`);
  const task = dmsTask({ variant: 'long' });
  const B = 2 * per;
  const sign = Float32Array.from({ length: B }, (_, i) => (i % 2 === 0 ? 1 : -1));
  const batch = task.trials({ stim1: sign, stim2: sign });
  const T = task.timeline.steps;
  const nIn = net.rate.config.nInputs;
  let inputs = batch.inputs;
  if (nIn === 1) {
    const d = new Float32Array(B * T);
    for (let i = 0; i < B * T; i++) d[i] = batch.inputs.data[2 * i] + batch.inputs.data[2 * i + 1];
    inputs = { data: d, shape: [B, T, 1] };
  } else if (nIn !== 2) throw new RangeError(`kimCrossTemporal: the network has ${nIn} inputs; the DMS cue trials need 1 or 2`);
  const rec = simulateSpiking(net, inputs, rng, { countBinMs: binMs, onProgress: o.onProgress });
  if (!rec.counts) throw new RangeError('kimCrossTemporal: the simulation returned no counts');
  const counts = rec.counts;
  const nBins = counts.shape[2];
  const p = (name: string) => {
    const q = batch.periods.find((x) => x.name === name);
    if (!q) throw new RangeError(`kimCrossTemporal: the DMS trial has no period '${name}'`);
    return [q.startMs, q.endMs] as [number, number];
  };
  const delayMs = p('delay');
  const delay = { from: Math.ceil(delayMs[0] / binMs), to: Math.floor(delayMs[1] / binMs) };
  const labels = Float32Array.from(sign, (s) => (s > 0 ? 1 : 0));
  return {
    counts,
    labels,
    timesMs: Array.from({ length: nBins }, (_, b) => (b + 0.5) * binMs),
    periodsMs: { stimulus1: p('stimulus1'), delay: delayMs, stimulus2: p('stimulus2') },
    decoding: crossTemporalByTimescale(counts, labels, tauMs, delay),
  };
}
