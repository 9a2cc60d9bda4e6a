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
  type NmdaGatingParams,
  nmdaGatingStep,
  poissonInputStep,
} from '@wmkit/core-neuron';
import type { NDArray, Rng } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';
import type { CompteConfig } from './config';
import { compteCellAngles, ringConvolver, ringFootprint, scaledConductances } from './network';
import { type CompteProtocol, type CompteStimulusEvent, compteProtocol } from './protocol';

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

/**
 * What a run records from its spikes, shared by both engines (`simulateCompte`, `simulateCompteTfjs`):
 * E and I counts per decoding bin, population rates, the population-vector angle per bin and at
 * the end of the delay, and every spike of the first `rasterTrials` trials.
 */
export class CompteRecorder {
  readonly nBins: number;
  readonly nPop: number;
  readonly popEvery: number;
  readonly countsE: Float32Array;
  readonly countsI: Float32Array;
  readonly popE: Float32Array;
  readonly popI: Float32Array;
  readonly decoded: Float64Array;
  readonly endAngle: Float64Array;
  readonly rasters: CompteRaster[] = [];
  readonly cellAngles: Float64Array;
  private readonly cosT: Float64Array;
  private readonly sinT: Float64Array;
  private readonly binStart: number;
  private readonly binSteps: number;
  private log: SpikeLog | null = null;

  constructor(
    private readonly c: CompteConfig,
    private readonly pr: CompteProtocol,
    private readonly B: number,
    private readonly first: number,
    private readonly rasterTrials: number,
    popBinMs: number,
  ) {
    const { NE, NI, dtMs: dt } = c;
    this.nBins = pr.nBins;
    this.popEvery = Math.max(1, Math.round(popBinMs / dt));
    this.nPop = Math.floor(pr.steps / this.popEvery);
    this.countsE = new Float32Array(B * this.nBins * NE);
    this.countsI = new Float32Array(B * this.nBins * NI);
    this.popE = new Float32Array(B * this.nPop);
    this.popI = new Float32Array(B * this.nPop);
    this.decoded = new Float64Array(B * this.nBins);
    this.endAngle = new Float64Array(B);
    this.cellAngles = compteCellAngles(NE);
    this.cosT = Float64Array.from(this.cellAngles, (t) => Math.cos((t * Math.PI) / 180));
    this.sinT = Float64Array.from(this.cellAngles, (t) => Math.sin((t * Math.PI) / 180));
    // step → bin index (−1 outside the binned span)
    this.binStart = Math.round(pr.binEdgesMs[0] / dt);
    this.binSteps = Math.round(c.binMs / dt);
  }

  /** Starts trial b (0-based within this run): keeps its spikes if it is one of the raster trials. */
  startTrial(b: number): void {
    this.log = b < this.rasterTrials ? new SpikeLog() : null;
  }

  /** The spikes of trial b in `step`: E cells spE[0..ne), I cells spI[0..ni). */
  spikes(b: number, step: number, spE: Int32Array, ne: number, spI: Int32Array, ni: number): void {
    if (ne === 0 && ni === 0) return;
    const { NE, NI, dtMs: dt } = this.c;
    const nBins = this.nBins;
    const bin = Math.floor((step - this.binStart) / this.binSteps);
    const pb = Math.floor(step / this.popEvery);
    if (bin >= 0 && bin < nBins) {
      const oE = (b * nBins + bin) * NE;
      for (let k = 0; k < ne; k++) this.countsE[oE + spE[k]] += 1;
      const oI = (b * nBins + bin) * NI;
      for (let k = 0; k < ni; k++) this.countsI[oI + spI[k]] += 1;
    }
    if (pb < this.nPop) {
      this.popE[b * this.nPop + pb] += ne;
      this.popI[b * this.nPop + pb] += ni;
    }
    const log = this.log;
    if (log) {
      const t = (step + 1) * dt;
      for (let k = 0; k < ne; k++) log.push(t, spE[k]);
      for (let k = 0; k < ni; k++) log.push(t, NE + spI[k]);
    }
  }

  /** Ends trial b: its raster, decoded angles and end-of-delay angle. */
  endTrial(b: number): void {
    const nBins = this.nBins;
    const log = this.log;
    if (log) this.rasters.push({ trial: this.first + b, timesMs: log.t.slice(0, log.n), cells: log.c.slice(0, log.n) });
    this.log = null;
    for (let k = 0; k < nBins; k++)
      this.decoded[b * nBins + k] = populationVectorDeg(this.countsE, this.cosT, this.sinT, (b * nBins + k) * this.c.NE);
    this.endAngle[b] = this.pr.endOfDelayBin >= 0 ? this.decoded[b * nBins + this.pr.endOfDelayBin] : Number.NaN;
  }

  /** The simulation record (population counts turned into rates in Hz). */
  result(): CompteSimulation {
    const { NE, NI, dtMs: dt } = this.c;
    const B = this.B;
    const toHz = 1000 / (this.popEvery * dt);
    for (let k = 0; k < this.popE.length; k++) {
      this.popE[k] *= toHz / NE;
      this.popI[k] *= toHz / NI;
    }
    return {
      config: this.c,
      protocol: this.pr,
      trials: B,
      firstTrial: this.first,
      countsE: { data: this.countsE, shape: [B, this.nBins, NE] },
      countsI: { data: this.countsI, shape: [B, this.nBins, NI] },
      popRateE: { data: this.popE, shape: [B, this.nPop] },
      popRateI: { data: this.popI, shape: [B, this.nPop] },
      popBinMs: this.popEvery * dt,
      decodedDeg: { data: this.decoded, shape: [B, this.nBins] },
      endAngleDeg: this.endAngle,
      cellAnglesDeg: this.cellAngles,
      rasters: this.rasters,
    };
  }
}

/** The injected current (pA per E cell) at `step`: the sum of the stimuli on then, or null for none. */
export function stimulusAt(events: CompteStimulusEvent[], step: number, NE: number, out: Float64Array): Float64Array | null {
  out.fill(0);
  let on = false;
  for (const e of events)
    if (step >= e.start && step < e.end) {
      for (let i = 0; i < NE; i++) out[i] += e.current[i];
      on = true;
    }
  return on ? out : null;
}

/** True if a stimulus switches on or off at `step` (the injected current changes). */
export function stimulusChanges(events: CompteStimulusEvent[], step: number): boolean {
  for (const e of events) if (e.start === step || e.end === step) return true;
  return step === 0;
}

/** The external-input and membrane parameters of the E and I populations and the NMDA gating of a config. */
export function compteCellParams(c: CompteConfig): { pE: ConductanceLifParams; pI: ConductanceLifParams; nmda: NmdaGatingParams } {
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
  return {
    pE: lif(c.E, c.external.gEns),
    pI: lif(c.I, c.external.gIns),
    nmda: { tauXMs: sy.tauXMs, tauNmdaMs: sy.tauNmdaMs, alphaPerMs: sy.alphaPerMs },
  };
}

/** Simulates `o.trials` trials of config `c`; trial k draws from `rng.fork('trial' + k)`. */
export function simulateCompte(c: CompteConfig, o: CompteSimulationOptions, rng: Rng): CompteSimulation {
  const B = o.trials;
  if (!Number.isInteger(B) || B < 1) throw new ShapeError(`simulateCompte: trials (${B}) must be a positive integer`);
  const first = o.firstTrial ?? 0;
  const { NE, NI, dtMs: dt } = c;
  const pr = compteProtocol(c);
  const g = scaledConductances(c);
  const conv = ringConvolver(ringFootprint(NE, c.connectivity.jPlus, c.connectivity.sigmaDeg));
  const sy = c.synapses;
  const { pE, pI, nmda } = compteCellParams(c);
  const rec = new CompteRecorder(c, pr, B, first, o.rasterTrials ?? 1, o.popBinMs ?? 10);

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
    rec.startTrial(b);
    let stim: Float64Array | null = null;
    for (let step = 0; step < pr.steps; step++) {
      // injected current: recomputed only when a stimulus switches on or off
      if (stimulusChanges(ev, step)) stim = stimulusAt(ev, step, NE, iExt);
      const nE = stepNetwork();
      rec.spikes(b, step, spE, nE.e, spI, nE.i);
      if ((b * pr.steps + step + 1) % progressEvery === 0) {
        if (o.signal?.aborted) throw o.signal.reason ?? new Error('simulateCompte: aborted');
        o.onProgress?.((b * pr.steps + step + 1) / totalSteps);
      }
    }
    rec.endTrial(b);

    // one step of the whole network; returns the spike counts (cells in spE/spI)
    function stepNetwork(): { e: number; i: number } {
      conv.convolve(s, SEE);
      let sumS = 0;
      for (let i = 0; i < NE; i++) sumS += s[i];
      let sumG = 0;
      for (let i = 0; i < NI; i++) sumG += gI[i];
      for (let i = 0; i < NE; i++) gNmdaE[i] = g.gEE * SEE[i];
      gGabaE.fill(g.gIE * sumG);
      gNmdaI.fill(g.gEI * sumS);
      for (let i = 0; i < NI; i++) gGabaI[i] = g.gII * (sumG - gI[i]);
      const ne = conductanceLifStep(E, { gNmda: gNmdaE, gGaba: gGabaE, iExt: stim }, pE, dt, spE);
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
  return rec.result();
}

const counts = { e: 0, i: 0 };
