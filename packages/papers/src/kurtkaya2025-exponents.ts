/**
 * The two scaling branches of Kurtkaya et al. 2025 (Fig. 4, the authors' `plot_nopost.py`): per
 * learning rate, two boundaries in the delay,
 *
 * - the no-learning boundary T_c: onset of the no-learning region (fit of 1 − e^(−a(T − T_c)) to
 *   the fraction not learned; the paper: β = 2.72 ± 0.07, between the limit-cycle toy model's 2
 *   and the slow-point one's 4), and
 * - the slow-point-manifold boundary T_SP: midpoint of a logistic fitted to the fraction of
 *   networks on slow-point manifolds (the paper: β = 4.05 ± 0.10, the toy model's T⁻⁴),
 *
 * and for each branch the log–log fit lr ∝ T^(−β) with its 95% confidence interval. Both come from
 * the same phase diagram (`kurtkaya2025`): the grid must reach low learning rates and short delays
 * for the slow-point branch (`KURTKAYA2025_EXPONENTS`), long delays for the no-learning one.
 */
import { criticalLearningRateFit, logisticCurve, type ScalingFit, scalingExponentCi, slowPointBoundaryFit } from '@wmkit/analysis';
import { KURTKAYA2025_BETA_SP, type Kurtkaya2025Grid, type Kurtkaya2025Result, paperSlopeLine } from './kurtkaya2025';

/**
 * The grid that separates the two branches: learning rates from 0.316 down to 0.00316 (where
 * slow-point manifolds survive to longer delays), delays every 20 ms to 120 ms (where the
 * slow-point boundary lies) and every 40 ms to 400 ms (where learning stops), 10 seeds, 64
 * trials per cue as the paper (fewer flatten the no-learning branch; REPRODUCTIONS.md).
 */
export const KURTKAYA2025_EXPONENTS: Kurtkaya2025Grid = {
  lrs: [0.3162, 0.1, 0.03162, 0.01, 0.003162],
  delays: [0, 20, 40, 60, 80, 100, 120, 160, 200, 240, 280, 320, 360, 400],
  seeds: 10,
  trialsPerCue: 64,
};

/** One scaling branch: the boundary delay per learning rate, the log–log fit and its 95% CI. */
export interface Kurtkaya2025Branch {
  branch: 'no-learning' | 'slow-point';
  /** Per learning rate: the boundary delay in ms (NaN: none within the delays tested) and the fitted rate. */
  boundaries: { lr: number; t: number; rate: number }[];
  /** The fit of log lr on log T over the positive boundaries (null: fewer than 3). */
  fit: ScalingFit | null;
  /** 95% confidence interval of β (Student's t, n − 2 degrees of freedom); null without a fit. */
  ci: [number, number] | null;
  /** The paper's β ± SE for this branch (null: none for this task). */
  paper: { beta: number; se: number } | null;
  /** The fitted line and (dashed in the figure) the paper's slope through the points' centre. */
  fitLine: { lr: number; t: number }[];
  paperLine: { lr: number; t: number }[];
  /** The fitted curve per learning rate in the delay, every 5 ms (fraction not learned, or on slow points). */
  curves: { lr: number; delay: number; f: number }[];
}

/** Both branches of a phase diagram. */
export interface Kurtkaya2025Exponents {
  noLearning: Kurtkaya2025Branch;
  slowPoint: Kurtkaya2025Branch;
}

function branchFit(
  branch: Kurtkaya2025Branch['branch'],
  boundaries: Kurtkaya2025Branch['boundaries'],
  paper: Kurtkaya2025Branch['paper'],
  curves: Kurtkaya2025Branch['curves'],
): Kurtkaya2025Branch {
  let fit: ScalingFit | null = null;
  try {
    fit = criticalLearningRateFit(
      boundaries.map((b) => b.lr),
      boundaries.map((b) => b.t),
    );
  } catch {
    fit = null; // fewer than 3 learning rates with a boundary inside the delays tested
  }
  const pts = boundaries.filter((b) => Number.isFinite(b.t) && b.t > 0).map((b) => ({ lr: b.lr, tc: b.t }));
  const f = fit;
  const fitLine = f ? pts.map((p) => ({ t: p.tc, lr: Math.exp(f.intercept + f.slope * Math.log(p.tc)) })).sort((a, b) => a.t - b.t) : [];
  const paperLine = f && paper ? paperSlopeLine(pts, paper.beta).map((p) => ({ t: p.tc, lr: p.lr })) : [];
  return { branch, boundaries, fit, ci: fit ? scalingExponentCi(fit) : null, paper, fitLine, paperLine, curves };
}

/**
 * Both scaling branches of a phase diagram (Kurtkaya et al. 2025, Fig. 4): the no-learning
 * boundary (from the result's onset fits) and the slow-point-manifold boundary (a logistic fit per
 * learning rate of the fraction on slow-point manifolds, over all networks of the cell, as the
 * authors count it), each with lr ∝ T^(−β) fitted in log–log and its 95% CI.
 */
export function kurtkaya2025Exponents(res: Kurtkaya2025Result): Kurtkaya2025Exponents {
  const maxDelay = Math.max(...res.delays);
  const grid = Array.from({ length: Math.floor(maxDelay / 5) + 1 }, (_, k) => 5 * k);
  const noLearning = branchFit(
    'no-learning',
    res.onsetFits.map((o) => ({ lr: o.lr, t: o.onset, rate: o.rate })),
    res.paper,
    res.onsetCurves,
  );
  const spBoundaries = res.lrs.map((lr) => {
    const row = res.cells.filter((c) => c.lr === lr && c.n > 0);
    const f = slowPointBoundaryFit(
      row.map((c) => c.delay),
      row.map((c) => c.sp),
    );
    return { lr, t: f.midpoint, rate: f.rate };
  });
  const spCurves = spBoundaries.flatMap(({ lr, t, rate }) =>
    Number.isFinite(t) ? grid.map((delay) => ({ lr, delay, f: logisticCurve(delay, t, rate) })) : [],
  );
  const slowPoint = branchFit(
    'slow-point',
    spBoundaries,
    res.task === 'dcdt' && !res.postMs ? { ...KURTKAYA2025_BETA_SP } : null,
    spCurves,
  );
  return { noLearning, slowPoint };
}

/** One line per branch: β ± SE, the 95% CI, r², the number of learning rates, against the paper. */
export function kurtkaya2025ExponentLines(ex: Kurtkaya2025Exponents): string[] {
  const line = (b: Kurtkaya2025Branch, what: string) => {
    const paper = b.paper ? `paper ${b.paper.beta.toFixed(2)} ± ${b.paper.se.toFixed(2)}` : 'no paper value for this task';
    if (!b.fit || !b.ci) {
      const n = b.boundaries.filter((x) => Number.isFinite(x.t) && x.t > 0).length;
      return `${what}: no fit (${n} learning rate${n === 1 ? '' : 's'} with a boundary inside the delays tested; 3 needed); ${paper}.`;
    }
    return `${what}: β = ${b.fit.beta.toFixed(2)} ± ${b.fit.slopeSe.toFixed(2)} (95% CI ${b.ci[0].toFixed(2)} to ${b.ci[1].toFixed(2)}, r² ${b.fit.r2.toFixed(2)}, ${b.fit.n} learning rates); ${paper}.`;
  };
  return [
    line(ex.slowPoint, 'Slow-point-manifold boundary T_SP (logistic midpoint of the slow-point fraction; toy model: 4)'),
    line(ex.noLearning, 'No-learning boundary T_c (onset of the no-learning region; toy models: 4 slow point, 2 limit cycle)'),
  ];
}

/** The boundaries as table rows: learning rate, T_SP and T_c in ms. */
export function kurtkaya2025ExponentRows(ex: Kurtkaya2025Exponents): string[][] {
  const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '—');
  return [
    ['lr', 'T_SP (ms)', 'T_c (ms)'],
    ...ex.slowPoint.boundaries.map((b, i) => [String(b.lr), ms(b.t), ms(ex.noLearning.boundaries[i].t)]),
  ];
}
