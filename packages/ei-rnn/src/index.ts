/**
 * @wmkit/ei-rnn — excitatory/inhibitory rate RNNs (Kim, Li & Sejnowski 2019; Kim & Sejnowski
 * 2021), trained by BPTT on wmkit's wasm scan kernel, and their conversion to LIF spiking networks.
 */

/** Thrown by this package's trainers and simulations when they diverge (step and value in the message). */
export { DivergenceError } from '@wmkit/core-neuron';
export * from './config';
export * from './experiments';
export * from './kernels/lif-kernel';
export * from './kim-mat';
export * from './lif-noise';
export * from './memory';
export * from './presets';
export * from './rate-rnn';
export * from './scale-search';
export * from './serialize';
export * from './spiking';
export * from './step-map';
export * from './stm';
export * from './tfjs-engine';
export * from './trainer';
