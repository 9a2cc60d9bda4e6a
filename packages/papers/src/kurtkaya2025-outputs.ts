/**
 * What a Kurtkaya et al. 2025 run puts into its run directory besides its figures (those are
 * `kurtkaya2025Figures` / `kurtkaya2025ToyFigures` of @wmkit/figures): the report, one metrics
 * record per cell (or per toy and delay), the run's metrics and the findings in words — for the
 * phase diagram (trained here or the authors' networks classified here) and for the toy models.
 */
import type { Kurtkaya2025Result } from './kurtkaya2025';
import { type Kurtkaya2025Exponents, kurtkaya2025ExponentLines, kurtkaya2025Exponents } from './kurtkaya2025-exponents';
import { type Kurtkaya2025Rank2, kurtkaya2025Rank2Lines, kurtkaya2025Rank2Rows } from './kurtkaya2025-rank2';
import { kurtkaya2025FewTrials, kurtkaya2025FitSummary, kurtkaya2025Report } from './kurtkaya2025-report';
import type { Kurtkaya2025Toy } from './kurtkaya2025-toy';
import type { RunOutputs } from './outputs';
import type { PaperReport } from './report';

/** The phase diagram's report, records and metrics; `summary` is the findings in words (`account` first, then `extra`, the fit and the exponents). */
export function kurtkaya2025Outputs(
  res: Kurtkaya2025Result,
  o: { postMs: number; trialsPerCue: number; exponents?: boolean; account: string; extra?: string[] },
): { report: PaperReport; outputs: RunOutputs; summary: string[]; exponents?: Kurtkaya2025Exponents } {
  const exponents = o.exponents ? kurtkaya2025Exponents(res) : undefined;
  const summary = [
    o.account,
    ...(o.extra ?? []),
    kurtkaya2025FitSummary(res, o.postMs),
    ...(exponents ? kurtkaya2025ExponentLines(exponents) : []),
  ];
  const sp = exponents?.slowPoint.fit;
  const metrics = {
    networks: res.networks.length,
    trained: res.classes.filter((c) => c != null).length,
    beta: res.fit?.beta ?? null,
    betaSe: res.fit?.slopeSe ?? null,
    ...(exponents ? { betaSp: sp?.beta ?? null, betaSpSe: sp?.slopeSe ?? null } : {}),
  };
  const report = kurtkaya2025Report(res, { postMs: o.postMs, trialsPerCue: o.trialsPerCue, summary, exponents });
  return { report, outputs: { records: res.cells, metrics }, summary, exponents };
}

/** The caption of the toy models' figure. */
export const KURTKAYA2025_TOY_CAPTION = 'flow fields of both toys; critical learning rate vs delay, theory vs simulation';

/** The toy models' table (theory vs simulation of the critical learning rates), the fitted slopes in words, records and metrics. */
export function kurtkaya2025ToyOutputs(t: Kurtkaya2025Toy): {
  rows: string[][];
  summary: string;
  report: PaperReport;
  outputs: RunOutputs;
} {
  const rows = [
    ['toy', 'T (steps)', 'η_c paper', 'η_c closed form (simulated toy)', 'η_c simulation', 'simulation / closed form'],
    ...t.rows.map((r) => [
      r.mechanism,
      String(r.T),
      r.theory.toExponential(3),
      r.simulationTheory.toExponential(3),
      r.simulated.toExponential(3),
      (r.simulated / r.simulationTheory).toFixed(4),
    ]),
  ];
  const summary = `Slope of log η_c on log T (simulation): slow point ${t.exponents['slow-point'].toFixed(3)} (paper −5 at fixed T_resp, −4 with T_resp ∝ T), limit cycle ${t.exponents['limit-cycle'].toFixed(3)} (paper −3, −2).`;
  const report: PaperReport = {
    title: 'Toy models of Kurtkaya et al. 2025',
    sections: [{ paragraphs: [summary], tables: [{ rows }], figures: [['toy', KURTKAYA2025_TOY_CAPTION]] }],
  };
  const metrics = { slopeSlowPoint: t.exponents['slow-point'], slopeLimitCycle: t.exponents['limit-cycle'] };
  return { rows, summary, report, outputs: { records: t.rows, metrics } };
}

/** The caption of `rank2_trained.svg`. */
export const KURTKAYA2025_RANK2_CAPTION =
  'latent flow fields of a slow-point and a limit-cycle network; critical learning rate vs delay by mechanism';

/** The trained rank-2 networks' table, findings, report and run outputs (one record per network). */
export function kurtkaya2025Rank2Outputs(r: Kurtkaya2025Rank2): {
  rows: string[][];
  lines: string[];
  report: PaperReport;
  outputs: RunOutputs;
} {
  const rows = kurtkaya2025Rank2Rows(r);
  const lines = kurtkaya2025Rank2Lines(r);
  const count = (c: string) => r.rows.filter((x) => x.class === c).length;
  const report: PaperReport = {
    title: 'Trained rank-2 RNNs (Kurtkaya et al. 2025)',
    sections: [
      {
        paragraphs: [...lines, 'Cells: not learned / slow point / limit cycle, % of seeds (median 2/λ_max of the learned).'],
        tables: [{ rows }],
        figures: [['rank2_trained', KURTKAYA2025_RANK2_CAPTION]],
      },
    ],
  };
  const metrics = {
    slowPoint: count('slow-point'),
    limitCycle: count('limit-cycle'),
    notLearned: count('not learned'),
    boundarySlope: r.boundarySlope,
    slopeSlowPoint: r.slopes['slow-point'].slope,
    slopeLimitCycle: r.slopes['limit-cycle'].slope,
  };
  return { rows, lines, report, outputs: { records: r.rows, metrics } };
}

/** The run notes of a phase diagram trained on `per` trials per cue (none at the paper's 64). */
export function kurtkaya2025GridNotes(per: number): string[] {
  if (per === 64) return [];
  return [`${per} trials per cue instead of the paper's 64 (trials of one cue differ only in noise and r0). ${kurtkaya2025FewTrials(per)}`];
}

/** The first lines of the findings of a phase diagram trained here (`account` of `kurtkaya2025Outputs`). */
export function kurtkaya2025TrainedAccount(res: Kurtkaya2025Result, o: { seconds: number; netsDir: string }): string {
  const trained = res.classes.filter((c) => c != null).length;
  return `${trained} of ${res.networks.length} networks trained and classified (${o.seconds.toFixed(0)} s in this call; networks already complete in ${o.netsDir} were reused). Cells: not learned / limit cycle / slow-point manifold, % of seeds.`;
}

/** The first lines of the findings of the authors' networks classified here: how many, from where, and how often our class agrees with theirs. */
export function kurtkaya2025AuthorsAccount(
  nets: readonly { class: unknown; authorsClass?: unknown }[],
  dir: string,
): { account: string; extra: string[] } {
  const withTheirs = nets.filter((n) => n.authorsClass != null);
  const agree = withTheirs.filter((n) => n.authorsClass === n.class).length;
  return {
    account: `${nets.length} networks of the authors (${dir}) classified here. Cells: not learned / limit cycle / slow-point manifold, % of seeds.`,
    extra: withTheirs.length ? [`Our class agrees with their class.txt in ${agree} of ${withTheirs.length} networks.`] : [],
  };
}
