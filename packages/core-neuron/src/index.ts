/**
 * @wmkit/core-neuron — neuron and synapse primitives as pure functions over tensors and
 * typed arrays: transfer functions, leaky integration, Dale's law, LIF neurons,
 * double-exponential synapses, noise.
 */

export * from './dale';
export * from './leaky';
export * from './lif';
export * from './noise';
export * from './synapse';
export * from './transfer';
