/**
 * Leaky (Euler) integration of rate units and the time-constant parameterisations used by
 * trained networks.
 *
 *   x_t = (1 − α) x_{t−1} + α · drive,    α = Δt / τ
 *
 * Trainable τ within bounds (Kim et al. 2019, spikeRNN `rate/model.py`):
 *   τ = σ(τ_raw) · (τ_max − τ_min) + τ_min
 *
 * @example
 * ```ts
 * const x1 = leakyEulerStep(x0, drive, 0.2);                  // tensors
 * tauFromRaw(new Float32Array([0]), 4, 25);                    // [14.5] steps
 * ```
 */
import { ShapeError, type Tensor, tf } from '@wmkit/tensor';

/** (1 − α)·x + α·drive; α a number or a tensor broadcastable to x (one per unit). */
export function leakyEulerStep(x: Tensor, drive: Tensor, alpha: number | Tensor): Tensor {
  return tf.tidy(() => {
    const a = typeof alpha === 'number' ? tf.scalar(alpha) : alpha;
    return tf.add(tf.mul(tf.sub(1, a), x), tf.mul(a, drive));
  });
}

/** τ = σ(raw)·(τmax − τmin) + τmin, elementwise (units of τmin/τmax). */
export function tauFromRaw(raw: ArrayLike<number>, tauMin: number, tauMax: number): Float32Array {
  if (!(tauMax >= tauMin && tauMin > 0)) throw new ShapeError(`tauFromRaw: need 0 < τmin (${tauMin}) ≤ τmax (${tauMax})`);
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = (1 / (1 + Math.exp(-raw[i]))) * (tauMax - tauMin) + tauMin;
  return out;
}

/** dτ/dτ_raw = σ'(raw)·(τmax − τmin), for chain rules written by hand. */
export function tauFromRawDerivative(raw: ArrayLike<number>, tauMin: number, tauMax: number): Float32Array {
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const s = 1 / (1 + Math.exp(-raw[i]));
    out[i] = s * (1 - s) * (tauMax - tauMin);
  }
  return out;
}
