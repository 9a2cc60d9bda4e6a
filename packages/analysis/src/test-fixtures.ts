/** Synthetic data shared by this package's tests (not part of the public API). */
import type { Rng } from '@wmkit/tensor';

/**
 * Doubly stochastic Poisson counts: rate = r0·[1 + c·η]₊ with η an OU process of time constant τ
 * (1-ms steps, stationary start), counted in 50-ms bins: the paper's 50 trials × 21 bins.
 */
export function ouPoissonCounts(tauMs: number, units: number, trials: number, bins: number, rng: Rng, r0 = 50, c = 0.45): Float32Array {
  const out = new Float32Array(trials * units * bins);
  const decay = Math.exp(-1 / tauMs);
  const kick = Math.sqrt(1 - decay * decay);
  const z = new Float32Array(50);
  for (let r = 0; r < trials; r++) {
    for (let u = 0; u < units; u++) {
      let eta = rng.normal1();
      for (let b = 0; b < bins; b++) {
        rng.fillNormal(z);
        let lambda = 0;
        for (let s = 0; s < 50; s++) {
          eta = eta * decay + kick * z[s];
          lambda += Math.max(0, r0 * (1 + c * eta)) / 1000;
        }
        out[(r * units + u) * bins + b] = rng.poisson1(lambda);
      }
    }
  }
  return out;
}
