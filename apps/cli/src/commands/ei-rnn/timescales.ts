/**
 * `wmkit analyze timescales runs/dms-1`
 *
 * Kim & Sejnowski 2021: 50 spontaneous trials (1.05 s, no input) of the converted spiking network,
 * spike counts in 50-ms bins, spike-count autocorrelation, exponential fit per unit and for the
 * population. Writes the sub-run `<run>/timescales` with τ per unit and the histogram (log bins).
 */

import { basename } from 'node:path';
import { MIN_TIMESCALE_TRIALS, neuronalTimescales } from '@wmkit/analysis';
import { measureTimescales } from '@wmkit/papers';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { parseIntOption, parsePositiveOption } from '../../options';
import { Progress } from '../../progress';
import { startRun, subRunDir } from '../../run-helpers';
import { loadSpikeCounts, SPIKE_LAYOUTS } from '../data/recordings';
import { loadLifRun, loadRateRun, writeTimescales } from './common';

export const EI_TIMESCALES_KIND = 'ei-rnn.timescales';

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
  const bar = new Progress('  simulating', 1);
  const { counts, result, summary } = measureTimescales(net, new Rng(seed).fork('timescales'), o.trials, (f) => bar.update(f));
  bar.finish(1);
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
    .option(
      '--trials <n>',
      `spontaneous trials of 1.05 s (model runs; ≥ ${MIN_TIMESCALE_TRIALS})`,
      parseIntOption('trials', MIN_TIMESCALE_TRIALS),
      50,
    )
    .option('--spikes <file>', 'recorded spikes instead of a model: .npy, .mat or .nwb (layouts below)')
    .option('--bin-ms <ms>', 'bin width for --spikes (default 50, or the file’s bin_ms)', parsePositiveOption('bin-ms'))
    .option(
      '--window-ms <ms>',
      'analysis window from each trial’s start, for spike times (default: the trial length)',
      parsePositiveOption('window-ms'),
    )
    .option('--out <dir>', 'run directory for --spikes (default runs/timescales-<file>)')
    .option('--force', 'replace an existing run in --out')
    .addHelpText(
      'after',
      `\n--spikes ${SPIKE_LAYOUTS}\n\nExamples:\n  wmkit analyze timescales runs/dms-1\n  wmkit analyze timescales --spikes pfc_units.nwb --window-ms 1000 --out runs/pfc-tau\n` +
        '\nWrites: <run>/timescales (or --out): run.json, counts.npy [trial, unit, 50-ms bin], tau_ms.npy, status.npy,\n' +
        '        rate_hz.npy, autocorrelation.npy, inhibitory.npy (model runs), tau_histogram.svg, autocorrelation.svg',
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
