/**
 * `wmkit analyze fano runs/dms-1` (Kim & Sejnowski 2021 Fig. 7)
 *
 * Fixation-period Fano factor of each unit (count over the 1-s spontaneous window, across trials)
 * against its neuronal timescale, from the `timescales` sub-run of a model run, or from recorded
 * spikes with --spikes; Spearman's ρ with a permutation p value and a scatter figure.
 */
import { basename } from 'node:path';
import { fanoFigure } from '@wmkit/figures';
import { EI_RUN_KINDS, fanoLine, fanoVsTimescale } from '@wmkit/papers';
import { fanoInputsOfRun, recordedFanoInputs } from '@wmkit/papers/node';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { addEiOptions, addSpikeOptions, addSpikeOut, runOrSpikes, type SpikeOptionValues } from '../../options-models';
import { startRun, subRunDir, writeOutputs } from '../../run-helpers';
import { asUsage, SPIKE_LAYOUTS } from '../data/recordings';

export async function analyzeFano(run: string | undefined, o: SpikeOptionValues & { permutations: number }): Promise<number> {
  const inputs = o.spikes ? await asUsage(() => recordedFanoInputs(o.spikes as string, o)) : fanoInputsOfRun(run as string);
  const out = o.spikes ? (o.out ?? `runs/fano-${basename(o.spikes).replace(/\.[^.]+$/, '')}`) : subRunDir(run as string, 'fano');
  const source = inputs.description ?? (run as string);
  const r = fanoVsTimescale(inputs.counts, inputs.tauMs, inputs.inhibitory, new Rng(1).fork('fano'), o.permutations);
  const dir = await startRun(out, {
    kind: EI_RUN_KINDS.fano,
    config: {
      ...(o.spikes ? { source: o.spikes } : { parent: '..' }),
      binMs: inputs.binMs,
      permutations: o.permutations,
      window: 'all bins after the first',
    },
    seed: null,
    force: o.spikes ? o.force : true,
  });
  writeOutputs(dir, r.arrays, [fanoFigure(r, basename(source))]);
  dir.complete(r.metrics);
  console.log(`${fanoLine(r)} → ${dir.dir}`);
  return 0;
}

export function registerAnalyzeFano(analyze: Command): void {
  const cmd = analyze
    .command('fano [run]')
    .description(
      "fixation-period Fano factor per unit against its neuronal timescale (Kim & Sejnowski 2021 Fig. 7): Spearman's ρ with a permutation p, scatter figure; of a model run's timescales analysis or of recorded spikes (--spikes)",
    );
  addEiOptions(addSpikeOptions(cmd), { permutations: ['shuffles for the p value'] });
  addSpikeOut(cmd, 'fano')
    .addHelpText(
      'after',
      `\n--spikes ${SPIKE_LAYOUTS}\n\nExamples:\n  wmkit analyze fano runs/dms-1          # after wmkit analyze timescales runs/dms-1\n  wmkit analyze fano --spikes pfc_fixation.npy --out runs/pfc-fano\n\nWrites: <run>/fano (or --out): run.json (spearmanRho, spearmanP, pairs, medianFano), fano.npy, tau_ms.npy, fano_vs_tau.svg`,
    )
    .action(runOrSpikes(analyzeFano));
}
