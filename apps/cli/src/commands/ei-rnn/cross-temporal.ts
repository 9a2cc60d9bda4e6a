/**
 * `wmkit analyze cross-temporal runs/dms-1` (Kim & Sejnowski 2021 Fig. 3)
 *
 * Cross-temporal decoding of the cue from the spiking activity of the long-τ and the short-τ
 * halves of the units (equal counts): the converted network runs the 750-ms-delay trial with
 * each cue (`kimCrossTemporal` of @wmkit/papers); or recorded counts with --spikes, --labels and
 * --tau. Writes the sub-run `<run>/cross-temporal` with both matrices and the delay accuracies.
 */
import { basename } from 'node:path';
import { crossTemporalFigure } from '@wmkit/figures';
import { crossTemporalArrays, crossTemporalLine, crossTemporalMetrics, EI_RUN_KINDS, kimCrossTemporal } from '@wmkit/papers';
import { recordedCrossTemporal, timescalesOfRun } from '@wmkit/papers/node';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { parseIntOption, parseListOption } from '../../options';
import { addSpikeOptions, addSpikeOut, runOrSpikes, type SpikeOptionValues } from '../../options-models';
import { Progress } from '../../progress';
import { startRun, subRunDir, writeOutputs } from '../../run-helpers';
import { asUsage, SPIKE_LAYOUTS } from '../data/recordings';
import { loadLifRun, loadRateRun } from './common';

interface Options extends SpikeOptionValues {
  trialsPerCue: number;
  labels?: string;
  tau?: string;
  delayMs?: number[];
}

/** Recorded counts, cue labels and τ (--spikes, --labels, --tau, --delay-ms). */
async function decodeRecorded(o: Options) {
  if (!o.spikes || !o.labels || !o.tau || !o.delayMs)
    throw new UsageError('--spikes needs --labels <file.npy> (cue per trial), --tau <file.npy> (τ per unit, ms) and --delay-ms <from,to>');
  if (o.delayMs.length !== 2 || !(o.delayMs[0] < o.delayMs[1]))
    throw new UsageError(`--delay-ms must be two increasing times, got ${o.delayMs.join(',')}`);
  const { spikes, labels, tau, delayMs } = o;
  const r = await asUsage(() => recordedCrossTemporal({ spikes, labels, tau, delayMs }, o));
  const out = o.out ?? `runs/cross-temporal-${basename(o.spikes).replace(/\.[^.]+$/, '')}`;
  const config = { source: spikes, labels, tau, binMs: r.binMs, delayMs };
  return { ...r, counts: null, out, title: basename(spikes), config, seed: null };
}

/** The converted network of a model run on the 750-ms-delay trial with each cue. */
function decodeModel(run: string, o: Options) {
  const rate = loadRateRun(run);
  const { net, inverseScale } = loadLifRun(run, rate.model); // no spiking network: names `wmkit convert lif`
  const tau = timescalesOfRun(run);
  console.log(
    `▶ cross-temporal decoding of ${run} (spiking, 1/λ = ${inverseScale}): ${o.trialsPerCue} trials per cue of the 750-ms-delay trial`,
  );
  const bar = new Progress('  simulating', 1);
  const r = kimCrossTemporal(net, tau, new Rng(rate.seed).fork('cross-temporal'), {
    trialsPerCue: o.trialsPerCue,
    onProgress: (f) => bar.update(f),
  });
  bar.finish(1);
  const config = { parent: '..', trialsPerCue: o.trialsPerCue, binMs: 50, inverseScale, periodsMs: r.periodsMs };
  const out = subRunDir(run, 'cross-temporal');
  return { decoding: r.decoding, counts: r.counts, labels: r.labels, timesMs: r.timesMs, out, title: run, config, seed: rate.seed };
}

export async function analyzeCrossTemporal(run: string | undefined, o: Options): Promise<number> {
  const d = o.spikes ? await decodeRecorded(o) : decodeModel(run as string, o);
  const dir = await startRun(d.out, { kind: EI_RUN_KINDS.crossTemporal, config: d.config, seed: d.seed, force: o.spikes ? o.force : true });
  writeOutputs(dir, crossTemporalArrays(d.decoding, d.labels, d.counts), [crossTemporalFigure(d.decoding, d.timesMs, d.title)]);
  dir.complete(crossTemporalMetrics(d.decoding));
  console.log(`✓ ${crossTemporalLine(d.decoding)} → ${dir.dir}`);
  return 0;
}

export function registerAnalyzeCrossTemporal(analyze: Command): void {
  const cmd = analyze
    .command('cross-temporal [run]')
    .description(
      'cross-temporal decoding of the cue from spiking activity of the long-τ vs the short-τ half of the units (Kim & Sejnowski 2021 Fig. 3): decoding matrices and delay accuracy per group; of a converted model run, or of recorded counts (--spikes with --labels, --tau, --delay-ms)',
    )
    .option('--trials-per-cue <n>', 'model runs: trials per cue sign of the 750-ms-delay trial', parseIntOption('trials-per-cue', 2), 40)
    .option('--labels <file>', 'with --spikes: .npy with the cue of each trial (two values)')
    .option('--tau <file>', 'with --spikes: .npy with τ per unit in ms (NaN: none), e.g. tau_ms.npy of `wmkit analyze timescales --spikes`')
    .option('--delay-ms <from,to>', 'with --spikes: the delay period (ms from trial start)', parseListOption('delay-ms'));
  addSpikeOut(addSpikeOptions(cmd, 'recorded spikes: .npy, .mat or .nwb (layouts below)'), 'cross-temporal')
    .addHelpText(
      'after',
      `\nA model run needs its spiking network (wmkit convert lif <run>) and timescales (wmkit analyze timescales <run>).\n--spikes ${SPIKE_LAYOUTS}\n\nExamples:\n  wmkit analyze cross-temporal runs/dms-1\n  wmkit analyze cross-temporal --spikes cue_counts.npy --labels cue.npy --tau tau_ms.npy --delay-ms 500,1500 --out runs/pfc-ct\n\nWrites: <run>/cross-temporal (or --out): run.json (longDelayAccuracy, shortDelayAccuracy, unitsPerGroup), decoding_long.npy,\n  decoding_short.npy [train bin × test bin], long_units.npy, short_units.npy, labels.npy, counts.npy (model runs), cross_temporal.svg`,
    )
    .action(runOrSpikes(analyzeCrossTemporal, 'with --labels, --tau and --delay-ms'));
}
