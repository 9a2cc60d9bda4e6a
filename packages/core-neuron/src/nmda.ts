/**
 * NMDA receptor primitives (Jahr & Stevens 1990; Wang 1999; Compte et al. 2000).
 *
 * Voltage-dependent Mg²⁺ block:
 *   B(V) = 1 / (1 + [Mg²⁺]·e^{−0.062·V/mV} / 3.57)
 *
 * Saturating gating of a presynaptic neuron, driven by its spikes through a fast rise variable x:
 *   dx/dt = −x / τ_x                       x ← x + 1 at each spike
 *   ds/dt = −s / τ_NMDA + α·x·(1 − s)      (0 ≤ s < 1)
 * integrated with the explicit midpoint rule (RK2).
 *
 * @example
 * ```ts
 * mgBlock(-55);                 // ≈ 0.095 at 1 mM Mg²⁺
 * nmdaGatingStep(x, s, { tauXMs: 2, tauNmdaMs: 100, alphaPerMs: 0.5 }, 0.05);
 * ```
 */

/** B(V) at membrane potential `vMv` (mV) and [Mg²⁺] `mgMm` (mM, default 1). */
export function mgBlock(vMv: number, mgMm = 1): number {
  return 1 / (1 + (mgMm * Math.exp(-0.062 * vMv)) / 3.57);
}

/** Time constants and saturation rate of the NMDA gating (x, s) of `nmdaGatingStep`. */
export interface NmdaGatingParams {
  /** Rise variable decay τ_x (ms). */
  tauXMs: number;
  /** Gating decay τ_NMDA (ms). */
  tauNmdaMs: number;
  /** Saturation rate α (1/ms). */
  alphaPerMs: number;
}

/** Advances x and s of every neuron one midpoint step of dtMs (spikes are added afterwards). */
export function nmdaGatingStep(x: Float64Array, s: Float64Array, p: NmdaGatingParams, dtMs: number): void {
  const h = dtMs;
  const kx = 1 / p.tauXMs;
  const ks = 1 / p.tauNmdaMs;
  const al = p.alphaPerMs;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const si = s[i];
    const xm = xi - 0.5 * h * kx * xi;
    const sm = si + 0.5 * h * (-ks * si + al * xi * (1 - si));
    x[i] = xi - h * kx * xm;
    s[i] = si + h * (-ks * sm + al * xm * (1 - sm));
  }
}

/**
 * Exponential synaptic gating ds/dt = −s/τ (AMPA, GABA_A), one midpoint step: the factor
 * 1 − h + h²/2 with h = Δt/τ (what RK2 gives for a linear decay, so the whole network is
 * integrated by one method).
 */
export function exponentialGatingStep(s: Float64Array, tauMs: number, dtMs: number): void {
  const h = dtMs / tauMs;
  const f = 1 - h + 0.5 * h * h;
  for (let i = 0; i < s.length; i++) s[i] *= f;
}

/** Adds 1 to `g` at each of the first `count` indices in `spiked` (a spike's jump in x or s). */
export function addSpikes(g: Float64Array, spiked: Int32Array, count: number): void {
  for (let k = 0; k < count; k++) g[spiked[k]] += 1;
}
