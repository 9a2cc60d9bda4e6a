/**
 * The report of `foldiak1990` as data (`PaperReport`): the per-seed table, the summary against
 * the paper and the figures' captions.
 */
import type { Foldiak1990Result } from './foldiak1990';
import type { PaperReport } from './report';

/** One row per seed: when all lines were represented, lines at the end, activity, sparseness, correlations, weights. */
export function foldiak1990Rows(r: Foldiak1990Result): string[][] {
  const rows: string[][] = [
    [
      'seed',
      'all 16 lines by',
      'lines at the end',
      'mean activity (p = 0.125)',
      'Treves–Rolls sparseness',
      'mean |corr|',
      'bits kept / H(lines)',
      'redundancy (bits)',
      'max w_ij',
      'w_ii',
    ],
  ];
  for (const s of r.seeds)
    rows.push([
      String(s.seed),
      s.solvedAt > 0 ? `${s.solvedAt} presentations` : 'not within the run',
      `${s.last.linesRepresented}/16`,
      s.last.activity.toFixed(3),
      s.sparseness.toFixed(3),
      s.last.meanAbsCorrelation.toFixed(3),
      `${s.information.mutualInformation.toFixed(2)} / ${s.information.stimulusEntropy.toFixed(2)}`,
      s.information.redundancy.toFixed(2),
      s.maxLateral.toFixed(3),
      s.maxSelf === 0 ? '0' : s.maxSelf.toExponential(1),
    ]);
  return rows;
}

/** How many seeds learnt the bars and how fast, against the paper. */
export function foldiak1990Summary(r: Foldiak1990Result): string {
  const median = r.medianSolvedAt;
  return `${r.solved} of ${r.seeds.length} seeds represent all 16 lines, each by one unit, within ${r.presentations} presentations (median ${Number.isFinite(median) ? median : 'n/a'}; paper: roughly 1,000–2,000). Lateral weights stay ≤ 0 with a zero diagonal.`;
}

/** The report of a Földiák 1990 reproduction (figures `learning_curve` and `receptive_fields`). */
export function foldiak1990Report(r: Foldiak1990Result): PaperReport {
  const P = r.params;
  return {
    title: 'Forming sparse representations by local anti-Hebbian learning (Földiák 1990)',
    sections: [
      {
        paragraphs: [
          `The bars benchmark: 8 × 8 images where each of the 16 lines (8 rows, 8 columns) is on with probability 1/8; 16 output units with feed-forward Hebbian weights (β = ${P.beta}), lateral anti-Hebbian weights (α = ${P.alpha}, w ≤ 0, w_ii = 0) and adaptive thresholds (γ = ${P.gamma}, target p = 1/8); outputs settle to equilibrium (sigmoid λ = ${P.lambda}) and are binarised at 0.5. ${P.pretrainCycles} pre-training cycles with α = β = 0, γ = ${P.pretrainGamma}. A line counts as represented when exactly one unit responds to it alone and that unit responds to no other line. Bits kept and redundancy (Σ H(y_i) − H(Y)) are plug-in estimates over the fresh probe patterns (stimulus = which lines are on), so H(lines) is the entropy of that sample, not the 8.7 bits of the source. Engine: ${r.engine === 'tfjs' ? 'TensorFlow.js ops' : 'float64 JavaScript'}.`,
          foldiak1990Summary(r),
          `Runtime ${r.seconds.toFixed(1)} s.`,
        ],
        tables: [{ rows: foldiak1990Rows(r) }],
        figures: [
          ['learning_curve', 'Lines represented vs presentations, every seed.'],
          ['receptive_fields', 'Each unit’s feed-forward weights as an 8 × 8 image, and the line it represents.'],
        ],
      },
    ],
  };
}
