import { ringModel, simulateRing } from '@wmkit/attractor-models';
import { simulateRingParallel } from '@wmkit/papers/node';
import { initKernels, Rng } from '@wmkit/tensor';
import { type Bench, type BenchRow, runPythonReference } from '../harness';

/**
 * Continuous bump model of Wimmer et al. 2014 (N = 512 E units, 2-s delay protocol, 2,100 steps
 * of 2 ms per trial): trials/s of wmkit's batched wasm kernel on one thread and on all cores,
 * against the script ported to NumPy and batched over trials (dense W, every I unit).
 * Goal: 16,000 trials in under 3 minutes on 2 cores (≥ 89 trials/s).
 */
export const attractorBench: Bench = {
  name: 'attractors',
  description: 'bump attractor trials/s (2-s delay protocol) on 1 thread and all cores vs batched NumPy',
  async run(ctx) {
    await initKernels();
    const trials = ctx.quick ? 200 : 800;
    const rows: BenchRow[] = [];
    ctx.log('  NumPy reference …');
    const ref = runPythonReference('bump_numpy.py', [String(ctx.quick ? 50 : 100), String(ctx.quick ? 50 : 100)]);
    const reference = ref.result ? { name: 'NumPy, batched over trials', value: ref.result.trials_per_s } : undefined;
    const note = ref.result ? undefined : `NumPy ${ref.reason}`;
    let t0 = performance.now();
    simulateRing(ringModel('bump'), { trials, delayMs: 2000 }, new Rng(1));
    let s = (performance.now() - t0) / 1000;
    rows.push({
      bench: 'attractors',
      case: `bump, ${trials} trials, 1 thread`,
      backend: 'wasm kernel',
      value: trials / s,
      unit: 'trials/s',
      better: 'higher',
      reference,
      note,
    });
    t0 = performance.now();
    await simulateRingParallel({ params: ringModel('bump'), seed: 1, trials: trials * 2, delayMs: 2000 });
    s = (performance.now() - t0) / 1000;
    rows.push({
      bench: 'attractors',
      case: `bump, ${trials * 2} trials, all cores (16,000 in ${((16000 / (trials * 2)) * s).toFixed(0)} s)`,
      backend: 'wasm kernel × workers',
      value: (trials * 2) / s,
      unit: 'trials/s',
      better: 'higher',
      reference,
      note,
    });
    return rows;
  },
};
