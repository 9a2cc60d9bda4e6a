/**
 * `wmkit analyze wimmer --data recordings.(mat|nwb) --delay 1500,4500`
 *
 * The neural analyses of Wimmer et al. 2014 (tuning, tuning bias, rate–behaviour correlation,
 * Fano factors of accurate vs inaccurate trials, noise correlations) on recorded trials.
 *
 * Layouts:
 * - `.mat`: `counts` (trials × units × bins, one session) or `sessions` (struct array with fields
 *   counts, cue, response); `cue` (cue index per trial, 1-based as in MATLAB), `response`
 *   (response angle per trial, rad; NaN = none), `cue_angles` (rad, one per cue; default 8 cues
 *   evenly spaced from 0), optional `bin_ms` (default 50). Trial time 0 = the first bin.
 * - `.nwb`: the units table and the trials table with columns `cue` (index, 0-based) or
 *   `cue_angle` (rad), and `response` (rad); spikes are counted from each trial's start. All units
 *   form one session (recorded simultaneously).
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { binSpikeTimes, type OdrDataset, type OdrSession } from '@wmkit/analysis';
import { type MatValue, matToFloat64, readMat } from '@wmkit/data-io';
import { readNwb } from '@wmkit/data-io/node';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { timeSeriesSvg } from '../../figures/attractors';
import { parseIntOption, parseListOption, parseNumberOption } from '../../options';
import { renderReport, textTable } from '../../report';
import { startRun } from '../../run-helpers';
import { analyseDataset, type NeuralAnalysis } from '../attractors/wimmer-analyses';
import { nwbTrialSpikes } from './recordings';

const LAYOUT =
  '.mat: counts (trials × units × bins) or sessions (struct array: counts, cue, response), cue (1-based), response (rad), optional cue_angles, bin_ms; .nwb: units + trials with columns cue (0-based) or cue_angle (rad) and response (rad)';

function evenCues(n: number): number[] {
  return Array.from({ length: n }, (_, i) => (2 * Math.PI * i) / n);
}

function cueIndices(angles: ArrayLike<number>, cueAngles: number[], source: string): number[] {
  return Array.from(angles, (a, t) => {
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    cueAngles.forEach((c, i) => {
      const d = Math.abs(Math.atan2(Math.sin(a - c), Math.cos(a - c)));
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    });
    if (bestD > 1e-3)
      throw new UsageError(`${source}: trial ${t} has cue angle ${a}, which is not one of the ${cueAngles.length} cue angles`);
    return best;
  });
}

/** Loads recorded trials into the data set the analyses take. */
export async function loadOdrDataset(file: string, o: { binMs?: number; windowMs?: number }): Promise<OdrDataset> {
  const ext = extname(file).toLowerCase();
  if (ext === '.mat') {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch {
      throw new UsageError(`${file}: cannot read the file`);
    }
    const v = readMat(bytes, file).variables;
    const num = (x: MatValue | undefined, what: string) => {
      if (!x) throw new UsageError(`${file}: missing variable '${what}' (${LAYOUT})`);
      return matToFloat64(x, `${file}: ${what}`);
    };
    const binMs = o.binMs ?? (v.bin_ms ? num(v.bin_ms, 'bin_ms').data[0] : 50);
    const session = (
      counts: MatValue | undefined,
      cue: MatValue | undefined,
      response: MatValue | undefined,
      where: string,
    ): OdrSession => {
      const c = num(counts, `${where}counts`);
      if (c.shape.length !== 3)
        throw new UsageError(`${file}: '${where}counts' has size ${c.shape.join('×')}, expected trials × units × bins`);
      const cues = Array.from(num(cue, `${where}cue`).data, (x) => x - 1);
      const resp = num(response, `${where}response`).data;
      if (cues.length !== c.shape[0] || resp.length !== c.shape[0])
        throw new UsageError(`${file}: ${c.shape[0]} trials of '${where}counts' but ${cues.length} cues and ${resp.length} responses`);
      return { cue: cues, response: resp, counts: { data: c.data, shape: c.shape } };
    };
    let sessions: OdrSession[];
    if (v.sessions) {
      const s = v.sessions;
      if (s.kind !== 'struct') throw new UsageError(`${file}: 'sessions' must be a struct array with fields counts, cue, response`);
      sessions = s.elements.map((e, i) => session(e.counts, e.cue, e.response, `sessions(${i + 1}).`));
    } else sessions = [session(v.counts, v.cue, v.response, '')];
    const maxCue = Math.max(...sessions.flatMap((s) => Array.from(s.cue)));
    const cueAngles = v.cue_angles ? Array.from(num(v.cue_angles, 'cue_angles').data) : evenCues(Math.max(8, maxCue + 1));
    for (const s of sessions)
      for (const c of Array.from(s.cue))
        if (!(Number.isInteger(c) && c >= 0 && c < cueAngles.length))
          throw new UsageError(`${file}: cue index ${c + 1} is outside 1…${cueAngles.length}`);
    return { sessions, cueAngles, binMs };
  }
  if (ext === '.nwb' || ext === '.h5') {
    const rec = await readNwb(file);
    if (!rec.trials) throw new UsageError(`${file}: no /intervals/trials table (${LAYOUT})`);
    const cols = rec.trials.columns;
    const response = cols.response;
    if (!response) throw new UsageError(`${file}: the trials table has no 'response' column (response angle, rad)`);
    let cue: number[];
    let cueAngles: number[];
    if (cols.cue) {
      cue = Array.from(cols.cue);
      cueAngles = evenCues(Math.max(8, Math.max(...cue) + 1));
    } else if (cols.cue_angle) {
      const distinct = [...new Set(Array.from(cols.cue_angle, (a) => Math.round(a * 1e6) / 1e6))].sort((a, b) => a - b);
      cueAngles = distinct;
      cue = cueIndices(cols.cue_angle, cueAngles, file);
    } else throw new UsageError(`${file}: the trials table needs a 'cue' (index) or 'cue_angle' (rad) column`);
    const binMs = o.binMs ?? 50;
    const { st, windowMs } = nwbTrialSpikes(rec.spikeTimes, rec.trials, o.windowMs);
    const counts = binSpikeTimes(st, { binMs, startMs: 0, endMs: windowMs });
    return { sessions: [{ cue, response, counts }], cueAngles, binMs };
  }
  throw new UsageError(`${file}: unknown extension '${ext}' (${LAYOUT})`);
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
  const centresMs: number[] = [];
  for (let c = delayStartMs + 500; c <= delayEndMs - 500 + 1e-9; c += 250) centresMs.push(c);
  const res: NeuralAnalysis = analyseDataset(
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
  const series = (pts: NeuralAnalysis['tuningBias'], scale: (x: number) => number) =>
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
