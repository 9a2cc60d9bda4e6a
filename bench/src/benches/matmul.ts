import { initBackend, Rng, tf } from '@wmkit/tensor';
import { type Bench, type BenchRow, runPythonReference, time } from '../harness';
import { availableBackends } from './backends';

/** Dense float32 matmul GFLOP/s per backend; reference: NumPy (OpenBLAS) on one thread. */
export const matmulBench: Bench = {
  name: 'matmul',
  description: 'square float32 matmul GFLOP/s per backend vs NumPy/OpenBLAS (1 thread)',
  async run(ctx) {
    const sizes = ctx.quick ? [256] : [256, 512];
    const ref = runPythonReference('matmul_gflops.py', sizes.map(String));
    const rows: BenchRow[] = [];
    for (const { name } of await availableBackends(ctx.log)) {
      await initBackend(name, { env: {} });
      for (const n of sizes) {
        if (name === 'cpu' && n > 256) continue; // minutes on the pure-JS backend
        const rng = new Rng(n);
        const a = rng.normalTensor([n, n]);
        const b = rng.normalTensor([n, n]);
        // (tidy must not return the Float32Array: it would walk every element looking for tensors)
        const t = await time(() => tf.tidy(() => void tf.matMul(a, b).dataSync()), { warmup: 2, minRuns: 3, minMs: ctx.quick ? 200 : 800 });
        const r = ref.result?.[`n${n}`];
        rows.push({
          bench: 'matmul',
          case: `${n}×${n} · ${n}×${n}`,
          backend: name,
          value: (2 * n * n * n) / (t.medianMs / 1000),
          unit: 'FLOP/s',
          better: 'higher',
          reference: r ? { name: 'numpy 1 thread', value: r } : undefined,
          note: ref.result ? undefined : `numpy ${ref.reason}`,
        });
        tf.dispose([a, b]);
      }
    }
    return rows;
  },
};
