/**
 * Discrete-time leaky integrate-and-fire neurons, one update per time step, as in snnTorch's
 * `snn.Leaky` (the neuron of Perrinet et al.'s delay networks):
 *
 *   subtract reset:  u(t) = β·u(t−1) + I(t) − ϑ·s(t−1)
 *   zero reset:      u(t) = β·u(t−1)·(1 − s(t−1)) + I(t)
 *   spike:           s(t) = 1[u(t) > ϑ]
 *
 * s(t−1) is the spike the neuron emitted at the previous step (1[u(t−1) > ϑ]). In gradients
 * the reset is treated as a constant (snnTorch detaches it), and the spike uses a surrogate
 * derivative (see `fastSigmoidSpike`).
 *
 * @example
 * ```ts
 * const p = { beta: 0.7, threshold: 0.8, reset: 'subtract' as const };
 * const u = new Float32Array(3), s = new Uint8Array(3);
 * discreteLifStep(u, s, Float32Array.of(0.5, 0.9, 2), p); // s = [0, 1, 1]
 * ```
 */
import { stopGradient, type Tensor, tf } from '@wmkit/tensor';

/** 'zero': u ← 0 after a spike (Perrinet et al., paper); 'subtract': u ← u − ϑ (snnTorch, the authors' code). */
export type ResetMode = 'subtract' | 'zero';

/** Discrete-time LIF: decay β per step, threshold ϑ, and how a spike resets the membrane. */
export interface DiscreteLifParams {
  /** Membrane decay per step, 0 ≤ β ≤ 1 (τ = −1/ln β steps). */
  beta: number;
  /** Firing threshold ϑ > 0. */
  threshold: number;
  /** 'subtract' (snnTorch default, the authors' code) or 'zero' (the paper's equation). */
  reset: ResetMode;
}

/** Throws a RangeError naming the first parameter outside its valid range. */
export function checkDiscreteLifParams(p: DiscreteLifParams): void {
  if (!(p.beta >= 0 && p.beta <= 1)) throw new RangeError(`discrete LIF: beta (${p.beta}) must lie in [0, 1]`);
  if (!(p.threshold > 0 && Number.isFinite(p.threshold)))
    throw new RangeError(`discrete LIF: threshold (${p.threshold}) must be a finite number > 0`);
  if (p.reset !== 'subtract' && p.reset !== 'zero')
    throw new RangeError(`discrete LIF: reset must be 'subtract' or 'zero', got '${String(p.reset)}'`);
}

/** Membrane time constant in steps for a decay β per step (τ = −1/ln β). */
export function membraneTimeConstant(beta: number): number {
  return -1 / Math.log(beta);
}

/**
 * Advances `u` (membrane) and `s` (spikes of the previous step in, of this step out) by one
 * step with input current `current`. Returns the number of spikes.
 */
export function discreteLifStep(u: Float32Array, s: Uint8Array, current: ArrayLike<number>, p: DiscreteLifParams): number {
  const n = u.length;
  if (s.length !== n || current.length !== n) {
    throw new RangeError(`discreteLifStep: u has ${n} neurons but s has ${s.length} and current ${current.length}`);
  }
  // float32 arithmetic throughout (as PyTorch and the wasm kernels do): products of two
  // float32 values are exact in double precision, so rounding each result once is exact.
  const beta = Math.fround(p.beta);
  const threshold = Math.fround(p.threshold);
  let count = 0;
  if (p.reset === 'subtract') {
    for (let j = 0; j < n; j++) {
      const x = Math.fround(Math.fround(Math.fround(beta * u[j]) + current[j]) - (s[j] ? threshold : 0));
      u[j] = x;
      const sp = x > threshold ? 1 : 0;
      s[j] = sp;
      count += sp;
    }
  } else {
    for (let j = 0; j < n; j++) {
      const x = Math.fround((s[j] ? 0 : Math.fround(beta * u[j])) + current[j]);
      u[j] = x;
      const sp = x > threshold ? 1 : 0;
      s[j] = sp;
      count += sp;
    }
  }
  return count;
}

/**
 * One differentiable step in tfjs: returns the new membrane and spikes. `spikeFn` maps
 * u − ϑ to spikes (e.g. `fastSigmoidSpike(k)`); `prevSpikes` is treated as a constant in
 * the reset, as snnTorch does.
 */
export function discreteLifStepTensor(
  mem: Tensor,
  prevSpikes: Tensor,
  current: Tensor,
  p: DiscreteLifParams,
  spikeFn: (x: Tensor) => Tensor,
): { mem: Tensor; spikes: Tensor } {
  return tf.tidy(() => {
    const reset = stopGradient(prevSpikes);
    const next =
      p.reset === 'subtract'
        ? tf.sub(tf.add(tf.mul(mem, p.beta), current), tf.mul(reset, p.threshold))
        : tf.add(tf.mul(tf.mul(mem, p.beta), tf.sub(1, reset)), current);
    return { mem: next, spikes: spikeFn(tf.sub(next, p.threshold)) };
  });
}
