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
import { legendMarks, Plot, stackedPlotsSvg } from '../../figures/plot';
import { parseIntOption, parseNumberOption } from '../../options';
import { Progress } from '../../progress';
import { startRun } from '../../run-helpers';
import { stmDynamics } from './dynamics';

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
  fixedPoints: boolean;
}

export const STM_KIND = 'stm-rnn';

const typeColor = (t: string) => (t === 'stable' ? 'black' : t === 'unstable' ? '#d62728' : '#7f7f7f');

export async function trainStmRnn(o: Options): Promise<number> {
  if (!(o.lr > 0)) throw new UsageError(`--lr ${o.lr} must be > 0`);
  if (!(o.delay >= 0 && o.delay % 5 === 0)) throw new UsageError(`--delay ${o.delay} must be ≥ 0 and a multiple of 5 ms (dt)`);
  if (!(o.post >= 0 && o.post % 5 === 0)) throw new UsageError(`--post ${o.post} must be ≥ 0 and a multiple of 5 ms (dt)`);
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
  let dynamics: { fixedPoints: number; stableFixedPoints: number; slowPoints: number; pcaExplained3: number } | null = null;
  if (o.fixedPoints && res.divergedAt < 0) {
    const d = stmDynamics(res.model, task, rng.fork('dynamics'));
    run.writeArray(
      'pca_trajectories',
      { data: d.projection, shape: [d.nCues, d.T, 3] },
      { description: 'autonomous run per cue (trial input, then zero input for 9× the trial) on the top 3 PCs' },
    );
    run.writeArray('pca_explained', { data: Float32Array.from(d.explained), shape: [3] }, { description: 'variance explained by PC1–3' });
    const K = d.points.length;
    run.writeArray(
      'fixed_points_pca',
      { data: d.pointsProjection, shape: [K, 3] },
      { description: 'fixed/slow points of the zero-input map on PC1–3' },
    );
    run.writeArray('fixed_points_q', { data: Float32Array.from(d.points, (p) => p.q), shape: [K] }, { description: 'q = ½‖F(x) − x‖²' });
    run.writeArray(
      'fixed_points_unstable',
      { data: Float32Array.from(d.points, (p) => p.unstableDirections), shape: [K] },
      { description: 'number of Jacobian eigenvalues with |λ| > 1 (0 = stable)' },
    );
    run.writeArray(
      'fixed_points_slow',
      { data: Uint8Array.from(d.points, (p) => (p.kind === 'slow' ? 1 : 0)), shape: [K] },
      { description: '1 = slow point (q above the fixed-point tolerance 1e-10), 0 = fixed point' },
    );
    run.writeArray(
      'fixed_points_radius',
      { data: Float32Array.from(d.points, (p) => p.spectralRadius), shape: [K] },
      { description: 'spectral radius of the Jacobian' },
    );
    const stable = d.points.filter((p) => p.stable && p.kind === 'fixed').length;
    dynamics = {
      fixedPoints: d.points.filter((p) => p.kind === 'fixed').length,
      stableFixedPoints: stable,
      slowPoints: d.points.filter((p) => p.kind === 'slow').length,
      pcaExplained3: d.explained[0] + d.explained[1] + d.explained[2],
    };
    const traj = [];
    const step = Math.max(1, Math.floor(d.T / 1500));
    for (let c = 0; c < d.nCues; c++)
      for (let t = 0; t < d.T; t += step)
        traj.push({ pc1: d.projection[(c * d.T + t) * 3], pc2: d.projection[(c * d.T + t) * 3 + 1], cue: `cue ${c + 1}`, t });
    const pts = d.points.map((p, k) => ({
      pc1: d.pointsProjection[k * 3],
      pc2: d.pointsProjection[k * 3 + 1],
      type: p.kind === 'slow' ? 'slow' : p.stable ? 'stable' : 'unstable',
    }));
    const pct = (v: number) => `${(100 * v).toFixed(0)}%`;
    run.addFigure(
      'pca_fixed_points',
      stackedPlotsSvg([
        {
          title: `Autonomous runs on PC1–2 (${pct(d.explained[0])}, ${pct(d.explained[1])} of variance) with fixed points`,
          width: 560,
          height: 420,
          x: { label: 'PC1' },
          y: { label: 'PC2' },
          color: { domain: ['cue 1', 'cue 2'], range: ['#1f77b4', '#ff7f0e'] },
          marks: [
            Plot.line(traj, { x: 'pc1', y: 'pc2', z: 'cue', stroke: 'cue', strokeOpacity: 0.7 }),
            Plot.dot(pts, {
              x: 'pc1',
              y: 'pc2',
              r: 5,
              stroke: (p: { type: string }) => typeColor(p.type),
              fill: (p: { type: string }) => (p.type === 'stable' ? 'black' : 'white'),
              strokeWidth: 2,
            }),
            ...legendMarks([
              { label: 'cue 1', color: '#1f77b4' },
              ...(d.nCues === 2 ? [{ label: 'cue 2', color: '#ff7f0e' }] : []),
              { label: 'stable fixed point', color: typeColor('stable') },
              { label: 'saddle / unstable', color: typeColor('unstable') },
              { label: 'slow point', color: typeColor('slow') },
            ]),
          ],
        },
      ]),
      `${d.nCues === 2 ? 'both cues' : 'the cue'}: the trial input, then zero input for 9× the trial; filled = stable fixed point, open = unstable (saddle) or slow point`,
    );
  }
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
    ...(dynamics ?? {}),
  });
  console.log(
    `✓ lr ${o.lr}, delay ${o.delay} ms, seed ${o.seed}: ${outcome}${mechanism ? ` (${mechanism}, power ratio ${ratio?.toFixed(3)})` : ''} after ${epochs} epochs, ${res.seconds.toFixed(1)} s${dynamics ? `; ${dynamics.fixedPoints} fixed points (${dynamics.stableFixedPoints} stable), ${dynamics.slowPoints} slow points` : ''} → ${run.dir}`,
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
    .option('--epochs <n>', 'epochs (default max(1000, 30/lr))', parseIntOption('epochs', 1))
    .option('--trials-per-cue <n>', 'trials per cue in the full batch (paper 64)', parseIntOption('trials-per-cue', 1), 64)
    .option('--seed <n>', 'seed', parseIntOption('seed', 0), 1)
    .option('--out <dir>', 'run directory', 'runs/stm-rnn')
    .option('--force', 'replace an existing run in --out')
    .option(
      '--no-fixed-points',
      'skip the dynamics analysis (autonomous runs on the top 3 PCs, fixed/slow points of the zero-input map and their stability; ~1 s)',
    )
    .action(async (o: Options) => {
      process.exitCode = await trainStmRnn(o);
    });
}
