/**
 * Ziggurat tables for the standard normal (Marsaglia & Tsang 2000, J. Stat. Softw. 5(8)),
 * 128 layers, one 32-bit draw per sample on the fast path: 7 bits choose the layer, 1 bit
 * the sign and the remaining 24 bits the position inside the layer, so layer and value use
 * disjoint bits (Doornik 2005 showed that sharing them biases the classic RNOR).
 *
 * Layer i (1..127) is the rectangle [0, x_i] × [f(x_i), f(x_{i−1})], f(x) = exp(−x²/2),
 * x_0 = 0; layer 0 is the base strip of width v/f(R) plus the tail beyond R. All layers
 * have area v. Tables are built with the deterministic exp/log so that they are
 * bit-identical on every platform.
 */
import { detExp, detLog } from './detmath';

export const ZIG_LAYERS = 128;
/** Start of the tail, R (Marsaglia & Tsang 2000, Table 1, n = 128). */
export const ZIG_R = 3.442619855899;
/** Area of each layer, v (same source). */
const ZIG_V = 9.91256303526217e-3;
const M24 = 16777216; // 2^24

/** Acceptance thresholds: accept u24 < k[i] without evaluating f. */
export const zigK = new Uint32Array(ZIG_LAYERS);
/** x-scale of each layer: x = u24 · w[i]. */
export const zigW = new Float64Array(ZIG_LAYERS);
/** f(x_i) for i = 1..127 (x_127 = R); f(x_0) = 1 at index 0, the top of layer 1. */
export const zigF = new Float64Array(ZIG_LAYERS);

(function buildTables() {
  const f = (x: number) => detExp(-0.5 * x * x);
  const q = ZIG_V / f(ZIG_R);
  zigK[0] = Math.floor((ZIG_R / q) * M24);
  zigW[0] = q / M24;
  zigF[0] = 1; // f(x_0), the top of layer 1
  zigW[ZIG_LAYERS - 1] = ZIG_R / M24;
  zigF[ZIG_LAYERS - 1] = f(ZIG_R);
  let xPrev = ZIG_R;
  for (let i = ZIG_LAYERS - 2; i >= 1; i--) {
    const x = Math.sqrt(-2 * detLog(ZIG_V / xPrev + f(xPrev)));
    zigK[i + 1] = Math.floor((x / xPrev) * M24);
    zigW[i] = x / M24;
    zigF[i] = f(x);
    xPrev = x;
  }
  zigK[1] = 0;
})();

/**
 * Slow path of the ziggurat: the wedge of layer `i` or the tail (i = 0).
 * `u24` is the position already drawn; `uniform` gives doubles in (0, 1).
 * Returns a non-negative deviate, or −1 to ask the caller to draw again.
 */
export function zigSlow(i: number, u24: number, uniform: () => number): number {
  if (i === 0) {
    // Tail beyond R: Marsaglia (1964).
    let x: number;
    let y: number;
    do {
      x = -detLog(uniform()) / ZIG_R;
      y = -detLog(uniform());
    } while (y + y < x * x);
    return ZIG_R + x;
  }
  const x = u24 * zigW[i];
  const fTop = zigF[i - 1];
  const fBottom = zigF[i];
  return wedgeAccept(i, x, fBottom + uniform() * (fTop - fBottom)) ? x : -1;
}

/**
 * The wedge test `y < f(x)` of layer i ≥ 1, deciding without `detExp` in all but ~1e-4 of the
 * cases (the C generator, csrc/rng.h, does the same). With a = x_{i−1} (0 for layer 1) and
 * d = (x² − a²)/2, f(x) = f(a)·e^{−d}, and the alternating Taylor sums bound e^{−d}:
 * S3(d) ≤ e^{−d} ≤ S3(d) + d⁴/24. Below the lower bound or at or above the upper one (each widened
 * by 1e-12) the answer is the one `detExp` gives — the widened bounds were checked against `detExp`
 * at every x a wedge can produce — so the draws are unchanged; in between, `detExp` decides.
 */
function wedgeAccept(i: number, x: number, y: number): boolean {
  const fTop = zigF[i - 1];
  const a = i > 1 ? zigW[i - 1] * M24 : 0;
  const d = 0.5 * x * x - 0.5 * a * a;
  const d2 = d * d;
  const s3 = 1 - d + 0.5 * d2 - d2 * d * (1 / 6);
  if (y < fTop * s3 - 1e-12) return true;
  if (y >= fTop * (s3 + d2 * d2 * (1 / 24)) + 1e-12) return false;
  return y < detExp(-0.5 * x * x);
}
