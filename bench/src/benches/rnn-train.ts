import { initBackend, matMul, Rng, type Tensor, tf, useFastWasmKernels, useStockWasmKernels } from '@wmkit/tensor';
import { type Bench, type BenchRow, runPythonReference, time } from '../harness';

/**
 * One BPTT training step of a dense sigmoid rate RNN (the shape of Kim's E/I RNN without
 * Dale's law): N = 256 units, batch 32, T = 100 steps, 8 inputs, 4 linear outputs, MSE,
 * Adam.  x ← (1−α)x + α(r·W + u·W_in), r = σ(x), o = r·W_out + b.
 * "wmkit" uses @wmkit/tensor's matMul (gradients without transpose-flag kernels) and its
 * wasm Slice/Unpack kernels; "stock tfjs" uses tf.matMul and tfjs's own kernels.
 * Reference: the same network in PyTorch on one thread.
 */
const N = 256;
const B = 32;
const T = 100;
const N_IN = 8;
const N_OUT = 4;
const ALPHA = 0.2;

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
  description: 'dense sigmoid RNN BPTT step (N=256, B=32, T=100, Adam) on wasm: fast matMul vs stock vs PyTorch',
  async run(ctx) {
    const info = await initBackend('wasm', { env: {} });
    const ref = runPythonReference('rnn_train_step.py', [String(ctx.quick ? 3 : 8)], ['torch']);
    const torch = ref.result?.ms_per_step;
    const rows: BenchRow[] = [];
    for (const [name, mm, kernels] of [
      ['wmkit (fast matMul + kernels)', matMul, useFastWasmKernels],
      ['stock tfjs', (a: Tensor, b: Tensor) => tf.matMul(a, b), useStockWasmKernels],
    ] as const) {
      ctx.log(`  rnn-train: ${name} …`);
      kernels();
      const { step, dispose } = makeStep(mm);
      // Warm-up also grows the wasm heap to its working size (the first steps pay for that).
      const t = await time(step, { warmup: 3, minRuns: ctx.quick ? 3 : 6, minMs: 0 });
      dispose();
      useFastWasmKernels();
      rows.push({
        bench: 'rnn-train',
        case: `step, ${name}`,
        backend: `${info.name}${info.simd ? ' simd' : ''} ×${info.threads}`,
        value: t.medianMs,
        unit: 'ms/step',
        better: 'lower',
        reference: torch ? { name: 'PyTorch CPU 1 thread', value: torch } : undefined,
        note: torch ? undefined : `PyTorch ${ref.reason}`,
      });
    }
    return rows;
  },
};
