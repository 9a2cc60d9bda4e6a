/**
 * Published parameters of the E/I rate RNN and its spiking conversion
 * (Kim, Li & Sejnowski 2019, PNAS; Kim & Sejnowski 2021, Nat. Neurosci.), as checked against
 * the authors' code (spikeRNN `rate/model.py`, `spiking/LIF_network_fnc.m`). See
 * shared spec ei-rnn.md §1 and §3.
 */

/** Rate network (spec §1). */
export const KIM_RATE_PARAMS = {
  /** Units in the DMS models. */
  N: 200,
  /** Probability that a unit is inhibitory (spikeRNN `P_inh`). */
  pInh: 0.2,
  /** Probability that a connection exists at initialisation (`P_rec`). */
  pRec: 0.2,
  /** Initial weight gain: |N(0,1)|·gain/√(N·pRec) (`gain`). */
  gain: 1.5,
  /** Euler step, ms (one step = 5 ms). */
  dtMs: 5,
  /** Trainable decay bounds in steps: [4, 25] = 20–125 ms. */
  tauMinSteps: 4,
  tauMaxSteps: 25,
  /** SD of the Gaussian noise added to x every step. */
  noiseStd: 0.1,
  /** SD of the initial state x₀. */
  x0Std: 0.01,
  /** SD of the initial read-out weights. */
  wOutStd: 0.01,
} as const;

/** LIF network of the conversion (spec §3). */
export const KIM_LIF_PARAMS = {
  dtMs: 0.05,
  tauMemMs: 10,
  refractoryMs: 2,
  thresholdMv: -40,
  resetMv: -65,
  /** Constant bias current added every step. */
  bias: -40,
  /** Rise time of the double-exponential synapse. */
  tauRiseMs: 2,
  /** SD of the noise added to v every step (randn/10). */
  noiseStd: 0.1,
  /** v₀ ~ U(−65, 30) mV. */
  v0Range: [-65, 30] as const,
  /** Grid of 1/λ for the scale search. */
  inverseScaleGrid: [20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75] as const,
} as const;
