/**
 * The experiments of Compte et al. 2000 on the spiking ring, as typed functions over
 * `simulateCompte` results: the summary of a set of trials (baseline and bump rates, bump width,
 * drift, end-of-delay errors), merging trial ranges simulated separately (workers), and the
 * distractor grid (strength × distance from the cue) with each condition's outcome.
 */

import { ShapeError } from '@wmkit/tensor';
import type { CompteConfig } from './config';
import {
  type BumpProfile,
  bumpProfile,
  type CompteDrift,
  compteDrift,
  compteWindowRates,
  type DistractorOutcome,
  distractorShift,
  endErrorsDeg,
  trialsHoldingBump,
} from './observables';
import type { CompteSimulation } from './simulate';

/** Summary of a set of trials: baseline and delay rates, bump profile, end-of-delay errors and drift. */
export interface CompteSummary {
  trials: number;
  /** Mean population rates over [0.5, 1) s (Hz; the pre-cue baseline). */
  baselineHz: { E: number; I: number };
  /** Mean population rates from 200 ms after the cue offset to the end of the delay (Hz). */
  delayHz: { E: number; I: number };
  bump: BumpProfile;
  /** Per trial: aligned peak − floor > 10 Hz. */
  holdsBump: boolean[];
  /** θ̂_end − θ_cue per trial (degrees). */
  endErrorDeg: Float64Array;
  drift: CompteDrift | null;
}

/** Summary of the trials of `sim` (NaN baseline without a pre-cue period, NaN delay rates for a delay of 200 ms or less). */
export function summarizeCompte(sim: CompteSimulation): CompteSummary {
  const pr = sim.protocol;
  const baseFrom = Math.min(500, pr.periods[0].endMs / 2);
  const baselineHz = pr.periods[0].endMs > 0 ? compteWindowRates(sim, baseFrom, pr.periods[0].endMs) : { E: Number.NaN, I: Number.NaN };
  const delayHz =
    pr.delayEndMs - pr.cueOffMs > 200 ? compteWindowRates(sim, pr.cueOffMs + 200, pr.delayEndMs) : { E: Number.NaN, I: Number.NaN };
  return {
    trials: sim.trials,
    baselineHz,
    delayHz,
    bump: bumpProfile(sim),
    holdsBump: trialsHoldingBump(sim),
    endErrorDeg: endErrorsDeg(sim),
    drift: compteDrift(sim),
  };
}

function cat<T extends Float32Array | Float64Array>(parts: T[], make: (n: number) => T): T {
  const out = make(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Joins simulations of consecutive trial ranges of one config (in the given order). */
export function concatCompteSimulations(parts: CompteSimulation[]): CompteSimulation {
  if (parts.length === 0) throw new ShapeError('concatCompteSimulations: no simulations');
  if (parts.length === 1) return parts[0];
  const [a] = parts;
  const B = parts.reduce((s, p) => s + p.trials, 0);
  const f32 = (n: number) => new Float32Array(n);
  const f64 = (n: number) => new Float64Array(n);
  return {
    ...a,
    trials: B,
    countsE: {
      data: cat(
        parts.map((p) => p.countsE.data),
        f32,
      ),
      shape: [B, ...a.countsE.shape.slice(1)],
    },
    countsI: {
      data: cat(
        parts.map((p) => p.countsI.data),
        f32,
      ),
      shape: [B, ...a.countsI.shape.slice(1)],
    },
    popRateE: {
      data: cat(
        parts.map((p) => p.popRateE.data),
        f32,
      ),
      shape: [B, a.popRateE.shape[1]],
    },
    popRateI: {
      data: cat(
        parts.map((p) => p.popRateI.data),
        f32,
      ),
      shape: [B, a.popRateI.shape[1]],
    },
    decodedDeg: {
      data: cat(
        parts.map((p) => p.decodedDeg.data),
        f64,
      ),
      shape: [B, a.decodedDeg.shape[1]],
    },
    endAngleDeg: cat(
      parts.map((p) => p.endAngleDeg),
      f64,
    ),
    rasters: parts.flatMap((p) => p.rasters),
  };
}

/** One condition of the distractor grid: amplitude (nA), distance from the cue (degrees) and its config. */
export interface DistractorCondition {
  ampNa: number;
  distanceDeg: number;
  config: CompteConfig;
}

/**
 * The distractor grid: for each amplitude (nA) and distance from the cue (degrees, clockwise
 * positive), the config with a cue-shaped distractor at θ_c + distance, `onsetMs` into the delay
 * for `durationMs` (defaults: 1 s into the delay, the cue's duration).
 */
export function distractorConditions(
  base: CompteConfig,
  ampsNa: number[],
  distancesDeg: number[],
  timing: { onsetMs?: number; durationMs?: number } = {},
): DistractorCondition[] {
  const out: DistractorCondition[] = [];
  for (const ampNa of ampsNa)
    for (const distanceDeg of distancesDeg) {
      const angleDeg = (((base.protocol.cueAngleDeg + distanceDeg) % 360) + 360) % 360;
      const distractor = {
        angleDeg,
        ampNa,
        onsetMs: timing.onsetMs ?? Math.min(1000, base.protocol.delayMs / 2),
        durationMs: timing.durationMs ?? base.protocol.cueMs,
      };
      out.push({ ampNa, distanceDeg, config: { ...base, protocol: { ...base.protocol, distractor } } });
    }
  return out;
}

/** Outcome of a distractor condition: per-trial shifts and the fractions of each outcome. */
export interface DistractorResult {
  ampNa: number;
  distanceDeg: number;
  trials: number;
  /** Memory shift towards the distractor per trial (degrees) and as a fraction of the distance. */
  shiftDeg: number[];
  fraction: number[];
  outcome: DistractorOutcome[];
  /** Fractions of trials that resisted, shifted part-way, or were captured. */
  resist: number;
  partial: number;
  capture: number;
  lost: number;
  meanFraction: number;
}

/** Scores a distractor condition's simulation. */
export function scoreDistractor(cond: DistractorCondition, sim: CompteSimulation): DistractorResult {
  const d = cond.config.protocol.distractor;
  if (!d) throw new ShapeError('scoreDistractor: the condition has no distractor');
  const rows = Array.from(sim.endAngleDeg, (a) => distractorShift(a, cond.config.protocol.cueAngleDeg, d.angleDeg));
  const frac = (k: DistractorOutcome) => rows.filter((r) => r.outcome === k).length / rows.length;
  return {
    ampNa: cond.ampNa,
    distanceDeg: cond.distanceDeg,
    trials: rows.length,
    shiftDeg: rows.map((r) => r.shiftDeg),
    fraction: rows.map((r) => r.fraction),
    outcome: rows.map((r) => r.outcome),
    resist: frac('resist'),
    partial: frac('partial'),
    capture: frac('capture'),
    lost: frac('lost'),
    meanFraction: rows.reduce((s, r) => s + (Number.isFinite(r.fraction) ? r.fraction : 0), 0) / rows.length,
  };
}
