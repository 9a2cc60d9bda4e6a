/**
 * `wmkit reproduce kurtkaya2025 [--quick | --full] --out runs/kurtkaya2025`
 *
 * The phase diagram of short-term-memory mechanisms of Kurtkaya et al. (ICML 2025), computed by
 * `kurtkaya2025Parallel` of `@wmkit/papers/node` (one worker-thread job per network), declared for
 * the reproduce driver, with its sub-modes: `--toy` (the rank-2 toy models) and `--authors` (the
 * authors' published networks classified here, no training). The networks
 * are kept in `<out>.nets/` (one run directory each, as `wmkit train stm-rnn` writes them) so
 * that a rerun trains only the missing ones; `<out>.nets/sweep.json` is the same grid as a sweep
 * spec, for `wmkit sweep slurm` on a cluster (its runs and these are interchangeable).
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { RunDirectory } from '@wmkit/data-io/node';
import {
  kurtkaya2025Figures,
  kurtkaya2025Rank2Figures,
  kurtkaya2025ToyFigures,
  stmPcaFixedPointsSvg,
  stmTrainingSvg,
  textTable,
} from '@wmkit/figures';
import {
  KURTKAYA2025_EXPONENTS as EX,
  KURTKAYA2025_FULL as FULL,
  type Kurtkaya2025GridConfig,
  type Kurtkaya2025Result,
  kurtkaya2025AuthorsAccount,
  kurtkaya2025FromClassified,
  kurtkaya2025GridConfig,
  kurtkaya2025GridNotes,
  kurtkaya2025GridOfRun,
  kurtkaya2025GridSchema,
  kurtkaya2025Outputs,
  kurtkaya2025Rank2,
  kurtkaya2025Rank2Grid,
  kurtkaya2025Rank2Line,
  kurtkaya2025Rank2Outputs,
  kurtkaya2025Rows,
  kurtkaya2025Toy,
  kurtkaya2025ToyOutputs,
  kurtkaya2025TrainedAccount,
  KURTKAYA2025_QUICK as QUICK,
  STM_TASK_KINDS,
} from '@wmkit/papers';
import { kurtkaya2025Nets, kurtkaya2025NetsPlan, loadAuthorsNetworks } from '@wmkit/papers/node';
import { kurtkayaProtocolProblem } from '@wmkit/tasks';
import { UsageError } from '../../errors';
import { parseIntOption, parseListOption, usage } from '../../options';
import { Progress } from '../../progress';
import { startRun } from '../../run-helpers';
import { defineReproduce } from './driver';

interface Options {
  full?: boolean;
  lrs?: number[];
  seeds?: number;
  delays?: number[];
  post?: number;
  task?: string;
  exponents?: boolean;
  toy?: string;
  trained?: boolean;
  epochs?: number;
  authors?: string;
}

const gridName = (o: { quick?: boolean; full?: boolean; exponents?: boolean }) =>
  o.full ? 'full' : o.exponents && !o.quick ? 'exponents' : 'quick';

export const registerReproduceKurtkaya = defineReproduce<Options, Kurtkaya2025GridConfig>({
  name: 'kurtkaya2025',
  kind: 'reproduce.kurtkaya2025',
  out: 'runs/kurtkaya2025',
  outHelp: 'run directory (networks go to <dir>.nets/)',
  seedHelp: null,
  forceHelp: 'rebuild the report in --out (trained networks in <out>.nets are kept and reused)',
  description:
    'Kurtkaya et al. 2025: train DCDT networks over learning rate × delay × seeds, classify slow-point manifold vs limit cycle vs not learned, phase diagram and critical-learning-rate exponent',
  quick: `reduced grid (default): ${QUICK.lrs.length} lrs × ${QUICK.delays.length} delays × ${QUICK.seeds} seeds, ${QUICK.trialsPerCue} trials per cue`,
  options: [
    [
      '--full',
      `the paper's grid: ${FULL.lrs.length} lrs × ${FULL.delays.length} delays × ${FULL.seeds} seeds (use \`wmkit sweep slurm <out>.nets/sweep.json\` on a cluster)`,
    ],
    ['--lrs <list>', 'learning rates', parseListOption('lrs'), undefined, 'lrs'],
    ['--delays <list>', 'delays in ms', parseListOption('delays'), undefined, 'delays'],
    ['--seeds <n>', 'seeds per cell', parseIntOption('seeds', 1), undefined, 'seeds'],
    [
      '--trials-per-cue <n>',
      'trials per cue in the batch (paper 64; fewer train faster but change the failures at low learning rates)',
      parseIntOption('trials-per-cue', 1),
      undefined,
      'trialsPerCue',
    ],
    ['--post <ms>', 'post-response period (0, the default, or 30)', parseIntOption('post', 0), undefined, 'postMs'],
    [
      '--exponents',
      `both scaling branches, slow-point-manifold boundary and no-learning onset, with β ± 95% CI (default grid: ${EX.lrs.length} lrs × ${EX.delays.length} delays × ${EX.seeds} seeds, 64 trials per cue)`,
    ],
    ['--authors <dir>', "the authors' published networks (folder of lr{lr}_delay_{s}/process_{seed}/): classify them here, no training"],
    ['--toy <name>', 'rank2: the toy models (flow fields; critical learning rates, theory vs simulation); --delays in steps'],
    [
      '--trained',
      'with --toy rank2: train rank-2 RNNs over --delays (steps) × --lrs × --seeds; mechanism, flow fields, critical learning rates',
    ],
    ['--epochs <n>', 'with --toy rank2 --trained: most epochs per network (default 20000)', parseIntOption('epochs', 1)],
    [
      '--task <kind>',
      'dcdt (default), delayed-activation (no cue) or no-memory (the control: target = cue throughout)',
      undefined,
      undefined,
      'task',
    ],
  ],
  workers: 'worker threads (default: all cores)',
  engine: 'kernels (the wasm scan kernel) or tfjs (TensorFlow.js autodiff on the selected backend)',
  check(o) {
    if (o.toy != null) {
      if (o.toy !== 'rank2') throw new UsageError(`--toy '${o.toy}' is not a toy model; use --toy rank2`);
      const least = o.trained ? 1 : 2;
      for (const d of o.delays ?? [])
        if (!(Number.isInteger(d) && d >= least)) throw new UsageError(`--delays ${d}: the toy's delays are steps, integers ≥ ${least}`);
      return;
    }
    if (o.trained) throw new UsageError('--trained goes with --toy rank2 (the trained rank-2 networks)');
    if (o.quick && o.full) throw new UsageError('choose --quick or --full, not both');
    for (const d of o.delays ?? []) {
      const problem = kurtkayaProtocolProblem({ delayMs: d });
      if (problem) throw new UsageError(`--delays: ${problem}`);
    }
    for (const l of o.lrs ?? []) if (!(l > 0)) throw new UsageError(`--lrs: ${l} is not > 0`);
    const postProblem = o.post == null ? null : kurtkayaProtocolProblem({ postMs: o.post });
    if (postProblem) throw new UsageError(`--post ${o.post}: ${postProblem}`);
    if (o.task != null && !(STM_TASK_KINDS as readonly string[]).includes(o.task))
      throw new UsageError(`--task '${o.task}' is not ${STM_TASK_KINDS.join(', ')}`);
  },
  config: {
    schema: kurtkaya2025GridSchema,
    // --exponents brings its own grid unless --quick or --full names another
    base: (o) => kurtkaya2025GridConfig(gridName(o)),
    fromRecorded: kurtkaya2025GridOfRun,
    skip: (o) => o.toy != null,
    example: 'seeds=10',
    help: '{ lrs, delays, seeds, trialsPerCue, postMs, task }. Order: --quick or --full (or --from) →\n  --config → --set → the options above.',
  },
  examples: [
    'wmkit reproduce kurtkaya2025 --out runs/kurtkaya2025',
    'wmkit reproduce kurtkaya2025 --lrs 0.1,0.03 --delays 0,100,200 --seeds 2 --out runs/kk-small',
    'wmkit reproduce kurtkaya2025 --full --out runs/kk-full --print-config',
    'wmkit reproduce kurtkaya2025 --exponents --seeds 3 --trials-per-cue 4 --out runs/kk-exponents',
    'wmkit reproduce kurtkaya2025 --toy rank2 --out runs/kk-toy',
    'wmkit reproduce kurtkaya2025 --toy rank2 --trained --delays 4,8 --lrs 0.01,0.3 --seeds 1 --out runs/kk-rank2',
    'wmkit reproduce kurtkaya2025 --authors ~/dynamical-phases-stm/results_finetune --exponents --out runs/kk-authors',
    'wmkit reproduce kurtkaya2025 --task delayed-activation --lrs 0.1,0.01 --delays 0,100,200,400 --out runs/kk-da',
    'wmkit reproduce kurtkaya2025 --lrs 0.1 --delays 0,100 --seeds 1 --engine tfjs --out runs/kk-tfjs',
    'wmkit sweep slurm runs/kk-full.nets/sweep.json   # the same networks on a cluster, then rerun the command',
  ],
  writes:
    '<out>/run.json, report.md, report.html, metrics.jsonl (one line per learning rate × delay),\n' +
    '  phase_diagram.svg, onsets.svg, scaling.svg (with onsets for ≥ 2 learning rates), psd_ratios.svg,\n' +
    '  loss_by_class.svg, exponents.svg (with --exponents); --toy: run.json, report.md, report.html, toy.svg, metrics.jsonl;\n' +
    '  --toy rank2 --trained: run.json, report.md, report.html, rank2_trained.svg, metrics.jsonl (one line per network);\n' +
    '  <out>.nets/<id>/ one `train stm-rnn` run per network (reused by a rerun), <out>.nets/sweep.json (the grid as a sweep spec)',
  async run({ o, config: g, start }) {
    if (o.toy != null && o.trained) {
      const config = kurtkaya2025Rank2Grid(o);
      const run = await start({ kind: 'reproduce.kurtkaya2025.rank2', config, seed: null });
      const res = kurtkaya2025Rank2(config, { onNetwork: (row, done, total) => console.log(kurtkaya2025Rank2Line(row, done, total)) });
      const { rows, lines, report, outputs } = kurtkaya2025Rank2Outputs(res);
      const figures = kurtkaya2025Rank2Figures(res);
      return { run, report, outputs, figures, summary: `${textTable(rows)}\n\n${lines.slice(2).join('\n')}\n\n` };
    }
    if (o.toy != null) {
      const delays = o.delays ?? [10, 20, 40, 80];
      const run = await start({ kind: 'reproduce.kurtkaya2025.toy', config: { toy: 'rank2', delays, Tresp: 10 }, seed: null });
      const t = kurtkaya2025Toy({ delays, Tresp: 10 });
      const { rows, summary, report, outputs } = kurtkaya2025ToyOutputs(t);
      return { run, report, outputs, figures: kurtkaya2025ToyFigures(t), summary: `${textTable(rows)}\n\n${summary}\n\n` };
    }
    const { postMs, task, trialsPerCue: per } = g;
    if (o.authors != null) {
      const t0 = performance.now();
      const dir = resolve(o.authors);
      const nets = await loadAuthorsNetworks(dir, { task, postMs });
      const run = await start({ config: { authors: dir, task, postMs }, seed: null, preset: 'kurtkaya2025 --authors' });
      const res = kurtkaya2025FromClassified(nets, { postMs, task });
      const seconds = (performance.now() - t0) / 1000;
      return phaseDiagram(run, res, seconds, {
        postMs,
        trialsPerCue: 64,
        exponents: o.exponents,
        ...kurtkaya2025AuthorsAccount(nets, dir),
      });
    }
    const out = resolve(o.out);
    const netsDir = `${out}.nets`;
    const preset = `kurtkaya2025 --${gridName(o)}`;
    const config = { ...g, nets: netsDir, epochs: 'max(1000, 30/lr)' };
    const run = await start({ dir: out, config, seed: null, preset, notes: kurtkaya2025GridNotes(per), engine: o.engine });
    // the grid as a sweep spec (<out>.nets/sweep.json, for `wmkit sweep slurm`) and the networks already complete
    const plan = usage(() => kurtkaya2025NetsPlan(g, netsDir, o.engine));
    const { total, pending } = plan;
    const workers = Math.max(1, Math.min(o.workers ?? availableParallelism(), pending || 1));
    console.log(
      `▶ Kurtkaya et al. 2025 phase diagram: ${g.lrs.length} learning rates × ${g.delays.length} delays × ${g.seeds} seeds = ${total} networks → ${netsDir}`,
    );
    console.log(
      `  ${total} runs (${total - pending} already complete, ${pending} to run)${pending ? ` on ${workers} worker${workers > 1 ? 's' : ''}` : ''}`,
    );
    const t0 = performance.now();
    const bar = new Progress('  networks', pending, 'networks');
    if (pending) bar.update(0, {}, true);
    // each network is saved as it finishes (a killed run keeps what it finished)
    const figures = { stmPcaFixedPointsSvg, stmTrainingSvg };
    const res = await kurtkaya2025Nets(
      g,
      plan,
      { engine: o.engine, workers, start: startRun, figures },
      { onProgress: (p) => bar.update(p.done, {}, true) },
    );
    bar.finish(pending);
    const seconds = (performance.now() - t0) / 1000;
    if (pending) console.log(`✓ ${pending} networks trained in ${seconds.toFixed(1)} s (${(pending / seconds).toFixed(2)} networks/s)`);
    const account = kurtkaya2025TrainedAccount(res, { seconds, netsDir });
    return phaseDiagram(run, res, seconds, { postMs, trialsPerCue: per, exponents: o.exponents, account });
  },
});

/** The phase diagram's run outputs, figures, report and terminal summary (trained here or the authors' networks). */
function phaseDiagram(run: RunDirectory, res: Kurtkaya2025Result, seconds: number, o: Parameters<typeof kurtkaya2025Outputs>[1]) {
  const { report, outputs, summary, exponents } = kurtkaya2025Outputs(res, o);
  const figures = kurtkaya2025Figures(res, exponents);
  return { run, seconds, report, outputs, figures, summary: `\n${textTable(kurtkaya2025Rows(res))}\n\n${summary.join('\n')}\n\n` };
}
