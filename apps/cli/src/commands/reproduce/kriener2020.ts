/**
 * `wmkit reproduce kriener2020 --out runs/kriener2020 [--quick]`: Kriener, Chaudhuri & Fiete 2020
 * through `kriener2020` of @wmkit/papers (the WTA / nWTA grid on worker threads, the benchmarks
 * and fits), declared for the reproduce driver; `--sweep delta` runs `kriener2020DeltaSweep`.
 */
import { availableParallelism } from 'node:os';
import { KRIENER2020_EXAMPLE as EX } from '@wmkit/attractor-models';
import { kriener2020DeltaFigures, kriener2020Figures, textTable } from '@wmkit/figures';
import {
  KRIENER2020_SERIES,
  KRIENER2020_SIZES,
  kriener2020,
  kriener2020DeltaOutputs,
  kriener2020DeltaSweep,
  kriener2020NoiseBreakdown,
  kriener2020Outputs,
  kriener2020Params,
  kriener2020Report,
  kriener2020Rows,
  kriener2020Summary,
} from '@wmkit/papers';
import { wtaOnWorkers } from '@wmkit/papers/node';
import { z } from 'zod';
import { UsageError } from '../../errors';
import { parseIntOption, parseListOption, parseNumberOption } from '../../options';
import { Progress } from '../../progress';
import { defineReproduce, type ReproduceContext, type ReproduceResult } from './driver';

interface Options {
  trials?: number;
  wtaTrials?: number;
  sizes?: number[];
  delta: number;
  alpha?: number;
  beta?: number;
  theta?: number;
  sigma?: number;
  tauEta?: number;
  sweep?: string;
  deltas?: number[];
}

/** What determines the result besides the seed (run.json `config` records it with the circuits' full parameters). */
const configSchema = z.strictObject({
  params: z.strictObject({
    alpha: z.number().finite(),
    beta: z.number().finite(),
    theta: z.number().finite(),
    sigma: z.number().finite(),
    tauEta: z.number().finite(),
  }),
  delta: z.number().finite(),
  sizes: z.array(z.number()).min(1),
  trials: z.number().int().min(1),
  /** Trials of the conventional WTA with noise (null: min(trials, 40), or 10 with --quick). */
  wtaTrials: z.number().int().min(1).nullable(),
});
type KrienerConfig = z.infer<typeof configSchema>;
const PARAM_NAMES = ['alpha', 'beta', 'theta', 'sigma', 'tauEta'] as const;
const checkSizes = (sizes: number[]) => {
  for (const N of sizes) if (!(Number.isInteger(N) && N >= 2)) throw new UsageError(`--sizes: ${N} is not an integer ≥ 2`);
};

export const registerReproduceKriener = defineReproduce<Options, KrienerConfig>({
  name: 'kriener2020',
  kind: 'reproduce.kriener2020',
  out: 'runs/kriener2020',
  description:
    'Kriener, Chaudhuri & Fiete 2020: decision time and accuracy vs N for WTA and nWTA circuits with and without noise, against the serial (N log N) and parallel (log N) benchmarks; writes report.md/report.html with figures',
  options: [
    ['--trials <n>', 'trials per N for the nWTA with noise (default 200; --quick 40)', parseIntOption('trials', 1), undefined, 'trials'],
    [
      '--wta-trials <n>',
      'trials per N for the conventional WTA with noise (default 40: failing trials run 200 τ)',
      parseIntOption('wta-trials', 1),
      undefined,
      'wtaTrials',
    ],
    ['--sizes <list>', `network sizes N (default ${KRIENER2020_SIZES.join(',')})`, parseListOption('sizes'), undefined, 'sizes'],
    ['--delta <x>', 'input gap Δ between the winner and the others', parseNumberOption('delta'), 0.05, 'delta'],
    ['--alpha <x>', `self-excitation α (default ${EX.alpha}; WTA needs α < 1)`, parseNumberOption('alpha'), undefined, 'params.alpha'],
    ['--beta <x>', `lateral inhibition β (default ${EX.beta}; WTA needs β > 1 − α)`, parseNumberOption('beta'), undefined, 'params.beta'],
    ['--theta <x>', `nWTA inhibition threshold θ (default ${EX.theta})`, parseNumberOption('theta'), undefined, 'params.theta'],
    ['--sigma <x>', `OU noise SD σ of the noisy circuits (default ${EX.sigma})`, parseNumberOption('sigma'), undefined, 'params.sigma'],
    [
      '--tau-eta <x>',
      `OU noise correlation time τ_η (default ${EX.tauEta}; dt = τ_η/5)`,
      parseNumberOption('tau-eta'),
      undefined,
      'params.tauEta',
    ],
    ['--sweep <what>', 'delta: the task-difficulty sweep, the grid at each input gap of --deltas'],
    ['--deltas <list>', 'input gaps Δ of --sweep delta (default 0.02,0.05,0.1,0.2)', parseListOption('deltas')],
  ],
  quick: 'fewer trials (a minute or less)',
  workers: 'worker threads (default: up to 2)',
  engine: 'kernels (the float64 JavaScript circuits) or tfjs (TensorFlow.js ops, trials batched)',
  config: {
    schema: configSchema,
    base: (o) => {
      const ex = kriener2020Params();
      return {
        params: Object.fromEntries(PARAM_NAMES.map((k) => [k, ex[k]])) as KrienerConfig['params'],
        delta: 0.05,
        sizes: [...KRIENER2020_SIZES],
        trials: o.quick ? 40 : 200,
        wtaTrials: null,
      };
    },
    fromRecorded: (rec) => {
      const r = (rec ?? {}) as Partial<KrienerConfig> & { params?: Record<string, unknown> };
      const params = Object.fromEntries(PARAM_NAMES.map((k) => [k, r.params?.[k]]));
      return { params, delta: r.delta, sizes: r.sizes, trials: r.trials, wtaTrials: r.wtaTrials };
    },
    example: 'params.sigma=0.2',
    help:
      'params.alpha, params.beta, params.theta, params.sigma, params.tauEta, delta,\n' +
      'sizes, trials, wtaTrials (null: the default); the options typed on the command line override them, and\n' +
      '--from also takes the run’s seed (unless --seed is given).',
  },
  help: `Parameters (Kriener, Chaudhuri & Fiete 2020; docs/models/wta-sparse.md): α ${EX.alpha}, β ${EX.beta}, θ ${EX.theta}, τ 1, σ ${EX.sigma}, τ_η ${EX.tauEta}, dt τ_η/5.`,
  examples: [
    'wmkit reproduce kriener2020 --out runs/kriener2020',
    'wmkit reproduce kriener2020 --quick --sizes 2,16,128 --sigma 0.2',
    'wmkit reproduce kriener2020 --set params.sigma=0.2 --print-config',
    'wmkit reproduce kriener2020 --from runs/kriener2020 --out runs/kriener-again',
    'wmkit reproduce kriener2020 --quick --sizes 2,8 --trials 20 --wta-trials 10 --engine tfjs --out runs/kriener-tfjs',
    'wmkit reproduce kriener2020 --sweep delta --deltas 0.02,0.05,0.1,0.2 --quick --sizes 2,4,8,16,32,64 --out runs/kriener-delta',
  ],
  writes:
    'report.md, report.html, decision_time.svg, accuracy.svg, traces.svg, hick.svg, noise_breakdown.svg,\n' +
    '        summary.csv, metrics.jsonl,\n' +
    '        nwta_times.npy / nwta_correct.npy / nwta_decided.npy (and wta_*) [N, trials], sizes.npy\n' +
    '        (--sweep delta: report.md, report.html, delta_sweep.csv, delta_sweep.svg, metrics.jsonl)',
  async run(ctx) {
    const { o, config, seed } = ctx;
    if (o.sweep != null) {
      if (o.sweep !== 'delta') throw new UsageError(`--sweep '${o.sweep}' is not known; use --sweep delta`);
      return deltaSweep(ctx);
    }
    const { sizes, delta, trials } = config;
    checkSizes(sizes);
    if (!(delta > 0 && delta < 1)) throw new UsageError(`--delta ${delta} must be in (0, 1)`);
    const wtaTrials = config.wtaTrials ?? Math.min(trials, o.quick ? 10 : 40);
    // the paper's example parameters unless overridden; outside the WTA regime the model throws a
    // WtaRegimeError that says so (α ≥ 1 or β ≤ 1 − α) before the run directory is made
    const over: Record<string, number> = { ...config.params };
    const base = kriener2020Params(over);
    const run = await ctx.start({
      config: {
        params: base,
        delta,
        sizes,
        trials,
        wtaTrials,
        decision: '0.8·b_max/(1 − α); no winner: x2/x1 > 0.5 at 100-τ checks after 100 τ, or 1000 τ',
      },
      preset: o.quick ? 'kriener2020 --quick' : 'kriener2020',
    });
    run.setMetrics({ engine: o.engine }); // which implementation ran the circuits: float64 JavaScript or TensorFlow.js ops
    const workers = o.workers ?? Math.min(availableParallelism(), 2);
    console.log(
      `▶ Kriener, Chaudhuri & Fiete 2020: WTA vs nWTA, N = ${sizes.join(', ')}; α ${base.alpha}, β ${base.beta}, θ ${base.theta}, σ ${base.sigma}, τ_η ${base.tauEta}, Δ ${delta}; ${trials} trials (conventional WTA with noise: ${wtaTrials}) → ${run.dir}`,
    );
    const t0 = performance.now();
    const nJobs = KRIENER2020_SERIES.length * sizes.length;
    const bar = new Progress('  conditions', nJobs, 'conditions');
    bar.update(0, {}, true);
    const r = await kriener2020(
      { sizes, trials, wtaTrials, delta, params: over, seed, runConditions: wtaOnWorkers(workers), engine: o.engine },
      { onProgress: (p) => bar.update(p.done, {}, true) },
    );
    bar.finish(nJobs);
    const breakdown = kriener2020NoiseBreakdown({ sizes, delta, params: over });
    const seconds = (performance.now() - t0) / 1000;
    return {
      run,
      seconds,
      outputs: kriener2020Outputs(r, breakdown),
      figures: kriener2020Figures(r, breakdown),
      report: kriener2020Report(r, { seconds, workers, breakdown }),
      summary: `\n${textTable(kriener2020Rows(r))}\n\n${kriener2020Summary(r, breakdown).join('\n')}\n\n`,
    };
  },
});

/** `--sweep delta`: the grid at each input gap Δ; nWTA time, accuracy and fits per Δ. */
async function deltaSweep(ctx: ReproduceContext<Options, KrienerConfig>): Promise<ReproduceResult> {
  const o = ctx.o;
  const sizes = o.sizes ?? (o.quick ? [2, 4, 8, 16, 32, 64] : KRIENER2020_SIZES);
  checkSizes(sizes);
  const deltas = o.deltas ?? [0.02, 0.05, 0.1, 0.2];
  for (const d of deltas) if (!(d > 0 && d < 1)) throw new UsageError(`--deltas: Δ = ${d} must be in (0, 1)`);
  const trials = o.trials ?? (o.quick ? 40 : 200);
  const wtaTrials = o.wtaTrials ?? Math.min(trials, o.quick ? 10 : 40);
  const over: Record<string, number> = {};
  for (const k of PARAM_NAMES) if (o[k] != null) over[k] = o[k] as number;
  const params = kriener2020Params(over);
  const run = await ctx.start({
    kind: 'reproduce.kriener2020.delta',
    config: { params, deltas, sizes, trials, wtaTrials },
    preset: o.quick ? 'kriener2020 --sweep delta --quick' : 'kriener2020 --sweep delta',
  });
  const workers = o.workers ?? Math.min(availableParallelism(), 2);
  console.log(
    `▶ Kriener et al. 2020, task-difficulty sweep: Δ = ${deltas.join(', ')}; N = ${sizes.join(', ')}; ${trials} trials (conventional WTA with noise: ${wtaTrials}) → ${run.dir}`,
  );
  const t0 = performance.now();
  const nJobs = KRIENER2020_SERIES.length * sizes.length * deltas.length;
  const bar = new Progress('  conditions', nJobs, 'conditions');
  let before = 0;
  let last = 0;
  const res = await kriener2020DeltaSweep(
    { deltas, sizes, trials, wtaTrials, params: over, seed: o.seed, runConditions: wtaOnWorkers(workers) },
    {
      onProgress: (p) => {
        if (p.done < last) before += last;
        last = p.done;
        bar.update(before + p.done, {}, true);
      },
    },
  );
  bar.finish(nJobs);
  const seconds = (performance.now() - t0) / 1000;
  const out = kriener2020DeltaOutputs(res, { params, sizes, trials, wtaTrials, seconds, workers });
  return {
    run,
    seconds,
    outputs: out,
    figures: kriener2020DeltaFigures(out.plotRows),
    report: out.report,
    summary: `\n${textTable(out.fitRows)}\n\n${textTable(out.rows)}\n\n`,
  };
}
