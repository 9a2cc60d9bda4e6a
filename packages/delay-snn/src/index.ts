/**
 * @wmkit/delay-snn — recurrent spiking networks with heterogeneous synaptic delays that store
 * and recall spike patterns (Perrinet et al. 2026): Hebbian and pseudo-inverse initialisation,
 * event-driven simulation and surrogate-gradient training with the global F1 loss,
 * robustness protocols and parameter scans.
 */
export * from './config';
export * from './dense';
export * from './engine';
export * from './events';
export * from './experiments';
export * from './memory';
export * from './metrics';
export * from './network';
export * from './recall';
export * from './recall-summary';
export * from './serialize';
export * from './train';
