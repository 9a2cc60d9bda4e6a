import { initBackend, initKernels, kernelInfo, Rng, tf } from '@wmkit/tensor';
import {
  ALL_CORES,
  type Bench,
  type BenchRow,
  interleaved,
  num,
  onKernelThreads,
  runPythonReference,
  SINGLE_THREADED,
  side,
  time,
} from '../harness';
import { availableBackends } from './backends';

/**
 * Dense float32 matmul FLOP/s: wmkit's own wasm kernel (C = A·Bᵀ, `Kernels.matmulABt`, the packed
 * GEMM, on 1 thread and all cores; relaxed SIMD where the runtime has it, e.g. Node 20 with
 * `--experimental-wasm-relaxed-simd`) and each tfjs backend; peer: NumPy (OpenBLAS) at 1 thread and all cores.
 */
export const matmulBench: Bench = {
  name: 'matmul',
  description: 'square float32 matmul FLOP/s per backend vs NumPy/OpenBLAS (1 thread and all cores)',
  async run(ctx) {
    const sizes = ctx.quick ? [256] : [256, 512];
    const rows: BenchRow[] = [];
    const ref = (n: number, threads: number) => num(runPythonReference('matmul_gflops.py', [String(n)], ['numpy'], { threads }), `n${n}`);
    const k = await initKernels();
    for (const n of sizes) {
      const rng = new Rng(n);
      const mark = k.mark(); // (not k.scope: the buffers live across awaits)
      const a = k.from(rng.fillNormal(new Float32Array(n * n)));
      const b = k.from(rng.fillNormal(new Float32Array(n * n)));
      const c = k.buffer(n * n);
      const gflops = (threads: number) =>
        onKernelThreads(threads, async () => {
          const t = await time(() => k.matmulABt(n, n, n, a, b, c), { warmup: 2, minRuns: 5, minMs: ctx.quick ? 200 : 500 });
          return (2 * n * n * n) / (t.medianMs / 1000);
        });
      const r = await interleaved(ctx.rounds, {
        one: () => gflops(1),
        all: () => (ALL_CORES > 1 ? gflops(ALL_CORES) : null),
        peer1: () => ref(n, 1),
        peerAll: () => (ALL_CORES > 1 ? ref(n, ALL_CORES) : null),
      });
      k.release(mark);
      if (r.one == null) continue;
      rows.push({
        bench: 'matmul',
        case: `${n}×${n} · ${n}×${n}`,
        backend: `wasm kernels (matmulABt, ${kernelInfo().simd})`,
        unit: 'FLOP/s',
        better: 'higher',
        wmkit: side('wmkit kernels', r.one, r.all) as NonNullable<ReturnType<typeof side>>,
        peer: side('NumPy/OpenBLAS', r.peer1, r.peerAll),
        note:
          r.peer1 == null ? 'NumPy not installed' : `per thread: ${((r.all ?? r.one) / ALL_CORES / r.peer1).toFixed(2)}× NumPy on 1 thread`,
      });
    }
    for (const { name, info } of await availableBackends(ctx.log)) {
      await initBackend(name, { env: {} });
      for (const n of sizes) {
        if (name === 'cpu' && n > 256) continue; // minutes on the pure-JS backend
        const rng = new Rng(n);
        const a = rng.normalTensor([n, n]);
        const b = rng.normalTensor([n, n]);
        const m = await interleaved(ctx.rounds, {
          // (tidy must not return the Float32Array: it would walk every element looking for tensors)
          wmkit: async () => {
            const t = await time(() => tf.tidy(() => void tf.matMul(a, b).dataSync()), {
              warmup: 2,
              minRuns: 3,
              minMs: ctx.quick ? 200 : 500,
            });
            return (2 * n * n * n) / (t.medianMs / 1000);
          },
          one: () => ref(n, 1),
          all: () => (ALL_CORES > 1 ? ref(n, ALL_CORES) : null),
        });
        tf.dispose([a, b]);
        if (m.wmkit == null) continue;
        const threaded = name === 'tensorflow'; // libtensorflow uses every core for one product
        rows.push({
          bench: 'matmul',
          case: `${n}×${n} · ${n}×${n}`,
          backend: `${name}${info.simd ? ' simd' : ''}`,
          unit: 'FLOP/s',
          better: 'higher',
          wmkit: threaded
            ? { name, value: m.wmkit, allNote: 'libtensorflow picks its own threads (all cores): measured once' }
            : { name, value: m.wmkit, allNote: SINGLE_THREADED },
          peer: side('NumPy/OpenBLAS', m.one, m.all),
          note: m.one == null ? 'NumPy not installed' : undefined,
        });
      }
    }
    return rows;
  },
};
