import { createHdSnn, hdSnnPreset, patternsFor, runHdSnnExperiment } from '@wmkit/delay-snn';
import { initKernels } from '@wmkit/tensor';
import { type Bench, type BenchRow, SINGLE_THREADED } from '../harness';

/**
 * Perrinet et al. 2026 HD-SNN, reference configuration (N = 1024, T = 1000, D = 41, M = 16,
 * p = 1e-3): Hebbian initialisation + 16 surrogate-gradient steps + recall evaluations, end to
 * end. Goal: under 60 s on 2 CPU cores (the authors report a few minutes on an Apple M3 Ultra GPU).
 * --quick uses the small preset (N = 512, M = 8, 4 steps).
 */
export const delaySnnBench: Bench = {
  name: 'delay-snn',
  description: 'HD-SNN reference configuration end to end (init + 16 steps + evaluation)',
  async run(ctx) {
    await initKernels();
    const name = ctx.quick ? 'perrinet2026.small' : 'perrinet2026.reference';
    const cfg = hdSnnPreset(name);
    const t0 = performance.now();
    const set = patternsFor(cfg);
    const model = createHdSnn(cfg);
    const res = runHdSnnExperiment(model, set, { onStep: (s) => ctx.log(`  step ${s.step}: F1 ${s.eval.f1.toFixed(4)}`) });
    const s = (performance.now() - t0) / 1000;
    const f = res.final.scores;
    const rows: BenchRow[] = [
      {
        bench: 'delay-snn',
        case: `${name}: init + ${cfg.train.steps} steps + eval (goal < 60 s)`,
        backend: 'event-driven wasm kernels',
        unit: 's',
        better: 'lower',
        wmkit: { name: 'wmkit', value: s, allNote: SINGLE_THREADED },
        note: `F1 ${f.f1.toFixed(4)}, P ${f.precision.toFixed(4)}, R ${f.recall.toFixed(4)}`,
      },
      {
        bench: 'delay-snn',
        case: `${name}: Hebbian initialisation alone`,
        backend: 'event-driven wasm kernels',
        unit: 's',
        better: 'lower',
        wmkit: { name: 'wmkit', value: res.init.seconds, allNote: SINGLE_THREADED },
      },
    ];
    return rows;
  },
};
