/**
 * The report of `wimmer2014` as data (`PaperReport`): the summary table of the three models, the
 * figures' captions and the paper's expectation; and the headline numbers run.json records.
 */
import { WIMMER2014_SURROGATE } from '@wmkit/attractor-models';
import { fixedOrNa as fmt, type PaperReport, pValueText as pStr } from './report';
import type { Wimmer2014Model } from './wimmer2014';

const star = (p: number) => (p < 0.05 ? ' *' : '');
const deg = (rad: number) => (rad * 180) / Math.PI;

/** One model's headline as a line: analyses time, response SD, tuning bias in the last second with its p. */
export function wimmer2014ModelLine(m: Wimmer2014Model): string {
  const bias = m.signatures.tuningBiasLate;
  return `analyses ${m.seconds.analyses.toFixed(1)} s; response SD ${fmt(m.responseSdDeg)}°, tuning bias (last s) ${fmt(deg(bias.value))}° p ${pStr(bias.p)}`;
}

/** The headline numbers of each model (run.json metrics, by model name; angles in degrees). */
export function wimmer2014Metrics(models: readonly Wimmer2014Model[]): Record<string, Record<string, number>> {
  const metrics: Record<string, Record<string, number>> = {};
  for (const m of models) {
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
  return metrics;
}

/** One model's results, with its analyses' fields at the top level for the tables. */
type Result = Wimmer2014Model & Wimmer2014Model['signatures'];

const flat = (m: Wimmer2014Model): Result => ({ ...m, ...m.signatures });

/** The summary table of the report (and of the command's output): one column per model. */
export function wimmer2014SummaryRows(models: readonly Wimmer2014Model[]): string[][] {
  const results = models.map(flat);
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

/** What the report of a reproduction says besides the models' results. */
export interface Wimmer2014ReportOptions {
  trials: number;
  delay: number;
  nPerm: number;
  seconds: number;
  neurons: number;
  perSession: number;
}

/** The report of a Wimmer et al. 2014 reproduction: the summary table, the figures' captions and the paper's expectation. */
export function wimmer2014Report(models: readonly Wimmer2014Model[], o: Wimmer2014ReportOptions): PaperReport {
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
  return {
    title: 'Bump attractor dynamics and behavioural precision (Wimmer et al. 2014)',
    sections: [{ paragraphs: [intro, expectation], tables: [{ rows: wimmer2014SummaryRows(models) }], figures }],
  };
}
