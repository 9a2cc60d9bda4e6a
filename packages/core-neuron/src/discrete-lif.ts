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
 * derivative (see `fastSigmoidSpike`). delay-snn's dense network and its TensorFlow.js engine
 * run this step (β and ϑ may be tensors, to learn them).
 *
 * @example
 * ```ts
 * const p = { beta: 0.7, threshold: 0.8, reset: 'subtract' as const };
 * const { mem, spikes } = discreteLifStepTensor(u, prevSpikes, current, p, fastSigmoidSpike(15));
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

/** `DiscreteLifParams` with β and ϑ as numbers or scalar tensors (tensors: autodiff gives their gradients). */
export interface DiscreteLifTensorParams {
  /** Membrane decay per step. */
  beta: number | Tensor;
  /** Firing threshold ϑ. */
  threshold: number | Tensor;
  /** How a spike resets the membrane. */
  reset: ResetMode;
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
  p: DiscreteLifTensorParams,
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
