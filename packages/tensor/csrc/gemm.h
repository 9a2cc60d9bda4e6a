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

static void gemm_abt(int M, int K, int P, const float *A, const float *B, float *C, int accumulate) {
  int m = 0;
  for (; m + 4 <= M; m += 4) {
    const float *a0 = A + m * K, *a1 = a0 + K, *a2 = a1 + K, *a3 = a2 + K;
    for (int p = 0; p < P; p++) {
      const float *b = B + p * K;
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
      float *c = C + m * P + p;
      if (accumulate) {
        c[0] += t0; c[P] += t1; c[2 * P] += t2; c[3 * P] += t3;
      } else {
        c[0] = t0; c[P] = t1; c[2 * P] = t2; c[3 * P] = t3;
      }
    }
  }
  for (; m < M; m++) {
    const float *a = A + m * K;
    for (int p = 0; p < P; p++) {
      const float *b = B + p * K;
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

static void gemm_atb(int M, int K, int P, const float *A, const float *B, float *C, int accumulate) {
  if (!accumulate)
    for (int i = 0; i < K * P; i++) C[i] = 0.f;
  int m = 0;
  for (; m + 4 <= M; m += 4) {
    const float *a0 = A + m * K, *a1 = a0 + K, *a2 = a1 + K, *a3 = a2 + K;
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
    const float *a = A + m * K, *b = B + m * P;
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
#endif
