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
import type { EiRnnTaskName } from '@wmkit/ei-rnn';
import { type FigureList, kim2021PanelFigures, kimIiScalingSvg, textTable } from '@wmkit/figures';
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
  kim2021PanelOutputs,
  kim2021Panels,
  kim2021PanelsSummary,
  kim2021Report,
  kim2021Text,
  kimTaskModel,
  kimTaskRecipe,
} from '@wmkit/papers';
import { checkKimModelDir, kim2021Parallel, kimModelDone, kimTaskNetwork } from '@wmkit/papers/node';
import { UsageError } from '../../errors';
import { parseIntOption, parseListOption } from '../../options';
import { Progress } from '../../progress';
import { startRun, subRunDir, writeOutputs } from '../../run-helpers';
import { presetOrError, writeLifRun, writeRateRun, writeScaleRun } from '../ei-rnn/common';
import { type EiRnnConfig, parseEiRnnConfig } from '../ei-rnn/train';
import { defineReproduce } from './driver';

interface Options {
  seeds: number;
  preset: string;
  trials: number;
  timescaleTrials: number;
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

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

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

/**
 * The panels beyond Figs. 2 and 5 (`kim2021Panels`): the complete DMS models, and networks of the
 * other --tasks (trained and converted here when `<models>/<task>-seed-<k>` is not complete);
 * numbers in `<out>/panels/run.json`, figures beside the report.
 */
async function runPanels(
  o: Options & { engine: 'kernels' | 'tfjs' },
  c: { recipe: KimRecipe; protocol: KimProtocol; seeds: number[]; dirOf: (seed: number) => string; modelsDir: string; run: RunDirectory },
): Promise<KimPanelsResult> {
  const networks: KimPanelNetwork[] = [];
  if (o.tasks.includes('dms'))
    for (const seed of c.seeds) {
      const d = kimModelDone(c.dirOf(seed));
      if (d.trained && d.lif) networks.push({ seed, task: 'dms', model: d.trained.model, inverseScale: d.lif.bestInverseScale });
    }
  for (const task of o.tasks.filter((t) => t !== 'dms'))
    for (const seed of c.seeds) {
      const dir = join(c.modelsDir, `${task}-seed-${seed}`);
      let net = kimTaskNetwork(dir, task, seed);
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
  const outputs = kim2021PanelOutputs(p);
  writeOutputs(sub, outputs);
  sub.complete(outputs.metrics);
  return p;
}

export const registerReproduceKim = defineReproduce<Options, EiRnnConfig>({
  name: 'kim2021',
  kind: 'reproduce.kim2021',
  out: 'runs/kim2021',
  outHelp: 'run directory (the models go to <dir>.models/)',
  seedHelp: 'first seed',
  forceHelp: 'replace an existing report in --out (complete models in <out>.models are reused)',
  description:
    'Kim & Sejnowski 2021: train E/I RNNs on DMS, convert them to LIF networks, then scale I→I synapses × 0.7 and × 1.3 and re-measure timescales and long-delay accuracy; writes report.md/report.html',
  options: [
    ['--seeds <n>', 'models to train (the paper trained dozens; each takes ~5 min of one core)', parseIntOption('seeds', 1), 3],
    ['--preset <name>', 'training preset (kim2021.dms-exact: the authors’ protocol unchanged)', undefined, 'kim2021.dms'],
    ['--trials <n>', 'DMS trials per measurement (λ search, 750-ms test, I→I experiments)', parseIntOption('trials', 1), 100],
    [
      '--timescale-trials <n>',
      `spontaneous trials for timescales (the paper: 50; ≥ ${MIN_TIMESCALE_TRIALS})`,
      parseIntOption('timescale-trials', MIN_TIMESCALE_TRIALS),
      50,
    ],
    [
      '--panels <list>',
      `panels beyond Figs. 2 and 5: ${KIM_PANELS.join(',')}, all or none`,
      parseChoiceList('panels', KIM_PANELS, { all: KIM_PANELS }),
      [...KIM_PANELS],
    ],
    [
      '--tasks <list>',
      'networks of the panels: dms, afc, gonogo (AFC and Go/NoGo ones are trained per seed for Fig. 4)',
      parseChoiceList('tasks', TASKS),
      [...TASKS],
    ],
    ['--cross-temporal-trials <n>', 'Fig. 3: trials per cue sign (the authors: 12)', parseIntOption('cross-temporal-trials', 2), 12],
    [
      '--subgroup-factors <list>',
      'Fig. 6: factors on the between-subgroup I→I (0 silences)',
      parseListOption('subgroup-factors'),
      [0, 0.5, 0.8],
    ],
    ['--subgroup-controls <n>', 'Fig. 6: random equal-size control sets', parseIntOption('subgroup-controls', 1), 10],
    ['--subgroup-trials <n>', 'Fig. 6: 750-ms DMS trials per accuracy, rate network', parseIntOption('subgroup-trials', 1), 200],
    [
      '--subgroup-spiking-trials <n>',
      'Fig. 6 on the spiking network too, with n trials per accuracy (0: rate only)',
      parseIntOption('subgroup-spiking-trials', 0),
      0,
    ],
    [
      '--retrain-task <name>',
      'Fig. 8: the new task of the DMS networks (afc or gonogo)',
      parseChoice('retrain-task', ['afc', 'gonogo']),
      'afc',
    ],
    ['--retrain-max-trials <n>', 'Fig. 8: retraining budget (trials)', parseIntOption('retrain-max-trials', 1), 2000],
    ['--retrain-grid <list>', 'Fig. 8: values of 1/λ for the retrained network', parseListOption('retrain-grid'), [20, 30, 40, 50, 60, 75]],
    ['--retrain-trials <n>', 'Fig. 8: task trials per 1/λ', parseIntOption('retrain-trials', 1), 20],
  ],
  workers: 'worker threads (default: all cores)',
  engine: 'kernels (the wasm kernels) or tfjs (TensorFlow.js ops on the selected backend) for the new steps',
  config: {
    parse: parseEiRnnConfig,
    // the preset's model and training
    base: (o) => {
      const preset = presetOrError(o.preset);
      return { model: preset.model, train: preset.train };
    },
    fromRecorded: (rec) => {
      const r = (rec ?? {}) as { model?: unknown; train?: unknown };
      return { ...(r.model ? { model: r.model } : {}), ...(r.train ? { train: r.train } : {}) };
    },
    example: 'model.N=100',
    help:
      'the models to train ({"model": {...}, "train": {...}} over the\n' +
      '--preset); --from <run> takes them (and the first seed) from an earlier reproduction. Models already complete\n' +
      'in <out>.models are reused as they are.',
  },
  examples: [
    'wmkit reproduce kim2021 --seeds 3 --out runs/kim2021',
    'wmkit reproduce kim2021 --seeds 10 --seed 1 --workers 4 --out runs/kim2021 --force   # resumes, adds models',
    'wmkit reproduce kim2021 --set model.N=40 --set train.maxTrials=300 --trials 4 --out runs/kim-small',
    'wmkit reproduce kim2021 --seeds 1 --set model.N=20 --set train.maxTrials=40 --trials 2 --timescale-trials 10 --engine tfjs --out runs/kim-tfjs',
    'wmkit reproduce kim2021 --seeds 4 --panels fig6 --tasks dms --subgroup-factors 0.5,0.8 --subgroup-spiking-trials 50 --out runs/kim2021 --force',
  ],
  writes:
    "report.md, report.html, ii_scaling.svg, the panels' figures (fig3_cross_temporal, fig3_delay_accuracy,\n" +
    '        fig4_by_task, fig6_subgroups, fig7_fano_vs_tau, fig8_tau_before_after, unbiased_vs_paper .svg), panels/run.json\n' +
    '        (their numbers; tau_ms_<task>-<seed>.npy per network), and one run directory per model in <out>.models/seed-<k>\n' +
    '        (the files of train ei-rnn, with lif/, scale-ii-0.7/, scale-ii-1.3/ as convert lif and experiment\n' +
    '        scale-synapses write them; AFC and Go/NoGo networks in <out>.models/<task>-seed-<k>). Rerunning with --force\n' +
    '        resumes: complete steps are read back, not rerun (the panels are computed again).',
  async run({ o, config, seed: first, start }) {
    const preset = presetOrError(o.preset);
    const workers = Math.max(1, o.workers ?? availableParallelism());
    const modelsDir = `${resolve(o.out)}.models`;
    const seeds = Array.from({ length: o.seeds }, (_, k) => first + k);
    const dirOf = (seed: number) => join(modelsDir, `seed-${seed}`);
    for (const seed of seeds) checkKimModelDir(dirOf(seed));
    const { model, train } = config;
    const recipe: KimRecipe = { preset: preset.name, departures: preset.departures, model, train, taskVariant: preset.task.variant };
    const protocol = { ...KIM2021_PROTOCOL, trials: o.trials, timescaleTrials: o.timescaleTrials };
    const done: Record<number, KimModelDone> = {};
    for (const seed of seeds) done[seed] = kimModelDone(dirOf(seed));
    const run = await start({
      config: {
        preset: o.preset,
        seeds: o.seeds,
        firstSeed: first,
        block: KIM2021_PROTOCOL.block,
        factors: [...FACTORS],
        dmsTrials: o.trials,
        timescaleTrials: o.timescaleTrials,
        models: modelsDir,
        model: recipe.model,
        train: recipe.train,
      },
      preset: o.preset,
    });
    run.setMetrics({ engine: o.engine }); // which implementation runs the new steps: the wasm kernels or TensorFlow.js ops
    const complete = (d: KimModelDone) => Boolean(d.trained && d.lif && FACTORS.every((f) => d.scaled?.[f]));
    const todo = seeds.filter((s) => !complete(done[s] as KimModelDone));
    const threads = plural(Math.min(workers, Math.max(1, todo.length)), 'worker thread');
    console.log(
      `▶ Kim & Sejnowski 2021: ${plural(o.seeds, 'model')} (preset ${o.preset}, seeds ${first}–${first + o.seeds - 1}): train on DMS → convert to LIF (λ search) → I→I × ${FACTORS.join(' and × ')} (timescales and DMS accuracy, paired) on ${threads} → ${run.dir}`,
    );
    if (todo.length < seeds.length)
      console.log(`  ${plural(seeds.length - todo.length, 'model')} already complete in ${modelsDir}: reused`);
    const bar = new Progress('  models', todo.length, 'models');
    bar.update(0, {}, true);
    const fraction = new Map<number, number>();
    const progress = () => [...fraction.values()].reduce((a, v) => a + v, 0);
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
      const { trials, timescaleTrials } = o;
      for (const s of w.scaled)
        if (model && inverseScale != null)
          await writeScaleRun(dir, w.seed, model, s.result, { trials, timescaleTrials, inverseScale, label: 'I→I' });
    };
    const saving: Promise<void>[] = [];
    const result = await kim2021Parallel(
      { recipe, seeds: o.seeds, firstSeed: first, protocol, done, workers, engine: o.engine },
      {
        onModel: (w) => {
          fraction.set(w.seed, 1);
          bar.update(progress(), {}, true);
          saving.push(saveModel(w));
        },
        onModelProgress: (seed, f) => {
          fraction.set(seed, f);
          bar.update(progress());
        },
      },
    );
    await Promise.all(saving);
    bar.finish(todo.length);
    const { models, seconds } = result;
    const failed = models.filter((m) => !m.complete);
    const text = kim2021Text(result, { seeds: o.seeds });
    const iiSvg = kimIiScalingSvg(result);
    const figures: FigureList = iiSvg ? [['ii_scaling', iiSvg, 'I→I scaling: timescales and long-delay accuracy per model']] : [];
    const panels = o.panels.length ? await runPanels(o, { recipe, protocol, seeds, dirOf, modelsDir, run }) : undefined;
    if (panels) {
      for (const line of kim2021PanelsSummary(panels)) console.log(line);
      for (const f of kim2021PanelFigures(panels)) figures.push([f.name, f.svg, f.caption]);
    }
    const runtime = `Runtime ${seconds.toFixed(0)} s on ${threads} (steps already complete were reused).`;
    const { trials, timescaleTrials } = o;
    const opts = { seeds: o.seeds, preset: o.preset, trials, timescaleTrials, modelsDir, runtime, figure: iiSvg != null, panels };
    const ok = models.length > failed.length;
    return {
      run,
      seconds,
      figures,
      outputs: { records: models.map((m) => ({ seed: m.seed, completed: m.complete, failed: m.failed })) },
      report: kim2021Report(result, text, opts),
      metrics: kim2021Metrics(result),
      summary:
        `\n${textTable(text.modelRows)}\n\n${text.trainSummary}\n` +
        (ok ? `\n${textTable(text.tauRows)}\n\n${textTable(text.accRows)}\n\n${text.summary}\n` : '') +
        failed.map((m) => `  ✗ seed ${m.seed}: ${m.failed ?? 'a step did not complete'}\n`).join('') +
        '\n',
      exitCode: failed.length ? 1 : 0,
    };
  },
});
