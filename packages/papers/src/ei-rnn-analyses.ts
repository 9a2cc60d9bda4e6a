/**
 * What the E/I RNN analysis and experiment commands write and print, assembled from their typed
 * results (`wmkit convert lif`, `analyze timescales|fano|weights`, `experiment retrain|subgroups`):
 * run.json configs and metrics, arrays, and the one-line summaries — so a script that calls the
 * same `@wmkit/papers` functions gets the same numbers and the same text. No file system here.
 */
import type { TimescaleDecoding, TimescaleResult } from '@wmkit/analysis';
import { ConfigError, type EiRnnPreset, type EiRnnTaskName, eiRnnPreset } from '@wmkit/ei-rnn';
import type { Task } from '@wmkit/tasks';
import type { EiSimulation, FanoVsTimescale, WeightsByTask } from './ei-rnn-runs';
import { rateModelArrays } from './ei-rnn-runs';
import type { KimLifSummary, TimescaleSummary } from './kim2021';
import type { KimRetrainExperiment, KimSubgroupResult, KimSubgroupScaling } from './kim2021-analyses';
import type { RunArray } from './outputs';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const fixed = (v: number | null | undefined, d = 3) => (v != null && Number.isFinite(v) ? v.toFixed(d) : 'n/a');

// ── train ei-rnn ─────────────────────────────────────────────────────────────────────────────

/**
 * The preset of a training run: `preset` if given, else Kim's preset of `task`, else the one a
 * rerun's run.json config `recorded` names, else kim2021.dms. An unknown preset, or a `task`
 * that is not the preset's, is a ConfigError naming both.
 */
export function kimTrainPreset(o: { preset?: string; task?: EiRnnTaskName; recorded?: unknown }): EiRnnPreset {
  const recorded = (o.recorded as { preset?: unknown } | null | undefined)?.preset;
  const taskPreset = o.task ? `kim2021.${o.task}` : undefined;
  const preset = eiRnnPreset(o.preset ?? taskPreset ?? (typeof recorded === 'string' ? recorded : 'kim2021.dms'));
  if (o.task && preset.task.name !== o.task)
    throw new ConfigError(
      `--task ${o.task} does not match --preset ${preset.name} (it trains ${preset.task.name}); give --preset kim2021.${o.task} or leave --preset out`,
    );
  return preset;
}

// ── convert lif ──────────────────────────────────────────────────────────────────────────────

/** The result line of a λ search: best 1/λ, spiking accuracy on the task (and at the 750-ms delay for DMS), rate. */
export function lifSearchLine(s: KimLifSummary, o: { task: EiRnnTaskName; trials: number; longTrials: number }): string {
  const task = o.task === 'dms' ? 'DMS' : o.task;
  const long = o.task === 'dms' ? `, 750-ms delay ${pct(s.spikingAccuracyLongDelay)} (${o.longTrials} trials)` : '';
  return `✓ best 1/λ = ${s.bestInverseScale}: spiking ${task} accuracy ${pct(s.spikingAccuracyShortDelay)} (${o.trials} trials)${long}, mean rate ${s.meanRateHz.toFixed(1)} Hz`;
}

// ── simulate ─────────────────────────────────────────────────────────────────────────────────

/** The run.json config of a simulation of a trained run (`parent`) on `task`: its trials, delay, network and trial length. */
export function eiSimulationRunConfig(
  parent: string,
  task: Task,
  o: { trials: number; delay: 'short' | 'long'; spiking: boolean; rasterTrials: number; inverseScale: number | null },
) {
  const { trials, delay, spiking, rasterTrials, inverseScale } = o;
  const trialMs = task.timeline.steps * task.timeline.dtMs;
  return { parent, trials, delay, spiking, rasterTrials, task: task.config, trialMs, inverseScale };
}

/** The result line of a simulation: accuracy (and the spikes of a spiking network). */
export function eiSimulationLine(sim: Pick<EiSimulation, 'accuracy' | 'totalSpikes'>, trials: number): string {
  const spikes = sim.totalSpikes != null ? `, ${sim.totalSpikes.toLocaleString('en-US')} spikes` : '';
  return `✓ accuracy ${pct(sim.accuracy)} on ${trials} trials${spikes}`;
}

// ── timescales ───────────────────────────────────────────────────────────────────────────────

/** The run.json summary of the timescales of recorded counts (`units` units). */
export function recordedTimescaleSummary(result: TimescaleResult, units: number) {
  const q = result.quantiles;
  const included = result.units.filter((u) => u.status === 'ok').length;
  return { units, included, medianTauMs: q.median, q25: q.q25, q75: q.q75, populationTauMs: result.population?.tauMs ?? null };
}

/** What a timescales result line shows (`meanRateHz` only for a model network). */
export type TimescaleLineSummary = Pick<TimescaleSummary, 'included' | 'medianTauMs' | 'q25' | 'q75' | 'populationTauMs'> & {
  meanRateHz?: number;
};

/**
 * The result line of a timescales analysis: units fitted, median τ (with the IQR and the mean
 * rate of a model network), population τ.
 */
export function timescaleLine(s: TimescaleLineSummary, units: number): string {
  const model = s.meanRateHz != null;
  const median = model ? s.medianTauMs.toFixed(1) : fixed(s.medianTauMs, 1);
  const iqr = model ? ` (IQR ${s.q25.toFixed(1)}–${s.q75.toFixed(1)})` : '';
  const rate = model ? `, mean rate ${s.meanRateHz?.toFixed(1)} Hz` : '';
  return `✓ ${s.included}/${units} units fitted: median τ ${median} ms${iqr}, population τ ${s.populationTauMs?.toFixed(1) ?? 'n/a'} ms${rate}`;
}

// ── cross-temporal decoding ──────────────────────────────────────────────────────────────────

/** The run.json metrics of a cross-temporal decoding: units per half, delay accuracy of each half, the delay's bins. */
export function crossTemporalMetrics(d: TimescaleDecoding) {
  const { long, short, delay } = d;
  return {
    unitsPerGroup: long.units.length,
    longDelayAccuracy: long.delayAccuracy,
    shortDelayAccuracy: short.delayAccuracy,
    delayBins: [delay.from, delay.to],
  };
}

// ── Fano factor, weights ─────────────────────────────────────────────────────────────────────

/** The result line of a Fano-factor analysis. */
export function fanoLine(r: FanoVsTimescale): string {
  const p = Number.isFinite(r.test.p) ? r.test.p.toPrecision(2) : 'n/a';
  return `✓ fixation Fano factor vs τ over ${r.test.n} units: Spearman ρ ${fixed(r.test.rho)} (permutation p ${p}), median Fano ${fixed(r.metrics.medianFano ?? Number.NaN)}`;
}

/** The lines of a weights analysis: class means and median τ per task, then each DMS comparison. */
export function weightsLines(w: WeightsByTask): string[] {
  return [
    ...Object.entries(w.byTask).map(
      ([t, b]) =>
        `  ${t.padEnd(6)} ${b.networks} networks: mean weight E→E ${fixed(b.eeMeanWeight)}, E→I ${fixed(b.eiMeanWeight)}, I→E ${fixed(b.ieMeanWeight)}, I→I ${fixed(b.iiMeanWeight)}; median τ ${fixed(b.medianTauMs, 1)} ms (unbiased ${fixed(b.unbiasedMedianTauMs, 1)})`,
    ),
    ...Object.entries(w.comparisons).map(
      ([name, c]) =>
        `  ${name}: Δ I→I ${fixed(c.iiMeanWeight.difference)} (p ${fixed(c.iiMeanWeight.p, 3)}), Δ median τ ${fixed(c.medianTauMs.difference, 1)} ms (p ${fixed(c.medianTauMs.p, 3)})`,
    ),
  ];
}

// ── experiment subgroups (Fig. 6) ────────────────────────────────────────────────────────────

/** The run.json config of one factor of the subgroup experiment (`inverseScale`: on the spiking network). */
export function subgroupRunConfig(
  factor: number,
  o: { controls: number; evalTrials: number; minSelectivity: number; network: 'rate' | 'spiking'; inverseScale?: number },
) {
  const { controls, evalTrials, minSelectivity, network, inverseScale } = o;
  return { parent: '..', factor, controls, evalTrials, minSelectivity, network, ...(inverseScale != null ? { inverseScale } : {}) };
}

/** The line about the subgroups found: their sizes and the mean |w| within and between them. */
export function subgroupStrengthLine(r: KimSubgroupResult): string {
  const s = r.strength;
  return `  subgroups: ${r.groupA.length} inhibitory units prefer +1, ${r.groupB.length} prefer −1; mean |w| within ${fixed(s.withinA)} / ${fixed(s.withinB)}, between A→B ${fixed(s.aToB)}, B→A ${fixed(s.bToA)} (all I→I ${fixed(s.allII)})`;
}

/** The result line of one factor: baseline, between-subgroup-scaled and control accuracies. */
export function subgroupScalingLine(r: KimSubgroupResult, s: KimSubgroupScaling, network: 'rate' | 'spiking'): string {
  return `✓ × ${s.factor}: 750-ms DMS accuracy (${network}): baseline ${pct(r.baseline)}, between-subgroup I→I ${pct(s.between)} (${r.betweenConnections} connections), random controls ${pct(s.controlMean)} (p ${s.pControlAsLow.toFixed(3)})`;
}

// ── experiment retrain (Fig. 8) ──────────────────────────────────────────────────────────────

/** The run kind of `wmkit experiment retrain`. */
export const EI_RETRAIN_KIND = 'ei-rnn.retrain';

/** The protocol of a retraining run, as the command takes it. */
export interface KimRetrainRunOptions {
  task: EiRnnTaskName;
  maxTrials: number;
  grid: number[];
  trials: number;
  timescaleTrials: number;
}

/**
 * What a retraining run records: its config, the retrained model's arrays with τ per unit before
 * and after, the metrics (accuracies, τ before vs after) and the two result lines.
 */
export function retrainRunOutputs(r: KimRetrainExperiment, tauBeforeMs: Float32Array, o: KimRetrainRunOptions) {
  const N = tauBeforeMs.length;
  const { training, rateAccuracy } = r.retrain;
  const arrays: RunArray[] = [
    ...rateModelArrays(r.retrain.model),
    { name: 'tau_before_ms', array: { data: tauBeforeMs, shape: [N] }, description: 'τ per unit before retraining (NaN: excluded)' },
    { name: 'tau_after_ms', array: { data: r.tauAfterMs, shape: [N] }, description: 'τ per unit after retraining (NaN: excluded)' },
  ];
  const config = {
    parent: '..',
    task: o.task,
    maxTrials: o.maxTrials,
    frozen: ['w', 'tau'],
    trained: ['w_in', 'w_out', 'b_out'],
    inverseScaleGrid: o.grid,
    trialsPerScale: o.trials,
    timescaleTrials: o.timescaleTrials,
  };
  const metrics = {
    task: o.task,
    retrainTrials: training.trials,
    reachedStoppingRule: training.success,
    rateAccuracy,
    spikingAccuracy: r.spikingAccuracy,
    bestInverseScale: r.bestInverseScale,
    unitsBoth: r.spearman.n,
    spearmanRho: r.spearman.rho,
    spearmanP: r.spearman.p,
    pearsonLogTau: r.pearsonLogTau,
    medianTauBeforeMs: r.medianTauBeforeMs,
    medianTauAfterMs: r.medianTauAfterMs,
  };
  const lines = [
    `✓ ${o.task} after ${training.trials} trials (${training.success ? 'stopping rule met' : 'budget spent'}): rate ${pct(rateAccuracy)}, spiking ${pct(r.spikingAccuracy)} (1/λ = ${r.bestInverseScale})`,
    `  τ before vs after over ${r.spearman.n} units: Spearman ρ ${r.spearman.rho.toFixed(3)} (p ${r.spearman.p.toPrecision(2)}), Pearson r(log τ) ${r.pearsonLogTau.toFixed(3)}; median ${r.medianTauBeforeMs.toFixed(1)} → ${r.medianTauAfterMs.toFixed(1)} ms`,
  ];
  return { config, arrays, metrics, lines };
}
