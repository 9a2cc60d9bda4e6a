/**
 * The trial of the Compte et al. 2000 network, as named periods in ms and in steps:
 * pre-cue baseline → cue at θ_c → delay (with an optional distractor at θ_d inside it) →
 * optional erase (a uniform current to every E cell). Spike counts are binned with an edge on
 * the cue offset, so the delay holds whole bins.
 */
import type { CompteConfig } from './config';
import { stimulusProfile } from './network';

/** A named period of the trial (pre-cue, cue, delay, erase), from `startMs` to `endMs`. */
export interface ComptePeriod {
  name: 'preCue' | 'cue' | 'delay' | 'erase';
  startMs: number;
  endMs: number;
}

/** A stimulus switched on from `start` to `end` (steps), adding `current` (pA per E cell). */
export interface CompteStimulusEvent {
  name: 'cue' | 'distractor' | 'erase';
  start: number;
  end: number;
  current: Float64Array;
}

/** The trial of a Compte config: duration, periods, stimulus events and decoding bins. */
export interface CompteProtocol {
  dtMs: number;
  steps: number;
  durationMs: number;
  periods: ComptePeriod[];
  events: CompteStimulusEvent[];
  cueOffMs: number;
  delayEndMs: number;
  /** Bin edges (ms): nBins + 1 values, one on the cue offset. */
  binEdgesMs: Float64Array;
  nBins: number;
  /** Index of the last bin that ends by the end of the delay (the end-of-delay read-out). */
  endOfDelayBin: number;
}

const toStep = (ms: number, dt: number) => Math.round(ms / dt);

/** The trial of config `c`: its periods (ms), stimulus events (steps) and decoding bins. */
export function compteProtocol(c: CompteConfig): CompteProtocol {
  const p = c.protocol;
  const dt = c.dtMs;
  const cueOn = p.preCueMs;
  const cueOff = cueOn + p.cueMs;
  const delayEnd = cueOff + p.delayMs;
  const end = delayEnd + (p.erase ? p.erase.durationMs : 0);
  const periods: ComptePeriod[] = [
    { name: 'preCue', startMs: 0, endMs: cueOn },
    { name: 'cue', startMs: cueOn, endMs: cueOff },
    { name: 'delay', startMs: cueOff, endMs: delayEnd },
  ];
  const events: CompteStimulusEvent[] = [];
  if (p.cueMs > 0)
    events.push({
      name: 'cue',
      start: toStep(cueOn, dt),
      end: toStep(cueOff, dt),
      current: stimulusProfile(c, p.cueAngleDeg, p.cue.ampNa),
    });
  const d = p.distractor;
  if (d && d.durationMs > 0) {
    events.push({
      name: 'distractor',
      start: toStep(cueOff + d.onsetMs, dt),
      end: toStep(cueOff + d.onsetMs + d.durationMs, dt),
      current: stimulusProfile(c, d.angleDeg, d.ampNa),
    });
  }
  if (p.erase && p.erase.durationMs > 0) {
    periods.push({ name: 'erase', startMs: delayEnd, endMs: end });
    events.push({
      name: 'erase',
      start: toStep(delayEnd, dt),
      end: toStep(end, dt),
      current: new Float64Array(c.NE).fill(1000 * p.erase.ampNa),
    });
  }
  const bin = c.binMs;
  const first = cueOff - Math.floor(cueOff / bin + 1e-9) * bin;
  const edges: number[] = [];
  for (let t = first; t <= end + 1e-9; t += bin) edges.push(t);
  const nBins = Math.max(0, edges.length - 1);
  let endOfDelayBin = -1;
  for (let b = 0; b < nBins; b++) if (edges[b + 1] <= delayEnd + 1e-9) endOfDelayBin = b;
  return {
    dtMs: dt,
    steps: toStep(end, dt),
    durationMs: end,
    periods,
    events,
    cueOffMs: cueOff,
    delayEndMs: delayEnd,
    binEdgesMs: Float64Array.from(edges),
    nBins,
    endOfDelayBin,
  };
}
