/**
 * @wmkit/core-neuron — neuron and synapse primitives as pure functions over tensors and
 * typed arrays: transfer functions, leaky integration, Dale's law, LIF neurons,
 * double-exponential synapses, noise, discrete-time LIF with surrogate spikes, conductance-based
 * LIF with NMDA gating, and the divergence checks every trainer and simulation shares — the
 * pieces the models run.
 */

export * from './conductance-lif';
export * from './dale';
export * from './discrete-lif';
export * from './divergence';
export * from './leaky';
export * from './lif';
export * from './nmda';
export * from './noise';
export * from './poisson-input';
export * from './surrogate';
export * from './synapse';
export * from './transfer';
