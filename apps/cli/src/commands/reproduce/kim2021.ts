/**
 * `wmkit reproduce kim2021 --seeds 3 --out runs/kim2021`
 *
 * Kim & Sejnowski 2021 end to end, for several seeds (`kim2021` of @wmkit/papers, one model per
 * worker thread): train the E/I rate RNN on DMS (preset `kim2021.dms`), convert it to a LIF
 * network (λ search, 750-ms delay test), then scale the I→I synapses by 1.3 and by 0.7 and
 * re-measure neuronal timescales and DMS accuracy, each paired with the unscaled network (same
 * trials and noise). The paper's finding: stronger I→I ⇒ longer timescales and better working
 * memory.
 *
 * Each model is a full run directory under `<out>.models/seed-<k>` (beside the report's run, so
 * that a rerun with --force rebuilds the report without retraining), with the same files as
 * `wmkit train ei-rnn`, `convert lif` and `experiment scale-synapses` write; it is saved as soon
 * as its worker returns. A step whose run directory is already complete is read back (typed:
 * a missing field is an error naming it) and not run again, so a stopped reproduction resumes
 * where it stopped.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { MIN_TIMESCALE_TRIALS, type PairedSignTest } from '@wmkit/analysis';
import { readRun } from '@wmkit/data-io/node';
import { legendMarks, Plot, renderReport, stackedPlotsSvg, textTable } from '@wmkit/figures';
import { KIM2021_PROTOCOL, type KimModelDone, type KimModelWork, type KimRecipe } from '@wmkit/papers';
import { kim2021Parallel } from '@wmkit/papers/node';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import {
  addConfigOptions,
  type ConfigOptionValues,
  parseEngine,
  parseIntOption,
  pct,
  printConfigIfAsked,
  resolveCommandConfig,
} from '../../options';
import { Progress } from '../../progress';
import { startRun } from '../../run-helpers';
import {
  completeRun,
  EI_RATE_KIND,
  lifSummaryOf,
  loadRateRun,
  presetOrError,
  scaleSummaryOf,
  trainingOf,
  writeLifRun,
  writeRateRun,
  writeScaleRun,
} from '../ei-rnn/common';
import { parseEiRnnConfig } from '../ei-rnn/train';

interface Options extends ConfigOptionValues {
  out: string;
  seeds: number;
  seed: number;
  preset: string;
  trials: number;
  timescaleTrials: number;
  workers?: number;
  force?: boolean;
  engine: 'kernels' | 'tfjs';
}

const FACTORS = KIM2021_PROTOCOL.factors;
const BLOCK = KIM2021_PROTOCOL.block;

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The run in `dir`, or null when there is none or it cannot be read. */
function runOrNull(dir: string): ReturnType<typeof readRun> | null {
  if (!existsSync(join(dir, 'run.json'))) return null;
  try {
    return readRun(dir);
  } catch {
    return null;
  }
}

/** The complete steps of one model directory, read back as typed summaries. */
function doneSteps(dir: string): KimModelDone {
  if (!completeRun(dir)) return {};
  const rate = loadRateRun(dir);
  const done: KimModelDone = { trained: { model: rate.model, training: trainingOf(rate) } };
  const lif = completeRun(join(dir, 'lif'));
  if (!lif) return done;
  done.lif = lifSummaryOf(lif.manifest.metrics, join(dir, 'lif', 'run.json'));
  done.scaled = {};
  for (const f of FACTORS) {
    const sub = join(dir, `scale-${BLOCK}-${f}`);
    const e = completeRun(sub);
    if (e) done.scaled[f] = scaleSummaryOf(e.manifest.metrics, join(sub, 'run.json'));
  }
  return done;
}

export async function reproduceKim2021(o: Options): Promise<number> {
  if (!(o.seeds >= 1)) throw new UsageError(`--seeds ${o.seeds} must be ≥ 1`);
  const preset = presetOrError(o.preset);
  const workers = Math.max(1, o.workers ?? availableParallelism());
  const modelsDir = `${resolve(o.out)}.models`;
  const seeds = Array.from({ length: o.seeds }, (_, k) => o.seed + k);
  const dirOf = (seed: number) => join(modelsDir, `seed-${seed}`);
  for (const seed of seeds) {
    const dir = dirOf(seed);
    const kind = runOrNull(dir)?.manifest.kind; // none or unreadable: the train step (re)makes it
    if (kind !== undefined && kind !== EI_RATE_KIND)
      throw new UsageError(`${dir} holds a '${kind}' run, not an E/I RNN ('${EI_RATE_KIND}'); remove it or choose another --out`);
  }
  // the preset's model and training, with --from / --config / --set applied
  const { config } = resolveCommandConfig(o, {
    base: { model: preset.model, train: preset.train },
    parse: parseEiRnnConfig,
    kinds: ['reproduce.kim2021'],
    fromRecorded: (rec) => {
      const r = (rec ?? {}) as { model?: unknown; train?: unknown };
      return { ...(r.model ? { model: r.model } : {}), ...(r.train ? { train: r.train } : {}) };
    },
  });
  if (printConfigIfAsked(o, config)) return 0;
  const recipe: KimRecipe = {
    preset: preset.name,
    departures: preset.departures,
    model: config.model,
    train: config.train,
    taskVariant: preset.task.variant,
  };
  const protocol = { ...KIM2021_PROTOCOL, trials: o.trials, timescaleTrials: o.timescaleTrials };
  const done: Record<number, KimModelDone> = {};
  for (const seed of seeds) done[seed] = doneSteps(dirOf(seed));
  const run = await startRun(o.out, {
    kind: 'reproduce.kim2021',
    config: {
      preset: o.preset,
      seeds: o.seeds,
      firstSeed: o.seed,
      block: BLOCK,
      factors: [...FACTORS],
      dmsTrials: o.trials,
      timescaleTrials: o.timescaleTrials,
      models: modelsDir,
      model: recipe.model,
      train: recipe.train,
    },
    seed: o.seed,
    preset: o.preset,
    force: o.force,
  });
  run.setMetrics({ engine: o.engine }); // which implementation runs the new steps: the wasm kernels or TensorFlow.js ops
  const complete = (d: KimModelDone) => Boolean(d.trained && d.lif && FACTORS.every((f) => d.scaled?.[f]));
  const todo = seeds.filter((s) => !complete(done[s] as KimModelDone));
  console.log(
    `▶ Kim & Sejnowski 2021: ${plural(o.seeds, 'model')} (preset ${o.preset}, seeds ${o.seed}–${o.seed + o.seeds - 1}): train on DMS → convert to LIF (λ search) → I→I × ${FACTORS.join(' and × ')} (timescales and DMS accuracy, paired) on ${plural(Math.min(workers, Math.max(1, todo.length)), 'worker thread')} → ${run.dir}`,
  );
  if (todo.length < seeds.length) console.log(`  ${plural(seeds.length - todo.length, 'model')} already complete in ${modelsDir}: reused`);
  const bar = new Progress('  models', todo.length, 'models');
  bar.update(0, {}, true);
  const fraction = new Map<number, number>();
  // each model's run directories are written as soon as its worker returns
  const saveModel = async (w: KimModelWork) => {
    const dir = dirOf(w.seed);
    let model = done[w.seed]?.trained?.model;
    if (w.train) {
      await writeRateRun(dir, recipe, w.seed, w.train, existsSync(join(dir, 'run.json')), o.engine);
      model = w.train.model;
    }
    if (w.lif) await writeLifRun(dir, w.seed, w.lif, { grid: protocol.grid, trials: o.trials, longTrials: o.trials });
    const inverseScale = w.lif?.summary.bestInverseScale ?? done[w.seed]?.lif?.bestInverseScale;
    for (const s of w.scaled)
      if (model && inverseScale != null)
        await writeScaleRun(dir, w.seed, model, s.result, {
          trials: o.trials,
          timescaleTrials: o.timescaleTrials,
          inverseScale,
          label: 'I→I',
        });
  };
  const saving: Promise<void>[] = [];
  const result = await kim2021Parallel(
    { recipe, seeds: o.seeds, firstSeed: o.seed, protocol, done, workers, engine: o.engine },
    {
      onModel: (w) => {
        fraction.set(w.seed, 1);
        bar.update(
          [...fraction.values()].reduce((a, v) => a + v, 0),
          {},
          true,
        );
        saving.push(saveModel(w));
      },
      onModelProgress: (seed, f) => {
        fraction.set(seed, f);
        bar.update([...fraction.values()].reduce((a, v) => a + v, 0));
      },
    },
  );
  await Promise.all(saving);
  bar.finish(todo.length);
  const seconds = result.seconds;
  const models = result.models;
  const ok = models.filter((m) => m.complete);
  const failed = models.filter((m) => !m.complete);
  const na = 'n/a';
  const opt = (x: number | null, f: (v: number) => string) => (x == null ? na : f(x));

  // per model: training, conversion, unscaled timescales
  const modelRows: string[][] = [
    [
      'seed',
      'stopping rule',
      'trials',
      'train (s)',
      'rate DMS',
      'rate, 750-ms delay',
      '1/λ',
      'spiking DMS',
      'spiking, 750 ms',
      'rate (Hz)',
    ],
  ];
  for (const m of models) {
    const t = m.training;
    modelRows.push([
      String(m.seed),
      t == null || t.success == null ? na : t.success ? 'met' : 'not met',
      t ? opt(t.trials, String) : na,
      t ? opt(t.trainSeconds, (v) => v.toFixed(0)) : na,
      t ? opt(t.rateAccuracyShortDelay, pct) : na,
      t ? opt(t.rateAccuracyLongDelay, pct) : na,
      m.lif ? String(m.lif.bestInverseScale) : na,
      m.lif ? pct(m.lif.spikingAccuracyShortDelay) : na,
      m.lif ? pct(m.lif.spikingAccuracyLongDelay) : na,
      m.lif ? m.lif.meanRateHz.toFixed(1) : na,
    ]);
  }
  // I→I scaling: the baseline (factor 1) is measured in each experiment with the same trials and noise
  const levels = result.levels;
  const tauRows: string[][] = [['seed', ...levels.map((f) => `median τ (ms), × ${f}`), ...levels.map((f) => `units fitted, × ${f}`)]];
  const accRows: string[][] = [['seed', ...levels.map((f) => `rate, × ${f}`), ...levels.map((f) => `spiking, × ${f}`)]];
  const points: { seed: string; factor: number; tau: number; rate: number; spiking: number }[] = [];
  for (const m of ok) {
    const v = m.levels;
    tauRows.push([String(m.seed), ...v.map((x) => x.medianTauMs.toFixed(0)), ...v.map((x) => String(x.included))]);
    accRows.push([String(m.seed), ...v.map((x) => pct(x.rateAccuracyLong)), ...v.map((x) => pct(x.spikingAccuracyLong))]);
    for (const x of v)
      points.push({
        seed: `seed ${m.seed}`,
        factor: x.factor,
        tau: x.medianTauMs,
        rate: x.rateAccuracyLong,
        spiking: x.spikingAccuracyLong,
      });
  }
  const pStr = (p: number) => (Number.isFinite(p) ? p.toFixed(3) : 'n/a');
  const count = (c: PairedSignTest) => `${c.up} of ${plural(c.n, 'model')}${c.ties ? ` (${c.ties} tied)` : ''} (p ${pStr(c.p)})`;
  const { medianTau: tau, rateLong, spikingLong: spikeLong } = result.tests;
  const summary = ok.length
    ? `I→I × ${FACTORS[1]} vs × ${FACTORS[0]} (paired, one-sided sign test): median τ longer in ${count(tau)}; rate DMS accuracy at the 750-ms delay higher in ${count(rateLong)}; spiking accuracy at 750 ms higher in ${count(spikeLong)}. The paper: stronger I→I synapses ⇒ longer timescales and better working-memory performance.`
    : 'No model finished every step; see the failures below.';
  const met = result.metStoppingRule;
  const trainSummary = `${met} of ${plural(o.seeds, 'model')} met the stopping rule (eval loss < 7 and accuracy > 0.95).`;

  if (points.length) {
    const palette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
    const seeds = [...new Set(points.map((p) => p.seed))];
    const color = { domain: seeds, range: seeds.map((_, i) => palette[i % palette.length]) };
    const panel = (y: 'tau' | 'rate' | 'spiking', label: string, domain?: [number, number]) => ({
      title: label,
      width: 560,
      height: 220,
      marginLeft: 60,
      x: { label: 'I→I factor', ticks: levels, domain: [0.65, 1.35] as [number, number] },
      y: { label: null, grid: true, ...(domain ? { domain } : {}) },
      color,
      marks: [
        Plot.line(points, { x: 'factor', y, stroke: 'seed', strokeOpacity: 0.8 }),
        Plot.dot(points, { x: 'factor', y, fill: 'seed', r: 3 }),
        ...(y === 'tau' && seeds.length <= palette.length
          ? legendMarks(
              seeds.map((label, i) => ({ label, color: color.range[i] })),
              'top-left',
            )
          : []),
      ],
    });
    run.addFigure(
      'ii_scaling',
      stackedPlotsSvg([
        panel('tau', 'median neuronal timescale τ (ms)'),
        panel('rate', 'rate DMS accuracy, 750-ms delay', [0, 1]),
        panel('spiking', 'spiking DMS accuracy, 750-ms delay', [0, 1]),
      ]),
      'I→I scaling: timescales and long-delay accuracy per model',
    );
  }
  const failures = failed.map((m) => `seed ${m.seed}: ${m.failed ?? 'a step did not complete'}`);
  const { md, html } = renderReport({
    title: 'Strong inhibitory signaling underlies stable temporal dynamics and working memory (Kim & Sejnowski 2021)',
    sections: [
      {
        paragraphs: [
          `${o.seeds} E/I rate RNNs (N = 200, 20% inhibitory, Dale's principle, trainable synaptic decay 20–125 ms) trained on delayed match-to-sample with preset ${o.preset}, converted one-to-one into leaky integrate-and-fire networks (λ chosen by a grid search on ${o.trials} DMS trials per scale), tested at the 750-ms delay; neuronal timescales from the spike-count autocorrelation of ${o.timescaleTrials} spontaneous trials (1.05 s, 50-ms bins; units with τ outside 0–500 ms or a negative amplitude excluded). Each model is a run directory in ${modelsDir} (\`wmkit train ei-rnn\`, \`wmkit convert lif\`, \`wmkit experiment scale-synapses\`).`,
          trainSummary,
          `Runtime ${seconds.toFixed(0)} s on ${plural(Math.min(workers, Math.max(1, todo.length)), 'worker thread')} (steps already complete were reused).`,
        ],
        tables: [{ rows: modelRows }],
      },
      {
        heading: 'I→I scaling',
        paragraphs: [
          `Every I→I synapse multiplied by ${FACTORS[0]} and by ${FACTORS[1]}; the spiking network keeps its λ. Each scaled network is measured with the same DMS trials, noise and spontaneous trials as the unscaled one (× 1).`,
          summary,
        ],
        tables: ok.length
          ? [
              { caption: 'Median neuronal timescale and units with a valid fit', rows: tauRows },
              { caption: `DMS accuracy at the 750-ms delay (${o.trials} trials)`, rows: accRows },
            ]
          : [],
        figures: points.length ? [['ii_scaling', 'Median τ and long-delay accuracy against the I→I factor, one line per model.']] : [],
      },
      ...(failures.length ? [{ heading: 'Not completed', paragraphs: failures }] : []),
    ],
  });
  run.writeFile('report.md', md);
  run.writeFile('report.html', html);
  const metrics = {
    seconds,
    models: o.seeds,
    completed: ok.length,
    metStoppingRule: met,
    tauLongerWithStrongerII: tau.up,
    tauSignTestP: tau.p,
    rateLongBetterWithStrongerII: rateLong.up,
    rateLongSignTestP: rateLong.p,
    spikingLongBetterWithStrongerII: spikeLong.up,
    spikingLongSignTestP: spikeLong.p,
  };
  for (const m of models) run.appendMetrics({ seed: m.seed, completed: m.complete, failed: m.failed });
  run.complete(metrics);
  console.log(`\n${textTable(modelRows)}\n\n${trainSummary}`);
  if (ok.length) console.log(`\n${textTable(tauRows)}\n\n${textTable(accRows)}\n\n${summary}`);
  for (const f of failures) console.log(`  ✗ ${f}`);
  console.log(`\n✓ report: ${resolve(run.path('report.html'))} (and report.md), ${seconds.toFixed(0)} s`);
  return failed.length ? 1 : 0;
}

export function registerReproduceKim(reproduce: Command): void {
  const cmd = reproduce
    .command('kim2021')
    .description(
      'Kim & Sejnowski 2021: train E/I RNNs on DMS, convert them to LIF networks, then scale I→I synapses × 0.7 and × 1.3 and re-measure timescales and long-delay accuracy; writes report.md/report.html',
    )
    .option('--out <dir>', 'run directory (the models go to <dir>.models/)', 'runs/kim2021')
    .option('--seeds <n>', 'models to train (the paper trained dozens; each takes ~5 min of one core)', parseIntOption('seeds', 1), 3)
    .option('--seed <n>', 'first seed', parseIntOption('seed', 0), 1)
    .option('--preset <name>', 'training preset (kim2021.dms-exact: the authors’ protocol unchanged)', 'kim2021.dms')
    .option('--trials <n>', 'DMS trials per measurement (λ search, 750-ms test, I→I experiments)', parseIntOption('trials', 1), 100)
    .option(
      '--timescale-trials <n>',
      `spontaneous trials for timescales (the paper: 50; ≥ ${MIN_TIMESCALE_TRIALS})`,
      parseIntOption('timescale-trials', MIN_TIMESCALE_TRIALS),
      50,
    )
    .option('--workers <n>', 'worker threads (default: all cores)', parseIntOption('workers', 1))
    .option(
      '--engine <name>',
      'kernels (the wasm kernels) or tfjs (TensorFlow.js ops on the selected backend) for the new steps',
      parseEngine,
      'kernels',
    );
  addConfigOptions(cmd, 'model.N=100')
    .option('--force', 'replace an existing report in --out (complete models in <out>.models are reused)')
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit reproduce kim2021 --seeds 3 --out runs/kim2021\n' +
        '  wmkit reproduce kim2021 --seeds 10 --seed 1 --workers 4 --out runs/kim2021 --force   # resumes, adds models\n' +
        '  wmkit reproduce kim2021 --set model.N=40 --set train.maxTrials=300 --trials 4 --out runs/kim-small\n' +
        '  wmkit reproduce kim2021 --seeds 1 --set model.N=20 --set train.maxTrials=40 --trials 2 --timescale-trials 10 --engine tfjs --out runs/kim-tfjs\n\n' +
        'Config: --config/--set/--print-config work on the models to train ({"model": {...}, "train": {...}} over the\n' +
        '--preset); --from <run> takes them from an earlier reproduction. Models already complete in <out>.models are\n' +
        'reused as they are.\n\n' +
        'Writes: report.md, report.html, ii_scaling.svg, and one run directory per model in <out>.models/seed-<k>\n' +
        '        (the files of train ei-rnn, with lif/, scale-ii-0.7/, scale-ii-1.3/ as convert lif and experiment\n' +
        '        scale-synapses write them). Rerunning with --force resumes: complete steps are read back, not rerun.',
    )
    .action(async (o: Options) => {
      process.exitCode = await reproduceKim2021(o);
    });
}
