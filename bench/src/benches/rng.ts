import { Rng } from '@wmkit/tensor';
import { ALL_CORES, type Bench, type BenchRow, interleaved, runPythonReference, side, time } from '../harness';

/**
 * Draws per second of the seeded Rng; peer: NumPy's PCG64 Generator (float32 where it has one,
 * into a preallocated array), on one thread and, for the fills, on all cores (reference/rng_draws.py).
 */
export const rngBench: Bench = {
  name: 'rng',
  description: 'Rng draws per second (normal, uniform, Bernoulli, Poisson) vs NumPy Generator',
  async run(ctx) {
    const n = ctx.quick ? 2_000_000 : 10_000_000;
    const rng = new Rng(1);
    const buf = new Float32Array(n);
    const m = Math.floor(n / 10);
    const cases: [string, () => unknown, number, string, boolean][] = [
      ['normal (fillNormal, float32)', () => rng.fillNormal(buf), n, 'normal', true],
      ['uniform (fillUniform, float32)', () => rng.fillUniform(buf), n, 'uniform', true],
      ['bernoulli p=1e-3', () => rng.bernoulli(n, 1e-3), n, 'bernoulli', false],
      ['poisson λ=5', () => rng.poisson(m, 5), m, 'poisson5', false],
      ['poisson λ=50', () => rng.poisson(m, 50), m, 'poisson50', false],
    ];
    const ref = (threads: number) => runPythonReference('rng_draws.py', [String(n)], ['numpy'], { threads }).result;
    const numpy1: Record<string, number[]> = {};
    const numpyAll: Record<string, number[]> = {};
    const collect = (into: Record<string, number[]>, r: Record<string, number | string> | null) => {
      if (!r) return null;
      for (const [k, v] of Object.entries(r)) if (typeof v === 'number') (into[k] ??= []).push(v);
      return 1;
    };
    const measures: Record<string, () => Promise<number | null> | number | null> = {
      one: () => collect(numpy1, ref(1)),
      all: () => (ALL_CORES > 1 ? collect(numpyAll, ref(ALL_CORES)) : null),
    };
    for (const [name, fn, count] of cases)
      measures[name] = async () => {
        const t = await time(fn, { warmup: 1, minRuns: 3, minMs: ctx.quick ? 200 : 500 });
        return count / (t.medianMs / 1000);
      };
    const res = await interleaved(ctx.rounds, measures);
    const med = (xs?: number[]) => (xs?.length ? xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] : null);
    const rows: BenchRow[] = [];
    for (const [name, , , key, threaded] of cases) {
      const w = res[name];
      if (w == null) continue;
      rows.push({
        bench: 'rng',
        case: name,
        unit: 'draws/s',
        better: 'higher',
        wmkit: { name: 'wmkit', value: w, allNote: 'one sequential stream: same as 1 thread' },
        peer: threaded
          ? side('NumPy Generator (threads: spawned streams)', med(numpy1[key]), med(numpyAll[key]))
          : side('NumPy Generator', med(numpy1[key]), null, 'one sequential stream: same as 1 thread'),
        note: numpy1[key] ? undefined : 'NumPy not installed',
      });
    }
    return rows;
  },
};
