/**
 * The memory a ring-model simulation needs, estimated before anything is allocated, so a
 * command can refuse a trial count that cannot fit instead of failing after minutes.
 */
import type { RingModelParams } from './params';
import { ringProtocol } from './protocol';

/** The size of a ring-model simulation, for `estimateRingSimulationBytes`. */
export interface RingSimulationSize {
  trials: number;
  delayMs: number;
  /** Resolution of the recorded angles (ms; default 50). */
  recordEveryMs?: number;
  /** Trials whose full E-rate traces are kept. */
  traceTrials?: number;
  /** Units recorded per trial. */
  unitsPerTrial?: number;
}

/**
 * Peak bytes of `simulateRing` (and of its parallel form, which gathers the workers' results
 * into one copy: the per-trial arrays twice): per trial the cue, response, delay rates of the NE
 * excitatory cells and the decoded angle at every read-out; the kept traces; the connectivity.
 */
export function estimateRingSimulationBytes(p: RingModelParams, o: RingSimulationSize): number {
  const steps = ringProtocol(p, o.delayMs).steps;
  const nRec = Math.floor(steps / Math.max(1, Math.round((o.recordEveryMs ?? 50) / p.dtMs)));
  const perTrial = 4 * (3 + p.NE + nRec + (o.unitsPerTrial ?? 0) * (nRec + 1));
  const traces = 4 * Math.min(o.traceTrials ?? 0, o.trials) * nRec * p.NE;
  const network = 4 * (p.NE + p.NI) ** 2;
  return 2 * (o.trials * perTrial + traces) + network;
}
