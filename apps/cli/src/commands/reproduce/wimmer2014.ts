/**
 * `wmkit reproduce wimmer2014 --out runs/wimmer [--quick]`
 *
 * Wimmer et al. 2014 through `wimmer2014` of @wmkit/papers (the three ring models on worker
 * threads, surrogate recordings, every analysis); this command writes the arrays, figures and
 * report.md/report.html.
 */
import { ringModel, WIMMER2014_SURROGATE } from '@wmkit/attractor-models';
import { bumpHeatmapSvg, diffusionSvg, groupedBarsSvg, renderReport, responseHistogramSvg, textTable, timeSeriesSvg } from '@wmkit/figures';
import { WIMMER2014_MODEL_NAMES, type Wimmer2014Model, wimmer2014 } from '@wmkit/papers';
import { ringOnWorkers } from '@wmkit/papers/node';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { parseEngine, parseIntOption } from '../../options';
import { Progress } from '../../progress';
import { startRun } from '../../run-helpers';
import { checkDelay } from '../attractors/simulate';

interface Options {
  out: string;
  trials?: number;
  delay: number;
  quick?: boolean;
  seed: number;
  workers?: number;
  permutations?: number;
  neurons: number;
  perSession: number;
  force?: boolean;
  engine: 'kernels' | 'tfjs';
}

const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const pStr = (p: number) => (Number.isFinite(p) ? (p < 0.001 ? '< 0.001' : p.toFixed(3)) : 'n/a');
const star = (p: number) => (p < 0.05 ? ' *' : '');
const deg = (rad: number) => (rad * 180) / Math.PI;

export async function reproduceWimmer2014(o: Options): Promise<number> {
  const trials = o.trials ?? (o.quick ? 3264 : 16000);
  const delay = checkDelay(o.delay, ringModel('bump').dtMs);
  if (delay < 1000)
    throw new UsageError(
      `--delay ${delay} ms is too short for the analyses, which use 1-s windows and the last second of the delay; use ≥ 1000 ms (2000 as the scripts, 3000 as the monkeys)`,
    );
  const N = ringModel('bump').NE;
  // the option parser already refuses fewer than 2 (the noise correlations need pairs)
  if (o.perSession > N) throw new UsageError(`--per-session ${o.perSession} is more than the ring's ${N} E units; use 2..${N}`);
  const surrogate = { ...WIMMER2014_SURROGATE, neurons: o.neurons, perSession: o.perSession };
  const sessions = Math.ceil(surrogate.neurons / surrogate.perSession);
  const minTrials = 16 * sessions;
  if (trials < minTrials)
    throw new UsageError(
      `--trials ${trials} is too few for the surrogate recordings (${surrogate.neurons} neurons, ${surrogate.perSession} per session, ≥ 16 trials per session): use ≥ ${minTrials}, or record more neurons per session (--per-session)`,
    );
  const nPerm = o.permutations ?? (o.quick ? 200 : 500);
  const models = WIMMER2014_MODEL_NAMES.map((m) => ringModel(m));
  const run = await startRun(o.out, {
    kind: 'reproduce.wimmer2014',
    config: { models, trials, delayMs: delay, permutations: nPerm, surrogate },
    seed: o.seed,
    preset: o.quick ? 'wimmer2014 --quick' : 'wimmer2014',
    force: o.force,
  });
  run.setMetrics({ engine: o.engine }); // which implementation simulated the rings: the wasm kernel or TensorFlow.js ops
  console.log(
    `▶ Wimmer et al. 2014: 3 ring models × ${trials.toLocaleString('en-US')} trials, ${delay}-ms delay; surrogate data sets of ${surrogate.neurons} neurons, ${surrogate.perSession} per session → ${run.dir}`,
  );
  let bar: Progress | null = null;
  let barStage = '';
  const r = await wimmer2014(
    { trials, delayMs: delay, seed: o.seed, permutations: nPerm, surrogate, models, simulate: ringOnWorkers(o.workers), engine: o.engine },
    {
      onProgress: (p) => {
        if (p.stage !== barStage) {
          barStage = p.stage;
          bar = new Progress(`  ${p.stage.split(':')[0]?.padEnd(8)} simulate`, p.total, 'trials');
        }
        bar?.update(p.done);
      },
      onModel: (m) => {
        bar?.finish(trials, { 'trials/s': Math.round(trials / m.seconds.simulate) });
        const s = m.signatures;
        console.log(
          `    analyses ${m.seconds.analyses.toFixed(1)} s; response SD ${fmt(m.responseSdDeg)}°, tuning bias (last s) ${fmt(deg(s.tuningBiasLate.value))}° p ${pStr(s.tuningBiasLate.p)}`,
        );
      },
    },
  );
  const results = r.models;
  for (const res of results) {
    const m = res.model;
    const sim = res.sim;
    run.writeArray(`${m}_response`, { data: sim.response, shape: [trials] }, { description: `${m}: decoded response (rad)` });
    run.writeArray(`${m}_cue`, { data: sim.cue, shape: [trials] }, { dtype: 'int32' });
    run.writeArray(`${m}_decoded_angle`, sim.angles, { description: `${m}: decoded angle per 50-ms bin [trial, bin]` });
    run.setTiming(`${m}_simulate`, res.seconds.simulate);
    if (sim.traces) {
      const [, nRec, N] = sim.traces.shape;
      run.addFigure(
        `bump_${m}`,
        bumpHeatmapSvg(
          sim.traces.data as Float32Array,
          nRec,
          N,
          sim.recordTimesMs,
          Array.from(sim.neuronAngles, deg),
          Array.from(sim.angles.data.subarray(0, nRec), deg),
          `${m}: E rates in one trial (cue ${fmt(deg(sim.cueAngle[0]), 0)}°)`,
          sim.periods,
        ),
        `${m} model: one trial, neuron angle × time, decoded angle in cyan`,
      );
    }
  }
  const periods = r.periods;
  run.addFigure(
    'responses',
    responseHistogramSvg(
      results.flatMap((r) => r.errorsDeg.map((e) => ({ model: r.model, errorDeg: e }))),
      'Behavioural responses: decoded angle − cue',
    ),
    'error distributions',
  );
  const ser = (key: 'tuningBias' | 'rateBehavior', scale: (x: number) => number) =>
    results.flatMap((r) =>
      r.signatures[key].map((pt) => ({
        model: r.model,
        tMs: pt.tMs,
        value: scale(pt.value),
        se: scale(pt.se),
        significant: pt.p < 0.05,
      })),
    );
  run.addFigure(
    'tuning_bias',
    timeSeriesSvg(ser('tuningBias', deg), {
      title: 'Tuning bias (CW − CCW tuning-curve centre), 1-s windows',
      yLabel: 'tuning bias (deg)',
      periods,
    }),
    'dots: p < 0.05, permutation',
  );
  run.addFigure(
    'rate_behavior',
    timeSeriesSvg(
      ser('rateBehavior', (x) => x),
      { title: 'Rate–behaviour correlation, flank cues, 1-s windows', yLabel: 'correlation', periods },
    ),
    'dots: p < 0.05, permutation',
  );
  run.addFigure(
    'fano',
    groupedBarsSvg(
      results.flatMap((r) => [
        { model: r.model, group: 'accurate', value: r.signatures.fano.accurate, se: r.signatures.fano.seAccurate },
        { model: r.model, group: 'inaccurate', value: r.signatures.fano.inaccurate, se: r.signatures.fano.seInaccurate },
      ]),
      { title: 'Fano factor, flank cues, last 500 ms of the delay', yLabel: 'Fano factor' },
    ),
    'accurate vs inaccurate trials (split at the median |deviation|)',
  );
  run.addFigure(
    'noise_correlations',
    groupedBarsSvg(
      results.flatMap((r) => {
        const nc = r.signatures.noiseCorr;
        return [
          { model: r.model, group: 'same tuning: peak', value: nc.sameTuningPeak.mean, se: nc.sameTuningPeak.se },
          { model: r.model, group: 'same tuning: flank', value: nc.sameTuning.mean, se: nc.sameTuning.se },
          { model: r.model, group: 'same tuning: tail', value: nc.sameTuningTail.mean, se: nc.sameTuningTail.se },
          { model: r.model, group: 'one cue apart: in-between', value: nc.inBetween.mean, se: nc.inBetween.se },
        ];
      }),
      { title: 'Pairwise noise correlations, last 400 ms of the delay', yLabel: 'spike-count correlation' },
    ),
    'pairs with the same preferred cue, for peak, flank and tail cues; pairs with one cue between their preferred cues, for that cue (±s.e.m. over pairs)',
  );
  run.addFigure(
    'diffusion',
    diffusionSvg(
      results.flatMap((r) => r.diffusion.timesMs.map((t, i) => ({ model: r.model, tMs: t, varianceDeg2: r.diffusion.varianceDeg2[i] }))),
      'Drift of the decoded angle through the delay',
    ),
    'variance of the displacement since the start of the delay',
  );
  const seconds = r.seconds;
  const { md, html } = renderWimmerReport(results, {
    trials,
    delay,
    nPerm,
    seconds,
    neurons: surrogate.neurons,
    perSession: surrogate.perSession,
  });
  run.writeFile('report.md', md);
  run.writeFile('report.html', html);
  const metrics: Record<string, unknown> = { seconds };
  for (const m of results) {
    const r = m.signatures;
    metrics[m.model] = {
      responseSdDeg: m.responseSdDeg,
      responseSdNoJumpsDeg: m.responseSdNoJumpsDeg,
      jumpFraction: m.jumpFraction,
      surrogateRateScaleHz: m.surrogate.rateScaleHz,
      diffusionSlopeDeg2PerS: m.diffusion.slopeDeg2PerS,
      diffusionR2: m.diffusion.r2,
      tuningBiasLateDeg: deg(r.tuningBiasLate.value),
      tuningBiasLateP: r.tuningBiasLate.p,
      rateBehaviorLate: r.rateBehaviorLate.value,
      rateBehaviorLateP: r.rateBehaviorLate.p,
      tuningBiasLateNoJumpsDeg: deg(r.tuningBiasLateNoJumps.value),
      tuningBiasLateNoJumpsP: r.tuningBiasLateNoJumps.p,
      rateBehaviorLateNoJumps: r.rateBehaviorLateNoJumps.value,
      rateBehaviorLateNoJumpsP: r.rateBehaviorLateNoJumps.p,
      fanoAccurate: r.fano.accurate,
      fanoInaccurate: r.fano.inaccurate,
      fanoP: r.fano.p,
      noiseCorrSameTuning: r.noiseCorr.sameTuning.mean,
      noiseCorrSameTuningP: r.noiseCorr.sameTuning.p,
      noiseCorrInBetween: r.noiseCorr.inBetween.mean,
      noiseCorrInBetweenP: r.noiseCorr.inBetween.p,
      noiseCorrSameTuningPeak: r.noiseCorr.sameTuningPeak.mean,
      noiseCorrSameTuningTail: r.noiseCorr.sameTuningTail.mean,
      noiseCorrOther: r.noiseCorr.other.mean,
    };
  }
  run.complete(metrics);
  console.log(`\n${summaryTable(results)}\n\n✓ report: ${run.path('report.html')} (and report.md), ${seconds.toFixed(0)} s`);
  return 0;
}

/** One model's results, with its analyses' fields at the top level for the tables. */
type Result = Wimmer2014Model & Wimmer2014Model['signatures'];

const flat = (m: Wimmer2014Model): Result => ({ ...m, ...m.signatures });

function summaryRows(results: Result[]): string[][] {
  return [
    ['', ...results.map((r) => r.model)],
    ['response SD (deg)', ...results.map((r) => fmt(r.responseSdDeg))],
    [
      '  without jumps (error ≤ 22.5°); jumps',
      ...results.map((r) => `${fmt(r.responseSdNoJumpsDeg)}; ${fmt(100 * r.jumpFraction, 1)}% of trials`),
    ],
    [
      'surrogate: Hz per unit r_E (delay mean, Hz)',
      ...results.map((r) => `${fmt(r.surrogate.rateScaleHz)} (${fmt(r.surrogate.meanDelayRateHz, 1)})`),
    ],
    ['drift: variance slope (deg²/s), r²', ...results.map((r) => `${fmt(r.diffusion.slopeDeg2PerS)}, ${fmt(r.diffusion.r2, 3)}`)],
    [
      'tuning bias, last s (deg), p',
      ...results.map((r) => `${fmt(deg(r.tuningBiasLate.value))}, ${pStr(r.tuningBiasLate.p)}${star(r.tuningBiasLate.p)}`),
    ],
    [
      '  without jumps (|dev| ≤ 22.5°)',
      ...results.map(
        (r) => `${fmt(deg(r.tuningBiasLateNoJumps.value))}, ${pStr(r.tuningBiasLateNoJumps.p)}${star(r.tuningBiasLateNoJumps.p)}`,
      ),
    ],
    [
      'rate–behaviour corr., last s, p',
      ...results.map((r) => `${fmt(r.rateBehaviorLate.value, 3)}, ${pStr(r.rateBehaviorLate.p)}${star(r.rateBehaviorLate.p)}`),
    ],
    [
      '  without jumps (|dev| ≤ 22.5°)',
      ...results.map(
        (r) => `${fmt(r.rateBehaviorLateNoJumps.value, 3)}, ${pStr(r.rateBehaviorLateNoJumps.p)}${star(r.rateBehaviorLateNoJumps.p)}`,
      ),
    ],
    ['Fano factor accurate / inaccurate', ...results.map((r) => `${fmt(r.fano.accurate, 3)} / ${fmt(r.fano.inaccurate, 3)}`)],
    [
      'Fano inaccurate − accurate, p',
      ...results.map((r) => `${fmt(r.fano.inaccurate - r.fano.accurate, 3)}, ${pStr(r.fano.p)}${star(r.fano.p)}`),
    ],
    [
      'noise corr. same tuning, flank cues, p',
      ...results.map(
        (r) =>
          `${fmt(r.noiseCorr.sameTuning.mean, 3)} (${r.noiseCorr.sameTuning.n} pairs), ${pStr(r.noiseCorr.sameTuning.p)}${star(r.noiseCorr.sameTuning.p)}`,
      ),
    ],
    [
      'noise corr. one cue apart, in-between cue, p',
      ...results.map(
        (r) =>
          `${fmt(r.noiseCorr.inBetween.mean, 3)} (${r.noiseCorr.inBetween.n} pairs), ${pStr(r.noiseCorr.inBetween.p)}${star(r.noiseCorr.inBetween.p)}`,
      ),
    ],
    [
      'noise corr. same tuning, peak / tail cues',
      ...results.map((r) => `${fmt(r.noiseCorr.sameTuningPeak.mean, 3)} / ${fmt(r.noiseCorr.sameTuningTail.mean, 3)}`),
    ],
    [
      'noise corr. all other pairs and cues',
      ...results.map((r) => `${fmt(r.noiseCorr.other.mean, 3)} ± ${fmt(r.noiseCorr.other.se, 3)} (${r.noiseCorr.other.n} pairs)`),
    ],
  ];
}

function summaryTable(results: Wimmer2014Model[]): string {
  return textTable(summaryRows(results.map(flat)));
}

function renderWimmerReport(
  models: Wimmer2014Model[],
  o: { trials: number; delay: number; nPerm: number; seconds: number; neurons: number; perSession: number },
): { md: string; html: string } {
  const results = models.map(flat);
  const figures: [string, string][] = [
    [
      'responses',
      `Behavioural responses (decoded angle − cue). SD of the errors within 22.5° of the cue: ${results.map((r) => `${r.model} ${fmt(r.responseSdNoJumpsDeg, 1)}°`).join(', ')} (the paper's Fig. 8b: similar behavioural variability); trials ending > 22.5° from the cue (jumps to another attractor): ${results.map((r) => `${r.model} ${fmt(100 * r.jumpFraction, 1)}%`).join(', ')}.`,
    ],
    ['bump_bump', 'Bump model: one trial.'],
    ['bump_discrete', 'Discrete model: one trial.'],
    ['bump_decaying', 'Decaying bump: one trial.'],
    ['diffusion', 'Variance of the decoded angle’s displacement since the start of the delay: linear growth is diffusion.'],
    ['tuning_bias', 'Tuning bias in 1-s sliding windows (dots: p < 0.05, one-sided permutation within cue).'],
    ['rate_behavior', 'Rate–behaviour correlation for flank cues (dots: p < 0.05).'],
    ['fano', 'Fano factor of accurate vs inaccurate trials, flank cues, 100-ms windows over the last 500 ms of the delay.'],
    [
      'noise_correlations',
      'Pairwise noise correlations (spike counts in the last two 200-ms bins of the delay), one value per pair: same-tuned pairs by cue class, and pairs one cue apart for the cue between them.',
    ],
  ];
  const intro = `Reproduction of Wimmer, Nykamp, Constantinidis & Compte (2014), *Nat. Neurosci.* 17:431, Fig. 8 and Supplementary Fig. 6: three firing-rate models of spatial working memory (Supplementary Codes 1–3), ${o.trials.toLocaleString('en-US')} trials each (8 cues, ${o.delay}-ms delay), analysed through surrogate recordings (${o.neurons} neurons recorded ${o.perSession === 2 ? 'in simultaneous pairs, as in the experiment' : `${o.perSession} at a time`}, Poisson spikes from the model rates, scaled so that the recorded units' mean delay rate is ${WIMMER2014_SURROGATE.meanRateHz} Hz, the monkeys' population mean in the paper's Fig. 1e). p values: one-sided permutation tests (${o.nPerm} shuffles per 1-s window, ≥ 1,000 for the last second of the delay). * = p < 0.05. Runtime ${o.seconds.toFixed(0)} s.`;
  const expectation =
    'Paper: only the bump attractor model shows a positive tuning bias and a positive rate–behaviour correlation by the end of the delay, higher Fano factors for inaccurate flank trials, and the pattern of noise correlations (positive for same-tuned pairs, negative for the cue between one-cue-apart pairs); the discrete and decaying-bump models give similar behaviour but none of these effects.';
  return renderReport({
    title: 'Bump attractor dynamics and behavioural precision (Wimmer et al. 2014)',
    sections: [{ paragraphs: [intro, expectation], tables: [{ rows: summaryRows(results) }], figures }],
  });
}

export function registerReproduceWimmer(reproduce: Command): void {
  reproduce
    .command('wimmer2014')
    .description(
      'Wimmer et al. 2014: bump, discrete and decaying-bump ring models, 16,000 trials each, surrogate recordings and every analysis; writes report.md/report.html with figures',
    )
    .option('--out <dir>', 'run directory', 'runs/wimmer2014')
    .option('--trials <n>', 'trials per model (default 16000; --quick 3264)', parseIntOption('trials', 1))
    .option('--delay <ms>', 'delay (ms): 2000 as the scripts, 3000 as the monkeys', parseIntOption('delay', 0), 2000)
    .option('--quick', 'a smaller run (3,264 trials per model, fewer permutations)')
    .option('--seed <n>', 'random seed', parseIntOption('seed', 0), 1)
    .option('--workers <n>', 'worker threads (default: all cores)', parseIntOption('workers', 1))
    .option('--permutations <n>', 'shuffles per permutation test (default 500; --quick 200)', parseIntOption('permutations', 1))
    .option('--neurons <n>', 'surrogate recordings: neurons in all (the monkeys: 204)', parseIntOption('neurons', 2), 204)
    .option(
      '--per-session <n>',
      'surrogate recordings: neurons recorded simultaneously per session (the monkeys: pairs, 2); more gives more pairs for the noise correlations',
      parseIntOption('per-session', 2),
      2,
    )
    .option('--force', 'replace an existing run in --out')
    .option('--engine <name>', 'kernels (the wasm ring kernel) or tfjs (TensorFlow.js ops on the selected backend)', parseEngine, 'kernels')
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit reproduce wimmer2014 --out runs/wimmer2014\n  wmkit reproduce wimmer2014 --quick --delay 3000 --out runs/wimmer-3s\n' +
        '  wmkit reproduce wimmer2014 --trials 1632 --delay 1000 --permutations 20 --engine tfjs --out runs/wimmer-tfjs\n' +
        '  wmkit reproduce wimmer2014 --trials 1632 --delay 1000 --permutations 20 --out runs/wimmer-small\n' +
        '\nWrites: run.json, report.md, report.html, responses.svg, bump_<model>.svg, diffusion.svg, tuning_bias.svg,\n' +
        '        rate_behavior.svg, fano.svg, noise_correlations.svg; per model <model>_response.npy, <model>_cue.npy,\n' +
        '        <model>_decoded_angle.npy [trial, 50-ms bin] (models: bump, discrete, decaying)',
    )
    .action(async (o: Options) => {
      process.exitCode = await reproduceWimmer2014(o);
    });
}
