/**
 * The Compte et al. 2000 spiking ring as TensorFlow.js ops — the `engine: 'tfjs'` form of
 * `simulateCompte` — so the selected tfjs backend (tfjs-node, tfjs-node-gpu, WebGPU, WebGL, wasm,
 * cpu) steps every cell of every trial of a batch in each op. The equations, the integration
 * (explicit midpoint rule, Δt), the order of the updates within a step and the protocol are those
 * of the JavaScript engine (simulate.ts, docs/models/compte2000.md), written as whole-array ops:
 *
 *   S_EE = ((s · basisᵀ) ⊙ c) · basis               E→E circular convolution by its Fourier modes
 *   g_NMDA,E = G_EE·S_EE, g_GABA,E = G_IE·Σg, g_NMDA,I = G_EI·Σs, g_GABA,I = G_II·(Σg − g)
 *   V, s_AMPA: midpoint step of the conductance LIF with the Mg²⁺ block B(V); threshold, reset,
 *   refractory hold
 *   x, s: midpoint step of the saturating NMDA gating; x += spikes(E); g ← g·(1 − h + h²/2) + spikes(I)
 *   s_AMPA += this step's external Poisson counts
 *
 * The Poisson background and the initial potentials are drawn in JavaScript from the same
 * per-trial streams as the JavaScript engine (`trial<k>` forks, the same draws in the same
 * order), so the two engines get the same inputs; they differ only by float32 rounding (tfjs
 * computes in float32, the JavaScript engine in float64). The spikes come back to JavaScript each
 * step (the records — counts per bin, rasters — are event lists), so each step costs one
 * download and one upload besides its ops.
 */
import { createPoissonInput, poissonInputStep } from '@wmkit/core-neuron';
import { type Rng, ShapeError, type Tensor, tf } from '@wmkit/tensor';
import type { CompteConfig } from './config';
import { ringFootprint, ringModes, scaledConductances } from './network';
import { compteProtocol } from './protocol';
import {
  CompteRecorder,
  type CompteSimulation,
  type CompteSimulationOptions,
  compteCellParams,
  simulateCompte,
  stimulusAt,
  stimulusChanges,
} from './simulate';

/** dV/dt (mV/ms) of a population as ops; the same expression as core-neuron's `conductanceLifDerivative`. */
function derivative(
  v: Tensor,
  sAmpa: Tensor,
  gNmda: Tensor,
  gGaba: Tensor,
  iExt: Tensor | null,
  p: ReturnType<typeof compteCellParams>['pE'],
): Tensor {
  // B(V) = 1 / (1 + [Mg]·e^{−0.062 V}/3.57), as `mgBlock`
  const block = tf.reciprocal(tf.add(1, tf.mul(p.mgMm / 3.57, tf.exp(tf.mul(-0.062, v)))));
  const iSyn = tf.addN([
    tf.mul(p.gLeakNs, tf.sub(v, p.eLeakMv)),
    tf.mul(tf.mul(p.gAmpaNs, sAmpa), tf.sub(v, p.eAmpaMv)),
    tf.mul(tf.mul(gNmda, tf.sub(v, p.eNmdaMv)), block),
    tf.mul(gGaba, tf.sub(v, p.eGabaMv)),
  ]);
  const drive = iExt ? tf.sub(iExt, iSyn) : tf.neg(iSyn);
  return tf.mul(1e-3 / p.cmNf, drive);
}

interface Population {
  v: Tensor;
  a: Tensor;
  ref: Tensor;
}

/** One midpoint step of a conductance-LIF population: the new state and the spike mask (0/1). */
function lifStep(
  pop: Population,
  gNmda: Tensor,
  gGaba: Tensor,
  iExt: Tensor | null,
  p: ReturnType<typeof compteCellParams>['pE'],
  h: number,
): { pop: Population; spikes: Tensor } {
  const kA = 1 / p.tauAmpaMs;
  const aMid = tf.mul(pop.a, 1 - 0.5 * h * kA);
  const aNew = tf.sub(pop.a, tf.mul(h * kA, aMid));
  // refractory: time left counts down by h; a cell is held while any of it is left. The JS engine
  // (float64) tests > 1e-9 ms; float32 leaves ~1e-7 ms after τ_ref/h subtractions, so here the
  // test is > 1e-4·h, which both round-offs stay below and a real remainder (≥ h) above
  const refDec = tf.where(tf.greater(pop.ref, 0), tf.sub(pop.ref, h), pop.ref);
  const held = tf.greater(refDec, 1e-4 * h);
  const k1 = derivative(pop.v, pop.a, gNmda, gGaba, iExt, p);
  const vMid = tf.add(pop.v, tf.mul(0.5 * h, k1));
  const vNext = tf.add(pop.v, tf.mul(h, derivative(vMid, aMid, gNmda, gGaba, iExt, p)));
  const fired = tf.logicalAnd(tf.logicalNot(held), tf.greater(vNext, p.vThresholdMv));
  const v = tf.where(held, pop.v, tf.where(fired, tf.fill(vNext.shape, p.vResetMv), vNext));
  const ref = tf.where(fired, tf.fill(refDec.shape, p.refractoryMs), tf.where(held, refDec, tf.zerosLike(refDec)));
  return { pop: { v, a: aNew, ref }, spikes: tf.cast(fired, 'float32') };
}

/** `simulateCompte` on TensorFlow.js ops: same options, same result, the trials of the call batched in every op. */
export function simulateCompteTfjs(c: CompteConfig, o: CompteSimulationOptions, rng: Rng): CompteSimulation {
  const B = o.trials;
  if (!Number.isInteger(B) || B < 1) throw new ShapeError(`simulateCompte: trials (${B}) must be a positive integer`);
  const first = o.firstTrial ?? 0;
  const { NE, NI, dtMs: h } = c;
  const pr = compteProtocol(c);
  const g = scaledConductances(c);
  const sy = c.synapses;
  const { pE, pI, nmda } = compteCellParams(c);
  const rec = new CompteRecorder(c, pr, B, first, o.rasterTrials ?? 1, o.popBinMs ?? 10);
  const modes = ringModes(ringFootprint(NE, c.connectivity.jPlus, c.connectivity.sigmaDeg));

  // per-trial streams: initial potentials, then each step's external input, as the JS engine draws them
  const streams = Array.from({ length: B }, (_, b) => rng.fork(`trial${first + b}`));
  const vE0 = new Float32Array(B * NE);
  const vI0 = new Float32Array(B * NI);
  const uE = new Float64Array(NE);
  const uI = new Float64Array(NI);
  const { vInitMinMv: v0, vInitMaxMv: v1 } = c.protocol;
  for (let b = 0; b < B; b++) {
    streams[b].fillUniform(uE, v0, v1);
    streams[b].fillUniform(uI, v0, v1);
    vE0.set(uE, b * NE);
    vI0.set(uI, b * NI);
  }
  const bgE = streams.map(() => createPoissonInput(NE, c.external.nInputs, c.external.rateHz, h));
  const bgI = streams.map(() => createPoissonInput(NI, c.external.nInputs, c.external.rateHz, h));
  const extE64 = new Float64Array(NE);
  const extI64 = new Float64Array(NI);
  const extE = new Float32Array(B * NE);
  const extI = new Float32Array(B * NI);

  // constants, created outside any tidy and disposed at the end
  const basisT = tf.tensor2d(Float32Array.from(modes.basisT), [NE, modes.nBasis]);
  const basisC = tf.tensor2d(
    Float32Array.from({ length: modes.nBasis * NE }, (_, k) => modes.basis[k] * modes.coef[Math.floor(k / NE)]),
    [modes.nBasis, NE],
  );
  const gabaDecay = 1 - h / sy.tauGabaMs + 0.5 * (h / sy.tauGabaMs) ** 2; // as `exponentialGatingStep`
  const kx = 1 / nmda.tauXMs;
  const ks = 1 / nmda.tauNmdaMs;
  const al = nmda.alphaPerMs;

  let E: Population = { v: tf.tensor2d(vE0, [B, NE]), a: tf.zeros([B, NE]), ref: tf.zeros([B, NE]) };
  let I: Population = { v: tf.tensor2d(vI0, [B, NI]), a: tf.zeros([B, NI]), ref: tf.zeros([B, NI]) };
  let x: Tensor = tf.zeros([B, NE]);
  let s: Tensor = tf.zeros([B, NE]);
  let gI: Tensor = tf.zeros([B, NI]);
  let stim: Tensor | null = null;
  const stimBuf = new Float64Array(NE);
  const spE = new Int32Array(NE);
  const spI = new Int32Array(NI);
  const progressEvery = 2000;
  // the recorder takes the trials one after the other (as the JS engine runs them): keep each
  // trial's spikes per step (step, E count, I count, E cells then I cells) and replay them at the end
  const spikeLog = Array.from({ length: B }, () => ({
    steps: [] as number[],
    nE: [] as number[],
    nI: [] as number[],
    cells: [] as number[],
  }));
  try {
    for (let step = 0; step < pr.steps; step++) {
      if (stimulusChanges(pr.events, step)) {
        stim?.dispose();
        const cur = stimulusAt(pr.events, step, NE, stimBuf);
        stim = cur ? tf.tensor2d(Float32Array.from(cur), [1, NE]) : null;
      }
      // this step's external input of every trial, drawn as the JS engine draws it (E, then I)
      for (let b = 0; b < B; b++) {
        extE64.fill(0);
        extI64.fill(0);
        poissonInputStep(bgE[b], extE64, streams[b]);
        poissonInputStep(bgI[b], extI64, streams[b]);
        extE.set(extE64, b * NE);
        extI.set(extI64, b * NI);
      }
      const out = tf.tidy(() => {
        const sEE = tf.matMul(tf.matMul(s, basisT), basisC);
        const sumS = tf.sum(s, 1, true);
        const sumG = tf.sum(gI, 1, true);
        const e = lifStep(E, tf.mul(g.gEE, sEE), tf.mul(g.gIE, tf.broadcastTo(sumG, [B, NE])), stim, pE, h);
        const i = lifStep(I, tf.mul(g.gEI, tf.broadcastTo(sumS, [B, NI])), tf.mul(g.gII, tf.sub(sumG, gI)), null, pI, h);
        // NMDA gating (midpoint), then the spikes' jumps
        const xm = tf.mul(x, 1 - 0.5 * h * kx);
        const sm = tf.add(s, tf.mul(0.5 * h, tf.add(tf.mul(-ks, s), tf.mul(tf.mul(al, x), tf.sub(1, s)))));
        const xNew = tf.add(tf.sub(x, tf.mul(h * kx, xm)), e.spikes);
        const sNew = tf.add(s, tf.mul(h, tf.add(tf.mul(-ks, sm), tf.mul(tf.mul(al, xm), tf.sub(1, sm)))));
        const gNew = tf.add(tf.mul(gI, gabaDecay), i.spikes);
        const aE = tf.add(e.pop.a, tf.tensor2d(extE, [B, NE]));
        const aI = tf.add(i.pop.a, tf.tensor2d(extI, [B, NI]));
        return { E: { ...e.pop, a: aE }, I: { ...i.pop, a: aI }, x: xNew, s: sNew, g: gNew, spE: e.spikes, spI: i.spikes };
      });
      for (const t of [E.v, E.a, E.ref, I.v, I.a, I.ref, x, s, gI]) t.dispose();
      ({ E, I, x, s, g: gI } = out);
      const mE = out.spE.dataSync() as Float32Array;
      const mI = out.spI.dataSync() as Float32Array;
      out.spE.dispose();
      out.spI.dispose();
      for (let b = 0; b < B; b++) {
        let ne = 0;
        let ni = 0;
        for (let k = 0; k < NE; k++) if (mE[b * NE + k] > 0) spE[ne++] = k;
        for (let k = 0; k < NI; k++) if (mI[b * NI + k] > 0) spI[ni++] = k;
        if (ne || ni) {
          const l = spikeLog[b];
          l.steps.push(step);
          l.nE.push(ne);
          l.nI.push(ni);
          for (let k = 0; k < ne; k++) l.cells.push(spE[k]);
          for (let k = 0; k < ni; k++) l.cells.push(spI[k]);
        }
      }
      if ((step + 1) % progressEvery === 0) {
        if (o.signal?.aborted) throw o.signal.reason ?? new Error('simulateCompte: aborted');
        o.onProgress?.((step + 1) / pr.steps);
      }
    }
  } finally {
    for (const t of [E.v, E.a, E.ref, I.v, I.a, I.ref, x, s, gI, basisT, basisC]) t.dispose();
    stim?.dispose();
  }
  // replay each trial's spikes into the recorder, trial by trial
  for (let b = 0; b < B; b++) {
    rec.startTrial(b);
    const l = spikeLog[b];
    let at = 0;
    for (let k = 0; k < l.steps.length; k++) {
      for (let n = 0; n < l.nE[k]; n++) spE[n] = l.cells[at++];
      for (let n = 0; n < l.nI[k]; n++) spI[n] = l.cells[at++];
      rec.spikes(b, l.steps[k], spE, l.nE[k], spI, l.nI[k]);
    }
    rec.endTrial(b);
  }
  o.onProgress?.(1);
  return rec.result();
}

/** Which form of the network runs: `kernels` (typed arrays in JavaScript, event-driven; the default) or `tfjs` (TensorFlow.js ops on the selected backend). */
export type CompteEngine = 'kernels' | 'tfjs';

/** `simulateCompte` (engine `kernels`) or `simulateCompteTfjs` (engine `tfjs`). */
export function compteSimulator(engine: CompteEngine = 'kernels'): typeof simulateCompte {
  if (engine !== 'kernels' && engine !== 'tfjs') throw new ShapeError(`compte2000: engine must be kernels or tfjs, got '${engine}'`);
  return engine === 'tfjs' ? simulateCompteTfjs : simulateCompte;
}
