/**
 * The one TensorFlow.js core that every wmkit package uses.
 *
 * Model packages import `tf` from here instead of `@tensorflow/tfjs-core`, so a
 * workspace or an application always sees exactly one engine, one kernel registry
 * and one gradient registry. `@tensorflow/tfjs-core` is a peer dependency of this
 * package: the application installs a single copy.
 *
 * @example
 * ```ts
 * import { initBackend, tf } from '@wmkit/tensor';
 * await initBackend();
 * tf.tidy(() => tf.add(1, 2).print());
 * ```
 */
import * as tf from '@tensorflow/tfjs-core';

export type { Rank, Scalar, Tensor, Tensor1D, Tensor2D, Tensor3D, Variable } from '@tensorflow/tfjs-core';
export { tf };
