/**
 * Everything a Kriener, Chaudhuri & Fiete 2020 run shows besides its figures, in one call: the
 * mean-field noise breakdown of the conventional WTA at the run's sizes, Δ and parameters, the run
 * outputs, the report and the terminal's table and findings.
 */
import { type Kriener2020Result, kriener2020NoiseBreakdown, type NoiseBreakdownResult } from './kriener2020';
import { kriener2020Report, kriener2020Rows, kriener2020Summary } from './kriener2020-report';
import { kriener2020Outputs, type RunOutputs } from './outputs';
import type { PaperReport } from './report';

/** A reproduction's noise breakdown, run outputs, report, table rows and findings (`seconds` and `workers`: its runtime line). */
export function kriener2020RunResult(
  r: Kriener2020Result,
  o: { seconds: number; workers: number },
): { breakdown: NoiseBreakdownResult; outputs: RunOutputs; report: PaperReport; rows: string[][]; summary: string[] } {
  const breakdown = kriener2020NoiseBreakdown({ sizes: r.sizes, delta: r.delta, params: r.params });
  const report = kriener2020Report(r, { ...o, breakdown });
  return {
    breakdown,
    outputs: kriener2020Outputs(r, breakdown),
    report,
    rows: kriener2020Rows(r),
    summary: kriener2020Summary(r, breakdown),
  };
}
