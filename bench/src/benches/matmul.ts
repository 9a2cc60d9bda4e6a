import { spawnSync } from 'node:child_process';
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
 * The same product on the plain SIMD128 build, in a child Node with `WMKIT_RELAXED_SIMD=0` (a
 * process compiles the kernels once, in one form): GFLOP/s of `matmulABt` at n² on `threads`
 * threads, timed as in the parent. Null when the child fails.
 */
function plainSimdGflops(n: number, threads: number, minMs: number): number | null {
  const code = [
    "import { kernels, Rng } from '@wmkit/tensor';",
    `const n = ${n}, k = kernels(), rng = new Rng(n);`,
    'const a = k.from(rng.fillNormal(new Float32Array(n * n))), b = k.from(rng.fillNormal(new Float32Array(n * n))), c = k.buffer(n * n);',
    'for (let i = 0; i < 2; i++) k.matmulABt(n, n, n, a, b, c);',
    'const ts = [], t0 = performance.now();',
    `while (ts.length < 5 || performance.now() - t0 < ${minMs}) { const s = performance.now(); k.matmulABt(n, n, n, a, b, c); ts.push(performance.now() - s); }`,
    'ts.sort((x, y) => x - y);',
    'console.log(JSON.stringify({ simd: (await import("@wmkit/tensor")).kernelInfo().simd, ms: ts[Math.floor(ts.length / 2)] }));',
  ].join('\n');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    env: { ...process.env, WMKIT_RELAXED_SIMD: '0', WMKIT_THREADS: String(threads) },
    encoding: 'utf8',
  });
  if (r.status !== 0) return null;
  try {
    const out = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { simd: string; ms: number };
    return out.simd === 'simd128' ? (2 * n * n * n) / (out.ms / 1000) : null;
  } catch {
    return null;
  }
}

/**
 * Dense float32 matmul FLOP/s: wmkit's own wasm kernel (C = A·Bᵀ, `Kernels.matmulABt`, the packed
 * GEMM, on 1 thread and all cores; relaxed SIMD where the runtime has it — Node ≥ 20, Chromium —
 * and, in the same interleaved rounds, the plain SIMD128 build for comparison) and each tfjs
 * backend; peer: NumPy (OpenBLAS) at 1 thread and all cores.
 */
export const matmulBench: Bench = {
  name: 'matmul',
  description: 'square float32 matmul FLOP/s per backend vs NumPy/OpenBLAS (1 thread and all cores)',
  async run(ctx) {
    const sizes = ctx.quick ? [256] : [256, 512];
    const kernelSizes = [256, 512, 1024]; // (the kernel's rows are quick at every size)
    const minMs = ctx.quick ? 200 : 500;
    const rows: BenchRow[] = [];
    const ref = (n: number, threads: number) => num(runPythonReference('matmul_gflops.py', [String(n)], ['numpy'], { threads }), `n${n}`);
    const k = await initKernels();
    const relaxed = kernelInfo().simd === 'relaxed-simd';
    for (const n of kernelSizes) {
      const rng = new Rng(n);
      const mark = k.mark(); // (not k.scope: the buffers live across awaits)
      const a = k.from(rng.fillNormal(new Float32Array(n * n)));
      const b = k.from(rng.fillNormal(new Float32Array(n * n)));
      const c = k.buffer(n * n);
      const gflops = (threads: number) =>
        onKernelThreads(threads, async () => {
          const t = await time(() => k.matmulABt(n, n, n, a, b, c), { warmup: 2, minRuns: 5, minMs });
          return (2 * n * n * n) / (t.medianMs / 1000);
        });
      const r = await interleaved(ctx.rounds, {
        one: () => gflops(1),
        all: () => (ALL_CORES > 1 ? gflops(ALL_CORES) : null),
        plain1: () => (relaxed ? plainSimdGflops(n, 1, minMs) : null),
        plainAll: () => (relaxed && ALL_CORES > 1 ? plainSimdGflops(n, ALL_CORES, minMs) : null),
        peer1: () => ref(n, 1),
        peerAll: () => (ALL_CORES > 1 ? ref(n, ALL_CORES) : null),
      });
      k.release(mark);
      if (r.one == null) continue;
      const perThread = (all: number | null, one: number) =>
        r.peer1 == null ? 'NumPy not installed' : `per thread: ${((all ?? one) / ALL_CORES / r.peer1).toFixed(2)}× NumPy on 1 thread`;
      if (r.plain1 != null)
        rows.push({
          bench: 'matmul',
          case: `${n}×${n} · ${n}×${n}`,
          backend: 'wasm kernels (matmulABt, simd128: WMKIT_RELAXED_SIMD=0, child process)',
          unit: 'FLOP/s',
          better: 'higher',
          wmkit: side('wmkit kernels', r.plain1, r.plainAll) as NonNullable<ReturnType<typeof side>>,
          peer: side('NumPy/OpenBLAS', r.peer1, r.peerAll),
          note: `${perThread(r.plainAll, r.plain1)}; relaxed SIMD / SIMD128: ${(r.one / r.plain1).toFixed(2)}× (1 thread)`,
        });
      rows.push({
        bench: 'matmul',
        case: `${n}×${n} · ${n}×${n}`,
        backend: `wasm kernels (matmulABt, ${kernelInfo().simd})`,
        unit: 'FLOP/s',
        better: 'higher',
        wmkit: side('wmkit kernels', r.one, r.all) as NonNullable<ReturnType<typeof side>>,
        peer: side('NumPy/OpenBLAS', r.peer1, r.peerAll),
        note: perThread(r.all, r.one),
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
              minMs,
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
