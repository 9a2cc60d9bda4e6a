/**
 * `wmkit analyze timescales runs/dms-1`
 *
 * Kim & Sejnowski 2021: 50 spontaneous trials (1.05 s, no input) of the converted spiking network,
 * spike counts in 50-ms bins, spike-count autocorrelation, exponential fit per unit and for the
 * population. Writes the sub-run `<run>/timescales` with τ per unit and the histogram (log bins).
 */

import { basename } from 'node:path';
import { MIN_TIMESCALE_TRIALS, neuronalTimescales, type TimescaleResult } from '@wmkit/analysis';
import type { RunDirectory } from '@wmkit/data-io/node';
import { timescaleFigures, unbiasedTimescaleFigure } from '@wmkit/figures';
import {
  EI_RUN_KINDS,
  measureTimescales,
  recordedTimescaleSummary,
  type TimescaleEstimator,
  timescaleArrays,
  timescaleLine,
  type UnbiasedSummary,
  unbiasedLine,
  unbiasedTimescaleOutputs,
} from '@wmkit/papers';
import { type NDArray, Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { parseIntOption } from '../../options';
import { addSpikeOptions, addSpikeOut, parseEstimator, runOrSpikes, type SpikeOptionValues } from '../../options-models';
import { Progress } from '../../progress';
import { startRun, subRunDir, writeOutputs } from '../../run-helpers';
import { loadSpikeCounts, SPIKE_LAYOUTS } from '../data/recordings';
import { loadLifRun, loadRateRun } from './common';

/** Writes the paper's estimate (and the unbiased one when asked) of `counts`; returns the unbiased summary. */
function writeEstimates(
  run: RunDirectory,
  counts: NDArray,
  result: TimescaleResult,
  o: { sign: ArrayLike<number> | null; binMs: number; title: string; what?: string; estimator: TimescaleEstimator },
) {
  writeOutputs(run, timescaleArrays(counts, result, o.sign, o.what), timescaleFigures(result, o.title));
  if (o.estimator !== 'unbiased') return undefined;
  const u = unbiasedTimescaleOutputs(counts, o.binMs);
  writeOutputs(run, u.arrays, [unbiasedTimescaleFigure(u, o.title)]);
  return u.summary;
}

/** Completes `run` with `metrics` (and the unbiased summary) and prints the result lines. */
function finish(run: RunDirectory, metrics: object, line: string, unbiased: UnbiasedSummary | undefined): number {
  run.complete({ ...metrics, ...(unbiased ? { unbiased } : {}) });
  console.log(line);
  if (unbiased) console.log(`  ${unbiasedLine(unbiased)}`);
  return 0;
}

export async function analyzeTimescales(dir: string, o: { trials: number; estimator?: TimescaleEstimator }): Promise<number> {
  const estimator = o.estimator ?? 'kim';
  const { model, seed } = loadRateRun(dir);
  const { net, inverseScale } = loadLifRun(dir, model);
  const out = subRunDir(dir, 'timescales');
  const config = { parent: '..', trials: o.trials, durationMs: 1050, binMs: 50, inverseScale, estimator };
  const run = await startRun(out, { kind: EI_RUN_KINDS.timescales, config, seed, force: true });
  console.log(`▶ timescales of ${dir} (spiking, 1/λ = ${inverseScale}): ${o.trials} spontaneous trials of 1.05 s → ${out}`);
  const bar = new Progress('  simulating', 1);
  const { counts, result, summary } = measureTimescales(net, new Rng(seed).fork('timescales'), o.trials, (f) => bar.update(f));
  bar.finish(1);
  const unbiased = writeEstimates(run, counts, result, { sign: model.sign, binMs: 50, title: `${dir}: neuronal timescales`, estimator });
  const N = model.config.N;
  const metrics = { ...summary, units: N, longUnits: result.longUnits.length, shortUnits: result.shortUnits.length };
  return finish(run, metrics, timescaleLine(summary, N), unbiased);
}

/** The options of an analysis of recorded spikes. */
type RecordedOptions = SpikeOptionValues & { estimator?: TimescaleEstimator };

/** Timescales of recorded spike data (any layout of `loadSpikeCounts`). */
export async function analyzeRecordedTimescales(file: string, o: RecordedOptions): Promise<number> {
  const estimator = o.estimator ?? 'kim';
  const { counts, binMs, description } = await loadSpikeCounts(file, o);
  const out = o.out ?? `runs/timescales-${basename(file).replace(/\.[^.]+$/, '')}`;
  const config = { source: file, binMs, shape: counts.shape, description, estimator };
  const run = await startRun(out, { kind: EI_RUN_KINDS.timescales, config, seed: null, force: o.force });
  console.log(`▶ timescales of ${description} (${binMs}-ms bins) → ${run.dir}`);
  const result = neuronalTimescales(counts, { binMs });
  const title = `${basename(file)}: neuronal timescales`;
  const unbiased = writeEstimates(run, counts, result, { sign: null, binMs, title, what: basename(file), estimator });
  const summary = recordedTimescaleSummary(result, counts.shape[1]);
  return finish(run, summary, `${timescaleLine(summary, summary.units)} → ${run.dir}`, unbiased);
}

type TimescalesOptions = RecordedOptions & { trials: number };

export function registerAnalyzeTimescales(analyze: Command): void {
  const cmd = analyze
    .command('timescales [run]')
    .description(
      'neuronal timescales (Kim & Sejnowski 2021): of a converted E/I network (spontaneous activity), or of recorded spikes with --spikes; spike-count autocorrelation, exponential fits, histogram',
    )
    .option(
      '--trials <n>',
      `spontaneous trials of 1.05 s (model runs; ≥ ${MIN_TIMESCALE_TRIALS})`,
      parseIntOption('trials', MIN_TIMESCALE_TRIALS),
      50,
    );
  addSpikeOptions(cmd, undefined, 'analysis window from each trial’s start, for spike times (default: the trial length)').option(
    '--estimator <name>',
    "kim (the paper's exponential fit, default) or unbiased (also a posterior per unit that models the finite 50-trial × 1-s window: median and 95% credible interval)",
    parseEstimator,
    'kim',
  );
  addSpikeOut(cmd, 'timescales')
    .addHelpText(
      'after',
      `\n--spikes ${SPIKE_LAYOUTS}\n\nExamples:\n  wmkit analyze timescales runs/dms-1\n  wmkit analyze timescales runs/dms-1 --estimator unbiased\n  wmkit analyze timescales --spikes pfc_units.nwb --window-ms 1000 --out runs/pfc-tau\n\nWrites: run.json, counts, tau_ms, status, rate_hz, autocorrelation (.npy), tau_histogram.svg, autocorrelation.svg;\n  with --estimator unbiased also tau_unbiased_ms, tau_unbiased_lower_ms, tau_unbiased_upper_ms, tau_unbiased_status,\n  tau_grid_ms, tau_posterior (.npy) and tau_unbiased_histogram.svg`,
    )
    .action(
      runOrSpikes((run: string | undefined, o: TimescalesOptions) =>
        o.spikes ? analyzeRecordedTimescales(o.spikes, o) : analyzeTimescales(run as string, o),
      ),
    );
}
