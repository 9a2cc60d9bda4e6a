/**
 * `wmkit reproduce compte2000 [--trials 32] [--quick]`
 *
 * Compte et al. 2000 end to end: cue-only trials (raster, bump heat map, rate profile, drift of
 * the memory through the delay) and a distractor grid (3 strengths × 3 distances), written as a
 * run directory with report.md/report.html and figures.
 */

import { distractorCurveSvg, markdownTableRows, renderReport } from '@wmkit/figures';
import { type Compte2000Result, compte2000DistractorRows, compte2000Report, type PaperReportSection } from '@wmkit/papers';
import { compte2000Parallel } from '@wmkit/papers/node';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { collectSet, parseEngine, parseIntOption, parseNumberOption } from '../../options';
import { Progress } from '../../progress';
import { startRun } from '../../run-helpers';
import { type CompteCliOptions, describeSummary, resolveCompteConfig, writeCompteRun } from '../compte2000/common';
import { compteWimmerMetrics, compteWimmerRows, writeCompteSurrogate } from '../compte2000/wimmer';

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
  neurons: number;
  perSession?: number;
  permutations: number;
  engine?: 'kernels' | 'tfjs';
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
  if (o.perSession != null && o.perSession > config.NE)
    throw new UsageError(`--per-session ${o.perSession}: the network has ${config.NE} E cells; use 2..${config.NE}`);
  const engine = o.engine ?? 'kernels';
  const run = await startRun(o.out, {
    kind: 'compte2000.reproduce',
    config: {
      model: config,
      trials,
      distractors: { ampsNa: amps, distancesDeg: distances, trialsPerCondition: perCond },
      surrogate: { neurons: o.neurons, perSession: o.perSession ?? null, permutations: o.permutations },
      engine,
    },
    seed: o.seed,
    preset: `compte2000.${o.preset}`,
    force: o.force,
  });
  const total = trials + amps.length * distances.length * perCond;
  console.log(
    `▶ Compte et al. 2000 (${o.preset}, ${config.NE} E + ${config.NI} I): ${trials} cue-only trials + ${amps.length}×${distances.length} distractor conditions × ${perCond} trials, engine ${engine} → ${run.dir}`,
  );
  const bar = new Progress('  simulating', total, 'trials');
  const t0 = performance.now();
  const res = await compte2000Parallel(
    {
      config,
      trials,
      distractors: { ampsNa: amps, distancesDeg: distances, trialsPerCondition: perCond },
      surrogate: { neurons: o.neurons, ...(o.perSession ? { perSession: o.perSession } : {}) },
      permutations: o.permutations,
      engine,
    },
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
  const analyzeCommand = res.wimmer ? writeCompteSurrogate(run, res.wimmer) : null;
  const report = compte2000Report(res, { seconds, seed: o.seed, preset: o.preset });
  report.sections.push(wimmerSection(res, analyzeCommand));
  const { md, html } = renderReport(report);
  run.writeFile('report.md', md);
  run.writeFile('report.html', html);
  run.complete({
    engine,
    ...metrics,
    ...(res.wimmer ? compteWimmerMetrics(res.wimmer) : {}),
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
  const wimmer = res.wimmer
    ? `Wimmer et al. 2014 analyses of the spikes (${res.wimmer.signatures.neurons} units):\n${markdownTableRows(compteWimmerRows(res.wimmer.signatures))}\n`
    : `Wimmer et al. 2014 analyses: skipped (${res.wimmerSkipped})\n`;
  console.log(
    `${describeSummary(res.summary)}\n${distractorTable(res)}\n${wimmer}✓ report: ${run.path('report.html')} (and report.md), ${seconds.toFixed(0)} s`,
  );
  return 0;
}

function distractorTable(res: Compte2000Result): string {
  return res.distractors.length ? markdownTableRows(compte2000DistractorRows(res)) : '';
}

/** The report section of the Wimmer et al. 2014 analyses on the network's spikes. */
function wimmerSection(res: Compte2000Result, analyzeCommand: string | null): PaperReportSection {
  const w = res.wimmer;
  if (!w)
    return {
      heading: 'Analyses of Wimmer et al. 2014 on the spikes',
      paragraphs: [`Not run: ${res.wimmerSkipped}.`],
    };
  const s = w.surrogate;
  return {
    heading: 'Analyses of Wimmer et al. 2014 on the spikes',
    paragraphs: [
      `The cue-only trials' spikes as surrogate recordings (Wimmer, Nykamp, Constantinidis & Compte 2014, *Nat. Neurosci.* 17:431): ${s.sessions * s.perSession} E cells drawn uniformly from the ring, ${s.perSession} recorded at once in each of ${s.sessions} session(s) of ${s.trialsPerSession} trials (each session its own trials), spike counts in ${s.dataset.binMs}-ms bins; mean delay rate of the recorded cells ${s.meanDelayRateHz.toFixed(1)} Hz (the monkeys: 9 Hz). The network is a ring, so each trial is given one of ${s.dataset.cueAngles.length} virtual cues and read from the cells rotated onto it (a whole-cell rotation; the decoded response rotated with them). These are the network's own spikes, not Poisson counts drawn from rates as for the rate models of \`wmkit reproduce wimmer2014\`.`,
      `Analyses as in \`wmkit analyze wimmer\` (tuning bias and rate–behaviour correlation in the last second of the delay, Fano factors of accurate vs inaccurate flank-cue trials over its last 500 ms, noise correlations in its last two 200-ms bins); one-sided permutation tests (${w.permutations} shuffles per window, ≥ 1,000 for the last second). A bump attractor predicts a positive tuning bias, a positive rate–behaviour correlation, higher Fano factors on inaccurate trials, positive noise correlations of same-tuned pairs for flank cues and negative ones with the cue in between.`,
      ...(analyzeCommand ? [`The surrogate recordings: \`surrogate_recordings.mat\`; rerun the analyses with \`${analyzeCommand}\`.`] : []),
    ],
    tables: [{ rows: compteWimmerRows(w.signatures) }],
  };
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
    .option('--workers <n>', 'worker threads (default: all cores; engine kernels)', parseIntOption('workers', 1))
    .option(
      '--engine <name>',
      'kernels (typed arrays on worker threads, the default) or tfjs (TensorFlow.js ops on the selected backend, trials batched in one thread)',
      parseEngine,
    )
    .option('--seed <n>', 'random seed', parseIntOption('seed', 0), 1)
    .option(
      '--neurons <n>',
      'surrogate recordings for the Wimmer et al. 2014 analyses: E cells in all (the monkeys: 204)',
      parseIntOption('neurons', 2),
      204,
    )
    .option(
      '--per-session <n>',
      'surrogate recordings: cells recorded at once per session (default: as few as give sessions of ≥ 16 trials; Fano factors need ≥ 4 trials per cue and session, noise correlations ≥ 3)',
      parseIntOption('per-session', 2),
    )
    .option(
      '--permutations <n>',
      'Wimmer et al. 2014 analyses: shuffles per permutation test and window',
      parseIntOption('permutations', 1),
      500,
    )
    .option('--force', 'replace an existing run in --out')
    .addHelpText(
      'after',
      `
The Wimmer et al. 2014 analyses need ≥ 16 cue-only trials (sessions of ≥ 16 trials; 32 trials: 2 sessions of 102 cells) and a delay ≥ 1000 ms; with fewer they are skipped and the report says why. With 32 trials, --per-session 204 (one session of 32 trials, 4 per cue) gives the Fano factors and noise correlations too.

Examples:
  wmkit reproduce compte2000 --quick --size 512
  wmkit reproduce compte2000 --trials 32 --workers 2 --per-session 204
  wmkit reproduce compte2000 --quick --size 256 --engine tfjs
  wmkit reproduce compte2000 --trials 32 --amps 0.1,0.2,0.4 --distances 45,90,135 --distractor-trials 4 --delay 3000

Writes: run.json (config; metrics: rates, bump, drift, distractor outcomes, Wimmer analyses), report.md, report.html,
  cue_angle.npy, response.npy, decoded_angle.npy [trial, bin], record_times_ms.npy, neuron_angle.npy, spike_counts_e.npy,
  pop_rate_e.npy, pop_rate_i.npy, bump_profile.npy, raster_times_ms.npy, raster_cells.npy (trial 0), spike_time_ms.npy,
  spike_unit.npy, spike_trial.npy (every cue-only spike), distractor_shift_fraction.npy, surrogate_recordings.mat (for
  wmkit analyze wimmer), raster.svg, bump_trial0.svg, bump_profile.svg, drift.svg, distractor.svg.`,
    )
    .action(async (o: Options) => {
      process.exitCode = await reproduceCompte2000(o);
    });
}
