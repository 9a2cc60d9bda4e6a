/**
 * `wmkit train stm-rnn --lr 0.01 --delay 200 --seed 1 --out runs/stm-1`
 *
 * One network of Kurtkaya et al. (ICML 2025): the DCDT (or the delayed-activation / no-memory
 * control) with the spec's model and training (SGD momentum 0.9, weight decay 1e-7, full batch,
 * epochs = max(1000, 30/lr)); then the learning outcome and, for learned networks, the mechanism
 * (slow-point manifold or limit cycle) from an autonomous run of 9× the trial length.
 * Made to be swept: `wmkit sweep run` over --lr × --delay × --seed.
 */
import { classifyMechanism, learningOutcome } from '@wmkit/analysis';
import { KURTKAYA2025_RNN, rateRnnToArrays, simulateRate, stmEpochs, trainStm } from '@wmkit/ei-rnn';
import { stmTask } from '@wmkit/tasks';
import { initKernels, Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { Plot, stackedPlotsSvg } from '../../figures/plot';
import { Progress } from '../../progress';
import { startRun } from '../../run-helpers';
import { parseIntOption, parseNumberOption } from '../ei-rnn/common';

interface Options {
  lr: number;
  delay: number;
  post: number;
  task: string;
  epochs?: number;
  trialsPerCue: number;
  seed: number;
  out: string;
  force?: boolean;
}

export const STM_KIND = 'stm-rnn';

export async function trainStmRnn(o: Options): Promise<number> {
  if (!(o.lr > 0)) throw new UsageError(`--lr ${o.lr} must be > 0`);
  if (!(o.delay >= 0 && o.delay % 5 === 0)) throw new UsageError(`--delay ${o.delay} must be ≥ 0 and a multiple of 5 ms (dt)`);
  if (!['dcdt', 'delayed-activation', 'no-memory'].includes(o.task))
    throw new UsageError(`--task '${o.task}' is not dcdt, delayed-activation or no-memory`);
  await initKernels();
  const task = stmTask({ kind: o.task as 'dcdt', delayMs: o.delay, postMs: o.post });
  const config = o.task === 'delayed-activation' ? { ...KURTKAYA2025_RNN, nInputs: 1, nOutputs: 1 } : KURTKAYA2025_RNN;
  const epochs = o.epochs ?? stmEpochs(o.lr);
  const run = await startRun(o.out, {
    kind: STM_KIND,
    config: { model: config, task: task.config, lr: o.lr, epochs, trialsPerCue: o.trialsPerCue, momentum: 0.9, weightDecay: 1e-7 },
    seed: o.seed,
    preset: 'kurtkaya2025',
    notes: o.trialsPerCue !== 64 ? [`${o.trialsPerCue} trials per cue instead of the paper's 64 (trials differ only by noise and r0)`] : [],
    force: o.force,
  });
  const bar = new Progress(`  lr ${o.lr}, delay ${o.delay} ms`, epochs, 'epochs');
  const rng = new Rng(o.seed);
  const res = trainStm(task, config, rng, {
    lr: o.lr,
    epochs,
    trialsPerCue: o.trialsPerCue,
    onEpoch: (e, loss, acc) => bar.update(e + 1, { loss: loss.toFixed(4), acc }),
  });
  bar.finish(epochs);
  const outcome = res.divergedAt >= 0 ? 'not-learned' : learningOutcome(res.accuracy, res.reliability);
  let mechanism: string | null = null;
  let ratio: number | null = null;
  if (outcome === 'learned' && task.config.kind !== 'delayed-activation') {
    // autonomous run: the trial's input (cue 0), then zeros, for 9× the trial length
    const T = task.timeline.steps;
    const long = 9 * T;
    const trial = task.trials([0]);
    const inputs = new Float32Array(long * task.nInputs);
    inputs.set(trial.inputs.data);
    const sim = simulateRate(res.model, { data: inputs, shape: [1, long, task.nInputs] }, rng.fork('autonomous'), { noise: false });
    const c = classifyMechanism(sim.rates?.data as Float32Array, long, config.N);
    mechanism = c.mechanism;
    ratio = c.ratio;
  }
  for (const [name, arr] of Object.entries(rateRnnToArrays(res.model))) run.writeArray(name, arr);
  run.writeArray('loss', { data: res.loss, shape: [epochs] }, { description: 'weighted MSE per epoch' });
  run.writeArray('accuracy', { data: res.accuracy, shape: [epochs] }, { description: 'reaction-window accuracy per epoch' });
  run.writeArray('reliability', { data: res.reliability, shape: [epochs] }, { description: 'reaction-window reliability per epoch' });
  const every = Math.max(1, Math.floor(epochs / 400));
  const pts = Array.from({ length: Math.ceil(epochs / every) }, (_, i) => i * every).map((e) => ({
    e,
    loss: res.loss[e],
    acc: res.accuracy[e],
    rel: res.reliability[e],
  }));
  run.addFigure(
    'training',
    stackedPlotsSvg([
      {
        title: `lr ${o.lr}, delay ${o.delay} ms: ${outcome}${mechanism ? `, ${mechanism}` : ''}`,
        width: 640,
        height: 180,
        y: { label: 'loss', grid: true, type: 'log' },
        x: { label: null },
        marks: [
          Plot.line(
            pts.filter((p) => p.loss > 0),
            { x: 'e', y: 'loss' },
          ),
        ],
      },
      {
        width: 640,
        height: 180,
        y: { label: 'accuracy / reliability', domain: [0, 1], grid: true },
        x: { label: 'epoch' },
        marks: [Plot.line(pts, { x: 'e', y: 'acc', stroke: '#1f77b4' }), Plot.line(pts, { x: 'e', y: 'rel', stroke: '#ff7f0e' })],
      },
    ]),
    'loss, accuracy (blue) and reliability (orange) per epoch',
  );
  const code = { 'not-learned': 0, 'limit-cycle': 1, 'slow-point': 2, unstable: 3 } as const;
  const cls = outcome === 'learned' ? ((mechanism as 'limit-cycle' | 'slow-point' | null) ?? 'slow-point') : outcome;
  run.complete({
    outcome,
    mechanism,
    psdRatio: ratio,
    class: code[cls as keyof typeof code],
    lr: o.lr,
    delayMs: o.delay,
    epochs,
    seconds: res.seconds,
    finalAccuracy: res.accuracy[epochs - 1],
    finalReliability: res.reliability[epochs - 1],
  });
  console.log(
    `✓ lr ${o.lr}, delay ${o.delay} ms, seed ${o.seed}: ${outcome}${mechanism ? ` (${mechanism}, power ratio ${ratio?.toFixed(3)})` : ''} after ${epochs} epochs, ${res.seconds.toFixed(1)} s → ${run.dir}`,
  );
  return 0;
}

export function registerTrainStm(train: Command): void {
  train
    .command('stm-rnn')
    .description(
      'one short-term-memory RNN of Kurtkaya et al. 2025 (DCDT): train, then classify how it holds the cue (slow-point manifold or limit cycle)',
    )
    .requiredOption('--lr <x>', 'learning rate (SGD, momentum 0.9)', parseNumberOption('lr'))
    .option('--delay <ms>', 'delay period, 0–400 ms in steps of 5', parseNumberOption('delay'), 200)
    .option('--post <ms>', 'post-response period (0, or 30 as in the code)', parseNumberOption('post'), 0)
    .option('--task <kind>', 'dcdt, delayed-activation or no-memory', 'dcdt')
    .option('--epochs <n>', 'epochs (default max(1000, 30/lr))', parseIntOption('epochs'))
    .option('--trials-per-cue <n>', 'trials per cue in the full batch (paper 64)', parseIntOption('trials-per-cue'), 64)
    .option('--seed <n>', 'seed', parseIntOption('seed'), 1)
    .option('--out <dir>', 'run directory', 'runs/stm-rnn')
    .option('--force', 'replace an existing run in --out')
    .action(async (o: Options) => {
      process.exitCode = await trainStmRnn(o);
    });
}
