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

/*
 * The wedge test of layer i ≥ 1, `y < f(x)` with f(x) = det_exp(−x²/2), decided without det_exp in
 * all but ~1e-4 of the cases. With a = x_{i−1} (0 for layer 1) and d = (x² − a²)/2, f(x) = f(a)·e^{−d}
 * and the alternating Taylor sums bound e^{−d} for d ≥ 0: S3(d) ≤ e^{−d} ≤ S3(d) + d⁴/24. When y lies
 * below the lower bound or at or above the upper one (each widened by 1e-12), the answer is the one
 * det_exp would give; only in between is det_exp evaluated. That the widened bounds hold for every
 * x = u24·w[i] a wedge can produce (57,961,787 values over the 127 layers, including the few with
 * x just below a, d < 0) was checked exhaustively against det_exp; rng-simd.test.ts samples it.
 */
static inline void zig_wedge_bounds(uint32_t i, double x, double *lo, double *hi) {
  const double ftop = zig_f[i - 1];
  const double a = i > 1 ? zig_w[i - 1] * 16777216.0 : 0.0; /* x_{i−1} = 2^24 w[i−1], exactly */
  const double d = 0.5 * x * x - 0.5 * a * a, d2 = d * d;
  const double s3 = 1.0 - d + 0.5 * d2 - d2 * d * (1.0 / 6.0);
  *lo = ftop * s3 - 1e-12;
  *hi = ftop * (s3 + d2 * d2 * (1.0 / 24.0)) + 1e-12;
}

static inline int zig_wedge_accept(uint32_t i, double x, double y) {
  double lo, hi;
  zig_wedge_bounds(i, x, &lo, &hi);
  if (y < lo) return 1;
  if (y >= hi) return 0;
  return y < det_exp(-0.5 * x * x);
}

static inline double open_uniform_of(uint32_t u) { return ((double)u + 0.5) * 2.3283064365386963e-10; }

/* Where the slow path takes its further draws: buf[p], buf[p + 1], … while p < n, then the generator. */
typedef struct {
  const uint32_t *buf;
  int p, n;
  xoshiro *g;
} zig_src;

static inline uint32_t zig_next(zig_src *s) { return s->p < s->n ? s->buf[s->p++] : xo_next(s->g); }

/*
 * The slow path for a first draw a that missed the fast test (u24 ≥ k[a & 127]): the tail (layer 0)
 * or the wedge of layer i, its uniforms drawn through zig_next. Returns the deviate's magnitude,
 * or −1 when the wedge test rejects (the caller then makes a fresh first draw).
 */
static double zig_slow(zig_src *s, uint32_t a) {
  const uint32_t i = a & (ZIG_LAYERS - 1), u24 = a >> 8;
  double x;
  if (i == 0) {
    double y;
    do {
      x = -det_log(open_uniform_of(zig_next(s))) / ZIG_R;
      y = -det_log(open_uniform_of(zig_next(s)));
    } while (y + y < x * x);
    return ZIG_R + x;
  }
  x = (double)u24 * zig_w[i];
  const double ftop = zig_f[i - 1], fbot = zig_f[i];
  return zig_wedge_accept(i, x, fbot + open_uniform_of(zig_next(s)) * (ftop - fbot)) ? x : -1;
}

/* rng.ts normalFrom(a): one standard normal from a first draw a. */
static double normal_from(xoshiro *g, uint32_t a) {
  zig_src src = {0, 0, 0, g};
  for (;;) {
    uint32_t i = a & (ZIG_LAYERS - 1);
    uint32_t u24 = a >> 8;
    double sign = 1.0 - (double)((a >> 6) & 2u);
    if (u24 < zig_k[i]) return sign * (double)u24 * zig_w[i];
    const double x = zig_slow(&src, a);
    if (x >= 0) return sign * x;
    a = xo_next(g);
  }
}

/* One N(mean, std²) draw as Rng.fillNormal computes it (double arithmetic, float32 result). */
static inline float normal_f32(xoshiro *g, double mean, double std) {
  uint32_t a = xo_next(g);
  uint32_t i = a & (ZIG_LAYERS - 1);
  uint32_t u24 = a >> 8;
  if (u24 < zig_k[i]) return (float)(mean + std * ((double)u24 * zig_w[i]) * (1.0 - (double)((a >> 6) & 2u)));
  return (float)(mean + std * normal_from(g, a));
}

#ifdef __wasm_simd128__
/*
 * Four generators side by side (wasm SIMD): the kernels give each trial a generator of its own and
 * draw four trials' noise at once. normal4_f32 gives every trial exactly the values normal_f32 would
 * (tested against Rng.fillNormal, slow paths included) in about half the time of four scalar
 * loops:
 *   1. the four xoshiro128** streams advance in the lanes of one vector, k draws at a time, and
 *      each draw's fast-path value (~97.2% of first draws) is finished in the lanes too, NaN
 *      marking a miss; values and raw draws are transposed into one buffer per trial;
 *   2. each trial's buffer is then finished in order (zig1_finish, below): a miss takes the slow
 *      path, its further uniforms taken from the following raw draws of the same buffer (a wedge
 *      rejection's fresh draw is simply the next buffered value), or from the trial's generator
 *      past the buffer's end, and the kept values are packed four at a time.
 * A trial whose slow paths consumed extra draws has produced fewer values than the others, so k is
 * the smallest number still needed by any of the four; the last few values of each trial come from
 * normal_f32. No draw is ever made that the trial does not use, so each generator ends where n
 * calls of normal_f32 leave it.
 */
#include <wasm_simd128.h>

/* Word k of the four states in the lanes of s[k]. */
typedef struct {
  v128_t s0, s1, s2, s3;
} xo4;

/* Rows of four 32-bit lanes transposed: lane l of r0..r3 becomes row l. */
#define XO4_TRANSPOSE(r0, r1, r2, r3)                                                                        \
  do {                                                                                                        \
    const v128_t t0_ = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1_ = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7); \
    const v128_t t2_ = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3_ = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7); \
    r0 = wasm_i32x4_shuffle(t0_, t2_, 0, 1, 4, 5), r1 = wasm_i32x4_shuffle(t0_, t2_, 2, 3, 6, 7);            \
    r2 = wasm_i32x4_shuffle(t1_, t3_, 0, 1, 4, 5), r3 = wasm_i32x4_shuffle(t1_, t3_, 2, 3, 6, 7);            \
  } while (0)

static inline xo4 xo4_load(const xoshiro *g) {
  xo4 x = {wasm_v128_load(g), wasm_v128_load(g + 1), wasm_v128_load(g + 2), wasm_v128_load(g + 3)};
  XO4_TRANSPOSE(x.s0, x.s1, x.s2, x.s3);
  return x;
}

static inline void xo4_store(xoshiro *g, xo4 x) {
  XO4_TRANSPOSE(x.s0, x.s1, x.s2, x.s3);
  wasm_v128_store(g, x.s0), wasm_v128_store(g + 1, x.s1), wasm_v128_store(g + 2, x.s2), wasm_v128_store(g + 3, x.s3);
}

/* xo_next in the four lanes. */
static inline v128_t xo4_next(xo4 *x) {
  v128_t r = wasm_i32x4_mul(x->s1, wasm_i32x4_splat(5));
  v128_t a = wasm_i32x4_mul(wasm_v128_or(wasm_i32x4_shl(r, 7), wasm_u32x4_shr(r, 25)), wasm_i32x4_splat(9));
  v128_t t = wasm_i32x4_shl(x->s1, 9);
  x->s2 = wasm_v128_xor(x->s2, x->s0);
  x->s3 = wasm_v128_xor(x->s3, x->s1);
  x->s1 = wasm_v128_xor(x->s1, x->s2);
  x->s0 = wasm_v128_xor(x->s0, x->s3);
  x->s2 = wasm_v128_xor(x->s2, t);
  x->s3 = wasm_v128_or(wasm_i32x4_shl(x->s3, 11), wasm_u32x4_shr(x->s3, 21));
  return a;
}

/*
 * The table look-ups of four first draws a: u24 (a >> 8), ok (u24 < k[i], the fast test), and
 * u24·… operands as doubles, ul/uh with the layers' widths wl/wh (lanes 0–1 and 2–3).
 */
typedef struct {
  v128_t u24, ok, ul, uh, wl, wh;
} zig4_look;

static inline __attribute__((always_inline)) zig4_look zig4_lookup(v128_t a) {
  zig4_look z;
  const v128_t li = wasm_v128_and(a, wasm_i32x4_splat(ZIG_LAYERS - 1));
  const uint32_t i0 = wasm_i32x4_extract_lane(li, 0), i1 = wasm_i32x4_extract_lane(li, 1);
  const uint32_t i2 = wasm_i32x4_extract_lane(li, 2), i3 = wasm_i32x4_extract_lane(li, 3);
  z.u24 = wasm_u32x4_shr(a, 8);
  v128_t k = wasm_v128_load32_zero(zig_k + i0);
  k = wasm_v128_load32_lane(zig_k + i1, k, 1);
  k = wasm_v128_load32_lane(zig_k + i2, k, 2);
  k = wasm_v128_load32_lane(zig_k + i3, k, 3);
  z.ok = wasm_i32x4_lt(z.u24, k); /* both below 2^24: the signed compare is exact */
  z.wl = wasm_v128_load64_lane(zig_w + i1, wasm_v128_load64_zero(zig_w + i0), 1);
  z.wh = wasm_v128_load64_lane(zig_w + i3, wasm_v128_load64_zero(zig_w + i2), 1);
  z.ul = wasm_f64x2_convert_low_i32x4(z.u24);
  z.uh = wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(z.u24, z.u24, 2, 3, 2, 3));
  return z;
}

/*
 * The fast-path values of four first draws a as normal_f32(…, 0.0, std) gives them, (float)(0.0 +
 * std·(u24·w[i])·sign), NaN where a draw misses the fast test. The sign (bit 7 of a) is applied to
 * the float32 result: negation is exact and commutes with rounding, and 0.0 + (±0) is +0.
 */
static inline v128_t zig4_fast(v128_t a, v128_t vstd) {
  const zig4_look z_ = zig4_lookup(a);
  const v128_t u24 = z_.u24, ok = z_.ok, wl = z_.wl, wh = z_.wh, ul = z_.ul, uh = z_.uh;
  const v128_t pl = wasm_f64x2_mul(vstd, wasm_f64x2_mul(ul, wl)), ph = wasm_f64x2_mul(vstd, wasm_f64x2_mul(uh, wh));
  v128_t y = wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(pl), wasm_f32x4_demote_f64x2_zero(ph), 0, 1, 4, 5);
  y = wasm_v128_xor(y, wasm_v128_and(wasm_i32x4_shl(a, 24), wasm_i32x4_splat((int)0x80000000)));
  y = wasm_v128_andnot(y, wasm_i32x4_eq(u24, wasm_i32x4_splat(0)));
  return wasm_v128_bitselect(y, wasm_f32x4_splat(__builtin_nanf("")), ok);
}

#define ZIG4_CHUNK 256 /* draws per trial buffered at once (8 KB of stack for the four) */


/*
 * The fast-path values of four first draws a of ONE stream as normal_f32(…, mean, std) gives them,
 * (float)(mean + (std·(u24·w[i]))·sign): the same double operations in the same order, two lanes
 * at a time; the product by sign = ±1 is exact, so it is done by setting the sign bit (bit 7 of a
 * moved to bit 63). *hits gets a 4-bit mask of the lanes that pass the fast test (u24 < k[i]);
 * the others' values are meaningless.
 */
static inline v128_t zig4_fast_ms(v128_t a, v128_t vmean, v128_t vstd, int *hits) {
  const zig4_look z_ = zig4_lookup(a);
  const v128_t ok = z_.ok, wl = z_.wl, wh = z_.wh, ul = z_.ul, uh = z_.uh;
  const v128_t sg = wasm_v128_and(wasm_i32x4_shl(a, 24), wasm_i32x4_splat((int)0x80000000));
  const v128_t z = wasm_i32x4_splat(0);
  const v128_t sl = wasm_i32x4_shuffle(z, sg, 0, 4, 0, 5), sh = wasm_i32x4_shuffle(z, sg, 0, 6, 0, 7);
  const v128_t pl = wasm_f64x2_add(vmean, wasm_v128_xor(wasm_f64x2_mul(vstd, wasm_f64x2_mul(ul, wl)), sl));
  const v128_t ph = wasm_f64x2_add(vmean, wasm_v128_xor(wasm_f64x2_mul(vstd, wasm_f64x2_mul(uh, wh)), sh));
  *hits = wasm_i32x4_bitmask(ok);
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(pl), wasm_f32x4_demote_f64x2_zero(ph), 0, 1, 4, 5);
}

/*
 * zig_wedge_bounds' test without a branch (clang makes branches of `?:` and `&`, and the outcome
 * is a coin toss for the predictor): bit 0 is y < lo, bit 1 is y < hi, the same doubles as
 * zig_wedge_bounds computes; 2 (lo ≤ y < hi) leaves the answer to det_exp. For i = 1, a = +0 as
 * there (the bits of w[0]·2^24 masked off, in a vector: clang turns the scalar form into a select).
 */
static inline int zig_wedge_side(uint32_t i, double x, double y) {
  const double ftop = zig_f[i - 1];
  const v128_t mask = wasm_i64x2_splat(-(int64_t)(i > 1));
  const double a = wasm_f64x2_extract_lane(wasm_v128_and(wasm_f64x2_splat(zig_w[i - 1] * 16777216.0), mask), 0);
  const double d = 0.5 * x * x - 0.5 * a * a, d2 = d * d;
  const double s3 = 1.0 - d + 0.5 * d2 - d2 * d * (1.0 / 6.0);
  const double lo = ftop * s3 - 1e-12, hi = ftop * (s3 + d2 * d2 * (1.0 / 24.0)) + 1e-12;
  return wasm_i64x2_bitmask(wasm_f64x2_lt(wasm_f64x2_splat(y), wasm_f64x2_make(lo, hi)));
}

#define ZIG1_CHUNK 256 /* raw draws of the one stream buffered at once (2.1 KB of stack) */

/* Byte shuffles that pack the float32 lanes selected by a 4-bit mask to the front (rest: any). */
static const uint8_t zig1_pack[16][16] __attribute__((aligned(16))) = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},   {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {4, 5, 6, 7, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},   {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {8, 9, 10, 11, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {0, 1, 2, 3, 8, 9, 10, 11, 8, 9, 10, 11, 12, 13, 14, 15},
    {4, 5, 6, 7, 8, 9, 10, 11, 8, 9, 10, 11, 12, 13, 14, 15}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {12, 13, 14, 15, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15},
    {4, 5, 6, 7, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15}, {0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 12, 13, 14, 15},
    {8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15}, {0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 12, 13, 14, 15},
    {4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 12, 13, 14, 15}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
};

/*
 * Passes 2 and 3 of normal1_f32 (below) for one stream's chunk: raw draws raw[0..k) (k a multiple
 * of 4), their fast-path values val, keep[k/4] the 4-bit masks of the hits, list[0..misses) the
 * groups with a miss in order; g the generator past the chunk. Appends the chunk's values to out
 * from o (o + k ≤ the values still wanted) and returns the new count.
 */
static int zig1_finish(xoshiro *g, const uint32_t *raw, float *val, uint8_t *keep, const uint8_t *list, int misses, int k,
                       float *out, int o, double mean, double std) {
  /* 2. */
  int first = 0; /* positions below it were consumed by a slow path */
  for (int e = 0; e < misses; e++) {
    const int gi = list[e];
    for (int m = 15 & ~keep[gi]; m; m &= m - 1) {
      const int q = 4 * gi + __builtin_ctz(m);
      if (q < first) continue;
      const uint32_t a = raw[q], i = a & (ZIG_LAYERS - 1);
      double x;
      int acc;
      if (i != 0 && q + 1 < k) {
        /* a wedge, its uniform the next raw draw, decided as zig_wedge_accept decides it but
         * with no branch on the outcome (a mispredicted one costs more than the test): the
         * only branch is taken in the ~1e-4 of cases that the bounds leave open */
        x = (double)(a >> 8) * zig_w[i];
        const double ftop = zig_f[i - 1], fbot = zig_f[i];
        const double y = fbot + open_uniform_of(raw[q + 1]) * (ftop - fbot);
        const int lohi = zig_wedge_side(i, x, y);
        acc = lohi & 1;
        if (lohi == 2) acc = y < det_exp(-0.5 * x * x);
        keep[(q + 1) >> 2] &= (uint8_t) ~(1 << ((q + 1) & 3));
        first = q + 2;
      } else {
        zig_src src = {raw, q + 1, k, g};
        x = zig_slow(&src, a);
        acc = x >= 0;
        first = src.p;
        for (int u = q + 1; u < first && u < k; u++) keep[u >> 2] &= (uint8_t) ~(1 << (u & 3));
      }
      /* (a rejection's lane is not kept: its value is never read) */
      val[q] = (float)(mean + std * ((1.0 - (double)((a >> 6) & 2u)) * x));
      keep[gi] |= (uint8_t)(acc << (q & 3));
    }
  }
  /* 3. (o + 4 ≤ the values wanted: the store's unused lanes are overwritten later or lie within them) */
  for (int p = 0; p < k; p += 4) {
    const int km = keep[p >> 2];
    wasm_v128_store(out + o, wasm_i8x16_swizzle(wasm_v128_load(val + p), wasm_v128_load(zig1_pack[km])));
    o += __builtin_popcount((unsigned)km);
  }
  return o;
}

/*
 * n calls of normal_f32(g, mean, std) for ONE stream, the values and the generator's end state
 * the same, bit for bit. The stream cannot advance in lanes, but what follows each raw draw can,
 * and the ~2.8% of first draws that miss the fast test need not cost a mispredicted branch each
 * in the hot loop. Chunks of k ≤ min(ZIG1_CHUNK, values still wanted) raw draws, in three passes:
 *   1. k draws with xo_next (the state in locals), their fast-path values four at a time
 *      (zig4_fast_ms), a 4-bit mask per group of the lanes to keep (the hits), and the groups
 *      with a miss listed; no branch depends on the draws;
 *   2. the misses in stream order: a miss at a position that an earlier slow path consumed as a
 *      uniform is skipped; any other is a first draw and takes the slow path, its uniforms read
 *      from the following raw draws (their lanes dropped from the masks), then from the generator
 *      past the chunk's end; an accepted value replaces the miss's lane and keeps it, a rejected
 *      one drops it (the fresh first draw normal_f32 would make is the next raw draw, or the next
 *      chunk's). A wedge (~98% of the misses) is decided without a branch on its outcome
 *      (zig_wedge_side): a mispredicted branch per miss cost more than all the rest of its work;
 *   3. each group's kept lanes packed to the front (i8x16.swizzle) and stored at the output
 *      position, which advances by their count.
 * Every raw draw is used as normal_f32 would use it, and k draws give at most k values, so no
 * draw is made that n calls of normal_f32 would not make; the last 0–3 values (and everything
 * when mean or std is not finite) come from normal_f32.
 */
static void normal1_f32(xoshiro *state, float *out, int n, double mean, double std) {
  int o = 0;
  if (mean - mean == 0.0 && std - std == 0.0) {
    uint32_t raw[ZIG1_CHUNK] __attribute__((aligned(16)));
    float val[ZIG1_CHUNK] __attribute__((aligned(16)));
    uint8_t keep[ZIG1_CHUNK / 4], list[ZIG1_CHUNK / 4];
    const v128_t vmean = wasm_f64x2_splat(mean), vstd = wasm_f64x2_splat(std);
    xoshiro g = *state;
    while (n - o >= 4) {
      const int k = n - o >= ZIG1_CHUNK ? ZIG1_CHUNK : (n - o) & ~3;
      /* 1. (the state in four scalar locals: with g's words here, clang 14's SLP vectoriser
       *    miscompiled an earlier form of this loop, reloading a word after its update) */
      uint32_t s0 = g.s0, s1 = g.s1, s2 = g.s2, s3 = g.s3;
      int misses = 0;
      for (int p = 0; p < k; p += 4) {
        for (int j = 0; j < 4; j++) {
          const uint32_t r = s1 * 5u, t = s1 << 9;
          raw[p + j] = ((r << 7) | (r >> 25)) * 9u; /* xo_next */
          s2 ^= s0, s3 ^= s1, s1 ^= s2, s0 ^= s3, s2 ^= t, s3 = (s3 << 11) | (s3 >> 21);
        }
        int hits;
        wasm_v128_store(val + p, zig4_fast_ms(wasm_v128_load(raw + p), vmean, vstd, &hits));
        keep[p >> 2] = (uint8_t)hits;
        list[misses] = (uint8_t)(p >> 2);
        misses += hits != 15;
      }
      g = (xoshiro){s0, s1, s2, s3};
      o = zig1_finish(&g, raw, val, keep, list, misses, k, out, o, mean, std);
    }
    *state = g;
  }
  xoshiro g = *state;
  for (; o < n; o++) out[o] = normal_f32(&g, mean, std);
  *state = g;
}

/*
 * n draws of N(0, std²) from each of four generators g[0..3]: out[l·stride + j], j < n, are the
 * values n calls of normal_f32(g + l, 0.0, std) give, in order, and g[l] ends where they leave it
 * (std outside [2^-900, 2^900] takes the scalar loop). The four streams advance in the lanes and
 * their fast-path values are computed there (zig4_fast); each trial's buffer is then finished by
 * zig1_finish, as the single-stream fill's are (slow paths in order with no branch on a wedge's
 * outcome, kept lanes packed). Used by the LIF network's and the rate rings' noise.
 */
static void normal4_f32(xoshiro *g, float *out, int stride, int n, double std) {
  int o[4] = {0, 0, 0, 0};
  if (std > 0x1p-900 && std < 0x1p900) {
    uint32_t raw[4][ZIG4_CHUNK] __attribute__((aligned(16)));
    float val[4][ZIG4_CHUNK] __attribute__((aligned(16)));
    uint8_t keep[4][ZIG4_CHUNK / 4], list[4][ZIG4_CHUNK / 4];
    const v128_t vstd = wasm_f64x2_splat(std);
    for (;;) {
      int k = ZIG4_CHUNK;
      for (int l = 0; l < 4; l++) k = n - o[l] < k ? n - o[l] : k;
      k &= ~3;
      if (k < 4) break;
      xo4 x = xo4_load(g);
      int misses[4] = {0, 0, 0, 0};
      for (int j = 0; j < k; j += 4) {
        v128_t a0 = xo4_next(&x), a1 = xo4_next(&x), a2 = xo4_next(&x), a3 = xo4_next(&x);
        v128_t v0 = zig4_fast(a0, vstd), v1 = zig4_fast(a1, vstd), v2 = zig4_fast(a2, vstd), v3 = zig4_fast(a3, vstd);
        XO4_TRANSPOSE(a0, a1, a2, a3);
        XO4_TRANSPOSE(v0, v1, v2, v3);
        wasm_v128_store(raw[0] + j, a0), wasm_v128_store(raw[1] + j, a1), wasm_v128_store(raw[2] + j, a2), wasm_v128_store(raw[3] + j, a3);
        wasm_v128_store(val[0] + j, v0), wasm_v128_store(val[1] + j, v1), wasm_v128_store(val[2] + j, v2), wasm_v128_store(val[3] + j, v3);
        const int h0 = 15 & ~wasm_i32x4_bitmask(wasm_f32x4_ne(v0, v0)), h1 = 15 & ~wasm_i32x4_bitmask(wasm_f32x4_ne(v1, v1));
        const int h2 = 15 & ~wasm_i32x4_bitmask(wasm_f32x4_ne(v2, v2)), h3 = 15 & ~wasm_i32x4_bitmask(wasm_f32x4_ne(v3, v3));
        keep[0][j >> 2] = (uint8_t)h0, keep[1][j >> 2] = (uint8_t)h1, keep[2][j >> 2] = (uint8_t)h2, keep[3][j >> 2] = (uint8_t)h3;
        list[0][misses[0]] = list[1][misses[1]] = list[2][misses[2]] = list[3][misses[3]] = (uint8_t)(j >> 2);
        misses[0] += h0 != 15, misses[1] += h1 != 15, misses[2] += h2 != 15, misses[3] += h3 != 15;
      }
      xo4_store(g, x);
      for (int l = 0; l < 4; l++)
        o[l] = zig1_finish(g + l, raw[l], val[l], keep[l], list[l], misses[l], k, out + l * stride, o[l], 0.0, std);
    }
  }
  for (int l = 0; l < 4; l++)
    for (; o[l] < n; o[l]++) out[l * stride + o[l]] = normal_f32(g + l, 0.0, std);
}

/* For the tests (src/rng-simd.test.ts): normal4_f32 on four generator states in memory. */
__attribute__((visibility("default"))) void fill_normal4(xoshiro *g, float *out, int stride, int n, double std) {
  normal4_f32(g, out, stride, n, std);
}

#endif

/*
 * For the tests: how many of the wedge positions u24 = k[i], k[i] + step, …, and 2^24 − 1 of layer
 * i ≥ 1 break zig_wedge_accept's bounds (det_exp outside them); 0 means the shortcut gives det_exp's
 * answer at every one of them.
 */
__attribute__((visibility("default"))) int zig_wedge_check(int i, int step) {
  int bad = 0;
  for (uint32_t u24 = zig_k[i];; u24 = 16777215u - u24 > (uint32_t)step ? u24 + (uint32_t)step : 16777215u) {
    const double x = (double)u24 * zig_w[i];
    double lo, hi;
    zig_wedge_bounds((uint32_t)i, x, &lo, &hi);
    const double e = det_exp(-0.5 * x * x);
    if (!(lo <= e && e <= hi)) bad++;
    if (u24 == 16777215u) break;
  }
  return bad;
}
#endif
