/**
 * `wmkit train stm-rnn --lr 0.01 --delay 200 --seed 1 --out runs/stm-1`
 *
 * One network of Kurtkaya et al. (ICML 2025): the delayed cue-discrimination task (or the
 * delayed-activation / no-memory control), trained and classified by `trainStmNetwork` of
 * `@wmkit/papers`; this file parses the options, draws the progress bar and writes the run
 * directory (also for the networks of `reproduce kurtkaya2025`, through `saveStmNetwork`).
 */

import type { RunDirectory } from '@wmkit/data-io/node';
import { parseStmProtocol, type StmProtocol, stmProtocol } from '@wmkit/ei-rnn';
import { stmPcaFixedPointsSvg, stmTrainingSvg } from '@wmkit/figures';
import {
  changeStmProtocol,
  STM_TASK_KINDS,
  type StmNetworkResult,
  type StmTaskKind,
  stmNetworkLine,
  trainStmNetworkSteps,
} from '@wmkit/papers';
import { STM_RUN_KIND, startStmRun, writeStmNetwork } from '@wmkit/papers/node';
import { kurtkayaProtocolProblem } from '@wmkit/tasks';
import { initKernels, runStepsYielding } from '@wmkit/tensor';
import type { Command } from 'commander';
import { failOnDivergence } from '../../divergence';
import { UsageError } from '../../errors';
import {
  addConfigOptions,
  type ConfigOptionValues,
  parseIntOption,
  parseNumberOption,
  printConfigIfAsked,
  readConfigFile,
  resolveCommandConfig,
} from '../../options';
import { addEiOptions, exitWith } from '../../options-models';
import { Progress } from '../../progress';
import { startRun } from '../../run-helpers';

interface Options extends ConfigOptionValues {
  lr?: number;
  delay?: number;
  post?: number;
  task?: StmTaskKind;
  epochs?: number;
  trialsPerCue?: number;
  seed?: number;
  out: string;
  force?: boolean;
  fixedPoints: boolean;
  engine: 'kernels' | 'tfjs';
}

export { STM_RUN_KIND as STM_KIND, stmFewTrialsNote as fewTrialsNote } from '@wmkit/papers/node';

/**
 * The resolved protocol: the paper's (for --lr) or a recorded run's (--from), then --config, then
 * each --set, then the shortcut options (--lr, --delay, --post, --task, --epochs, --trials-per-cue).
 * The epochs follow the learning rate (max(1000, 30/lr)) unless given (--epochs, --config, --set),
 * or rerun from a run (--from) with its learning rate.
 */
export function resolveStmConfig(o: Options): { config: StmProtocol; seed: number } {
  if (o.lr != null && !(o.lr > 0)) throw new UsageError(`--lr ${o.lr} must be > 0`);
  const delayProblem = o.delay == null ? null : kurtkayaProtocolProblem({ delayMs: o.delay });
  if (delayProblem) throw new UsageError(`--delay ${o.delay}: ${delayProblem}`);
  const postProblem = o.post == null ? null : kurtkayaProtocolProblem({ postMs: o.post });
  if (postProblem) throw new UsageError(`--post ${o.post}: ${postProblem}`);
  if (o.task != null && !(STM_TASK_KINDS as readonly string[]).includes(o.task))
    throw new UsageError(`--task '${o.task}' is not dcdt, delayed-activation or no-memory`);
  const sets = o.set ?? [];
  const fromFile = o.config ? readConfigFile(o.config) : undefined;
  const fileHas = (k: string) => fromFile !== null && typeof fromFile === 'object' && k in (fromFile as object);
  const setHas = (k: string) => sets.some((s) => s.trim().startsWith(`${k}=`));
  if (o.lr == null && !o.from && !fileHas('lr') && !setHas('lr'))
    throw new UsageError('--lr is required (the learning rate; or give it with --set lr=…, --config or --from <run>)');
  const base = stmProtocol({ lr: o.lr ?? 0.01 });
  const { config: resolved, seed } = resolveCommandConfig(o, {
    base,
    parse: (patch, b, where) => parseStmProtocol(patch, b, where),
    kinds: [STM_RUN_KIND],
  });
  // the shortcut options, last
  const lrChanged = o.lr != null || fileHas('lr') || setHas('lr');
  const keepEpochs = fileHas('epochs') || setHas('epochs') || (o.from != null && !lrChanged);
  const { task, lr, epochs, trialsPerCue } = o;
  const changes = { task, delayMs: o.delay, postMs: o.post, lr, epochs, trialsPerCue };
  const config = changeStmProtocol(resolved, changes, keepEpochs, 'the command-line options');
  return { config, seed: o.seed ?? seed ?? 1 };
}

/** Writes a trained network into `run` and completes it (`writeStmNetwork` of @wmkit/papers/node). */
export const saveStmNetwork = (run: RunDirectory, r: StmNetworkResult) => writeStmNetwork(run, r, { stmPcaFixedPointsSvg, stmTrainingSvg });

export async function trainStmRnn(o: Options): Promise<number> {
  const { config, seed } = resolveStmConfig(o);
  if (printConfigIfAsked(o, config)) return 0;
  await initKernels();
  const run = await startStmRun(startRun, o.out, { config, seed, engine: o.engine, force: o.force });
  const { lr, epochs } = config;
  const bar = new Progress(`  lr ${lr}, delay ${config.task.delayMs} ms`, epochs, 'epochs');
  const r = await failOnDivergence(run, () =>
    // the event loop runs between epochs, so Ctrl-C / SIGTERM stop the training
    runStepsYielding(
      trainStmNetworkSteps(
        { config, seed, dynamics: o.fixedPoints, engine: o.engine },
        { onEpoch: (e, loss, acc) => bar.update(e + 1, { loss: loss.toFixed(4), acc }) },
      ),
    ),
  );
  bar.finish(epochs);
  const m = saveStmNetwork(run, r);
  console.log(`${stmNetworkLine(r, seed, m)} → ${run.dir}`);
  return 0;
}

export function registerTrainStm(train: Command): void {
  const cmd = train
    .command('stm-rnn')
    .description(
      'one short-term-memory RNN of Kurtkaya et al. 2025 (DCDT): train, then classify how it holds the cue (slow-point manifold or limit cycle)',
    )
    .option('--lr <x>', 'learning rate (SGD, momentum 0.9); required unless --from, --config or --set give it', parseNumberOption('lr'))
    .option('--delay <ms>', 'delay period, 0–400 ms in steps of 5 (default 200)', parseNumberOption('delay'))
    .option('--post <ms>', 'post-response period (default 0; 30 as in the code)', parseNumberOption('post'))
    .option('--task <kind>', 'dcdt (default), delayed-activation or no-memory')
    .option('--epochs <n>', 'epochs (default max(1000, 30/lr))', parseIntOption('epochs', 1))
    .option('--trials-per-cue <n>', 'trials per cue in the full batch (default 64, the paper)', parseIntOption('trials-per-cue', 1))
    .option('--seed <n>', 'seed (default 1)', parseIntOption('seed', 0))
    .option('--out <dir>', 'run directory', 'runs/stm-rnn');
  addEiOptions(cmd, {
    force: true,
    engine: ['kernels (the wasm scan kernel) or tfjs (TensorFlow.js autodiff on the selected backend)', 'kernels'],
  }).option(
    '--no-fixed-points',
    'skip the dynamics analysis (autonomous runs on the top 3 PCs, fixed/slow points of the zero-input map and their stability; ~1 s)',
  );
  addConfigOptions(cmd, 'task.cueMs=50')
    .addHelpText(
      'after',
      '\nConfig: { model (the rate RNN), task { kind, dtMs, cueMs, delayMs, responseMs, postMs, cues }, lr, epochs,\n' +
        '  trialsPerCue, momentum, weightDecay }, as run.json records it. Order: the paper (or --from) → --config →\n' +
        '  --set → the options above.\n\n' +
        'Examples:\n' +
        '  wmkit train stm-rnn --lr 0.01 --delay 200 --out runs/stm-1\n' +
        '  wmkit train stm-rnn --lr 0.1 --task no-memory --trials-per-cue 8 --out runs/stm-nomem\n' +
        '  wmkit train stm-rnn --from runs/stm-1 --set momentum=0.5 --out runs/stm-2\n' +
        '  wmkit train stm-rnn --lr 0.03 --print-config\n' +
        '  wmkit train stm-rnn --lr 0.1 --delay 100 --epochs 50 --engine tfjs --out runs/stm-tfjs\n\n' +
        'Writes: run.json (config, outcome, mechanism, class 0 not learned / 1 limit cycle / 2 slow-point / 3 unstable),\n' +
        '  w, sign, som_m, w_in, bias, w_out, b_out, taus_gaus .npy (the network), loss, accuracy, reliability .npy\n' +
        '  (per epoch), training.svg; with the dynamics: pca_trajectories, pca_explained, fixed_points_pca,\n' +
        '  fixed_points_q, fixed_points_unstable, fixed_points_slow, fixed_points_radius .npy, pca_fixed_points.svg',
    )
    .action(exitWith(trainStmRnn));
}
