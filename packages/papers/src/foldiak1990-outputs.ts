/**
 * What a Földiák 1990 run puts into its run directory, as data (`RunOutputs`): the learned
 * weights of every seed, one metrics record per seed and the run's metrics — for the bars
 * (`foldiak1990`) and for the alphabet (`foldiak1990Alphabet`). The figures come from
 * @wmkit/figures (`foldiak1990Figures`, `foldiak1990AlphabetFigures`).
 */
import { FOLDIAK1990_BARS as P } from '@wmkit/attractor-models';
import type { Foldiak1990Result } from './foldiak1990';
import type { Foldiak1990AlphabetResult } from './foldiak1990-alphabet';
import { foldiak1990AlphabetReport, foldiak1990AlphabetRows, foldiak1990AlphabetSummary } from './foldiak1990-alphabet-report';
import { foldiak1990Report, foldiak1990Rows, foldiak1990Summary } from './foldiak1990-report';
import type { RunArray, RunOutputs } from './outputs';
import type { PaperReport } from './report';

/** What a run records as its config: the protocol (as the command resolved it) with the fixed parameters. */
export function foldiak1990RunConfig(o: {
  stimuli: 'bars' | 'alphabet';
  seeds: number;
  seed: number;
  presentations: number;
  scoreEvery: number;
}): Record<string, unknown> {
  const run = { seeds: o.seeds, firstSeed: o.seed, presentations: o.presentations, scoreEvery: o.scoreEvery };
  if (o.stimuli === 'bars') return { stimuli: 'bars', params: P, size: 8, pLine: 1 / 8, ...run };
  return {
    stimuli: 'alphabet',
    params: { ...P, nIn: 64, nOut: P.nOut },
    letters: 'A–Z, wmkit 6×7 font in an 8×8 grid, English frequencies (Lewand 2000)',
    ...run,
    associator: { targetUnits: 32, targetActive: 4, deltaPresentations: 5000, deltaRate: 0.5 },
  };
}

/** The weights of every seed stacked: q [seed, unit, pixel], w [seed, unit, unit], t [seed, unit]. */
function weightArrays(seeds: { q: Float64Array; w: Float64Array; t: Float64Array }[], nOut: number, nIn: number): RunArray[] {
  const S = seeds.length;
  const q = new Float32Array(S * nOut * nIn);
  const w = new Float32Array(S * nOut * nOut);
  const t = new Float32Array(S * nOut);
  for (const [k, s] of seeds.entries()) {
    q.set(s.q, k * nOut * nIn);
    w.set(s.w, k * nOut * nOut);
    t.set(s.t, k * nOut);
  }
  return [
    {
      name: 'q',
      array: { data: q, shape: [S, nOut, nIn] },
      description: 'feed-forward weights per seed [seed, unit, pixel]; pixels row-major 8×8',
    },
    { name: 'w', array: { data: w, shape: [S, nOut, nOut] }, description: 'lateral weights per seed (≤ 0, zero diagonal)' },
    { name: 't', array: { data: t, shape: [S, nOut] }, description: 'thresholds per seed' },
  ];
}

/** The bars run's outputs: weights and presentations to solve per seed, one record per seed, solved / median. */
export function foldiak1990Outputs(r: Foldiak1990Result): RunOutputs {
  const solvedAt = Int32Array.from(r.seeds, (s) => s.solvedAt);
  return {
    arrays: [
      ...weightArrays(r.seeds, r.params.nOut, r.params.nIn),
      {
        name: 'solved_at',
        array: { data: solvedAt, shape: [r.seeds.length] },
        description: 'presentations until all 16 lines were represented (−1: not within the run)',
      },
    ],
    records: r.seeds.map((s) => ({
      seed: s.seed,
      solvedAt: s.solvedAt,
      lines: s.last.linesRepresented,
      activity: s.last.activity,
      sparseness: s.sparseness,
      meanAbsCorrelation: s.last.meanAbsCorrelation,
      bitsKept: s.information.mutualInformation,
      probeEntropy: s.information.stimulusEntropy,
      redundancy: s.information.redundancy,
      maxLateral: s.maxLateral,
    })),
    metrics: { solved: r.solved, seeds: r.seeds.length, medianSolvedAt: r.medianSolvedAt },
  };
}

/** The alphabet run's outputs: codes, weights and active units per seed, the letter images, one record per seed, the means. */
export function foldiak1990AlphabetOutputs(r: Foldiak1990AlphabetResult): RunOutputs {
  const S = r.seeds.length;
  const nOut = r.params.nOut;
  const codes = new Uint8Array(S * 26 * nOut);
  const active = new Int32Array(S * 26);
  for (const [k, s] of r.seeds.entries()) {
    codes.set(s.codes, k * 26 * nOut);
    active.set(s.activeUnits, k * 26);
  }
  const [q, w, t] = weightArrays(r.seeds, nOut, 64) as [RunArray, RunArray, RunArray];
  const m = r.mean;
  return {
    arrays: [
      {
        name: 'codes',
        array: { data: codes, shape: [S, 26, nOut] },
        description: 'binary code of each letter A–Z per seed [seed, letter, unit]',
      },
      q,
      w,
      t,
      { name: 'active_units', array: { data: active, shape: [S, 26] }, description: 'active units per letter A–Z per seed' },
      { name: 'images', array: { data: r.images, shape: [26, 64] }, description: 'the 26 letter images A–Z, row-major 8×8' },
    ],
    records: r.seeds.map((s) => ({
      seed: s.seed,
      distinctCodes: s.code.distinctCodes,
      bitsKept: s.code.mutualInformation,
      unitEntropySum: s.code.unitEntropySum,
      redundancy: s.code.redundancy,
      meanActiveUnits: s.code.meanActiveUnits,
      sharedCodes: s.code.sharedCodes,
      frequencyVsActive: s.frequencyVsActive,
      hebbianCapacity: { code: s.associator.code.hebbian.capacity, raw: s.associator.raw.hebbian.capacity },
      deltaError: { code: s.associator.code.delta.final.weightedError, raw: s.associator.raw.delta.final.weightedError },
      deltaReachedAt: { code: s.associator.code.delta.reachedAt, raw: s.associator.raw.delta.reachedAt },
    })),
    metrics: {
      distinctCodes: m.distinctCodes,
      bitsKept: m.bitsRetained,
      letterEntropy: r.input.stimulusEntropy,
      redundancy: m.redundancy,
      inputRedundancy: r.input.redundancy,
      meanActiveUnits: m.meanActiveUnits,
      hebbianCapacity: m.hebbianCapacity,
      deltaError: m.deltaError,
      deltaLetterError: m.deltaLetterError,
      deltaEarlyError: m.deltaEarlyError,
    },
  };
}

/** What a run shows besides its figures: its outputs, report, and the terminal's table and findings. */
export interface Foldiak1990RunResult {
  outputs: RunOutputs;
  report: PaperReport;
  rows: string[][];
  summary: string;
}

/** The bars run's outputs, report, table and findings. */
export function foldiak1990RunResult(r: Foldiak1990Result): Foldiak1990RunResult {
  return { outputs: foldiak1990Outputs(r), report: foldiak1990Report(r), rows: foldiak1990Rows(r), summary: foldiak1990Summary(r) };
}

/** The alphabet run's outputs, report, table and findings. */
export function foldiak1990AlphabetRunResult(r: Foldiak1990AlphabetResult): Foldiak1990RunResult {
  const report = foldiak1990AlphabetReport(r);
  return { outputs: foldiak1990AlphabetOutputs(r), report, rows: foldiak1990AlphabetRows(r), summary: foldiak1990AlphabetSummary(r) };
}
