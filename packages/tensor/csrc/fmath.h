/*
 * Elementary functions in f32 for wmkit's wasm kernels (no libm: -nostdlib).
 * wasm arithmetic is IEEE-exact and has no implicit FMA, so these give the same bits on
 * every engine and platform.
 *
 *   fexp: range reduction x = k ln2 + r (|r| ≤ ln2/2), degree-6 polynomial, exponent bits;
 *         relative error < 2e-7 on [−87, 88].
 *   flog: x = m·2^e, m ∈ [√½, √2), log m = 2 atanh((m−1)/(m+1)) (odd series to s^11).
 */
#ifndef WMKIT_FMATH_H
#define WMKIT_FMATH_H

typedef union {
  float f;
  unsigned int u;
  int i;
} f32bits;

static inline float fexp(float x) {
  if (x > 88.72f) return 1.0f / 0.0f;
  if (x < -87.33f) return 0.0f;
  if (x != x) return x;
  float kf = __builtin_nearbyintf(x * 1.44269504088896341f);
  float r = x - kf * 0.693145751953125f - kf * 1.428606765330187e-06f;
  float p = 1.3888889e-3f;
  p = p * r + 8.3333333e-3f;
  p = p * r + 4.1666667e-2f;
  p = p * r + 1.6666667e-1f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  f32bits s;
  int k = (int)kf;
  if (k < -126) { /* subnormal result: scale in two steps */
    s.u = (unsigned int)(k + 126 + 127) << 23;
    return p * s.f * 1.17549435e-38f;
  }
  s.u = (unsigned int)(k + 127) << 23;
  return p * s.f;
}

static inline float flog(float x) {
  if (x < 0.f || x != x) return 0.0f / 0.0f;
  if (x == 0.f) return -1.0f / 0.0f;
  if (x == 1.0f / 0.0f) return x;
  f32bits b;
  b.f = x;
  int e = 0;
  if (b.u < 0x00800000u) { /* subnormal */
    b.f *= 16777216.0f;
    e = -24;
  }
  e += (int)((b.u >> 23) & 0xff) - 127;
  b.u = (b.u & 0x007fffffu) | 0x3f800000u;
  float m = b.f;
  if (m > 1.41421356f) {
    m *= 0.5f;
    e += 1;
  }
  float s = (m - 1.0f) / (m + 1.0f), s2 = s * s;
  float p = 1.0f / 11.0f;
  p = p * s2 + 1.0f / 9.0f;
  p = p * s2 + 1.0f / 7.0f;
  p = p * s2 + 1.0f / 5.0f;
  p = p * s2 + 1.0f / 3.0f;
  return (float)e * 0.693147181f + 2.0f * s + 2.0f * s * s2 * p;
}

static inline float fsigmoid(float x) {
  /* symmetric form keeps precision for large |x| */
  if (x >= 0.f) return 1.0f / (1.0f + fexp(-x));
  float z = fexp(x);
  return z / (1.0f + z);
}

static inline float ftanh(float x) {
  float ax = x < 0.f ? -x : x;
  float t;
  if (ax < 0.0625f) { /* odd Taylor series, avoids cancellation near 0 */
    float x2 = x * x;
    return x * (1.0f + x2 * (-1.0f / 3.0f + x2 * (2.0f / 15.0f + x2 * (-17.0f / 315.0f))));
  }
  float z = fexp(-2.0f * ax);
  t = (1.0f - z) / (1.0f + z);
  return x < 0.f ? -t : t;
}

static inline float fsoftplus(float x) {
  float ax = x < 0.f ? -x : x;
  float z = fexp(-ax); /* log(1 + e^x) = max(x,0) + log(1 + e^-|x|) */
  float l = z < 1e-4f ? z * (1.0f - 0.5f * z) : flog(1.0f + z);
  return (x > 0.f ? x : 0.f) + l;
}

/*
 * Four lanes at once (wasm SIMD128), bit-identical to the scalar functions above: the same
 * operations in the same order, with the scalar branches as lane selects.
 */
#include <wasm_simd128.h>

/* e^y for y ≤ 0 (as fexp: 0 below −87.33; NaN stays NaN). */
static inline v128_t vexp_neg(v128_t y) {
  v128_t under = wasm_f32x4_lt(y, wasm_f32x4_splat(-87.33f));
  v128_t yc = wasm_f32x4_pmax(y, wasm_f32x4_splat(-87.33f)); /* NaN passes through */
  v128_t kf = wasm_f32x4_nearest(wasm_f32x4_mul(yc, wasm_f32x4_splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(wasm_f32x4_sub(yc, wasm_f32x4_mul(kf, wasm_f32x4_splat(0.693145751953125f))),
                            wasm_f32x4_mul(kf, wasm_f32x4_splat(1.428606765330187e-06f)));
  v128_t p = wasm_f32x4_splat(1.3888889e-3f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(8.3333333e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(4.1666667e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.6666667e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(0.5f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f));
  /* k ≥ −126 here, so 2^k is a normal float: (k + 127) << 23 */
  v128_t k = wasm_i32x4_trunc_sat_f32x4(kf);
  v128_t scale = wasm_i32x4_shl(wasm_i32x4_add(k, wasm_i32x4_splat(127)), 23);
  v128_t z = wasm_f32x4_mul(p, scale);
  return wasm_v128_andnot(z, under);
}

static inline v128_t vtanh(v128_t x) {
  v128_t sign = wasm_v128_and(x, wasm_i32x4_splat((int)0x80000000u));
  v128_t ax = wasm_f32x4_abs(x);
  v128_t x2 = wasm_f32x4_mul(x, x);
  v128_t q = wasm_f32x4_add(wasm_f32x4_splat(2.0f / 15.0f), wasm_f32x4_mul(x2, wasm_f32x4_splat(-17.0f / 315.0f)));
  q = wasm_f32x4_add(wasm_f32x4_splat(-1.0f / 3.0f), wasm_f32x4_mul(x2, q));
  q = wasm_f32x4_add(wasm_f32x4_splat(1.0f), wasm_f32x4_mul(x2, q));
  v128_t small = wasm_f32x4_mul(x, q);
  v128_t z = vexp_neg(wasm_f32x4_mul(wasm_f32x4_splat(-2.0f), ax));
  v128_t one = wasm_f32x4_splat(1.0f);
  v128_t t = wasm_f32x4_div(wasm_f32x4_sub(one, z), wasm_f32x4_add(one, z));
  t = wasm_v128_or(t, sign);
  return wasm_v128_bitselect(small, t, wasm_f32x4_lt(ax, wasm_f32x4_splat(0.0625f)));
}

static inline v128_t vsigmoid(v128_t x) {
  v128_t one = wasm_f32x4_splat(1.0f);
  v128_t z = vexp_neg(wasm_f32x4_neg(wasm_f32x4_abs(x)));
  v128_t d = wasm_f32x4_add(one, z);
  return wasm_v128_bitselect(wasm_f32x4_div(one, d), wasm_f32x4_div(z, d), wasm_f32x4_ge(x, wasm_f32x4_splat(0.f)));
}
#endif
