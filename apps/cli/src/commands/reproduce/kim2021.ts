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
 * `wmkit train ei-rnn`, `convert lif` and `experiment scale-synapses` write; `kim2021Models` and
 * `kim2021PanelsRun` of @wmkit/papers/node train, save and read them back (a stopped
 * reproduction resumes where it stopped).
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { MIN_TIMESCALE_TRIALS } from '@wmkit/analysis';
import type { EiRnnTaskName } from '@wmkit/ei-rnn';
import { type FigureList, kim2021PanelFigures, kimIiScalingSvg, textTable } from '@wmkit/figures';
import {
  KIM_PANELS,
  KIM2021_PROTOCOL,
  type KimPanelOptions,
  kim2021ConfigOfRun,
  kim2021PanelsSummary,
  kim2021RunConfig,
  kim2021RunResult,
  kimRecipe,
} from '@wmkit/papers';
import { kim2021Models, kim2021ModelsPlan, kim2021PanelsRun } from '@wmkit/papers/node';
import { parseIntOption, parseListOption } from '../../options';
import { Progress } from '../../progress';
import { startRun, subRunDir } from '../../run-helpers';
import { presetOrError, writeLifRun, writeRateRun, writeScaleRun } from '../ei-rnn/common';
import { type EiRnnConfig, parseEiRnnConfig } from '../ei-rnn/train';
import { defineReproduce, parseChoice, parseChoiceList } from './driver';

/** The panels' options (`KimPanelOptions`, by name; Fig. 3's trials per cue as --cross-temporal-trials) and the reproduction's. */
interface Options extends Omit<KimPanelOptions, 'crossTemporalTrialsPerCue' | 'fanoPermutations' | 'taskPermutations' | 'engine'> {
  seeds: number;
  preset: string;
  trials: number;
  tasks: EiRnnTaskName[];
  crossTemporalTrials: number;
}

const FACTORS = KIM2021_PROTOCOL.factors;
const writers = { writeRateRun, writeLifRun, writeScaleRun };

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

const TASKS: readonly EiRnnTaskName[] = ['dms', 'afc', 'gonogo'];

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
    fromRecorded: kim2021ConfigOfRun,
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
    const plan = kim2021ModelsPlan(`${resolve(o.out)}.models`, first, o.seeds);
    const recipe = kimRecipe(preset, config);
    const protocol = { ...KIM2021_PROTOCOL, trials: o.trials, timescaleTrials: o.timescaleTrials };
    const { modelsDir, todo, seeds } = plan;
    const runConfig = kim2021RunConfig(recipe, protocol, { ...o, firstSeed: first, modelsDir });
    const run = await start({ config: runConfig, preset: o.preset, engine: o.engine });
    const threads = plural(Math.min(workers, Math.max(1, todo.length)), 'worker thread');
    console.log(
      `▶ Kim & Sejnowski 2021: ${plural(o.seeds, 'model')} (preset ${o.preset}, seeds ${first}–${first + o.seeds - 1}): train on DMS → convert to LIF (λ search) → I→I × ${FACTORS.join(' and × ')} (timescales and DMS accuracy, paired) on ${threads} → ${run.dir}`,
    );
    if (todo.length < seeds.length)
      console.log(`  ${plural(seeds.length - todo.length, 'model')} already complete in ${modelsDir}: reused`);
    const bar = new Progress('  models', todo.length, 'models');
    bar.update(0, {}, true);
    const result = await kim2021Models(
      plan,
      { recipe, protocol, workers, engine: o.engine, writers },
      { onProgress: (p) => bar.update(p.done, {}, p.stage.endsWith('done')) },
    );
    bar.finish(todo.length);
    const { models, seconds } = result;
    const failed = models.filter((m) => !m.complete);
    const iiSvg = kimIiScalingSvg(result);
    const figures: FigureList = iiSvg ? [['ii_scaling', iiSvg, 'I→I scaling: timescales and long-delay accuracy per model']] : [];
    let panelBar: Progress | undefined;
    const panels = o.panels.length
      ? await kim2021PanelsRun(
          {
            ...o,
            crossTemporalTrialsPerCue: o.crossTemporalTrials,
            recipe,
            protocol,
            plan,
            writers,
            start: startRun,
            dir: subRunDir(run.dir, 'panels'),
          },
          {
            onTrain: (task, seed, dir) => console.log(`  ${task} seed ${seed}: train and convert → ${dir}`),
            onFailure: (task, seed, message) => console.log(`  ✗ ${task} seed ${seed}: ${message}`),
            onProgress: (q) => (panelBar ??= new Progress('  panels', q.total, 'networks')).update(q.done, { step: q.stage }),
          },
        )
      : undefined;
    if (panels) {
      panelBar?.finish(panels.networks.length);
      for (const line of kim2021PanelsSummary(panels)) console.log(line);
      for (const f of kim2021PanelFigures(panels)) figures.push([f.name, f.svg, f.caption]);
    }
    const runtime = `Runtime ${seconds.toFixed(0)} s on ${threads} (steps already complete were reused).`;
    const { trials, timescaleTrials } = o;
    const opts = { seeds: o.seeds, preset: o.preset, trials, timescaleTrials, modelsDir, runtime, figure: iiSvg != null, panels };
    const { outputs, report, text } = kim2021RunResult(result, opts);
    const ok = models.length > failed.length;
    return {
      run,
      seconds,
      figures,
      outputs,
      report,
      summary:
        `\n${textTable(text.modelRows)}\n\n${text.trainSummary}\n` +
        (ok ? `\n${textTable(text.tauRows)}\n\n${textTable(text.accRows)}\n\n${text.summary}\n` : '') +
        failed.map((m) => `  ✗ seed ${m.seed}: ${m.failed ?? 'a step did not complete'}\n`).join('') +
        '\n',
      exitCode: failed.length ? 1 : 0,
    };
  },
});
