/**
 * `wmkit reproduce kriener2020 --out runs/kriener2020 [--quick]`: Kriener, Chaudhuri & Fiete 2020
 * through `kriener2020` of @wmkit/papers (the WTA / nWTA grid on worker threads, the benchmarks
 * and fits), declared for the reproduce driver; `--sweep delta` runs `kriener2020DeltaSweep`, a
 * sub-mode with its own config (`deltas` in place of `delta`).
 */
import { availableParallelism } from 'node:os';
import { KRIENER2020_EXAMPLE as EX } from '@wmkit/attractor-models';
import { kriener2020DeltaFigures, kriener2020Figures, textTable } from '@wmkit/figures';
import {
  KRIENER2020_DECISION,
  KRIENER2020_SERIES,
  KRIENER2020_SIZES,
  type Kriener2020Config,
  type Kriener2020DeltaConfig,
  kriener2020,
  kriener2020Config,
  kriener2020ConfigOfRun,
  kriener2020ConfigSchema,
  kriener2020DeltaConfig,
  kriener2020DeltaConfigSchema,
  kriener2020DeltaOutputs,
  kriener2020DeltaSweep,
  kriener2020Params,
  kriener2020RunResult,
} from '@wmkit/papers';
import { wtaOnWorkers } from '@wmkit/papers/node';
import { UsageError } from '../../errors';
import { parseIntOption, parseListOption, parseNumberOption } from '../../options';
import { Progress } from '../../progress';
import { defineReproduce } from './driver';

const DELTA_KIND = 'reproduce.kriener2020.delta';

export const registerReproduceKriener = defineReproduce<{ sweep?: string; deltas?: number[] }, Kriener2020Config | Kriener2020DeltaConfig>({
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
    ['--deltas <list>', 'input gaps Δ of --sweep delta (default 0.02,0.05,0.1,0.2)', parseListOption('deltas'), undefined, 'deltas'],
  ],
  quick: 'fewer trials (a minute or less)',
  workers: 'worker threads (default: up to 2)',
  engine: 'kernels (the float64 JavaScript circuits) or tfjs (TensorFlow.js ops, trials batched)',
  check(o) {
    if (o.sweep != null && o.sweep !== 'delta') throw new UsageError(`--sweep '${o.sweep}' is not known; use --sweep delta`);
    if (o.sweep == null && o.deltas) throw new UsageError('--deltas goes with --sweep delta (the task-difficulty sweep)');
  },
  config: {
    schema: kriener2020ConfigSchema,
    base: kriener2020Config,
    fromRecorded: (rec) => kriener2020ConfigOfRun(rec),
    mode: (o) =>
      o.sweep == null
        ? undefined
        : {
            kind: DELTA_KIND,
            schema: kriener2020DeltaConfigSchema,
            base: kriener2020DeltaConfig(o),
            fromRecorded: (rec) => kriener2020ConfigOfRun(rec, kriener2020DeltaConfigSchema),
          },
    example: 'params.sigma=0.2',
    help:
      'params.alpha, params.beta, params.theta, params.sigma, params.tauEta, delta,\n' +
      'sizes, trials, wtaTrials (null: the default); with --sweep delta, deltas in place of delta. The options typed\n' +
      'on the command line override them, and --from also takes the run’s seed (unless --seed is given).',
  },
  help: `Parameters (Kriener, Chaudhuri & Fiete 2020; docs/models/wta-sparse.md): α ${EX.alpha}, β ${EX.beta}, θ ${EX.theta}, τ 1, σ ${EX.sigma}, τ_η ${EX.tauEta}, dt τ_η/5.`,
  examples: [
    'wmkit reproduce kriener2020 --out runs/kriener2020',
    'wmkit reproduce kriener2020 --quick --sizes 2,16,128 --sigma 0.2',
    'wmkit reproduce kriener2020 --set params.sigma=0.2 --print-config',
    'wmkit reproduce kriener2020 --from runs/kriener2020 --out runs/kriener-again',
    'wmkit reproduce kriener2020 --quick --sizes 2,8 --trials 20 --wta-trials 10 --engine tfjs --out runs/kriener-tfjs',
    'wmkit reproduce kriener2020 --sweep delta --deltas 0.02,0.05,0.1,0.2 --quick --sizes 2,4,8,16,32,64 --out runs/kriener-delta',
    'wmkit reproduce kriener2020 --sweep delta --set trials=100 --print-config',
  ],
  writes:
    'report.md, report.html, decision_time.svg, accuracy.svg, traces.svg, hick.svg, noise_breakdown.svg,\n' +
    '        summary.csv, metrics.jsonl,\n' +
    '        nwta_times.npy / nwta_correct.npy / nwta_decided.npy (and wta_*) [N, trials], sizes.npy\n' +
    '        (--sweep delta: report.md, report.html, delta_sweep.csv, delta_sweep.svg, metrics.jsonl)',
  async run({ o, config, seed, start }) {
    const sweep = 'deltas' in config;
    const deltas = sweep ? config.deltas : [config.delta];
    const { sizes, trials } = config;
    for (const N of sizes) if (!(Number.isInteger(N) && N >= 2)) throw new UsageError(`--sizes: ${N} is not an integer ≥ 2`);
    for (const d of deltas)
      if (!(d > 0 && d < 1)) throw new UsageError(sweep ? `--deltas: Δ = ${d} must be in (0, 1)` : `--delta ${d} must be in (0, 1)`);
    const wtaTrials = config.wtaTrials ?? Math.min(trials, o.quick ? 10 : 40);
    // the paper's example parameters unless overridden; outside the WTA regime the model throws a
    // WtaRegimeError that says so (α ≥ 1 or β ≤ 1 − α) before the run directory is made
    const over: Record<string, number> = { ...config.params };
    const params = kriener2020Params(over);
    const preset = `kriener2020${sweep ? ' --sweep delta' : ''}${o.quick ? ' --quick' : ''}`;
    const run = sweep // the Δ sweep runs the float64 JavaScript circuits (no --engine)
      ? await start({ kind: DELTA_KIND, config: { params, deltas, sizes, trials, wtaTrials }, preset })
      : await start({
          config: { params, delta: deltas[0], sizes, trials, wtaTrials, decision: KRIENER2020_DECISION },
          preset,
          engine: o.engine,
        });
    const workers = o.workers ?? Math.min(availableParallelism(), 2);
    const { alpha, beta, theta, sigma, tauEta } = params;
    console.log(
      sweep
        ? `▶ Kriener et al. 2020, task-difficulty sweep: Δ = ${deltas.join(', ')}; N = ${sizes.join(', ')}; ${trials} trials (conventional WTA with noise: ${wtaTrials}) → ${run.dir}`
        : `▶ Kriener, Chaudhuri & Fiete 2020: WTA vs nWTA, N = ${sizes.join(', ')}; α ${alpha}, β ${beta}, θ ${theta}, σ ${sigma}, τ_η ${tauEta}, Δ ${deltas[0]}; ${trials} trials (conventional WTA with noise: ${wtaTrials}) → ${run.dir}`,
    );
    const t0 = performance.now();
    const nJobs = KRIENER2020_SERIES.length * sizes.length * deltas.length;
    const bar = new Progress('  conditions', nJobs, 'conditions');
    bar.update(0, {}, true);
    const onProgress = (p: { done: number }) => bar.update(p.done, {}, true);
    const grid = { sizes, trials, wtaTrials, params: over, seed, runConditions: wtaOnWorkers(workers) };
    if (sweep) {
      const res = await kriener2020DeltaSweep({ ...grid, deltas }, { onProgress });
      bar.finish(nJobs);
      const seconds = (performance.now() - t0) / 1000;
      const out = kriener2020DeltaOutputs(res, { params, sizes, trials, wtaTrials, seconds, workers });
      const summary = `\n${textTable(out.fitRows)}\n\n${textTable(out.rows)}\n\n`;
      return { run, seconds, outputs: out, figures: kriener2020DeltaFigures(out.plotRows), report: out.report, summary };
    }
    const delta = deltas[0] as number;
    const r = await kriener2020({ ...grid, delta, engine: o.engine }, { onProgress });
    bar.finish(nJobs);
    const seconds = (performance.now() - t0) / 1000;
    const { breakdown, outputs, report, rows, summary } = kriener2020RunResult(r, { seconds, workers });
    const figures = kriener2020Figures(r, breakdown);
    return { run, seconds, outputs, figures, report, summary: `\n${textTable(rows)}\n\n${summary.join('\n')}\n\n` };
  },
});
