import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy } from '@wmkit/data-io';
import { createRateRNN, KIM_RATE_CONFIG, RateRnnGradient, simulateSpiking, toSpiking } from '@wmkit/ei-rnn';
import { dmsTask } from '@wmkit/tasks';
import { Adam, initBackend, Rng } from '@wmkit/tensor';
import { type Bench, type BenchRow, runPythonReference, time } from '../harness';

/**
 * E/I RNN hot paths (Kim & Sejnowski):
 *  - rate training: trials/s of BPTT + Adam for the DMS network (N = 200, T = 300), one trial per
 *    update (the paper's protocol) and minibatches of 16; reference: the same network in PyTorch.
 *  - LIF simulation: trial-steps/s of the converted network (N = 200, dt = 0.05 ms, noise,
 *    double-exponential synapses); reference: the same network in Brian2 (Cython), B trials as
 *    B disconnected copies.
 */
export const eiRnnBench: Bench = {
  name: 'ei-rnn',
  description: 'E/I RNN: rate BPTT trials/s (vs PyTorch) and LIF trial-steps/s at dt 0.05 ms (vs Brian2)',
  async run(ctx) {
    await initBackend('wasm', { env: {} });
    const rows: BenchRow[] = [];
    const task = dmsTask();
    for (const B of [1, 16]) {
      const model = createRateRNN(KIM_RATE_CONFIG, new Rng(1));
      const pass = new RateRnnGradient(model.config, 300, B);
      const opt = new Adam({ lr: 0.01 });
      const rng = new Rng(2);
      let k = 0;
      const step = () => {
        pass.compute(model, task.sample(B, rng.fork(`b${k}`)), rng.fork(`p${k++}`), 'kim-l2');
        opt.step([
          { name: 'w', value: model.w, grad: pass.grads.w },
          { name: 'wOut', value: model.wOut, grad: pass.grads.wOut },
          { name: 'bOut', value: model.bOut, grad: pass.grads.bOut },
          { name: 'tauRaw', value: model.tauRaw, grad: pass.grads.tauRaw },
        ]);
      };
      const t = await time(step, { warmup: 3, minRuns: B === 1 ? 30 : 8, minMs: ctx.quick ? 300 : 2000 });
      pass.dispose();
      ctx.log(`  rate training B=${B}: PyTorch reference …`);
      const ref = runPythonReference('kim_rate_train.py', [String(B), String(B === 1 ? 20 : 6)], ['torch']);
      rows.push({
        bench: 'ei-rnn',
        case: `rate BPTT + Adam, N=200, T=300, batch ${B}`,
        backend: 'wasm kernels',
        value: B / (t.medianMs / 1000),
        unit: 'trials/s',
        better: 'higher',
        reference: ref.result ? { name: 'PyTorch CPU 1 thread', value: ref.result.trials_per_s } : undefined,
        note: ref.result ? undefined : `PyTorch ${ref.reason}`,
      });
    }
    // LIF network
    const trials = ctx.quick ? 10 : 20;
    const durationMs = ctx.quick ? 200 : 500;
    const model = createRateRNN(KIM_RATE_CONFIG, new Rng(3));
    const net = toSpiking(model, { scale: 1 / 40 });
    const T = Math.round(durationMs / 5);
    const inputs = { data: new Float32Array(trials * T * 2), shape: [trials, T, 2] };
    let spikes = 0;
    const t = await time(
      () => {
        spikes = simulateSpiking(net, inputs, new Rng(4)).totalSpikes;
      },
      { warmup: 1, minRuns: 3, minMs: 0 },
    );
    const steps = T * 100;
    const dir = mkdtempSync(join(tmpdir(), 'wmkit-bench-lif-'));
    const N = 200;
    const W = new Float32Array(N * N);
    for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) W[i * N + j] = net.WT[j * N + i];
    writeFileSync(join(dir, 'w.npy'), encodeNpy({ data: W, shape: [N, N] }));
    writeFileSync(join(dir, 'taud.npy'), encodeNpy({ data: net.tauDecayMs, shape: [N] }));
    ctx.log('  LIF: Brian2 reference (Cython; the first run compiles) …');
    const ref = runPythonReference(
      'lif_brian2.py',
      [join(dir, 'w.npy'), join(dir, 'taud.npy'), String(trials), String(durationMs)],
      ['brian2'],
    );
    rows.push({
      bench: 'ei-rnn',
      case: `LIF network N=200, dt 0.05 ms, ${trials} trials (${((spikes / (trials * N * durationMs)) * 1000).toFixed(0)} Hz)`,
      backend: 'wasm kernels',
      value: (trials * steps) / (t.medianMs / 1000),
      unit: 'trial-steps/s',
      better: 'higher',
      reference: ref.result
        ? { name: `Brian2 2.5 (Cython; ${Number(ref.result.rate_hz).toFixed(0)} Hz)`, value: ref.result.trial_steps_per_s }
        : undefined,
      note: ref.result ? undefined : `Brian2 ${ref.reason}`,
    });
    return rows;
  },
};
