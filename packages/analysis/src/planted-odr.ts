/**
 * A synthetic oculomotor delayed-response data set with known ingredients, for testing the
 * Wimmer et al. 2014 analyses: sessions of `perSession` units whose preferred angles come in
 * same-tuned pairs two cue positions apart, von Mises delay tuning, Poisson counts in 50-ms bins,
 * 4-s trials with the cue at 500–1000 ms and the delay at 1000–4000 ms.
 *
 * With `drift` the remembered angle moves linearly from the cue (delay start) to the response
 * (delay end), as a diffusing bump does; without it the activity holds the cue and the response
 * deviation is independent of it (no behavioural signal in the activity). `rampUnits` units per
 * session (the first ones) scale their rate from 0.6× to 1.4× through the delay; `gainSpread`
 * gives the units of a session different gains (higher gain: higher rate and stronger tuning,
 * over the fixed 3-Hz baseline).
 */
import { Rng } from '@wmkit/tensor';
import type { OdrDataset } from './spatial-wm';

/** Options of `plantedOdrDataset`. */
export interface PlantedOdrOptions {
  sessions?: number;
  perSession?: number;
  trialsPerCue?: number;
  /** The activity follows the behavioural deviation through the delay (default true). */
  drift?: boolean;
  /** SD of the behavioural deviation (rad; default 0.25). */
  deviationSd?: number;
  /** Ramping-up units per session (default 0). */
  rampUnits?: number;
  /** Spread of the units' gains: unit u of a session has gain 1 + spread·(2u/(U − 1) − 1) (default 0). */
  gainSpread?: number;
  seed?: number;
}

/** Layout of the planted data: 8 cues, 50-ms bins, delay 1000–4000 ms of 4000-ms trials. */
export const PLANTED_ODR = { nCues: 8, binMs: 50, bins: 80, delayStartMs: 1000, delayEndMs: 4000 } as const;

/** Builds the planted data set (deterministic for a seed). */
export function plantedOdrDataset(o: PlantedOdrOptions = {}): OdrDataset {
  const S = o.sessions ?? 8;
  const U = o.perSession ?? 8;
  const K = o.trialsPerCue ?? 20;
  const drift = o.drift ?? true;
  const sdDev = o.deviationSd ?? 0.25;
  const ramp = o.rampUnits ?? 0;
  const spread = o.gainSpread ?? 0;
  const { nCues: nC, binMs, bins: B, delayStartMs: ds, delayEndMs: de } = PLANTED_ODR;
  const rng = new Rng(o.seed ?? 1);
  const step = (2 * Math.PI) / nC;
  const sessions = Array.from({ length: S }, (_, s) => {
    const r = rng.fork(`session${s}`);
    // pairs with one preferred cue, the next pair two cue positions further; sessions rotate by one cue
    const prefs = Array.from({ length: U }, (_, u) => (2 * Math.floor(u / 2) + s) * step + 0.05 * (r.random() - 0.5));
    const T = nC * K;
    const cue = new Int32Array(T);
    const response = new Float64Array(T);
    const counts = new Float32Array(T * U * B);
    for (let t = 0; t < T; t++) {
      const c = t % nC;
      cue[t] = c;
      const dev = sdDev * r.normal1();
      response[t] = c * step + dev;
      for (let b = 0; b < B; b++) {
        const tms = (b + 0.5) * binMs;
        const frac = drift ? Math.min(1, Math.max(0, (tms - ds) / (de - ds))) : 0;
        const m = c * step + dev * frac;
        for (let u = 0; u < U; u++) {
          const unitGain = 1 + (U > 1 ? spread * ((2 * u) / (U - 1) - 1) : 0);
          const gain = unitGain * (u < ramp && tms >= ds ? 0.6 + (0.8 * (tms - ds)) / (de - ds) : 1);
          const rate = tms < 500 ? 3 : 3 + 25 * gain * Math.exp(2 * (Math.cos(m - prefs[u]) - 1));
          counts[(t * U + u) * B + b] = r.poisson1((rate * binMs) / 1000);
        }
      }
    }
    return { cue, response, counts: { data: counts, shape: [T, U, B] } };
  });
  return { sessions, cueAngles: Array.from({ length: nC }, (_, c) => c * step), binMs };
}
