/**
 * Simulation of the Compte et al. 2000 spiking ring (equations in docs/models/compte2000.md),
 * built from @wmkit/core-neuron's conductance-LIF, NMDA and Poisson-input primitives.
 *
 * One step of dt (explicit midpoint rule for every continuous variable):
 *  1. recurrent inputs from the presynaptic gating at the start of the step, held through it:
 *     E→E S_i = Σ_j W(θ_i − θ_j) s_j by circular convolution (network.ts), E→I Σ_j s_j,
 *     I→E Σ_j g_j, I→I Σ_{j≠i} g_j;
 *  2. integrate V and s_AMPA of every cell, threshold, reset, refractory hold;
 *  3. integrate the NMDA (x, s) and GABA (g) gating; spikes add 1 to x (E) or g (I);
 *  4. external drive: s_AMPA += Binomial(n_ext, ν·dt) per cell.
 * Spikes are events: only the cells that fired are touched in step 3 and in the records.
 *
 * Trials are independent; trial k draws everything from `rng.fork('trial' + k)`, so results do
 * not depend on how trials are batched or split across workers, and the same seed gives the same
 * spikes. All state lives in typed arrays allocated once per call (no allocation per step). The
 * per-step work is `stepNetwork` below, a self-contained function over flat arrays: the place a
 * WebAssembly kernel can replace.
 *
 * @example
 * ```ts
 * const sim = simulateCompte(compteConfig('ndx3'), { trials: 4 }, new Rng(1));
 * sim.endAngleDeg;   // decoded memory at the end of the delay, per trial
 * ```
 */
import {
  addSpikes,
  type ConductanceLifParams,
  conductanceLifStep,
  createConductanceLifState,
  createPoissonInput,
  exponentialGatingStep,
  nmdaGatingStep,
  poissonInputStep,
} from '@wmkit/core-neuron';
import type { NDArray, Rng } from '@wmkit/tensor';
import type { CompteConfig } from './config';
import { compteCellAngles, ringConvolver, ringFootprint, scaledConductances } from './network';
import { type CompteProtocol, compteProtocol } from './protocol';

/** Trials to simulate and what to record (`simulateCompte`). */
export interface CompteSimulationOptions {
  trials: number;
  /** Global index of the first trial (streams are forked by it; for splitting across workers). */
  firstTrial?: number;
  /** Keep every spike of the first `rasterTrials` trials (default 1). */
  rasterTrials?: number;
  /** Population rate resolution (ms, default 10). */
  popBinMs?: number;
  /** Called with the fraction of all steps done (0–1). */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** Every spike of one trial (E and I cells). */
export interface CompteRaster {
  trial: number;
  /** Spike times (ms). */
  timesMs: Float32Array;
  /** Cell of each spike: E cells 0..N_E−1, I cells N_E..N_E+N_I−1. */
  cells: Int32Array;
}

/** Trials of the Compte et al. 2000 network: binned spike counts, population rates, decoded angles and rasters. */
export interface CompteSimulation {
  config: CompteConfig;
  protocol: CompteProtocol;
  trials: number;
  firstTrial: number;
  /** E spike counts per decoding bin: [trials, nBins, N_E]. */
  countsE: NDArray;
  /** I spike counts per decoding bin: [trials, nBins, N_I]. */
  countsI: NDArray;
  /** Population rates (Hz) in popBinMs bins: [trials, nPopBins]. */
  popRateE: NDArray;
  popRateI: NDArray;
  popBinMs: number;
  /** Population-vector angle (degrees, [0, 360)) of each bin's E counts: [trials, nBins]; NaN for a bin without spikes. */
  decodedDeg: NDArray<Float64Array>;
  /** Decoded angle at the end of the delay (degrees), per trial. */
  endAngleDeg: Float64Array;
  cellAnglesDeg: Float64Array;
  rasters: CompteRaster[];
}

/** Population-vector angle (degrees in [0, 360)) of counts over cells at `angles`; NaN if empty. */
export function populationVectorDeg(counts: ArrayLike<number>, cosT: Float64Array, sinT: Float64Array, offset = 0): number {
  let x = 0;
  let y = 0;
  for (let i = 0; i < cosT.length; i++) {
    const c = counts[offset + i];
    x += c * cosT[i];
    y += c * sinT[i];
  }
  if (x === 0 && y === 0) return Number.NaN;
  const a = (Math.atan2(y, x) * 180) / Math.PI;
  return a < 0 ? a + 360 : a;
}

class SpikeLog {
  t = new Float32Array(1 << 14);
  c = new Int32Array(1 << 14);
  n = 0;
  push(t: number, c: number) {
    if (this.n === this.t.length) {
      const t2 = new Float32Array(this.n * 2);
      t2.set(this.t);
      this.t = t2;
      const c2 = new Int32Array(this.n * 2);
      c2.set(this.c);
      this.c = c2;
    }
    this.t[this.n] = t;
    this.c[this.n++] = c;
  }
}

/** Simulates `o.trials` trials of config `c`; trial k draws from `rng.fork('trial' + k)`. */
export function simulateCompte(c: CompteConfig, o: CompteSimulationOptions, rng: Rng): CompteSimulation {
  const B = o.trials;
  if (!Number.isInteger(B) || B < 1) throw new RangeError(`simulateCompte: trials (${B}) must be a positive integer`);
  const first = o.firstTrial ?? 0;
  const { NE, NI, dtMs: dt } = c;
  const pr = compteProtocol(c);
  const g = scaledConductances(c);
  const conv = ringConvolver(ringFootprint(NE, c.connectivity.jPlus, c.connectivity.sigmaDeg));
  const sy = c.synapses;
  const lif = (cell: CompteConfig['E'], gAmpaNs: number): ConductanceLifParams => ({
    ...cell,
    gAmpaNs,
    tauAmpaMs: sy.tauAmpaMs,
    eAmpaMv: sy.eAmpaMv,
    eNmdaMv: sy.eNmdaMv,
    eGabaMv: sy.eGabaMv,
    mgMm: sy.mgMm,
  });
  const pE = lif(c.E, c.external.gEns);
  const pI = lif(c.I, c.external.gIns);
  const nmda = { tauXMs: sy.tauXMs, tauNmdaMs: sy.tauNmdaMs, alphaPerMs: sy.alphaPerMs };

  const nBins = pr.nBins;
  const popBinMs = o.popBinMs ?? 10;
  const popEvery = Math.max(1, Math.round(popBinMs / dt));
  const nPop = Math.floor(pr.steps / popEvery);
  const countsE = new Float32Array(B * nBins * NE);
  const countsI = new Float32Array(B * nBins * NI);
  const popE = new Float32Array(B * nPop);
  const popI = new Float32Array(B * nPop);
  const decoded = new Float64Array(B * nBins);
  const endAngle = new Float64Array(B);
  const rasters: CompteRaster[] = [];
  const th = compteCellAngles(NE);
  const cosT = Float64Array.from(th, (t) => Math.cos((t * Math.PI) / 180));
  const sinT = Float64Array.from(th, (t) => Math.sin((t * Math.PI) / 180));
  // step → bin index (−1 outside the binned span)
  const binStart = Math.round(pr.binEdgesMs[0] / dt);
  const binSteps = Math.round(c.binMs / dt);

  // state and scratch, allocated once
  const E = createConductanceLifState(NE);
  const I = createConductanceLifState(NI);
  const x = new Float64Array(NE);
  const s = new Float64Array(NE);
  const gI = new Float64Array(NI);
  const SEE = new Float64Array(NE);
  const gNmdaE = new Float64Array(NE);
  const gGabaE = new Float64Array(NE);
  const gNmdaI = new Float64Array(NI);
  const gGabaI = new Float64Array(NI);
  const iExt = new Float64Array(NE);
  const spE = new Int32Array(NE);
  const spI = new Int32Array(NI);
  const uE = new Float64Array(NE);
  const uI = new Float64Array(NI);
  const ev = pr.events;
  const totalSteps = B * pr.steps;
  const progressEvery = 2000;

  for (let b = 0; b < B; b++) {
    const trial = first + b;
    const r = rng.fork(`trial${trial}`);
    const { vInitMinMv: v0, vInitMaxMv: v1 } = c.protocol;
    r.fillUniform(uE, v0, v1);
    r.fillUniform(uI, v0, v1);
    E.v.set(uE);
    I.v.set(uI);
    for (const a of [E.sAmpa, E.refractoryLeft, I.sAmpa, I.refractoryLeft, x, s, gI]) a.fill(0);
    const bgE = createPoissonInput(NE, c.external.nInputs, c.external.rateHz, dt);
    const bgI = createPoissonInput(NI, c.external.nInputs, c.external.rateHz, dt);
    const log = b < (o.rasterTrials ?? 1) ? new SpikeLog() : null;
    let stimOn = false;
    for (let step = 0; step < pr.steps; step++) {
      // injected current: recomputed only when a stimulus switches on or off
      let change = false;
      for (const e of ev) if (e.start === step || e.end === step) change = true;
      if (change || step === 0) {
        iExt.fill(0);
        stimOn = false;
        for (const e of ev)
          if (step >= e.start && step < e.end) {
            for (let i = 0; i < NE; i++) iExt[i] += e.current[i];
            stimOn = true;
          }
      }
      const nE = stepNetwork(step);
      const t = (step + 1) * dt;
      const bin = Math.floor((step - binStart) / binSteps);
      const pb = Math.floor(step / popEvery);
      if (nE.e > 0 || nE.i > 0) {
        if (bin >= 0 && bin < nBins) {
          const oE = (b * nBins + bin) * NE;
          for (let k = 0; k < nE.e; k++) countsE[oE + spE[k]] += 1;
          const oI = (b * nBins + bin) * NI;
          for (let k = 0; k < nE.i; k++) countsI[oI + spI[k]] += 1;
        }
        if (pb < nPop) {
          popE[b * nPop + pb] += nE.e;
          popI[b * nPop + pb] += nE.i;
        }
        if (log) {
          for (let k = 0; k < nE.e; k++) log.push(t, spE[k]);
          for (let k = 0; k < nE.i; k++) log.push(t, NE + spI[k]);
        }
      }
      if ((b * pr.steps + step + 1) % progressEvery === 0) {
        if (o.signal?.aborted) throw o.signal.reason ?? new Error('simulateCompte: aborted');
        o.onProgress?.((b * pr.steps + step + 1) / totalSteps);
      }
    }
    if (log) rasters.push({ trial, timesMs: log.t.slice(0, log.n), cells: log.c.slice(0, log.n) });
    for (let k = 0; k < nBins; k++) decoded[b * nBins + k] = populationVectorDeg(countsE, cosT, sinT, (b * nBins + k) * NE);
    endAngle[b] = pr.endOfDelayBin >= 0 ? decoded[b * nBins + pr.endOfDelayBin] : Number.NaN;

    // one step of the whole network; returns the spike counts (cells in spE/spI)
    function stepNetwork(_step: number): { e: number; i: number } {
      conv.convolve(s, SEE);
      let sumS = 0;
      for (let i = 0; i < NE; i++) sumS += s[i];
      let sumG = 0;
      for (let i = 0; i < NI; i++) sumG += gI[i];
      for (let i = 0; i < NE; i++) gNmdaE[i] = g.gEE * SEE[i];
      gGabaE.fill(g.gIE * sumG);
      gNmdaI.fill(g.gEI * sumS);
      for (let i = 0; i < NI; i++) gGabaI[i] = g.gII * (sumG - gI[i]);
      const ne = conductanceLifStep(E, { gNmda: gNmdaE, gGaba: gGabaE, iExt: stimOn ? iExt : null }, pE, dt, spE);
      const ni = conductanceLifStep(I, { gNmda: gNmdaI, gGaba: gGabaI, iExt: null }, pI, dt, spI);
      nmdaGatingStep(x, s, nmda, dt);
      addSpikes(x, spE, ne);
      exponentialGatingStep(gI, sy.tauGabaMs, dt);
      addSpikes(gI, spI, ni);
      poissonInputStep(bgE, E.sAmpa, r);
      poissonInputStep(bgI, I.sAmpa, r);
      counts.e = ne;
      counts.i = ni;
      return counts;
    }
  }
  o.onProgress?.(1);
  const toHz = 1000 / (popEvery * dt);
  for (let k = 0; k < popE.length; k++) {
    popE[k] *= toHz / NE;
    popI[k] *= toHz / NI;
  }
  return {
    config: c,
    protocol: pr,
    trials: B,
    firstTrial: first,
    countsE: { data: countsE, shape: [B, nBins, NE] },
    countsI: { data: countsI, shape: [B, nBins, NI] },
    popRateE: { data: popE, shape: [B, nPop] },
    popRateI: { data: popI, shape: [B, nPop] },
    popBinMs: popEvery * dt,
    decodedDeg: { data: decoded, shape: [B, nBins] },
    endAngleDeg: endAngle,
    cellAnglesDeg: th,
    rasters,
  };
}

const counts = { e: 0, i: 0 };
