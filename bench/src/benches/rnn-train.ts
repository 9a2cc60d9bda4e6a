import { initBackend, matMul, Rng, type Tensor, tf, useFastWasmKernels, useStockWasmKernels } from '@wmkit/tensor';
import {
  ALL_CORES,
  type Bench,
  type BenchRow,
  interleaved,
  machinePeak,
  num,
  runPythonReference,
  SINGLE_THREADED,
  side,
  time,
} from '../harness';

/**
 * One BPTT training step of a dense sigmoid rate RNN (the shape of Kim's E/I RNN without
 * Dale's law): N = 256 units, batch 32, T = 100 steps, 8 inputs, 4 linear outputs, MSE,
 * Adam.  x ← (1−α)x + α(r·W + u·W_in), r = σ(x), o = r·W_out + b.
 * "wmkit" uses @wmkit/tensor's matMul (gradients without transpose-flag kernels) and its
 * wasm Slice/Unpack kernels; "stock tfjs" uses tf.matMul and tfjs's own kernels.
 * Peer: the same network in PyTorch as a PyTorch user writes it (time-major input drive,
 * reference/rnn_train_step.py), at 1 thread and all cores; and, for the record, the batch-major
 * form the bench used before its audit.
 */
const N = 256;
const B = 32;
const T = 100;
const N_IN = 8;
const N_OUT = 4;
const ALPHA = 0.2;
/**
 * Multiply-add FLOPs of one step (the element-wise work is < 1% of it): forward products
 * (recurrence 2TBN², drive 2TB·N_in·N, read-out 2TBN·N_out); backward twice the recurrence and
 * read-out (gradients of both operands) and once the drive (its input needs none).
 */
export const RNN_STEP_FLOP = 3 * (2 * T * B * N * N) + 3 * (2 * T * B * N * N_OUT) + 2 * (2 * T * B * N_IN * N);

function makeStep(mm: (a: Tensor, b: Tensor) => Tensor) {
  const rng = new Rng('rnn-train-bench');
  const wRec = tf.variable(rng.normalTensor([N, N], 0, 1.5 / Math.sqrt(N)));
  const wIn = tf.variable(rng.normalTensor([N_IN, N], 0, 1));
  const wOut = tf.variable(rng.normalTensor([N, N_OUT], 0, 0.1));
  const bOut = tf.variable(tf.zeros([N_OUT]));
  // Time-major [T, B, ·]: per-step slices are contiguous.
  const inputs = rng.normalTensor([T * B, N_IN]);
  const targets = rng.normalTensor([T * B, N_OUT]);
  const x0 = rng.normalTensor([B, N], 0, 0.1);
  const opt = tf.train.adam(1e-3);
  const vars = [wRec, wIn, wOut, bOut];
  const step = () =>
    tf.tidy(() => {
      const cost = opt.minimize(
        () => {
          const drive = tf.unstack(tf.reshape(mm(inputs, wIn), [T, B, N])); // T × [B, N]
          let x = x0;
          const rates: Tensor[] = [];
          for (let t = 0; t < T; t++) {
            const r = tf.sigmoid(x);
            x = tf.add(tf.mul(1 - ALPHA, x), tf.mul(ALPHA, tf.add(mm(r, wRec), drive[t])));
            rates.push(tf.sigmoid(x));
          }
          const out = tf.add(mm(tf.reshape(tf.stack(rates), [T * B, N]), wOut), bOut);
          return tf.mean(tf.squaredDifference(out, targets)) as tf.Scalar;
        },
        true,
        vars,
      );
      return cost?.dataSync()[0];
    });
  return { step, dispose: () => tf.dispose([...vars, inputs, targets, x0]) };
}

export const rnnTrainBench: Bench = {
  name: 'rnn-train',
  description: 'dense sigmoid RNN BPTT step (N=256, B=32, T=100, Adam) on wasm: fast matMul vs stock vs PyTorch (1 thread, all cores)',
  async run(ctx) {
    const info = await initBackend('wasm', { env: {} });
    const steps = String(ctx.quick ? 3 : 6);
    const torch = (threads: number, form = 'time-major') =>
      num(runPythonReference('rnn_train_step.py', ['--form', form, steps], ['torch'], { threads }), 'ms_per_step');
    const measureWmkit = (mm: (a: Tensor, b: Tensor) => Tensor, kernels: () => void) => async () => {
      kernels();
      const { step, dispose } = makeStep(mm);
      // Warm-up also grows the wasm heap to its working size (the first steps pay for that).
      const t = await time(step, { warmup: 3, minRuns: ctx.quick ? 3 : 5, minMs: 0 });
      dispose();
      useFastWasmKernels();
      return t.medianMs;
    };
    ctx.log(`  rnn-train: wmkit, stock tfjs, PyTorch (1 thread, ${ALL_CORES}), interleaved × ${ctx.rounds} …`);
    const m = await interleaved(ctx.rounds, {
      wmkit: measureWmkit(matMul, useFastWasmKernels),
      stock: measureWmkit((a, b) => tf.matMul(a, b), useStockWasmKernels),
      torch1: () => torch(1),
      torchAll: () => (ALL_CORES > 1 ? torch(ALL_CORES) : null),
      torchOld: () => torch(1, 'batch-major'),
    });
    const backend = `${info.name}${info.simd ? ' simd' : ''} ×${info.threads}`;
    const peer = side('PyTorch, time-major drive (idiomatic)', m.torch1, m.torchAll);
    const rows: BenchRow[] = [];
    for (const [name, v] of [
      ['wmkit (fast matMul + kernels)', m.wmkit],
      ['stock tfjs', m.stock],
    ] as const) {
      if (v == null) continue;
      rows.push({
        bench: 'rnn-train',
        case: `step, ${name}`,
        backend,
        unit: 'ms/step',
        better: 'lower',
        wmkit: { name, value: v, allNote: SINGLE_THREADED },
        peer,
        note: m.torch1 == null ? 'PyTorch not installed' : undefined,
      });
    }
    if (m.wmkit != null && m.torchOld != null)
      rows.push({
        bench: 'rnn-train',
        case: 'step, wmkit vs the pre-audit PyTorch reference (batch-major drive[:, t]; for the record)',
        backend,
        unit: 'ms/step',
        better: 'lower',
        wmkit: { name: 'wmkit', value: m.wmkit, allNote: SINGLE_THREADED },
        peer: { name: 'PyTorch, batch-major drive (1 thread only)', value: m.torchOld },
      });
    const best = m.torchAll != null && m.torch1 != null && m.torchAll < m.torch1 ? ALL_CORES : 1;
    const torchBest = best === 1 ? m.torch1 : m.torchAll;
    if (m.wmkit != null && torchBest != null)
      rows.push({
        bench: 'rnn-train',
        case: 'step, wmkit vs PyTorch at its best thread count',
        backend,
        unit: 'ms/step',
        better: 'lower',
        wmkit: { name: 'wmkit', value: m.wmkit, allNote: SINGLE_THREADED },
        peer: { name: `PyTorch, time-major, best of 1 and ${ALL_CORES} threads: ${best}`, value: torchBest },
      });
    if (m.wmkit != null) {
      const peak = await machinePeak(ctx);
      const pct = (flops: number | null | undefined, of: number | null) => (flops && of ? `${((100 * flops) / of).toFixed(0)}%` : '?');
      const w = RNN_STEP_FLOP / (m.wmkit / 1000);
      const p1 = m.torch1 ? RNN_STEP_FLOP / (m.torch1 / 1000) : null;
      const pa = m.torchAll ? RNN_STEP_FLOP / (m.torchAll / 1000) : null;
      rows.push({
        bench: 'rnn-train',
        case: `step, achieved FLOP/s (${(RNN_STEP_FLOP / 1e9).toFixed(2)} GFLOP of products per step)`,
        backend,
        unit: 'FLOP/s',
        better: 'higher',
        wmkit: { name: 'wmkit', value: w, allNote: SINGLE_THREADED },
        peer: side('PyTorch, time-major drive', p1, pa),
        note:
          `of the measured peak (sgemm 2048²): wmkit ${pct(w, peak.one)} of 1 thread; PyTorch ${pct(p1, peak.one)} of 1 thread, ` +
          `${pct(pa, peak.all)} of ${ALL_CORES} cores`,
      });
    }
    return rows;
  },
};
