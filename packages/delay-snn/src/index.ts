/**
 * @wmkit/delay-snn — recurrent spiking networks with heterogeneous synaptic delays that store
 * and recall spike patterns (Perrinet et al. 2026): Hebbian and pseudo-inverse initialisation,
 * event-driven simulation and surrogate-gradient training with the global F1 loss,
 * robustness protocols and parameter scans.
 */

/** Thrown by this package's trainers and simulations when they diverge (step and value in the message). */
export { DivergenceError } from '@wmkit/core-neuron';
export * from './config';
export * from './dense';
export * from './engine';
export * from './engine-tfjs';
export * from './events';
export * from './experiments';
export * from './kernels/hdsnn-kernel';
export * from './memory';
export * from './metrics';
export * from './network';
export * from './recall';
export * from './recall-summary';
export * from './serialize';
export * from './train';
