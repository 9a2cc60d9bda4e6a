import { ringModel, simulateRing, simulateRingTfjs } from '@wmkit/attractor-models';
import { createHdSnnEngine, denseToEvents, parseHdSnnConfig, patternsFor, recallInput } from '@wmkit/delay-snn';
import {
  createRateRNN,
  createStmRnn,
  KURTKAYA2025_RNN,
  lossAndGradient,
  parseRateRnnConfig,
  RateRnnGradient,
  RateRnnGradientTfjs,
  simulateSpiking,
  toSpiking,
} from '@wmkit/ei-rnn';
import { dmsTask, stmTask } from '@wmkit/tasks';
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
  description:
    'each model on its wasm kernel vs as TensorFlow.js ops on the selected backend (bump ring, E/I rate RNN gradient, LIF conversion, STM RNN gradient, delay SNN recall)',
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
    // LIF conversion (Kim et al. 2019): N 100, 4 trials of 40 rate steps (4,000 LIF steps of 0.05 ms)
    const lifNet = toSpiking(createRateRNN(parseRateRnnConfig({ N: 100 }), new Rng(5)), { scale: 1 / 40 });
    const lifB = 4;
    const lifT = ctx.quick ? 20 : 40;
    const lifInputs = { data: new Float32Array(lifB * lifT * 2).fill(0.5), shape: [lifB, lifT, 2] };
    // STM RNN (Kurtkaya et al. 2025): the full-batch MSE gradient of the paper's network, 2 cues × 8 trials
    const stm = stmTask({ delayMs: 100 });
    const stmCues = Array.from({ length: 16 }, (_, i) => i % 2);
    const stmBatch = stm.trials(stmCues);
    const stmModel = createStmRnn(KURTKAYA2025_RNN, new Rng(6));
    const stmT = stm.timeline.steps;
    const stmK = new RateRnnGradient(KURTKAYA2025_RNN, stmT, stmCues.length);
    const stmTf = new RateRnnGradientTfjs(KURTKAYA2025_RNN, stmT, stmCues.length);
    // delay SNN (Perrinet et al. 2026): recall of one pattern, N 128, D 20, T 200
    const hd = parseHdSnnConfig({ N: 128, D: 20, T: 200, M: 1, p: 0.01, backgroundSteps: 20, seed: 3 });
    const hdSet = patternsFor(hd);
    const hdIn = recallInput(hdSet, hd, new Rng(7));
    const hdEv = denseToEvents(hdIn.data, hd.N, hdIn.steps, 0);
    const hdW = new Rng(8).normal([hd.N * hd.D * hd.N], 0, 0.05);
    const hdShape = { N: hd.N, D: hd.D, steps: hdIn.steps, slots: 0 };
    const hdK = createHdSnnEngine(hdShape, 'kernels');
    const hdT = createHdSnnEngine(hdShape, 'tfjs');
    hdK.setWeights(hdW);
    hdT.setWeights(hdW);
    const hdFwd = { beta: hd.beta, threshold: hd.threshold, reset: hd.reset, tStart: hd.D };
    const timed = (fn: () => void) => {
      const t0 = performance.now();
      fn();
      return performance.now() - t0;
    };
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
      lifK: () => timed(() => simulateSpiking(lifNet, lifInputs, new Rng(4))),
      lifT: () => timed(() => simulateSpiking(lifNet, lifInputs, new Rng(4), { engine: 'tfjs' })),
      stmK: () => timed(() => stmK.compute(stmModel, stmBatch, new Rng(9), 'mse')),
      stmT: () =>
        timed(() =>
          stmTf.compute(stmModel, stmBatch, new Rng(9), 'mse', (o, g, w) =>
            lossAndGradient('mse', o, stmBatch, stmCues.length, stmT, KURTKAYA2025_RNN.nOutputs, w, true, g),
          ),
        ),
      hdK: () => timed(() => hdK.forward(hdEv, hdFwd)),
      hdT: () => timed(() => hdT.forward(hdEv, hdFwd)),
    });
    // kernel memory is a stack: free in the reverse order of allocation
    hdK.dispose();
    stmK.dispose();
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
    const ms = (c: string, k: number | null, t: number | null, tfNote: string) => {
      if (k != null)
        rows.push({
          bench: 'engines',
          case: c,
          backend,
          unit: 'ms',
          better: 'lower',
          wmkit: { name: 'kernels', value: k },
          peer: side(`tfjs engine (${info.name})${tfNote}`, t, null),
        });
    };
    ms(`LIF conversion (N 100), ${lifB} trials × ${lifT * 5} ms (${lifT * 100} steps of 0.05 ms)`, m.lifK, m.lifT, '');
    ms(`STM RNN (N 100, Kurtkaya) MSE + gradient, batch 16, T ${stmT}`, m.stmK, m.stmT, ', autodiff');
    ms(`delay SNN recall (N 128, D 20, ${hdIn.steps} steps), one pattern`, m.hdK, m.hdT, ', dense');
    return rows;
  },
};
