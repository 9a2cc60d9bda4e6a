/**
 * Leaky integrate-and-fire neurons with an absolute refractory period (Euler), batched over
 * any number of neurons (e.g. B trials × N units, trial-major) — the neuron of the converted
 * networks of Kim, Li & Sejnowski (2019), run by ei-rnn's LIF network (its JavaScript
 * reference with `lifStep`, its TensorFlow.js engine with `lifStepTensor`).
 *
 *   τ_m dv/dt = −v + I      (not integrated while refractory)
 *   v ← v + ξ               (additive noise every step, refractory or not, as in Kim et al. 2019)
 *   v ≥ θ  →  spike, v ← V_reset, refractory for round(t_ref/Δt) steps
 *
 * Units: v, θ, V_reset and I in mV (I is the steady-state voltage it drives to); Δt, τ_m and
 * t_ref in the same time unit.
 *
 * @example
 * ```ts
 * const p = { dt: 0.05, tauMem: 10, threshold: -40, reset: -65, refractory: 2 };
 * const s = createLifState(200, v0);
 * const nSpikes = lifStep(s, current, p, noise, spikeIndices);
 * ```
 */
import { ShapeError, type Tensor, tf } from '@wmkit/tensor';

/** Euler LIF constants: time step, membrane time constant, threshold, reset and refractory period. */
export interface LifParams {
  /** Time step (same unit as tauMem and refractory). */
  dt: number;
  /** Membrane time constant (same unit as dt). */
  tauMem: number;
  /** Spike threshold (mV). */
  threshold: number;
  /** Reset potential (mV). */
  reset: number;
  /** Absolute refractory period. */
  refractory: number;
}

/** Membrane potentials (mV) and refractory steps left of a population of LIF neurons. */
export interface LifState {
  /** Membrane potential per neuron (mV). */
  v: Float32Array;
  /** Steps of refractoriness left per neuron. */
  refractoryLeft: Int32Array;
}

/** A LIF population at `v0` (mV; default 0, copied) with no neuron refractory. */
export function createLifState(n: number, v0?: ArrayLike<number>): LifState {
  if (v0 && v0.length !== n) throw new ShapeError(`createLifState: v0 has ${v0.length} values for ${n} neurons`);
  return { v: v0 ? Float32Array.from(v0) : new Float32Array(n), refractoryLeft: new Int32Array(n) };
}

/**
 * Advances every neuron one step. `current` (mV) and `noise` (mV, or null) hold one value per
 * neuron; each update is evaluated in double precision and stored in float32, so a
 * `Float64Array` current keeps sums of several inputs exact (as the wasm LIF kernel does).
 * Indices of neurons that spiked are written to `spiked` in increasing order; returns how many.
 */
export function lifStep(
  state: LifState,
  current: ArrayLike<number>,
  p: LifParams,
  noise: ArrayLike<number> | null,
  spiked: Int32Array,
): number {
  const { v, refractoryLeft } = state;
  const k = p.dt / p.tauMem;
  const refSteps = Math.round(p.refractory / p.dt);
  const threshold = p.threshold;
  const reset = p.reset;
  let count = 0;
  for (let i = 0; i < v.length; i++) {
    let x = v[i] as number;
    if ((refractoryLeft[i] as number) > 0) refractoryLeft[i] = (refractoryLeft[i] as number) - 1;
    else x += k * ((current[i] as number) - x);
    if (noise) x += noise[i] as number;
    if (x >= threshold) {
      x = reset;
      refractoryLeft[i] = refSteps;
      spiked[count++] = i;
    }
    v[i] = x;
  }
  return count;
}

/** The LIF state as tensors (any shape, the same for both): membrane (mV) and refractory steps left. */
export interface LifTensorState {
  /** Membrane potential (mV). */
  v: Tensor;
  /** Steps of refractoriness left (float). */
  refractoryLeft: Tensor;
}

/**
 * `lifStep` as TensorFlow.js ops (float32): the new state and the spikes (1 where v crossed θ
 * this step, else 0). `current` and `noise` (or null) have the state's shape. The caller
 * disposes the returned tensors.
 */
export function lifStepTensor(
  state: LifTensorState,
  current: Tensor,
  p: LifParams,
  noise: Tensor | null,
): LifTensorState & { spikes: Tensor } {
  const k = p.dt / p.tauMem;
  const refSteps = Math.round(p.refractory / p.dt);
  return tf.tidy(() => {
    const { v: v0, refractoryLeft: r0 } = state;
    const refractory = tf.greater(r0, 0);
    let x = tf.where(refractory, v0, tf.add(v0, tf.mul(k, tf.sub(current, v0))));
    if (noise) x = tf.add(x, noise);
    const spiked = tf.greaterEqual(x, p.threshold);
    const refractoryLeft = tf.where(spiked, tf.fill(v0.shape, refSteps), tf.maximum(tf.sub(r0, 1), 0));
    const v = tf.where(spiked, tf.fill(v0.shape, p.reset), x);
    return { v, refractoryLeft, spikes: tf.cast(spiked, 'float32') };
  });
}
