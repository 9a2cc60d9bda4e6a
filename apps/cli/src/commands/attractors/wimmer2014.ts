/**
 * `wmkit reproduce wimmer2014 --out runs/wimmer [--quick]`
 *
 * Runs the three ring models (bump, discrete, decaying bump) for 16,000 trials each, builds
 * surrogate recordings matching the experiment's sample sizes (204 neurons, in 102 pairs), runs
 * every analysis of Wimmer et al. 2014, and writes report.md/report.html with SVG figures.
 */
import { planSurrogate, ringModel, ringProtocol, surrogateDataset, WIMMER2014_SURROGATE } from '@wmkit/attractor-models';
import { simulateRingParallel } from '@wmkit/papers/node';
import { Rng } from '@wmkit/tensor';
import type { Command } from 'commander';
import { UsageError } from '../../errors';
import { bumpHeatmapSvg, diffusionSvg, groupedBarsSvg, responseHistogramSvg, timeSeriesSvg } from '../../figures/attractors';
import { parseIntOption } from '../../options';
import { Progress } from '../../progress';
import { renderReport, textTable } from '../../report';
import { startRun } from '../../run-helpers';
import { checkDelay } from './simulate';
import { analyseModel, type ModelAnalysis } from './wimmer-analyses';

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
}

const MODELS = ['bump', 'discrete', 'decaying'] as const;

const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const pStr = (p: number) => (Number.isFinite(p) ? (p < 0.001 ? '< 0.001' : p.toFixed(3)) : 'n/a');
const star = (p: number) => (p < 0.05 ? ' *' : '');
const deg = (rad: number) => (rad * 180) / Math.PI;

export async function reproduceWimmer2014(o: Options): Promise<number> {
  const trials = o.trials ?? (o.quick ? 3264 : 16000);
  const delay = checkDelay(o.delay);
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
  const run = await startRun(o.out, {
    kind: 'reproduce.wimmer2014',
    config: {
      models: MODELS.map((m) => ringModel(m)),
      trials,
      delayMs: delay,
      permutations: nPerm,
      surrogate,
    },
    seed: o.seed,
    preset: o.quick ? 'wimmer2014 --quick' : 'wimmer2014',
    force: o.force,
  });
  const rng = new Rng(o.seed);
  const pr = ringProtocol(ringModel('bump'), delay);
  const delayPeriod = pr.periods.find((p) => p.name === 'delay');
  const delayStartMs = delayPeriod?.startMs ?? 1500;
  const delayEndMs = delayPeriod?.endMs ?? 3500;
  const totalMs = pr.steps * ringModel('bump').dtMs;
  const centresMs: number[] = [];
  for (let c = 500; c + 500 <= totalMs; c += 250) centresMs.push(c);
  console.log(
    `▶ Wimmer et al. 2014: 3 ring models × ${trials.toLocaleString('en-US')} trials, ${delay}-ms delay; surrogate data sets of ${surrogate.neurons} neurons, ${surrogate.perSession} per session → ${run.dir}`,
  );
  const results: Result[] = [];
  const t0 = performance.now();
  for (const m of MODELS) {
    const plan = planSurrogate(trials, surrogate, N, rng.fork(`plan-${m}`));
    const bar = new Progress(`  ${m.padEnd(8)} simulate`, trials, 'trials');
    const ts = performance.now();
    const sim = await simulateRingParallel({
      params: ringModel(m),
      seed: o.seed,
      trials,
      delayMs: delay,
      recordUnits: plan.recordUnits,
      traceTrials: 1,
      workers: o.workers,
      onProgress: (f) => bar.update(f * trials),
    });
    const simSeconds = (performance.now() - ts) / 1000;
    bar.finish(trials, { 'trials/s': Math.round(trials / simSeconds) });
    const data = surrogateDataset(sim, plan, rng.fork(`spikes-${m}`));
    const ta = performance.now();
    const res: Result = {
      ...analyseModel(m, sim, data, { delayStartMs, delayEndMs, centresMs }, rng.fork(`analysis-${m}`), nPerm),
      surrogate: { rateScaleHz: data.rateScaleHz, meanDelayRateHz: data.meanDelayRateHz },
    };
    console.log(
      `    analyses ${((performance.now() - ta) / 1000).toFixed(1)} s; response SD ${fmt(res.responseSdDeg)}°, tuning bias (last s) ${fmt(deg(res.tuningBiasLate.value))}° p ${pStr(res.tuningBiasLate.p)}`,
    );
    results.push(res);
    run.writeArray(`${m}_response`, { data: sim.response, shape: [trials] }, { description: `${m}: decoded response (rad)` });
    run.writeArray(`${m}_cue`, { data: sim.cue, shape: [trials] }, { dtype: 'int32' });
    run.writeArray(`${m}_decoded_angle`, sim.angles, { description: `${m}: decoded angle per 50-ms bin [trial, bin]` });
    run.setTiming(`${m}_simulate`, simSeconds);
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
  const periods = pr.periods;
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
      r[key].map((pt) => ({ model: r.model, tMs: pt.tMs, value: scale(pt.value), se: scale(pt.se), significant: pt.p < 0.05 })),
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
        { model: r.model, group: 'accurate', value: r.fano.accurate, se: r.fano.seAccurate },
        { model: r.model, group: 'inaccurate', value: r.fano.inaccurate, se: r.fano.seInaccurate },
      ]),
      { title: 'Fano factor, flank cues, last 500 ms of the delay', yLabel: 'Fano factor' },
    ),
    'accurate vs inaccurate trials (split at the median |deviation|)',
  );
  run.addFigure(
    'noise_correlations',
    groupedBarsSvg(
      results.flatMap((r) => [
        { model: r.model, group: 'same tuning: peak', value: r.noiseCorr.sameTuningPeak.mean, se: r.noiseCorr.sameTuningPeak.se },
        { model: r.model, group: 'same tuning: flank', value: r.noiseCorr.sameTuning.mean, se: r.noiseCorr.sameTuning.se },
        { model: r.model, group: 'same tuning: tail', value: r.noiseCorr.sameTuningTail.mean, se: r.noiseCorr.sameTuningTail.se },
        { model: r.model, group: 'one cue apart: in-between', value: r.noiseCorr.inBetween.mean, se: r.noiseCorr.inBetween.se },
      ]),
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
  const seconds = (performance.now() - t0) / 1000;
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
  for (const r of results) {
    metrics[r.model] = {
      responseSdDeg: r.responseSdDeg,
      responseSdNoJumpsDeg: r.responseSdNoJumpsDeg,
      jumpFraction: r.jumpFraction,
      surrogateRateScaleHz: r.surrogate.rateScaleHz,
      diffusionSlopeDeg2PerS: r.diffusion.slopeDeg2PerS,
      diffusionR2: r.diffusion.r2,
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

/** One model's analyses and the rate scale of its surrogate spike counts. */
type Result = ModelAnalysis & { surrogate: { rateScaleHz: number; meanDelayRateHz: number } };

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

function summaryTable(results: Result[]): string {
  return textTable(summaryRows(results));
}

function renderWimmerReport(
  results: Result[],
  o: { trials: number; delay: number; nPerm: number; seconds: number; neurons: number; perSession: number },
): { md: string; html: string } {
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
    .action(async (o: Options) => {
      process.exitCode = await reproduceWimmer2014(o);
    });
}
