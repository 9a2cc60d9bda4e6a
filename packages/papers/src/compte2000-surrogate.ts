/**
 * Surrogate recordings from the spikes of the Compte et al. 2000 network, for the analyses of
 * Wimmer, Nykamp, Constantinidis & Compte (2014, Nat. Neurosci. 17:431) that the rate models'
 * surrogates go through (`bumpSignatures` of @wmkit/analysis: tuning bias, rate–behaviour
 * correlation, Fano factors of accurate vs inaccurate flank trials, noise correlations).
 *
 * Unlike the rate models' surrogates (Poisson counts drawn from rates), these are the network's own
 * spikes: the counts keep the spiking variability and the correlations the network makes.
 *
 * Cues. The simulated trials all cue one angle; the analyses need the monkeys' 8 cues. The ring is
 * rotation invariant (the E→E footprint depends only on the angular distance; the background is
 * independent and identical for every cell), so a trial cued at θ_c recorded from the cell at
 * θ − (φ − θ_c) is a trial cued at φ recorded from the cell at θ. Trial k of a session is given the
 * virtual cue φ = 360°·(k mod nCues)/nCues; each recorded unit (a virtual preferred angle θ) reads
 * the spikes of the real cell rotated by φ − θ_c, and the response is the decoded end-of-delay
 * angle rotated the same way. The rotations must be whole cells: N_E a multiple of nCues and θ_c
 * on a cell.
 *
 * Sessions. As in the recordings (and `planSurrogate` for the rate models), each session has its
 * own trials and records a few units at once, drawn uniformly from the ring: `neurons` units in
 * all (the monkeys: 204), sessions of `minTrialsPerSession` trials or more. With the few trials a
 * spiking run affords, sessions record many units at once (32 trials: 2 sessions of 16 trials,
 * 102 units each).
 *
 * @example
 * ```ts
 * const sim = simulateCompte(config, { trials: 32, rasterTrials: 32 }, rng.fork('main'));
 * const s = compteSurrogate(sim, {}, rng.fork('surrogate'));
 * bumpSignatures(s.dataset, s.windows, rng.fork('analysis'), 500);
 * ```
 */
import { type OdrDataset, type SignatureWindows, slidingCentresMs } from '@wmkit/analysis';
import type { CompteSimulation } from '@wmkit/attractor-models';
import type { Rng } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';

/** How surrogate recordings are drawn from the Compte network's spikes. */
export interface CompteSurrogateConfig {
  /** Recorded E units in all (the monkeys: 204). */
  neurons: number;
  /** Units recorded at once in each session (default: as few as give every session ≥ minTrialsPerSession trials). */
  perSession?: number;
  /** Trials a session needs at least (default 16, as `planSurrogate`). */
  minTrialsPerSession: number;
  /** Virtual cues, evenly spaced from 0° (the monkeys: 8). */
  cues: number;
  /** Spike-count bin (ms; 50 as the rate models' surrogates). */
  binMs: number;
}

/** Defaults: 204 units, 8 cues, 50-ms bins, ≥ 16 trials per session. */
export const COMPTE2000_SURROGATE: CompteSurrogateConfig = { neurons: 204, minTrialsPerSession: 16, cues: 8, binMs: 50 };

/** Surrogate recordings of a Compte run with the analysis windows of its protocol. */
export interface CompteSurrogate {
  dataset: OdrDataset;
  /** The delay (from the cue offset to the end of the delay, ms from trial start) and the 1-s window centres. */
  windows: SignatureWindows;
  sessions: number;
  perSession: number;
  trialsPerSession: number;
  /** The E cells recorded in each session (real cell indices = virtual preferred angle / (360°/N_E)). */
  units: Int32Array[];
  /** Mean rate (Hz) of the recorded units over the delay. */
  meanDelayRateHz: number;
}

/** Why a run cannot give surrogate recordings, or null if it can. */
export function compteSurrogateProblem(sim: CompteSimulation, o: Partial<CompteSurrogateConfig> = {}): string | null {
  const c = { ...COMPTE2000_SURROGATE, ...o };
  const NE = sim.config.NE;
  if (!(Number.isInteger(c.cues) && c.cues >= 2)) return `surrogate: cues (${c.cues}) must be an integer ≥ 2`;
  if (sim.trials < c.minTrialsPerSession)
    return `surrogate recordings need ≥ ${c.minTrialsPerSession} cue-only trials (one session); the run has ${sim.trials}`;
  if (sim.rasters.length < sim.trials)
    return `surrogate recordings need the spikes of every cue-only trial; ${sim.rasters.length} of ${sim.trials} trials kept theirs (rasterTrials)`;
  const maxSessions = Math.floor(sim.trials / c.minTrialsPerSession);
  if (!(Number.isInteger(c.neurons) && c.neurons >= 2 && c.neurons <= NE * maxSessions))
    return `surrogate: ${c.neurons} units cannot be recorded from ${NE} E cells in ${maxSessions} session(s) of ${c.minTrialsPerSession} trials; use 2..${NE * maxSessions} units`;
  if (!(c.binMs > 0 && c.binMs <= 100 && Number.isInteger(100 / c.binMs)))
    return `surrogate: binMs (${c.binMs}) must divide the analyses' 100-ms windows (e.g. 50)`;
  const p = sim.protocol;
  const delayMs = p.delayEndMs - p.cueOffMs;
  if (delayMs < 1000) return `a ${delayMs}-ms delay is too short for the analyses, which use the last second of the delay; use ≥ 1000 ms`;
  const base = (sim.config.protocol.cueAngleDeg * NE) / 360;
  if (NE % c.cues !== 0 || Math.abs(base - Math.round(base)) > 1e-9)
    return `surrogate: the ${c.cues} virtual cues and the cue at ${sim.config.protocol.cueAngleDeg}° must fall on E cells (N_E = ${NE}); use N_E a multiple of ${c.cues} and a cue on a cell`;
  return null;
}

/** Surrogate recordings (spike counts of sampled E cells, virtual cues, decoded responses) from a run's spikes. */
export function compteSurrogate(sim: CompteSimulation, o: Partial<CompteSurrogateConfig>, rng: Rng): CompteSurrogate {
  const problem = compteSurrogateProblem(sim, o);
  if (problem) throw new ShapeError(problem);
  const c = { ...COMPTE2000_SURROGATE, ...o };
  const NE = sim.config.NE;
  const maxSessions = Math.floor(sim.trials / c.minTrialsPerSession);
  const perSession = c.perSession ?? Math.ceil(c.neurons / maxSessions);
  if (!(Number.isInteger(perSession) && perSession >= 2 && perSession <= NE))
    throw new ShapeError(`surrogate: perSession (${perSession}) must be an integer in 2..${NE}`);
  const sessions = Math.ceil(c.neurons / perSession);
  if (sessions > maxSessions)
    throw new ShapeError(
      `surrogate: ${c.neurons} units ${perSession} at a time need ${sessions} sessions of ≥ ${c.minTrialsPerSession} trials (${sessions * c.minTrialsPerSession} trials); the run has ${sim.trials}: record more units per session`,
    );
  const Tn = Math.floor(sim.trials / sessions);
  const p = sim.protocol;
  const nBins = Math.floor(p.durationMs / c.binMs + 1e-9);
  const cellDeg = 360 / NE;
  const cueCell = Math.round(sim.config.protocol.cueAngleDeg / cellDeg);
  const byTrial = new Map(sim.rasters.map((r) => [r.trial, r]));
  const units: Int32Array[] = [];
  let rateSum = 0;
  const delayBins = [Math.round(p.cueOffMs / c.binMs), Math.floor(p.delayEndMs / c.binMs + 1e-9)];
  const out = Array.from({ length: sessions }, (_, s) => {
    const pick = rng.fork(`session${s}`).permutation(NE).slice(0, perSession);
    units.push(pick);
    // virtual cell → column of this session's counts
    const counts = new Float32Array(Tn * perSession * nBins);
    const cue = new Int32Array(Tn);
    const response = new Float64Array(Tn);
    for (let k = 0; k < Tn; k++) {
      const trial = sim.firstTrial + s * Tn + k;
      const raster = byTrial.get(trial);
      if (!raster) throw new ShapeError(`surrogate: no spikes kept for trial ${trial}`);
      const cu = k % c.cues;
      cue[k] = cu;
      // rotation (whole cells) taking the real cue onto the virtual one
      const shift = (((Math.round((cu * NE) / c.cues) - cueCell) % NE) + NE) % NE;
      const col = new Int32Array(NE).fill(-1);
      for (let u = 0; u < perSession; u++) col[(pick[u] - shift + NE) % NE] = u;
      const base = k * perSession * nBins;
      for (let i = 0; i < raster.cells.length; i++) {
        const cell = raster.cells[i];
        if (cell >= NE) continue;
        const u = col[cell];
        if (u < 0) continue;
        const b = Math.floor(raster.timesMs[i] / c.binMs);
        if (b < nBins) counts[base + u * nBins + b] += 1;
      }
      for (let u = 0; u < perSession; u++) for (let b = delayBins[0]; b < delayBins[1]; b++) rateSum += counts[base + u * nBins + b];
      const end = sim.endAngleDeg[s * Tn + k];
      response[k] = Number.isFinite(end) ? (((((end + shift * cellDeg) % 360) + 360) % 360) * Math.PI) / 180 : Number.NaN;
    }
    return { cue, response, counts: { data: counts, shape: [Tn, perSession, nBins] } };
  });
  const delaySeconds = ((delayBins[1] - delayBins[0]) * c.binMs) / 1000;
  return {
    dataset: {
      sessions: out,
      cueAngles: Array.from({ length: c.cues }, (_, i) => (2 * Math.PI * i) / c.cues),
      binMs: c.binMs,
    },
    windows: {
      delayStartMs: p.cueOffMs,
      delayEndMs: p.delayEndMs,
      centresMs: slidingCentresMs(0, nBins * c.binMs),
    },
    sessions,
    perSession,
    trialsPerSession: Tn,
    units,
    meanDelayRateHz: rateSum / (sessions * Tn * perSession * delaySeconds),
  };
}
