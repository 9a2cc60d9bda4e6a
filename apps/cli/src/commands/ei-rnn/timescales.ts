/**
 * `wmkit analyze timescales runs/dms-1`
 *
 * Kim & Sejnowski 2021: 50 spontaneous trials (1.05 s, no input) of the converted spiking network,
 * spike counts in 50-ms bins, spike-count autocorrelation, exponential fit per unit and for the
 * population. Writes the sub-run `<run>/timescales` with τ per unit and the histogram (log bins).
 */
import { neuronalTimescales, type TimescaleResult, timescaleHistogram } from '@wmkit/analysis';
import type { RunDirectory } from '@wmkit/data-io/node';
import { type RateRNN, type SpikingRNN, spontaneousCounts } from '@wmkit/ei-rnn';
import type { NDArray, Rng } from '@wmkit/tensor';
import { Rng as RngClass } from '@wmkit/tensor';
import type { Command } from 'commander';
import { autocorrelationSvg, timescaleHistogramSvg } from '../../figures/ei-rnn';
import { Progress } from '../../progress';
import { startRun, subRunDir } from '../../run-helpers';
import { loadLifRun, loadRateRun, parseIntOption } from './common';

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
export function writeTimescales(run: RunDirectory, model: RateRNN, counts: NDArray, result: TimescaleResult, title: string): void {
  const N = model.config.N;
  const K = result.options.maxLag;
  run.writeArray('counts', counts, { dtype: 'int32', description: 'spike counts [trial, unit, 50-ms bin] of the spontaneous period' });
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
    { description: 'R(k), k = 1..14 bins of 50 ms' },
  );
  run.writeArray('inhibitory', { data: Uint8Array.from(model.sign, (s) => (s < 0 ? 1 : 0)), shape: [N] }, { dtype: 'bool' });
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

export function registerAnalyzeTimescales(analyze: Command): void {
  analyze
    .command('timescales <run>')
    .description(
      'neuronal timescales of a converted E/I network: spike-count autocorrelation of spontaneous activity, exponential fits, histogram (Kim & Sejnowski 2021)',
    )
    .option('--trials <n>', 'spontaneous trials of 1.05 s', parseIntOption('trials'), 50)
    .action(async (run: string, o: { trials: number }) => {
      process.exitCode = await analyzeTimescales(run, o);
    });
}
