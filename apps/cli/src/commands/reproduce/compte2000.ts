/**
 * `wmkit reproduce compte2000 [--trials 32] [--quick]`
 *
 * Compte et al. 2000 end to end: cue-only trials (raster, bump heat map, rate profile, drift of
 * the memory through the delay) and a distractor grid (3 strengths × 3 distances), written as a
 * run directory with report.md/report.html and figures.
 */

import { distractorCurveSvg, markdownTableRows, renderReport } from '@wmkit/figures';
import { type Compte2000Result, compte2000DistractorRows, compte2000Report } from '@wmkit/papers';
import { compte2000Parallel } from '@wmkit/papers/node';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { collectSet, parseIntOption, parseNumberOption } from '../../options';
import { Progress } from '../../progress';
import { startRun } from '../../run-helpers';
import { type CompteCliOptions, describeSummary, resolveCompteConfig, writeCompteRun } from '../compte2000/common';

interface Options extends CompteCliOptions {
  out: string;
  trials?: number;
  distractorTrials?: number;
  amps?: string;
  distances?: string;
  seed: number;
  quick?: boolean;
  force?: boolean;
  workers?: number;
}

const list = (name: string, v: string) =>
  v.split(',').map((x) => {
    const n = Number(x.trim());
    if (!Number.isFinite(n)) throw new UsageError(`--${name}: '${x}' is not a number (give a comma-separated list, e.g. 45,90,135)`);
    return n;
  });

export async function reproduceCompte2000(o: Options): Promise<number> {
  const config = resolveCompteConfig(o);
  const trials = o.trials ?? (o.quick ? 8 : 32);
  const perCond = o.distractorTrials ?? (o.quick ? 2 : 4);
  const amps = o.amps ? list('amps', o.amps) : [0.5, 1, 2].map((f) => f * config.protocol.cue.ampNa);
  const distances = o.distances ? list('distances', o.distances) : [45, 90, 135];
  const run = await startRun(o.out, {
    kind: 'compte2000.reproduce',
    config: { model: config, trials, distractors: { ampsNa: amps, distancesDeg: distances, trialsPerCondition: perCond } },
    seed: o.seed,
    preset: `compte2000.${o.preset}`,
    force: o.force,
  });
  const total = trials + amps.length * distances.length * perCond;
  console.log(
    `▶ Compte et al. 2000 (${o.preset}, ${config.NE} E + ${config.NI} I): ${trials} cue-only trials + ${amps.length}×${distances.length} distractor conditions × ${perCond} trials → ${run.dir}`,
  );
  const bar = new Progress('  simulating', total, 'trials');
  const t0 = performance.now();
  const res = await compte2000Parallel(
    { config, trials, distractors: { ampsNa: amps, distancesDeg: distances, trialsPerCondition: perCond } },
    { rng: new Rng(o.seed), workers: o.workers, onProgress: (p) => bar.update(p.done, { stage: p.stage }) },
  );
  const seconds = (performance.now() - t0) / 1000;
  bar.finish(total);
  const metrics = writeCompteRun(run, res.main, res.summary, res.seconds.main);
  run.writeArray(
    'distractor_shift_fraction',
    { data: Float32Array.from(res.distractors.map((d) => d.meanFraction)), shape: [amps.length, distances.length] },
    { description: 'mean shift of the end-of-delay memory towards the distractor (fraction of the distance) [strength, distance]' },
  );
  if (res.distractors.length)
    run.addFigure('distractor', distractorCurveSvg(res.distractors, 'Distractor resistance'), 'shift of the memory towards the distractor');
  const { md, html } = renderReport(compte2000Report(res, { seconds, seed: o.seed, preset: o.preset }));
  run.writeFile('report.md', md);
  run.writeFile('report.html', html);
  run.complete({
    ...metrics,
    seconds,
    distractors: res.distractors.map((d) => ({
      ampNa: d.ampNa,
      distanceDeg: d.distanceDeg,
      trials: d.trials,
      resist: d.resist,
      partial: d.partial,
      capture: d.capture,
      lost: d.lost,
      meanShiftFraction: d.meanFraction,
    })),
  });
  console.log(
    `${describeSummary(res.summary)}\n${distractorTable(res)}\n✓ report: ${run.path('report.html')} (and report.md), ${seconds.toFixed(0)} s`,
  );
  return 0;
}

function distractorTable(res: Compte2000Result): string {
  return res.distractors.length ? markdownTableRows(compte2000DistractorRows(res)) : '';
}

export function registerReproduceCompte2000(reproduce: Command): void {
  reproduce
    .command('compte2000')
    .description(
      'Compte et al. 2000 spiking ring: cue-only trials (bump, rates, drift) and a distractor grid; writes report.md/report.html with figures',
    )
    .option('--out <dir>', 'run directory', 'runs/compte2000-reproduce')
    .option('--preset <name>', 'ndx3 (1024 E + 256 I) or paper (2048 E + 512 I)', 'ndx3')
    .option('--size <n>', 'network size N_E (N_I = N_E/4) or N_E+N_I')
    .option('--set <path=value>', 'set a config field, e.g. --set connectivity.sigmaDeg=18 (repeatable)', collectSet)
    .option('--delay <ms>', 'delay (ms)', parseNumberOption('delay'))
    .option('--trials <n>', 'cue-only trials (default 32; --quick 8)', parseIntOption('trials', 2))
    .option('--distractor-trials <n>', 'trials per distractor condition (default 4; --quick 2)', parseIntOption('distractor-trials', 1))
    .option('--amps <nA,...>', 'distractor strengths (default ½, 1, 2 × the cue)')
    .option('--distances <deg,...>', 'distractor distances from the cue (default 45,90,135)')
    .option('--quick', 'fewer trials')
    .option('--workers <n>', 'worker threads (default: all cores)', parseIntOption('workers', 1))
    .option('--seed <n>', 'random seed', parseIntOption('seed', 0), 1)
    .option('--force', 'replace an existing run in --out')
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit reproduce compte2000 --out runs/compte2000\n' +
        '  wmkit reproduce compte2000 --size 256 --trials 4 --distractor-trials 1 --amps 0.2 --distances 90 --delay 1000\n' +
        '\nWrites: run.json, report.md, report.html, cue_angle.npy, response.npy, decoded_angle.npy, record_times_ms.npy,\n' +
        '        neuron_angle.npy, spike_counts_e.npy, pop_rate_e.npy, pop_rate_i.npy, bump_profile.npy, raster_times_ms.npy,\n' +
        '        raster_cells.npy, distractor_shift_fraction.npy [strength, distance], raster.svg, bump_trial0.svg,\n' +
        '        bump_profile.svg, drift.svg, distractor.svg',
    )
    .action(async (o: Options) => {
      process.exitCode = await reproduceCompte2000(o);
    });
}
