/**
 * Transfer (activation) functions r = f(x) of rate neurons, as tensor functions and as
 * scalar functions (for event-driven and analytic code).
 *
 * | name      | f(x)                                              | used by                          |
 * |-----------|---------------------------------------------------|----------------------------------|
 * | sigmoid   | 1 / (1 + e^{−x})                                  | Kim et al. 2019 (default)        |
 * | tanh      | tanh x                                            | Kurtkaya et al. 2025             |
 * | relu      | max(0, x)                                         | Kim et al. 2019 (option)         |
 * | softplus  | ln(1 + e^{x})                                     | Kim et al. 2019 (option)         |
 * | brunel    | 0 (x ≤ 0); x² (0 < x < 1); √(4x − 3) (x ≥ 1)      | Brunel 2003; Wimmer et al. 2014  |
 *
 * @example
 * ```ts
 * const r = transfer('sigmoid')(x);      // tensor in, tensor out
 * brunelScalar(2);                        // √5
 * ```
 */
import { ShapeError, type Tensor, tf } from '@wmkit/tensor';

/** Names of the transfer functions (firing-rate nonlinearities). */
export type TransferName = 'sigmoid' | 'tanh' | 'relu' | 'softplus' | 'brunel';
/** Every transfer function `transfer` knows. */
export const TRANSFER_NAMES: readonly TransferName[] = ['sigmoid', 'tanh', 'relu', 'softplus', 'brunel'];

/**
 * Brunel (2003) threshold-quadratic transfer used by Wimmer et al. 2014 (Supplementary
 * Codes 1–3): 0 for x ≤ 0, x² for 0 < x < 1, √(4x − 3) for x ≥ 1 (continuous with a
 * continuous derivative at x = 1).
 */
export function brunel(x: Tensor): Tensor {
  return tf.tidy(() => {
    const pos = tf.relu(x);
    const quad = tf.square(pos);
    const root = tf.sqrt(tf.maximum(tf.sub(tf.mul(4, x), 3), 1));
    return tf.where(tf.less(x, 1), quad, root);
  });
}

/** Brunel (2003) transfer: 0 for x ≤ 0, x² for 0 < x < 1, √(4x − 3) above. */
export function brunelScalar(x: number): number {
  if (x <= 0) return 0;
  if (x < 1) return x * x;
  return Math.sqrt(4 * x - 3);
}

/** Numerically safe softplus ln(1 + e^x). */
export function softplusScalar(x: number): number {
  return x > 30 ? x : Math.log1p(Math.exp(x));
}

/** The logistic function 1/(1 + e^{−x}). */
export function sigmoidScalar(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

const TENSOR: Record<TransferName, (x: Tensor) => Tensor> = {
  sigmoid: (x) => tf.sigmoid(x),
  tanh: (x) => tf.tanh(x),
  relu: (x) => tf.relu(x),
  softplus: (x) => tf.softplus(x),
  brunel,
};

const SCALAR: Record<TransferName, (x: number) => number> = {
  sigmoid: sigmoidScalar,
  tanh: Math.tanh,
  relu: (x) => Math.max(0, x),
  softplus: softplusScalar,
  brunel: brunelScalar,
};

function check(name: string): asserts name is TransferName {
  if (!(TRANSFER_NAMES as readonly string[]).includes(name)) {
    throw new ShapeError(`transfer: unknown transfer function '${name}'; use one of ${TRANSFER_NAMES.join(', ')}`);
  }
}

/** The tensor transfer function called `name`. */
export function transfer(name: TransferName | string): (x: Tensor) => Tensor {
  check(name);
  return TENSOR[name];
}

/** The scalar transfer function called `name`. */
export function transferScalar(name: TransferName | string): (x: number) => number {
  check(name);
  return SCALAR[name];
}
