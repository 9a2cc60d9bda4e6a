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
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { RunDirectory } from '@wmkit/data-io/node';
import { kurtkaya2025Figures, kurtkaya2025Rank2Figures, kurtkaya2025ToyFigures, textTable } from '@wmkit/figures';
import {
  KURTKAYA2025_EXPONENTS as EX,
  KURTKAYA2025_FULL as FULL,
  KURTKAYA2025_RANK2_GRID,
  type Kurtkaya2025Network,
  type Kurtkaya2025Result,
  kurtkaya2025FewTrials,
  kurtkaya2025FromClassified,
  kurtkaya2025Outputs,
  kurtkaya2025Rank2,
  kurtkaya2025Rank2Outputs,
  kurtkaya2025Rows,
  kurtkaya2025SweepSpec,
  kurtkaya2025Toy,
  kurtkaya2025ToyOutputs,
  KURTKAYA2025_QUICK as QUICK,
  STM_TASK_KINDS,
  type StmNetworkResult,
} from '@wmkit/papers';
import { kurtkaya2025KnownNetworks, kurtkaya2025Parallel, loadAuthorsNetworks } from '@wmkit/papers/node';
import { KURTKAYA2025_DCDT, kurtkayaProtocolProblem } from '@wmkit/tasks';
import { z } from 'zod';
import { UsageError } from '../../errors';
import { parseIntOption, parseListOption, usage } from '../../options';
import { Progress } from '../../progress';
import { startRun } from '../../run-helpers';
import { fewTrialsNote, STM_KIND, saveStmNetwork } from '../stm/train';
import { loadSweep, type SweepRun } from '../sweep/spec';
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

// the task owns dt: times are whole numbers of its steps
const DT_MS = KURTKAYA2025_DCDT.dtMs;
const taskSteps = (what: string) =>
  z
    .number()
    .refine(
      (v) => v >= 0 && Math.abs(v / DT_MS - Math.round(v / DT_MS)) <= 1e-9 * Math.max(1, v / DT_MS),
      `${what} must be ≥ 0 and a multiple of the task's dt (${DT_MS} ms)`,
    );
/** What determines the result (run.json `config`, less the networks' folder). */
const gridSchema = z.strictObject({
  lrs: z.array(z.number().positive()).min(1),
  delays: z.array(taskSteps('a delay')).min(1),
  seeds: z.number().int().min(1),
  trialsPerCue: z.number().int().min(1),
  postMs: taskSteps('the post period'),
  task: z.enum(STM_TASK_KINDS),
});
type GridConfig = z.infer<typeof gridSchema>;
const gridName = (o: { quick?: boolean; full?: boolean; exponents?: boolean }) =>
  o.full ? 'full' : o.exponents && !o.quick ? 'exponents' : 'quick';

export const registerReproduceKurtkaya = defineReproduce<Options, GridConfig>({
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
    schema: gridSchema,
    // --exponents brings its own grid unless --quick or --full names another
    base: (o) => {
      const p = { quick: QUICK, full: FULL, exponents: EX }[gridName(o)];
      return { lrs: [...p.lrs], delays: [...p.delays], seeds: p.seeds, trialsPerCue: p.trialsPerCue, postMs: 0, task: 'dcdt' };
    },
    fromRecorded: (rec) => {
      const { nets: _nets, epochs: _epochs, ...grid } = (rec ?? {}) as Record<string, unknown>;
      return grid;
    },
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
      const G = KURTKAYA2025_RANK2_GRID;
      const config = {
        delays: o.delays ?? G.delays,
        lrs: o.lrs ?? G.lrs,
        seeds: o.seeds ?? G.seeds,
        epochs: o.epochs ?? G.epochs,
        resp: G.resp,
        N: G.N,
      };
      const run = await start({ kind: 'reproduce.kurtkaya2025.rank2', config, seed: null });
      const res = kurtkaya2025Rank2(config, {
        onNetwork: (row, done, total) => {
          const crit = row.criticalLr == null ? '' : `, 2/λ_max ${row.criticalLr.toExponential(2)}`;
          console.log(`  [${done}/${total}] T ${row.T}, lr ${row.lr}, seed ${row.seed}: ${row.class}${crit} (${row.epochs} epochs)`);
        },
      });
      const { rows, lines, report, outputs } = kurtkaya2025Rank2Outputs(res);
      return {
        run,
        report,
        outputs,
        figures: kurtkaya2025Rank2Figures(res),
        summary: `${textTable(rows)}\n\n${lines.slice(2).join('\n')}\n\n`,
      };
    }
    if (o.toy != null) {
      const delays = o.delays ?? [10, 20, 40, 80];
      const run = await start({ kind: 'reproduce.kurtkaya2025.toy', config: { toy: 'rank2', delays, Tresp: 10 }, seed: null });
      const t = kurtkaya2025Toy({ delays, Tresp: 10 });
      const { rows, summary, report, outputs } = kurtkaya2025ToyOutputs(t);
      return { run, report, outputs, figures: kurtkaya2025ToyFigures(t), summary: `${textTable(rows)}\n\n${summary}\n\n` };
    }
    if (o.authors != null) {
      const t0 = performance.now();
      const dir = resolve(o.authors);
      const nets = await loadAuthorsNetworks(dir, { task: g.task, postMs: g.postMs });
      const config = { authors: dir, task: g.task, postMs: g.postMs };
      const run = await start({ config, seed: null, preset: 'kurtkaya2025 --authors' });
      const res = kurtkaya2025FromClassified(nets, { postMs: g.postMs, task: g.task });
      const withTheirs = nets.filter((n) => n.authorsClass != null);
      const agree = withTheirs.filter((n) => n.authorsClass === n.class).length;
      return phaseDiagram(run, res, (performance.now() - t0) / 1000, {
        postMs: g.postMs,
        trialsPerCue: 64,
        exponents: o.exponents,
        account: `${nets.length} networks of the authors (${dir}) classified here. Cells: not learned / limit cycle / slow-point manifold, % of seeds.`,
        extra: withTheirs.length ? [`Our class agrees with their class.txt in ${agree} of ${withTheirs.length} networks.`] : [],
      });
    }
    const per = g.trialsPerCue;
    const out = resolve(o.out);
    const netsDir = `${out}.nets`;
    const run = await start({
      dir: out,
      config: { ...g, nets: netsDir, epochs: 'max(1000, 30/lr)' },
      seed: null,
      preset: `kurtkaya2025 --${gridName(o)}`,
      notes:
        per !== 64
          ? [
              `${per} trials per cue instead of the paper's 64 (trials of one cue differ only in noise and r0). ${kurtkaya2025FewTrials(per)}`,
            ]
          : [],
    });
    run.setMetrics({ engine: o.engine }); // which implementation trains the networks: the wasm kernels or TensorFlow.js autodiff
    mkdirSync(netsDir, { recursive: true });
    // the same grid as a sweep spec: `wmkit sweep slurm` runs it on a cluster, and the run
    // directories of either are reused by the other
    const specFile = join(netsDir, 'sweep.json');
    writeFileSync(specFile, `${JSON.stringify(kurtkaya2025SweepSpec(g, STM_KIND, o.engine), null, 1)}\n`);
    const sweep = loadSweep(specFile);
    const { runOf, known } = usage(() => kurtkaya2025KnownNetworks(sweep));
    const total = sweep.runs.length;
    const pending = total - known.size;
    const workers = Math.max(1, Math.min(o.workers ?? availableParallelism(), pending || 1));
    console.log(
      `▶ Kurtkaya et al. 2025 phase diagram: ${g.lrs.length} learning rates × ${g.delays.length} delays × ${g.seeds} seeds = ${total} networks → ${netsDir}`,
    );
    console.log(
      `  ${total} runs (${known.size} already complete, ${pending} to run)${pending ? ` on ${workers} worker${workers > 1 ? 's' : ''}` : ''}`,
    );
    const t0 = performance.now();
    const bar = new Progress('  networks', pending, 'networks');
    if (pending) bar.update(0, {}, true);
    // each network is saved as it finishes (a killed run keeps what it finished)
    let saving: Promise<void> = Promise.resolve();
    const save = (net: Kurtkaya2025Network, r: StmNetworkResult) => {
      const sr = runOf.get(net.id) as SweepRun;
      saving = saving.then(async () => {
        const netRun = await startRun(sr.dir, {
          kind: STM_KIND,
          config: r.config,
          seed: net.seed,
          preset: 'kurtkaya2025',
          notes: per !== 64 ? [fewTrialsNote(per)] : [],
          force: existsSync(join(sr.dir, 'run.json')),
          command: ['wmkit', ...sr.args],
        });
        netRun.setMetrics({ engine: o.engine });
        saveStmNetwork(netRun, r);
      });
    };
    const res = await kurtkaya2025Parallel(
      { ...g, known, engine: o.engine },
      { workers, onNetwork: save, onProgress: (p) => bar.update(p.done, {}, true) },
    ).finally(() => saving); // the networks finished before a failure are kept for the rerun
    await saving;
    bar.finish(pending);
    if (pending) {
      const s = (performance.now() - t0) / 1000;
      console.log(`✓ ${pending} networks trained in ${s.toFixed(1)} s (${(pending / s).toFixed(2)} networks/s)`);
    }
    const trained = res.classes.filter((c) => c != null).length;
    const seconds = (performance.now() - t0) / 1000;
    return phaseDiagram(run, res, seconds, {
      postMs: g.postMs,
      trialsPerCue: per,
      exponents: o.exponents,
      account: `${trained} of ${total} networks trained and classified (${seconds.toFixed(0)} s in this call; networks already complete in ${netsDir} were reused). Cells: not learned / limit cycle / slow-point manifold, % of seeds.`,
    });
  },
});

/** The phase diagram's run outputs, figures, report and terminal summary (trained here or the authors' networks). */
function phaseDiagram(run: RunDirectory, res: Kurtkaya2025Result, seconds: number, o: Parameters<typeof kurtkaya2025Outputs>[1]) {
  const { report, outputs, summary, exponents } = kurtkaya2025Outputs(res, o);
  const figures = kurtkaya2025Figures(res, exponents);
  return { run, seconds, report, outputs, figures, summary: `\n${textTable(kurtkaya2025Rows(res))}\n\n${summary.join('\n')}\n\n` };
}
