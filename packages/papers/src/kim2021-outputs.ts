/**
 * What the Kim & Sejnowski 2021 panels put into their run directory (`<out>/panels`), as data:
 * each network's timescales per unit (both estimators) and the panels' numbers as metrics.
 */
import { type KimPanelsResult, kim2021PanelMetrics } from './kim2021-panels';
import type { RunArray, RunOutputs } from './outputs';

/** τ per unit of every network (`tau_ms_<task>-<seed>`, and `tau_unbiased_ms_…` where measured), the panels' metrics. */
export function kim2021PanelOutputs(p: KimPanelsResult): RunOutputs {
  const arrays: RunArray[] = [];
  for (const n of p.networks) {
    const shape = [n.tauMs.length];
    const id = `${n.task}-${n.seed}`;
    arrays.push({
      name: `tau_ms_${id}`,
      array: { data: n.tauMs, shape },
      description: 'τ per unit, the paper’s estimator (NaN: excluded)',
    });
    if (n.unbiased)
      arrays.push({
        name: `tau_unbiased_ms_${id}`,
        array: { data: n.unbiased.tauMs, shape },
        description: 'τ per unit, unbiased estimator (NaN: excluded)',
      });
  }
  return { arrays, metrics: kim2021PanelMetrics(p) };
}
