import { loadavg } from 'node:os';
import {
  initBackend,
  initKernels,
  type Kernels,
  matMul,
  Rng,
  type Tensor,
  tf,
  useFastWasmKernels,
  useStockWasmKernels,
} from '@wmkit/tensor';
import {
  ALL_CORES,
  type Bench,
  type BenchRow,
  interleavedRounds,
  machinePeak,
  num,
  onKernelThreads,
  roundRatios,
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

/**
 * The same step on wmkit's fused wasm kernels (no autodiff: the leaky scan forward and its BPTT,
 * the products and Adam are each one kernel call), which run on `kernelThreads()` threads: the
 * input drive D = U·W_in, the scan x_t = (1−α)x_{t−1} + α(r_{t−1}·W + D_t), r_t = σ(x_t), the
 * read-out, MSE, and the gradients of W, W_in, W_out, b. Same sizes and FLOPs as `makeStep`.
 */
function makeKernelStep(k: Kernels) {
  const rng = new Rng('rnn-train-bench');
  const TB = T * B;
  const mark = k.mark();
  const normal = (n: number, std: number) => rng.fillNormal(new Float32Array(n), 0, std);
  const W = k.from(normal(N * N, 1.5 / Math.sqrt(N)));
  const wIn = k.from(normal(N_IN * N, 1));
  // W_out stored [N_OUT, N] (as the library's trainer stores it): the read-out and its
  // gradients are then the thin products' fast forms (A·Bᵀ, Aᵀ·B with the thin side first)
  const wOutNK = normal(N * N_OUT, 0.1);
  const wOut = k.buffer(N_OUT * N);
  for (let i = 0; i < N; i++) for (let q = 0; q < N_OUT; q++) wOut.view()[q * N + i] = wOutNK[i * N_OUT + q];
  const bOut = k.buffer(N_OUT);
  const params = [W, wIn, wOut, bOut];
  const grads = params.map((p) => k.buffer(p.length));
  const moments = params.map((p) => [k.buffer(p.length), k.buffer(p.length)] as const);
  const inputs = k.from(normal(TB * N_IN, 1));
  const targets = normal(TB * N_OUT, 1);
  const x0 = normal(B * N, 0.1);
  const alpha = k.buffer(N).fill(ALPHA);
  const D = k.buffer(TB * N);
  const S = k.buffer((T + 1) * B * N);
  const Y = k.buffer((T + 1) * B * N);
  const P = k.buffer(TB * N);
  const out = k.buffer(TB * N_OUT);
  const dY = k.buffer((T + 1) * B * N);
  const dD = k.buffer(TB * N);
  const dS0 = k.buffer(B * N);
  let stepNo = 0;
  const step = () => {
    const [gW, gIn, gOut, gB] = grads as [typeof W, typeof W, typeof W, typeof W];
    k.matmulAB(TB, N_IN, N, inputs, wIn, D);
    S.set(x0);
    const scan = { mode: 'rate' as const, transfer: 'sigmoid' as const, B, N, T, W, D, Z: null, alpha, S, Y, P };
    k.leakyRnnForward(scan);
    const rates = Y.sub(B * N, TB * N);
    k.matmulABt(TB, N, N_OUT, rates, wOut, out);
    // MSE: dL/d out = 2 (out + b − target) / count; b's gradient its sum
    const o = out.view();
    const b = bOut.view();
    const gb = gB.view().fill(0);
    let loss = 0;
    for (let i = 0; i < o.length; i++) {
      const e = o[i] + b[i % N_OUT] - targets[i];
      loss += e * e;
      o[i] = (2 * e) / o.length;
      gb[i % N_OUT] += o[i];
    }
    k.matmulAtB(TB, N_OUT, N, out, rates, gOut);
    dY.sub(0, B * N).fill(0);
    k.matmulAB(TB, N_OUT, N, out, wOut, dY.sub(B * N, TB * N));
    gW.fill(0);
    k.leakyRnnBackward({ ...scan, dY, dW: gW, dD, dAlpha: null, dS0 });
    k.matmulAtB(TB, N_IN, N, inputs, dD, gIn);
    stepNo++;
    params.forEach((p, i) => {
      const [m1, m2] = moments[i] as readonly [typeof W, typeof W];
      k.adamwStep(p, grads[i] as typeof W, m1, m2, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step: stepNo });
    });
    return loss / o.length;
  };
  return { step, dispose: () => k.release(mark) };
}

export const rnnTrainBench: Bench = {
  name: 'rnn-train',
  description:
    'dense sigmoid RNN BPTT step (N=256, B=32, T=100, Adam): fused wasm kernels (1 thread, all cores), tfjs wasm fast matMul and stock, vs PyTorch (1 thread, all cores)',
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
    const k = await initKernels();
    const fused = (threads: number) =>
      onKernelThreads(threads, async () => {
        const { step, dispose } = makeKernelStep(k);
        const t = await time(step, { warmup: 2, minRuns: ctx.quick ? 3 : 5, minMs: 0 });
        dispose();
        return t.medianMs;
      });
    ctx.log(
      `  rnn-train: wmkit (tfjs; fused kernels on 1 and ${ALL_CORES} threads), stock tfjs, PyTorch (1 thread, ${ALL_CORES}), interleaved × ${ctx.rounds} …`,
    );
    const { medians: m, rounds } = await interleavedRounds(ctx.rounds, {
      fused1: () => fused(1),
      fusedAll: () => (ALL_CORES > 1 ? fused(ALL_CORES) : null),
      wmkit: measureWmkit(matMul, useFastWasmKernels),
      stock: measureWmkit((a, b) => tf.matMul(a, b), useStockWasmKernels),
      torch1: () => torch(1),
      torchAll: () => (ALL_CORES > 1 ? torch(ALL_CORES) : null),
      torchOld: () => torch(1, 'batch-major'),
    });
    const backend = `${info.name}${info.simd ? ' simd' : ''} ×${info.threads}`;
    const peer = side('PyTorch, time-major drive (idiomatic)', m.torch1, m.torchAll);
    const rows: BenchRow[] = [];
    if (m.fused1 != null)
      rows.push({
        bench: 'rnn-train',
        case: 'step, wmkit fused kernels (scan + BPTT + Adam, no autodiff)',
        backend: 'wasm kernels',
        unit: 'ms/step',
        better: 'lower',
        wmkit: side('wmkit fused kernels', m.fused1, m.fusedAll) as NonNullable<ReturnType<typeof side>>,
        peer,
        note: `${(RNN_STEP_FLOP / (m.fused1 / 1000) / 1e9).toFixed(2)} GFLOP/s on 1 thread${
          m.fusedAll != null ? `, ${(RNN_STEP_FLOP / (m.fusedAll / 1000) / 1e9).toFixed(2)} on ${ALL_CORES}` : ''
        }; per round, 1 thread: ${roundRatios(rounds.fused1, rounds.torch1, 'lower')}; ${ALL_CORES} threads: ${roundRatios(
          rounds.fusedAll,
          rounds.torchAll,
          'lower',
        )}; load ${loadavg()[0].toFixed(1)}`,
      });
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
    // wmkit's fastest form on all cores (the fused kernels on kernel threads where they ran) against
    // PyTorch at its own best thread count: the comparison issue 29 asks for
    const forms: [string, string, number | null | undefined][] = [
      [`fused kernels, ${ALL_CORES} threads`, 'wasm kernels', m.fusedAll],
      ['fused kernels, 1 thread', 'wasm kernels', m.fused1],
      ['fast matMul + kernels', backend, m.wmkit],
    ];
    const fastest = forms.filter((f): f is [string, string, number] => f[2] != null).sort((a, b) => a[2] - b[2])[0];
    if (fastest != null && torchBest != null)
      rows.push({
        bench: 'rnn-train',
        case: `step, wmkit at its fastest (${fastest[0]}) vs PyTorch at its best thread count`,
        backend: fastest[1],
        unit: 'ms/step',
        better: 'lower',
        // 1-thread column: the fused kernels on one thread; all-cores column: the fastest form
        wmkit: { name: `wmkit, ${fastest[0]}`, value: m.fused1 ?? fastest[2], valueAll: fastest[2] },
        peer: { name: `PyTorch, time-major, best of 1 and ${ALL_CORES} threads: ${best}`, value: torchBest, valueAll: torchBest },
        note:
          fastest[2] === m.fusedAll
            ? `per round, fused kernels on ${ALL_CORES} threads vs PyTorch's better thread count in each: ${roundRatios(
                rounds.fusedAll,
                rounds.torch1.map((v, i) => {
                  const a = rounds.torchAll[i];
                  return v == null ? a : a == null ? v : Math.min(v, a);
                }),
                'lower',
              )}`
            : undefined,
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
