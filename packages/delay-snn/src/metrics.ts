/**
 * Recall scores and the global F1 loss (docs/models/delay-snn.md §Loss and training):
 *   TP = Σ pred·target, FP = Σ pred·(1 − target), FN = Σ (1 − pred)·target
 * summed over patterns, neurons and the scored steps; precision = TP/(TP + FP + ε),
 * recall = TP/(TP + FN + ε), F1 = 2PR/(P + R + ε), loss = 1 − F1, ε = 1e-12 (the authors'
 * `get_scores`). Counting works on event lists, so it costs O(spikes).
 */
import type { SpikeEvents } from './events';

/** ε added to the denominators of precision, recall and F1 (the authors' 1e-12). */
export const F1_EPSILON = 1e-12;

/** True positives, false positives and false negatives of recalled spikes. */
export interface Counts {
  TP: number;
  FP: number;
  FN: number;
}

/** Counts with precision, recall and F1. */
export interface Scores extends Counts {
  precision: number;
  recall: number;
  f1: number;
}

/** Precision TP/(TP+FP), recall TP/(TP+FN) and F1 from counts, each denominator + ε. */
export function scoresFromCounts(c: Counts, eps = F1_EPSILON): Scores {
  const precision = c.TP / (c.TP + c.FP + eps);
  const recall = c.TP / (c.TP + c.FN + eps);
  const f1 = (2 * precision * recall) / (precision + recall + eps);
  return { ...c, precision, recall, f1 };
}

/** Sum of two sets of counts. */
export function addCounts(a: Counts, b: Counts): Counts {
  return { TP: a.TP + b.TP, FP: a.FP + b.FP, FN: a.FN + b.FN };
}

/**
 * Counts of predicted spikes (network steps [from, from + n)) against target spikes (target
 * steps [targetFrom, targetFrom + n)); per-step counts are added into `perStep` if given.
 * `exclude` marks neurons left out of the score (e.g. silenced ones).
 */
export function countMatches(
  pred: SpikeEvents,
  from: number,
  target: SpikeEvents,
  targetFrom: number,
  n: number,
  perStep?: { TP: Float64Array; FP: Float64Array; FN: Float64Array },
  exclude?: Uint8Array,
  N = 0,
): Counts {
  const mark = new Int32Array(Math.max(N, maxIndex(pred) + 1, maxIndex(target) + 1)).fill(-1);
  let TP = 0;
  let FP = 0;
  let FN = 0;
  for (let k = 0; k < n; k++) {
    const tt = targetFrom + k;
    const tp = from + k;
    let tpK = 0;
    let nt = 0;
    let np = 0;
    for (let q = target.off[tt]; q < target.off[tt + 1]; q++) {
      const i = target.idx[q];
      if (exclude?.[i]) continue;
      mark[i] = k;
      nt++;
    }
    for (let q = pred.off[tp]; q < pred.off[tp + 1]; q++) {
      const i = pred.idx[q];
      if (exclude?.[i]) continue;
      np++;
      if (mark[i] === k) tpK++;
    }
    TP += tpK;
    FP += np - tpK;
    FN += nt - tpK;
    if (perStep) {
      perStep.TP[k] += tpK;
      perStep.FP[k] += np - tpK;
      perStep.FN[k] += nt - tpK;
    }
  }
  return { TP, FP, FN };
}

function maxIndex(ev: SpikeEvents): number {
  let m = -1;
  for (let q = 0; q < ev.idx.length; q++) if (ev.idx[q] > m) m = ev.idx[q];
  return m;
}

/**
 * Loss 1 − F1 and its gradient with respect to one predicted spike: `gPos` where the target
 * is 1, `gNeg` where it is 0 (every prediction enters TP, FP or FN linearly).
 */
export function f1LossGradient(c: Counts, eps = F1_EPSILON): { loss: number; gPos: number; gNeg: number } {
  const { TP, FP, FN } = c;
  const sP = TP + FP + eps;
  const sR = TP + FN + eps;
  const P = TP / sP;
  const R = TP / sR;
  const sF = P + R + eps;
  const F1 = (2 * P * R) / sF;
  const dF_dP = (2 * R * (R + eps)) / (sF * sF);
  const dF_dR = (2 * P * (P + eps)) / (sF * sF);
  const dP_dTP = (FP + eps) / (sP * sP);
  const dP_dFP = -TP / (sP * sP);
  const dR_dTP = (FN + eps) / (sR * sR);
  const dR_dFN = -TP / (sR * sR);
  // target 1: pred enters TP (+1) and FN (−1); target 0: pred enters FP (+1)
  const dF_pos = dF_dP * dP_dTP + dF_dR * (dR_dTP - dR_dFN);
  const dF_neg = dF_dP * dP_dFP;
  return { loss: 1 - F1, gPos: -dF_pos, gNeg: -dF_neg };
}
