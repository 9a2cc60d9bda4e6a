/**
 * The inputs of the E/I RNN analyses read from files (Node only): τ per unit of a model run's
 * timescales analysis, the counts and τ a Fano-factor analysis takes (of a model run, or of
 * recorded spikes with τ from the paper's estimator), and a network of the weights analysis.
 */
import { neuronalTimescales } from '@wmkit/analysis';
import type { NDArray } from '@wmkit/tensor';
import type { WeightsNetwork } from '../ei-rnn-runs';
import { tauPerUnit } from '../kim2021';
import { type RecordingReadOptions, readSpikeCounts } from './recordings';
import { medianTausOfRun, readRateRun, readTimescalesRun } from './runs';

/** τ per unit (NaN: excluded) from a model run's timescales analysis (an error naming the command that makes it). */
export function timescalesOfRun(dir: string): Float32Array {
  return readTimescalesRun(dir, ['tau_ms']).tau_ms.data as Float32Array;
}

/** What the Fano-factor analysis takes: counts [trial, unit, bin], τ per unit, E/I identity, bin width. */
export interface FanoInputs {
  /** What the counts are (recorded data). */
  description?: string;
  counts: NDArray;
  tauMs: ArrayLike<number>;
  inhibitory: ArrayLike<number> | null;
  binMs: number;
}

/** Counts, τ and E/I identity from a model run's timescales analysis (a clear error when it is missing). */
export function fanoInputsOfRun(dir: string): FanoInputs {
  const a = readTimescalesRun(dir, ['counts', 'tau_ms'], ['inhibitory']);
  return { counts: a.counts, tauMs: a.tau_ms.data, inhibitory: a.inhibitory?.data ?? null, binMs: 50 };
}

/** Recorded counts (any layout `readSpikeCounts` reads) with τ per unit from the paper's estimator. */
export async function recordedFanoInputs(file: string, o: RecordingReadOptions = {}): Promise<FanoInputs> {
  const { counts, binMs, description } = await readSpikeCounts(file, o);
  const tauMs = tauPerUnit(neuronalTimescales(counts, { binMs }));
  return { counts, binMs, inhibitory: null, tauMs, description };
}

/** One network of the weights analysis: its model and task, and the median τ of its timescales analysis (null: none). */
export function weightsNetworkOfRun(dir: string): WeightsNetwork {
  const r = readRateRun(dir);
  const taus = medianTausOfRun(dir);
  return { run: dir, task: r.task, model: r.model, medianTauMs: taus.kim, unbiasedMedianTauMs: taus.unbiased };
}
