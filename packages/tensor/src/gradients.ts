/**
 * Gradient registration.
 *
 * `@tensorflow/tfjs-core` on its own registers no gradient functions: `tf.grad` of a
 * sigmoid fails with "gradient function not found for Sigmoid". Its gradient configs ship
 * only as ES modules inside `dist/`, which Node cannot load from a CommonJS package, so
 * this package's build bundles that one file (and the ops it calls). The bundled ops share
 * tfjs-core's engine, kernel registry and gradient registry through tfjs-core's global
 * namespace, exactly as `@tensorflow/tfjs` does, so there is still one engine.
 *
 * Importing `@wmkit/tensor` evaluates this module once per process: every stock gradient
 * is registered exactly once.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { tf } from './tf';

/** True when the stock gradients are in tfjs-core's registry. */
export function gradientsRegistered(): boolean {
  return tf.getGradient('Sigmoid') != null && tf.getGradient('BatchMatMul') != null;
}
