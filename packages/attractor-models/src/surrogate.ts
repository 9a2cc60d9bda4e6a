/**
 * Surrogate "recordings" from a simulated ring network, matching the sample sizes of Wimmer et
 * al. 2014 (204 neurons), so that the same analysis code runs on model output and on monkey
 * data (@wmkit/analysis `OdrDataset`).
 *
 * The simulated trials are split into sessions; in each session a few E units (2 by default:
 * simultaneously recorded pairs) are "recorded": their rates, binned at `binMs`, become Poisson
 * spike counts (rate in Hz = baselineHz + rateScaleHz·r_E). 204 neurons in pairs → 102 sessions;
 * 16,000 trials → 156 trials per session (about 20 per cue).
 *
 * The models' rates r_E are in arbitrary units (the bump model's delay average is ≈ 1.7, its peak
 * ≈ 6.5). Read as Hz they would give spike counts of < 1 per 100-ms window, whose Poisson noise
 * swamps every trial-to-trial effect (Fano factors of exactly 1.00). By default the scale is
 * therefore calibrated so that the recorded units' mean delay rate equals the monkeys'
 * population mean, 9 Hz (Wimmer et al. 2014, Fig. 1e: mean 9 Hz, s.d. 9.2 Hz, n = 204);
 * `meanRateHz: null` uses `rateScaleHz` as given.
 *
 * @example
 * ```ts
 * const plan = planSurrogate(16000, { neurons: 204 }, 512, rng.fork('plan'));
 * const sim = simulateRing(model, { trials: 16000, delayMs: 2000, recordUnits: plan.recordUnits }, rng);
 * const data = surrogateDataset(sim, plan, rng.fork('spikes'));
 * ```
 */
import type { OdrDataset } from '@wmkit/analysis';
import type { Rng } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';
import type { RingSimulation } from './ring';

/** How surrogate recordings are drawn from a simulation: neurons in all, neurons per session, bin width, and the rate scale (Hz). */
export interface SurrogateConfig {
  /** Recorded neurons in all (the monkeys: 204). */
  neurons: number;
  /** Neurons recorded simultaneously in each session. */
  perSession: number;
  /** Spike-count bin (ms); must equal the simulation's record resolution. */
  binMs: number;
  /** Hz per unit of r_E (used as given when `meanRateHz` is null). */
  rateScaleHz: number;
  baselineHz: number;
  /**
   * Calibrate `rateScaleHz` so that the recorded units' mean rate over the delay is this many Hz
   * (after the baseline); null: no calibration.
   */
  meanRateHz: number | null;
}

/** The monkeys' data set as Wimmer et al. 2014 describe it: 204 neurons recorded in pairs, 9 Hz mean delay rate; 50-ms bins. */
export const WIMMER2014_SURROGATE: SurrogateConfig = {
  neurons: 204,
  perSession: 2,
  binMs: 50,
  rateScaleHz: 1,
  baselineHz: 0,
  meanRateHz: 9,
};

/** A surrogate data set with the rate scale that made its spike counts. */
export interface SurrogateDataset extends OdrDataset {
  /** Hz per unit of r_E used for the Poisson counts. */
  rateScaleHz: number;
  /** Mean rate (Hz) of the recorded units over the delay period. */
  meanDelayRateHz: number;
}

/** Trials assigned to sessions and each session's recorded units, decided before the simulation. */
export interface SurrogatePlan {
  config: SurrogateConfig;
  sessions: number;
  trialsPerSession: number;
  /** Recorded units of every simulated trial, [trials × perSession] (the session's units). */
  recordUnits: { units: Int32Array; perTrial: number };
}

/** Assigns trials to sessions and picks each session's units (uniformly on the ring). */
export function planSurrogate(trials: number, overrides: Partial<SurrogateConfig>, N: number, rng: Rng): SurrogatePlan {
  const config = { ...WIMMER2014_SURROGATE, ...overrides };
  if (!Number.isInteger(config.perSession) || config.perSession < 1 || config.perSession > N) {
    throw new ShapeError(`surrogate: perSession (${config.perSession}) must be an integer in 1..${N}`);
  }
  const sessions = Math.ceil(config.neurons / config.perSession);
  const trialsPerSession = Math.floor(trials / sessions);
  if (trialsPerSession < 16)
    throw new ShapeError(
      `surrogate: ${trials} trials give only ${trialsPerSession} trials per session for ${sessions} sessions (need ≥ 16 per session: ≥ ${16 * sessions} trials)`,
    );
  const units = new Int32Array(trials * config.perSession);
  for (let s = 0; s < sessions; s++) {
    const pick = rng.fork(`session${s}`).permutation(N).subarray(0, config.perSession);
    for (let t = s * trialsPerSession; t < (s + 1) * trialsPerSession; t++) units.set(pick, t * config.perSession);
  }
  // trials beyond the last full session record the first session's units (unused by the dataset)
  for (let t = sessions * trialsPerSession; t < trials; t++) units.set(units.subarray(0, config.perSession), t * config.perSession);
  return { config, sessions, trialsPerSession, recordUnits: { units, perTrial: config.perSession } };
}

/** Mean r_E of the planned sessions' recorded units over the delay period's record bins. */
function meanDelayRate(sim: RingSimulation, plan: SurrogatePlan): number {
  const rates = sim.unitRates!;
  const [, U, nRec] = rates.shape;
  const binMs = sim.recordTimesMs[0];
  const delay = sim.periods.find((p) => p.name === 'delay');
  if (!delay) throw new ShapeError('surrogateDataset: the simulation has no delay period to calibrate the rate scale on');
  const bins: number[] = [];
  for (let b = 0; b < nRec; b++) {
    const end = sim.recordTimesMs[b];
    if (end - binMs >= delay.startMs - 1e-9 && end <= delay.endMs + 1e-9) bins.push(b);
  }
  if (!bins.length)
    throw new ShapeError(`surrogateDataset: no ${binMs}-ms record bin lies inside the delay (${delay.startMs}–${delay.endMs} ms)`);
  let sum = 0;
  const trials = plan.sessions * plan.trialsPerSession;
  for (let t = 0; t < trials; t++) for (let u = 0; u < U; u++) for (const b of bins) sum += rates.data[(t * U + u) * nRec + b];
  return sum / (trials * U * bins.length);
}

/** Poisson spike counts of the planned units → an OdrDataset (one session per recording). */
export function surrogateDataset(sim: RingSimulation, plan: SurrogatePlan, rng: Rng): SurrogateDataset {
  if (!sim.unitRates) throw new ShapeError('surrogateDataset: the simulation recorded no unit rates (pass recordUnits from planSurrogate)');
  const [, U, nRec] = sim.unitRates.shape;
  const binMs = sim.recordTimesMs[0];
  if (Math.abs(binMs - plan.config.binMs) > 1e-9)
    throw new ShapeError(`surrogateDataset: simulation bins are ${binMs} ms, the plan wants ${plan.config.binMs} ms`);
  const { trialsPerSession: Tn } = plan;
  const meanR = meanDelayRate(sim, plan);
  let config = plan.config;
  if (config.meanRateHz !== null) {
    if (!(meanR > 0))
      throw new ShapeError(
        `surrogateDataset: the recorded units are silent during the delay (mean r_E ${meanR}); cannot calibrate to ${config.meanRateHz} Hz — pass meanRateHz: null and a rateScaleHz`,
      );
    config = { ...config, rateScaleHz: (config.meanRateHz - config.baselineHz) / meanR };
  }
  const sessions = Array.from({ length: plan.sessions }, (_, s) => {
    const r = rng.fork(`session${s}`);
    const counts = new Float32Array(Tn * U * nRec);
    const cue = new Int32Array(Tn);
    const response = new Float32Array(Tn);
    for (let k = 0; k < Tn; k++) {
      const t = s * Tn + k;
      cue[k] = sim.cue[t];
      response[k] = sim.response[t];
      for (let u = 0; u < U; u++) {
        for (let b = 0; b < nRec; b++) {
          const rateHz = Math.max(0, config.baselineHz + config.rateScaleHz * sim.unitRates!.data[(t * U + u) * nRec + b]);
          counts[(k * U + u) * nRec + b] = r.poisson1((rateHz * binMs) / 1000);
        }
      }
    }
    return { cue, response, counts: { data: counts, shape: [Tn, U, nRec] } };
  });
  return {
    sessions,
    cueAngles: Float32Array.from({ length: sim.nCues }, (_, c) => (2 * Math.PI * c) / sim.nCues),
    binMs,
    rateScaleHz: config.rateScaleHz,
    meanDelayRateHz: config.baselineHz + config.rateScaleHz * meanR,
  };
}
