/**
 * `wmkit reproduce kriener2020 --out runs/kriener2020 [--quick]`
 *
 * Kriener, Chaudhuri & Fiete 2020 through `kriener2020` of @wmkit/papers (the WTA / nWTA grid on
 * worker threads, the benchmarks and fits); this command writes the table, arrays, figures and
 * report.md/report.html.
 */
import { availableParallelism } from 'node:os';
import { KRIENER2020_EXAMPLE } from '@wmkit/attractor-models';
import {
  accuracySvg,
  type WtaCurvePoint as CurvePoint,
  decisionTimeSvg,
  deltaSweepSvg,
  hickSvg,
  noiseBreakdownSvg,
  renderReport,
  textTable,
  wtaTracesSvg,
} from '@wmkit/figures';
import {
  fixedOrNa,
  KRIENER2020_SERIES,
  KRIENER2020_SIZES,
  type Kriener2020Series,
  kriener2020,
  kriener2020DeltaSweep,
  kriener2020NoiseBreakdown,
  kriener2020Params,
  kriener2020Report,
  kriener2020Rows,
  kriener2020Summary,
} from '@wmkit/papers';
import { wtaOnWorkers } from '@wmkit/papers/node';
import type { Command } from 'commander';
import { z } from 'zod';
import { failOnDivergence } from '../../divergence';
import { UsageError } from '../../errors';
import {
  addConfigOptions,
  type ConfigOptionValues,
  parseEngine,
  parseIntOption,
  parseListOption,
  parseNumberOption,
  printConfigIfAsked,
  resolveOptionConfig,
  schemaParser,
} from '../../options';
import { Progress } from '../../progress';
import { startRun } from '../../run-helpers';

interface Options extends ConfigOptionValues {
  out: string;
  trials?: number;
  wtaTrials?: number;
  sizes?: number[];
  delta: number;
  alpha?: number;
  beta?: number;
  theta?: number;
  sigma?: number;
  tauEta?: number;
  seed: number;
  workers?: number;
  quick?: boolean;
  sweep?: string;
  deltas?: number[];
  force?: boolean;
  engine: 'kernels' | 'tfjs';
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

export async function reproduceKriener2020(opts: Options, cmd: Command): Promise<number> {
  if (opts.sweep != null) {
    if (opts.sweep !== 'delta') throw new UsageError(`--sweep '${opts.sweep}' is not known; use --sweep delta`);
    return deltaSweep(opts);
  }
  const example = kriener2020Params();
  const { config, seed } = resolveOptionConfig(opts, cmd, {
    base: {
      params: Object.fromEntries(PARAM_NAMES.map((k) => [k, example[k]])) as KrienerConfig['params'],
      delta: 0.05,
      sizes: [...KRIENER2020_SIZES],
      trials: opts.quick ? 40 : 200,
      wtaTrials: null,
    },
    parse: schemaParser(configSchema),
    kinds: ['reproduce.kriener2020'],
    fromRecorded: (rec) => {
      const r = (rec ?? {}) as Partial<KrienerConfig> & { params?: Record<string, unknown> };
      const params = Object.fromEntries(PARAM_NAMES.map((k) => [k, r.params?.[k]]));
      return { params, delta: r.delta, sizes: r.sizes, trials: r.trials, wtaTrials: r.wtaTrials };
    },
    options: {
      trials: 'trials',
      wtaTrials: 'wtaTrials',
      sizes: 'sizes',
      delta: 'delta',
      ...Object.fromEntries(PARAM_NAMES.map((k) => [`params.${k}`, k])),
    },
  });
  if (printConfigIfAsked(opts, config)) return 0;
  const o = { ...opts, delta: config.delta, seed: seed ?? opts.seed };
  const sizes = config.sizes;
  for (const N of sizes) if (!(Number.isInteger(N) && N >= 2)) throw new UsageError(`--sizes: ${N} is not an integer ≥ 2`);
  if (!(o.delta > 0 && o.delta < 1)) throw new UsageError(`--delta ${o.delta} must be in (0, 1)`);
  const trials = config.trials;
  const wtaTrials = config.wtaTrials ?? Math.min(trials, o.quick ? 10 : 40);
  // the paper's example parameters unless overridden; outside the WTA regime the model throws a
  // WtaRegimeError that says so (α ≥ 1 or β ≤ 1 − α) before the run directory is made
  const over: Record<string, number> = { ...config.params };
  const base = kriener2020Params(over);
  const run = await startRun(o.out, {
    kind: 'reproduce.kriener2020',
    config: {
      params: base,
      delta: o.delta,
      sizes,
      trials,
      wtaTrials,
      decision: '0.8·b_max/(1 − α); no winner: x2/x1 > 0.5 at 100-τ checks after 100 τ, or 1000 τ',
    },
    seed: o.seed,
    preset: o.quick ? 'kriener2020 --quick' : 'kriener2020',
    force: o.force,
  });
  run.setMetrics({ engine: o.engine }); // which implementation ran the circuits: float64 JavaScript or TensorFlow.js ops
  const workers = o.workers ?? Math.min(availableParallelism(), 2);
  console.log(
    `▶ Kriener, Chaudhuri & Fiete 2020: WTA vs nWTA, N = ${sizes.join(', ')}; α ${base.alpha}, β ${base.beta}, θ ${base.theta}, σ ${base.sigma}, τ_η ${base.tauEta}, Δ ${o.delta}; ${trials} trials (conventional WTA with noise: ${wtaTrials}) → ${run.dir}`,
  );
  const t0 = performance.now();
  const nJobs = KRIENER2020_SERIES.length * sizes.length;
  const bar = new Progress('  conditions', nJobs, 'conditions');
  bar.update(0, {}, true);
  const r = await failOnDivergence(run, () =>
    kriener2020(
      { sizes, trials, wtaTrials, delta: o.delta, params: over, seed: o.seed, runConditions: wtaOnWorkers(workers), engine: o.engine },
      { onProgress: (p) => bar.update(p.done, {}, true) },
    ),
  );
  bar.finish(nJobs);
  const at = (s: Kriener2020Series, k: number) => r.results[s][k] as (typeof r.results)[Kriener2020Series][number];
  const bench = r.bench;

  const rows = kriener2020Rows(r);
  for (const [k, N] of sizes.entries()) {
    const n = at('nWTA, noise', k);
    const w = at('WTA, noise', k);
    const n0 = at('nWTA, no noise', k);
    const w0 = at('WTA, no noise', k);
    const b = bench[k];
    run.appendMetrics({
      N,
      nwta: { time: n.meanTime, se: n.seTime, accuracy: n.accuracy, decided: n.decided },
      wta: { time: w.meanTime, accuracy: w.accuracy, decided: w.decided },
      nwtaNoNoise: { time: n0.meanTime, decided: n0.decided },
      wtaNoNoise: { time: w0.meanTime, decided: w0.decided },
      parallel: b.parallel,
      serial: b.serial,
    });
  }

  // arrays: per-trial times and outcomes of the noisy circuits
  for (const s of ['nWTA, noise', 'WTA, noise'] as const) {
    const n = s === 'nWTA, noise' ? trials : wtaTrials;
    const times = new Float32Array(sizes.length * n);
    const correct = new Uint8Array(sizes.length * n);
    const decided = new Uint8Array(sizes.length * n);
    sizes.forEach((_, k) => {
      const x = at(s, k);
      times.set(x.times, k * n);
      correct.set(x.correct, k * n);
      decided.set(x.decidedMask, k * n);
    });
    const tag = s === 'nWTA, noise' ? 'nwta' : 'wta';
    run.writeArray(
      `${tag}_times`,
      { data: times, shape: [sizes.length, n] },
      { description: `${s}: decision (or give-up) time per trial, τ; rows = N` },
    );
    run.writeArray(`${tag}_correct`, { data: correct, shape: [sizes.length, n] }, { description: `${s}: correct winner` });
    run.writeArray(`${tag}_decided`, { data: decided, shape: [sizes.length, n] }, { description: `${s}: a winner was produced` });
  }
  run.writeArray('sizes', { data: Int32Array.from(sizes), shape: [sizes.length] }, { description: 'N of each row' });
  run.writeFile('summary.csv', `${rows.map((r) => r.map((c) => (c.includes(',') ? `"${c}"` : c)).join(',')).join('\n')}\n`);

  // figures
  const timePts: CurvePoint[] = [];
  for (const s of KRIENER2020_SERIES)
    for (const [k, N] of sizes.entries()) {
      const x = at(s, k);
      if (x.decided > 0)
        timePts.push({ series: s, N, value: x.meanTime, lo: x.meanTime - 2 * (x.seTime || 0), hi: x.meanTime + 2 * (x.seTime || 0) });
    }
  for (const b of bench) {
    if (Number.isFinite(b.parallel) && b.parallel > 0) {
      timePts.push({ series: 'parallel benchmark', N: b.N, value: b.parallel });
      timePts.push({ series: 'serial benchmark', N: b.N, value: b.serial });
    }
  }
  run.addFigure(
    'decision_time',
    decisionTimeSvg(timePts, 'Decision time vs N (benchmarks at the nWTA’s accuracy; bars ± 2 SE)'),
    'Decision time vs number of options',
  );
  const accPts: CurvePoint[] = [];
  const decPts: CurvePoint[] = [];
  for (const s of ['nWTA, noise', 'WTA, noise'] as const)
    for (const [k, N] of sizes.entries()) {
      const x = at(s, k);
      const se = Math.sqrt((x.accuracy * (1 - x.accuracy)) / x.trials);
      accPts.push({ series: s, N, value: x.accuracy, lo: Math.max(0, x.accuracy - 2 * se), hi: Math.min(1, x.accuracy + 2 * se) });
      decPts.push({ series: s, N, value: x.decided });
    }
  run.addFigure(
    'accuracy',
    accuracySvg(accPts, decPts, 'Accuracy and decisions vs N (Δ fixed; bars ± 2 SE)'),
    'Accuracy vs number of options',
  );
  const hick = r.fit.hick;
  run.addFigure(
    'hick',
    hickSvg(
      sizes.map((N, k) => ({ N, time: at('nWTA, noise', k).meanTime })),
      hick,
      `Hick's law: nWTA decision time vs log₂(N + 1), fitted over N ≤ ${hick.maxN}`,
    ),
    "Hick's law fit",
  );
  const breakdown = kriener2020NoiseBreakdown({ sizes, delta: o.delta, params: over });
  run.addFigure(
    'noise_breakdown',
    noiseBreakdownSvg(
      breakdown.points,
      `Conventional WTA in mean field (α ${base.alpha}, β ${base.beta}, Δ ${o.delta}): the winner state vs noise σ`,
    ),
    'Mean-field noise breakdown of the conventional WTA',
  );
  const panels = r.traces.map((tr) => ({
    title: `${tr.series}, N = ${tr.N}: one trial (black: largest input; dashed: decision threshold)`,
    t: tr.t,
    x: tr.x,
    N: tr.N,
    stop: tr.stop,
  }));
  run.addFigure('traces', wtaTracesSvg(panels), 'Activation traces of single trials');

  const seconds = (performance.now() - t0) / 1000;
  const ratios = r.ratioToParallel;
  const firstFail = r.wtaFailsFrom;
  const summary = kriener2020Summary(r, breakdown);
  run.setMetrics({
    fit: r.fit,
    noiseBreakdown: { critical: breakdown.critical, sigmas: breakdown.sigmas },
    ratioToParallel: [Math.min(...ratios), Math.max(...ratios)],
    wtaFailsFrom: firstFail ?? null,
    seconds,
  });
  const { md, html } = renderReport(kriener2020Report(r, { seconds, workers, breakdown }));
  run.writeFile('report.md', md);
  run.writeFile('report.html', html);
  run.complete({ seconds });
  console.log(
    `\n${textTable(rows)}\n\n${summary.join('\n')}\n\n✓ report: ${run.path('report.html')} (and report.md), ${seconds.toFixed(0)} s`,
  );
  return 0;
}

export function registerReproduceKriener(reproduce: Command): void {
  const cmd = reproduce
    .command('kriener2020')
    .description(
      'Kriener, Chaudhuri & Fiete 2020: decision time and accuracy vs N for WTA and nWTA circuits with and without noise, against the serial (N log N) and parallel (log N) benchmarks; writes report.md/report.html with figures',
    )
    .option('--out <dir>', 'run directory', 'runs/kriener2020')
    .option('--trials <n>', 'trials per N for the nWTA with noise (default 200; --quick 40)', parseIntOption('trials', 1))
    .option(
      '--wta-trials <n>',
      'trials per N for the conventional WTA with noise (default 40: failing trials run 200 τ)',
      parseIntOption('wta-trials', 1),
    )
    .option('--sizes <list>', `network sizes N (default ${KRIENER2020_SIZES.join(',')})`, parseListOption('sizes'))
    .option('--delta <x>', 'input gap Δ between the winner and the others', parseNumberOption('delta'), 0.05)
    .option('--alpha <x>', `self-excitation α (default ${KRIENER2020_EXAMPLE.alpha}; WTA needs α < 1)`, parseNumberOption('alpha'))
    .option('--beta <x>', `lateral inhibition β (default ${KRIENER2020_EXAMPLE.beta}; WTA needs β > 1 − α)`, parseNumberOption('beta'))
    .option('--theta <x>', `nWTA inhibition threshold θ (default ${KRIENER2020_EXAMPLE.theta})`, parseNumberOption('theta'))
    .option('--sigma <x>', `OU noise SD σ of the noisy circuits (default ${KRIENER2020_EXAMPLE.sigma})`, parseNumberOption('sigma'))
    .option(
      '--tau-eta <x>',
      `OU noise correlation time τ_η (default ${KRIENER2020_EXAMPLE.tauEta}; dt = τ_η/5)`,
      parseNumberOption('tau-eta'),
    )
    .option('--seed <n>', 'random seed', parseIntOption('seed', 0), 1)
    .option('--workers <n>', 'worker threads (default: up to 2)', parseIntOption('workers', 1))
    .option('--quick', 'fewer trials (a minute or less)')
    .option('--sweep <what>', 'delta: the task-difficulty sweep, the grid at each input gap of --deltas')
    .option('--deltas <list>', 'input gaps Δ of --sweep delta (default 0.02,0.05,0.1,0.2)', parseListOption('deltas'))
    .option('--force', 'replace an existing run in --out')
    .option(
      '--engine <name>',
      'kernels (the float64 JavaScript circuits) or tfjs (TensorFlow.js ops, trials batched)',
      parseEngine,
      'kernels',
    );
  addConfigOptions(cmd, 'params.sigma=0.2')
    .addHelpText(
      'after',
      '\nConfig (--config, --set, --from): params.alpha, params.beta, params.theta, params.sigma, params.tauEta, delta,\n' +
        'sizes, trials, wtaTrials (null: the default); the options typed on the command line override them, and\n' +
        '--from also takes the run’s seed (unless --seed is given).\n' +
        '\nExamples:\n  wmkit reproduce kriener2020 --out runs/kriener2020\n  wmkit reproduce kriener2020 --quick --sizes 2,16,128 --sigma 0.2\n' +
        '  wmkit reproduce kriener2020 --set params.sigma=0.2 --print-config\n  wmkit reproduce kriener2020 --from runs/kriener2020 --out runs/kriener-again\n' +
        '  wmkit reproduce kriener2020 --quick --sizes 2,8 --trials 20 --wta-trials 10 --engine tfjs --out runs/kriener-tfjs\n' +
        '  wmkit reproduce kriener2020 --sweep delta --deltas 0.02,0.05,0.1,0.2 --quick --sizes 2,4,8,16,32,64 --out runs/kriener-delta\n' +
        `\nParameters (Kriener, Chaudhuri & Fiete 2020; docs/models/wta-sparse.md): α ${KRIENER2020_EXAMPLE.alpha}, β ${KRIENER2020_EXAMPLE.beta}, θ ${KRIENER2020_EXAMPLE.theta}, τ 1, σ ${KRIENER2020_EXAMPLE.sigma}, τ_η ${KRIENER2020_EXAMPLE.tauEta}, dt τ_η/5.\n` +
        'Writes: report.md, report.html, decision_time.svg, accuracy.svg, traces.svg, hick.svg, noise_breakdown.svg,\n' +
        '        summary.csv, metrics.jsonl,\n' +
        '        nwta_times.npy / nwta_correct.npy / nwta_decided.npy (and wta_*) [N, trials], sizes.npy\n' +
        '        (--sweep delta: report.md, report.html, delta_sweep.csv, delta_sweep.svg, metrics.jsonl)',
    )
    .action(async (o: Options, c: Command) => {
      process.exitCode = await reproduceKriener2020(o, c);
    });
}

/** `--sweep delta`: the grid at each input gap Δ; nWTA time, accuracy and fits per Δ. */
const f1 = (x: number) => fixedOrNa(x, 1);
const f2 = (x: number) => fixedOrNa(x, 2);

async function deltaSweep(o: Options): Promise<number> {
  const sizes = o.sizes ?? (o.quick ? [2, 4, 8, 16, 32, 64] : KRIENER2020_SIZES);
  for (const N of sizes) if (!(Number.isInteger(N) && N >= 2)) throw new UsageError(`--sizes: ${N} is not an integer ≥ 2`);
  const deltas = o.deltas ?? [0.02, 0.05, 0.1, 0.2];
  for (const d of deltas) if (!(d > 0 && d < 1)) throw new UsageError(`--deltas: Δ = ${d} must be in (0, 1)`);
  const trials = o.trials ?? (o.quick ? 40 : 200);
  const wtaTrials = o.wtaTrials ?? Math.min(trials, o.quick ? 10 : 40);
  const over: Record<string, number> = {};
  for (const k of ['alpha', 'beta', 'theta', 'sigma', 'tauEta'] as const) if (o[k] != null) over[k] = o[k] as number;
  const base = kriener2020Params(over);
  const run = await startRun(o.out, {
    kind: 'reproduce.kriener2020.delta',
    config: { params: base, deltas, sizes, trials, wtaTrials },
    seed: o.seed,
    preset: o.quick ? 'kriener2020 --sweep delta --quick' : 'kriener2020 --sweep delta',
    force: o.force,
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
  const res = await failOnDivergence(run, () =>
    kriener2020DeltaSweep(
      { deltas, sizes, trials, wtaTrials, params: over, seed: o.seed, runConditions: wtaOnWorkers(workers) },
      {
        onProgress: (p) => {
          if (p.done < last) before += last;
          last = p.done;
          bar.update(before + p.done, {}, true);
        },
      },
    ),
  );
  bar.finish(nJobs);
  const rows: string[][] = [['Δ', 'N', 'nWTA time (τ)', 'nWTA accuracy', 'WTA with a winner', 'WTA accuracy']];
  const fitRows: string[][] = [['Δ', 'T = a + b·ln N', 'r²', "Hick's law (N ≤ 32)", 'r²', 'WTA fails from N']];
  const plotRows: { delta: number; N: number; time: number; accuracy: number }[] = [];
  for (const { delta, result } of res) {
    const nw = result.results['nWTA, noise'];
    const w = result.results['WTA, noise'];
    sizes.forEach((N, k) => {
      const n = nw[k] as (typeof nw)[number];
      const c = w[k] as (typeof w)[number];
      rows.push([
        String(delta),
        String(N),
        `${f1(n.meanTime)} ± ${f1(n.seTime)}`,
        f2(n.accuracy),
        `${(c.decided * 100).toFixed(0)}%`,
        f2(c.accuracy),
      ]);
      plotRows.push({ delta, N, time: n.meanTime, accuracy: n.accuracy });
      run.appendMetrics({
        delta,
        N,
        nwta: { time: n.meanTime, se: n.seTime, accuracy: n.accuracy },
        wta: { decided: c.decided, accuracy: c.accuracy },
      });
    });
    const f = result.fit;
    fitRows.push([
      String(delta),
      `${f1(f.nwta.intercept)} + ${f2(f.nwta.slope)}·ln N`,
      f2(f.nwta.r2),
      `${f2(f.hick.intercept)} + ${f2(f.hick.slope)}·log₂(N+1)`,
      f.hick.r2.toFixed(3),
      result.wtaFailsFrom == null ? '—' : String(result.wtaFailsFrom),
    ]);
  }
  run.writeFile('delta_sweep.csv', `${rows.map((r) => r.map((c) => (c.includes(',') ? `"${c}"` : c)).join(',')).join('\n')}\n`);
  run.addFigure(
    'delta_sweep',
    deltaSweepSvg(plotRows, 'Task difficulty: nWTA decision time and accuracy vs N at each input gap Δ'),
    'Decision time and accuracy vs N per Δ',
  );
  const seconds = (performance.now() - t0) / 1000;
  run.setMetrics({ fits: res.map(({ delta, result }) => ({ delta, fit: result.fit, wtaFailsFrom: result.wtaFailsFrom })), seconds });
  const { md, html } = renderReport({
    title: 'Task difficulty sweep (Kriener, Chaudhuri & Fiete 2020)',
    sections: [
      {
        paragraphs: [
          `The WTA / nWTA grid of \`wmkit reproduce kriener2020\` at each input gap Δ between the winner (input 1) and the others (1 − Δ); a smaller Δ is a harder task. Parameters α ${base.alpha}, β ${base.beta}, θ ${base.theta}, σ ${base.sigma}, τ_η ${base.tauEta}; ${trials} trials per N (conventional WTA with noise: ${wtaTrials}).`,
          `Runtime ${seconds.toFixed(0)} s on ${workers} worker thread${workers > 1 ? 's' : ''}.`,
        ],
        tables: [{ rows: fitRows }, { rows }],
        figures: [['delta_sweep', 'nWTA decision time (top) and accuracy (bottom) against N, one line per Δ.']],
      },
    ],
  });
  run.writeFile('report.md', md);
  run.writeFile('report.html', html);
  run.complete({ seconds });
  console.log(
    `\n${textTable(fitRows)}\n\n${textTable(rows)}\n\n✓ report: ${run.path('report.html')} (and report.md), ${seconds.toFixed(0)} s`,
  );
  return 0;
}
