/**
 * `wmkit analyze wimmer --data recordings.(mat|nwb) --delay 1500,4500`
 *
 * The neural analyses of Wimmer et al. 2014 (tuning, tuning bias, rate–behaviour correlation,
 * Fano factors of accurate vs inaccurate trials, noise correlations: `bumpSignatures` of
 * @wmkit/analysis) on recorded trials. The layouts (`ODR_LAYOUTS`) are parsed by @wmkit/data-io.
 */
import { basename, extname } from 'node:path';
import { type BumpSignatures, bumpSignatures, checkOdrDataset, type OdrDataset, slidingCentresMs } from '@wmkit/analysis';
import { ODR_LAYOUTS as LAYOUT, odrFromMat, odrFromNwb } from '@wmkit/data-io';
import { readNwb } from '@wmkit/data-io/node';
import { renderReport, textTable, timeSeriesSvg } from '@wmkit/figures';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { parseIntOption, parseListOption, parseNumberOption } from '../../options';
import { startRun } from '../../run-helpers';
import { asUsage, readRecordedFile, spikeCounts } from './recordings';

/** Loads recorded trials into the data set the analyses take. */
export async function loadOdrDataset(file: string, o: { binMs?: number; windowMs?: number }): Promise<OdrDataset> {
  const ext = extname(file).toLowerCase();
  const rec = await asUsage(async () => {
    if (ext === '.mat') return odrFromMat(readRecordedFile(file), file, o);
    if (ext === '.nwb' || ext === '.h5') return odrFromNwb(await readNwb(file), file, o);
    throw new UsageError(`${file}: unknown extension '${ext}' (${LAYOUT})`);
  });
  const data = {
    sessions: rec.sessions.map((s) => ({ cue: s.cue, response: s.response, counts: spikeCounts(s.spikes) })),
    cueAngles: rec.cueAngles,
    binMs: rec.binMs,
  };
  // finite responses and cues, finite non-negative counts: the error names the file, the variable and the first bad element
  const many = data.sessions.length > 1;
  checkOdrDataset(data, (f, i) =>
    ext === '.mat'
      ? `${file}: variable '${i === undefined || !many ? f : `sessions(${i + 1}).${f}`}'`
      : `${file}: ${f === 'counts' ? 'units table' : `trials table column '${f}'`}`,
  );
  return data;
}

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

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const pStr = (p: number) => (Number.isFinite(p) ? (p < 0.001 ? '< 0.001' : p.toFixed(3)) : 'n/a');

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
  const run = await startRun(out, {
    kind: 'analysis.wimmer2014',
    config: {
      source: o.data,
      delayMs: o.delay,
      binMs: data.binMs,
      permutations: o.permutations,
      sessions: data.sessions.length,
      trials,
      units,
    },
    seed: o.seed,
    force: o.force,
  });
  console.log(
    `▶ Wimmer et al. 2014 analyses of ${o.data}: ${data.sessions.length} session(s), ${units} units, ${trials} trials, delay ${delayStartMs}–${delayEndMs} ms → ${run.dir}`,
  );
  const centresMs = slidingCentresMs(delayStartMs, delayEndMs);
  const res: BumpSignatures = bumpSignatures(
    data,
    { delayStartMs, delayEndMs, centresMs },
    new Rng(o.seed).fork('wimmer-recorded'),
    o.permutations,
  );
  const deg = (x: number) => (x * 180) / Math.PI;
  const rows = [
    ['measure', 'value', 'p'],
    ['tuned units (of all)', `${res.tuning.included} of ${res.neurons}`, ''],
    [
      'tuning bias, last s (deg)',
      `${deg(res.tuningBiasLate.value).toFixed(2)} ± ${deg(res.tuningBiasLate.se).toFixed(2)}`,
      pStr(res.tuningBiasLate.p),
    ],
    [
      'rate–behaviour correlation, last s',
      `${f3(res.rateBehaviorLate.value)} ± ${f3(res.rateBehaviorLate.se)}`,
      pStr(res.rateBehaviorLate.p),
    ],
    ['Fano factor accurate / inaccurate', `${f3(res.fano.accurate)} / ${f3(res.fano.inaccurate)}`, pStr(res.fano.p)],
    [
      'noise corr., same tuning, flank cues (pairs)',
      `${f3(res.noiseCorr.sameTuning.mean)} (n = ${res.noiseCorr.sameTuning.n})`,
      pStr(res.noiseCorr.sameTuning.p),
    ],
    [
      'noise corr., one cue apart, cue in between (pairs)',
      `${f3(res.noiseCorr.inBetween.mean)} (n = ${res.noiseCorr.inBetween.n})`,
      pStr(res.noiseCorr.inBetween.p),
    ],
  ];
  for (const r of rows.slice(1)) run.appendMetrics({ measure: r[0], value: r[1], p: r[2] });
  const periods = [{ name: 'delay', startMs: delayStartMs, endMs: delayEndMs }];
  const series = (pts: BumpSignatures['tuningBias'], scale: (x: number) => number) =>
    pts.map((p) => ({ model: 'recorded', tMs: p.tMs, value: scale(p.value), se: scale(p.se), significant: p.p < 0.05 }));
  run.addFigure(
    'tuning_bias',
    timeSeriesSvg(series(res.tuningBias, deg), { title: 'Tuning bias, 1-s windows', yLabel: 'tuning bias (deg)', periods }),
    'dots: p < 0.05',
  );
  run.addFigure(
    'rate_behavior',
    timeSeriesSvg(
      series(res.rateBehavior, (x) => x),
      { title: 'Rate–behaviour correlation (flank cues), 1-s windows', yLabel: 'correlation', periods },
    ),
    'dots: p < 0.05',
  );
  const { md, html } = renderReport({
    title: `Bump-attractor signatures in ${basename(o.data)} (analyses of Wimmer et al. 2014)`,
    sections: [
      {
        paragraphs: [
          `${units} units in ${data.sessions.length} session(s), ${trials} trials, ${data.cueAngles.length} cues; delay ${delayStartMs}–${delayEndMs} ms, ${data.binMs}-ms bins. One-sided permutation tests (${o.permutations} shuffles of behaviour within cue per window, ≥ 1,000 for the last second).`,
          'A bump attractor predicts a positive tuning bias and a positive rate–behaviour correlation by the end of the delay, higher Fano factors on inaccurate trials, positive noise correlations for same-tuned pairs and negative ones for pairs with the cue in between.',
        ],
        tables: [{ rows }],
        figures: [
          ['tuning_bias', 'Tuning bias: centre of the tuning curve of clockwise minus counter-clockwise trials.'],
          ['rate_behavior', 'Correlation between a unit’s rate and the behavioural deviation towards its preferred angle.'],
        ],
      },
    ],
  });
  run.writeFile('report.md', md);
  run.writeFile('report.html', html);
  run.complete({
    tuningBiasLateDeg: deg(res.tuningBiasLate.value),
    tuningBiasLateP: res.tuningBiasLate.p,
    rateBehaviorLate: res.rateBehaviorLate.value,
    rateBehaviorLateP: res.rateBehaviorLate.p,
  });
  console.log(`\n${textTable(rows)}\n\n✓ ${run.path('report.html')} (and report.md)`);
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
      `\nLayouts: ${LAYOUT}.\nMonkeys (Constantinidis lab): cue 500 ms, delay 3000 ms → --delay 1500,4500 with the fixation start at 0.`,
    )
    .action(async (o: Options) => {
      process.exitCode = await analyzeWimmerRecorded(o);
    });
}
