import { ringModel, simulateRing, simulateRingTfjs } from '@wmkit/attractor-models';
import { createRateRNN, lossAndGradient, parseRateRnnConfig, RateRnnGradient, RateRnnGradientTfjs } from '@wmkit/ei-rnn';
import { dmsTask } from '@wmkit/tasks';
import { backendInfo, initBackend, initKernels, Rng } from '@wmkit/tensor';
import { type Bench, type BenchRow, interleaved, side } from '../harness';

/**
 * The two engines of each model on this machine: the fused wasm kernels against the same model
 * as TensorFlow.js ops on the backend @wmkit/tensor selected (wasm or cpu here; tfjs-node,
 * tfjs-node-gpu or WebGPU where installed, which is where the tfjs engine is meant to win).
 * The "peer" column is the tfjs engine. Both run one thread here.
 */
export const enginesBench: Bench = {
  name: 'engines',
  description: 'each model on its wasm kernel vs as TensorFlow.js ops on the selected backend (bump ring, E/I rate RNN gradient)',
  async run(ctx) {
    await initKernels();
    const info = await initBackend();
    const trials = ctx.quick ? 16 : 64;
    const delayMs = 1000;
    const p = ringModel('bump');
    const net = parseRateRnnConfig({ N: 200 });
    const task = dmsTask();
    const B = 8;
    const T = task.timeline.steps;
    const model = createRateRNN(net, new Rng(1));
    const batch = task.sample(B, new Rng(2));
    const kernPass = new RateRnnGradient(net, T, B);
    const tfPass = new RateRnnGradientTfjs(net, T, B);
    ctx.log(`  engines: bump ${trials} trials, rate RNN N 200 gradient (B ${B}, T ${T}); tfjs backend ${info.name} …`);
    const m = await interleaved(ctx.rounds, {
      ringK: () => {
        const t0 = performance.now();
        simulateRing(p, { trials, delayMs }, new Rng(1));
        return trials / ((performance.now() - t0) / 1000);
      },
      ringT: () => {
        const t0 = performance.now();
        simulateRingTfjs(p, { trials, delayMs }, new Rng(1));
        return trials / ((performance.now() - t0) / 1000);
      },
      gradK: () => {
        const t0 = performance.now();
        kernPass.compute(model, batch, new Rng(3), 'kim-l2');
        return performance.now() - t0;
      },
      gradT: () => {
        const t0 = performance.now();
        tfPass.compute(model, batch, new Rng(3), 'kim-l2', (o, g, w) => lossAndGradient('kim-l2', o, batch, B, T, 1, w, false, g));
        return performance.now() - t0;
      },
    });
    kernPass.dispose();
    const backend = `kernels: wasm; tfjs: ${backendInfo()?.name ?? info.name}`;
    const rows: BenchRow[] = [];
    if (m.ringK != null)
      rows.push({
        bench: 'engines',
        case: `bump ring, ${trials} trials of the ${delayMs}-ms-delay protocol`,
        backend,
        unit: 'trials/s',
        better: 'higher',
        wmkit: { name: 'kernels', value: m.ringK },
        peer: side(`tfjs engine (${info.name})`, m.ringT, null),
      });
    if (m.gradK != null)
      rows.push({
        bench: 'engines',
        case: `E/I rate RNN (N 200) loss + gradient, batch ${B}, T ${T}`,
        backend,
        unit: 'ms',
        better: 'lower',
        wmkit: { name: 'kernels', value: m.gradK },
        peer: side(`tfjs engine (${info.name}), autodiff`, m.gradT, null),
      });
    return rows;
  },
};
