/**
 * `wmkit reproduce wimmer2014 --out runs/wimmer [--quick]`
 *
 * Wimmer et al. 2014 through `wimmer2014` of @wmkit/papers (the three ring models on worker
 * threads, surrogate recordings, every analysis); this command writes the arrays, figures and
 * report.md/report.html.
 */
import type { BatteryGap } from '@wmkit/analysis';
import { ringModel, WIMMER2014_SURROGATE } from '@wmkit/attractor-models';
import { bumpHeatmapSvg, diffusionSvg, groupedBarsSvg, renderReport, responseHistogramSvg, textTable, timeSeriesSvg } from '@wmkit/figures';
import {
  fixedOrNa as fmt,
  pValueText as pStr,
  WIMMER2014_MODEL_NAMES,
  type Wimmer2014Model,
  wimmer2014,
  wimmer2014Metrics,
  wimmer2014Report,
  wimmer2014SummaryRows,
} from '@wmkit/papers';
import { ringOnWorkers } from '@wmkit/papers/node';
import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../../errors';
import {
  addConfigOptions,
  type ConfigOptionValues,
  parseEngine,
  parseIntOption,
  printConfigIfAsked,
  resolveOptionConfig,
  schemaParser,
} from '../../options';
import { Progress } from '../../progress';
import { startRun } from '../../run-helpers';
import { checkDelay } from '../attractors/simulate';
import { batteryFigures, batteryTable, GapNotes } from '../wimmer-battery';

interface Options extends ConfigOptionValues {
  out: string;
  trials?: number;
  delay: number;
  quick?: boolean;
  seed: number;
  workers?: number;
  permutations?: number;
  neurons: number;
  perSession: number;
  force?: boolean;
  engine: 'kernels' | 'tfjs';
}

const deg = (rad: number) => (rad * 180) / Math.PI;

/** What determines the result besides the seed (run.json `config` records it with the models' parameters). */
const configSchema = z.strictObject({
  trials: z.number().int().min(1),
  delayMs: z.number(),
  permutations: z.number().int().min(1),
  surrogate: z.strictObject({ neurons: z.number().int().min(2), perSession: z.number().int().min(2) }),
});
type WimmerConfig = z.infer<typeof configSchema>;

export async function reproduceWimmer2014(opts: Options, cmd: Command): Promise<number> {
  const { config, seed } = resolveOptionConfig(opts, cmd, {
    base: {
      trials: opts.quick ? 3264 : 16000,
      delayMs: 2000,
      permutations: opts.quick ? 200 : 500,
      surrogate: { neurons: 204, perSession: 2 },
    },
    parse: schemaParser(configSchema),
    kinds: ['reproduce.wimmer2014'],
    fromRecorded: (rec) => {
      const r = (rec ?? {}) as Partial<WimmerConfig>;
      const s = r.surrogate;
      return {
        trials: r.trials,
        delayMs: r.delayMs,
        permutations: r.permutations,
        surrogate: { neurons: s?.neurons, perSession: s?.perSession },
      };
    },
    options: {
      trials: 'trials',
      delayMs: 'delay',
      permutations: 'permutations',
      'surrogate.neurons': 'neurons',
      'surrogate.perSession': 'perSession',
    },
  });
  if (printConfigIfAsked(opts, config)) return 0;
  const o = {
    ...opts,
    seed: seed ?? opts.seed,
    neurons: config.surrogate.neurons,
    perSession: config.surrogate.perSession,
    permutations: config.permutations,
  };
  const trials = config.trials;
  const delay = checkDelay(config.delayMs, ringModel('bump').dtMs);
  if (delay < 1000)
    throw new UsageError(
      `--delay ${delay} ms is too short for the analyses, which use 1-s windows and the last second of the delay; use ≥ 1000 ms (2000 as the scripts, 3000 as the monkeys)`,
    );
  const N = ringModel('bump').NE;
  // the option parser already refuses fewer than 2 (the noise correlations need pairs)
  if (o.perSession > N) throw new UsageError(`--per-session ${o.perSession} is more than the ring's ${N} E units; use 2..${N}`);
  const surrogate = { ...WIMMER2014_SURROGATE, neurons: o.neurons, perSession: o.perSession };
  const sessions = Math.ceil(surrogate.neurons / surrogate.perSession);
  const minTrials = 16 * sessions;
  if (trials < minTrials)
    throw new UsageError(
      `--trials ${trials} is too few for the surrogate recordings (${surrogate.neurons} neurons, ${surrogate.perSession} per session, ≥ 16 trials per session): use ≥ ${minTrials}, or record more neurons per session (--per-session)`,
    );
  const nPerm = o.permutations ?? (o.quick ? 200 : 500);
  const models = WIMMER2014_MODEL_NAMES.map((m) => ringModel(m));
  const run = await startRun(o.out, {
    kind: 'reproduce.wimmer2014',
    config: { models, trials, delayMs: delay, permutations: nPerm, surrogate },
    seed: o.seed,
    preset: o.quick ? 'wimmer2014 --quick' : 'wimmer2014',
    force: o.force,
  });
  run.setMetrics({ engine: o.engine }); // which implementation simulated the rings: the wasm kernel or TensorFlow.js ops
  console.log(
    `▶ Wimmer et al. 2014: 3 ring models × ${trials.toLocaleString('en-US')} trials, ${delay}-ms delay; surrogate data sets of ${surrogate.neurons} neurons, ${surrogate.perSession} per session → ${run.dir}`,
  );
  let bar: Progress | null = null;
  let barStage = '';
  const r = await wimmer2014(
    { trials, delayMs: delay, seed: o.seed, permutations: nPerm, surrogate, models, simulate: ringOnWorkers(o.workers), engine: o.engine },
    {
      onProgress: (p) => {
        if (p.stage !== barStage) {
          barStage = p.stage;
          bar = new Progress(`  ${p.stage.split(':')[0]?.padEnd(8)} simulate`, p.total, 'trials');
        }
        bar?.update(p.done);
      },
      onModel: (m) => {
        bar?.finish(trials, { 'trials/s': Math.round(trials / m.seconds.simulate) });
        const s = m.signatures;
        console.log(
          `    analyses ${m.seconds.analyses.toFixed(1)} s; response SD ${fmt(m.responseSdDeg)}°, tuning bias (last s) ${fmt(deg(s.tuningBiasLate.value))}° p ${pStr(s.tuningBiasLate.p)}`,
        );
      },
    },
  );
  const results = r.models;
  for (const res of results) {
    const m = res.model;
    const sim = res.sim;
    run.writeArray(`${m}_response`, { data: sim.response, shape: [trials] }, { description: `${m}: decoded response (rad)` });
    run.writeArray(`${m}_cue`, { data: sim.cue, shape: [trials] }, { dtype: 'int32' });
    run.writeArray(`${m}_decoded_angle`, sim.angles, { description: `${m}: decoded angle per 50-ms bin [trial, bin]` });
    run.setTiming(`${m}_simulate`, res.seconds.simulate);
    if (sim.traces) {
      const [, nRec, N] = sim.traces.shape;
      run.addFigure(
        `bump_${m}`,
        bumpHeatmapSvg(
          sim.traces.data as Float32Array,
          nRec,
          N,
          sim.recordTimesMs,
          Array.from(sim.neuronAngles, deg),
          Array.from(sim.angles.data.subarray(0, nRec), deg),
          `${m}: E rates in one trial (cue ${fmt(deg(sim.cueAngle[0]), 0)}°)`,
          sim.periods,
          { cueDeg: deg(sim.cueAngle[0]) },
        ),
        `${m} model: one trial, neuron angle relative to the cue × time, decoded angle in cyan`,
      );
    }
  }
  const periods = r.periods;
  run.addFigure(
    'responses',
    responseHistogramSvg(
      results.flatMap((r) => r.errorsDeg.map((e) => ({ model: r.model, errorDeg: e }))),
      'Behavioural responses: decoded angle − cue',
    ),
    'error distributions',
  );
  const ser = (key: 'tuningBias' | 'rateBehavior', scale: (x: number) => number) =>
    results.flatMap((r) =>
      r.signatures[key].map((pt) => ({
        model: r.model,
        tMs: pt.tMs,
        value: scale(pt.value),
        se: scale(pt.se),
        significant: pt.p < 0.05,
      })),
    );
  run.addFigure(
    'tuning_bias',
    timeSeriesSvg(ser('tuningBias', deg), {
      title: 'Tuning bias (CW − CCW tuning-curve centre), 1-s windows',
      yLabel: 'tuning bias (deg)',
      periods,
    }),
    'dots: p < 0.05, permutation',
  );
  run.addFigure(
    'rate_behavior',
    timeSeriesSvg(
      ser('rateBehavior', (x) => x),
      { title: 'Rate–behaviour correlation, flank cues, 1-s windows', yLabel: 'correlation', periods },
    ),
    'dots: p < 0.05, permutation',
  );
  run.addFigure(
    'fano',
    groupedBarsSvg(
      results.flatMap((r) => [
        { model: r.model, group: 'accurate', value: r.signatures.fano.accurate, se: r.signatures.fano.seAccurate },
        { model: r.model, group: 'inaccurate', value: r.signatures.fano.inaccurate, se: r.signatures.fano.seInaccurate },
      ]),
      { title: 'Fano factor, flank cues, last 500 ms of the delay', yLabel: 'Fano factor' },
    ),
    'accurate vs inaccurate trials (split at the median |deviation|)',
  );
  run.addFigure(
    'noise_correlations',
    groupedBarsSvg(
      results.flatMap((r) => {
        const nc = r.signatures.noiseCorr;
        return [
          { model: r.model, group: 'same tuning: peak', value: nc.sameTuningPeak.mean, se: nc.sameTuningPeak.se },
          { model: r.model, group: 'same tuning: flank', value: nc.sameTuning.mean, se: nc.sameTuning.se },
          { model: r.model, group: 'same tuning: tail', value: nc.sameTuningTail.mean, se: nc.sameTuningTail.se },
          { model: r.model, group: 'one cue apart: in-between', value: nc.inBetween.mean, se: nc.inBetween.se },
        ];
      }),
      { title: 'Pairwise noise correlations, last 400 ms of the delay', yLabel: 'spike-count correlation' },
    ),
    'pairs with the same preferred cue, for peak, flank and tail cues; pairs with one cue between their preferred cues, for that cue (±s.e.m. over pairs)',
  );
  run.addFigure(
    'diffusion',
    diffusionSvg(
      results.flatMap((r) => r.diffusion.timesMs.map((t, i) => ({ model: r.model, tMs: t, varianceDeg2: r.diffusion.varianceDeg2[i] }))),
      'Drift of the decoded angle through the delay',
    ),
    'variance of the displacement since the start of the delay',
  );
  const notes = new GapNotes(reproduceHint({ trials, neurons: surrogate.neurons, perSession: surrogate.perSession, nCues: 8 }));
  const cols = results.map((m) => ({ model: m.model, sig: m.signatures }));
  const summary = markGaps(wimmer2014SummaryRows(results), results, notes);
  const battery = batteryTable(cols, notes);
  const figs = batteryFigures(cols);
  for (const [name, svg, caption] of figs) run.addFigure(name, svg, caption);
  const seconds = r.seconds;
  const { md, html } = renderWimmerReport(results, summary, battery, notes.lines(), figs, {
    trials,
    delay,
    nPerm,
    seconds,
    neurons: surrogate.neurons,
    perSession: surrogate.perSession,
  });
  run.writeFile('report.md', md);
  run.writeFile('report.html', html);
  const metrics: Record<string, unknown> = { seconds, ...wimmer2014Metrics(results) };
  run.complete(metrics);
  const noteLines = notes.lines();
  console.log(
    `\n${textTable(summary)}\n\n${textTable(battery)}\n${noteLines.length ? `\n${noteLines.join('\n')}\n` : ''}\n✓ report: ${run.path('report.html')} (and report.md), ${seconds.toFixed(0)} s`,
  );
  return 0;
}

/** Summary rows whose cells hold 'n/a' get a note (the row's gap ids, by label). */
const SUMMARY_GAPS: [RegExp, string[]][] = [
  [/^tuning bias, last s/, ['tuningBiasLate']],
  [/^ {2}without jumps/, ['tuningBiasLateNoJumps', 'rateBehaviorLateNoJumps']],
  [/^rate–behaviour corr/, ['rateBehaviorLate']],
  [/^Fano/, ['fano']],
  [/^noise corr\. same tuning, flank/, ['noiseCorr.sameTuning']],
  [/^noise corr\. one cue apart/, ['noiseCorr.inBetween']],
  [/^noise corr\. same tuning, peak/, ['noiseCorr.sameTuningPeak', 'noiseCorr.sameTuningTail']],
  [/^noise corr\. all other/, ['noiseCorr.other']],
];

function markGaps(rows: string[][], models: Wimmer2014Model[], notes: GapNotes): string[][] {
  return rows.map((row, i) => {
    if (i === 0) return row;
    const ids = SUMMARY_GAPS.find(([re]) => re.test(row[0]))?.[1] ?? [];
    return row.map((c, j) =>
      j > 0 && /(^|[ (])n\/a/.test(c)
        ? notes.cell({ model: models[j - 1].model, sig: models[j - 1].signatures }, ids.length ? ids : [row[0]])
        : c,
    );
  });
}

/** What to change in `reproduce wimmer2014` for a row the run is too small for. */
function reproduceHint(o: { trials: number; neurons: number; perSession: number; nCues: number }): (g: BatteryGap) => string {
  return (g) => {
    if (g.minTrialsPerCue) {
      const k = g.minTrialsPerCue;
      const sessions = Math.ceil(o.neurons / o.perSession);
      const trials = k * o.nCues * sessions;
      const maxSessions = Math.floor(o.trials / (k * o.nCues));
      const per = maxSessions > 0 ? Math.ceil(o.neurons / maxSessions) : Number.POSITIVE_INFINITY;
      const perText = Number.isFinite(per) && per > o.perSession ? ` or --per-session ≥ ${per} (fewer sessions, more trials each)` : '';
      return `use --trials ≥ ${trials} (${k} trials per cue in each of ${sessions} sessions)${perText}`;
    }
    if (g.needsPairs)
      return `use --per-session ≥ ${Math.max(4, 2 * o.perSession)} (more simultaneously recorded pairs) or --neurons above ${o.neurons}`;
    if (g.needsUnits === 'non-tuned') return 'the model’s recorded units are all tuned; no run size makes a non-tuned group';
    if (g.needsUnits) return `record more units (--neurons above ${o.neurons})`;
    return `use more trials (--trials above ${o.trials})`;
  };
}

function renderWimmerReport(
  models: Wimmer2014Model[],
  summary: string[][],
  battery: string[][],
  noteLines: string[],
  batteryFigs: [string, string, string][],
  o: { trials: number; delay: number; nPerm: number; seconds: number; neurons: number; perSession: number },
): { md: string; html: string } {
  // the papers report, with the summary rows that carry the battery's notes and the battery's section
  const report = wimmer2014Report(models, o);
  const [main] = report.sections;
  return renderReport({
    ...report,
    sections: [
      { ...main, tables: [{ rows: summary }] },
      {
        heading: 'The analysis battery of the recordings (Fig. 1d–g, 4e–g, 5, 6d, 7)',
        paragraphs: [
          'The same analyses as `wmkit analyze wimmer` runs on recordings. Early and late delay: the first and the last second (halves for delays under 2 s). p values: permutation tests (behaviour shuffled within cue; one-sided, effect > 0) unless the row says otherwise; Lilliefors p by simulation; Wilcoxon signed-rank and t tests two-sided (the in-flank pair correlation one-sided, < 0). * = p < 0.05. Paper: the bump model (and the monkeys) show tuning that is stable through the delay, a rate–behaviour relation (R² and correlations) for flank cues that appears earlier for cues nearer the preferred one, higher Fano factors on inaccurate flank trials, and negative late-delay correlations for the cue between pairs one cue apart.',
          ...(noteLines.length ? [`Rows that could not be computed at this size: ${noteLines.join(' ')}`] : []),
        ],
        tables: [{ rows: battery }],
        figures: batteryFigs.map(([name, , caption]) => [name, caption] as [string, string]),
      },
    ],
  });
}

export function registerReproduceWimmer(reproduce: Command): void {
  const cmd = reproduce
    .command('wimmer2014')
    .description(
      'Wimmer et al. 2014: bump, discrete and decaying-bump ring models, 16,000 trials each, surrogate recordings and every analysis; writes report.md/report.html with figures',
    )
    .option('--out <dir>', 'run directory', 'runs/wimmer2014')
    .option('--trials <n>', 'trials per model (default 16000; --quick 3264)', parseIntOption('trials', 1))
    .option('--delay <ms>', 'delay (ms): 2000 as the scripts, 3000 as the monkeys', parseIntOption('delay', 0), 2000)
    .option('--quick', 'a smaller run (3,264 trials per model, fewer permutations)')
    .option('--seed <n>', 'random seed', parseIntOption('seed', 0), 1)
    .option('--workers <n>', 'worker threads (default: all cores)', parseIntOption('workers', 1))
    .option('--permutations <n>', 'shuffles per permutation test (default 500; --quick 200)', parseIntOption('permutations', 1))
    .option('--neurons <n>', 'surrogate recordings: neurons in all (the monkeys: 204)', parseIntOption('neurons', 2), 204)
    .option(
      '--per-session <n>',
      'surrogate recordings: neurons recorded simultaneously per session (the monkeys: pairs, 2); more gives more pairs for the noise correlations',
      parseIntOption('per-session', 2),
      2,
    )
    .option('--force', 'replace an existing run in --out')
    .option(
      '--engine <name>',
      'kernels (the wasm ring kernel) or tfjs (TensorFlow.js ops on the selected backend)',
      parseEngine,
      'kernels',
    );
  addConfigOptions(cmd, 'surrogate.perSession=4')
    .addHelpText(
      'after',
      '\nConfig (--config, --set, --from): trials, delayMs, permutations, surrogate.neurons, surrogate.perSession; the\n' +
        'options typed on the command line override them, and --from also takes the run’s seed (unless --seed is given).\n' +
        '\nExamples:\n  wmkit reproduce wimmer2014 --out runs/wimmer2014\n  wmkit reproduce wimmer2014 --quick --delay 3000 --out runs/wimmer-3s\n' +
        '  wmkit reproduce wimmer2014 --trials 1632 --delay 1000 --permutations 20 --engine tfjs --out runs/wimmer-tfjs\n' +
        '  wmkit reproduce wimmer2014 --trials 1632 --delay 1000 --permutations 20 --out runs/wimmer-small\n' +
        '  wmkit reproduce wimmer2014 --set surrogate.perSession=4 --print-config\n' +
        '  wmkit reproduce wimmer2014 --from runs/wimmer-small --out runs/wimmer-again\n' +
        '\nWrites: run.json, report.md, report.html, responses.svg, bump_<model>.svg, diffusion.svg, tuning_bias.svg,\n' +
        '        rate_behavior.svg, fano.svg, noise_correlations.svg, population_tuning.svg, strength_vs_rate.svg,\n' +
        '        modulation_index.svg, tuning_stability.svg, r2_by_offset.svg, r2_time.svg, rate_behavior_by_cue.svg,\n' +
        '        fano_by_cue.svg, noise_corr_epochs.svg; per model <model>_response.npy, <model>_cue.npy,\n' +
        '        <model>_decoded_angle.npy [trial, 50-ms bin] (models: bump, discrete, decaying)',
    )
    .action(async (o: Options, c: Command) => {
      process.exitCode = await reproduceWimmer2014(o, c);
    });
}
