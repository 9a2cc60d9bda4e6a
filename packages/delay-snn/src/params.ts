/**
 * Reference configuration of the recurrent heterogeneous-delay SNN (Perrinet et al. 2026,
 * authors' code at its latest version). See shared spec delay-snn.md §1, §2 and §5.
 */
export const PERRINET2026_REFERENCE = {
  /** Neurons. */
  N: 1024,
  /** Steps per pattern. */
  T: 1000,
  /** Number of synaptic delays (delays 1..D steps). */
  D: 41,
  /** Patterns stored. */
  M: 16,
  /** Firing probability per neuron and step. */
  pA: 1e-3,
  /** Membrane decay per step (τ ≈ 2.8 steps). */
  beta: 0.7,
  /** Threshold (code: 0.8; paper text: 1.0). */
  threshold: 0.8,
  /** Reset variant (code: subtract; paper text: zero). */
  reset: 'subtract' as const,
  /** Steps of background Bernoulli(pA) noise before the cue. */
  backgroundSteps: 50,
  /** Training-time dropout on the synaptic current. */
  dropout: 0.37,
  /** Fast-sigmoid surrogate slope k. */
  surrogateSlope: 15,
  /** Gradient steps after the Hebbian initialisation. */
  trainingSteps: 16,
} as const;
