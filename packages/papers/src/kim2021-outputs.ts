/**
 * What the Kim & Sejnowski 2021 panels put into their run directory (`<out>/panels`), as data:
 * each network's timescales per unit (both estimators) and the panels' numbers as metrics.
 */
import type { Kim2021Result, KimProtocol, KimRecipe } from './kim2021';
import { type KimPanelsResult, kim2021PanelMetrics } from './kim2021-panels';
import { type Kim2021Text, kim2021Metrics, kim2021Report, kim2021Text } from './kim2021-report';
import type { RunArray, RunOutputs } from './outputs';
import type { PaperReport } from './report';

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

/** The run.json `config` of a reproduction: its preset, seeds, protocol, where the models are, and the model and training. */
export function kim2021RunConfig(
  recipe: KimRecipe,
  protocol: KimProtocol,
  o: { preset: string; seeds: number; firstSeed: number; modelsDir: string },
): Record<string, unknown> {
  const { preset, seeds, firstSeed, modelsDir: models } = o;
  const { block, factors, trials: dmsTrials, timescaleTrials } = protocol;
  return {
    preset,
    seeds,
    firstSeed,
    block,
    factors: [...factors],
    dmsTrials,
    timescaleTrials,
    models,
    model: recipe.model,
    train: recipe.train,
  };
}

/** The fields of a recorded run.json `config` a reproduction reruns with --from: its model and training. */
export function kim2021ConfigOfRun(recorded: unknown): Record<string, unknown> {
  const r = (recorded ?? {}) as { model?: unknown; train?: unknown };
  return { ...(r.model ? { model: r.model } : {}), ...(r.train ? { train: r.train } : {}) };
}

/** A reproduction's run outputs (one record per model; the metrics), report and text (`kim2021Text`). */
export function kim2021RunResult(
  result: Kim2021Result,
  o: Parameters<typeof kim2021Report>[2],
): { outputs: RunOutputs; report: PaperReport; text: Kim2021Text } {
  const text = kim2021Text(result, { seeds: o.seeds });
  const records = result.models.map((m) => ({ seed: m.seed, completed: m.complete, failed: m.failed }));
  return { outputs: { records, metrics: kim2021Metrics(result) }, report: kim2021Report(result, text, o), text };
}
