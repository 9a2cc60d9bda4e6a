/**
 * Leaky integrate-and-fire neurons with an absolute refractory period (Euler), batched over
 * any number of neurons held in Float32Arrays.
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
export interface LifParams {
  /** Time step (same unit as tauMem and refractory). */
  dt: number;
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
  v: Float32Array;
  /** Steps of refractoriness left per neuron. */
  refractoryLeft: Int32Array;
}

/** Throws a RangeError naming the first parameter outside its valid range (including dt/τ_m > 1). */
export function checkLifParams(p: LifParams): void {
  if (!(p.dt > 0 && p.tauMem > 0)) throw new RangeError(`LIF: dt (${p.dt}) and tauMem (${p.tauMem}) must be > 0`);
  if (p.dt / p.tauMem > 1) throw new RangeError(`LIF: dt/tauMem = ${p.dt / p.tauMem} > 1 makes Euler integration unstable`);
  if (!(p.reset < p.threshold)) throw new RangeError(`LIF: reset (${p.reset} mV) must be below threshold (${p.threshold} mV)`);
  if (!(p.refractory >= 0)) throw new RangeError(`LIF: refractory (${p.refractory}) must be ≥ 0`);
}

/** A LIF population at `v0` (mV; default 0) with no neuron refractory. */
export function createLifState(n: number, v0?: ArrayLike<number>): LifState {
  if (v0 && v0.length !== n) throw new RangeError(`createLifState: v0 has ${v0.length} values for ${n} neurons`);
  return { v: v0 ? Float32Array.from(v0) : new Float32Array(n), refractoryLeft: new Int32Array(n) };
}

/**
 * Advances every neuron one step. `current` (mV) and `noise` (mV, or null) hold one value per
 * neuron. Indices of neurons that spiked are written to `spiked`; returns how many.
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
  let count = 0;
  for (let i = 0; i < v.length; i++) {
    let x = v[i];
    if (refractoryLeft[i] > 0) refractoryLeft[i] -= 1;
    else x += k * (current[i] - x);
    if (noise) x += noise[i];
    if (x >= p.threshold) {
      x = p.reset;
      refractoryLeft[i] = refSteps;
      spiked[count++] = i;
    }
    v[i] = x;
  }
  return count;
}
