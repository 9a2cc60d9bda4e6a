import { Rng } from '@wmkit/tensor';
import { type Bench, type BenchRow, runPythonReference, time } from '../harness';

/** Draws per second of the seeded Rng; reference: NumPy's PCG64 Generator (float32 where it has one). */
export const rngBench: Bench = {
  name: 'rng',
  description: 'Rng draws per second (normal, uniform, Bernoulli, Poisson) vs NumPy Generator',
  async run(ctx) {
    const n = ctx.quick ? 2_000_000 : 10_000_000;
    const rng = new Rng(1);
    const buf = new Float32Array(n);
    const ref = runPythonReference('rng_draws.py', [String(n)]);
    const rows: BenchRow[] = [];
    const add = async (name: string, fn: () => unknown, count: number, refKey: string) => {
      const t = await time(fn, { warmup: 1, minRuns: 3, minMs: ctx.quick ? 200 : 1000 });
      const r = ref.result?.[refKey];
      rows.push({
        bench: 'rng',
        case: name,
        value: count / (t.medianMs / 1000),
        unit: 'draws/s',
        better: 'higher',
        reference: r ? { name: 'numpy', value: r } : undefined,
        note: ref.result ? undefined : `numpy ${ref.reason}`,
      });
    };
    await add('normal (fillNormal, float32)', () => rng.fillNormal(buf), n, 'normal');
    await add('uniform (fillUniform, float32)', () => rng.fillUniform(buf), n, 'uniform');
    await add('bernoulli p=1e-3', () => rng.bernoulli(n, 1e-3), n, 'bernoulli');
    const m = Math.floor(n / 10);
    await add('poisson λ=5', () => rng.poisson(m, 5), m, 'poisson5');
    await add('poisson λ=50', () => rng.poisson(m, 50), m, 'poisson50');
    return rows;
  },
};
