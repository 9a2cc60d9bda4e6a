/**
 * Deterministic elementary functions.
 *
 * `Math.exp` and `Math.log` are "implementation-approximated" in ECMAScript: V8,
 * SpiderMonkey and JavaScriptCore may differ in the last bit. The random-number
 * generators must give identical draws on every platform, so where they need exp or
 * log they use these versions, built only from +, −, ×, ÷ and bit manipulation,
 * which IEEE 754 makes exact-rounded and therefore identical everywhere.
 * Accuracy: within 2 ulp of the true value over the full double range (tested).
 */

const LN2_HI = 0.6931471803691238; // upper bits of ln 2 (exact product with small ints)
const LN2_LO = 1.9082149292705877e-10; // ln 2 − LN2_HI
const INV_LN2 = Math.LOG2E; // 1/ln 2

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Little- vs big-endian word order of a float64 in a Uint32Array view.
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/** 2^k for integer k in [−1074, 1023], built from its bits (exact). */
function pow2(k: number): number {
  if (k >= -1022) {
    u32[HI] = (k + 1023) << 20;
    u32[LO] = 0;
    return f64[0];
  }
  // subnormal: 2^k = 2^(k + 52) · 2^−52
  u32[HI] = (k + 52 + 1023) << 20;
  u32[LO] = 0;
  return f64[0] * 2.220446049250313e-16;
}

/** e^x, deterministic across platforms. */
export function detExp(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x > 709.782712893384) return Number.POSITIVE_INFINITY;
  if (x < -745.1332191019412) return 0;
  // x = k ln2 + r, |r| ≤ ln2/2
  const k = Math.round(x * INV_LN2); // Math.round is exact
  const r = x - k * LN2_HI - k * LN2_LO;
  // Taylor series of e^r to r^14 (|r|^15/15! < 2e-19 for |r| ≤ 0.347), Horner form.
  let p = 1 / 87178291200; // 1/14!
  p = p * r + 1 / 6227020800;
  p = p * r + 1 / 479001600;
  p = p * r + 1 / 39916800;
  p = p * r + 1 / 3628800;
  p = p * r + 1 / 362880;
  p = p * r + 1 / 40320;
  p = p * r + 1 / 5040;
  p = p * r + 1 / 720;
  p = p * r + 1 / 120;
  p = p * r + 1 / 24;
  p = p * r + 1 / 6;
  p = p * r + 0.5;
  p = p * r + 1;
  p = p * r + 1;
  if (k > 1023) return p * pow2(1023) * pow2(k - 1023);
  if (k < -1022) return p * pow2(k + 60) * pow2(-60);
  return p * pow2(k);
}

/** Natural logarithm, deterministic across platforms. */
export function detLog(x: number): number {
  if (Number.isNaN(x) || x < 0) return Number.NaN;
  if (x === 0) return Number.NEGATIVE_INFINITY;
  if (x === Number.POSITIVE_INFINITY) return x;
  let e = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54, brings subnormals into the normal range
    e = -54;
  }
  f64[0] = x;
  let hi = u32[HI];
  e += ((hi >>> 20) & 0x7ff) - 1023;
  // mantissa m in [1, 2); move to [sqrt(1/2), sqrt(2)) so |s| below is ≤ 0.1716
  hi = (hi & 0x000fffff) | 0x3ff00000;
  u32[HI] = hi;
  let m = f64[0];
  if (m > Math.SQRT2) {
    m *= 0.5;
    e += 1;
  }
  // log m = 2 atanh(s), s = (m − 1)/(m + 1); series to s^23 (term < 1e-19)
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let p = 1 / 23;
  p = p * s2 + 1 / 21;
  p = p * s2 + 1 / 19;
  p = p * s2 + 1 / 17;
  p = p * s2 + 1 / 15;
  p = p * s2 + 1 / 13;
  p = p * s2 + 1 / 11;
  p = p * s2 + 1 / 9;
  p = p * s2 + 1 / 7;
  p = p * s2 + 1 / 5;
  p = p * s2 + 1 / 3;
  const logm = 2 * s + 2 * s * s2 * p;
  return e * LN2_HI + (logm + e * LN2_LO);
}

/**
 * ln Γ(x) for x > 0, deterministic (Lanczos-free: recurrence up to x ≥ 15, then Stirling series).
 * Used by the Poisson sampler; accurate to ~1e-14 absolute.
 */
export function detLogGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let shift = 0;
  let prod = 1;
  while (x < 15) {
    prod *= x;
    x += 1;
    shift += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  // Stirling: (x − ½) ln x − x + ½ ln 2π + 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷) + 1/(1188x⁹)
  const series = inv * (1 / 12 + inv2 * (-1 / 360 + inv2 * (1 / 1260 + inv2 * (-1 / 1680 + inv2 * (1 / 1188)))));
  const lg = (x - 0.5) * detLog(x) - x + 0.9189385332046728 + series;
  return shift > 0 ? lg - detLog(prod) : lg;
}
