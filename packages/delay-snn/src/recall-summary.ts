/** Views of a recall result for figures: target-vs-recall rasters and F1 along the pattern. */
import type { SpikePatternSet } from '@wmkit/tasks';
import type { HdSnnConfig } from './config';
import type { RecallResult } from './recall';

/** Raster figure data for pattern m: target spikes and recalled spikes on pattern steps. */
export function rasterData(set: SpikePatternSet, res: RecallResult, cfg: HdSnnConfig, m = 0) {
  const { N, T } = set;
  const target: { neuron: number; step: number }[] = [];
  const isTarget = new Set<number>();
  for (let i = 0; i < N; i++) {
    for (let t = 0; t < T; t++) {
      if (set.data[(m * N + i) * T + t]) {
        target.push({ neuron: i, step: t });
        isTarget.add(i * T + t);
      }
    }
  }
  const ev = res.spikes[m];
  const recall: { neuron: number; step: number; hit: boolean }[] = [];
  if (ev) {
    for (let tau = cfg.backgroundSteps; tau < ev.steps; tau++) {
      const t = tau - cfg.backgroundSteps;
      for (let q = ev.off[tau] as number; q < (ev.off[tau + 1] as number); q++) {
        const i = ev.idx[q] as number;
        recall.push({ neuron: i, step: t, hit: isTarget.has(i * T + t) });
      }
    }
  }
  return { target, recall };
}

/** F1 over time after the cue, in bins of `bin` steps. */
export function f1Bins(res: RecallResult, cfg: HdSnnConfig, bin = 10): { step: number; f1: number }[] {
  const n = res.perStep.TP.length;
  const out: { step: number; f1: number }[] = [];
  for (let a = 0; a < n; a += bin) {
    let TP = 0;
    let FP = 0;
    let FN = 0;
    for (let k = a; k < Math.min(n, a + bin); k++) {
      TP += res.perStep.TP[k] as number;
      FP += res.perStep.FP[k] as number;
      FN += res.perStep.FN[k] as number;
    }
    out.push({ step: cfg.D + a + Math.min(bin, n - a) / 2, f1: TP + FP + FN === 0 ? 1 : (2 * TP) / (2 * TP + FP + FN) });
  }
  return out;
}
