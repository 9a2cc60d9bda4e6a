/**
 * Experiments on the HD-SNN beyond a single training run: robustness of recall to degraded cues
 * and silenced neurons, parameter scans (D, N, M, p, T) and the capacity curve (F1 vs number of
 * patterns M, which the authors list as missing), with the authors' published scan values for
 * comparison (docs/models/delay-snn.md §Reference results).
 */
import { bernoulliPatterns, evidencePatterns, type SpikePatternSet } from '@wmkit/tasks';
import { Rng } from '@wmkit/tensor';
import { ConfigError, type HdSnnConfig, parseHdSnnConfig } from './config';
import type { HdSnnEngineKind } from './engine-tfjs';
import { createHdSnn, type HdSnnModel } from './network';
import { type RecallProtocol, silencedNeurons } from './recall';
import { evaluateRecall, runHdSnnExperiment } from './train';

/** The patterns a config describes (its generator and seed). */
export function patternsFor(cfg: HdSnnConfig): SpikePatternSet {
  const o = { M: cfg.M, N: cfg.N, T: cfg.T, p: cfg.p, seed: cfg.patterns.seed };
  return cfg.patterns.generator === 'bernoulli' ? bernoulliPatterns(o) : evidencePatterns(o);
}

/** One row of the robustness table: protocol, level, precision, recall, F1 and the paper's F1 where it reports one. */
export interface RobustnessRow {
  protocol: 'baseline' | 'cue bit flips' | 'truncated cue' | 'silenced neurons';
  /** Flip probability, fraction of the cue given, or neurons silenced. */
  level: number;
  precision: number;
  recall: number;
  f1: number;
  /** The paper's value for this condition, where it reports one. */
  paperF1: number | null;
}

/** Levels of each robustness protocol (the paper's conditions are included). */
export const ROBUSTNESS_LEVELS = {
  flips: [0.05, 0.1, 0.25, 0.5],
  cueFractions: [0.9, 0.75, 0.5, 0.25],
  silenced: [32, 128, 256, 512],
};

/** Paper values (Perrinet et al. 2026; docs/models/delay-snn.md §Reference results): 25% flips → 0.967; cue truncated to 75% of D → 0.862; 128 silenced → 1.0. */
export const PERRINET2026_ROBUSTNESS = { flip25: 0.967, cue75: 0.862, silenced128: 1.0 };

/**
 * Recall under each protocol with fresh background noise: balanced cue bit flips, a truncated
 * cue, and silenced neurons (never spike, cue removed, left out of the score).
 */
export function robustnessSuite(
  model: HdSnnModel,
  set: SpikePatternSet,
  seed: number,
  levels = ROBUSTNESS_LEVELS,
  onRow?: (row: RobustnessRow, done: number, total: number) => void,
  engine: HdSnnEngineKind = 'kernels',
): RobustnessRow[] {
  const rng = new Rng(seed).fork('robustness');
  const rows: RobustnessRow[] = [];
  const total = 1 + levels.flips.length + levels.cueFractions.length + levels.silenced.filter((n) => n < model.config.N).length;
  const run = (protocol: RobustnessRow['protocol'], level: number, p: RecallProtocol, paperF1: number | null) => {
    const r = evaluateRecall(model, set, rng.fork(`${protocol}-${level}`), p, engine).scores;
    const row = { protocol, level, precision: r.precision, recall: r.recall, f1: r.f1, paperF1 };
    rows.push(row);
    onRow?.(row, rows.length, total);
  };
  run('baseline', 0, {}, null);
  for (const f of levels.flips) run('cue bit flips', f, { flip: f }, f === 0.25 ? PERRINET2026_ROBUSTNESS.flip25 : null);
  for (const c of levels.cueFractions) run('truncated cue', c, { cueFraction: c }, c === 0.75 ? PERRINET2026_ROBUSTNESS.cue75 : null);
  for (const n of levels.silenced) {
    if (n >= model.config.N) continue;
    run(
      'silenced neurons',
      n,
      { silence: silencedNeurons(model.config.N, n, seed) },
      n === 128 ? PERRINET2026_ROBUSTNESS.silenced128 : null,
    );
  }
  return rows;
}

/** Parameters `scanParameter` can vary. */
export const SCAN_PARAMS = ['D', 'N', 'M', 'p', 'T'] as const;
/** A parameter `scanParameter` can vary. */
export type ScanParam = (typeof SCAN_PARAMS)[number];

/**
 * The authors' scans (docs/models/delay-snn.md §Reference results), as loss = 1 − F1 at the listed values; ranges are expanded to
 * their end points ("≥ 55 → 0" is listed at 55).
 */
export const PERRINET2026_SCANS: Record<ScanParam, { value: number; loss: number; bound?: '≤' | '≥' }[]> = {
  D: [
    { value: 20, loss: 0.785 },
    { value: 25, loss: 0.11 },
    { value: 30, loss: 3e-4 },
    { value: 55, loss: 0 },
  ],
  N: [
    { value: 170, loss: 1.0 },
    { value: 430, loss: 0.8 },
    { value: 584, loss: 0.175 },
    { value: 795, loss: 1.6e-4, bound: '≤' },
  ],
  M: [
    { value: 8, loss: 6.7e-4, bound: '≤' },
    { value: 25, loss: 6.7e-4, bound: '≤' },
    { value: 30, loss: 0.07 },
  ],
  p: [
    { value: 2e-4, loss: 0.233 },
    { value: 5e-4, loss: 1.3e-4, bound: '≤' },
    { value: 2e-3, loss: 1.3e-4, bound: '≤' },
    { value: 3.2e-3, loss: 0.91, bound: '≥' },
  ],
  T: [],
};

/** The config with one parameter changed (validated: e.g. D ≥ T is refused with the value named). */
export function withScanValue(cfg: HdSnnConfig, param: ScanParam, value: number): HdSnnConfig {
  if (!(SCAN_PARAMS as readonly string[]).includes(param)) {
    throw new ConfigError(`cannot scan '${param}': scannable parameters are ${SCAN_PARAMS.join(', ')}`);
  }
  if (param !== 'p' && !Number.isInteger(value)) throw new ConfigError(`scan value ${value} for '${param}' must be an integer`);
  return parseHdSnnConfig({ [param]: value }, cfg, `scan ${param}=${value}`);
}

/** Recall scores at one value of a scanned parameter, with the authors' loss where they report one. */
export interface ScanPoint {
  param: ScanParam;
  value: number;
  precision: number;
  recall: number;
  f1: number;
  loss: number;
  /** F1 right after the initialisation (before training). */
  f1AfterInit: number;
  trainSteps: number;
  seconds: number;
}

/** One scan point: patterns, initialisation, training (config.train.steps), final recall; on the kernels (default) or the tfjs engine. */
export function runScanPoint(cfg: HdSnnConfig, param: ScanParam, value: number, engine: HdSnnEngineKind = 'kernels'): ScanPoint {
  const c = withScanValue(cfg, param, value);
  const set = patternsFor(c);
  const model = createHdSnn(c);
  const res = runHdSnnExperiment(model, set, { engine });
  const s = res.final.scores;
  return {
    param,
    value,
    precision: s.precision,
    recall: s.recall,
    f1: s.f1,
    loss: 1 - s.f1,
    f1AfterInit: res.afterInit.f1,
    trainSteps: c.train.steps,
    seconds: res.seconds,
  };
}

/** The published loss at a scan value, if the authors report one there. */
export function paperLossAt(param: ScanParam, value: number): { loss: number; bound?: '≤' | '≥' } | null {
  const hit = PERRINET2026_SCANS[param].find((r) => Math.abs(r.value - value) <= 1e-12 * Math.max(1, Math.abs(value)));
  return hit ? { loss: hit.loss, bound: hit.bound } : null;
}
