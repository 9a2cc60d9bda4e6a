import { ringModel, simulateRing } from '@wmkit/attractor-models';
import { simulateRingParallel } from '@wmkit/papers/node';
import { initKernels, Rng } from '@wmkit/tensor';
import { ALL_CORES, type Bench, type BenchRow, interleaved, num, onKernelThreads, runPythonReference, side } from '../harness';

/**
 * Continuous bump model of Wimmer et al. 2014 (N = 512 E units, 2-s delay protocol, 2,100 steps
 * of 2 ms per trial): trials/s of wmkit's batched wasm kernel on one thread and on all cores
 * (one worker per core; and one simulation on kernel threads, no workers), against NumPy batched over trials on one process and on one process per
 * core: the same algorithm as wmkit (the circulant product through its Fourier modes, the
 * inhibitory population as its mean; reference/bump_numpy.py), and the authors' script as it
 * stands (dense W, every I unit, float64).
 * Goal: 16,000 trials in under 3 minutes on 2 cores (≥ 89 trials/s).
 */
export const attractorBench: Bench = {
  name: 'attractors',
  description: `bump attractor trials/s (2-s delay protocol) on 1 thread and ${ALL_CORES} cores vs batched NumPy (same algorithm; authors' form)`,
  async run(ctx) {
    await initKernels();
    const trials = ctx.quick ? 128 : 256;
    const numpy = (form: string, threads: number, n: number) =>
      num(runPythonReference('bump_numpy.py', ['--form', form, String(n), '128'], ['numpy'], { threads }), 'trials_per_s');
    const authorsTrials = ctx.quick ? 16 : 32;
    ctx.log(`  bump: wmkit and NumPy (1 process, ${ALL_CORES}), interleaved × ${ctx.rounds} …`);
    const m = await interleaved(ctx.rounds, {
      wmkit1: () => onKernelThreads(1, () => bumpRate(trials)),
      // one simulation, its trials split across the kernel threads (every core)
      wmkitThreads: () => onKernelThreads(ALL_CORES, () => bumpRate(trials * 2)),
      wmkitAll: async () => {
        const t0 = performance.now();
        await simulateRingParallel({ params: ringModel('bump'), seed: 1, trials: trials * 2, delayMs: 2000 });
        return (trials * 2) / ((performance.now() - t0) / 1000);
      },
      same1: () => numpy('same-algorithm', 1, trials),
      sameAll: () => (ALL_CORES > 1 ? numpy('same-algorithm', ALL_CORES, trials * 2) : null),
      authors1: () => numpy('authors', 1, authorsTrials),
      authorsAll: () => (ALL_CORES > 1 ? numpy('authors', ALL_CORES, authorsTrials * 2) : null),
    });
    if (m.wmkit1 == null) return [];
    const wmkit = { name: 'wmkit', value: m.wmkit1, ...(m.wmkitAll != null ? { valueAll: m.wmkitAll } : {}) };
    const base = {
      bench: 'attractors',
      backend: `wasm kernel; all cores: ${ALL_CORES} workers`,
      unit: 'trials/s',
      better: 'higher' as const,
      wmkit,
    };
    const rows: BenchRow[] = [
      {
        ...base,
        case: `bump, one simulation: ${trials} trials on 1 kernel thread, ${trials * 2} on ${ALL_CORES} (no workers)`,
        backend: `wasm kernel; all cores: ${ALL_CORES} kernel threads`,
        wmkit: { name: 'wmkit', value: m.wmkit1, ...(m.wmkitThreads != null ? { valueAll: m.wmkitThreads } : {}) },
        note: `16,000 trials: ${(16000 / (m.wmkitThreads ?? m.wmkit1)).toFixed(0)} s`,
      },
      {
        ...base,
        case: `bump, ${trials} trials (all cores: ${trials * 2}) vs NumPy, same algorithm`,
        peer: side('NumPy float32, Fourier modes + mean I (processes)', m.same1, m.sameAll),
        note:
          m.same1 == null
            ? 'NumPy not installed'
            : `16,000 trials: wmkit ${(16000 / (m.wmkitAll ?? m.wmkit1)).toFixed(0)} s on ${ALL_CORES} cores`,
      },
      {
        ...base,
        case: `bump vs the authors' script batched (NumPy ${authorsTrials} trials)`,
        peer: side("NumPy float64, dense W, every I unit (the authors' form)", m.authors1, m.authorsAll),
      },
    ];
    return rows;
  },
};

/** Trials/s of one simulation of `trials` bump trials (2-s delay) in this thread's kernels. */
function bumpRate(trials: number): number {
  const t0 = performance.now();
  simulateRing(ringModel('bump'), { trials, delayMs: 2000 }, new Rng(1));
  return trials / ((performance.now() - t0) / 1000);
}
