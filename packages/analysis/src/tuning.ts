/**
 * Tuning to a circular variable and behavioural deviations (Wimmer et al. 2014, Online Methods;
 * docs/models/attractors.md §Behavioural and neural analyses).
 *
 *   tuning curve      r̄_k = mean rate over trials with cue k
 *   preferred angle   arg Σ_k r̄_k e^{iθ_k}
 *   tuning strength   T = |Σ_k r̄_k e^{iθ_k}| / Σ_k r̄_k        (0 untuned, 1 one cue only)
 *   deviation         response − circular mean of the responses to the same cue, in (−π, π];
 *                     negative = clockwise (CW), positive = counter-clockwise (CCW)
 *
 * @example
 * ```ts
 * const tc = tuningCurve(rates, cues, 8);      // per-cue mean rates
 * preferredAngle(tc, cueAngles); tuningStrength(tc, cueAngles);
 * ```
 */

import { ShapeError } from '@wmkit/tensor';
import { angleDifference, circularMean } from './circular';

/** Mean of `values` per cue (NaN for cues without trials). */
export function tuningCurve(values: ArrayLike<number>, cues: ArrayLike<number>, nCues: number): Float64Array {
  if (values.length !== cues.length) throw new ShapeError(`tuningCurve: ${values.length} values but ${cues.length} cues`);
  const sum = new Float64Array(nCues);
  const n = new Float64Array(nCues);
  for (let t = 0; t < values.length; t++) {
    const c = cues[t];
    if (!(c >= 0 && c < nCues)) throw new ShapeError(`tuningCurve: cue ${c} of trial ${t} is outside 0..${nCues - 1}`);
    sum[c] += values[t];
    n[c] += 1;
  }
  return sum.map((s, c) => (n[c] ? s / n[c] : Number.NaN));
}

/** Preferred angle arg Σ r̄_k e^{iθ_k} (NaN when the curve is flat zero). */
export function preferredAngle(curve: ArrayLike<number>, cueAngles: ArrayLike<number>): number {
  const w = Array.from(curve, (v) => (Number.isFinite(v) ? Math.max(0, v) : 0));
  return circularMean(cueAngles, w);
}

/** Tuning strength T = |Σ r̄_k e^{iθ_k}| / Σ r̄_k. */
export function tuningStrength(curve: ArrayLike<number>, cueAngles: ArrayLike<number>): number {
  let x = 0;
  let y = 0;
  let s = 0;
  for (let k = 0; k < curve.length; k++) {
    const r = Number.isFinite(curve[k]) ? Math.max(0, curve[k]) : 0;
    x += r * Math.cos(cueAngles[k]);
    y += r * Math.sin(cueAngles[k]);
    s += r;
  }
  return s > 0 ? Math.hypot(x, y) / s : Number.NaN;
}

/** Signed deviation of each response from the mean response to its cue (rad; CW < 0). */
export function behavioralDeviation(responses: ArrayLike<number>, cues: ArrayLike<number>, nCues: number): Float64Array {
  if (responses.length !== cues.length) throw new ShapeError(`behavioralDeviation: ${responses.length} responses but ${cues.length} cues`);
  const means = new Float64Array(nCues);
  for (let c = 0; c < nCues; c++) {
    const rs: number[] = [];
    for (let t = 0; t < cues.length; t++) if (cues[t] === c && Number.isFinite(responses[t])) rs.push(responses[t]);
    means[c] = rs.length ? circularMean(rs) : Number.NaN;
  }
  return Float64Array.from(responses, (r, t) => (Number.isFinite(r) ? angleDifference(r, means[cues[t]]) : Number.NaN));
}

/** Number of cue positions between cue k and the preferred angle (0 = preferred cue, signed: + if the preferred angle is CCW of the cue). */
export function cueOffsetFromPreferred(cue: number, preferred: number, cueAngles: ArrayLike<number>): number {
  const step = (2 * Math.PI) / cueAngles.length;
  return Math.round(angleDifference(preferred, cueAngles[cue]) / step);
}
