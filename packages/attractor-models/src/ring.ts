/**
 * Fast batched simulation of the Wimmer et al. 2014 ring models (bump, discrete, decaying bump)
 * for thousands of trials, in wmkit's wasm ring kernel. Equations in params.ts; protocol in
 * protocol.ts.
 *
 * Two exact reductions make it fast:
 *  - W_E r_E from its structure: a handful of Fourier modes (circulant bump model), or 8
 *    population sums (discrete model) — equal to the dense product to float precision;
 *  - the inhibitory population enters only through its mean, and all I units receive the same
 *    input, so the mean obeys the same equation with noise σ_I/√N_I: exactly equal in
 *    distribution to simulating the N_I units (it changes the random draws, not the law).
 * Each trial has its own random stream (forked from the Rng by trial index), so results do not
 * depend on batch size or on how trials are split across workers.
 *
 * @example
 * ```ts
 * const sim = simulateRing(ringModel('bump'), { trials: 1600, delayMs: 2000 }, new Rng(1));
 * sim.response;      // decoded angle at the end of the delay, per trial
 * sim.delayRates;    // [trials, 512]
 * ```
 */
import type { NDArray, Rng } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';
import { ringKernels } from './kernels/ring-kernel';
import { type RingModelParams, ringNoisePerStep } from './params';
import { ringProtocol } from './protocol';
import { blockConnectivity, cueStimulus, fourierConnectivity, neuronAngles } from './ring-structure';

/** Trials, cues, delay, what to record and progress hook of `simulateRing`. */
export interface RingSimulationOptions {
  trials: number;
  /** Cue index (0..7) per trial; default: trial t gets cue t mod 8 (balanced). */
  cues?: ArrayLike<number>;
  /** Number of cue positions (8). */
  nCues?: number;
  delayMs: number;
  /** Resolution of the recorded decoded angles and unit rates (ms). */
  recordEveryMs?: number;
  /** Units whose rates are recorded per trial: [trials × nUnits] (row-major). */
  recordUnits?: { units: Int32Array; perTrial: number };
  /**
   * Decode the response (and the angles over time) without each trial's recorded units, as a
   * read-out by a large cortex would be unaffected by the few recorded cells (default true when
   * units are recorded).
   */
  excludeRecordedFromReadout?: boolean;
  /** Record the whole r_E of the first `traceTrials` trials. */
  traceTrials?: number;
  /** Trials per kernel batch. */
  chunk?: number;
  /** First trial index (streams are forked by global trial index; for splitting across workers). */
  firstTrial?: number;
  /** Called with the fraction of trials done. */
  onProgress?: (fraction: number) => void;
}

/** Trials of a ring model: cue and response per trial, delay rates, decoded angles over time and the recorded units' rates. */
export interface RingSimulation {
  trials: number;
  nCues: number;
  cue: Float32Array;
  cueAngle: Float32Array;
  /** Decoded response (rad, in (−π, π]) at the end of the delay. */
  response: Float32Array;
  /** Mean r_E over the last 100 ms of the delay, [trials, N]. */
  delayRates: NDArray;
  /** Decoded angle at the end of each record bin, [trials, nRec]. */
  angles: NDArray;
  /** Time (ms) at the end of each record bin. */
  recordTimesMs: Float32Array;
  /** Rates of the recorded units per record bin, [trials, nUnits, nRec]. */
  unitRates: NDArray | null;
  /** r_E of the first traceTrials trials, [traceTrials, nRec, N]. */
  traces: NDArray | null;
  neuronAngles: Float32Array;
  periods: ReturnType<typeof ringProtocol>['periods'];
}

/**
 * The cue index and angle of each of the `B` trials: `o.cues`, or balanced by global trial index
 * (trial t gets cue t mod nCues). Shared by both engines; a cue off the ring is a ShapeError.
 */
export function trialCues(
  o: Pick<RingSimulationOptions, 'cues' | 'firstTrial'>,
  B: number,
  nCues: number,
): { cue: Float32Array; cueAngle: Float32Array } {
  const cue = new Float32Array(B);
  const cueAngle = new Float32Array(B);
  for (let b = 0; b < B; b++) {
    const c = o.cues ? o.cues[b] : ((o.firstTrial ?? 0) + b) % nCues;
    if (!Number.isInteger(c) || c < 0 || c >= nCues)
      throw new ShapeError(`simulateRing: cue ${c} of trial ${b} is outside the ring (0..${nCues - 1})`);
    cue[b] = c as number;
    cueAngle[b] = (2 * Math.PI * (c as number)) / nCues;
  }
  return { cue, cueAngle };
}

/** Simulates a batch of trials of a ring model (Euler, the model's dt) with the fused kernels; responses are population-vector decodes at the end of the delay. */
export function simulateRing(p: RingModelParams, o: RingSimulationOptions, rng: Rng): RingSimulation {
  const N = p.NE;
  const B = o.trials;
  if (!Number.isInteger(B) || B < 1) throw new ShapeError(`simulateRing: trials (${B}) must be a positive integer`);
  const nCues = o.nCues ?? 8;
  const pr = ringProtocol(p, o.delayMs);
  const recEvery = Math.max(1, Math.round((o.recordEveryMs ?? 50) / p.dtMs));
  const nRec = Math.floor(pr.steps / recEvery);
  const { cue, cueAngle } = trialCues(o, B, nCues);
  const nUnits = o.recordUnits?.perTrial ?? 0;
  if (o.recordUnits && o.recordUnits.units.length !== B * nUnits) {
    throw new ShapeError(`simulateRing: recordUnits has ${o.recordUnits.units.length} entries, expected trials × perTrial = ${B * nUnits}`);
  }
  if (o.recordUnits?.units.some((u) => u < 0 || u >= N)) throw new ShapeError(`simulateRing: recorded units must be in 0..${N - 1}`);
  const traceTrials = Math.min(o.traceTrials ?? 0, B);
  const th = neuronAngles(p);
  const response = new Float32Array(B);
  const delayRates = new Float32Array(B * N);
  const angles = new Float32Array(B * nRec);
  const unitRates = nUnits ? new Float32Array(B * nUnits * nRec) : null;
  const traces = traceTrials ? new Float32Array(traceTrials * nRec * N) : null;
  const k = ringKernels();
  const chunk = Math.max(1, o.chunk ?? 128);
  const fourier = p.connectivity.kind === 'circulant' ? fourierConnectivity(p) : null;
  const block = p.connectivity.kind === 'discrete' ? blockConnectivity(p) : null;
  const stimCache = new Map<number, Float64Array>();
  const stimFor = (c: number) => {
    let s = stimCache.get(c);
    if (!s) {
      s = cueStimulus(p, (2 * Math.PI * c) / nCues);
      stimCache.set(c, s);
    }
    return s;
  };
  const progressCalls = Math.max(1, Math.ceil(pr.steps / 100));
  const noise = ringNoisePerStep(p);
  k.scope(() => {
    const basis = fourier ? k.from(fourier.basis) : null;
    const basisW = fourier ? k.from(fourier.basisW) : null;
    const pop = block ? k.buffer(N) : null;
    if (pop && block) pop.viewI32().set(block.pop);
    const popW = block ? k.from(block.popW) : null;
    const cosTh = k.from(Float32Array.from(th, Math.cos));
    const sinTh = k.from(Float32Array.from(th, Math.sin));
    for (let start = 0; start < B; start += chunk) {
      const Bc = Math.min(chunk, B - start);
      k.scope(() => {
        const stim = k.buffer(Bc * N);
        const sv = stim.view();
        for (let b = 0; b < Bc; b++) sv.set(stimFor(cue[start + b]), b * N);
        const rngStates = k.buffer(Bc * 4);
        const rs = rngStates.viewU32();
        for (let b = 0; b < Bc; b++) rs.set(rng.fork(`trial${(o.firstTrial ?? 0) + start + b}`).getState(), 4 * b);
        const units = nUnits ? k.buffer(Bc * nUnits) : null;
        if (units && o.recordUnits) units.viewI32().set(o.recordUnits.units.subarray(start * nUnits, (start + Bc) * nUnits));
        const bufs = {
          rE: k.buffer(Bc * N),
          mI: k.buffer(Bc),
          Im: p.intrinsic ? k.buffer(Bc * N) : null,
          proj: fourier ? k.buffer(Bc * fourier.nBasis) : null,
          rec: k.buffer(Bc * N),
          delayRates: k.buffer(Bc * N),
          response: k.buffer(Bc),
          angles: k.buffer(Bc * nRec),
          unitRates: nUnits ? k.buffer(Bc * nUnits * nRec) : null,
          traces: traceTrials > start ? k.buffer(Math.min(Bc, traceTrials - start) * nRec * N) : null,
        };
        const stepsPerCall = Math.ceil(pr.steps / progressCalls);
        for (let first = 1; first <= pr.steps; first += stepsPerCall) {
          k.ringNetworkRun({
            B: Bc,
            N,
            steps: Math.min(stepsPerCall, pr.steps - first + 1),
            firstStep: first,
            mode: fourier ? 1 : block ? 2 : 0,
            nBasis: fourier?.nBasis ?? 0,
            basis,
            basisW,
            nPops: block?.nPops ?? 0,
            pop,
            popW,
            decaying: p.intrinsic != null,
            GEE: p.GEE,
            GEI: p.GEI,
            GIE: p.GIE,
            GII: p.GII,
            I0E: p.I0E,
            I0I: p.I0I,
            sigE: noise.sigE,
            sigI: noise.sigI,
            kE: p.dtMs / p.tauEMs,
            kI: p.dtMs / p.tauIMs,
            kM: p.intrinsic ? p.dtMs / p.intrinsic.tauMs : 0,
            aM: p.intrinsic?.a ?? 0,
            gateSlope: p.intrinsic?.gateSlope ?? 0,
            gateThreshold: p.intrinsic?.gateThreshold ?? 0,
            sqrtNI: Math.sqrt(p.NI),
            stimOn: pr.stimOn,
            stimOff: pr.stimOff,
            eraseOn: pr.eraseOn,
            eraseOff: pr.eraseOff,
            delayEnd: pr.delayEnd,
            delayWin: pr.delayWin,
            eraseAmp: p.eraseAmp,
            stim,
            cosTh,
            sinTh,
            ...bufs,
            recordEvery: recEvery,
            nRec,
            nUnits,
            units,
            traceTrials: bufs.traces ? Math.min(Bc, traceTrials - start) : 0,
            rng: rngStates,
            excludeRecorded: nUnits > 0 && o.excludeRecordedFromReadout !== false,
          });
          o.onProgress?.((start + (Bc * Math.min(pr.steps, first + stepsPerCall - 1)) / pr.steps) / B);
        }
        response.set(bufs.response.view(), start);
        delayRates.set(bufs.delayRates.view(), start * N);
        angles.set(bufs.angles.view(), start * nRec);
        if (unitRates && bufs.unitRates) unitRates.set(bufs.unitRates.view(), start * nUnits * nRec);
        if (traces && bufs.traces) traces.set(bufs.traces.view(), start * nRec * N);
      });
    }
  });
  return {
    trials: B,
    nCues,
    cue,
    cueAngle,
    response,
    delayRates: { data: delayRates, shape: [B, N] },
    angles: { data: angles, shape: [B, nRec] },
    recordTimesMs: Float32Array.from({ length: nRec }, (_, r) => (r + 1) * recEvery * p.dtMs),
    unitRates: unitRates ? { data: unitRates, shape: [B, nUnits, nRec] } : null,
    traces: traces ? { data: traces, shape: [traceTrials, nRec, N] } : null,
    neuronAngles: Float32Array.from(th),
    periods: pr.periods,
  };
}
