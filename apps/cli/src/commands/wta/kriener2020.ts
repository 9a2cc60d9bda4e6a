/**
 * `wmkit reproduce kriener2020 --out runs/kriener2020 [--quick]`
 *
 * Accuracy and decision time vs the number of options N for the conventional WTA and the
 * nonlinear-inhibition nWTA (Kriener, Chaudhuri & Fiete 2020), with and without input noise, at
 * the spec's example parameters (no retuning across N), compared at matched accuracy with the
 * parallel (log N) and serial (N log N) benchmarks. Writes report.md/report.html with figures.
 */
import { availableParallelism } from 'node:os';
import { logFit, parallelBenchmarkTime } from '@wmkit/analysis';
import { KRIENER2020_EXAMPLE, type WtaCondition, type WtaSummary, wtaParams, wtaTraces } from '@wmkit/attractor-models';
import type { WtaJob } from '@wmkit/papers/node';
import { runTasks } from '@wmkit/papers/node';
import { wtaInputs } from '@wmkit/tasks';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { accuracySvg, type CurvePoint, decisionTimeSvg, wtaTracesSvg } from '../../figures/wta';
import { parseIntOption, parseListOption, parseNumberOption } from '../../options';
import { Progress } from '../../progress';
import { renderReport, textTable } from '../../report';
import { startRun } from '../../run-helpers';

interface Options {
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
  force?: boolean;
}

const DEFAULT_SIZES = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
const SERIES = ['nWTA, noise', 'WTA, noise', 'nWTA, no noise', 'WTA, no noise'] as const;
type Series = (typeof SERIES)[number];

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');

export async function reproduceKriener2020(o: Options): Promise<number> {
  const sizes = o.sizes ?? DEFAULT_SIZES;
  for (const N of sizes) if (!(Number.isInteger(N) && N >= 2)) throw new UsageError(`--sizes: ${N} is not an integer ≥ 2`);
  if (!(o.delta > 0 && o.delta < 1)) throw new UsageError(`--delta ${o.delta} must be in (0, 1)`);
  const trials = o.trials ?? (o.quick ? 40 : 200);
  const wtaTrials = o.wtaTrials ?? Math.min(trials, o.quick ? 10 : 40);
  // the spec's example parameters unless overridden; outside the WTA regime this throws a
  // WtaRegimeError that says so (α ≥ 1 or β ≤ 1 − α)
  const over: Record<string, number> = {};
  for (const k of ['alpha', 'beta', 'theta', 'sigma', 'tauEta'] as const) if (o[k] != null) over[k] = o[k] as number;
  const noisy = wtaParams(over);
  const base = {
    alpha: noisy.alpha,
    beta: noisy.beta,
    tau: noisy.tau,
    tauEta: noisy.tauEta,
    sigma: noisy.sigma,
    theta: noisy.theta,
    dt: noisy.dt,
  };
  const paramsFor = (s: Series) => wtaParams({ ...base, nonlinear: s.startsWith('nWTA'), sigma: s.endsWith('no noise') ? 0 : base.sigma });
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
  // noise-free trials are deterministic: one trial says it all
  const jobs: (WtaJob & { series: Series })[] = [];
  for (const s of SERIES)
    for (const N of sizes) {
      const n = s.endsWith('no noise') ? 1 : s === 'WTA, noise' ? wtaTrials : trials;
      const condition: WtaCondition = { N, trials: n, delta: o.delta, params: paramsFor(s), key: `${s}-N${N}` };
      jobs.push({ condition, seed: o.seed, series: s });
    }
  // biggest jobs first keeps both workers busy to the end
  const cost = (j: WtaJob) => j.condition.N * j.condition.trials * (j.condition.params.nonlinear ? 1 : 5);
  const order = jobs.map((_, i) => i).sort((a, b) => cost(jobs[b]) - cost(jobs[a]));
  const workers = o.workers ?? Math.min(availableParallelism(), 2);
  console.log(
    `▶ Kriener, Chaudhuri & Fiete 2020: WTA vs nWTA, N = ${sizes.join(', ')}; α ${base.alpha}, β ${base.beta}, θ ${base.theta}, σ ${base.sigma}, τ_η ${base.tauEta}, Δ ${o.delta}; ${trials} trials (conventional WTA with noise: ${wtaTrials}) → ${run.dir}`,
  );
  const t0 = performance.now();
  const bar = new Progress('  conditions', jobs.length, 'conditions');
  bar.update(0, {}, true);
  let done = 0;
  const ordered = await runTasks(
    'wta',
    order.map((i) => ({ condition: jobs[i].condition, seed: jobs[i].seed })),
    { workers, onResult: () => bar.update(++done, {}, true) },
  );
  bar.finish(jobs.length);
  const results = new Array<WtaSummary>(jobs.length);
  order.forEach((i, k) => {
    results[i] = ordered[k];
  });
  const get = (s: Series, N: number) => results[jobs.findIndex((j) => j.series === s && j.condition.N === N)];

  // benchmarks at the nWTA's accuracy
  const noise = { delta: o.delta, sigma: base.sigma, tauEta: base.tauEta };
  const bench = sizes.map((N) => {
    const acc = get('nWTA, noise', N).accuracy;
    const usable = acc > 1 / N && acc < 1;
    const a = acc >= 1 ? 1 - 0.5 / get('nWTA, noise', N).trials : acc; // all correct: use the 1 − 1/(2n) bound
    const par = usable || acc >= 1 ? parallelBenchmarkTime(N, a, noise) : Number.NaN;
    return { N, accuracy: acc, parallel: par, serial: N * par };
  });

  const rows: string[][] = [
    [
      'N',
      'nWTA time (τ)',
      'nWTA acc.',
      'WTA time',
      'WTA acc.',
      'WTA with a winner',
      'parallel bench.',
      'serial bench.',
      'nWTA / parallel',
      'serial / nWTA',
      'nWTA no noise',
      'WTA no noise',
    ],
  ];
  for (const [k, N] of sizes.entries()) {
    const n = get('nWTA, noise', N);
    const w = get('WTA, noise', N);
    const n0 = get('nWTA, no noise', N);
    const w0 = get('WTA, no noise', N);
    const b = bench[k];
    rows.push([
      String(N),
      `${f1(n.meanTime)} ± ${f1(n.seTime)}`,
      f2(n.accuracy),
      w.decided > 0 ? `${f1(w.meanTime)}` : '—',
      f2(w.accuracy),
      `${(w.decided * 100).toFixed(0)}%`,
      f1(b.parallel),
      f1(b.serial),
      f2(n.meanTime / b.parallel),
      f1(b.serial / n.meanTime),
      n0.decided ? f1(n0.meanTime) : 'no winner',
      w0.decided ? f1(w0.meanTime) : 'no winner',
    ]);
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
  const nw = sizes.map((N) => get('nWTA, noise', N));
  const fitN = logFit(
    sizes,
    nw.map((r) => r.meanTime),
  );
  const fitPar = logFit(
    sizes,
    bench.map((b) => b.parallel),
  );
  const powerExp = (ys: number[]) => logFit(sizes, ys.map(Math.log)).slope; // d ln T / d ln N
  const expN = powerExp(nw.map((r) => r.meanTime));
  const expSerial = powerExp(bench.map((b) => b.serial));
  const firstFail = sizes.find((N) => get('WTA, noise', N).decided < 0.5);

  // arrays: per-trial times and outcomes of the noisy circuits
  for (const s of ['nWTA, noise', 'WTA, noise'] as const) {
    const n = s === 'nWTA, noise' ? trials : wtaTrials;
    const times = new Float32Array(sizes.length * n);
    const correct = new Uint8Array(sizes.length * n);
    const decided = new Uint8Array(sizes.length * n);
    sizes.forEach((N, k) => {
      const r = get(s, N);
      times.set(r.times, k * n);
      correct.set(r.correct, k * n);
      decided.set(r.decidedMask, k * n);
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
  for (const s of SERIES)
    for (const N of sizes) {
      const r = get(s, N);
      if (r.decided > 0)
        timePts.push({ series: s, N, value: r.meanTime, lo: r.meanTime - 2 * (r.seTime || 0), hi: r.meanTime + 2 * (r.seTime || 0) });
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
    for (const N of sizes) {
      const r = get(s, N);
      const se = Math.sqrt((r.accuracy * (1 - r.accuracy)) / r.trials);
      accPts.push({ series: s, N, value: r.accuracy, lo: Math.max(0, r.accuracy - 2 * se), hi: Math.min(1, r.accuracy + 2 * se) });
      decPts.push({ series: s, N, value: r.decided });
    }
  run.addFigure(
    'accuracy',
    accuracySvg(accPts, decPts, 'Accuracy and decisions vs N (Δ fixed; bars ± 2 SE)'),
    'Accuracy vs number of options',
  );
  const traceN = 10;
  const panels = (['nWTA, noise', 'WTA, noise'] as const).map((s) => {
    const p = paramsFor(s);
    const tr = wtaTraces(p, wtaInputs(traceN, { delta: o.delta }).b, new Rng(o.seed).fork(`trace-${s}`), 60, 10);
    return {
      title: `${s}, N = ${traceN}: one trial (black: largest input; dashed: decision threshold)`,
      t: tr.t,
      x: tr.x,
      N: traceN,
      stop: (0.8 * 1) / (1 - p.alpha),
    };
  });
  run.addFigure('traces', wtaTracesSvg(panels), 'Activation traces of single trials');

  const seconds = (performance.now() - t0) / 1000;
  const small = sizes.filter((N) => N <= 256);
  const fitSmall =
    small.length >= 3
      ? logFit(
          small,
          small.map((N) => get('nWTA, noise', N).meanTime),
        )
      : null;
  const ratios = bench.map((b, k) => nw[k].meanTime / b.parallel).filter(Number.isFinite);
  const speedup = bench.map((b, k) => b.serial / nw[k].meanTime);
  const expSpeedup = powerExp(speedup);
  const summary = [
    `nWTA with noise decides at every N. Its decision time grows as log N: T = ${f1(fitN.intercept)} + ${f2(fitN.slope)}·ln N over N = ${sizes[0]}–${sizes[sizes.length - 1]} (r² = ${f2(fitN.r2)})${fitSmall && small.length < sizes.length ? `, ${f1(fitSmall.intercept)} + ${f2(fitSmall.slope)}·ln N over N ≤ 256 (r² = ${f2(fitSmall.r2)})` : ''}; as a power law T ∝ N^${expN.toFixed(2)}, against N^${expSerial.toFixed(2)} for the serial benchmark.`,
    `With Δ fixed its accuracy falls as competitors are added (${f2(nw[0].accuracy)} at N = ${sizes[0]}, ${f2(nw[nw.length - 1].accuracy)} at N = ${sizes[sizes.length - 1]}). At matched accuracy the nWTA takes ${f2(Math.min(...ratios))}–${f2(Math.max(...ratios))}× the parallel benchmark's time at every N — a bounded factor — while the serial strategy takes ${f1(Math.min(...speedup))}–${f1(Math.max(...speedup))}× longer than the nWTA, a gap that grows as N^${expSpeedup.toFixed(2)}.`,
    firstFail
      ? `The conventional WTA with the same noise stops producing a winner: fewer than half of its trials decide from N = ${firstFail} on.`
      : 'The conventional WTA with noise decided in most trials at every N tested.',
  ];
  run.setMetrics({
    fit: { nwta: fitN, nwtaUpTo256: fitSmall, parallel: fitPar, powerNwta: expN, powerSerial: expSerial, powerSpeedup: expSpeedup },
    ratioToParallel: [Math.min(...ratios), Math.max(...ratios)],
    wtaFailsFrom: firstFail ?? null,
    seconds,
  });
  const { md, html } = renderReport({
    title: 'Robust parallel decision-making with nonlinear inhibition (Kriener, Chaudhuri & Fiete 2020)',
    sections: [
      {
        paragraphs: [
          `Self-terminating WTA (g(x) = x) and nWTA (g(x) = x above θ, else 0) circuits, τ dx/dt = −x + [b + η + αx − βΣ_{j≠i} g(x_j)]₊, at the spec's example parameters for every N (α = ${base.alpha}, β = ${base.beta}, θ = ${base.theta}, τ = 1, OU noise σ = ${base.sigma}, τ_η = ${base.tauEta}, dt = τ_η/5), inputs 1 for the winner and ${1 - o.delta} for the others. Decision: max x ≥ 0.8/(1 − α); no winner when x₍₂₎/x₍₁₎ > 0.5 at the 100-τ checks after 100 τ (as in the authors' code) or at 1000 τ. ${trials} trials per N (conventional WTA with noise: ${wtaTrials}); noise-free circuits are deterministic (one trial).`,
          'Benchmarks, as ideal observers of the same noisy inputs at the accuracy the nWTA reached at each N: *parallel* integrates all N inputs at once for the shortest time that reaches that accuracy (∝ log N); *serial* integrates each input in turn for the same time (N times longer, ∝ N log N).',
          ...summary,
          'Noise-free circuits: with exactly equal inputs for all losers, the nWTA losers cross θ together and inhibit each other in lock-step, which for large N stalls the decision; input noise breaks the symmetry (the regime the paper studies).',
          `Runtime ${seconds.toFixed(0)} s on ${workers} worker thread${workers > 1 ? 's' : ''}.`,
        ],
        tables: [{ rows }],
        figures: [
          ['decision_time', 'Decision time vs N, log–log. Dashed: the parallel and serial benchmarks at the nWTA’s accuracy.'],
          ['accuracy', 'Accuracy (top) and the fraction of trials that produced a winner (bottom).'],
          ['traces', 'Single trials at N = 10.'],
        ],
      },
    ],
  });
  run.writeFile('report.md', md);
  run.writeFile('report.html', html);
  run.complete({ seconds });
  console.log(
    `\n${textTable(rows)}\n\n${summary.join('\n')}\n\n✓ report: ${run.path('report.html')} (and report.md), ${seconds.toFixed(0)} s`,
  );
  return 0;
}

export function registerReproduceKriener(reproduce: Command): void {
  reproduce
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
    .option('--sizes <list>', `network sizes N (default ${DEFAULT_SIZES.join(',')})`, parseListOption('sizes'))
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
    .option('--force', 'replace an existing run in --out')
    .addHelpText(
      'after',
      `\nParameters (Kriener et al. 2020; docs/models/wta-sparse.md): α ${KRIENER2020_EXAMPLE.alpha}, β ${KRIENER2020_EXAMPLE.beta}, θ ${KRIENER2020_EXAMPLE.theta}, τ 1, σ ${KRIENER2020_EXAMPLE.sigma}, τ_η ${KRIENER2020_EXAMPLE.tauEta}, dt τ_η/5.\n` +
        'Writes: report.md, report.html, decision_time.svg, accuracy.svg, traces.svg, summary.csv, metrics.jsonl,\n' +
        '        nwta_times.npy / nwta_correct.npy / nwta_decided.npy (and wta_*) [N, trials], sizes.npy',
    )
    .action(async (o: Options) => {
      process.exitCode = await reproduceKriener2020(o);
    });
}
