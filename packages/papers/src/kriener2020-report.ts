/**
 * The report of `kriener2020` as data (`PaperReport`): the table per N, the summary of the fits
 * against the benchmarks, and the figures' captions.
 */
import type { WtaSummary } from '@wmkit/attractor-models';
import { HICK_MAX_N, type Kriener2020Result, type Kriener2020Series, type NoiseBreakdownResult } from './kriener2020';
import { fixedOrNa, type PaperReport } from './report';

const f2 = (x: number) => fixedOrNa(x, 2);
const f1 = (x: number) => fixedOrNa(x, 1);

/** The table of the report: one row per N (times in τ, accuracies, benchmarks, noise-free circuits). */
export function kriener2020Rows(r: Kriener2020Result): string[][] {
  const at = (s: Kriener2020Series, k: number) => r.results[s][k] as WtaSummary;
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
  for (const [k, N] of r.sizes.entries()) {
    const n = at('nWTA, noise', k);
    const w = at('WTA, noise', k);
    const n0 = at('nWTA, no noise', k);
    const w0 = at('WTA, no noise', k);
    const b = r.bench[k] as Kriener2020Result['bench'][number];
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
  }
  return rows;
}

/** The findings in words: the log N fit, accuracy and the benchmarks, where the conventional WTA fails. */
export function kriener2020Summary(r: Kriener2020Result, breakdown?: NoiseBreakdownResult): string[] {
  const { sizes } = r;
  const nw = r.results['nWTA, noise'];
  const { nwta: fitN, nwtaUpTo256: fitSmall } = r.fit;
  const small = sizes.filter((N) => N <= 256);
  const ratios = r.ratioToParallel;
  const speedup = r.speedup;
  const firstFail = r.wtaFailsFrom;
  const first = nw[0] as WtaSummary;
  const last = nw[nw.length - 1] as WtaSummary;
  return [
    `nWTA with noise decides at every N. Its decision time grows as log N: T = ${f1(fitN.intercept)} + ${f2(fitN.slope)}·ln N over N = ${sizes[0]}–${sizes[sizes.length - 1]} (r² = ${f2(fitN.r2)})${fitSmall && small.length < sizes.length ? `, ${f1(fitSmall.intercept)} + ${f2(fitSmall.slope)}·ln N over N ≤ 256 (r² = ${f2(fitSmall.r2)})` : ''}; as a power law T ∝ N^${r.fit.powerNwta.toFixed(2)}, against N^${r.fit.powerSerial.toFixed(2)} for the serial benchmark.`,
    `With Δ fixed its accuracy falls as competitors are added (${f2(first.accuracy)} at N = ${sizes[0]}, ${f2(last.accuracy)} at N = ${sizes[sizes.length - 1]}). At matched accuracy the nWTA takes ${f2(Math.min(...ratios))}–${f2(Math.max(...ratios))}× the parallel benchmark's time at every N — a bounded factor — while the serial strategy takes ${f1(Math.min(...speedup))}–${f1(Math.max(...speedup))}× longer than the nWTA, a gap that grows as N^${r.fit.powerSpeedup.toFixed(2)}.`,
    ...(r.fit.hick
      ? [
          `Hick's law at small N: T = ${f2(r.fit.hick.intercept)} + ${f2(r.fit.hick.slope)}·log₂(N + 1) over N ≤ ${r.fit.hick.maxN} (${r.fit.hick.n} sizes, r² = ${r.fit.hick.r2.toFixed(3)}).`,
        ]
      : []),
    ...(breakdown
      ? [
          `Mean field (fast-noise limit): the conventional WTA keeps a winner up to a critical input noise that falls with N — σ_c = ${breakdown.critical.map((c) => `${c.sigma == null ? `> ${breakdown.sigmas.at(-1)}` : c.sigma} (N ${c.N})`).join(', ')}.`,
        ]
      : []),
    firstFail
      ? `The conventional WTA with the same noise stops producing a winner: fewer than half of its trials decide from N = ${firstFail} on.`
      : 'The conventional WTA with noise decided in most trials at every N tested.',
  ];
}

/**
 * The report of a Kriener et al. 2020 reproduction (figures `decision_time`, `accuracy`, `traces`, `hick`, and `noise_breakdown` when `breakdown` is given);
 * `seconds` and `workers` are the run's, for its runtime line.
 */
export function kriener2020Report(
  r: Kriener2020Result,
  o: { seconds: number; workers: number; breakdown?: NoiseBreakdownResult },
): PaperReport {
  const base = r.params;
  return {
    title: 'Robust parallel decision-making with nonlinear inhibition (Kriener, Chaudhuri & Fiete 2020)',
    sections: [
      {
        paragraphs: [
          `Self-terminating WTA (g(x) = x) and nWTA (g(x) = x above θ, else 0) circuits, τ dx/dt = −x + [b + η + αx − βΣ_{j≠i} g(x_j)]₊, at one parameter set for every N (α = ${base.alpha}, β = ${base.beta}, θ = ${base.theta}, τ = 1, OU noise σ = ${base.sigma}, τ_η = ${base.tauEta}, dt = τ_η/5), inputs 1 for the winner and ${1 - r.delta} for the others. Decision: max x ≥ 0.8/(1 − α); no winner when x₍₂₎/x₍₁₎ > 0.5 at the 100-τ checks after 100 τ (as in the authors' code) or at 1000 τ. ${r.trials} trials per N (conventional WTA with noise: ${r.wtaTrials}); noise-free circuits are deterministic (one trial).`,
          'Benchmarks, as ideal observers of the same noisy inputs at the accuracy the nWTA reached at each N: *parallel* integrates all N inputs at once for the shortest time that reaches that accuracy (∝ log N); *serial* integrates each input in turn for the same time (N times longer, ∝ N log N).',
          ...kriener2020Summary(r, o.breakdown),
          'Noise-free circuits: with exactly equal inputs for all losers, the nWTA losers cross θ together and inhibit each other in lock-step, which for large N stalls the decision; input noise breaks the symmetry (the regime the paper studies).',
          `Runtime ${o.seconds.toFixed(0)} s on ${o.workers} worker thread${o.workers > 1 ? 's' : ''}.`,
        ],
        tables: [{ rows: kriener2020Rows(r) }],
        figures: [
          ['decision_time', 'Decision time vs N, log–log. Dashed: the parallel and serial benchmarks at the nWTA’s accuracy.'],
          ['accuracy', 'Accuracy (top) and the fraction of trials that produced a winner (bottom).'],
          ['traces', 'Single trials at N = 10.'],
          ...(r.fit.hick
            ? [['hick', `Hick's law: decision time against log₂(N + 1); the fit uses N ≤ ${HICK_MAX_N}.`] as [string, string]]
            : []),
          ...(o.breakdown
            ? [
                [
                  'noise_breakdown',
                  'Mean-field winner and loser activity of the conventional WTA, reached from a clear winner (SI S2.6): the winner state is lost above a critical σ that falls with N.',
                ] as [string, string],
              ]
            : []),
        ],
      },
    ],
  };
}
