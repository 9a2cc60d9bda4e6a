/**
 * Geometry of the ring models: neuron angles, E→E connectivity (dense, and in the exact reduced
 * forms the fast simulator uses), cue stimuli, and the population-vector read-out.
 *
 * Circulant connectivity W(θ_i − θ_j) = Σ_m c_m cos(m(θ_i − θ_j)) on the N-point grid, so
 *   (W r)_i = Σ_m c_m [cos(mθ_i)·Σ_j cos(mθ_j) r_j + sin(mθ_i)·Σ_j sin(mθ_j) r_j],
 * c_m from the discrete Fourier transform of the profile; modes with |c_m| < 1e-8·c_0 are
 * dropped (below float32 resolution, so the product is exact to float precision).
 */

import { ShapeError } from '@wmkit/tensor';
import type { RingModelParams } from './params';

/** Angle of every E neuron (rad). */
export function neuronAngles(p: RingModelParams): Float64Array {
  const N = p.NE;
  const offset = p.connectivity.kind === 'discrete' ? 0.5 : 0; // θ_j = (j − ½)/N·2π (1-based) in Code 2
  return Float64Array.from({ length: N }, (_, j) => (2 * Math.PI * (j + offset)) / N);
}

/** v(θ) = e^{κ cos θ} / Σ_k e^{κ cos θ_k} over the N-point grid θ_k = 2πk/N. */
export function vonMisesProfile(N: number, kappa: number): Float64Array {
  const v = Float64Array.from({ length: N }, (_, k) => Math.exp(kappa * Math.cos((2 * Math.PI * k) / N)));
  const s = v.reduce((a, x) => a + x, 0);
  return v.map((x) => x / s);
}

/** Population (0..P−1) of each neuron for the discrete model: population c is centred on cue c. */
export function populationOf(p: RingModelParams): Int32Array {
  if (p.connectivity.kind !== 'discrete') throw new ShapeError('populationOf: only the discrete model has populations');
  const N = p.NE;
  const P = p.connectivity.populations;
  const size = N / P;
  return Int32Array.from({ length: N }, (_, j) => Math.floor(((j + size / 2) % N) / size));
}

/** The dense E→E matrix [N, N] (row i postsynaptic): the direct form of the scripts. */
export function denseConnectivity(p: RingModelParams): Float64Array {
  const N = p.NE;
  const W = new Float64Array(N * N);
  const c = p.connectivity;
  if (c.kind === 'circulant') {
    const v = vonMisesProfile(N, c.kappa);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) W[i * N + j] = v[(((i - j) % N) + N) % N];
  } else if (c.kind === 'discrete') {
    const P = c.populations;
    const v8 = vonMisesProfile(P, c.kappa);
    const pop = populationOf(p);
    const size = N / P;
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) W[i * N + j] = v8[(((pop[j] - pop[i]) % P) + P) % P] / size;
  }
  return W;
}

/** A circulant ring connectivity as a few Fourier modes, so W·r costs O(modes·N) instead of O(N²). */
export interface FourierConnectivity {
  /** `[nBasis, N]`: rows cos(0θ), cos(θ), sin(θ), cos(2θ), sin(2θ), … */
  basis: Float32Array;
  /** the same rows scaled by their coefficients c_m */
  basisW: Float32Array;
  nBasis: number;
  modes: number;
}

/** Exact low-rank form of a circulant W (see module doc). */
export function fourierConnectivity(p: RingModelParams): FourierConnectivity {
  if (p.connectivity.kind !== 'circulant') throw new ShapeError('fourierConnectivity: connectivity is not circulant');
  const N = p.NE;
  const v = vonMisesProfile(N, p.connectivity.kappa);
  const coef: number[] = [];
  for (let m = 0; m <= N / 2; m++) {
    let V = 0;
    for (let k = 0; k < N; k++) V += v[k] * Math.cos((2 * Math.PI * m * k) / N);
    coef.push(m === 0 || m === N / 2 ? V / N : (2 * V) / N);
  }
  let modes = 0;
  for (let m = 1; m <= N / 2; m++) if (Math.abs(coef[m]) >= 1e-8 * Math.abs(coef[0])) modes = m;
  const th = neuronAngles(p);
  const rows: number[][] = [];
  const w: number[] = [];
  rows.push(Array.from(th, () => 1));
  w.push(coef[0]);
  for (let m = 1; m <= modes; m++) {
    rows.push(Array.from(th, (t) => Math.cos(m * t)));
    w.push(coef[m]);
    if (m < N / 2) {
      rows.push(Array.from(th, (t) => Math.sin(m * t)));
      w.push(coef[m]);
    }
  }
  const nBasis = rows.length;
  const basis = new Float32Array(nBasis * N);
  const basisW = new Float32Array(nBasis * N);
  rows.forEach((r, q) => {
    for (let j = 0; j < N; j++) {
      basis[q * N + j] = r[j];
      basisW[q * N + j] = r[j] * w[q];
    }
  });
  return { basis, basisW, nBasis, modes };
}

/** The block form of the discrete model: A[a, c]/n_c with A = circ(v8). */
export function blockConnectivity(p: RingModelParams): { pop: Int32Array; popW: Float32Array; nPops: number } {
  if (p.connectivity.kind !== 'discrete') throw new ShapeError('blockConnectivity: connectivity is not discrete');
  const P = p.connectivity.populations;
  const v8 = vonMisesProfile(P, p.connectivity.kappa);
  const size = p.NE / P;
  const popW = new Float32Array(P * P);
  for (let a = 0; a < P; a++) for (let c = 0; c < P; c++) popW[a * P + c] = v8[(((c - a) % P) + P) % P] / size;
  return { pop: populationOf(p), popW, nPops: P };
}

/** Cue input amp·v(θ_j − θ_cue) for every neuron. */
export function cueStimulus(p: RingModelParams, cueAngle: number): Float64Array {
  const th = neuronAngles(p);
  const raw = th.map((t) => Math.exp(p.stimKappa * Math.cos(t - cueAngle)));
  const s = raw.reduce((a, x) => a + x, 0);
  return raw.map((x) => (p.stimAmp * x) / s);
}

/** Population-vector read-out: atan2(Σ r sin θ, Σ r cos θ). */
export function populationVectorDecode(rates: ArrayLike<number>, angles: ArrayLike<number>): number {
  let c = 0;
  let s = 0;
  for (let j = 0; j < rates.length; j++) {
    c += rates[j] * Math.cos(angles[j]);
    s += rates[j] * Math.sin(angles[j]);
  }
  return Math.atan2(s, c);
}
