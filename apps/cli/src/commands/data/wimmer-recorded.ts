/**
 * `wmkit analyze wimmer --data recordings.(mat|nwb) --delay 1500,4500`
 *
 * The neural analyses of Wimmer et al. 2014 (tuning, tuning bias, rate–behaviour correlation,
 * Fano factors of accurate vs inaccurate trials, noise correlations: `bumpSignatures` of
 * @wmkit/analysis) on recorded trials. The layouts (`ODR_LAYOUTS`) are parsed by @wmkit/data-io.
 */
import { basename } from 'node:path';
import { type BumpSignatures, bumpSignaturesSteps, slidingCentresMs } from '@wmkit/analysis';
import { ODR_LAYOUTS as LAYOUT } from '@wmkit/data-io';
import { renderReport, wimmerRecordedRun } from '@wmkit/figures';
import { Rng, runStepsYielding } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { parseIntOption, parseListOption, parseNumberOption } from '../../options';
import { startRun, writeOutputs } from '../../run-helpers';
import { loadOdrDataset } from './recordings';

interface Options {
  data: string;
  delay: number[];
  binMs?: number;
  windowMs?: number;
  permutations: number;
  seed: number;
  out?: string;
  force?: boolean;
}

export async function analyzeWimmerRecorded(o: Options): Promise<number> {
  if (!o.data) throw new UsageError(`--data <file> is required (${LAYOUT})`);
  if (o.delay.length !== 2 || !(o.delay[1] > o.delay[0]))
    throw new UsageError(`--delay must be start,end in ms with end > start (got ${o.delay.join(',')})`);
  const [delayStartMs, delayEndMs] = o.delay;
  if (delayEndMs - delayStartMs < 1000) throw new UsageError('--delay must span at least 1000 ms (the analyses use 1-s windows)');
  const data = await loadOdrDataset(o.data, o);
  const bins = data.sessions[0].counts.shape[2];
  if (delayEndMs > bins * data.binMs)
    throw new UsageError(`--delay ends at ${delayEndMs} ms but the data hold ${bins * data.binMs} ms per trial`);
  const out = o.out ?? `runs/wimmer-${basename(o.data).replace(/\.[^.]+$/, '')}`;
  const trials = data.sessions.reduce((a, s) => a + s.counts.shape[0], 0);
  const units = data.sessions.reduce((a, s) => a + s.counts.shape[1], 0);
  const sessions = data.sessions.length;
  const config = { source: o.data, delayMs: o.delay, binMs: data.binMs, permutations: o.permutations, sessions, trials, units };
  const run = await startRun(out, { kind: 'analysis.wimmer2014', config, seed: o.seed, force: o.force });
  console.log(
    `▶ Wimmer et al. 2014 analyses of ${o.data}: ${sessions} session(s), ${units} units, ${trials} trials, delay ${delayStartMs}–${delayEndMs} ms → ${run.dir}`,
  );
  const centresMs = slidingCentresMs(delayStartMs, delayEndMs);
  // the event loop runs during the permutation tests, so Ctrl-C / SIGTERM stop the analysis
  const res: BumpSignatures = await runStepsYielding(
    bumpSignaturesSteps(data, { delayStartMs, delayEndMs, centresMs }, new Rng(o.seed).fork('wimmer-recorded'), o.permutations),
  );
  // the report names the file and says what the run's config says, with the cues and the delay window
  const w = wimmerRecordedRun(res, { ...config, name: basename(o.data), cues: data.cueAngles.length, delayStartMs, delayEndMs });
  writeOutputs(run, w.outputs, w.figures);
  const { md, html } = renderReport(w.report);
  run.writeFile('report.md', md);
  run.writeFile('report.html', html);
  run.complete(w.metrics);
  console.log(`${w.summary}✓ ${run.path('report.html')} (and report.md)`);
  return 0;
}

export function registerAnalyzeWimmer(analyze: Command): void {
  analyze
    .command('wimmer')
    .description(
      'the analyses of Wimmer et al. 2014 (tuning bias, rate–behaviour correlation, Fano factors, noise correlations) on recorded trials with cues and responses',
    )
    .option('--data <file>', 'recordings: .mat or .nwb (layouts below)')
    .option('--delay <start,end>', 'delay period in ms from trial start', parseListOption('delay'), [1500, 4500])
    .option('--bin-ms <ms>', 'bin width for spike times (default 50, or the file’s bin_ms)', parseNumberOption('bin-ms'))
    .option(
      '--window-ms <ms>',
      'NWB: analysis window from each trial’s start (default: the shortest trial)',
      parseNumberOption('window-ms'),
    )
    .option('--permutations <n>', 'permutations per window', parseIntOption('permutations', 1), 500)
    .option('--seed <n>', 'seed of the permutation tests', parseIntOption('seed', 0), 1)
    .option('--out <dir>', 'run directory (default runs/wimmer-<file>)')
    .option('--force', 'replace an existing run in --out')
    .addHelpText(
      'after',
      `\nLayouts: ${LAYOUT}.\nMonkeys (Constantinidis lab): cue 500 ms, delay 3000 ms → --delay 1500,4500 with the fixation start at 0.\n` +
        '\nExamples:\n  wmkit analyze wimmer --data recordings.mat --delay 1500,4500 --out runs/wimmer-monkeys\n' +
        '  wmkit analyze wimmer --data session.nwb --delay 1000,4000 --permutations 1000\n' +
        '\nWrites: run.json, report.md, report.html, tuning_bias.svg, rate_behavior.svg, population_tuning.svg,\n' +
        '        strength_vs_rate.svg, modulation_index.svg, tuning_stability.svg, r2_by_offset.svg, r2_time.svg,\n' +
        '        rate_behavior_by_cue.svg, fano_by_cue.svg, noise_corr_epochs.svg\n' +
        'Rows a data set is too small for read "n/a (note k)"; note k says why and what the data would need.',
    )
    .action(async (o: Options) => {
      process.exitCode = await analyzeWimmerRecorded(o);
    });
}
