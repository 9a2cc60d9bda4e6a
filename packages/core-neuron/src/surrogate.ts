/**
 * Surrogate spike functions: a Heaviside step in the forward pass and a smooth pseudo-derivative
 * in the backward pass, so that spiking networks can be trained by gradient descent
 * (Neftci, Mostafa & Zenke 2019). The fast sigmoid is snnTorch's `surrogate.fast_sigmoid`:
 *
 *   forward   s = 1[x > 0]
 *   backward  ∂s/∂x ≈ 1 / (k·|x| + 1)²
 *
 * where x = u − ϑ is the membrane potential above threshold and k the slope.
 *
 * @example
 * ```ts
 * import { tf } from '@wmkit/tensor';
 * const spike = fastSigmoidSpike(15);
 * const g = tf.grad((x) => spike(x).sum())(tf.tensor1d([-0.1, 0, 0.2]));
 * // forward [0, 0, 1]; gradient [1/2.5², 1, 1/4²]
 * ```
 */
import { ShapeError, type Tensor, tf } from '@wmkit/tensor';

function checkSlope(slope: number): void {
  if (!(slope > 0 && Number.isFinite(slope))) throw new ShapeError(`surrogate slope k (${slope}) must be a finite number > 0`);
}

/**
 * A tfjs spike function with the fast-sigmoid surrogate gradient of slope `slope` (k).
 * Returns a function mapping x = u − ϑ (any shape) to spikes 1[x > 0] whose gradient is
 * dy / (k|x| + 1)². Usable inside `tf.grad`, `tf.variableGrads` and `optimizer.minimize`.
 */
export function fastSigmoidSpike(slope: number): (x: Tensor) => Tensor {
  checkSlope(slope);
  return tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
    const [xt, save] = args as [Tensor, tf.GradSaveFunc];
    save([xt]);
    return {
      value: tf.cast(tf.greater(xt, 0), 'float32'),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [xs] = saved;
        const d = tf.add(tf.mul(tf.abs(xs), slope), 1);
        return tf.div(dy, tf.mul(d, d));
      },
    };
  }) as (x: Tensor) => Tensor;
}
