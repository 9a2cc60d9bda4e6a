/**
 * Conductance-based leaky integrate-and-fire neurons (Compte et al. 2000; Brunel & Wang 2001),
 * integrated with the explicit midpoint rule (RK2), batched over neurons held in typed arrays.
 *
 *   C_m dV/dt = −g_L (V − E_L) − g_AMPA s_AMPA (V − E_AMPA)
 *               − g_NMDA (V − E_NMDA) B(V) − g_GABA (V − E_GABA) + I_ext
 *   ds_AMPA/dt = −s_AMPA / τ_AMPA
 *   V > V_th  →  spike, V ← V_reset, V held for τ_ref (s_AMPA keeps decaying)
 *
 * g_NMDA and g_GABA are the recurrent conductances (nS) summed over the presynaptic gating
 * variables at the start of the step and held through it; s_AMPA is the neuron's own
 * external-input gating, driven by `poissonInput`. B(V) is the Mg²⁺ block of `mgBlock`.
 *
 * Units: V in mV, C_m in nF, conductances in nS, currents in pA, time in ms
 * (nS·mV = pA; pA / nF = 10⁻³ mV/ms).
 *
 * @example
 * ```ts
 * const pop = createConductanceLifState(1024, v0);
 * const n = conductanceLifStep(pop, { gNmda, gGaba, iExt }, params, 0.05, spiked);
 * ```
 */

import { ShapeError } from '@wmkit/tensor';
import { mgBlock } from './nmda';

/** Parameters of one conductance-based LIF population (mV, nF, nS, ms; Compte et al. 2000). */
export interface ConductanceLifParams {
  /** Membrane capacitance C_m (nF). */
  cmNf: number;
  /** Leak conductance g_L (nS). */
  gLeakNs: number;
  /** Leak reversal E_L (mV). */
  eLeakMv: number;
  /** Threshold V_th (mV). */
  vThresholdMv: number;
  /** Reset V_reset (mV). */
  vResetMv: number;
  /** Absolute refractory period τ_ref (ms). */
  refractoryMs: number;
  /** Peak conductance of the external AMPA input per unit s_AMPA (nS). */
  gAmpaNs: number;
  /** AMPA decay τ_AMPA (ms). */
  tauAmpaMs: number;
  /** Reversal potentials (mV). */
  eAmpaMv: number;
  eNmdaMv: number;
  eGabaMv: number;
  /** Extracellular [Mg²⁺] (mM). */
  mgMm: number;
}

/** State of a population of conductance-based LIF neurons, one value per neuron: V (mV), s_AMPA and refractory time left. */
export interface ConductanceLifState {
  v: Float64Array;
  sAmpa: Float64Array;
  /** Refractory time left (ms). */
  refractoryLeft: Float64Array;
}

/** Per-neuron inputs held through a step: recurrent conductances (nS) and injected current (pA). */
export interface ConductanceInputs {
  gNmda: ArrayLike<number>;
  gGaba: ArrayLike<number>;
  /** Injected current (pA), or null for none. */
  iExt: ArrayLike<number> | null;
}

/** The state of `n` neurons at potential `v0` (mV; 0 when omitted), s_AMPA 0 and not refractory. */
export function createConductanceLifState(n: number, v0?: ArrayLike<number>): ConductanceLifState {
  if (v0 && v0.length !== n) throw new ShapeError(`createConductanceLifState: v0 has ${v0.length} values for ${n} neurons`);
  return { v: v0 ? Float64Array.from(v0) : new Float64Array(n), sAmpa: new Float64Array(n), refractoryLeft: new Float64Array(n) };
}

/**
 * dV/dt (mV/ms) of one neuron at potential v with AMPA gating sAmpa, recurrent conductances
 * gNmda, gGaba (nS) and injected current iExt (pA).
 */
export function conductanceLifDerivative(
  v: number,
  sAmpa: number,
  gNmda: number,
  gGaba: number,
  iExt: number,
  p: ConductanceLifParams,
): number {
  const iSyn =
    p.gLeakNs * (v - p.eLeakMv) +
    p.gAmpaNs * sAmpa * (v - p.eAmpaMv) +
    gNmda * (v - p.eNmdaMv) * mgBlock(v, p.mgMm) +
    gGaba * (v - p.eGabaMv);
  return (1e-3 * (iExt - iSyn)) / p.cmNf;
}

/**
 * Advances every neuron one midpoint (RK2) step of dtMs. Indices of the neurons that crossed
 * threshold are written to `spiked`; returns how many.
 */
export function conductanceLifStep(
  s: ConductanceLifState,
  inp: ConductanceInputs,
  p: ConductanceLifParams,
  dtMs: number,
  spiked: Int32Array,
): number {
  const { v, sAmpa, refractoryLeft } = s;
  const { gNmda, gGaba, iExt } = inp;
  const h = dtMs;
  const kA = 1 / p.tauAmpaMs;
  let count = 0;
  for (let i = 0; i < v.length; i++) {
    const a = sAmpa[i];
    const aMid = a - 0.5 * h * kA * a;
    sAmpa[i] = a - h * kA * aMid;
    if (refractoryLeft[i] > 0) {
      refractoryLeft[i] -= h;
      if (refractoryLeft[i] > 1e-9) continue; // held while less than τ_ref has passed since the spike
      refractoryLeft[i] = 0;
    }
    const I = iExt ? iExt[i] : 0;
    const x = v[i];
    const k1 = conductanceLifDerivative(x, a, gNmda[i], gGaba[i], I, p);
    const xn = x + h * conductanceLifDerivative(x + 0.5 * h * k1, aMid, gNmda[i], gGaba[i], I, p);
    if (xn > p.vThresholdMv) {
      v[i] = p.vResetMv;
      refractoryLeft[i] = p.refractoryMs;
      spiked[count++] = i;
    } else v[i] = xn;
  }
  return count;
}
