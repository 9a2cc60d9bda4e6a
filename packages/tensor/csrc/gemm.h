/*
 * Small dense products for wmkit's wasm kernels (f32, row-major, wasm SIMD128).
 *
 *   gemm_abt:  C[M,P] (+)= A[M,K] · B[P,K]^T     (rows of A against rows of B: y·W^T)
 *   gemm_ab:   C[M,P] (+)= A[M,K] · B[K,P]       (e·W)
 *   gemm_atb:  C[K,P] (+)= A[M,K]^T · B[M,P]     (accumulate outer products: dW += e^T y)
 *
 * No libc: built with clang --target=wasm32 -nostdlib. Sizes are small (N ≤ a few thousand),
 * matrices stay in cache; blocking is over 4 rows of A so each row of B is loaded once per
 * 4 output rows.
 */
#ifndef WMKIT_GEMM_H
#define WMKIT_GEMM_H
#include <wasm_simd128.h>

static inline float hsum(v128_t v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) + wasm_f32x4_extract_lane(v, 2) +
         wasm_f32x4_extract_lane(v, 3);
}

/* 4 sums of 4 lanes each, as one vector (a 4×4 transpose, then adds). */
static inline v128_t hsum4(v128_t a, v128_t b, v128_t c, v128_t d) {
  v128_t ab_lo = wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), ab_hi = wasm_i32x4_shuffle(a, b, 2, 6, 3, 7);
  v128_t cd_lo = wasm_i32x4_shuffle(c, d, 0, 4, 1, 5), cd_hi = wasm_i32x4_shuffle(c, d, 2, 6, 3, 7);
  v128_t ab = wasm_f32x4_add(ab_lo, ab_hi), cd = wasm_f32x4_add(cd_lo, cd_hi);
  /* ab = [a0+a2, b0+b2, a1+a3, b1+b3], cd likewise */
  v128_t lo = wasm_i32x4_shuffle(ab, cd, 0, 1, 4, 5), hi = wasm_i32x4_shuffle(ab, cd, 2, 3, 6, 7);
  return wasm_f32x4_add(lo, hi); /* [Σa, Σb, Σc, Σd] */
}

/*
 * Register tile of 4 rows of A × 2 rows of B: 8 accumulators, 6 loads per 8 multiply-adds (the
 * 4 × 1 loop needs 5 loads per 4). Sixteen vector registers hold it without spills.
 */
static void gemm_abt_panel(int M, int K, int P, const float *A, int lda, const float *B, int ldb, float *C, int accumulate) {
  int m = 0;
  for (; m + 4 <= M; m += 4) {
    const float *a0 = A + m * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
    float *c0 = C + m * P, *c1 = c0 + P, *c2 = c1 + P, *c3 = c2 + P;
    int p = 0;
    for (; p + 2 <= P; p += 2) {
      const float *b0 = B + p * ldb, *b1 = b0 + ldb;
      v128_t s00 = wasm_f32x4_splat(0.f), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
      int k = 0;
      for (; k + 4 <= K; k += 4) {
        v128_t x0 = wasm_v128_load(b0 + k), x1 = wasm_v128_load(b1 + k);
        v128_t a = wasm_v128_load(a0 + k);
        s00 = wasm_f32x4_add(s00, wasm_f32x4_mul(a, x0));
        s01 = wasm_f32x4_add(s01, wasm_f32x4_mul(a, x1));
        a = wasm_v128_load(a1 + k);
        s10 = wasm_f32x4_add(s10, wasm_f32x4_mul(a, x0));
        s11 = wasm_f32x4_add(s11, wasm_f32x4_mul(a, x1));
        a = wasm_v128_load(a2 + k);
        s20 = wasm_f32x4_add(s20, wasm_f32x4_mul(a, x0));
        s21 = wasm_f32x4_add(s21, wasm_f32x4_mul(a, x1));
        a = wasm_v128_load(a3 + k);
        s30 = wasm_f32x4_add(s30, wasm_f32x4_mul(a, x0));
        s31 = wasm_f32x4_add(s31, wasm_f32x4_mul(a, x1));
      }
      v128_t v0 = hsum4(s00, s10, s20, s30), v1 = hsum4(s01, s11, s21, s31);
      float t00 = wasm_f32x4_extract_lane(v0, 0), t10 = wasm_f32x4_extract_lane(v0, 1);
      float t20 = wasm_f32x4_extract_lane(v0, 2), t30 = wasm_f32x4_extract_lane(v0, 3);
      float t01 = wasm_f32x4_extract_lane(v1, 0), t11 = wasm_f32x4_extract_lane(v1, 1);
      float t21 = wasm_f32x4_extract_lane(v1, 2), t31 = wasm_f32x4_extract_lane(v1, 3);
      for (; k < K; k++) {
        float y0 = b0[k], y1 = b1[k];
        t00 += a0[k] * y0; t01 += a0[k] * y1;
        t10 += a1[k] * y0; t11 += a1[k] * y1;
        t20 += a2[k] * y0; t21 += a2[k] * y1;
        t30 += a3[k] * y0; t31 += a3[k] * y1;
      }
      if (accumulate) {
        c0[p] += t00; c0[p + 1] += t01; c1[p] += t10; c1[p + 1] += t11;
        c2[p] += t20; c2[p + 1] += t21; c3[p] += t30; c3[p + 1] += t31;
      } else {
        c0[p] = t00; c0[p + 1] = t01; c1[p] = t10; c1[p + 1] = t11;
        c2[p] = t20; c2[p + 1] = t21; c3[p] = t30; c3[p + 1] = t31;
      }
    }
    for (; p < P; p++) {
      const float *b = B + p * ldb;
      v128_t s0 = wasm_f32x4_splat(0.f), s1 = s0, s2 = s0, s3 = s0;
      int k = 0;
      for (; k + 4 <= K; k += 4) {
        v128_t bv = wasm_v128_load(b + k);
        s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_v128_load(a0 + k), bv));
        s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(wasm_v128_load(a1 + k), bv));
        s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(wasm_v128_load(a2 + k), bv));
        s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(wasm_v128_load(a3 + k), bv));
      }
      float t0 = hsum(s0), t1 = hsum(s1), t2 = hsum(s2), t3 = hsum(s3);
      for (; k < K; k++) {
        t0 += a0[k] * b[k];
        t1 += a1[k] * b[k];
        t2 += a2[k] * b[k];
        t3 += a3[k] * b[k];
      }
      if (accumulate) {
        c0[p] += t0; c1[p] += t1; c2[p] += t2; c3[p] += t3;
      } else {
        c0[p] = t0; c1[p] = t1; c2[p] = t2; c3[p] = t3;
      }
    }
  }
  for (; m < M; m++) {
    const float *a = A + m * lda;
    for (int p = 0; p < P; p++) {
      const float *b = B + p * ldb;
      v128_t s = wasm_f32x4_splat(0.f);
      int k = 0;
      for (; k + 4 <= K; k += 4) s = wasm_f32x4_add(s, wasm_f32x4_mul(wasm_v128_load(a + k), wasm_v128_load(b + k)));
      float t = hsum(s);
      for (; k < K; k++) t += a[k] * b[k];
      if (accumulate) C[m * P + p] += t;
      else C[m * P + p] = t;
    }
  }
}

/*
 * C[M,P] (+)= A[M,K]·B[P,K]ᵀ. Long rows (K > 512) go in panels of 512 columns so that a panel
 * of B stays in cache while every block of A passes over it.
 */
static void gemm_abt(int M, int K, int P, const float *A, const float *B, float *C, int accumulate) {
  const int KC = 512;
  if (K <= KC) {
    gemm_abt_panel(M, K, P, A, K, B, K, C, accumulate);
    return;
  }
  for (int k0 = 0; k0 < K; k0 += KC) {
    int kc = K - k0 < KC ? K - k0 : KC;
    gemm_abt_panel(M, kc, P, A + k0, K, B + k0, K, C, k0 == 0 ? accumulate : 1);
  }
}

/* out[c, r] = in[r, c] for an R × C row-major matrix. */
static void transpose(int R, int Cn, const float *in, float *out) {
  for (int r0 = 0; r0 < R; r0 += 32)
    for (int c0 = 0; c0 < Cn; c0 += 32) {
      int r1 = r0 + 32 < R ? r0 + 32 : R, c1 = c0 + 32 < Cn ? c0 + 32 : Cn;
      for (int r = r0; r < r1; r++)
        for (int c = c0; c < c1; c++) out[c * R + r] = in[r * Cn + c];
    }
}

static void gemm_ab(int M, int K, int P, const float *A, const float *B, float *C, int accumulate) {
  if (!accumulate)
    for (int i = 0; i < M * P; i++) C[i] = 0.f;
  int m = 0;
  for (; m + 4 <= M; m += 4) {
    float *c0 = C + m * P, *c1 = c0 + P, *c2 = c1 + P, *c3 = c2 + P;
    const float *a0 = A + m * K, *a1 = a0 + K, *a2 = a1 + K, *a3 = a2 + K;
    for (int k = 0; k < K; k++) {
      float x0 = a0[k], x1 = a1[k], x2 = a2[k], x3 = a3[k];
      if (x0 == 0.f && x1 == 0.f && x2 == 0.f && x3 == 0.f) continue;
      v128_t v0 = wasm_f32x4_splat(x0), v1 = wasm_f32x4_splat(x1), v2 = wasm_f32x4_splat(x2), v3 = wasm_f32x4_splat(x3);
      const float *b = B + k * P;
      int p = 0;
      for (; p + 4 <= P; p += 4) {
        v128_t bv = wasm_v128_load(b + p);
        wasm_v128_store(c0 + p, wasm_f32x4_add(wasm_v128_load(c0 + p), wasm_f32x4_mul(v0, bv)));
        wasm_v128_store(c1 + p, wasm_f32x4_add(wasm_v128_load(c1 + p), wasm_f32x4_mul(v1, bv)));
        wasm_v128_store(c2 + p, wasm_f32x4_add(wasm_v128_load(c2 + p), wasm_f32x4_mul(v2, bv)));
        wasm_v128_store(c3 + p, wasm_f32x4_add(wasm_v128_load(c3 + p), wasm_f32x4_mul(v3, bv)));
      }
      for (; p < P; p++) {
        c0[p] += x0 * b[p];
        c1[p] += x1 * b[p];
        c2[p] += x2 * b[p];
        c3[p] += x3 * b[p];
      }
    }
  }
  for (; m < M; m++) {
    float *c = C + m * P;
    const float *a = A + m * K;
    for (int k = 0; k < K; k++) {
      float x = a[k];
      if (x == 0.f) continue;
      v128_t v = wasm_f32x4_splat(x);
      const float *b = B + k * P;
      int p = 0;
      for (; p + 4 <= P; p += 4) wasm_v128_store(c + p, wasm_f32x4_add(wasm_v128_load(c + p), wasm_f32x4_mul(v, wasm_v128_load(b + p))));
      for (; p < P; p++) c[p] += x * b[p];
    }
  }
}

/* lda: the row stride of A (K for a whole matrix; more when A is a block of columns of a wider one) */
static void gemm_atb(int M, int K, int P, const float *A, int lda, const float *B, float *C, int accumulate) {
  if (!accumulate)
    for (int i = 0; i < K * P; i++) C[i] = 0.f;
  int m = 0;
  for (; m + 4 <= M; m += 4) {
    const float *a0 = A + m * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
    const float *b0 = B + m * P, *b1 = b0 + P, *b2 = b1 + P, *b3 = b2 + P;
    for (int k = 0; k < K; k++) {
      float x0 = a0[k], x1 = a1[k], x2 = a2[k], x3 = a3[k];
      if (x0 == 0.f && x1 == 0.f && x2 == 0.f && x3 == 0.f) continue;
      v128_t v0 = wasm_f32x4_splat(x0), v1 = wasm_f32x4_splat(x1), v2 = wasm_f32x4_splat(x2), v3 = wasm_f32x4_splat(x3);
      float *c = C + k * P;
      int p = 0;
      for (; p + 4 <= P; p += 4) {
        v128_t acc = wasm_v128_load(c + p);
        acc = wasm_f32x4_add(acc, wasm_f32x4_mul(v0, wasm_v128_load(b0 + p)));
        acc = wasm_f32x4_add(acc, wasm_f32x4_mul(v1, wasm_v128_load(b1 + p)));
        acc = wasm_f32x4_add(acc, wasm_f32x4_mul(v2, wasm_v128_load(b2 + p)));
        acc = wasm_f32x4_add(acc, wasm_f32x4_mul(v3, wasm_v128_load(b3 + p)));
        wasm_v128_store(c + p, acc);
      }
      for (; p < P; p++) c[p] += x0 * b0[p] + x1 * b1[p] + x2 * b2[p] + x3 * b3[p];
    }
  }
  for (; m < M; m++) {
    const float *a = A + m * lda, *b = B + m * P;
    for (int k = 0; k < K; k++) {
      float x = a[k];
      if (x == 0.f) continue;
      v128_t v = wasm_f32x4_splat(x);
      float *c = C + k * P;
      int p = 0;
      for (; p + 4 <= P; p += 4) wasm_v128_store(c + p, wasm_f32x4_add(wasm_v128_load(c + p), wasm_f32x4_mul(v, wasm_v128_load(b + p))));
      for (; p < P; p++) c[p] += x * b[p];
    }
  }
}
/*
 * C[K,P] (+)= A[M,K]ᵀ·B[M,P] for dense A: register tiles of 4 columns of A × 8 columns of B
 * (8 accumulators; A's four values broadcast from one load), over panels of rows small enough
 * (16 KiB of each operand: 40 rows at N = 100, the best of 16…1024 measured) that both panels
 * stay in L1 while every tile passes over them. No transposes, no horizontal sums; for M ≫ K, P
 * (a weight gradient summed over time steps and trials). lda as in gemm_atb. Each element of C is
 * summed over m in order, whatever the blocking: a block of C's rows gives the same values.
 */
static void gemm_atb_dense(int M, int K, int P, const float *A, int lda, const float *B, float *C, int accumulate) {
  if (!accumulate)
    for (int i = 0; i < K * P; i++) C[i] = 0.f;
  const int KP = K > P ? K : P, MC = KP >= 256 ? 16 : 4096 / KP;
  const int K4 = K & ~3, P8 = P & ~7, P4 = P & ~3;
  for (int m0 = 0; m0 < M; m0 += MC) {
    const int m1 = m0 + MC < M ? m0 + MC : M;
    for (int k = 0; k < K4; k += 4) {
      float *c0 = C + k * P, *c1 = c0 + P, *c2 = c1 + P, *c3 = c2 + P;
      int p = 0;
      for (; p < P8; p += 8) {
        v128_t s00 = wasm_v128_load(c0 + p), s01 = wasm_v128_load(c0 + p + 4);
        v128_t s10 = wasm_v128_load(c1 + p), s11 = wasm_v128_load(c1 + p + 4);
        v128_t s20 = wasm_v128_load(c2 + p), s21 = wasm_v128_load(c2 + p + 4);
        v128_t s30 = wasm_v128_load(c3 + p), s31 = wasm_v128_load(c3 + p + 4);
        for (int m = m0; m < m1; m++) {
          const float *b = B + m * P + p;
          v128_t x0 = wasm_v128_load(b), x1 = wasm_v128_load(b + 4);
          v128_t av = wasm_v128_load(A + m * lda + k), a;
          a = wasm_i32x4_shuffle(av, av, 0, 0, 0, 0);
          s00 = wasm_f32x4_add(s00, wasm_f32x4_mul(a, x0));
          s01 = wasm_f32x4_add(s01, wasm_f32x4_mul(a, x1));
          a = wasm_i32x4_shuffle(av, av, 1, 1, 1, 1);
          s10 = wasm_f32x4_add(s10, wasm_f32x4_mul(a, x0));
          s11 = wasm_f32x4_add(s11, wasm_f32x4_mul(a, x1));
          a = wasm_i32x4_shuffle(av, av, 2, 2, 2, 2);
          s20 = wasm_f32x4_add(s20, wasm_f32x4_mul(a, x0));
          s21 = wasm_f32x4_add(s21, wasm_f32x4_mul(a, x1));
          a = wasm_i32x4_shuffle(av, av, 3, 3, 3, 3);
          s30 = wasm_f32x4_add(s30, wasm_f32x4_mul(a, x0));
          s31 = wasm_f32x4_add(s31, wasm_f32x4_mul(a, x1));
        }
        wasm_v128_store(c0 + p, s00); wasm_v128_store(c0 + p + 4, s01);
        wasm_v128_store(c1 + p, s10); wasm_v128_store(c1 + p + 4, s11);
        wasm_v128_store(c2 + p, s20); wasm_v128_store(c2 + p + 4, s21);
        wasm_v128_store(c3 + p, s30); wasm_v128_store(c3 + p + 4, s31);
      }
      for (; p < P4; p += 4) {
        v128_t s0 = wasm_v128_load(c0 + p), s1 = wasm_v128_load(c1 + p);
        v128_t s2 = wasm_v128_load(c2 + p), s3 = wasm_v128_load(c3 + p);
        for (int m = m0; m < m1; m++) {
          v128_t x = wasm_v128_load(B + m * P + p), av = wasm_v128_load(A + m * lda + k);
          s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_i32x4_shuffle(av, av, 0, 0, 0, 0), x));
          s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(wasm_i32x4_shuffle(av, av, 1, 1, 1, 1), x));
          s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(wasm_i32x4_shuffle(av, av, 2, 2, 2, 2), x));
          s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(wasm_i32x4_shuffle(av, av, 3, 3, 3, 3), x));
        }
        wasm_v128_store(c0 + p, s0); wasm_v128_store(c1 + p, s1);
        wasm_v128_store(c2 + p, s2); wasm_v128_store(c3 + p, s3);
      }
      for (; p < P; p++)
        for (int m = m0; m < m1; m++) {
          const float *a = A + m * lda + k, x = B[m * P + p];
          c0[p] += a[0] * x; c1[p] += a[1] * x; c2[p] += a[2] * x; c3[p] += a[3] * x;
        }
    }
    for (int k = K4; k < K; k++) {
      float *c = C + k * P;
      for (int m = m0; m < m1; m++) {
        const float x = A[m * lda + k], *b = B + m * P;
        v128_t v = wasm_f32x4_splat(x);
        int p = 0;
        for (; p < P4; p += 4) wasm_v128_store(c + p, wasm_f32x4_add(wasm_v128_load(c + p), wasm_f32x4_mul(v, wasm_v128_load(b + p))));
        for (; p < P; p++) c[p] += x * b[p];
      }
    }
  }
}

/*
 * Packed, cache-blocked products (after Goto & van de Geijn 2008, "Anatomy of high-performance
 * matrix multiplication", ACM TOMS 34(3)): C[M,N] (+)= L[M,K]·R[K,N] for any strides of L and R,
 * which covers the three forms above. Panels of R (KC × NC) and of L (MC × KC) are copied into
 * contiguous work space in the order the micro-kernel reads them (R in slivers of GEMM_NR
 * columns, L in slivers of GEMM_MR rows, zero-padded), and a GEMM_MR × GEMM_NR register tile of
 * C is summed with 8 vector accumulators: two vector loads of R and four broadcasts of L per 8
 * multiply-adds, all from L1.
 *
 * Summation order: every element of C is summed over k in order, from zero (or from C when
 * accumulating), one multiply-add at a time: the order of gemm_ab and gemm_atb_dense, so for
 * those forms the results are the same, bit for bit, as theirs (they differ from gemm_abt's four
 * strided partial sums in the last bits), and they do not depend on the tiles, the thread
 * count, or M and N (gemm_ab and gemm_atb skip zeros of A, which changes a sum only where it is
 * −0 or B holds infinities). The relaxed-SIMD build fuses each multiply-add: one rounding instead
 * of two, where the CPU has FMA. Measured under V8 (Node 20): 5 × 8 and 6 × 8 tiles and an
 * unrolled k loop run slower than 4 × 8 (x64 has 16 vector registers; V8 keeps one for itself).
 * Profiled again on Zen 3 (CPU time, one thread): a register-only loop of f32x4 multiply-adds
 * peaks at 50 GFLOP/s in wasm (plain and relaxed alike); this kernel reaches 40–46 relaxed and
 * 30–34 plain at 256²–1024², packing 3–6 % of it. 5 × 8 and 6 × 8 run at half speed even with
 * clang's scheduler off (V8 keeps every broadcast live and spills accumulators); none of these
 * measured faster: MC 16/32/128, KC 128/512, NC 512, L packed pre-broadcast (four copies per
 * value), L read in place instead of packed, a pointer-bounded k loop, a non-inlined tile, a
 * k loop unrolled by 2 (V8 unrolls it already), or splitting threads by columns of C.
 */
#define GEMM_MR 4
#define GEMM_NR 8
#define GEMM_KC 256
#define GEMM_MC 64
#define GEMM_NC 256
/* floats of work space one thread needs: a packed panel of R and one of L */
#define GEMM_WORK_FLOATS (GEMM_KC * GEMM_NC + GEMM_MC * GEMM_KC)

/* acc + a·b: one fused multiply-add in the relaxed-SIMD build, a product and a sum otherwise */
#ifdef __wasm_relaxed_simd__
#define GEMM_MADD(acc, a, b) wasm_f32x4_relaxed_madd(a, b, acc)
#else
#define GEMM_MADD(acc, a, b) wasm_f32x4_add(acc, wasm_f32x4_mul(a, b))
#endif

/* A matrix operand: element (i, j) at p[i·rs + j·cs]. */
typedef struct {
  const float *p;
  int rs, cs;
} gemm_operand;

/* 4 × 4 transpose: four vectors p0..p3 (4 floats each) stored as columns, d[w·c + r] = p_r[c]
 * for c = 0..3 (w = the sliver width, GEMM_MR or GEMM_NR). */
static inline void gemm_transpose4(const float *p0, const float *p1, const float *p2, const float *p3, float *d, int w) {
  v128_t a = wasm_v128_load(p0), b = wasm_v128_load(p1), c = wasm_v128_load(p2), e = wasm_v128_load(p3);
  v128_t ab_lo = wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), ab_hi = wasm_i32x4_shuffle(a, b, 2, 6, 3, 7);
  v128_t ce_lo = wasm_i32x4_shuffle(c, e, 0, 4, 1, 5), ce_hi = wasm_i32x4_shuffle(c, e, 2, 6, 3, 7);
  wasm_v128_store(d, wasm_i32x4_shuffle(ab_lo, ce_lo, 0, 1, 4, 5));
  wasm_v128_store(d + w, wasm_i32x4_shuffle(ab_lo, ce_lo, 2, 3, 6, 7));
  wasm_v128_store(d + 2 * w, wasm_i32x4_shuffle(ab_hi, ce_hi, 0, 1, 4, 5));
  wasm_v128_store(d + 3 * w, wasm_i32x4_shuffle(ab_hi, ce_hi, 2, 3, 6, 7));
}

/* Packs L[i0 .. i0+mc, k0 .. k0+kc) into slivers of GEMM_MR rows: Lp[s·kc·MR + k·MR + i]. */
static void gemm_pack_l(gemm_operand L, int i0, int mc, int k0, int kc, float *Lp) {
  for (int s = 0; s < mc; s += GEMM_MR) {
    const int mr = mc - s < GEMM_MR ? mc - s : GEMM_MR;
    float *dst = Lp + s * kc;
    const float *src = L.p + (i0 + s) * L.rs + k0 * L.cs;
    if (mr == GEMM_MR && L.cs == 1) {
      /* rows contiguous: 4 × 4 transposes */
      const float *r0 = src, *r1 = r0 + L.rs, *r2 = r1 + L.rs, *r3 = r2 + L.rs;
      int k = 0;
      for (; k + 4 <= kc; k += 4) gemm_transpose4(r0 + k, r1 + k, r2 + k, r3 + k, dst + k * 4, 4);
      for (; k < kc; k++) {
        dst[k * 4] = r0[k]; dst[k * 4 + 1] = r1[k]; dst[k * 4 + 2] = r2[k]; dst[k * 4 + 3] = r3[k];
      }
    } else if (mr == GEMM_MR && L.rs == 1) {
      /* columns contiguous (Aᵀ): one vector per k */
      for (int k = 0; k < kc; k++) wasm_v128_store(dst + k * 4, wasm_v128_load(src + k * L.cs));
    } else {
      for (int k = 0; k < kc; k++)
        for (int i = 0; i < GEMM_MR; i++) dst[k * GEMM_MR + i] = i < mr ? src[i * L.rs + k * L.cs] : 0.f;
    }
  }
}

/* Packs R[k0 .. k0+kc, j0 .. j0+nc) into slivers of GEMM_NR columns: Rp[s·kc·NR + k·NR + j]. */
static void gemm_pack_r(gemm_operand R, int k0, int kc, int j0, int nc, float *Rp) {
  for (int s = 0; s < nc; s += GEMM_NR) {
    const int nr = nc - s < GEMM_NR ? nc - s : GEMM_NR;
    float *dst = Rp + s * kc;
    const float *src = R.p + k0 * R.rs + (j0 + s) * R.cs;
    if (nr == GEMM_NR && R.cs == 1) {
      /* rows contiguous (B of A·B): two vectors per k */
      for (int k = 0; k < kc; k++) {
        const float *r = src + k * R.rs;
        wasm_v128_store(dst + k * 8, wasm_v128_load(r));
        wasm_v128_store(dst + k * 8 + 4, wasm_v128_load(r + 4));
      }
    } else if (nr == GEMM_NR && R.rs == 1) {
      /* columns contiguous (B of A·Bᵀ): 4 × 4 transposes of each half */
      for (int h = 0; h < 2; h++) {
        const float *c0 = src + 4 * h * R.cs, *c1 = c0 + R.cs, *c2 = c1 + R.cs, *c3 = c2 + R.cs;
        float *d = dst + 4 * h;
        int k = 0;
        for (; k + 4 <= kc; k += 4) gemm_transpose4(c0 + k, c1 + k, c2 + k, c3 + k, d + k * 8, 8);
        for (; k < kc; k++) {
          d[k * 8] = c0[k]; d[k * 8 + 1] = c1[k]; d[k * 8 + 2] = c2[k]; d[k * 8 + 3] = c3[k];
        }
      }
    } else {
      for (int k = 0; k < kc; k++)
        for (int j = 0; j < GEMM_NR; j++) dst[k * GEMM_NR + j] = j < nr ? src[k * R.rs + j * R.cs] : 0.f;
    }
  }
}

/*
 * The register tile: starting from C (or from zero when `from_zero`), adds Lp[k]·Rp[k] for k in
 * order over kc steps, for the mr × nr corner of the GEMM_MR × GEMM_NR tile that lies inside C.
 */
static void gemm_micro(int kc, const float *Lp, const float *Rp, float *C, int ldc, int mr, int nr, int from_zero) {
  v128_t c[GEMM_MR][2];
  float t[GEMM_MR * GEMM_NR];
  const int full = mr == GEMM_MR && nr == GEMM_NR;
  if (from_zero) {
    for (int i = 0; i < GEMM_MR; i++) c[i][0] = c[i][1] = wasm_f32x4_splat(0.f);
  } else if (full) {
    for (int i = 0; i < GEMM_MR; i++) {
      c[i][0] = wasm_v128_load(C + i * ldc);
      c[i][1] = wasm_v128_load(C + i * ldc + 4);
    }
  } else {
    for (int i = 0; i < GEMM_MR; i++)
      for (int j = 0; j < GEMM_NR; j++) t[i * GEMM_NR + j] = i < mr && j < nr ? C[i * ldc + j] : 0.f;
    for (int i = 0; i < GEMM_MR; i++) {
      c[i][0] = wasm_v128_load(t + i * GEMM_NR);
      c[i][1] = wasm_v128_load(t + i * GEMM_NR + 4);
    }
  }
  for (int k = 0; k < kc; k++) {
    const v128_t b0 = wasm_v128_load(Rp), b1 = wasm_v128_load(Rp + 4);
    for (int i = 0; i < GEMM_MR; i++) {
      const v128_t a = wasm_v128_load32_splat(Lp + i);
      c[i][0] = GEMM_MADD(c[i][0], a, b0);
      c[i][1] = GEMM_MADD(c[i][1], a, b1);
    }
    Lp += GEMM_MR;
    Rp += GEMM_NR;
  }
  if (full) {
    for (int i = 0; i < GEMM_MR; i++) {
      wasm_v128_store(C + i * ldc, c[i][0]);
      wasm_v128_store(C + i * ldc + 4, c[i][1]);
    }
    return;
  }
  for (int i = 0; i < GEMM_MR; i++) {
    wasm_v128_store(t + i * GEMM_NR, c[i][0]);
    wasm_v128_store(t + i * GEMM_NR + 4, c[i][1]);
  }
  for (int i = 0; i < mr; i++)
    for (int j = 0; j < nr; j++) C[i * ldc + j] = t[i * GEMM_NR + j];
}

/*
 * C[M,N] (+)= L[M,K]·R[K,N] (C row-major with row stride ldc), with GEMM_WORK_FLOATS floats of
 * 16-byte-aligned work space. See above for the order of the sums.
 */
static void gemm_packed(int M, int N, int K, gemm_operand L, gemm_operand R, float *C, int ldc, int accumulate, float *work) {
  float *Rp = work, *Lp = work + GEMM_KC * GEMM_NC;
  if (K == 0) {
    if (!accumulate)
      for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) C[i * ldc + j] = 0.f;
    return;
  }
  for (int j0 = 0; j0 < N; j0 += GEMM_NC) {
    const int nc = N - j0 < GEMM_NC ? N - j0 : GEMM_NC;
    for (int k0 = 0; k0 < K; k0 += GEMM_KC) {
      const int kc = K - k0 < GEMM_KC ? K - k0 : GEMM_KC;
      const int from_zero = k0 == 0 && !accumulate;
      gemm_pack_r(R, k0, kc, j0, nc, Rp);
      for (int i0 = 0; i0 < M; i0 += GEMM_MC) {
        const int mc = M - i0 < GEMM_MC ? M - i0 : GEMM_MC;
        gemm_pack_l(L, i0, mc, k0, kc, Lp);
        for (int s = 0; s < nc; s += GEMM_NR) {
          const int nr = nc - s < GEMM_NR ? nc - s : GEMM_NR;
          for (int r = 0; r < mc; r += GEMM_MR) {
            const int mr = mc - r < GEMM_MR ? mc - r : GEMM_MR;
            gemm_micro(kc, Lp + r * kc, Rp + s * kc, C + (i0 + r) * ldc + j0 + s, ldc, mr, nr, from_zero);
          }
        }
      }
    }
  }
}
#endif
