/**
 * `wmkit reproduce kim2021 --seeds 3 --out runs/kim2021`
 *
 * Kim & Sejnowski 2021 end to end, for several seeds: train the E/I rate RNN on DMS (preset
 * `kim2021.dms`), convert it to a LIF network (λ search, 750-ms delay test), then scale the I→I
 * synapses by 1.3 and by 0.7 and re-measure neuronal timescales and DMS accuracy, each paired with
 * the unscaled network (same trials and noise). The paper's finding: stronger I→I ⇒ longer
 * timescales and better working memory.
 *
 * Every step is the wmkit command a user would run (`train ei-rnn`, `convert lif`, `experiment
 * scale-synapses`), on worker threads, one model per worker; each model is a full run directory
 * under `<out>.models/seed-<k>` (beside the report's run, so that a rerun with --force rebuilds the
 * report without retraining). A step whose run directory is already complete is skipped, so a
 * stopped reproduction resumes where it stopped.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { readRun } from '@wmkit/data-io/node';
import { runPool } from '@wmkit/papers/node';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { legendMarks, Plot, stackedPlotsSvg } from '../../figures/plot';
import { parseIntOption, pct } from '../../options';
import { Progress } from '../../progress';
import { renderReport, textTable } from '../../report';
import { startRun } from '../../run-helpers';
import { workerScript } from '../../workers/location';
import type { SweepJob } from '../../workers/sweep-worker';
import { EI_RATE_KIND, presetOrError } from './common';

interface Options {
  out: string;
  seeds: number;
  seed: number;
  preset: string;
  trials: number;
  timescaleTrials: number;
  workers?: number;
  force?: boolean;
}

const FACTORS = [0.7, 1.3] as const;

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

type Metrics = Record<string, unknown>;

/** The run in `dir`, or null when there is none or it cannot be read. */
function runOrNull(dir: string): ReturnType<typeof readRun> | null {
  if (!existsSync(join(dir, 'run.json'))) return null;
  try {
    return readRun(dir);
  } catch {
    return null;
  }
}

/** The metrics of a complete run directory, or null (missing, unreadable, failed or interrupted). */
function completeMetrics(dir: string): Metrics | null {
  const rec = runOrNull(dir);
  return rec?.state === 'complete' ? (rec.manifest.metrics as Metrics) : null;
}

const num = (m: Metrics | null | undefined, key: string): number => {
  const v = m?.[key];
  return typeof v === 'number' ? v : Number.NaN;
};

/** One-sided sign test: P(at least k of n paired differences positive | no effect). */
export function signTestP(k: number, n: number): number {
  let p = 0;
  let c = 1; // C(n, i)
  for (let i = 0; i <= n; i++) {
    if (i >= k) p += c;
    c = (c * (n - i)) / (i + 1);
  }
  return p / 2 ** n;
}

interface Model {
  seed: number;
  dir: string;
  train: Metrics | null;
  lif: Metrics | null;
  scaled: Record<string, Metrics | null>;
  failed: string | null;
}

export async function reproduceKim2021(o: Options): Promise<number> {
  if (!(o.seeds >= 1)) throw new UsageError(`--seeds ${o.seeds} must be ≥ 1`);
  presetOrError(o.preset);
  const workers = Math.max(1, o.workers ?? availableParallelism());
  const modelsDir = `${resolve(o.out)}.models`;
  for (let k = 0; k < o.seeds; k++) {
    const dir = join(modelsDir, `seed-${o.seed + k}`);
    const kind = runOrNull(dir)?.manifest.kind; // none or unreadable: the train step (re)makes it
    if (kind !== undefined && kind !== EI_RATE_KIND)
      throw new UsageError(`${dir} holds a '${kind}' run, not an E/I RNN ('${EI_RATE_KIND}'); remove it or choose another --out`);
  }
  const run = await startRun(o.out, {
    kind: 'reproduce.kim2021',
    config: {
      preset: o.preset,
      seeds: o.seeds,
      firstSeed: o.seed,
      block: 'ii',
      factors: [...FACTORS],
      dmsTrials: o.trials,
      timescaleTrials: o.timescaleTrials,
      models: modelsDir,
    },
    seed: o.seed,
    preset: o.preset,
    force: o.force,
  });
  const models: Model[] = Array.from({ length: o.seeds }, (_, k) => ({
    seed: o.seed + k,
    dir: join(modelsDir, `seed-${o.seed + k}`),
    train: null,
    lif: null,
    scaled: {},
    failed: null,
  }));
  console.log(
    `▶ Kim & Sejnowski 2021: ${plural(o.seeds, 'model')} (preset ${o.preset}, seeds ${o.seed}–${o.seed + o.seeds - 1}): train on DMS → convert to LIF (λ search) → I→I × ${FACTORS.join(' and × ')} (timescales and DMS accuracy, paired) on ${plural(Math.min(workers, o.seeds), 'worker thread')} → ${run.dir}`,
  );
  const t0 = performance.now();
  // one step for every model that needs it, as the wmkit command a user would type
  const step = async (label: string, sub: (m: Model) => string, args: (m: Model) => string[]) => {
    const todo = models.filter((m) => !m.failed && !completeMetrics(sub(m)));
    const bar = new Progress(`  ${label}`, todo.length, 'models');
    bar.update(0, {}, true);
    if (todo.length) {
      const jobs: SweepJob[] = todo.map((m) => ({
        args: args(m),
        log: join(modelsDir, 'logs', `seed-${m.seed}-${label.replace(/[^A-Za-z0-9.-]+/g, '-')}.log`),
      }));
      let done = 0;
      const codes = await runPool<SweepJob, number>(workerScript('sweep-worker.js'), jobs, {
        workers,
        onResult: () => bar.update(++done, {}, true),
        env: { WMKIT_PROGRESS: '0' },
      });
      codes.forEach((code, i) => {
        if (code !== 0) todo[i].failed = `${label} failed (exit ${code}): see ${relative(process.cwd(), jobs[i].log)}`;
      });
    }
    bar.finish(todo.length);
  };
  const forceIfStale = (dir: string) => (existsSync(join(dir, 'run.json')) ? ['--force'] : []);
  await step(
    'train',
    (m) => m.dir,
    (m) => ['train', 'ei-rnn', '--preset', o.preset, '--seed', String(m.seed), '--out', m.dir, ...forceIfStale(m.dir)],
  );
  await step(
    'convert lif',
    (m) => join(m.dir, 'lif'),
    (m) => ['convert', 'lif', m.dir, '--trials', String(o.trials), '--long-trials', String(o.trials)],
  );
  for (const f of FACTORS)
    await step(
      `I→I × ${f}`,
      (m) => join(m.dir, `scale-ii-${f}`),
      (m) => [
        'experiment',
        'scale-synapses',
        m.dir,
        '--block',
        'ii',
        '--factor',
        String(f),
        '--trials',
        String(o.trials),
        '--timescale-trials',
        String(o.timescaleTrials),
      ],
    );
  for (const m of models) {
    m.train = completeMetrics(m.dir);
    m.lif = completeMetrics(join(m.dir, 'lif'));
    for (const f of FACTORS) m.scaled[f] = completeMetrics(join(m.dir, `scale-ii-${f}`));
  }
  const seconds = (performance.now() - t0) / 1000;
  const ok = models.filter((m) => !m.failed && m.train && m.lif && FACTORS.every((f) => m.scaled[f]));
  const failed = models.filter((m) => !ok.includes(m));

  // per model: training, conversion, unscaled timescales
  const modelRows: string[][] = [
    [
      'seed',
      'stopping rule',
      'trials',
      'train (s)',
      'rate DMS',
      'rate, 750-ms delay',
      '1/λ',
      'spiking DMS',
      'spiking, 750 ms',
      'rate (Hz)',
    ],
  ];
  for (const m of models) {
    const t = m.train;
    modelRows.push([
      String(m.seed),
      t ? (t.success ? 'met' : 'not met') : 'n/a',
      t ? String(num(t, 'trials')) : 'n/a',
      t ? num(t, 'trainSeconds').toFixed(0) : 'n/a',
      t ? pct(num(t, 'rateAccuracyShortDelay')) : 'n/a',
      t ? pct(num(t, 'rateAccuracyLongDelay')) : 'n/a',
      m.lif ? String(num(m.lif, 'bestInverseScale')) : 'n/a',
      m.lif ? pct(num(m.lif, 'spikingAccuracyShortDelay')) : 'n/a',
      m.lif ? pct(num(m.lif, 'spikingAccuracyLongDelay')) : 'n/a',
      m.lif ? num(m.lif, 'meanRateHz').toFixed(1) : 'n/a',
    ]);
  }
  // I→I scaling: the baseline (factor 1) is measured in each experiment with the same trials and noise
  const at = (m: Model, f: number) => {
    const e = m.scaled[f === 1 ? FACTORS[1] : f] as Metrics;
    return (f === 1 ? e.baseline : e.scaled) as Metrics;
  };
  const levels = [FACTORS[0], 1, FACTORS[1]];
  const tauRows: string[][] = [['seed', ...levels.map((f) => `median τ (ms), × ${f}`), ...levels.map((f) => `units fitted, × ${f}`)]];
  const accRows: string[][] = [['seed', ...levels.map((f) => `rate, × ${f}`), ...levels.map((f) => `spiking, × ${f}`)]];
  const points: { seed: string; factor: number; tau: number; rate: number; spiking: number }[] = [];
  for (const m of ok) {
    const v = levels.map((f) => at(m, f));
    tauRows.push([String(m.seed), ...v.map((x) => num(x, 'medianTauMs').toFixed(0)), ...v.map((x) => String(num(x, 'included')))]);
    accRows.push([String(m.seed), ...v.map((x) => pct(num(x, 'rateAccuracyLong'))), ...v.map((x) => pct(num(x, 'spikingAccuracyLong')))]);
    for (const [i, f] of levels.entries())
      points.push({
        seed: `seed ${m.seed}`,
        factor: f,
        tau: num(v[i], 'medianTauMs'),
        rate: num(v[i], 'rateAccuracyLong'),
        spiking: num(v[i], 'spikingAccuracyLong'),
      });
  }
  const pStr = (p: number) => (Number.isFinite(p) ? p.toFixed(3) : 'n/a');
  const compare = (key: string) => {
    const diffs = ok.map((m) => num(at(m, FACTORS[1]), key) - num(at(m, FACTORS[0]), key)).filter(Number.isFinite);
    const up = diffs.filter((d) => d > 0).length;
    const nonzero = diffs.filter((d) => d !== 0).length;
    const ties = diffs.length - nonzero;
    return { up, n: diffs.length, ties, p: nonzero ? signTestP(up, nonzero) : Number.NaN };
  };
  const count = (c: { up: number; n: number; ties: number; p: number }) =>
    `${c.up} of ${plural(c.n, 'model')}${c.ties ? ` (${c.ties} tied)` : ''} (p ${pStr(c.p)})`;
  const tau = compare('medianTauMs');
  const rateLong = compare('rateAccuracyLong');
  const spikeLong = compare('spikingAccuracyLong');
  const summary = ok.length
    ? `I→I × ${FACTORS[1]} vs × ${FACTORS[0]} (paired, one-sided sign test): median τ longer in ${count(tau)}; rate DMS accuracy at the 750-ms delay higher in ${count(rateLong)}; spiking accuracy at 750 ms higher in ${count(spikeLong)}. The paper: stronger I→I synapses ⇒ longer timescales and better working-memory performance.`
    : 'No model finished every step; see the failures below.';
  const met = models.filter((m) => m.train?.success).length;
  const trainSummary = `${met} of ${plural(o.seeds, 'model')} met the stopping rule (eval loss < 7 and accuracy > 0.95).`;

  if (points.length) {
    const palette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
    const seeds = [...new Set(points.map((p) => p.seed))];
    const color = { domain: seeds, range: seeds.map((_, i) => palette[i % palette.length]) };
    const panel = (y: 'tau' | 'rate' | 'spiking', label: string, domain?: [number, number]) => ({
      title: label,
      width: 560,
      height: 220,
      marginLeft: 60,
      x: { label: 'I→I factor', ticks: levels, domain: [0.65, 1.35] as [number, number] },
      y: { label: null, grid: true, ...(domain ? { domain } : {}) },
      color,
      marks: [
        Plot.line(points, { x: 'factor', y, stroke: 'seed', strokeOpacity: 0.8 }),
        Plot.dot(points, { x: 'factor', y, fill: 'seed', r: 3 }),
        ...(y === 'tau' && seeds.length <= palette.length
          ? legendMarks(
              seeds.map((label, i) => ({ label, color: color.range[i] })),
              'top-left',
            )
          : []),
      ],
    });
    run.addFigure(
      'ii_scaling',
      stackedPlotsSvg([
        panel('tau', 'median neuronal timescale τ (ms)'),
        panel('rate', 'rate DMS accuracy, 750-ms delay', [0, 1]),
        panel('spiking', 'spiking DMS accuracy, 750-ms delay', [0, 1]),
      ]),
      'I→I scaling: timescales and long-delay accuracy per model',
    );
  }
  const failures = failed.map((m) => `seed ${m.seed}: ${m.failed ?? 'a step did not complete'}`);
  const { md, html } = renderReport({
    title: 'Strong inhibitory signaling underlies stable temporal dynamics and working memory (Kim & Sejnowski 2021)',
    sections: [
      {
        paragraphs: [
          `${o.seeds} E/I rate RNNs (N = 200, 20% inhibitory, Dale's principle, trainable synaptic decay 20–125 ms) trained on delayed match-to-sample with preset ${o.preset}, converted one-to-one into leaky integrate-and-fire networks (λ chosen by a grid search on ${o.trials} DMS trials per scale), tested at the 750-ms delay; neuronal timescales from the spike-count autocorrelation of ${o.timescaleTrials} spontaneous trials (1.05 s, 50-ms bins; units with τ outside 0–500 ms or a negative amplitude excluded). Each model is a run directory in ${modelsDir} (\`wmkit train ei-rnn\`, \`wmkit convert lif\`, \`wmkit experiment scale-synapses\`).`,
          trainSummary,
          `Runtime ${seconds.toFixed(0)} s on ${plural(Math.min(workers, o.seeds), 'worker thread')} (steps already complete were reused).`,
        ],
        tables: [{ rows: modelRows }],
      },
      {
        heading: 'I→I scaling',
        paragraphs: [
          `Every I→I synapse multiplied by ${FACTORS[0]} and by ${FACTORS[1]}; the spiking network keeps its λ. Each scaled network is measured with the same DMS trials, noise and spontaneous trials as the unscaled one (× 1).`,
          summary,
        ],
        tables: ok.length
          ? [
              { caption: 'Median neuronal timescale and units with a valid fit', rows: tauRows },
              { caption: `DMS accuracy at the 750-ms delay (${o.trials} trials)`, rows: accRows },
            ]
          : [],
        figures: points.length ? [['ii_scaling', 'Median τ and long-delay accuracy against the I→I factor, one line per model.']] : [],
      },
      ...(failures.length ? [{ heading: 'Not completed', paragraphs: failures }] : []),
    ],
  });
  run.writeFile('report.md', md);
  run.writeFile('report.html', html);
  const metrics = {
    seconds,
    models: o.seeds,
    completed: ok.length,
    metStoppingRule: met,
    tauLongerWithStrongerII: tau.up,
    tauSignTestP: tau.p,
    rateLongBetterWithStrongerII: rateLong.up,
    rateLongSignTestP: rateLong.p,
    spikingLongBetterWithStrongerII: spikeLong.up,
    spikingLongSignTestP: spikeLong.p,
  };
  for (const m of models) run.appendMetrics({ seed: m.seed, completed: ok.includes(m), failed: m.failed });
  run.complete(metrics);
  console.log(`\n${textTable(modelRows)}\n\n${trainSummary}`);
  if (ok.length) console.log(`\n${textTable(tauRows)}\n\n${textTable(accRows)}\n\n${summary}`);
  for (const f of failures) console.log(`  ✗ ${f}`);
  console.log(`\n✓ report: ${resolve(run.path('report.html'))} (and report.md), ${seconds.toFixed(0)} s`);
  return failed.length ? 1 : 0;
}

export function registerReproduceKim(reproduce: Command): void {
  reproduce
    .command('kim2021')
    .description(
      'Kim & Sejnowski 2021: train E/I RNNs on DMS, convert them to LIF networks, then scale I→I synapses × 0.7 and × 1.3 and re-measure timescales and long-delay accuracy; writes report.md/report.html',
    )
    .option('--out <dir>', 'run directory (the models go to <dir>.models/)', 'runs/kim2021')
    .option('--seeds <n>', 'models to train (the paper trained dozens; each takes ~5 min of one core)', parseIntOption('seeds', 1), 3)
    .option('--seed <n>', 'first seed', parseIntOption('seed', 0), 1)
    .option('--preset <name>', 'training preset (kim2021.dms-exact: the authors’ protocol unchanged)', 'kim2021.dms')
    .option('--trials <n>', 'DMS trials per measurement (λ search, 750-ms test, I→I experiments)', parseIntOption('trials', 1), 100)
    .option('--timescale-trials <n>', 'spontaneous trials for timescales (the paper: 50)', parseIntOption('timescale-trials', 1), 50)
    .option('--workers <n>', 'worker threads (default: all cores)', parseIntOption('workers', 1))
    .option('--force', 'replace an existing report in --out (complete models in <out>.models are reused)')
    .addHelpText(
      'after',
      '\nWrites: report.md, report.html, ii_scaling.svg, and one run directory per model in <out>.models/seed-<k>\n' +
        '        (with lif/, scale-ii-0.7/, scale-ii-1.3/; logs in <out>.models/logs). Rerunning with --force resumes:\n' +
        '        complete steps are skipped.',
    )
    .action(async (o: Options) => {
      process.exitCode = await reproduceKim2021(o);
    });
}
