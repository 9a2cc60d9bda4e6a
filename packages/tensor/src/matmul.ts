/**
 * Matrix product whose gradient avoids transpose-flag kernels.
 *
 *   C = A · B,   ∂L/∂A = ∂L/∂C · Bᵀ,   ∂L/∂B = Aᵀ · ∂L/∂C
 *
 * tfjs's stock BatchMatMul gradient computes these with `transposeA/transposeB`
 * flags; the wasm backend (XNNPACK) runs those 5–10× slower than a plain product,
 * so training a rate RNN spends most of its time there. Here the transposes are
 * explicit (an O(n²) copy) and every product is flag-free. Values and gradients
 * equal the stock ones (tested); use it for any product inside a training loop.
 *
 * Shapes: [m,k]·[k,n]; [b,m,k]·[b,k,n]; and [..., m, k]·[k, n] (a shared weight
 * matrix applied to a batch, folded into one 2-D product).
 *
 * @example
 * ```ts
 * const h = matMul(x, wRec);   // x [B, N], wRec [N, N]
 * ```
 */

import { ShapeError } from './errors';
import { formatShape } from './ndarray';
import type { Tensor } from './tf';
import { tf } from './tf';

function swapLast2(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 1] = rank - 2;
  perm[rank - 2] = rank - 1;
  return perm;
}

const product = tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [Tensor, Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const [sa, sb] = saved;
      const da = tf.matMul(dy, tf.transpose(sb, swapLast2(sb.rank)));
      const db = tf.matMul(tf.transpose(sa, swapLast2(sa.rank)), dy);
      return [da, db];
    },
  };
});

/** A · B with transpose-free gradients (see module doc). */
export function matMul(a: Tensor, b: Tensor): Tensor {
  const ka = a.shape[a.rank - 1];
  const kb = b.shape[b.rank - 2];
  if (a.rank < 2 || b.rank < 2 || ka !== kb) {
    throw new ShapeError(`matMul: inner dimensions must agree, got ${formatShape(a.shape)} · ${formatShape(b.shape)}`);
  }
  if (a.rank > 2 && b.rank === 2) {
    const lead = a.shape.slice(0, -1);
    const flat = tf.reshape(a, [-1, ka]);
    return tf.reshape(product(flat, b) as Tensor, [...lead, b.shape[1] as number]);
  }
  if (a.rank !== b.rank || a.shape.slice(0, -2).join() !== b.shape.slice(0, -2).join()) {
    throw new ShapeError(`matMul: batch dimensions must agree, got ${formatShape(a.shape)} · ${formatShape(b.shape)}`);
  }
  return product(a, b) as Tensor;
}

const detached = tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
  const [x] = args as [Tensor];
  return { value: tf.clone(x), gradFunc: (dy: Tensor) => tf.zerosLike(dy) };
});

/**
 * `x` as a constant for gradients (PyTorch's `.detach()`, TensorFlow's `stop_gradient`):
 * the same values, zero gradient.
 */
export function stopGradient<T extends Tensor>(x: T): T {
  return detached(x) as T;
}
