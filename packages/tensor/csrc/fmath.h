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
#endif
