/**
 * What the delay-network steps (train, evaluate, scan) record, as plain data: the per-step
 * metrics line, the arrays of a trained network, the scan and robustness tables, and the reading
 * of a trained network back from the arrays and config its run directory holds. No file system
 * here: the caller writes and reads.
 */
import {
  ConfigError,
  eventsToRows,
  type HdSnnConfig,
  type HdSnnModel,
  hdSnnFromArrays,
  hdSnnToArrays,
  PERRINET2026_SCANS,
  paperLossAt,
  parseHdSnnConfig,
  patternsFromArray,
  type RobustnessRow,
  type ScanParam,
  type ScanPoint,
  type ScanSummary,
  type TrainStep,
} from '@wmkit/delay-snn';
import type { SpikePatternSet } from '@wmkit/tasks';
import type { NDArray, NumericArray } from '@wmkit/tensor';
import type { RunArray } from './outputs';
import type { Perrinet2026Result } from './perrinet2026';

/** Run kind of a trained delay network (run.json `kind`). */
export const HD_RUN_KIND = 'delay-snn';

/** A number with four decimals (non-finite values as they are). */
export const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : String(x));

/** A markdown table. */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A CSV text (no quoting: the cells are numbers and plain words). */
export function csv(header: string[], rows: (string | number)[][]): string {
  return `${[header, ...rows].map((r) => r.join(',')).join('\n')}\n`;
}

/** The metrics.jsonl line of one gradient step of `perrinet2026`. */
export function perrinetStepRecord(s: TrainStep) {
  return {
    step: s.step,
    lr: s.lr,
    trainLoss: s.trainLoss,
    trainF1: s.train.f1,
    evalPrecision: s.eval.precision,
    evalRecall: s.eval.recall,
    evalF1: s.eval.f1,
    spikesPerPattern: s.spikesPerPattern,
    beta: s.beta,
    threshold: s.threshold,
    // F1 along the pattern: bin b covers pattern steps D + 10·b … D + 10·b + 9
    f1OverTime: s.f1OverTime.map((b) => Number(b.f1.toFixed(5))),
    seconds: s.seconds,
  };
}

/** What run.json records of the initialisation. */
export function perrinetInitRecord(init: Perrinet2026Result['init']) {
  return {
    method: init.method,
    seconds: init.seconds,
    norm: init.norm ?? null,
    solver: init.solver ?? null,
    iterations: init.iterations ?? null,
    residual: init.residual ?? null,
  };
}

/** One line about the initialisation and the recall right after it. */
export function perrinetInitLine(r: Pick<Perrinet2026Result, 'init' | 'afterInit'>): string {
  const { init } = r;
  const s = r.afterInit.scores;
  const norm = init.norm != null ? ` (norm ${init.norm.toFixed(3)})` : '';
  const cg =
    init.solver === 'cg' ? ` (conjugate gradients: ${init.iterations} iterations, residual ${init.residual?.toExponential(1)})` : '';
  return `${init.method} initialisation ${init.seconds.toFixed(2)} s${norm}${cg}: precision ${f4(s.precision)}, recall ${f4(s.recall)}, F1 ${f4(s.f1)}`;
}

/** The arrays of a trained delay network: weights, patterns, recalled spikes and F1 per step and pattern. */
export function perrinetArrays(r: Perrinet2026Result, set: SpikePatternSet): RunArray[] {
  const cfg = r.config;
  return [
    {
      name: 'W',
      array: hdSnnToArrays(r.model).W,
      description: 'weights [N post, N pre, D]: W[j, i, k] from neuron i at delay D − k (the authors’ lin.weight layout)',
    },
    { name: 'patterns', array: { data: set.data, shape: [set.M, set.N, set.T] }, description: 'target patterns [M, N, T] (0/1)' },
    {
      name: 'recall_events',
      array: eventsToRows(r.final.spikes, cfg.backgroundSteps, cfg.backgroundSteps),
      description: 'recalled spikes as (pattern, neuron, step of the pattern) rows; the cue occupies steps 0..D−1',
    },
    {
      name: 'f1_per_step',
      array: { data: r.f1PerStep, shape: [cfg.T - cfg.D] },
      description: 'F1 at each pattern step D..T−1 over patterns and neurons',
    },
    { name: 'f1_per_pattern', array: { data: Float64Array.from(r.final.perPattern.map((s) => s.f1)), shape: [cfg.M] } },
  ];
}

/** A trained delay network read back from its run.json config and metrics and its arrays (W, patterns). */
export function hdRunFromRecord(
  config: unknown,
  metrics: unknown,
  arrays: Record<string, NDArray<NumericArray>>,
  dir: string,
): { cfg: HdSnnConfig; model: HdSnnModel; set: SpikePatternSet } {
  const raw = config as { model?: unknown } | null;
  if (!raw || typeof raw !== 'object' || !('model' in raw)) throw new ConfigError(`${dir}/run.json: config has no 'model' field`);
  let cfg = parseHdSnnConfig(raw.model, undefined, `${dir}/run.json config.model`);
  // learnt neuron constants (train --learn-beta / --learn-threshold) are recorded in the metrics
  const neuron = (metrics as { neuron?: { beta?: unknown; threshold?: unknown } } | undefined)?.neuron;
  if (neuron && typeof neuron.beta === 'number' && typeof neuron.threshold === 'number')
    cfg = parseHdSnnConfig({ beta: neuron.beta, threshold: neuron.threshold }, cfg, `${dir}/run.json metrics.neuron`);
  const model = hdSnnFromArrays(cfg, arrays, `${dir}`);
  if (!arrays.patterns) throw new ConfigError(`${dir}: no 'patterns' array in run.json (the run is incomplete; train it again)`);
  const set = patternsFromArray(arrays.patterns, `${dir}/patterns.npy`, { N: cfg.N, T: cfg.T });
  return { cfg, model, set };
}

/** The scan table: one row per value (mean ± SD over seeds when there are several), with the paper's loss. */
export function scanTable(
  param: ScanParam,
  summary: ScanSummary[],
  points: ScanPoint[],
  seeds: number,
): { header: string[]; rows: (string | number)[][] } {
  const pm = (x: { mean: number; sd: number }) => (seeds > 1 ? `${f4(x.mean)} ± ${f4(x.sd)}` : f4(x.mean));
  const header = [param, 'seeds', 'precision', 'recall', 'F1', 'loss 1−F1', 'F1 after init', 'paper loss', 'seconds'];
  const rows = summary.map((p) => {
    const ref = paperLossAt(param, p.value);
    const secs = points.filter((q) => q.value === p.value).reduce((a, q) => a + q.seconds, 0);
    const paper = ref ? `${ref.bound ?? ''}${ref.loss}` : '';
    return [
      p.value,
      p.n,
      pm(p.precision),
      pm(p.recall),
      pm(p.f1),
      (1 - p.f1.mean).toExponential(2),
      pm(p.f1AfterInit),
      paper,
      secs.toFixed(1),
    ];
  });
  return { header, rows };
}

/** The robustness table beside the paper's values. */
export function robustnessTable(rows: RobustnessRow[]): { header: string[]; rows: (string | number)[][] } {
  const header = ['protocol', 'level', 'precision', 'recall', 'F1', 'paper F1'];
  const paper = (r: RobustnessRow) => (r.paperF1 == null ? '' : r.paperF1.toFixed(3));
  return { header, rows: rows.map((r) => [r.protocol, r.level, f4(r.precision), f4(r.recall), f4(r.f1), paper(r)]) };
}

/** The paper's F1 (1 − loss) at each value of a scanned parameter. */
export function scanPaperCurve(param: ScanParam): { value: number; f1: number }[] {
  return PERRINET2026_SCANS[param].map((r) => ({ value: r.value, f1: 1 - r.loss }));
}
