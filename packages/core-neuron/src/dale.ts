/**
 * Dale's principle: every unit is excitatory or inhibitory, so all its outgoing weights share
 * one sign (Song, Yang & Wang 2016; Kim et al. 2019).
 *
 *   W_eff = relu(w) · diag(m) ⊙ mask,   m_j = +1 (E) or −1 (I)
 *
 * w is the trained non-negative matrix, rows postsynaptic, columns presynaptic: the sign
 * belongs to the presynaptic column. `mask` is an optional fixed connectivity mask (Kim's
 * `som_m`, all ones by default).
 *
 * @example
 * ```ts
 * const sign = assignExcInh(200, 0.2, rng);            // +1/−1 per unit, 20% inhibitory on average
 * const W = daleWeights(w, sign);                       // Float32Array [N·N]
 * ```
 */
import type { Rng } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';

/** Each unit inhibitory with probability pInh (so the counts vary between networks, as in spikeRNN). */
export function assignExcInh(n: number, pInh: number, rng: Rng): Float32Array {
  if (!(pInh >= 0 && pInh <= 1)) throw new ShapeError(`assignExcInh: pInh (${pInh}) must be in [0, 1]`);
  const u = rng.uniform(n);
  const sign = new Float32Array(n);
  for (let i = 0; i < n; i++) sign[i] = u[i] < pInh ? -1 : 1;
  return sign;
}

function checkSquare(name: string, w: ArrayLike<number>, n: number): void {
  if (w.length !== n * n) throw new ShapeError(`${name}: weights have ${w.length} entries but ${n} units need an [${n}, ${n}] matrix`);
}

/** W_eff[i,j] = max(w[i,j], 0)·sign[j]·mask[i,j] (or w[i,j]·mask[i,j] when `dale` is false). */
export function daleWeights(w: ArrayLike<number>, sign: ArrayLike<number>, mask?: ArrayLike<number> | null, dale = true): Float32Array {
  const n = sign.length;
  checkSquare('daleWeights', w, n);
  if (mask && mask.length !== n * n) throw new ShapeError(`daleWeights: mask has ${mask.length} entries, expected ${n * n}`);
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const k = i * n + j;
      const x = dale ? (w[k] > 0 ? w[k] * sign[j] : 0) : w[k];
      out[k] = mask ? x * mask[k] : x;
    }
  }
  return out;
}

/**
 * Chain rule through `daleWeights`: dL/dw = dL/dW_eff ⊙ sign[j] ⊙ mask ⊙ 1[w > 0]
 * (the ReLU passes no gradient where w ≤ 0).
 */
export function daleWeightsGradient(
  dWeff: ArrayLike<number>,
  w: ArrayLike<number>,
  sign: ArrayLike<number>,
  mask?: ArrayLike<number> | null,
  dale = true,
): Float32Array {
  const n = sign.length;
  checkSquare('daleWeightsGradient', w, n);
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const k = i * n + j;
      const g = dale ? (w[k] > 0 ? dWeff[k] * sign[j] : 0) : dWeff[k];
      out[k] = mask ? g * mask[k] : g;
    }
  }
  return out;
}

/** A block of an E/I weight matrix, named presynaptic→postsynaptic: 'ie' is I→E, 'ei' is E→I. */
export type SynapseClass = 'ee' | 'ei' | 'ie' | 'ii';

/**
 * Multiplies one synapse class of a weight matrix (rows post, columns pre) by `factor`:
 * 'ii' = I→I (post I, pre I), 'ie' = I→E (post E, pre I), 'ei' = E→I (post I, pre E),
 * 'ee' = E→E. Kim & Sejnowski 2021 scale I→I by 1.3 or 0.7.
 * (Names read presynaptic→postsynaptic: 'ie' is the I→E block.)
 */
export function scaleSynapseClass(w: ArrayLike<number>, sign: ArrayLike<number>, cls: SynapseClass, factor: number): Float32Array {
  const n = sign.length;
  checkSquare('scaleSynapseClass', w, n);
  if (!['ee', 'ei', 'ie', 'ii'].includes(cls)) throw new ShapeError(`scaleSynapseClass: block '${cls}' must be one of ee, ei, ie, ii`);
  if (!(factor >= 0) || !Number.isFinite(factor)) throw new ShapeError(`scaleSynapseClass: factor (${factor}) must be a finite number ≥ 0`);
  const preInh = cls[0] === 'i';
  const postInh = cls[1] === 'i';
  const out = Float32Array.from(w);
  for (let i = 0; i < n; i++) {
    if (sign[i] < 0 !== postInh) continue;
    for (let j = 0; j < n; j++) if (sign[j] < 0 === preInh) out[i * n + j] *= factor;
  }
  return out;
}
