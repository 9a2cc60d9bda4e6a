/**
 * External Poisson background: each neuron receives `nInputs` independent Poisson trains of
 * rate ν, so its gating variable jumps by Binomial(nInputs, ν·Δt) each step (Brian's
 * PoissonInput; Compte et al. 2000 drive every cell this way).
 *
 * Drawn exactly by geometric skipping over the nNeurons × nInputs Bernoulli(ν·Δt) trials of
 * each step (Devroye 1986, ch. X.2): one uniform per input spike instead of one per neuron,
 * which matters when ν·Δt is ~10⁻⁴ and the expected count per step is well below one. The skip
 * carries over between steps (the trials are i.i.d., so this is the same law). No library does
 * this over a flattened population, hence written here.
 *
 * @example
 * ```ts
 * const bg = createPoissonInput(1024, 1000, 1.4, 0.05);
 * poissonInputStep(bg, sAmpa, rng);   // sAmpa[i] += Binomial(1000, 1.4 Hz · 0.05 ms)
 * ```
 */
import type { Rng } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';

/** External Poisson background of a population (`createPoissonInput`), including the skip carried between steps. */
export interface PoissonInput {
  nNeurons: number;
  nInputs: number;
  /** Bernoulli probability per input and step, ν·Δt. */
  p: number;
  /** 1 / log(1 − p). */
  invLog1mP: number;
  /** Trials left to skip before the next success (carried over between steps). */
  skip: number;
}

/** Poisson background of `nInputs` trains at `rateHz` per neuron for steps of `dtMs`; throws unless ν·Δt < 1. */
export function createPoissonInput(nNeurons: number, nInputs: number, rateHz: number, dtMs: number): PoissonInput {
  if (!(Number.isInteger(nInputs) && nInputs >= 0)) throw new ShapeError(`poissonInput: nInputs (${nInputs}) must be an integer ≥ 0`);
  if (!(rateHz >= 0)) throw new ShapeError(`poissonInput: rate (${rateHz} Hz) must be ≥ 0`);
  const p = rateHz * dtMs * 1e-3;
  if (!(p < 1)) throw new ShapeError(`poissonInput: rate × dt = ${p} must be < 1 (lower dt or the rate)`);
  return { nNeurons, nInputs, p, invLog1mP: p > 0 ? 1 / Math.log1p(-p) : 0, skip: -1 };
}

function nextSkip(b: PoissonInput, rng: Rng): number {
  const u = (rng.uint32() + 0.5) * 2.3283064365386963e-10; // (0, 1)
  return Math.floor(Math.log(u) * b.invLog1mP); // failures before the next success: Geometric(p)
}

/** Adds this step's input counts to `target` (one value per neuron); returns the total count. */
export function poissonInputStep(b: PoissonInput, target: Float64Array, rng: Rng, weight = 1): number {
  if (b.p === 0 || b.nInputs === 0) return 0;
  const total = b.nNeurons * b.nInputs;
  if (b.skip < 0) b.skip = nextSkip(b, rng);
  let pos = b.skip;
  let n = 0;
  while (pos < total) {
    target[Math.floor(pos / b.nInputs)] += weight;
    n++;
    pos += 1 + nextSkip(b, rng);
  }
  b.skip = pos - total;
  return n;
}
