/**
 * Structure of the Compte et al. 2000 network: cell angles, the E→E footprint and its exact
 * circular convolution, the size-scaled conductances and the stimulus profiles.
 *
 * E cell i sits at θ_i = 360°·i/N_E. E→E weights depend on the circular distance d only:
 *   W(d) = J− + (J+ − J−)·e^{−d²/2σ²},  J− = (1 − J+·c)/(1 − c),
 *   c = √(2π)·σ·erf(180°/(√2σ))/360°
 * so that the footprint averages to 1 over the ring (Compte et al. 2000, Methods). E→I, I→E and
 * I→I are all-to-all with unit weight.
 *
 * The input S_i = Σ_j W(θ_i − θ_j) s_j is a circular convolution; on the N-point ring
 *   W(θ_i − θ_j) = Σ_m c_m cos(m(θ_i − θ_j)),
 * c_m from the discrete Fourier transform of W, so
 *   S_i = Σ_m c_m [cos mθ_i · Σ_j cos mθ_j s_j + sin mθ_i · Σ_j sin mθ_j s_j].
 * A Gaussian footprint of width σ has c_m ∝ e^{−m²σ²/2}: the modes with |c_m| < 1e-13·c_0 are
 * dropped (below double-precision round-off of the sum), which makes the product exact to
 * round-off at a cost of 2·(2M + 1)·N per step instead of N². When N is a power of two the
 * convolution runs through a real FFT instead (fft.js): s → ŝ, ŝ·Ŵ, inverse — O(N log N), also
 * exact to round-off; `ringConvolver` picks it.
 */
import { erf } from '@wmkit/analysis';
import FFT from 'fft.js';
import { COMPTE_REFERENCE_SIZE, type CompteConfig } from './config';

/** Angle of every E cell (degrees). */
export function compteCellAngles(NE: number): Float64Array {
  return Float64Array.from({ length: NE }, (_, i) => (360 * i) / NE);
}

/** J− of a footprint with peak J+ and width σ (degrees), so that its mean over the ring is 1. */
export function jMinus(jPlus: number, sigmaDeg: number): number {
  const c = (Math.sqrt(2 * Math.PI) * sigmaDeg * erf(180 / (Math.SQRT2 * sigmaDeg))) / 360;
  return (1 - jPlus * c) / (1 - c);
}

/** W(d) for each circular distance d_k = 360°·k/N_E, k = 0..N_E−1. */
export function ringFootprint(NE: number, jPlus: number, sigmaDeg: number): Float64Array {
  const jm = jMinus(jPlus, sigmaDeg);
  return Float64Array.from({ length: NE }, (_, k) => {
    const d = Math.min(k, NE - k) * (360 / NE);
    return jm + (jPlus - jm) * Math.exp(-(d * d) / (2 * sigmaDeg * sigmaDeg));
  });
}

/** The dense E→E matrix [N_E, N_E] (row i postsynaptic): the direct form, for tests. */
export function denseRingMatrix(NE: number, jPlus: number, sigmaDeg: number): Float64Array {
  const w = ringFootprint(NE, jPlus, sigmaDeg);
  const W = new Float64Array(NE * NE);
  for (let i = 0; i < NE; i++) for (let j = 0; j < NE; j++) W[i * NE + j] = w[(i - j + NE) % NE];
  return W;
}

/** The truncated Fourier modes of a circulant ring footprint, for `ringConvolve`. */
export interface RingModes {
  N: number;
  /** Rows cos(0θ), cos(θ), sin(θ), cos(2θ), sin(2θ), …: [nBasis, N]. */
  basis: Float64Array;
  /** The same, transposed: [N, nBasis]. */
  basisT: Float64Array;
  /** c_m of each row. */
  coef: Float64Array;
  nBasis: number;
}

/** The Fourier modes of a circulant footprint `w` (w[k] = W(360°·k/N)), truncated at 1e-13·c_0. */
export function ringModes(w: Float64Array): RingModes {
  const N = w.length;
  const half = Math.floor(N / 2);
  const c: number[] = [];
  for (let m = 0; m <= half; m++) {
    let a = 0;
    for (let k = 0; k < N; k++) a += w[k] * Math.cos((2 * Math.PI * m * k) / N);
    c.push(((m === 0 || 2 * m === N ? 1 : 2) * a) / N);
  }
  const scale = Math.abs(c[0]) || Math.max(...c.map(Math.abs));
  let M = half;
  while (M > 0 && Math.abs(c[M]) < 1e-13 * scale) M--;
  const rows: { m: number; fn: (x: number) => number; c: number }[] = [{ m: 0, fn: Math.cos, c: c[0] }];
  for (let m = 1; m <= M; m++) {
    rows.push({ m, fn: Math.cos, c: c[m] });
    if (2 * m !== N) rows.push({ m, fn: Math.sin, c: c[m] });
  }
  const basis = new Float64Array(rows.length * N);
  rows.forEach((r, b) => {
    for (let j = 0; j < N; j++) basis[b * N + j] = r.fn((2 * Math.PI * r.m * j) / N);
  });
  const nB = rows.length;
  const basisT = new Float64Array(nB * N);
  for (let b = 0; b < nB; b++) for (let j = 0; j < N; j++) basisT[j * nB + b] = basis[b * N + j];
  return { N, basis, basisT, coef: Float64Array.from(rows, (r) => r.c), nBasis: nB };
}

/**
 * out_i = Σ_j W(θ_i − θ_j) s_j through the modes; `proj` is scratch of length nBasis. The sums
 * run with four accumulators (a single running sum is bound by the latency of each addition).
 */
export function ringConvolve(modes: RingModes, s: Float64Array, out: Float64Array, proj: Float64Array): void {
  const { N, basis, basisT, coef, nBasis } = modes;
  const N4 = N - (N % 4);
  for (let b = 0; b < nBasis; b++) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    const o = b * N;
    let j = 0;
    for (; j < N4; j += 4) {
      a0 += basis[o + j] * s[j];
      a1 += basis[o + j + 1] * s[j + 1];
      a2 += basis[o + j + 2] * s[j + 2];
      a3 += basis[o + j + 3] * s[j + 3];
    }
    for (; j < N; j++) a0 += basis[o + j] * s[j];
    proj[b] = (a0 + a1 + a2 + a3) * coef[b];
  }
  const B4 = nBasis - (nBasis % 4);
  for (let i = 0; i < N; i++) {
    const o = i * nBasis;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let b = 0;
    for (; b < B4; b += 4) {
      a0 += proj[b] * basisT[o + b];
      a1 += proj[b + 1] * basisT[o + b + 1];
      a2 += proj[b + 2] * basisT[o + b + 2];
      a3 += proj[b + 3] * basisT[o + b + 3];
    }
    for (; b < nBasis; b++) a0 += proj[b] * basisT[o + b];
    out[i] = a0 + a1 + a2 + a3;
  }
}

/** A circular convolution with a fixed footprint: `convolve(s, out)` sets out_i = Σ_j W(θ_i − θ_j) s_j. */
export interface RingConvolver {
  method: 'fft' | 'modes';
  /** Sets out_i = Σ_j W(θ_i − θ_j) s_j. */
  convolve(s: Float64Array, out: Float64Array): void;
}

/** The fastest exact convolver for footprint `w`: FFT when its length is a power of two, Fourier modes otherwise. */
export function ringConvolver(w: Float64Array, method?: 'fft' | 'modes'): RingConvolver {
  const N = w.length;
  const pow2 = N >= 4 && (N & (N - 1)) === 0;
  if ((method ?? (pow2 ? 'fft' : 'modes')) === 'modes' || !pow2) {
    const modes = ringModes(w);
    const proj = new Float64Array(modes.nBasis);
    return { method: 'modes', convolve: (s, out) => ringConvolve(modes, s, out, proj) };
  }
  const f = new FFT(N);
  const spec = new Float64Array(2 * N);
  const back = new Float64Array(2 * N);
  f.realTransform(spec, w);
  f.completeSpectrum(spec);
  const wHat = new Float64Array(N); // W is real and even: its spectrum is real
  for (let k = 0; k < N; k++) wHat[k] = spec[2 * k];
  return {
    method: 'fft',
    convolve(s, out) {
      f.realTransform(spec, s);
      for (let k = 0; k <= N / 2; k++) {
        spec[2 * k] *= wHat[k];
        spec[2 * k + 1] *= wHat[k];
      }
      f.completeSpectrum(spec);
      f.inverseTransform(back, spec);
      for (let i = 0; i < N; i++) out[i] = back[2 * i];
    },
  };
}

/** Per-connection conductances (nS) at this network's size: × 2048/N_E for E-presynaptic, × 512/N_I for I-presynaptic. */
export function scaledConductances(c: CompteConfig): { gEE: number; gEI: number; gIE: number; gII: number } {
  const fE = COMPTE_REFERENCE_SIZE.NE / c.NE;
  const fI = COMPTE_REFERENCE_SIZE.NI / c.NI;
  const k = c.connectivity;
  return { gEE: k.gEEns * fE, gEI: k.gEIns * fE, gIE: k.gIEns * fI, gII: k.gIIns * fI };
}

/** Injected current (pA) per E cell for a stimulus of the config's cue shape centred at `angleDeg`. */
export function stimulusProfile(c: CompteConfig, angleDeg: number, ampNa: number): Float64Array {
  const { shape, widthDeg } = c.protocol.cue;
  const th = compteCellAngles(c.NE);
  return Float64Array.from(th, (t) => {
    const d = Math.abs(((((t - angleDeg) % 360) + 540) % 360) - 180);
    const f = shape === 'flat' ? (d <= widthDeg + 1e-9 ? 1 : 0) : Math.exp(-(d * d) / (2 * widthDeg * widthDeg));
    return 1000 * ampNa * f;
  });
}
