/**
 * Cued recall and its scores (docs/models/delay-snn.md §Patterns and cueing, §Loss and training). Each pattern's input is
 * `backgroundSteps` of Bernoulli(p) noise, the first `cueSteps` steps of the target, then
 * nothing; the network runs `backgroundSteps + T` steps (the authors run a further
 * `backgroundSteps` after the pattern that never enter the score, so they are skipped here)
 * and its own spikes on steps [backgroundSteps + D, backgroundSteps + T) are scored against
 * target steps [D, T).
 *
 * Robustness protocols (the paper's §Results and the authors' notebooks 14–16):
 * - `flip`: the authors' balanced bit flipping on the whole input (background and cue): each
 *   entry is replaced with probability `flip` by a Bernoulli draw at the input's mean rate;
 * - `cueFraction`: only the first ⌊fraction·D⌋ steps of the cue are given;
 * - `silence`: neurons that never spike and whose cue spikes are removed; they are left out
 *   of the score (their target spikes cannot be recalled by construction).
 */
import { cueInput, cueInputEvents, flipBits, type SpikePatternSet } from '@wmkit/tasks';
import { Rng, ShapeError } from '@wmkit/tensor';
import { cueStepsOf, type HdSnnConfig } from './config';
import type { AnyHdSnnEngine } from './engine-tfjs';
import { denseToEvents, type SpikeEvents, shiftedTargetEvents } from './events';
import { addCounts, type Counts, countMatches, type Scores, scoresFromCounts } from './metrics';

/** Perturbations of cued recall: flipped cue bits, truncated cue, silenced neurons. */
export interface RecallProtocol {
  /** Fraction of input entries redrawn (balanced flips). */
  flip?: number;
  /** Fraction of the D cue steps given (1 = all). */
  cueFraction?: number;
  /** Neurons silenced (never spike; cue spikes removed; left out of the score). */
  silence?: Uint8Array | null;
}

/** Steps simulated per pattern. */
export function recallSteps(cfg: HdSnnConfig): number {
  return cfg.backgroundSteps + cfg.T;
}

/** Input spikes of every pattern for one recall (fresh background noise from `rng`). */
export function recallInput(
  set: SpikePatternSet,
  cfg: HdSnnConfig,
  rng: Rng,
  protocol: RecallProtocol = {},
): { data: Uint8Array; steps: number } {
  const fraction = protocol.cueFraction ?? 1;
  if (!(fraction >= 0 && fraction <= 1)) throw new ShapeError(`cueFraction (${fraction}) must lie in [0, 1]`);
  const cueSteps = Math.floor(cueStepsOf(cfg) * fraction + 1e-9);
  const inp = cueInput(set, { backgroundSteps: cfg.backgroundSteps, cueSteps, p: cfg.p, rng: rng.fork('background') });
  let data = inp.data;
  if (protocol.flip) data = flipBits(data, protocol.flip, rng.fork('flip'));
  if (protocol.silence) {
    const { M, N } = set;
    for (let m = 0; m < M; m++)
      for (let i = 0; i < N; i++) if (protocol.silence[i]) data.fill(0, (m * N + i) * inp.steps, (m * N + i + 1) * inp.steps);
  }
  return { data, steps: inp.steps };
}

/**
 * The input spikes of every pattern for one recall as event lists: `recallInput` turned into
 * events pattern by pattern, the same spikes and draws; without flips or silenced neurons they
 * are made directly (no dense raster).
 */
export function recallInputEvents(set: SpikePatternSet, cfg: HdSnnConfig, rng: Rng, protocol: RecallProtocol = {}): SpikeEvents[] {
  if (!protocol.flip && !protocol.silence) {
    const fraction = protocol.cueFraction ?? 1;
    if (!(fraction >= 0 && fraction <= 1)) throw new ShapeError(`cueFraction (${fraction}) must lie in [0, 1]`);
    const cueSteps = Math.floor(cueStepsOf(cfg) * fraction + 1e-9);
    return cueInputEvents(set, { backgroundSteps: cfg.backgroundSteps, cueSteps, p: cfg.p, rng: rng.fork('background') });
  }
  const input = recallInput(set, cfg, rng, protocol);
  return Array.from({ length: set.M }, (_, m) => denseToEvents(input.data, set.N, input.steps, m));
}

/** The scored step range and the targets aligned on network steps. */
export function scoring(cfg: HdSnnConfig): { scoreFrom: number; scoreTo: number } {
  return { scoreFrom: cfg.backgroundSteps + cfg.D, scoreTo: cfg.backgroundSteps + cfg.T };
}

/** The target patterns as spike events, plainly and aligned to the network's steps after the cue. */
export function targetEvents(set: SpikePatternSet, cfg: HdSnnConfig): { plain: SpikeEvents[]; aligned: SpikeEvents[] } {
  const plain = Array.from({ length: set.M }, (_, m) => denseToEvents(set.data, set.N, set.T, m));
  const steps = recallSteps(cfg);
  const aligned = plain.map((ev) => shiftedTargetEvents(ev, cfg.backgroundSteps, cfg.D, cfg.T, steps));
  return { plain, aligned };
}

/** Spikes of the recall per pattern, global and per-pattern scores, and F1 over time after the cue. */
export interface RecallResult {
  /** Own spikes per pattern, on network steps. */
  spikes: SpikeEvents[];
  /** Global scores over patterns, neurons and scored steps. */
  scores: Scores;
  /** Scores of each pattern. */
  perPattern: Scores[];
  /** Counts per step after the cue (index k ↔ target step D + k), summed over patterns. */
  perStep: { TP: Float64Array; FP: Float64Array; FN: Float64Array };
  steps: number;
}

/**
 * Runs cued recall of every pattern with the engine's current weights (no dropout) and
 * scores it.
 */
export function recall(
  engine: AnyHdSnnEngine,
  set: SpikePatternSet,
  cfg: HdSnnConfig,
  rng: Rng,
  protocol: RecallProtocol = {},
): RecallResult {
  const inputs = recallInputEvents(set, cfg, rng, protocol);
  const { plain } = targetEvents(set, cfg);
  const n = cfg.T - cfg.D;
  const perStep = { TP: new Float64Array(n), FP: new Float64Array(n), FN: new Float64Array(n) };
  const spikes: SpikeEvents[] = [];
  const perPattern: Scores[] = [];
  let total: Counts = { TP: 0, FP: 0, FN: 0 };
  // the patterns in batches of what the engine holds (different patterns on different kernel threads)
  const batch = engine.batchSize;
  for (let m0 = 0; m0 < set.M; m0 += batch) {
    const owns = engine.forwardBatch(inputs.slice(m0, m0 + batch), {
      beta: cfg.beta,
      threshold: cfg.threshold,
      reset: cfg.reset,
      tStart: cfg.D,
      silence: protocol.silence ?? null,
    });
    owns.forEach((own, i) => {
      spikes.push(own);
      const c = countMatches(
        own,
        cfg.backgroundSteps + cfg.D,
        plain[m0 + i] as SpikeEvents,
        cfg.D,
        n,
        perStep,
        protocol.silence ?? undefined,
        set.N,
      );
      perPattern.push(scoresFromCounts(c));
      total = addCounts(total, c);
    });
  }
  return { spikes, scores: scoresFromCounts(total), perPattern, perStep, steps: recallSteps(cfg) };
}

/** F1 at each step after the cue (NaN-free: steps with no target and no prediction score 1). */
export function f1PerStep(r: RecallResult): Float64Array {
  const n = r.perStep.TP.length;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const TP = r.perStep.TP[k] as number;
    const FP = r.perStep.FP[k] as number;
    const FN = r.perStep.FN[k] as number;
    out[k] = TP + FP + FN === 0 ? 1 : (2 * TP) / (2 * TP + FP + FN);
  }
  return out;
}

/** A seeded choice of `count` neurons out of N to silence. */
export function silencedNeurons(N: number, count: number, seed: number | string): Uint8Array {
  if (!(Number.isInteger(count) && count >= 0 && count <= N))
    throw new ShapeError(`silenced neurons (${count}) must be an integer in [0, ${N}]`);
  const perm = new Rng(seed).fork('silence').permutation(N);
  const out = new Uint8Array(N);
  for (let q = 0; q < count; q++) out[perm[q] as number] = 1;
  return out;
}
