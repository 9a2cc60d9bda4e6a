/**
 * @wmkit/attractor-models — ring attractor networks of spatial working memory (Wimmer et al.
 * 2014), batched for thousands of trials, with their direct reference form.
 */

/** Thrown by this package's trainers and simulations when they diverge (step and value in the message). */
export { DivergenceError } from '@wmkit/core-neuron';
export * from './compte2000';
export * from './foldiak';
export * from './foldiak-associator';
export * from './foldiak-run';
export * from './foldiak-tfjs';
export * from './kernels/ring-kernel';
export * from './memory';
export * from './params';
export * from './protocol';
export * from './ring';
export * from './ring-dense';
export * from './ring-live';
export * from './ring-run';
export * from './ring-structure';
export * from './ring-tfjs';
export * from './surrogate';
export * from './wta';
export * from './wta-ops';
export * from './wta-tfjs';
