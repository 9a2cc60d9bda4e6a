/*
 * The Rng's normal generator in C: xoshiro128** and the 128-layer ziggurat of
 * packages/tensor/src/rng.ts, operation for operation, so that for the same generator state it
 * produces the same float32 values as `Rng.fillNormal` (tested). The ziggurat tables are
 * copied in from JavaScript once (zig_tables), so both sides use identical numbers; the slow
 * path uses double-precision exp/log that repeat src/detmath.ts exactly.
 */
#ifndef WMKIT_RNG_H
#define WMKIT_RNG_H
#include <stdint.h>

#define ZIG_LAYERS 128
static uint32_t zig_k[ZIG_LAYERS];
static double zig_w[ZIG_LAYERS];
static double zig_f[ZIG_LAYERS];
static const double ZIG_R = 3.442619855899;

typedef struct {
  uint32_t s0, s1, s2, s3;
} xoshiro;

static inline uint32_t xo_next(xoshiro *g) {
  uint32_t r = g->s1 * 5u;
  uint32_t result = ((r << 7) | (r >> 25)) * 9u;
  uint32_t t = g->s1 << 9;
  g->s2 ^= g->s0;
  g->s3 ^= g->s1;
  g->s1 ^= g->s2;
  g->s0 ^= g->s3;
  g->s2 ^= t;
  g->s3 = (g->s3 << 11) | (g->s3 >> 21);
  return result;
}

typedef union {
  double d;
  uint64_t u;
} f64bits;

/* JavaScript's Math.round: nearest integer, ties toward +infinity. */
static inline double js_round(double x) {
  double f = __builtin_floor(x);
  return (x - f >= 0.5) ? f + 1.0 : f;
}

static inline double pow2i(int k) {
  f64bits b;
  if (k >= -1022) {
    b.u = (uint64_t)(k + 1023) << 52;
    return b.d;
  }
  b.u = (uint64_t)(k + 52 + 1023) << 52;
  return b.d * 2.220446049250313e-16;
}

static double det_exp(double x) {
  if (x != x) return x;
  if (x > 709.782712893384) return 1.0 / 0.0;
  if (x < -745.1332191019412) return 0.0;
  double k = js_round(x * 1.4426950408889634);
  double r = x - k * 0.6931471803691238 - k * 1.9082149292705877e-10;
  double p = 1.0 / 87178291200.0;
  p = p * r + 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  int ki = (int)k;
  if (ki > 1023) return p * pow2i(1023) * pow2i(ki - 1023);
  if (ki < -1022) return p * pow2i(ki + 60) * pow2i(-60);
  return p * pow2i(ki);
}

static double det_log(double x) {
  if (x != x || x < 0) return 0.0 / 0.0;
  if (x == 0) return -1.0 / 0.0;
  if (x == 1.0 / 0.0) return x;
  int e = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984.0;
    e = -54;
  }
  f64bits b;
  b.d = x;
  uint32_t hi = (uint32_t)(b.u >> 32);
  e += (int)((hi >> 20) & 0x7ff) - 1023;
  hi = (hi & 0x000fffffu) | 0x3ff00000u;
  b.u = ((uint64_t)hi << 32) | (b.u & 0xffffffffu);
  double m = b.d;
  if (m > 1.4142135623730951) {
    m *= 0.5;
    e += 1;
  }
  double s = (m - 1) / (m + 1), s2 = s * s;
  double p = 1.0 / 23;
  p = p * s2 + 1.0 / 21;
  p = p * s2 + 1.0 / 19;
  p = p * s2 + 1.0 / 17;
  p = p * s2 + 1.0 / 15;
  p = p * s2 + 1.0 / 13;
  p = p * s2 + 1.0 / 11;
  p = p * s2 + 1.0 / 9;
  p = p * s2 + 1.0 / 7;
  p = p * s2 + 1.0 / 5;
  p = p * s2 + 1.0 / 3;
  double logm = 2 * s + 2 * s * s2 * p;
  return e * 0.6931471803691238 + (logm + e * 1.9082149292705877e-10);
}

static inline double open_uniform(xoshiro *g) { return ((double)xo_next(g) + 0.5) * 2.3283064365386963e-10; }

/* rng.ts normalFrom(a): one standard normal from a first draw a. */
static double normal_from(xoshiro *g, uint32_t a) {
  for (;;) {
    uint32_t i = a & (ZIG_LAYERS - 1);
    uint32_t u24 = a >> 8;
    double sign = 1.0 - (double)((a >> 6) & 2u);
    if (u24 < zig_k[i]) return sign * (double)u24 * zig_w[i];
    double x;
    if (i == 0) {
      double y;
      do {
        x = -det_log(open_uniform(g)) / ZIG_R;
        y = -det_log(open_uniform(g));
      } while (y + y < x * x);
      x = ZIG_R + x;
    } else {
      x = (double)u24 * zig_w[i];
      double ftop = zig_f[i - 1], fbot = zig_f[i];
      if (!(fbot + open_uniform(g) * (ftop - fbot) < det_exp(-0.5 * x * x))) x = -1;
    }
    if (x >= 0) return sign * x;
    a = xo_next(g);
  }
}

/* One standard normal draw: the value Rng.fillNormal(…, 0, 1) gives. */
static inline float std_normal_f32(xoshiro *g) {
  uint32_t a = xo_next(g);
  uint32_t i = a & (ZIG_LAYERS - 1);
  uint32_t u24 = a >> 8;
  if (u24 < zig_k[i]) return (float)(((double)u24 * zig_w[i]) * (1.0 - (double)((a >> 6) & 2u)));
  return (float)normal_from(g, a);
}

/* One N(mean, std²) draw as Rng.fillNormal computes it (double arithmetic, float32 result). */
static inline float normal_f32(xoshiro *g, double mean, double std) {
  uint32_t a = xo_next(g);
  uint32_t i = a & (ZIG_LAYERS - 1);
  uint32_t u24 = a >> 8;
  if (u24 < zig_k[i]) return (float)(mean + std * ((double)u24 * zig_w[i]) * (1.0 - (double)((a >> 6) & 2u)));
  return (float)(mean + std * normal_from(g, a));
}
#endif
