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
import { MIN_TIMESCALE_TRIALS } from '@wmkit/analysis';
import type { RunDirectory } from '@wmkit/data-io/node';
import { readRun } from '@wmkit/data-io/node';
import type { EiRnnTaskName } from '@wmkit/ei-rnn';
import { kim2021PanelFigures, kimIiScalingSvg, renderReport, textTable, withMetricsSection } from '@wmkit/figures';
import {
  KIM_PANELS,
  KIM2021_PROTOCOL,
  type KimModelDone,
  type KimModelWork,
  type KimPanel,
  type KimPanelNetwork,
  type KimPanelsResult,
  type KimProtocol,
  type KimRecipe,
  kim2021Metrics,
  kim2021PanelMetrics,
  kim2021Panels,
  kim2021PanelsSummary,
  kim2021Report,
  kim2021Text,
  kimTaskModel,
  kimTaskRecipe,
} from '@wmkit/papers';
import { kim2021Parallel } from '@wmkit/papers/node';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import {
  addConfigOptions,
  type ConfigOptionValues,
  parseEngine,
  parseIntOption,
  parseListOption,
  printConfigIfAsked,
  resolveCommandConfig,
} from '../../options';
import { Progress } from '../../progress';
import { startRun, subRunDir } from '../../run-helpers';
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
  panels: KimPanel[];
  tasks: EiRnnTaskName[];
  crossTemporalTrials: number;
  subgroupFactors: number[];
  subgroupControls: number;
  subgroupTrials: number;
  subgroupSpikingTrials: number;
  retrainTask: EiRnnTaskName;
  retrainMaxTrials: number;
  retrainGrid: number[];
  retrainTrials: number;
}

const FACTORS = KIM2021_PROTOCOL.factors;
/** run.json kind of the panels' sub-run. */
export const EI_PANELS_KIND = 'reproduce.kim2021.panels';
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

/** A converted network of another task in `dir`, read back, or null when it is not complete. */
function taskNetworkOf(dir: string, task: EiRnnTaskName, seed: number): KimPanelNetwork | null {
  const lif = completeRun(dir) && completeRun(join(dir, 'lif'));
  if (!lif) return null;
  const rate = loadRateRun(dir);
  if (rate.task !== task)
    throw new UsageError(`${dir} holds a network trained on ${rate.task}, not ${task}; remove it or choose another --out`);
  return { seed, task, model: rate.model, inverseScale: lifSummaryOf(lif.manifest.metrics, join(dir, 'lif', 'run.json')).bestInverseScale };
}

/**
 * The panels beyond Figs. 2 and 5 (`kim2021Panels`): the complete DMS models, and networks of the
 * other --tasks (trained and converted here when `<models>/<task>-seed-<k>` is not complete);
 * numbers in `<out>/panels/run.json`, figures beside the report.
 */
async function runPanels(
  o: Options,
  c: { recipe: KimRecipe; protocol: KimProtocol; seeds: number[]; dirOf: (seed: number) => string; modelsDir: string; run: RunDirectory },
): Promise<KimPanelsResult> {
  const networks: KimPanelNetwork[] = [];
  if (o.tasks.includes('dms'))
    for (const seed of c.seeds) {
      const d = doneSteps(c.dirOf(seed));
      if (d.trained && d.lif) networks.push({ seed, task: 'dms', model: d.trained.model, inverseScale: d.lif.bestInverseScale });
    }
  for (const task of o.tasks.filter((t) => t !== 'dms'))
    for (const seed of c.seeds) {
      const dir = join(c.modelsDir, `${task}-seed-${seed}`);
      let net = taskNetworkOf(dir, task, seed);
      if (!net) {
        console.log(`  ${task} seed ${seed}: train and convert → ${dir}`);
        const w = await kimTaskModel(c.recipe, task, seed, c.protocol, o.engine);
        await writeRateRun(dir, kimTaskRecipe(c.recipe, task), seed, w.train, true, o.engine);
        if (w.lif) await writeLifRun(dir, seed, w.lif, { grid: c.protocol.grid, trials: c.protocol.trials, longTrials: 0, task });
        if (w.failure || !w.lif) {
          console.log(`  ✗ ${task} seed ${seed}: ${w.failure}`);
          continue;
        }
        net = { seed, task, model: w.train.model, inverseScale: w.lif.summary.bestInverseScale };
      }
      networks.push(net);
    }
  const bar = new Progress('  panels', networks.length, 'networks');
  bar.update(0, {}, true);
  const p = await kim2021Panels(
    networks,
    {
      panels: o.panels,
      timescaleTrials: o.timescaleTrials,
      crossTemporalTrialsPerCue: o.crossTemporalTrials,
      subgroupFactors: o.subgroupFactors,
      subgroupControls: o.subgroupControls,
      subgroupTrials: o.subgroupTrials,
      subgroupSpikingTrials: o.subgroupSpikingTrials,
      retrainTask: o.retrainTask,
      retrainMaxTrials: o.retrainMaxTrials,
      retrainGrid: o.retrainGrid,
      retrainTrials: o.retrainTrials,
      engine: o.engine,
    },
    { onProgress: (q) => bar.update(q.done, { step: q.stage }) },
  );
  bar.finish(networks.length);
  const sub = await startRun(subRunDir(c.run.dir, 'panels'), {
    kind: EI_PANELS_KIND,
    config: { parent: '..', ...p.options },
    seed: null,
    force: true,
  });
  for (const n of p.networks) {
    const N = n.tauMs.length;
    sub.writeArray(
      `tau_ms_${n.task}-${n.seed}`,
      { data: n.tauMs, shape: [N] },
      { description: 'τ per unit, the paper’s estimator (NaN: excluded)' },
    );
    if (n.unbiased)
      sub.writeArray(
        `tau_unbiased_ms_${n.task}-${n.seed}`,
        { data: n.unbiased.tauMs, shape: [N] },
        { description: 'τ per unit, unbiased estimator (NaN: excluded)' },
      );
  }
  sub.complete(kim2021PanelMetrics(p));
  for (const f of kim2021PanelFigures(p)) c.run.addFigure(f.name, f.svg, f.caption);
  return p;
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
  const text = kim2021Text(result, { seeds: o.seeds });
  const { modelRows, tauRows, accRows, summary, trainSummary } = text;
  const iiSvg = kimIiScalingSvg(result);
  if (iiSvg) run.addFigure('ii_scaling', iiSvg, 'I→I scaling: timescales and long-delay accuracy per model');
  const panels = o.panels.length ? await runPanels(o, { recipe, protocol, seeds, dirOf, modelsDir, run }) : undefined;
  if (panels) for (const line of kim2021PanelsSummary(panels)) console.log(line);
  const failures = failed.map((m) => `seed ${m.seed}: ${m.failed ?? 'a step did not complete'}`);
  const metrics = kim2021Metrics(result);
  const { md, html } = renderReport(
    withMetricsSection(
      kim2021Report(result, text, {
        seeds: o.seeds,
        preset: o.preset,
        trials: o.trials,
        timescaleTrials: o.timescaleTrials,
        modelsDir,
        runtime: `Runtime ${seconds.toFixed(0)} s on ${plural(Math.min(workers, Math.max(1, todo.length)), 'worker thread')} (steps already complete were reused).`,
        figure: iiSvg != null,
        panels,
      }),
      metrics,
    ),
  );
  run.writeFile('report.md', md);
  run.writeFile('report.html', html);
  for (const m of models) run.appendMetrics({ seed: m.seed, completed: m.complete, failed: m.failed });
  run.complete(metrics);
  console.log(`\n${textTable(modelRows)}\n\n${trainSummary}`);
  if (ok.length) console.log(`\n${textTable(tauRows)}\n\n${textTable(accRows)}\n\n${summary}`);
  for (const f of failures) console.log(`  ✗ ${f}`);
  console.log(`\n✓ report: ${resolve(run.path('report.html'))} (and report.md), ${seconds.toFixed(0)} s`);
  return failed.length ? 1 : 0;
}

const TASKS: readonly EiRnnTaskName[] = ['dms', 'afc', 'gonogo'];

/** A comma-separated list of names from `allowed` (`aliases` expand; 'none' is the empty list). */
function parseChoiceList<T extends string>(name: string, allowed: readonly T[], aliases: Record<string, readonly T[]> = {}) {
  return (v: string): T[] => {
    if (v.trim() === 'none') return [];
    const out: T[] = [];
    for (const x of v.split(',').map((s) => s.trim())) {
      const a = aliases[x];
      if (a) out.push(...a);
      else if ((allowed as readonly string[]).includes(x)) out.push(x as T);
      else throw new UsageError(`--${name}: unknown '${x}'; choose from ${[...allowed, ...Object.keys(aliases), 'none'].join(', ')}`);
    }
    return [...new Set(out)];
  };
}

/** One name from `allowed`. */
function parseChoice<T extends string>(name: string, allowed: readonly T[]) {
  return (v: string): T => {
    if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got '${v}'`);
    return v as T;
  };
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
  cmd
    .option(
      '--panels <list>',
      `panels beyond Figs. 2 and 5: ${KIM_PANELS.join(',')}, all or none`,
      parseChoiceList('panels', KIM_PANELS, { all: KIM_PANELS }),
      [...KIM_PANELS],
    )
    .option(
      '--tasks <list>',
      'networks of the panels: dms, afc, gonogo (AFC and Go/NoGo ones are trained per seed for Fig. 4)',
      parseChoiceList('tasks', TASKS),
      [...TASKS],
    )
    .option('--cross-temporal-trials <n>', 'Fig. 3: trials per cue sign (the authors: 12)', parseIntOption('cross-temporal-trials', 2), 12)
    .option(
      '--subgroup-factors <list>',
      'Fig. 6: factors on the between-subgroup I→I (0 silences)',
      parseListOption('subgroup-factors'),
      [0, 0.5, 0.8],
    )
    .option('--subgroup-controls <n>', 'Fig. 6: random equal-size control sets', parseIntOption('subgroup-controls', 1), 10)
    .option('--subgroup-trials <n>', 'Fig. 6: 750-ms DMS trials per accuracy, rate network', parseIntOption('subgroup-trials', 1), 200)
    .option(
      '--subgroup-spiking-trials <n>',
      'Fig. 6 on the spiking network too, with n trials per accuracy (0: rate only)',
      parseIntOption('subgroup-spiking-trials', 0),
      0,
    )
    .option(
      '--retrain-task <name>',
      'Fig. 8: the new task of the DMS networks (afc or gonogo)',
      parseChoice('retrain-task', ['afc', 'gonogo']),
      'afc',
    )
    .option('--retrain-max-trials <n>', 'Fig. 8: retraining budget (trials)', parseIntOption('retrain-max-trials', 1), 2000)
    .option(
      '--retrain-grid <list>',
      'Fig. 8: values of 1/λ for the retrained network',
      parseListOption('retrain-grid'),
      [20, 30, 40, 50, 60, 75],
    )
    .option('--retrain-trials <n>', 'Fig. 8: task trials per 1/λ', parseIntOption('retrain-trials', 1), 20);
  addConfigOptions(cmd, 'model.N=100')
    .option('--force', 'replace an existing report in --out (complete models in <out>.models are reused)')
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit reproduce kim2021 --seeds 3 --out runs/kim2021\n' +
        '  wmkit reproduce kim2021 --seeds 10 --seed 1 --workers 4 --out runs/kim2021 --force   # resumes, adds models\n' +
        '  wmkit reproduce kim2021 --set model.N=40 --set train.maxTrials=300 --trials 4 --out runs/kim-small\n' +
        '  wmkit reproduce kim2021 --seeds 1 --set model.N=20 --set train.maxTrials=40 --trials 2 --timescale-trials 10 --engine tfjs --out runs/kim-tfjs\n' +
        '  wmkit reproduce kim2021 --seeds 4 --panels fig6 --tasks dms --subgroup-factors 0.5,0.8 --subgroup-spiking-trials 50 --out runs/kim2021 --force\n\n' +
        'Config: --config/--set/--print-config work on the models to train ({"model": {...}, "train": {...}} over the\n' +
        '--preset); --from <run> takes them from an earlier reproduction. Models already complete in <out>.models are\n' +
        'reused as they are.\n\n' +
        "Writes: report.md, report.html, ii_scaling.svg, the panels' figures (fig3_cross_temporal, fig3_delay_accuracy,\n" +
        '        fig4_by_task, fig6_subgroups, fig7_fano_vs_tau, fig8_tau_before_after, unbiased_vs_paper .svg), panels/run.json\n' +
        '        (their numbers; tau_ms_<task>-<seed>.npy per network), and one run directory per model in <out>.models/seed-<k>\n' +
        '        (the files of train ei-rnn, with lif/, scale-ii-0.7/, scale-ii-1.3/ as convert lif and experiment\n' +
        '        scale-synapses write them; AFC and Go/NoGo networks in <out>.models/<task>-seed-<k>). Rerunning with --force\n' +
        '        resumes: complete steps are read back, not rerun (the panels are computed again).',
    )
    .action(async (o: Options) => {
      process.exitCode = await reproduceKim2021(o);
    });
}
