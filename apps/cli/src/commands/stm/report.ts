/**
 * The figures, report and metrics of a Kurtkaya et al. 2025 phase diagram (`reproduce
 * kurtkaya2025`, trained here or read from the authors' networks with `--authors`).
 */
import type { RunDirectory } from '@wmkit/data-io/node';
import {
  kurtkayaExponentsSvg,
  kurtkayaLossByClassSvg,
  kurtkayaOnsetsSvg,
  kurtkayaPhaseDiagramSvg,
  kurtkayaPsdRatiosSvg,
  kurtkayaScalingSvg,
  renderReport,
  textTable,
  withMetricsSection,
} from '@wmkit/figures';
import {
  type Kurtkaya2025Result,
  kurtkaya2025ExponentLines,
  kurtkaya2025Exponents,
  kurtkaya2025FitSummary,
  kurtkaya2025LossByClass,
  kurtkaya2025PsdRatios,
  kurtkaya2025Report,
  kurtkaya2025Rows,
} from '@wmkit/papers';

/** Writes the phase diagram's figures, report.md/html and metrics into `run`, completes it and prints the table and findings. */
export function writeKurtkayaRun(
  run: RunDirectory,
  res: Kurtkaya2025Result,
  o: { postMs: number; trialsPerCue: number; exponents?: boolean; account: string; seconds: number; extra?: string[] },
): void {
  const { cells, fit } = res;
  run.addFigure('phase_diagram', kurtkayaPhaseDiagramSvg(cells), 'fractions of networks per learning rate × delay');
  if (res.fitPoints.length >= 2) run.addFigure('scaling', kurtkayaScalingSvg(res), 'log–log fit of the learning rate on the onset delay');
  run.addFigure('onsets', kurtkayaOnsetsSvg(res), 'fraction of networks not learned per delay, with the onset fit per learning rate');
  const psd = kurtkaya2025PsdRatios(res);
  if (psd.lc.length + psd.sp.length) run.addFigure('psd_ratios', kurtkayaPsdRatiosSvg(psd), 'power ratio of the autonomous run by class');
  const lossByClass = kurtkaya2025LossByClass(res);
  if (lossByClass) run.addFigure('loss_by_class', kurtkayaLossByClassSvg(lossByClass), 'loss per epoch by class, mean ± SEM');
  const exponents = o.exponents ? kurtkaya2025Exponents(res) : undefined;
  if (exponents) run.addFigure('exponents', kurtkayaExponentsSvg(exponents, cells), 'both scaling branches, log–log, with their fits');
  for (const c of cells) run.appendMetrics(c);
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
    beta: fit?.beta ?? null,
    betaSe: fit?.slopeSe ?? null,
    ...(exponents ? { betaSp: sp?.beta ?? null, betaSpSe: sp?.slopeSe ?? null } : {}),
    seconds: o.seconds,
  };
  const report = kurtkaya2025Report(res, { postMs: o.postMs, trialsPerCue: o.trialsPerCue, summary, exponents });
  const { md, html } = renderReport(withMetricsSection(report, metrics));
  run.writeFile('report.md', md);
  run.writeFile('report.html', html);
  run.complete(metrics);
  console.log(`\n${textTable(kurtkaya2025Rows(res))}\n\n${summary.join('\n')}\n\n✓ report: ${run.path('report.html')} (and report.md)`);
}
