/**
 * What `compte2000` and `simulateCompte` results put into a run directory (`RunOutputs`): the
 * arrays named as `simulate attractor` names them, metrics with units, the Wimmer et al. 2014
 * analyses of the spikes as rows, metrics and a report section. Figures: @wmkit/figures.
 */

import type { BumpSignatures } from '@wmkit/analysis';
import type { CompteSimulation, CompteSummary } from '@wmkit/attractor-models';
import { odrDatasetToMat } from '@wmkit/data-io';
import type { Compte2000Result, Compte2000Wimmer } from './compte2000';
import type { RunArray, RunOutputs } from './outputs';
import type { PaperReportSection } from './report';

const deg = (x: number) => (x * 180) / Math.PI;
const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const pStr = (p: number) => (Number.isFinite(p) ? (p < 0.001 ? '< 0.001' : p.toFixed(3)) : 'n/a');
const rad = (d: number) => (d * Math.PI) / 180;

/** The arrays and metrics of a set of cue-only (or single-distractor) trials (figures: `compteRunFigures` of @wmkit/figures). */
export function compteRunOutputs(sim: CompteSimulation, s: CompteSummary, seconds: number): RunOutputs {
  const arrays: RunArray[] = [];
  const put = (name: string, array: RunArray['array'], o: { dtype?: RunArray['dtype']; description?: string }) =>
    arrays.push({ name, array, ...o });
  const B = sim.trials;
  const nBins = sim.protocol.nBins;
  put(
    'cue_angle',
    { data: new Float32Array(B).fill(rad(sim.config.protocol.cueAngleDeg)), shape: [B] },
    { description: 'cue angle (rad)' },
  );
  put(
    'response',
    { data: Float32Array.from(sim.endAngleDeg, rad), shape: [B] },
    {
      description: 'decoded angle at the end of the delay (rad; population vector of the last delay bin)',
    },
  );
  put(
    'decoded_angle',
    { data: Float32Array.from(sim.decodedDeg.data, rad), shape: [B, nBins] },
    {
      description: `population-vector angle of the E spike counts in each ${sim.config.binMs}-ms bin (rad) [trial, bin]`,
    },
  );
  put(
    'record_times_ms',
    { data: Float32Array.from(sim.protocol.binEdgesMs.subarray(1)), shape: [nBins] },
    { description: 'end of each decoding bin (ms)' },
  );
  put(
    'neuron_angle',
    { data: Float32Array.from(sim.cellAnglesDeg, rad), shape: [sim.config.NE] },
    { description: 'preferred angle of each E cell (rad)' },
  );
  put('spike_counts_e', sim.countsE, { description: 'E spike counts [trial, bin, cell]' });
  put('pop_rate_e', sim.popRateE, { description: `E population rate (Hz) in ${sim.popBinMs}-ms bins [trial, bin]` });
  put('pop_rate_i', sim.popRateI, { description: `I population rate (Hz) in ${sim.popBinMs}-ms bins [trial, bin]` });
  put(
    'bump_profile',
    { data: Float32Array.from(s.bump.rateHz), shape: [sim.config.NE] },
    {
      description: 'aligned, smoothed E rate profile (Hz) from −180° to 180° around the decoded centre',
    },
  );
  const r = sim.rasters[0];
  if (r) {
    put('raster_times_ms', { data: r.timesMs, shape: [r.timesMs.length] }, { description: `spike times of trial ${r.trial} (ms)` });
    put(
      'raster_cells',
      { data: r.cells, shape: [r.cells.length] },
      { dtype: 'int32', description: 'cell of each spike: E 0..N_E−1, I N_E..' },
    );
  }
  if (sim.rasters.length > 1) {
    // every kept spike of every trial, in trial order (spike_trial names the trial of each spike)
    const n = sim.rasters.reduce((a, x) => a + x.timesMs.length, 0);
    const times = new Float32Array(n);
    const cells = new Int32Array(n);
    const trial = new Int32Array(n);
    let k = 0;
    for (const x of sim.rasters) {
      times.set(x.timesMs, k);
      cells.set(x.cells, k);
      trial.fill(x.trial, k, k + x.timesMs.length);
      k += x.timesMs.length;
    }
    put('spike_time_ms', { data: times, shape: [n] }, { description: 'time of every spike of the kept trials (ms from trial start)' });
    put('spike_unit', { data: cells, shape: [n] }, { dtype: 'int32', description: 'cell of each spike: E 0..N_E−1, I N_E..' });
    put('spike_trial', { data: trial, shape: [n] }, { dtype: 'int32', description: 'trial of each spike' });
  }
  const simulated = (B * sim.protocol.durationMs) / 1000;
  return {
    arrays,
    metrics: {
      trials: B,
      seconds,
      simulatedSeconds: simulated,
      simulatedSecondsPerSecond: simulated / seconds,
      baselineRateEHz: s.baselineHz.E,
      baselineRateIHz: s.baselineHz.I,
      delayRateEHz: s.delayHz.E,
      delayRateIHz: s.delayHz.I,
      bumpPeakRateEHz: s.bump.peakHz,
      bumpFloorRateEHz: s.bump.floorHz,
      bumpWidthFwhmDeg: s.bump.fwhmDeg,
      trialsHoldingBump: s.holdsBump.filter(Boolean).length,
      endErrorDeg: Array.from(s.endErrorDeg),
      driftSlopeDeg2PerS: s.drift?.all.slope ?? null,
      driftR2: s.drift?.all.r2 ?? null,
      driftSlopeLateDeg2PerS: s.drift?.late?.slope ?? null,
      driftR2Late: s.drift?.late?.r2 ?? null,
      msdSlopeDeg2PerS: s.drift?.msdSlope ?? null,
    },
  };
}

/** The summary of a Compte simulation in a few lines (rates, bump, errors, drift). */
export function compteSummaryText(s: CompteSummary): string {
  const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');
  const errs = Array.from(s.endErrorDeg, (e) => f(e, 0)).slice(0, 8);
  return [
    `  baseline E ${f(s.baselineHz.E, 2)} Hz, I ${f(s.baselineHz.I, 2)} Hz; delay E ${f(s.delayHz.E, 2)} Hz, I ${f(s.delayHz.I, 2)} Hz`,
    `  bump: peak ${f(s.bump.peakHz)} Hz, floor ${f(s.bump.floorHz, 2)} Hz, FWHM ${f(s.bump.fwhmDeg, 0)}°; ${s.holdsBump.filter(Boolean).length}/${s.trials} trials hold a bump`,
    `  end-of-delay error θ̂ − θ_cue (deg): ${errs.join(', ')}${s.trials > 8 ? ', …' : ''}`,
    s.drift
      ? `  drift: variance slope ${f(s.drift.all.slope, 0)} deg²/s (r² ${f(s.drift.all.r2, 2)})${s.drift.late ? `, from 0.5 s ${f(s.drift.late.slope, 0)} deg²/s (r² ${f(s.drift.late.r2, 2)})` : ''}`
      : '  drift: needs ≥ 2 trials and ≥ 3 delay bins',
  ].join('\n');
}

/** The analyses' results as rows [measure, value, p] (as `analyze wimmer` prints them). */
export function compte2000WimmerRows(s: BumpSignatures): string[][] {
  return [
    ['measure', 'value', 'p'],
    ['tuned units (of all)', `${s.tuning.included} of ${s.neurons}`, ''],
    ['tuning bias, last s (deg)', `${f(deg(s.tuningBiasLate.value), 2)} ± ${f(deg(s.tuningBiasLate.se), 2)}`, pStr(s.tuningBiasLate.p)],
    ['rate–behaviour correlation, last s', `${f(s.rateBehaviorLate.value)} ± ${f(s.rateBehaviorLate.se)}`, pStr(s.rateBehaviorLate.p)],
    [
      'Fano factor accurate / inaccurate, flank cues, last 500 ms (units)',
      `${f(s.fano.accurate)} / ${f(s.fano.inaccurate)} (${s.fano.units})`,
      pStr(s.fano.p),
    ],
    [
      'noise corr., same tuning, flank cues (pairs)',
      `${f(s.noiseCorr.sameTuning.mean)} (n = ${s.noiseCorr.sameTuning.n})`,
      pStr(s.noiseCorr.sameTuning.p),
    ],
    [
      'noise corr., one cue apart, cue in between (pairs)',
      `${f(s.noiseCorr.inBetween.mean)} (n = ${s.noiseCorr.inBetween.n})`,
      pStr(s.noiseCorr.inBetween.p),
    ],
    ['noise corr., all other pairs and cues (pairs)', `${f(s.noiseCorr.other.mean)} (n = ${s.noiseCorr.other.n})`, ''],
  ];
}

/** run.json metrics of the analyses (angles in degrees). */
export function compte2000WimmerMetrics(w: Compte2000Wimmer): Record<string, unknown> {
  const s = w.signatures;
  const num = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    surrogateUnits: s.neurons,
    surrogateSessions: w.surrogate.sessions,
    surrogateMeanDelayRateHz: num(w.surrogate.meanDelayRateHz),
    tuningBiasLateDeg: num(deg(s.tuningBiasLate.value)),
    tuningBiasLateP: num(s.tuningBiasLate.p),
    rateBehaviorLate: num(s.rateBehaviorLate.value),
    rateBehaviorLateP: num(s.rateBehaviorLate.p),
    fanoAccurate: num(s.fano.accurate),
    fanoInaccurate: num(s.fano.inaccurate),
    fanoP: num(s.fano.p),
    noiseCorrSameTuning: num(s.noiseCorr.sameTuning.mean),
    noiseCorrSameTuningP: num(s.noiseCorr.sameTuning.p),
    noiseCorrInBetween: num(s.noiseCorr.inBetween.mean),
    noiseCorrInBetweenP: num(s.noiseCorr.inBetween.p),
  };
}

/** The report section of the Wimmer et al. 2014 analyses on the network's spikes. */
export function compte2000WimmerSection(res: Compte2000Result, analyzeCommand: string | null): PaperReportSection {
  const w = res.wimmer;
  if (!w)
    return {
      heading: 'Analyses of Wimmer et al. 2014 on the spikes',
      paragraphs: [`Not run: ${res.wimmerSkipped}.`],
    };
  const s = w.surrogate;
  return {
    heading: 'Analyses of Wimmer et al. 2014 on the spikes',
    paragraphs: [
      `The cue-only trials' spikes as surrogate recordings (Wimmer, Nykamp, Constantinidis & Compte 2014, *Nat. Neurosci.* 17:431): ${s.sessions * s.perSession} E cells drawn uniformly from the ring, ${s.perSession} recorded at once in each of ${s.sessions} session(s) of ${s.trialsPerSession} trials (each session its own trials), spike counts in ${s.dataset.binMs}-ms bins; mean delay rate of the recorded cells ${s.meanDelayRateHz.toFixed(1)} Hz (the monkeys: 9 Hz). The network is a ring, so each trial is given one of ${s.dataset.cueAngles.length} virtual cues and read from the cells rotated onto it (a whole-cell rotation; the decoded response rotated with them). These are the network's own spikes, not Poisson counts drawn from rates as for the rate models of \`wmkit reproduce wimmer2014\`.`,
      `Analyses as in \`wmkit analyze wimmer\` (tuning bias and rate–behaviour correlation in the last second of the delay, Fano factors of accurate vs inaccurate flank-cue trials over its last 500 ms, noise correlations in its last two 200-ms bins); one-sided permutation tests (${w.permutations} shuffles per window, ≥ 1,000 for the last second). A bump attractor predicts a positive tuning bias, a positive rate–behaviour correlation, higher Fano factors on inaccurate trials, positive noise correlations of same-tuned pairs for flank cues and negative ones with the cue in between.`,
      ...(analyzeCommand ? [`The surrogate recordings: \`surrogate_recordings.mat\`; rerun the analyses with \`${analyzeCommand}\`.`] : []),
    ],
    tables: [{ rows: compte2000WimmerRows(w.signatures) }],
  };
}

/** File name of the surrogate recordings in a `compte2000` run directory. */
export const COMPTE_SURROGATE_FILE = 'surrogate_recordings.mat';

/**
 * The run outputs of `compte2000`: the cue-only trials' (`compteRunOutputs`), the distractor
 * grid's shift [strength, distance] and outcomes, and the Wimmer et al. 2014 analyses' metrics and
 * surrogate recordings (`COMPTE_SURROGATE_FILE`, a MAT-file `wmkit analyze wimmer` reads).
 */
export function compte2000Outputs(res: Compte2000Result, grid: { amps: number; distances: number }): RunOutputs {
  const main = compteRunOutputs(res.main, res.summary, res.seconds.main);
  return {
    arrays: [
      ...(main.arrays ?? []),
      {
        name: 'distractor_shift_fraction',
        array: { data: Float32Array.from(res.distractors.map((d) => d.meanFraction)), shape: [grid.amps, grid.distances] },
        description: 'mean shift of the end-of-delay memory towards the distractor (fraction of the distance) [strength, distance]',
      },
    ],
    metrics: {
      ...main.metrics,
      ...(res.wimmer ? compte2000WimmerMetrics(res.wimmer) : {}),
      distractors: res.distractors.map((d) => ({
        ampNa: d.ampNa,
        distanceDeg: d.distanceDeg,
        trials: d.trials,
        resist: d.resist,
        partial: d.partial,
        capture: d.capture,
        lost: d.lost,
        meanShiftFraction: d.meanFraction,
      })),
    },
    files: res.wimmer ? [[COMPTE_SURROGATE_FILE, odrDatasetToMat(res.wimmer.surrogate.dataset)]] : undefined,
  };
}
