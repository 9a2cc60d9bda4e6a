import { createHdSnn, hdSnnPreset, patternsFor, runHdSnnExperiment } from '@wmkit/delay-snn';
import { initKernels } from '@wmkit/tensor';
import { ALL_CORES, type Bench, type BenchRow, onKernelThreads } from '../harness';

/**
 * Perrinet et al. 2026 HD-SNN, reference configuration (N = 1024, T = 1000, D = 41, M = 16,
 * p = 1e-3): Hebbian initialisation + 16 surrogate-gradient steps + recall evaluations, end to
 * end, on 1 kernel thread and on every core (the forward passes of a batch split the patterns across
 * the threads; the backward pass splits the neurons).
 * Goal: under 15 s on 2 CPU cores (the authors report a few minutes on an Apple M3 Ultra GPU).
 * --quick uses the small preset (N = 512, M = 8, 4 steps).
 */
export const delaySnnBench: Bench = {
  name: 'delay-snn',
  description: 'HD-SNN reference configuration end to end (init + 16 steps + evaluation)',
  async run(ctx) {
    await initKernels();
    const name = ctx.quick ? 'perrinet2026.small' : 'perrinet2026.reference';
    const cfg = hdSnnPreset(name);
    const run = (threads: number) =>
      onKernelThreads(threads, () => {
        const t0 = performance.now();
        const set = patternsFor(cfg);
        const model = createHdSnn(cfg);
        const res = runHdSnnExperiment(model, set, {
          onStep: (s) => ctx.log(`  ${threads} thread(s), step ${s.step}: F1 ${s.eval.f1.toFixed(4)}`),
        });
        return { s: (performance.now() - t0) / 1000, res };
      });
    const one = await run(1);
    const all = ALL_CORES > 1 ? await run(ALL_CORES) : one;
    const f = all.res.final.scores;
    const side = (a: typeof one, b: typeof one, pick: (r: typeof one) => number) => ({ name: 'wmkit', value: pick(a), valueAll: pick(b) });
    const rows: BenchRow[] = [
      {
        bench: 'delay-snn',
        case: `${name}: init + ${cfg.train.steps} steps + eval (goal < 15 s on 2 cores)`,
        backend: `event-driven wasm kernels; all cores: ${ALL_CORES} kernel threads`,
        unit: 's',
        better: 'lower',
        wmkit: side(one, all, (r) => r.s),
        note: `F1 ${f.f1.toFixed(4)}, P ${f.precision.toFixed(4)}, R ${f.recall.toFixed(4)}${f.f1 === one.res.final.scores.f1 ? '' : ` (1 thread: F1 ${one.res.final.scores.f1.toFixed(4)})`}`,
      },
      {
        bench: 'delay-snn',
        case: `${name}: Hebbian initialisation alone`,
        backend: 'event-driven wasm kernels',
        unit: 's',
        better: 'lower',
        wmkit: side(one, all, (r) => r.res.init.seconds),
      },
    ];
    return rows;
  },
};
