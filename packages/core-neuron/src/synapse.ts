/**
 * Double-exponential synapse (rise τ_r, decay τ_d), Euler with exact decay factors
 * (Kim et al. 2019, spikeRNN `LIF_network_fnc.m`, after Nicola & Clopath 2017):
 *
 *   I ← I·e^{−Δt/τ_d} + h·Δt
 *   h ← h·e^{−Δt/τ_r} + x / (τ_r τ_d)
 *
 * x is the summed weight of the presynaptic spikes this step. One spike of weight w gives a
 * current with area w (∫ I dt = w), rising with τ_r and decaying with τ_d. τ_d may differ per
 * postsynaptic neuron. Time is in whatever unit Δt and τ use; the current's scale depends on
 * it (Kim's networks use seconds, and their weight scale λ was tuned for that).
 *
 * @example
 * ```ts
 * const syn = createDoubleExponential(200, { dt: 5e-5, tauRise: 0.002, tauDecay: taus });
 * doubleExponentialStep(syn, inputs);   // inputs: Float32Array [200]
 * syn.current;                          // I
 * ```
 */
export interface DoubleExponential {
  current: Float32Array;
  h: Float32Array;
  dt: number;
  /** e^{−Δt/τ_d}, per neuron */
  decayD: Float32Array;
  /** e^{−Δt/τ_r} */
  decayR: number;
  /** 1/(τ_r τ_d), per neuron */
  gain: Float32Array;
}

/** A double-exponential synapse per neuron (rise τ_r, decay τ_d, per-neuron τ_d allowed) at rest; advance it with `doubleExponentialStep`. */
export function createDoubleExponential(
  n: number,
  p: { dt: number; tauRise: number; tauDecay: number | ArrayLike<number> },
): DoubleExponential {
  const td = typeof p.tauDecay === 'number' ? new Float32Array(n).fill(p.tauDecay) : Float32Array.from(p.tauDecay);
  if (td.length !== n) throw new RangeError(`createDoubleExponential: ${td.length} decay times for ${n} neurons`);
  if (!(p.tauRise > 0) || td.some((t) => !(t > 0))) throw new RangeError('createDoubleExponential: time constants must be > 0');
  const decayD = new Float32Array(n);
  const gain = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    decayD[i] = Math.exp(-p.dt / td[i]);
    gain[i] = 1 / (p.tauRise * td[i]);
  }
  return { current: new Float32Array(n), h: new Float32Array(n), dt: p.dt, decayD, decayR: Math.exp(-p.dt / p.tauRise), gain };
}

/** One step; `input` is the summed presynaptic weight per neuron (or null for none). */
export function doubleExponentialStep(s: DoubleExponential, input: ArrayLike<number> | null): void {
  const { current, h, dt, decayD, decayR, gain } = s;
  for (let i = 0; i < current.length; i++) {
    current[i] = current[i] * decayD[i] + h[i] * dt;
    h[i] = h[i] * decayR + (input ? input[i] * gain[i] : 0);
  }
}
