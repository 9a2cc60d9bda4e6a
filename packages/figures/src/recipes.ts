/**
 * The figure lists of reproductions and analyses: each function takes a recipe's typed result
 * (from @wmkit/papers or a model package) and returns its figures as [file name without
 * extension, SVG, caption], in the order a run directory lists them. The CLI writes them; a
 * notebook can write or show the same SVGs.
 */
import type { BumpSignatures, WimmerBattery } from '@wmkit/analysis';
import type { CompteSimulation, CompteSummary, RingSimulation } from '@wmkit/attractor-models';
import {
  type Compte2000Result,
  type Foldiak1990AlphabetResult,
  type Foldiak1990Result,
  KRIENER2020_SERIES,
  type Kriener2020Result,
  type Kriener2020Series,
  KURTKAYA2025_RANK2_CAPTION,
  KURTKAYA2025_TOY_CAPTION,
  type Kurtkaya2025Exponents,
  type Kurtkaya2025Rank2,
  type Kurtkaya2025Result,
  type Kurtkaya2025Toy,
  kurtkaya2025LossByClass,
  kurtkaya2025PsdRatios,
  type NoiseBreakdownResult,
  type RingRunSummary,
  type Wimmer2014Result,
} from '@wmkit/papers';
import { bumpHeatmapSvg, diffusionSvg, groupedBarsSvg, responseHistogramSvg, timeSeriesSvg } from './attractors';
import { bumpProfileSvg, compteDriftSvg, compteHeatmapSvg, compteRasterSvg, distractorCurveSvg } from './compte2000';
import { alphabetLearningSvg, associatorSvg, letterCodeSvg } from './foldiak';
import {
  kurtkayaExponentsSvg,
  kurtkayaLossByClassSvg,
  kurtkayaOnsetsSvg,
  kurtkayaPhaseDiagramSvg,
  kurtkayaPsdRatiosSvg,
  kurtkayaRank2Svg,
  kurtkayaScalingSvg,
  kurtkayaToySvg,
} from './stm';
import {
  fanoByCueSvg,
  modulationIndexSvg,
  noiseCorrEpochsSvg,
  populationTuningSvg,
  r2ByOffsetSvg,
  r2TimeSvg,
  rateBehaviorByCueSvg,
  strengthVsRateSvg,
  tuningStabilitySvg,
} from './wimmer';
import {
  accuracySvg,
  barsLearningSvg,
  decisionTimeSvg,
  deltaSweepSvg,
  hickSvg,
  noiseBreakdownSvg,
  receptiveFieldsSvg,
  type CurvePoint as WtaCurvePoint,
  wtaTracesSvg,
} from './wta';

/** Figures as [file name without extension, SVG, caption]. */
export type FigureList = [string, string, string][];

const deg = (rad: number) => (rad * 180) / Math.PI;
const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

/** The battery's figures: [file name (no extension), SVG, caption]. */
export function wimmerBatteryFigures(cols: { model: string; sig: BumpSignatures }[]): FigureList {
  const sets = cols.filter((c) => c.sig.battery).map((c) => ({ model: c.model, battery: c.sig.battery as WimmerBattery }));
  if (!sets.length) return [];
  return [
    [
      'population_tuning',
      populationTuningSvg(sets),
      'Fig. 1d: delay rate by cue offset from each unit’s preferred cue (± s.e.m. over units); all units and the halves with stronger and weaker tuning.',
    ],
    ['strength_vs_rate', strengthVsRateSvg(sets), 'Fig. 1e: tuning strength T against mean delay rate, one dot per unit.'],
    [
      'modulation_index',
      modulationIndexSvg(sets),
      'Fig. 1f: rate-modulation index of the preferred cue (late vs early delay); dark: Wilcoxon p < 0.05.',
    ],
    [
      'tuning_stability',
      tuningStabilitySvg(sets),
      'Fig. 1g: change of the preferred angle from the early to the late delay; dark: permutation p < 0.05.',
    ],
    [
      'r2_by_offset',
      r2ByOffsetSvg(sets),
      'Fig. 4f: R² − R²shuffle of rate vs behavioural deviation in the last second of the delay, by cue offset (tuned units; dots: p < 0.05).',
    ],
    [
      'r2_time',
      r2TimeSvg(sets),
      'Fig. 4g: R² − R²shuffle averaged over cues in 1-s non-overlapping windows, tuned and non-tuned units (dots: p < 0.05).',
    ],
    [
      'rate_behavior_by_cue',
      rateBehaviorByCueSvg(sets),
      'Fig. 5: rate–behaviour correlation in sliding 1-s windows by cue offset from the preferred cue (dots: p < 0.05).',
    ],
    [
      'fano_by_cue',
      fanoByCueSvg(sets),
      'Fig. 6d: Fano factor of inaccurate minus accurate trials per cue class, last 500 ms of the delay (± s.e.m. over units).',
    ],
    [
      'noise_corr_epochs',
      noiseCorrEpochsSvg(sets),
      'Fig. 7: spike-count correlations in the first and last two 200-ms bins of the delay, by pair (same preferred cue; one cue apart) and cue class (± s.e.m. over pairs).',
    ],
  ];
}

/**
 * The figures of `wimmer2014` (its result's models): each model's bump heat map, the error
 * histograms, tuning bias and rate–behaviour correlation over time, Fano factors, noise
 * correlations and diffusion; then the analysis battery's (`wimmerBatteryFigures`).
 */
export function wimmer2014Figures(r: Wimmer2014Result): FigureList {
  const results = r.models;
  const figs: FigureList = [];
  for (const res of results) {
    const m = res.model;
    const sim = res.sim;
    if (!sim.traces) continue;
    const [, nRec, N] = sim.traces.shape;
    figs.push([
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
        { cueDeg: deg(sim.cueAngle[0]) },
      ),
      `${m} model: one trial, neuron angle relative to the cue × time, decoded angle in cyan`,
    ]);
  }
  const periods = r.periods;
  figs.push([
    'responses',
    responseHistogramSvg(
      results.flatMap((x) => x.errorsDeg.map((e) => ({ model: x.model, errorDeg: e }))),
      'Behavioural responses: decoded angle − cue',
    ),
    'error distributions',
  ]);
  const ser = (key: 'tuningBias' | 'rateBehavior', scale: (x: number) => number) =>
    results.flatMap((x) =>
      x.signatures[key].map((pt) => ({ model: x.model, tMs: pt.tMs, value: scale(pt.value), se: scale(pt.se), significant: pt.p < 0.05 })),
    );
  figs.push(
    [
      'tuning_bias',
      timeSeriesSvg(ser('tuningBias', deg), {
        title: 'Tuning bias (CW − CCW tuning-curve centre), 1-s windows',
        yLabel: 'tuning bias (deg)',
        periods,
      }),
      'dots: p < 0.05, permutation',
    ],
    [
      'rate_behavior',
      timeSeriesSvg(
        ser('rateBehavior', (x) => x),
        { title: 'Rate–behaviour correlation, flank cues, 1-s windows', yLabel: 'correlation', periods },
      ),
      'dots: p < 0.05, permutation',
    ],
    [
      'fano',
      groupedBarsSvg(
        results.flatMap((x) => [
          { model: x.model, group: 'accurate', value: x.signatures.fano.accurate, se: x.signatures.fano.seAccurate },
          { model: x.model, group: 'inaccurate', value: x.signatures.fano.inaccurate, se: x.signatures.fano.seInaccurate },
        ]),
        { title: 'Fano factor, flank cues, last 500 ms of the delay', yLabel: 'Fano factor' },
      ),
      'accurate vs inaccurate trials (split at the median |deviation|)',
    ],
    [
      'noise_correlations',
      groupedBarsSvg(
        results.flatMap((x) => {
          const nc = x.signatures.noiseCorr;
          return [
            { model: x.model, group: 'same tuning: peak', value: nc.sameTuningPeak.mean, se: nc.sameTuningPeak.se },
            { model: x.model, group: 'same tuning: flank', value: nc.sameTuning.mean, se: nc.sameTuning.se },
            { model: x.model, group: 'same tuning: tail', value: nc.sameTuningTail.mean, se: nc.sameTuningTail.se },
            { model: x.model, group: 'one cue apart: in-between', value: nc.inBetween.mean, se: nc.inBetween.se },
          ];
        }),
        { title: 'Pairwise noise correlations, last 400 ms of the delay', yLabel: 'spike-count correlation' },
      ),
      'pairs with the same preferred cue, for peak, flank and tail cues; pairs with one cue between their preferred cues, for that cue (±s.e.m. over pairs)',
    ],
    [
      'diffusion',
      diffusionSvg(
        results.flatMap((x) => x.diffusion.timesMs.map((t, i) => ({ model: x.model, tMs: t, varianceDeg2: x.diffusion.varianceDeg2[i] }))),
        'Drift of the decoded angle through the delay',
      ),
      'variance of the displacement since the start of the delay',
    ],
  );
  return [...figs, ...wimmerBatteryFigures(results.map((x) => ({ model: x.model, sig: x.signatures })))];
}

/** The figures of the Wimmer et al. 2014 analyses of recordings: tuning bias and rate–behaviour correlation over the delay, then the battery's. */
export function wimmerRecordedFigures(res: BumpSignatures, delay: { startMs: number; endMs: number }): FigureList {
  const periods = [{ name: 'delay', startMs: delay.startMs, endMs: delay.endMs }];
  const series = (pts: BumpSignatures['tuningBias'], scale: (x: number) => number) =>
    pts.map((p) => ({ model: 'recorded', tMs: p.tMs, value: scale(p.value), se: scale(p.se), significant: p.p < 0.05 }));
  return [
    [
      'tuning_bias',
      timeSeriesSvg(series(res.tuningBias, deg), { title: 'Tuning bias, 1-s windows', yLabel: 'tuning bias (deg)', periods }),
      'dots: p < 0.05',
    ],
    [
      'rate_behavior',
      timeSeriesSvg(
        series(res.rateBehavior, (x) => x),
        { title: 'Rate–behaviour correlation (flank cues), 1-s windows', yLabel: 'correlation', periods },
      ),
      'dots: p < 0.05',
    ],
    ...wimmerBatteryFigures([{ model: 'recorded', sig: res }]),
  ];
}

/**
 * The figures of `kriener2020`: decision time against N with the benchmarks, accuracy and
 * decisions, Hick's law, the mean-field noise breakdown of the conventional WTA, and single-trial
 * traces.
 */
export function kriener2020Figures(r: Kriener2020Result, breakdown: NoiseBreakdownResult): FigureList {
  const { sizes, params: base } = r;
  const at = (s: Kriener2020Series, k: number) => r.results[s][k] as Kriener2020Result['results'][Kriener2020Series][number];
  const timePts: WtaCurvePoint[] = [];
  for (const s of KRIENER2020_SERIES)
    for (const [k, N] of sizes.entries()) {
      const x = at(s, k);
      if (x.decided > 0)
        timePts.push({ series: s, N, value: x.meanTime, lo: x.meanTime - 2 * (x.seTime || 0), hi: x.meanTime + 2 * (x.seTime || 0) });
    }
  for (const b of r.bench) {
    if (Number.isFinite(b.parallel) && b.parallel > 0) {
      timePts.push({ series: 'parallel benchmark', N: b.N, value: b.parallel });
      timePts.push({ series: 'serial benchmark', N: b.N, value: b.serial });
    }
  }
  const accPts: WtaCurvePoint[] = [];
  const decPts: WtaCurvePoint[] = [];
  for (const s of ['nWTA, noise', 'WTA, noise'] as const)
    for (const [k, N] of sizes.entries()) {
      const x = at(s, k);
      const se = Math.sqrt((x.accuracy * (1 - x.accuracy)) / x.trials);
      accPts.push({ series: s, N, value: x.accuracy, lo: Math.max(0, x.accuracy - 2 * se), hi: Math.min(1, x.accuracy + 2 * se) });
      decPts.push({ series: s, N, value: x.decided });
    }
  const hick = r.fit.hick;
  const panels = r.traces.map((tr) => ({
    title: `${tr.series}, N = ${tr.N}: one trial (black: largest input; dashed: decision threshold)`,
    t: tr.t,
    x: tr.x,
    N: tr.N,
    stop: tr.stop,
  }));
  return [
    [
      'decision_time',
      decisionTimeSvg(timePts, 'Decision time vs N (benchmarks at the nWTA’s accuracy; bars ± 2 SE)'),
      'Decision time vs number of options',
    ],
    ['accuracy', accuracySvg(accPts, decPts, 'Accuracy and decisions vs N (Δ fixed; bars ± 2 SE)'), 'Accuracy vs number of options'],
    [
      'hick',
      hickSvg(
        sizes.map((N, k) => ({ N, time: at('nWTA, noise', k).meanTime })),
        hick,
        `Hick's law: nWTA decision time vs log₂(N + 1), fitted over N ≤ ${hick.maxN}`,
      ),
      "Hick's law fit",
    ],
    [
      'noise_breakdown',
      noiseBreakdownSvg(
        breakdown.points,
        `Conventional WTA in mean field (α ${base.alpha}, β ${base.beta}, Δ ${r.delta}): the winner state vs noise σ`,
      ),
      'Mean-field noise breakdown of the conventional WTA',
    ],
    ['traces', wtaTracesSvg(panels), 'Activation traces of single trials'],
  ];
}

/**
 * The figures of a Compte et al. 2000 simulation: the first trial's raster and bump heat map, the
 * aligned bump profile and the drift of the decoded angle (when there are data for them).
 */
export function compteRunFigures(sim: CompteSimulation, s: CompteSummary): FigureList {
  const figs: FigureList = [];
  const r = sim.rasters[0];
  if (r) figs.push(['raster', compteRasterSvg(sim, r), 'spikes of the first trial']);
  figs.push(['bump_trial0', compteHeatmapSvg(sim, 0), 'E rates of trial 0 with the decoded angle']);
  if (s.bump.samples > 0)
    figs.push(['bump_profile', bumpProfileSvg(s.bump, 'Aligned bump profile during the delay'), 'E rates around the decoded centre']);
  if (s.drift)
    figs.push([
      'drift',
      compteDriftSvg(s.drift, 'Drift of the decoded angle through the delay'),
      'across-trial variance of the decoded angle',
    ]);
  return figs;
}

/** The figures of `compte2000`: the cue-only trials' (`compteRunFigures`) and the distractor curve. */
export function compte2000Figures(res: Compte2000Result): FigureList {
  return [
    ...compteRunFigures(res.main, res.summary),
    ...(res.distractors.length
      ? ([
          ['distractor', distractorCurveSvg(res.distractors, 'Distractor resistance'), 'shift of the memory towards the distractor'],
        ] as FigureList)
      : []),
  ];
}

/** The figures of a batch of ring-model trials: the error histogram, the drift of the decoded angle and trial 0's bump. */
export function ringRunFigures(name: string, sim: RingSimulation, s: RingRunSummary): FigureList {
  const figs: FigureList = [
    [
      'responses',
      responseHistogramSvg(
        s.errorsDeg.map((e) => ({ model: name, errorDeg: e })),
        `${name}: behavioural errors`,
      ),
      'decoded response − cue',
    ],
  ];
  const diff = s.diffusion;
  if (diff)
    figs.push([
      'diffusion',
      diffusionSvg(
        diff.timesMs.map((t, i) => ({ model: name, tMs: t, varianceDeg2: diff.variance[i] * (180 / Math.PI) ** 2 })),
        `${name}: drift of the decoded angle through the delay`,
      ),
      'variance of the decoded angle’s displacement since the start of the delay',
    ]);
  if (sim.traces) {
    const [, nRec, N] = sim.traces.shape;
    figs.push([
      'bump_trial0',
      bumpHeatmapSvg(
        sim.traces.data.subarray(0, nRec * N) as Float32Array,
        nRec,
        N,
        sim.recordTimesMs,
        Array.from(sim.neuronAngles, (a) => (a * 180) / Math.PI),
        Array.from(sim.angles.data.subarray(0, nRec), (a) => (a * 180) / Math.PI),
        `${name}: trial 0 (cue ${((sim.cueAngle[0] * 180) / Math.PI).toFixed(0)}°)`,
        sim.periods,
        { cueDeg: (sim.cueAngle[0] * 180) / Math.PI },
      ),
      'E-cell rates of trial 0 with the decoded angle',
    ]);
  }
  return figs;
}

/** Földiák 1990 bars: the learning curves of every seed and the first seed's receptive fields (labelled by the line each unit codes). */
export function foldiak1990Figures(r: Foldiak1990Result): FigureList {
  const curves = r.seeds.flatMap((s) => s.curve.map((c) => ({ seed: s.seed, presentations: c.presentations, lines: c.linesRepresented })));
  const figures: FigureList = [
    [
      'learning_curve',
      barsLearningSvg(curves, r.presentations, 'Lines represented by exactly one unit vs presentations (one line per seed)'),
      'Learning curves',
    ],
  ];
  const first = r.seeds[0];
  if (first) {
    const { nOut } = r.params;
    const unitFor = Array.from(first.last.unitFor);
    const line = (l: number) => (l < r.size ? `row ${l + 1}` : `column ${l - r.size + 1}`);
    const labels = Array.from({ length: nOut }, (_, u) => `${u + 1}: ${unitFor.includes(u) ? line(unitFor.indexOf(u)) : 'none'}`);
    const title = `Learned feed-forward weights, seed ${first.seed} (dark = strong)`;
    figures.push(['receptive_fields', receptiveFieldsSvg(first.q, nOut, r.size, labels, title), 'Receptive fields']);
  }
  return figures;
}

/** Földiák 1990 alphabet: the letters, the first seed's code and receptive fields, the code during learning, the associative layer. */
export function foldiak1990AlphabetFigures(r: Foldiak1990AlphabetResult): FigureList {
  const letters = Array.from({ length: 26 }, (_, k) => String.fromCharCode(65 + k));
  const nOut = r.params.nOut;
  const figures: FigureList = [
    [
      'alphabet_glyphs',
      receptiveFieldsSvg(Float64Array.from(r.images), 26, 8, letters, 'The input: 26 letters on an 8 × 8 grid'),
      'Letters',
    ],
  ];
  const first = r.seeds[0];
  if (first) {
    const rows = r.frequencyOrder.map((k) => ({ letter: letters[k] as string, index: k }));
    figures.push([
      'alphabet_code',
      letterCodeSvg(first.codes, nOut, rows, `Learned code of each letter, seed ${first.seed}`),
      'Letter code',
    ]);
    const labels = Array.from({ length: nOut }, (_, u) => {
      const on = letters.filter((_, k) => first.codes[k * nOut + u] === 1).join('');
      return `${u + 1}: ${on || 'none'}`;
    });
    const title = `Learned feed-forward weights, seed ${first.seed} (dark = strong)`;
    figures.push(['alphabet_receptive_fields', receptiveFieldsSvg(first.q, nOut, 8, labels, title), 'Receptive fields']);
  }
  const curves = r.seeds.flatMap((s) =>
    s.curve.map((c) => ({ seed: s.seed, presentations: c.presentations, distinct: c.distinctCodes, bits: c.bitsRetained })),
  );
  const delta: { input: string; seed: number; presentations: number; error: number }[] = [];
  const hebbian: { input: string; seed: number; stored: number; exact: number }[] = [];
  for (const s of r.seeds)
    for (const input of ['code', 'raw'] as const) {
      const a = s.associator[input];
      for (const c of a.delta.curve) delta.push({ input, seed: s.seed, presentations: c.presentations, error: c.weightedError });
      for (const [i, e] of a.hebbian.exact.entries()) hebbian.push({ input, seed: s.seed, stored: i + 1, exact: e });
    }
  figures.push(
    [
      'alphabet_learning',
      alphabetLearningSvg(curves, r.input.stimulusEntropy, 'The alphabet code during learning (one line per seed)'),
      'Learning',
    ],
    ['associator', associatorSvg(delta, hebbian, 'Associative layer on the learned code vs the raw image'), 'Associative layer'],
  );
  return figures;
}

/** Kriener et al. 2020's task-difficulty sweep: nWTA decision time and accuracy vs N at each input gap Δ. */
export function kriener2020DeltaFigures(rows: { delta: number; N: number; time: number; accuracy: number }[]): FigureList {
  const title = 'Task difficulty: nWTA decision time and accuracy vs N at each input gap Δ';
  return [['delta_sweep', deltaSweepSvg(rows, title), 'Decision time and accuracy vs N per Δ']];
}

/** Kurtkaya et al. 2025's phase diagram: cells, the scaling fit (with ≥ 2 onsets), onsets, power ratios and loss by class (when any), both branches (with `exponents`). */
export function kurtkaya2025Figures(res: Kurtkaya2025Result, exponents?: Kurtkaya2025Exponents): FigureList {
  const { cells } = res;
  const figures: FigureList = [['phase_diagram', kurtkayaPhaseDiagramSvg(cells), 'fractions of networks per learning rate × delay']];
  if (res.fitPoints.length >= 2) figures.push(['scaling', kurtkayaScalingSvg(res), 'log–log fit of the learning rate on the onset delay']);
  figures.push(['onsets', kurtkayaOnsetsSvg(res), 'fraction of networks not learned per delay, with the onset fit per learning rate']);
  const psd = kurtkaya2025PsdRatios(res);
  if (psd.lc.length + psd.sp.length) figures.push(['psd_ratios', kurtkayaPsdRatiosSvg(psd), 'power ratio of the autonomous run by class']);
  const lossByClass = kurtkaya2025LossByClass(res);
  if (lossByClass) figures.push(['loss_by_class', kurtkayaLossByClassSvg(lossByClass), 'loss per epoch by class, mean ± SEM']);
  if (exponents) figures.push(['exponents', kurtkayaExponentsSvg(exponents, cells), 'both scaling branches, log–log, with their fits']);
  return figures;
}

/** Kurtkaya et al. 2025's toy models: flow fields, critical learning rate vs delay. */
export function kurtkaya2025ToyFigures(t: Kurtkaya2025Toy): FigureList {
  return [['toy', kurtkayaToySvg(t), KURTKAYA2025_TOY_CAPTION]];
}

/** The trained rank-2 networks' figure (`--toy rank2 --trained`). */
export function kurtkaya2025Rank2Figures(r: Kurtkaya2025Rank2): FigureList {
  return [['rank2_trained', kurtkayaRank2Svg(r), KURTKAYA2025_RANK2_CAPTION]];
}
