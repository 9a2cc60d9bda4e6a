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
 * it (Kim's networks use seconds, and their weight scale λ was tuned for that). A synapse
 * holds `batch` copies of its n neurons (e.g. trials, trial-major) that share the constants.
 * ei-rnn's LIF network runs its synaptic currents and filtered rates with these functions.
 *
 * @example
 * ```ts
 * const syn = createDoubleExponential(200, { dt: 5e-5, tauRise: 0.002, tauDecay: taus });
 * doubleExponentialStep(syn, inputs);   // inputs: Float32Array [200]
 * syn.current;                          // I
 * ```
 */
import { ShapeError, type Tensor, tf } from '@wmkit/tensor';

/** Time step, rise time and decay time(s) of a double-exponential synapse (one unit of time). */
export interface DoubleExponentialParams {
  dt: number;
  tauRise: number;
  /** One decay time for all neurons, or one per neuron. */
  tauDecay: number | ArrayLike<number>;
}

/** The per-step constants of a double-exponential synapse over n neurons. */
export interface DoubleExponentialFactors {
  dt: number;
  /** e^{−Δt/τ_d}, per neuron */
  decayD: Float32Array;
  /** e^{−Δt/τ_r} */
  decayR: number;
  /** 1/(τ_r τ_d), per neuron */
  gain: Float32Array;
}

/** A double-exponential synapse: its constants and its state (current I and h), `batch` × n values each. */
export interface DoubleExponential extends DoubleExponentialFactors {
  /** Synaptic current I, [batch, n]. */
  current: Float32Array;
  /** The rise variable h, [batch, n]. */
  h: Float32Array;
}

/** The constants for n neurons, computed in double precision from the given times and stored in float32. */
export function doubleExponentialFactors(n: number, p: DoubleExponentialParams): DoubleExponentialFactors {
  const perNeuron = typeof p.tauDecay !== 'number';
  if (perNeuron && (p.tauDecay as ArrayLike<number>).length !== n)
    throw new ShapeError(`doubleExponentialFactors: ${(p.tauDecay as ArrayLike<number>).length} decay times for ${n} neurons`);
  const decayD = new Float32Array(n);
  const gain = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const td = perNeuron ? ((p.tauDecay as ArrayLike<number>)[i] as number) : (p.tauDecay as number);
    if (!(td > 0)) throw new ShapeError(`doubleExponentialFactors: decay time ${td} of neuron ${i} must be > 0`);
    decayD[i] = Math.exp(-p.dt / td);
    gain[i] = 1 / (p.tauRise * td);
  }
  if (!(p.tauRise > 0 && p.dt > 0)) throw new ShapeError(`doubleExponentialFactors: dt (${p.dt}) and tauRise (${p.tauRise}) must be > 0`);
  return { dt: p.dt, decayD, decayR: Math.exp(-p.dt / p.tauRise), gain };
}

/** A double-exponential synapse per neuron (n neurons, `batch` copies) at rest; advance it with `doubleExponentialStep`. */
export function createDoubleExponential(n: number, p: DoubleExponentialParams, batch = 1): DoubleExponential {
  if (!(Number.isInteger(batch) && batch >= 1))
    throw new ShapeError(`createDoubleExponential: batch (${batch}) must be a whole number ≥ 1`);
  return { ...doubleExponentialFactors(n, p), current: new Float32Array(batch * n), h: new Float32Array(batch * n) };
}

/**
 * One step; `input` is the summed presynaptic weight per neuron and copy ([batch, n]; a
 * spike flag per neuron for a filtered spike train), or null for none. Each update is
 * evaluated in double precision and stored in float32.
 */
export function doubleExponentialStep(s: DoubleExponential, input: ArrayLike<number> | null): void {
  const { current, h, dt, decayD, decayR, gain } = s;
  const n = decayD.length;
  for (let o = 0; o < current.length; o += n) {
    for (let i = 0; i < n; i++) {
      const k = o + i;
      current[k] = (current[k] as number) * (decayD[i] as number) + (h[k] as number) * dt;
      h[k] = (h[k] as number) * decayR + (input ? (input[k] as number) * (gain[i] as number) : 0);
    }
  }
}

/** The state of a double-exponential synapse as tensors of one shape ([..., n]). */
export interface DoubleExponentialTensorState {
  /** Synaptic current I. */
  current: Tensor;
  /** The rise variable h. */
  h: Tensor;
}

/**
 * `doubleExponentialStep` as TensorFlow.js ops (float32): decayD and gain are tensors of
 * shape [n] (or numbers), broadcast over the state's leading dimensions; `input` has the
 * state's shape. The caller disposes the returned tensors.
 */
export function doubleExponentialStepTensor(
  s: DoubleExponentialTensorState,
  input: Tensor | null,
  f: { dt: number; decayD: Tensor | number; decayR: number; gain: Tensor | number },
): DoubleExponentialTensorState {
  return tf.tidy(() => {
    const current = tf.add(tf.mul(s.current, f.decayD), tf.mul(s.h, f.dt));
    const decayed = tf.mul(s.h, f.decayR);
    const h = input ? tf.add(decayed, tf.mul(input, f.gain)) : decayed;
    return { current, h };
  });
}
