import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy } from '@wmkit/data-io';
import { createRateRNN, KIM_RATE_CONFIG, RateRnnGradient, simulateSpiking, toSpiking } from '@wmkit/ei-rnn';
import { dmsTask } from '@wmkit/tasks';
import { Adam, initBackend, Rng } from '@wmkit/tensor';
import {
  ALL_CORES,
  type Bench,
  type BenchContext,
  type BenchRow,
  interleaved,
  num,
  onKernelThreads,
  runPythonReference,
  side,
  time,
} from '../harness';

/**
 * E/I RNN hot paths (Kim & Sejnowski):
 *  - rate training: trials/s of BPTT + Adam for the DMS network (N = 200, T = 300), one trial per
 *    update (the paper's protocol) and minibatches of 16; peer: the same network in PyTorch
 *    (reference/kim_rate_train.py, time-major), 1 thread and all cores.
 *  - LIF simulation: trial-steps/s of the converted network (N = 200, dt = 0.05 ms, noise,
 *    double-exponential synapses), kernel threads 1 and all cores (trials split); peer: the same network in Brian2, B trials as B disconnected
 *    copies, with its Cython runtime (single-threaded; float64, its default, and float32, the
 *    precision of wmkit's kernel) and as C++ standalone with OpenMP.
 */
export const eiRnnBench: Bench = {
  name: 'ei-rnn',
  description: 'E/I RNN: rate BPTT trials/s (vs PyTorch) and LIF trial-steps/s at dt 0.05 ms (vs Brian2 Cython and C++ standalone)',
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
      const torch = (threads: number) =>
        num(runPythonReference('kim_rate_train.py', [String(B), String(B === 1 ? 20 : 6)], ['torch'], { threads }), 'trials_per_s');
      ctx.log(
        `  rate training B=${B}: wmkit (kernel threads 1, ${ALL_CORES}) and PyTorch (1 thread, ${ALL_CORES}), interleaved × ${ctx.rounds} …`,
      );
      const wmkit = (threads: number) =>
        onKernelThreads(threads, async () => {
          const t = await time(step, { warmup: 3, minRuns: B === 1 ? 20 : 6, minMs: ctx.quick ? 300 : 1000 });
          return B / (t.medianMs / 1000);
        });
      const m = await interleaved(ctx.rounds, {
        wmkit: () => wmkit(1),
        wmkitAll: () => (ALL_CORES > 1 ? wmkit(ALL_CORES) : null),
        one: () => torch(1),
        all: () => (ALL_CORES > 1 ? torch(ALL_CORES) : null),
      });
      pass.dispose();
      if (m.wmkit == null) continue;
      rows.push({
        bench: 'ei-rnn',
        case: `rate BPTT + Adam, N=200, T=300, batch ${B}`,
        backend: 'wasm kernels',
        unit: 'trials/s',
        better: 'higher',
        wmkit: side('wmkit', m.wmkit, m.wmkitAll) as NonNullable<ReturnType<typeof side>>,
        peer: side('PyTorch CPU, time-major', m.one, m.all),
        note: m.one == null ? 'PyTorch not installed' : undefined,
      });
    }
    rows.push(...(await lifRows(ctx)));
    return rows;
  },
};

/**
 * The LIF rows: wmkit's kernel (1 thread and all cores) against Brian2's Cython runtime and C++
 * standalone on the same converted network.
 */
async function lifRows(ctx: BenchContext): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // LIF network
  const trials = ctx.quick ? 10 : 20;
  const durationMs = ctx.quick ? 200 : 500;
  const model = createRateRNN(KIM_RATE_CONFIG, new Rng(3));
  const net = toSpiking(model, { scale: 1 / 40 });
  const T = Math.round(durationMs / 5);
  const inputs = { data: new Float32Array(trials * T * 2), shape: [trials, T, 2] };
  let spikes = 0;
  const steps = T * 100;
  const dir = mkdtempSync(join(tmpdir(), 'wmkit-bench-lif-'));
  const N = 200;
  const W = new Float32Array(N * N);
  for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) W[i * N + j] = net.WT[j * N + i];
  writeFileSync(join(dir, 'w.npy'), encodeNpy({ data: W, shape: [N, N] }));
  writeFileSync(join(dir, 'taud.npy'), encodeNpy({ data: net.tauDecayMs, shape: [N] }));
  const rates: Record<string, number> = {};
  // (float32: Brian2 with every variable in float32, the precision wmkit's kernel computes in; the
  // goal is read against Brian2's default float64)
  const brian = (target: string, threads: number, float32 = false) => {
    const r = runPythonReference(
      'lif_brian2.py',
      [
        '--target',
        target,
        ...(float32 ? ['--float32'] : []),
        join(dir, 'w.npy'),
        join(dir, 'taud.npy'),
        String(trials),
        String(durationMs),
      ],
      ['brian2'],
      {
        threads,
      },
    );
    const hz = num(r, 'rate_hz');
    if (hz != null) rates[target + (float32 ? '32' : '')] = hz;
    return num(r, 'trial_steps_per_s');
  };
  ctx.log(
    `  LIF: wmkit, Brian2 Cython (float64, float32), Brian2 C++ standalone (1 thread, ${ALL_CORES}; the first runs compile), interleaved × ${ctx.rounds} …`,
  );
  // the kernel splits the trials across its threads (the same results for any count)
  const lifRate = (threads: number) =>
    onKernelThreads(threads, async () => {
      const t = await time(
        () => {
          spikes = simulateSpiking(net, inputs, new Rng(4)).totalSpikes;
        },
        { warmup: 1, minRuns: 3, minMs: 0 },
      );
      return (trials * steps) / (t.medianMs / 1000);
    });
  const m = await interleaved(ctx.rounds, {
    wmkit: () => lifRate(1),
    wmkitAll: () => (ALL_CORES > 1 ? lifRate(ALL_CORES) : null),
    cython: () => brian('cython', 1),
    cython32: () => brian('cython', 1, true),
    cpp1: () => brian('cpp_standalone', 1),
    cppAll: () => (ALL_CORES > 1 ? brian('cpp_standalone', ALL_CORES) : null),
  });
  if (m.wmkit != null) {
    const hz = (spikes / (trials * N * durationMs)) * 1000;
    const lif = {
      bench: 'ei-rnn',
      case: `LIF network N=200, dt 0.05 ms, ${trials} trials`,
      backend: 'wasm kernels',
      unit: 'trial-steps/s',
      better: 'higher' as const,
      wmkit: side('wmkit', m.wmkit, m.wmkitAll) as NonNullable<ReturnType<typeof side>>,
    };
    const rate = (t: string) => (rates[t] == null ? '' : `, Brian2 ${rates[t].toFixed(0)} Hz`);
    rows.push({
      ...lif,
      peer: side('Brian2 Cython runtime', m.cython, null, 'Brian2 Cython runtime is single-threaded'),
      note: m.cython == null ? 'Brian2 not installed' : `firing rates: wmkit ${hz.toFixed(0)} Hz${rate('cython')}`,
    });
    rows.push({
      ...lif,
      peer: side('Brian2 Cython runtime, float32', m.cython32, null, 'Brian2 Cython runtime is single-threaded'),
      note: m.cython32 == null ? 'Brian2 not installed' : `firing rates: wmkit ${hz.toFixed(0)} Hz${rate('cython32')}`,
    });
    rows.push({
      ...lif,
      peer: side('Brian2 C++ standalone (OpenMP)', m.cpp1, m.cppAll),
      note: m.cpp1 == null ? 'Brian2 C++ standalone not available' : `firing rates: wmkit ${hz.toFixed(0)} Hz${rate('cpp_standalone')}`,
    });
  }
  return rows;
}

/** The LIF rows of `ei-rnn` alone (`pnpm bench --only lif`). */
export const lifBench: Bench = {
  name: 'lif',
  description: 'the LIF rows of ei-rnn alone: Kim LIF network trial-steps/s, kernel threads 1 and all cores (vs Brian2)',
  optional: true,
  async run(ctx) {
    await initBackend('wasm', { env: {} });
    return lifRows(ctx);
  },
};
