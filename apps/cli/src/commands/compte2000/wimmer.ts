/**
 * The Wimmer et al. 2014 analyses of a Compte run's spikes in its run directory: the surrogate
 * recordings as a `.mat` file in the layout `wmkit analyze wimmer --data` reads (struct array
 * `sessions` with counts, 1-based cue and response; `cue_angles`, `bin_ms`), the results as a
 * table, metrics and a report section.
 */
import type { BumpSignatures } from '@wmkit/analysis';
import { type MatWritable, writeMat } from '@wmkit/data-io';
import type { RunDirectory } from '@wmkit/data-io/node';
import type { Compte2000Wimmer } from '@wmkit/papers';

/** File name of the surrogate recordings in the run directory. */
export const COMPTE_SURROGATE_FILE = 'surrogate_recordings.mat';

const deg = (x: number) => (x * 180) / Math.PI;
const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const pStr = (p: number) => (Number.isFinite(p) ? (p < 0.001 ? '< 0.001' : p.toFixed(3)) : 'n/a');

/** Writes the surrogate recordings (.mat) and returns the `analyze wimmer` command that reads them. */
export function writeCompteSurrogate(run: RunDirectory, w: Compte2000Wimmer): string {
  const d = w.surrogate.dataset;
  const sessions: Record<string, MatWritable>[] = d.sessions.map((s) => ({
    counts: { data: Float32Array.from(s.counts.data), shape: s.counts.shape },
    cue: { data: Float64Array.from(s.cue, (c) => c + 1), shape: [s.cue.length, 1] },
    response: { data: Float64Array.from(s.response), shape: [s.response.length, 1] },
  }));
  run.writeFile(
    COMPTE_SURROGATE_FILE,
    writeMat(
      {
        sessions: { kind: 'struct-array', shape: [1, sessions.length], elements: sessions },
        cue_angles: { data: Float64Array.from(d.cueAngles), shape: [1, d.cueAngles.length] },
        bin_ms: d.binMs,
      },
      { compress: true },
    ),
  );
  return `wmkit analyze wimmer --data ${run.path(COMPTE_SURROGATE_FILE)} --delay ${w.surrogate.windows.delayStartMs},${w.surrogate.windows.delayEndMs}`;
}

/** The analyses' results as rows [measure, value, p] (as `analyze wimmer` prints them). */
export function compteWimmerRows(s: BumpSignatures): string[][] {
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
export function compteWimmerMetrics(w: Compte2000Wimmer): Record<string, unknown> {
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
