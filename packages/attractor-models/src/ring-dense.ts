/**
 * The ring models in their direct form, as Supplementary Codes 1–3 write them: the dense N×N
 * E→E matrix and every inhibitory unit with its own noise. Slow (O(N²) per step); it exists to
 * test the fast simulator (ring.ts), which must give the same trajectories without noise and
 * the same distribution of responses with noise.
 */
import { brunelScalar } from '@wmkit/core-neuron';
import type { Rng } from '@wmkit/tensor';
import { intrinsicGate, type RingModelParams, ringNoisePerStep } from './params';
import { type RingProtocol, ringProtocol } from './protocol';
import { cueStimulus, denseConnectivity, neuronAngles, populationVectorDecode } from './ring-structure';

/** Responses and final rates of `simulateRingDense`. */
export interface DenseRingResult {
  /** Decoded angle at step delayEnd − 1, per trial. */
  response: Float64Array;
  /** r_E per trial at the end of the simulation [trials × N]. */
  finalRates: Float64Array;
  /** Delay rate per trial and neuron (mean r_E over the last 100 ms of the delay). */
  delayRates: Float64Array;
}

/** Reference simulation of a ring model with tfjs ops and the full E→E matrix (one trial per cue angle), against which the fast kernels are tested. */
export function simulateRingDense(p: RingModelParams, cueAngles: ArrayLike<number>, delayMs: number, rng: Rng): DenseRingResult {
  const N = p.NE;
  const NI = p.NI;
  const pr: RingProtocol = ringProtocol(p, delayMs);
  const W = denseConnectivity(p);
  const th = neuronAngles(p);
  const B = cueAngles.length;
  const response = new Float64Array(B);
  const finalRates = new Float64Array(B * N);
  const delayRates = new Float64Array(B * N);
  const kE = p.dtMs / p.tauEMs;
  const kI = p.dtMs / p.tauIMs;
  const kM = p.intrinsic ? p.dtMs / p.intrinsic.tauMs : 0;
  const { sigE, sigI } = ringNoisePerStep(p);
  for (let b = 0; b < B; b++) {
    const g = rng.fork(`trial${b}`);
    const stim = cueStimulus(p, cueAngles[b]);
    let rE = new Float64Array(N);
    let rI = new Float64Array(NI);
    let Im = new Float64Array(N);
    const noiseE = new Float32Array(N);
    const noiseI = new Float32Array(NI);
    for (let i = 1; i <= pr.steps; i++) {
      g.fillNormal(noiseE, 0, sigE);
      g.fillNormal(noiseI, 0, sigI);
      let meanE = 0;
      let meanI = 0;
      for (let j = 0; j < N; j++) meanE += rE[j];
      for (let j = 0; j < NI; j++) meanI += rI[j];
      meanE /= N;
      meanI /= NI;
      const IE = new Float64Array(N);
      for (let r = 0; r < N; r++) {
        let s = 0;
        if (p.GEE) for (let j = 0; j < N; j++) s += W[r * N + j] * rE[j];
        IE[r] = p.GEE * s + p.I0E - p.GIE * meanI;
        if (i > pr.stimOn && i < pr.stimOff) IE[r] += stim[r];
        if (i > pr.eraseOn && i < pr.eraseOff) IE[r] -= p.eraseAmp;
      }
      const II = p.GEI * meanE - p.GII * meanI + p.I0I;
      if (i > pr.delayEnd - pr.delayWin && i <= pr.delayEnd) for (let j = 0; j < N; j++) delayRates[b * N + j] += rE[j] / pr.delayWin;
      const nextE = new Float64Array(N);
      const nextM = new Float64Array(N);
      for (let j = 0; j < N; j++) {
        let drive = brunelScalar(IE[j]) - rE[j] + noiseE[j];
        if (p.intrinsic) {
          drive += Im[j];
          nextM[j] = Im[j] + (p.intrinsic.a * intrinsicGate(rE[j], p.intrinsic) - Im[j]) * kM;
        }
        nextE[j] = rE[j] + drive * kE;
      }
      const fII = brunelScalar(II);
      const nextI = rI.map((x, j) => x + (fII - x + noiseI[j]) * kI);
      rE = nextE;
      rI = nextI;
      Im = nextM;
      if (i === pr.delayEnd - 1) response[b] = populationVectorDecode(rE, th);
    }
    finalRates.set(rE, b * N);
  }
  return { response, finalRates, delayRates };
}
