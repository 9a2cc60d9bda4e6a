/**
 * The metric registry: what a run's metrics (`run.json` `metrics`, `metrics.jsonl` fields) mean,
 * for people — a label, a unit and a description — used by the viewer's tables and curves and by
 * reports. Names not listed are described from wmkit's naming convention (units as name suffixes:
 * `…Ms`, `…Hz`, `…Deg`, `…Deg2PerS`, `…PerS`/`…PerSecond`, `…Fraction`), so every metric gets a
 * readable label and, where its name states one, a unit.
 */

/** What a metric means: a label for axes and tables, its unit ('' if it has none), a description. */
export interface MetricInfo {
  label: string;
  unit: string;
  description: string;
}

/** The metrics wmkit's commands write, by name. */
export const METRICS: Readonly<Record<string, MetricInfo>> = {
  // training curves (metrics.jsonl)
  trial: { label: 'training trials', unit: 'trials', description: 'trials seen by the optimiser so far' },
  step: { label: 'gradient step', unit: 'steps', description: 'optimiser steps so far' },
  epoch: { label: 'epoch', unit: 'epochs', description: 'passes over the training set so far' },
  loss: { label: 'loss', unit: '', description: 'training objective on the evaluation batch (lower is better)' },
  accuracy: { label: 'accuracy', unit: 'fraction', description: 'fraction of evaluation trials answered correctly' },
  reliability: { label: 'reliability', unit: 'fraction', description: 'fraction of trials whose response stays correct to the end' },
  f1: { label: 'F1', unit: '', description: 'harmonic mean of precision and recall of the recalled spikes' },
  precision: { label: 'precision', unit: 'fraction', description: 'recalled spikes that are target spikes' },
  recall: { label: 'recall', unit: 'fraction', description: 'target spikes that are recalled' },
  seconds: { label: 'wall time', unit: 's', description: 'seconds the command ran' },
  trials: { label: 'trials', unit: 'trials', description: 'trials simulated or evaluated' },
  seeds: { label: 'seeds', unit: 'networks', description: 'independent networks (random seeds)' },
  // ring attractors (Wimmer et al. 2014)
  responseSdDeg: { label: 'response SD', unit: 'deg', description: 'circular SD of the decoded response around the cue' },
  responseSdNoJumpsDeg: {
    label: 'response SD without jumps',
    unit: 'deg',
    description: 'response SD over the trials that ended within 22.5° of the cue',
  },
  jumpFraction: { label: 'jumps', unit: 'fraction', description: 'trials whose response ended more than 22.5° from the cue' },
  diffusionSlopeDeg2PerS: {
    label: 'diffusion',
    unit: 'deg²/s',
    description: 'slope of the variance of the decoded angle’s displacement through the delay',
  },
  diffusionR2: { label: 'diffusion fit r²', unit: '', description: 'r² of the linear fit of the displacement variance' },
  trialsPerSecond: { label: 'speed', unit: 'trials/s', description: 'trials simulated per second of wall time' },
  // Compte et al. 2000
  bumpPeakRateEHz: { label: 'bump peak rate', unit: 'Hz', description: 'E rate at the bump’s centre in the delay' },
  bumpFloorRateEHz: { label: 'bump floor rate', unit: 'Hz', description: 'E rate far from the bump in the delay' },
  bumpWidthFwhmDeg: { label: 'bump width (FWHM)', unit: 'deg', description: 'full width of the bump at half its height above the floor' },
  endErrorDeg: { label: 'end error', unit: 'deg', description: 'decoded angle at the end of the delay minus the cue' },
  // E/I RNNs (Kim & Sejnowski 2021)
  tauMs: { label: 'τ', unit: 'ms', description: 'timescale of the spike-count autocorrelation' },
  medianTauMs: { label: 'median τ', unit: 'ms', description: 'median over units of the spike-count autocorrelation timescale' },
  models: { label: 'models', unit: 'networks', description: 'trained networks the reproduction used' },
  completed: { label: 'completed', unit: 'networks', description: 'networks that went through every step of the protocol' },
  metStoppingRule: { label: 'met the stopping rule', unit: 'networks', description: 'networks whose training reached the stopping rule' },
  tauSignTestP: {
    label: 'p (sign test, τ)',
    unit: '',
    description: 'two-sided sign test over networks that τ is longer with stronger I→I',
  },
  tauLongerWithStrongerII: {
    label: 'τ longer with stronger I→I',
    unit: 'networks',
    description: 'networks whose median τ grew when the I→I synapses were scaled up',
  },
  rateLongBetterWithStrongerII: {
    label: 'rate accuracy better with stronger I→I',
    unit: 'networks',
    description: 'networks whose rate-network DMS accuracy at a long delay rose with stronger I→I',
  },
  spikingLongBetterWithStrongerII: {
    label: 'spiking accuracy better with stronger I→I',
    unit: 'networks',
    description: 'networks whose spiking DMS accuracy at a long delay rose with stronger I→I',
  },
  // delay-SNN (Perrinet et al. 2026)
  trainSteps: { label: 'gradient steps', unit: 'steps', description: 'gradient steps the training took' },
  // WTA and sparse coding (Kriener et al. 2020; Földiák 1990)
  wtaFailsFrom: {
    label: 'conventional WTA fails from',
    unit: 'units',
    description: 'smallest network size N at which the conventional WTA no longer picks the strongest input reliably',
  },
  solved: { label: 'solved', unit: 'networks', description: 'seeds whose network represents every line of the bars problem' },
  medianSolvedAt: { label: 'solved after', unit: 'presentations', description: 'median presentations until every line is represented' },
  // STM RNNs (Kurtkaya et al. 2025)
  networks: { label: 'networks', unit: 'networks', description: 'networks trained (grid points × seeds)' },
  trained: { label: 'learned', unit: 'networks', description: 'networks that learned the task' },
};

const SUFFIXES: [RegExp, string][] = [
  [/Deg2PerS$/, 'deg²/s'],
  [/PerSecond$|PerS$/, '/s'],
  [/Ms$/, 'ms'],
  [/Hz$/, 'Hz'],
  [/Deg$/, 'deg'],
  [/Fraction$/, 'fraction'],
  [/Seconds$/, 's'],
  [/Percent$|Pct$/, '%'],
];

/** 'responseSdNoJumpsDeg' → 'response sd no jumps' (the suffix already removed). */
function words(name: string): string {
  return name
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .trim();
}

/** What a metric means: the registry's entry, or one read from its name's unit suffix. */
export function metricInfo(name: string): MetricInfo {
  const known = METRICS[name];
  if (known) return known;
  for (const [re, unit] of SUFFIXES) {
    if (re.test(name)) {
      const base = name.replace(re, '');
      return { label: words(base || name), unit, description: '' };
    }
  }
  return { label: words(name), unit: '', description: '' };
}

/** A metric's label with its unit for axes and table headers: 'response SD (deg)'. */
export function metricLabel(name: string): string {
  const m = metricInfo(name);
  return m.unit ? `${m.label} (${m.unit})` : m.label;
}
