/**
 * Noise processes.
 *
 * Gaussian white noise per step: ξ ~ N(0, σ²) (`gaussianNoise`).
 * Ornstein–Uhlenbeck, exact update (Gillespie 1996) for stationary SD σ and correlation time τ:
 *   η ← η·e^{−Δt/τ} + σ·√(1 − e^{−2Δt/τ})·ξ
 *
 * @example
 * ```ts
 * const eta = rng.normal(n, 0, sigma);                  // stationary start
 * ouStep(eta, { dt: 0.01, tau: 0.05, sigma: 0.22 }, rng);
 * ```
 */
import type { Rng } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';

/** Ornstein–Uhlenbeck noise: time step, correlation time τ (same unit) and stationary SD σ. */
export interface OuParams {
  dt: number;
  tau: number;
  /** Stationary standard deviation. */
  sigma: number;
}

/** Advances an OU process exactly, in place. */
export function ouStep(eta: Float32Array, p: OuParams, rng: Rng, scratch: Float32Array = new Float32Array(eta.length)): Float32Array {
  if (!(p.tau > 0 && p.dt > 0 && p.sigma >= 0))
    throw new ShapeError(`ouStep: need dt > 0, tau > 0, sigma ≥ 0 (got ${p.dt}, ${p.tau}, ${p.sigma})`);
  const decay = Math.exp(-p.dt / p.tau);
  const kick = p.sigma * Math.sqrt(1 - decay * decay);
  const z = rng.fillNormal(scratch.length === eta.length ? scratch : new Float32Array(eta.length));
  for (let i = 0; i < eta.length; i++) eta[i] = eta[i] * decay + kick * z[i];
  return eta;
}

/**
 * Fills `out` with Gaussian white noise N(0, σ²) from `rng` (σ = 0: zeros, no draws) — the
 * voltage noise of ei-rnn's LIF network, drawn in the order its wasm kernel draws it.
 */
export function gaussianNoise(out: Float32Array, sigma: number, rng: Rng): Float32Array {
  if (!(sigma >= 0)) throw new ShapeError(`gaussianNoise: sigma (${sigma}) must be ≥ 0`);
  if (sigma === 0) return out.fill(0);
  return rng.fillNormal(out, 0, sigma);
}
