/**
 * `wmkit analyze timescales runs/dms-1`
 *
 * Kim & Sejnowski 2021: 50 spontaneous trials (1.05 s, no input) of the converted spiking network,
 * spike counts in 50-ms bins, spike-count autocorrelation, exponential fit per unit and for the
 * population. Writes the sub-run `<run>/timescales` with τ per unit and the histogram (log bins).
 */

import { basename } from 'node:path';
import { neuronalTimescales, type TimescaleResult, timescaleHistogram } from '@wmkit/analysis';
import type { RunDirectory } from '@wmkit/data-io/node';
import { type RateRNN, type SpikingRNN, spontaneousCounts } from '@wmkit/ei-rnn';
import type { NDArray, Rng } from '@wmkit/tensor';
import { Rng as RngClass } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { autocorrelationSvg, timescaleHistogramSvg } from '../../figures/ei-rnn';
import { parseIntOption, parseNumberOption } from '../../options';
import { Progress } from '../../progress';
import { startRun, subRunDir } from '../../run-helpers';
import { loadSpikeCounts, SPIKE_LAYOUTS } from '../data/recordings';
import { loadLifRun, loadRateRun } from './common';

export const EI_TIMESCALES_KIND = 'ei-rnn.timescales';

const STATUS_CODES = [
  'ok',
  'low-rate',
  'undefined-autocorrelation',
  'late-peak',
  'tau-out-of-range',
  'negative-amplitude',
  'fit-failed',
] as const;

export interface TimescaleSummary {
  included: number;
  medianTauMs: number;
  q25: number;
  q75: number;
  populationTauMs: number | null;
  populationAllUnitsTauMs: number | null;
  meanRateHz: number;
}

/** Simulates spontaneous activity and fits timescales. */
export function measureTimescales(
  net: SpikingRNN,
  rng: Rng,
  trials: number,
  label: string,
): { counts: NDArray; result: TimescaleResult; summary: TimescaleSummary } {
  const bar = new Progress(label, 1);
  const { counts, meanRateHz } = spontaneousCounts(net, rng, { trials, onProgress: (f) => bar.update(f) });
  bar.finish(1);
  const result = neuronalTimescales(counts);
  const ok = result.units.filter((u) => u.status === 'ok');
  return {
    counts,
    result,
    summary: {
      included: ok.length,
      medianTauMs: result.quantiles.median,
      q25: result.quantiles.q25,
      q75: result.quantiles.q75,
      populationTauMs: result.population?.tauMs ?? null,
      populationAllUnitsTauMs: result.populationAllUnits?.tauMs ?? null,
      meanRateHz: meanRateHz.reduce((a, v) => a + v, 0) / meanRateHz.length,
    },
  };
}

/** Writes τ per unit, autocorrelations and the figures into a run. */
export function writeTimescales(
  run: RunDirectory,
  model: RateRNN | null,
  counts: NDArray,
  result: TimescaleResult,
  title: string,
  what = 'the spontaneous period',
): void {
  const N = counts.shape[1];
  const K = result.options.maxLag;
  run.writeArray('counts', counts, {
    dtype: 'int32',
    description: `spike counts [trial, unit, ${result.options.binMs}-ms bin] of ${what}`,
  });
  run.writeArray(
    'tau_ms',
    { data: Float32Array.from(result.units, (u) => (u.status === 'ok' ? u.tauMs : Number.NaN)), shape: [N] },
    { description: 'timescale per unit (NaN: excluded)' },
  );
  run.writeArray(
    'status',
    { data: Int32Array.from(result.units, (u) => STATUS_CODES.indexOf(u.status)), shape: [N] },
    { description: `0 ${STATUS_CODES.map((s, i) => `${i}=${s}`).join(', ')}` },
  );
  run.writeArray('rate_hz', { data: Float32Array.from(result.units, (u) => u.rateHz), shape: [N] });
  run.writeArray(
    'autocorrelation',
    { data: Float32Array.from(result.autocorrelation), shape: [N, K] },
    { description: `R(k), k = 1..${K} bins of ${result.options.binMs} ms` },
  );
  if (model) run.writeArray('inhibitory', { data: Uint8Array.from(model.sign, (s) => (s < 0 ? 1 : 0)), shape: [N] }, { dtype: 'bool' });
  const taus = result.units.filter((u) => u.status === 'ok').map((u) => u.tauMs);
  const hist = timescaleHistogram(taus);
  run.addFigure(
    'tau_histogram',
    timescaleHistogramSvg(hist.edges, hist.counts, { title, median: result.quantiles.median }),
    'neuronal timescales, log bins 10^0.7–10^2.7 ms',
  );
  const pop = result.population;
  const lags = Array.from({ length: K }, (_, i) => (i + 1) * result.options.binMs);
  run.addFigure(
    'autocorrelation',
    autocorrelationSvg(
      lags,
      Array.from(result.meanAutocorrelation),
      pop ? (l) => pop.amplitude * (Math.exp(-l / pop.tauMs) + pop.offset) : null,
      `${title}: population autocorrelation`,
    ),
    'mean peak-aligned spike-count autocorrelation of included units, with the exponential fit',
  );
}

export async function analyzeTimescales(dir: string, o: { trials: number }): Promise<number> {
  const { model, seed } = loadRateRun(dir);
  const { net, inverseScale } = loadLifRun(dir, model);
  const out = subRunDir(dir, 'timescales');
  const run = await startRun(out, {
    kind: EI_TIMESCALES_KIND,
    config: { parent: '..', trials: o.trials, durationMs: 1050, binMs: 50, inverseScale },
    seed,
    force: true,
  });
  console.log(`▶ timescales of ${dir} (spiking, 1/λ = ${inverseScale}): ${o.trials} spontaneous trials of 1.05 s → ${out}`);
  const { counts, result, summary } = measureTimescales(net, new RngClass(seed).fork('timescales'), o.trials, '  simulating');
  writeTimescales(run, model, counts, result, `${dir}: neuronal timescales`);
  run.complete({ ...summary, units: model.config.N, longUnits: result.longUnits.length, shortUnits: result.shortUnits.length });
  console.log(
    `✓ ${summary.included}/${model.config.N} units fitted: median τ ${summary.medianTauMs.toFixed(1)} ms (IQR ${summary.q25.toFixed(1)}–${summary.q75.toFixed(1)}), population τ ${summary.populationTauMs?.toFixed(1) ?? 'n/a'} ms, mean rate ${summary.meanRateHz.toFixed(1)} Hz`,
  );
  return 0;
}

/** Timescales of recorded spike data (any layout of `loadSpikeCounts`). */
export async function analyzeRecordedTimescales(
  file: string,
  o: { binMs?: number; windowMs?: number; out?: string; force?: boolean },
): Promise<number> {
  const { counts, binMs, description } = await loadSpikeCounts(file, o);
  const out = o.out ?? `runs/timescales-${basename(file).replace(/\.[^.]+$/, '')}`;
  const run = await startRun(out, {
    kind: EI_TIMESCALES_KIND,
    config: { source: file, binMs, shape: counts.shape, description },
    seed: null,
    force: o.force,
  });
  console.log(`▶ timescales of ${description} (${binMs}-ms bins) → ${run.dir}`);
  const result = neuronalTimescales(counts, { binMs });
  writeTimescales(run, null, counts, result, `${basename(file)}: neuronal timescales`, basename(file));
  const ok = result.units.filter((u) => u.status === 'ok');
  const summary = {
    units: counts.shape[1],
    included: ok.length,
    medianTauMs: result.quantiles.median,
    q25: result.quantiles.q25,
    q75: result.quantiles.q75,
    populationTauMs: result.population?.tauMs ?? null,
  };
  run.complete(summary);
  console.log(
    `✓ ${summary.included}/${summary.units} units fitted: median τ ${Number.isFinite(summary.medianTauMs) ? summary.medianTauMs.toFixed(1) : 'n/a'} ms, population τ ${summary.populationTauMs?.toFixed(1) ?? 'n/a'} ms → ${run.dir}`,
  );
  return 0;
}

export function registerAnalyzeTimescales(analyze: Command): void {
  analyze
    .command('timescales [run]')
    .description(
      'neuronal timescales (Kim & Sejnowski 2021): of a converted E/I network (spontaneous activity), or of recorded spikes with --spikes; spike-count autocorrelation, exponential fits, histogram',
    )
    .option('--trials <n>', 'spontaneous trials of 1.05 s (model runs)', parseIntOption('trials', 1), 50)
    .option('--spikes <file>', 'recorded spikes instead of a model: .npy, .mat or .nwb (layouts below)')
    .option('--bin-ms <ms>', 'bin width for --spikes (default 50, or the file’s bin_ms)', parseNumberOption('bin-ms'))
    .option(
      '--window-ms <ms>',
      'analysis window from each trial’s start, for spike times (default: the trial length)',
      parseNumberOption('window-ms'),
    )
    .option('--out <dir>', 'run directory for --spikes (default runs/timescales-<file>)')
    .option('--force', 'replace an existing run in --out')
    .addHelpText(
      'after',
      `\n--spikes ${SPIKE_LAYOUTS}\n\nExamples:\n  wmkit analyze timescales runs/dms-1\n  wmkit analyze timescales --spikes pfc_units.nwb --window-ms 1000 --out runs/pfc-tau`,
    )
    .action(
      async (
        run: string | undefined,
        o: { trials: number; spikes?: string; binMs?: number; windowMs?: number; out?: string; force?: boolean },
      ) => {
        if (o.spikes) {
          if (run) throw new UsageError('give either a model run or --spikes <file>, not both');
          process.exitCode = await analyzeRecordedTimescales(o.spikes, o);
          return;
        }
        if (!run) throw new UsageError('give a model run (e.g. runs/dms-1) or --spikes <file> with recorded spikes');
        process.exitCode = await analyzeTimescales(run, o);
      },
    );
}
