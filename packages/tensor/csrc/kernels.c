/*
 * wmkit's generic wasm kernels: fused loops that TensorFlow.js would run as thousands of small ops.
 * Model kernels live beside their models (packages/<model>/csrc) and include module.h too.
 *
 * Leaky recurrent network scan, forward and backward (BPTT), two forms:
 *
 *   mode 0, rate form:                         P_t = Y_{t-1} W^T + D_t
 *                                              S_t = (1 - a) S_{t-1} + a P_t + Z_t
 *                                              Y_t = f(S_t)
 *   mode 1, current form:                      P_t = S_{t-1} W^T + D_t + Z_t
 *                                              S_t = (1 - a) S_{t-1} + a f(P_t)
 *                                              Y_t = S_t
 *
 * for t = 1..T, batch rows b = 1..B, units N; W is [N, N] (row: postsynaptic), a is one
 * rate constant per unit (a = dt/tau), D the drive (input projection), Z additive noise.
 * f: 0 sigmoid, 1 tanh, 2 relu, 3 softplus, optionally clipped above at `clip`.
 * All arrays are f32, row-major: S, Y [T+1, B, N]; P, D, Z [T, B, N].
 *
 * Backward takes dL/dY for every t (dY, [T+1, B, N]) and returns dL/dD_t (= dL/dP_t) in dD,
 * accumulates dL/dW into dW and dL/da into dA, and writes dL/dS_0 into dS0.
 */
#include "fmath.h"
#include "gemm.h"
#include "module.h"

enum { F_SIGMOID = 0, F_TANH = 1, F_RELU = 2, F_SOFTPLUS = 3 };

static inline float act(int f, float x) {
  switch (f) {
    case F_SIGMOID: return fsigmoid(x);
    case F_TANH: return ftanh(x);
    case F_RELU: return x > 0.f ? x : 0.f;
    default: return fsoftplus(x);
  }
}

/* f'(x) given x and y = f(x) (unclipped). */
static inline float dact(int f, float x, float y) {
  switch (f) {
    case F_SIGMOID: return y * (1.0f - y);
    case F_TANH: return 1.0f - y * y;
    case F_RELU: return x > 0.f ? 1.0f : 0.0f;
    default: return fsigmoid(x);
  }
}

static inline float clipped(float y, float clip) { return y > clip ? clip : y; }

/*
 * fmath.h's vexp_neg, vtanh and vsigmoid, the same bits with fewer instructions, and on four
 * vectors at once. The same operations in the same order for every lane; two changes of form:
 *  - k = nearest(v) (v = max(y, −87.33)·log₂e ∈ [−126, 0]) and its integer come from one sum
 *    v + 1.5·2²³: for |v| < 2²² the sum rounds, to nearest even as f32x4.nearest does, to an
 *    integer held in its low mantissa bits; so kf = sum − 1.5·2²³ is nearest(v) exactly and
 *    (k + 127) << 23 is (bits(sum) − bits(1.5·2²³) + 127) << 23 (the shift drops the bits
 *    above k's). This replaces f32x4.nearest and i32x4.trunc_sat_f32x4 (several instructions
 *    each under V8). NaN gives NaN as before (p·1.0 there, p·1.0 here: the shift leaves 127).
 *  - vact4 works on four vectors with the four chains' operations interleaved: one vector's
 *    tanh is a long chain of dependent operations (Horner's polynomial, then a division) that
 *    the CPU cannot overlap with the next vector's far enough; four independent chains side by
 *    side run 1.4× faster (measured under V8, Node 20; bench/README.md, session 7: dcdt5).
 * Checked against fmath.h on 6 M inputs (random, wide, any bit pattern, ±0, ±inf, NaN, the
 * thresholds): no bit differs; tests: kernels.test.ts (the scan against its reference).
 */
#define KX4(stmt) stmt(0) stmt(1) stmt(2) stmt(3)
static inline void kexp_neg4(const v128_t *y, v128_t *out) {
  const v128_t magic = wasm_f32x4_splat(12582912.0f), lo = wasm_f32x4_splat(-87.33f);
  v128_t under[4], yc[4], km[4], kf[4], r[4], p[4];
#define KE1(j) under[j] = wasm_f32x4_lt(y[j], lo); yc[j] = wasm_f32x4_pmax(y[j], lo); /* NaN passes through */
  KX4(KE1)
#define KE2(j) km[j] = wasm_f32x4_add(wasm_f32x4_mul(yc[j], wasm_f32x4_splat(1.44269504088896341f)), magic);
  KX4(KE2)
#define KE3(j) kf[j] = wasm_f32x4_sub(km[j], magic); /* exact */
  KX4(KE3)
#define KE4(j)                                                                                      \
  r[j] = wasm_f32x4_sub(wasm_f32x4_sub(yc[j], wasm_f32x4_mul(kf[j], wasm_f32x4_splat(0.693145751953125f))), \
                        wasm_f32x4_mul(kf[j], wasm_f32x4_splat(1.428606765330187e-06f)));
  KX4(KE4)
#define KE5(j) p[j] = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_splat(1.3888889e-3f), r[j]), wasm_f32x4_splat(8.3333333e-3f));
  KX4(KE5)
#define KE6(j) p[j] = wasm_f32x4_add(wasm_f32x4_mul(p[j], r[j]), wasm_f32x4_splat(4.1666667e-2f));
  KX4(KE6)
#define KE7(j) p[j] = wasm_f32x4_add(wasm_f32x4_mul(p[j], r[j]), wasm_f32x4_splat(1.6666667e-1f));
  KX4(KE7)
#define KE8(j) p[j] = wasm_f32x4_add(wasm_f32x4_mul(p[j], r[j]), wasm_f32x4_splat(0.5f));
  KX4(KE8)
#define KE9(j) p[j] = wasm_f32x4_add(wasm_f32x4_mul(p[j], r[j]), wasm_f32x4_splat(1.0f));
  KX4(KE9)
  KX4(KE9)
  /* 2^k as (k + 127) << 23 with k = bits(km) − bits(magic); then p·2^k, 0 below the range */
#define KE10(j) \
  out[j] = wasm_v128_andnot(wasm_f32x4_mul(p[j], wasm_i32x4_shl(wasm_i32x4_sub(km[j], wasm_i32x4_splat(0x4B400000 - 127)), 23)), under[j]);
  KX4(KE10)
}
static inline void ktanh4(const v128_t *x, v128_t *out) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  v128_t sign[4], ax[4], x2[4], q[4], small[4], y[4], z[4], t[4];
#define KT1(j) sign[j] = wasm_v128_and(x[j], wasm_i32x4_splat((int)0x80000000u)); ax[j] = wasm_f32x4_abs(x[j]);
  KX4(KT1)
#define KT2(j) x2[j] = wasm_f32x4_mul(x[j], x[j]);
  KX4(KT2)
#define KT3(j) q[j] = wasm_f32x4_add(wasm_f32x4_splat(2.0f / 15.0f), wasm_f32x4_mul(x2[j], wasm_f32x4_splat(-17.0f / 315.0f)));
  KX4(KT3)
#define KT4(j) q[j] = wasm_f32x4_add(wasm_f32x4_splat(-1.0f / 3.0f), wasm_f32x4_mul(x2[j], q[j]));
  KX4(KT4)
#define KT5(j) q[j] = wasm_f32x4_add(one, wasm_f32x4_mul(x2[j], q[j]));
  KX4(KT5)
#define KT6(j) small[j] = wasm_f32x4_mul(x[j], q[j]); y[j] = wasm_f32x4_mul(wasm_f32x4_splat(-2.0f), ax[j]);
  KX4(KT6)
  kexp_neg4(y, z);
#define KT7(j) t[j] = wasm_v128_or(wasm_f32x4_div(wasm_f32x4_sub(one, z[j]), wasm_f32x4_add(one, z[j])), sign[j]);
  KX4(KT7)
#define KT8(j) out[j] = wasm_v128_bitselect(small[j], t[j], wasm_f32x4_lt(ax[j], wasm_f32x4_splat(0.0625f)));
  KX4(KT8)
}
static inline void ksigmoid4(const v128_t *x, v128_t *out) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  v128_t y[4], z[4], d[4];
#define KS1(j) y[j] = wasm_f32x4_neg(wasm_f32x4_abs(x[j]));
  KX4(KS1)
  kexp_neg4(y, z);
#define KS2(j) d[j] = wasm_f32x4_add(one, z[j]);
  KX4(KS2)
#define KS3(j) out[j] = wasm_v128_bitselect(wasm_f32x4_div(one, d[j]), wasm_f32x4_div(z[j], d[j]), wasm_f32x4_ge(x[j], wasm_f32x4_splat(0.f)));
  KX4(KS3)
}

/* f of four lanes for the transfers with a vector form (sigmoid, tanh); vec_act() says which. */
static inline int vec_act(int f) { return f == F_SIGMOID || f == F_TANH; }
static inline v128_t vact(int f, v128_t x) { return f == F_TANH ? vtanh(x) : vsigmoid(x); }
/* f of four vectors (sigmoid, tanh): the same bits as vact on each */
static inline __attribute__((always_inline)) void vact4(int f, const v128_t *x, v128_t *out) {
  if (f == F_TANH) ktanh4(x, out);
  else ksigmoid4(x, out);
}
/* f'(x) from y = f(x) for sigmoid and tanh */
static inline v128_t vdact(int f, v128_t y) {
  v128_t one = wasm_f32x4_splat(1.0f);
  return f == F_TANH ? wasm_f32x4_sub(one, wasm_f32x4_mul(y, y)) : wasm_f32x4_mul(y, wasm_f32x4_sub(one, y));
}
#define LD(p) wasm_v128_load(p)
#define ST(p, v) wasm_v128_store(p, v)

/* y = f(x) elementwise (clipped above at clip). */
EXPORT void transfer_apply(int f, float clip, int n, const float *x, float *y) {
  for (int i = 0; i < n; i++) y[i] = clipped(act(f, x[i]), clip);
}

/*
 * The products as exported: C[rows, cols] (+)= L[rows, inner]·R[inner, cols] with
 *   abt: rows M, inner K, cols P (L = A, R = Bᵀ);  ab: rows M, inner K, cols P (L = A, R = B);
 *   atb: rows K, inner M, cols P (L = Aᵀ, R = B).
 * Products with every dimension ≥ GEMM_PACK_MIN (and at least PACK_MIN_MACS multiply-adds) go
 * through the packed kernel (gemm.h) when the caller gives work space; the rest take the direct
 * kernels, which suit thin products (an input of a few channels, mostly zeros: gemm_ab and
 * gemm_atb skip zeros). The choice depends on the shape only, never on the thread count.
 */
#define GEMM_PACK_MIN 16
#define PACK_MIN_MACS 65536

enum { FORM_ABT = 0, FORM_AB = 1, FORM_ATB = 2 };

static int use_packed(int rows, int inner, int cols) {
  return rows >= GEMM_PACK_MIN && inner >= GEMM_PACK_MIN && cols >= GEMM_PACK_MIN &&
         (double)rows * inner * cols >= PACK_MIN_MACS;
}

/* Floats of work space each thread needs for a product of this form and shape (0: none). */
EXPORT int matmul_work_floats(int form, int M, int K, int P) {
  int packed = form == FORM_ATB ? use_packed(K, M, P) : use_packed(M, K, P);
  return packed ? GEMM_WORK_FLOATS : 0;
}

/* dense products with room for register tiles take the tiled kernel; thin ones (an input of
 * a few channels, mostly zeros) the one that skips zeros */
static void atb_cols(int M, int K, int P, const float *A, int k0, int k1, const float *B, float *C, int accumulate) {
  if (K >= 4 && P >= 8)
    gemm_atb_dense(M, k1 - k0, P, A + k0, K, B, C + k0 * P, accumulate);
  else
    gemm_atb(M, k1 - k0, P, A + k0, K, B, C + k0 * P, accumulate);
}

/*
 * gemm_ab for an inner dimension of 2 (an input or a read-out of two channels): the same sums,
 * each element of C from 0 (or its value) plus x·b for each k that gemm_ab does not skip (its
 * 4-row blocks skip k where all four x are 0, the last M mod 4 rows where x is 0), in order of k,
 * the same vector and scalar columns, but kept in registers and stored once instead of a zero
 * fill and two passes over C.
 */
static void gemm_ab_k2(int M, int P, const float *A, const float *B, float *C, int accumulate) {
  const int P4 = P & ~3;
  const float *b0 = B, *b1 = B + P;
  int m = 0;
  for (; m + 4 <= M; m += 4) {
    float *c0 = C + m * P, *c1 = c0 + P, *c2 = c1 + P, *c3 = c2 + P;
    const float *a = A + m * 2;
    const float x00 = a[0], x01 = a[1], x10 = a[2], x11 = a[3], x20 = a[4], x21 = a[5], x30 = a[6], x31 = a[7];
    const int u0 = !(x00 == 0.f && x10 == 0.f && x20 == 0.f && x30 == 0.f);
    const int u1 = !(x01 == 0.f && x11 == 0.f && x21 == 0.f && x31 == 0.f);
    if (!u0 && !u1) {
      if (!accumulate)
        for (int i = 0; i < 4 * P; i++) c0[i] = 0.f;
      continue;
    }
    const v128_t v00 = wasm_f32x4_splat(x00), v10 = wasm_f32x4_splat(x10), v20 = wasm_f32x4_splat(x20), v30 = wasm_f32x4_splat(x30);
    const v128_t v01 = wasm_f32x4_splat(x01), v11 = wasm_f32x4_splat(x11), v21 = wasm_f32x4_splat(x21), v31 = wasm_f32x4_splat(x31);
    const v128_t z = wasm_f32x4_splat(0.f);
    int p = 0;
    for (; p < P4; p += 4) {
      v128_t s0 = accumulate ? wasm_v128_load(c0 + p) : z, s1 = accumulate ? wasm_v128_load(c1 + p) : z;
      v128_t s2 = accumulate ? wasm_v128_load(c2 + p) : z, s3 = accumulate ? wasm_v128_load(c3 + p) : z;
      if (u0) {
        v128_t bv = wasm_v128_load(b0 + p);
        s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(v00, bv));
        s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(v10, bv));
        s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(v20, bv));
        s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(v30, bv));
      }
      if (u1) {
        v128_t bv = wasm_v128_load(b1 + p);
        s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(v01, bv));
        s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(v11, bv));
        s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(v21, bv));
        s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(v31, bv));
      }
      wasm_v128_store(c0 + p, s0), wasm_v128_store(c1 + p, s1), wasm_v128_store(c2 + p, s2), wasm_v128_store(c3 + p, s3);
    }
    for (; p < P; p++) {
      float s0 = accumulate ? c0[p] : 0.f, s1 = accumulate ? c1[p] : 0.f, s2 = accumulate ? c2[p] : 0.f, s3 = accumulate ? c3[p] : 0.f;
      if (u0) s0 += x00 * b0[p], s1 += x10 * b0[p], s2 += x20 * b0[p], s3 += x30 * b0[p];
      if (u1) s0 += x01 * b1[p], s1 += x11 * b1[p], s2 += x21 * b1[p], s3 += x31 * b1[p];
      c0[p] = s0, c1[p] = s1, c2[p] = s2, c3[p] = s3;
    }
  }
  for (; m < M; m++) {
    float *c = C + m * P;
    const float x0 = A[m * 2], x1 = A[m * 2 + 1];
    const v128_t v0 = wasm_f32x4_splat(x0), v1 = wasm_f32x4_splat(x1);
    int p = 0;
    for (; p < P4; p += 4) {
      v128_t s = accumulate ? wasm_v128_load(c + p) : wasm_f32x4_splat(0.f);
      if (x0 != 0.f) s = wasm_f32x4_add(s, wasm_f32x4_mul(v0, wasm_v128_load(b0 + p)));
      if (x1 != 0.f) s = wasm_f32x4_add(s, wasm_f32x4_mul(v1, wasm_v128_load(b1 + p)));
      wasm_v128_store(c + p, s);
    }
    for (; p < P; p++) {
      float s = accumulate ? c[p] : 0.f;
      if (x0 != 0.f) s += x0 * b0[p];
      if (x1 != 0.f) s += x1 * b1[p];
      c[p] = s;
    }
  }
}

/* Rows [r0, r1) of C (rows of A; for atb, columns of A) of the product `form`. `work`: this
 * thread's work space, or 0 (only for shapes that do not take the packed kernel). */
static void matmul_rows(int form, int M, int K, int P, const float *A, const float *B, float *C, int accumulate, float *work,
                        int r0, int r1) {
  if (r1 <= r0) return;
  if (form == FORM_ATB) {
    if (work && use_packed(K, M, P)) {
      gemm_operand L = {A + r0, 1, K}, R = {B, P, 1};
      gemm_packed(r1 - r0, P, M, L, R, C + r0 * P, P, accumulate, work);
    } else {
      atb_cols(M, K, P, A, r0, r1, B, C, accumulate);
    }
    return;
  }
  if (work && use_packed(M, K, P)) {
    gemm_operand L = {A + r0 * K, K, 1};
    gemm_operand R = form == FORM_ABT ? (gemm_operand){B, 1, K} : (gemm_operand){B, P, 1};
    gemm_packed(r1 - r0, P, K, L, R, C + r0 * P, P, accumulate, work);
  } else if (form == FORM_ABT) {
    gemm_abt(r1 - r0, K, P, A + r0 * K, B, C + r0 * P, accumulate);
  } else if (K == 2) {
    gemm_ab_k2(r1 - r0, P, A + r0 * K, B, C + r0 * P, accumulate);
  } else {
    gemm_ab(r1 - r0, K, P, A + r0 * K, B, C + r0 * P, accumulate);
  }
}

EXPORT void matmul_abt(int M, int K, int P, const float *A, const float *B, float *C, int accumulate, float *work) {
  matmul_rows(FORM_ABT, M, K, P, A, B, C, accumulate, work, 0, M);
}
EXPORT void matmul_ab(int M, int K, int P, const float *A, const float *B, float *C, int accumulate, float *work) {
  matmul_rows(FORM_AB, M, K, P, A, B, C, accumulate, work, 0, M);
}
EXPORT void matmul_atb(int M, int K, int P, const float *A, const float *B, float *C, int accumulate, float *work) {
  matmul_rows(FORM_ATB, M, K, P, A, B, C, accumulate, work, 0, K);
}

/* The products on several threads (parallel.h): blocks of 4 rows of C (the register tiles of
 * both kernels; for atb, columns of A), each element summed in the same order as on one thread.
 * work: nth × matmul_work_floats(...) floats, thread tid using the tid-th part. */
typedef struct {
  int M, K, P;
  const float *A, *B;
  float *C;
  int accumulate;
  float *work;
} __attribute__((aligned(8))) mat_args; /* (the bindings' StructLayout rounds sizes to 8 bytes) */

static void par_matmul(int form, const mat_args *a, int tid, int nth) {
  int r0, r1;
  par_range(form == FORM_ATB ? a->K : a->M, 4, tid, nth, &r0, &r1);
  float *work = a->work ? a->work + tid * matmul_work_floats(form, a->M, a->K, a->P) : 0;
  matmul_rows(form, a->M, a->K, a->P, a->A, a->B, a->C, a->accumulate, work, r0, r1);
}
EXPORT void par_matmul_abt(const mat_args *a, int tid, int nth) { par_matmul(FORM_ABT, a, tid, nth); }
EXPORT void par_matmul_ab(const mat_args *a, int tid, int nth) { par_matmul(FORM_AB, a, tid, nth); }
EXPORT void par_matmul_atb(const mat_args *a, int tid, int nth) { par_matmul(FORM_ATB, a, tid, nth); }

/* Arguments of the leaky scan (forward and backward; the backward's fields are unused by the
 * forward). Gall: [T, B, N] work space of the backward (G at every step). */
typedef struct {
  int mode, f;
  double clip;
  int B, N, T;
  const float *W, *D, *Z, *bias, *a;
  float *S, *Y, *P, *F;
  const float *dY;
  float *dW, *dD, *dA, *dBias, *dS0, *G, *H, *Wt, *Gall;
  float *work; /* backward: work space of the packed kernel for dW, GEMM_WORK_FLOATS per thread, or 0 */
} scan_args;

/*
 * The scans' per-step product for N a multiple of 4 and at most 512 (scan_packed_ok), with the
 * right operand packed once per scan: C[R, N] = X[R, N]·Mᵀ (X rows of stride N) as
 * gemm_abt(R, N, N, X, M, C, 0) computes it, the same bits, ~10 % faster under V8. The operand M
 * is packed in pairs of rows with their k-quads interleaved, Mp[p·N + 2k + 4·(p & 1) + (k & 3)]
 * for even p… (scan_pack_pairs), and each block of 4 rows of X is copied the same way (4 rows
 * interleaved) before it passes over Mp: the register tile (4 rows × 2 rows of M, 8 accumulators,
 * 6 loads per 8 multiply-adds, as gemm_abt_panel) then reads both operands from one pointer each
 * at constant offsets, without the address arithmetic of six strided rows (V8 computes each
 * strided address with an extra instruction). The sums are gemm_abt_panel's: for N % 4 = 0,
 * N ≤ 512 and an even number of columns it sums every output in four lanes (k mod 4) from zero,
 * a product then a sum, in order of k, then (lane 0 + lane 2) + (lane 1 + lane 3) in blocks of 4
 * rows (hsum4) and ((lane 0 + lane 1) + lane 2) + lane 3 for the last R mod 4 rows (hsum).
 */
static int scan_packed_ok(int N) { return (N & 3) == 0 && N <= 512; }

/* Mp as above from M (transposed: M[p, k] = X[k, p], for Wᵀ from W). */
static void scan_pack_pairs(int N, const float *X, int transposed, float *Mp) {
  for (int p = 0; p < N; p++)
    for (int k = 0; k < N; k++) Mp[(p & ~1) * N + 2 * (k & ~3) + 4 * (p & 1) + (k & 3)] = transposed ? X[k * N + p] : X[p * N + k];
}

static void scan_abt(int R, int N, const float *X, const float *Mp, float *C) {
  float Xp[4 * 512] __attribute__((aligned(16)));
  int m = 0;
  for (; m + 4 <= R; m += 4) {
    const float *x0 = X + m * N;
    for (int k = 0; k < N; k += 4)
      for (int j = 0; j < 4; j++) ST(Xp + 4 * k + 4 * j, LD(x0 + j * N + k));
    float *c0 = C + m * N, *c1 = c0 + N, *c2 = c1 + N, *c3 = c2 + N;
    for (int p = 0; p < N; p += 2) {
      const float *a = Xp, *w = Mp + p * N;
      v128_t s00 = wasm_f32x4_splat(0.f), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
      for (int k = 0; k < N; k += 4, a += 16, w += 8) {
        v128_t y0 = LD(w), y1 = LD(w + 4);
        v128_t v = LD(a);
        s00 = wasm_f32x4_add(s00, wasm_f32x4_mul(v, y0));
        s01 = wasm_f32x4_add(s01, wasm_f32x4_mul(v, y1));
        v = LD(a + 4);
        s10 = wasm_f32x4_add(s10, wasm_f32x4_mul(v, y0));
        s11 = wasm_f32x4_add(s11, wasm_f32x4_mul(v, y1));
        v = LD(a + 8);
        s20 = wasm_f32x4_add(s20, wasm_f32x4_mul(v, y0));
        s21 = wasm_f32x4_add(s21, wasm_f32x4_mul(v, y1));
        v = LD(a + 12);
        s30 = wasm_f32x4_add(s30, wasm_f32x4_mul(v, y0));
        s31 = wasm_f32x4_add(s31, wasm_f32x4_mul(v, y1));
      }
      v128_t v0 = hsum4(s00, s10, s20, s30), v1 = hsum4(s01, s11, s21, s31);
      c0[p] = wasm_f32x4_extract_lane(v0, 0); c1[p] = wasm_f32x4_extract_lane(v0, 1);
      c2[p] = wasm_f32x4_extract_lane(v0, 2); c3[p] = wasm_f32x4_extract_lane(v0, 3);
      c0[p + 1] = wasm_f32x4_extract_lane(v1, 0); c1[p + 1] = wasm_f32x4_extract_lane(v1, 1);
      c2[p + 1] = wasm_f32x4_extract_lane(v1, 2); c3[p + 1] = wasm_f32x4_extract_lane(v1, 3);
    }
  }
  for (; m < R; m++) {
    const float *x = X + m * N;
    for (int p = 0; p < N; p++) {
      const float *w = Mp + (p & ~1) * N + 4 * (p & 1);
      v128_t s = wasm_f32x4_splat(0.f);
      for (int k = 0; k < N; k += 4) s = wasm_f32x4_add(s, wasm_f32x4_mul(LD(x + k), LD(w + 2 * k)));
      C[m * N + p] = hsum(s);
    }
  }
}

/* The forward scan of trials (batch rows) [b0, b1): rows are independent, so each thread runs
 * every step for its own trials with no synchronisation. */
static void leaky_forward_rows(const scan_args *A, int b0, int b1) {
  const int mode = A->mode, f = A->f, B = A->B, N = A->N, T = A->T;
  const float clip = (float)A->clip;
  const float *W = A->W, *D = A->D, *Z = A->Z, *bias = A->bias, *a = A->a;
  float *S = A->S, *Y = A->Y, *P = A->P, *F = A->F;
  const int BN = B * N, R = b1 - b0, off = b0 * N;
  if (mode == 0)
    for (int i = off; i < off + R * N; i++) Y[i] = clipped(act(f, S[i]), clip);
  else if (Y != S)
    for (int i = off; i < off + R * N; i++) Y[i] = S[i];
  const int nv = vec_act(f) ? N & ~3 : 0; /* lanes [0, nv) in vectors, the rest scalar */
  const v128_t vclip = wasm_f32x4_splat(clip), vone = wasm_f32x4_splat(1.0f), vzero = wasm_f32x4_splat(0.f);
  /* W packed by leaky_rnn_forward_prepare (into the Wt field), where given */
  const float *Wp = A->Wt && scan_packed_ok(N) ? A->Wt : 0;
  for (int t = 1; t <= T; t++) {
    const float *Sp = S + (t - 1) * BN, *Yp = Y + (t - 1) * BN;
    float *St = S + t * BN, *Yt = Y + t * BN, *Pt = P + (t - 1) * BN, *Ft = F ? F + (t - 1) * BN : 0;
    const float *Dt = D ? D + (t - 1) * BN : 0, *Zt = Z ? Z + (t - 1) * BN : 0;
    if (Wp)
      scan_abt(R, N, (mode == 0 ? Yp : Sp) + off, Wp, Pt + off);
    else
      gemm_abt(R, N, N, (mode == 0 ? Yp : Sp) + off, W, Pt + off, 0);
    for (int b = b0; b < b1; b++) {
      /* 16 units at a time: the four vectors' f together (vact4), then the rest one by one */
      int i0 = 0;
      if (mode == 0)
        for (; i0 + 16 <= nv; i0 += 16) {
          v128_t x[4], y[4];
          for (int j = 0; j < 4; j++) {
            int i = i0 + 4 * j, k = b * N + i;
            v128_t av = LD(a + i), p = LD(Pt + k);
            if (Dt) p = wasm_f32x4_add(p, LD(Dt + k));
            if (bias) p = wasm_f32x4_add(p, LD(bias + i));
            v128_t s1 = wasm_f32x4_mul(wasm_f32x4_sub(vone, av), LD(Sp + k));
            ST(Pt + k, p);
            x[j] = wasm_f32x4_add(wasm_f32x4_add(s1, wasm_f32x4_mul(av, p)), Zt ? LD(Zt + k) : vzero);
            ST(St + k, x[j]);
          }
          vact4(f, x, y);
          for (int j = 0; j < 4; j++) ST(Yt + b * N + i0 + 4 * j, wasm_f32x4_pmin(y[j], vclip));
        }
      else
        for (; i0 + 16 <= nv; i0 += 16) {
          v128_t x[4], y[4];
          for (int j = 0; j < 4; j++) {
            int i = i0 + 4 * j, k = b * N + i;
            v128_t p = LD(Pt + k);
            if (Dt) p = wasm_f32x4_add(p, LD(Dt + k));
            if (bias) p = wasm_f32x4_add(p, LD(bias + i));
            if (Zt) p = wasm_f32x4_add(p, LD(Zt + k));
            ST(Pt + k, p);
            x[j] = p;
          }
          vact4(f, x, y);
          for (int j = 0; j < 4; j++) {
            int i = i0 + 4 * j, k = b * N + i;
            v128_t av = LD(a + i);
            if (Ft) ST(Ft + k, y[j]);
            v128_t s1 = wasm_f32x4_mul(wasm_f32x4_sub(vone, av), LD(Sp + k));
            v128_t s = wasm_f32x4_add(s1, wasm_f32x4_mul(av, wasm_f32x4_pmin(y[j], vclip)));
            ST(St + k, s);
            if (Yt != St) ST(Yt + k, s);
          }
        }
      for (int i = i0; i < nv; i += 4) {
        int k = b * N + i;
        v128_t av = LD(a + i), p = LD(Pt + k);
        if (Dt) p = wasm_f32x4_add(p, LD(Dt + k));
        if (bias) p = wasm_f32x4_add(p, LD(bias + i));
        v128_t s1 = wasm_f32x4_mul(wasm_f32x4_sub(vone, av), LD(Sp + k));
        if (mode == 0) {
          ST(Pt + k, p);
          v128_t s = wasm_f32x4_add(wasm_f32x4_add(s1, wasm_f32x4_mul(av, p)), Zt ? LD(Zt + k) : vzero);
          ST(St + k, s);
          ST(Yt + k, wasm_f32x4_pmin(vact(f, s), vclip));
        } else {
          if (Zt) p = wasm_f32x4_add(p, LD(Zt + k));
          ST(Pt + k, p);
          v128_t y = vact(f, p);
          if (Ft) ST(Ft + k, y);
          v128_t s = wasm_f32x4_add(s1, wasm_f32x4_mul(av, wasm_f32x4_pmin(y, vclip)));
          ST(St + k, s);
          if (Yt != St) ST(Yt + k, s);
        }
      }
      for (int i = nv; i < N; i++) {
        int k = b * N + i;
        float p = Pt[k] + (Dt ? Dt[k] : 0.f) + (bias ? bias[i] : 0.f);
        if (mode == 0) {
          Pt[k] = p;
          float s = (1.0f - a[i]) * Sp[k] + a[i] * p + (Zt ? Zt[k] : 0.f);
          St[k] = s;
          Yt[k] = clipped(act(f, s), clip);
        } else {
          p += Zt ? Zt[k] : 0.f;
          Pt[k] = p;
          float y = act(f, p);
          if (Ft) Ft[k] = y;
          float s = (1.0f - a[i]) * Sp[k] + a[i] * clipped(y, clip);
          St[k] = s;
          Yt[k] = s;
        }
      }
    }
  }
}

/* Forward scan, trials split across threads (4-row blocks: the product's register tiles). */
EXPORT void par_leaky_rnn_forward(const scan_args *A, int tid, int nth) {
  int b0, b1;
  par_range(A->B, 4, tid, nth, &b0, &b1);
  if (b1 > b0) leaky_forward_rows(A, b0, b1);
}

/*
 * The backward scan of trials [b0, b1): everything but the sums over trials (dL/da, dL/d bias,
 * dL/dW), which leaky_backward_units forms afterwards. Work buffers G, H: [B, N] each (the
 * trials' rows); Wt: Wᵀ, written before (leaky_rnn_backward_prepare); Gall: [T, B, N], G at every
 * step for the sums. E·W runs per step as gemm_abt (rows against rows, the fastest kernel)
 * E·(Wᵀ)ᵀ.
 */
static void leaky_backward_rows(const scan_args *A, int b0, int b1) {
  const int mode = A->mode, f = A->f, B = A->B, N = A->N, T = A->T;
  const float clip = (float)A->clip;
  const float *a = A->a, *S = A->S, *Y = A->Y, *P = A->P, *F = A->F, *dY = A->dY, *Wt = A->Wt;
  float *dD = A->dD, *dS0 = A->dS0, *G = A->G, *H = A->H, *Gall = A->Gall;
  const int BN = B * N, R = b1 - b0, off = b0 * N;
  const int nv = vec_act(f) ? N & ~3 : 0;
  const v128_t vclip = wasm_f32x4_splat(clip), vone = wasm_f32x4_splat(1.0f);
  /* rate mode: f(S_t) is Y_t where nothing was clipped */
  const int yIsF = clip == __builtin_inff();
  for (int i = off; i < off + R * N; i++) G[i] = 0.f;
  /* G_t is written where it is kept (Gall[t−1]; dS0 for t = 0) and read back from there at the
   * step before: one pass per step writes G_t and E_t, no copies; the G buffer holds the zeros
   * G_{T+1} = 0 */
  for (int t = T; t >= 0; t--) {
    const float *St = S + t * BN, *dYt = dY + t * BN;
    const float *Gp = t == T ? G : Gall + t * BN; /* G_{t+1} */
    float *Gn = t == 0 ? dS0 : Gall + (t - 1) * BN; /* G_t */
    float *Et = t == 0 ? 0 : dD + (t - 1) * BN;
    const float *Pt = t == 0 ? 0 : P + (t - 1) * BN, *Ft = F && t > 0 ? F + (t - 1) * BN : 0;
    /* H = dL/dY_t (mode 0) or the recurrent part of dL/dS_t (mode 1): dY_t + E_{t+1} W */
    if (t < T && scan_packed_ok(N))
      scan_abt(R, N, dD + t * BN + off, Wt, H + off); /* E_{t+1} is stored at dD[t]; Wt: Wᵀ packed */
    else if (t < T)
      gemm_abt(R, N, N, dD + t * BN + off, Wt, H + off, 0);
    else
      for (int i = off; i < off + R * N; i++) H[i] = 0.f;
    if (mode == 0) {
      const float *Yt = Y + t * BN;
      for (int b = b0; b < b1; b++) {
        for (int i = 0; i < nv; i += 4) {
          int k = b * N + i;
          v128_t av = LD(a + i);
          v128_t yu = yIsF ? LD(Yt + k) : vact(f, LD(St + k));
          v128_t fp = wasm_v128_andnot(vdact(f, yu), wasm_f32x4_gt(yu, vclip));
          v128_t g = wasm_f32x4_mul(wasm_f32x4_add(LD(dYt + k), LD(H + k)), fp);
          g = wasm_f32x4_add(g, wasm_f32x4_mul(wasm_f32x4_sub(vone, av), LD(Gp + k)));
          ST(Gn + k, g);
          if (Et) ST(Et + k, wasm_f32x4_mul(av, g));
        }
        for (int i = nv; i < N; i++) {
          int k = b * N + i;
          float yu = act(f, St[k]);
          float fp = yu > clip ? 0.f : dact(f, St[k], yu);
          float g = (dYt[k] + H[k]) * fp + (1.0f - a[i]) * Gp[k];
          Gn[k] = g;
          if (Et) Et[k] = a[i] * g;
        }
      }
    } else {
      for (int b = b0; b < b1; b++) {
        for (int i = 0; i < nv; i += 4) {
          int k = b * N + i;
          v128_t av = LD(a + i);
          v128_t g = wasm_f32x4_add(LD(dYt + k), LD(H + k));
          g = wasm_f32x4_add(g, wasm_f32x4_mul(wasm_f32x4_sub(vone, av), LD(Gp + k)));
          ST(Gn + k, g);
          if (Et) {
            v128_t yu = Ft ? LD(Ft + k) : vact(f, LD(Pt + k));
            v128_t fp = wasm_v128_andnot(vdact(f, yu), wasm_f32x4_gt(yu, vclip));
            ST(Et + k, wasm_f32x4_mul(wasm_f32x4_mul(av, fp), g));
          }
        }
        for (int i = nv; i < N; i++) {
          int k = b * N + i;
          float g = dYt[k] + H[k] + (1.0f - a[i]) * Gp[k];
          Gn[k] = g;
          if (Et) {
            float p = Pt[k];
            float yu = Ft ? Ft[k] : act(f, p);
            float fp = yu > clip ? 0.f : dact(f, p, yu);
            Et[k] = a[i] * fp * g;
          }
        }
      }
    }
  }
}

/*
 * The backward's sums over trials and steps for units [i0, i1): dL/da and dL/d bias summed in the
 * order steps T…1, trials 0…B−1 (as a one-thread scan accumulates them), and the rows [i0, i1) of
 * dL/dW += Σ_t E_tᵀ · (Y_{t−1} or S_{t−1}) (E_t at dD[t−1], the states at [0, T)).
 */
static void leaky_backward_units(const scan_args *A, int i0, int i1, float *work) {
  const int mode = A->mode, f = A->f, B = A->B, N = A->N, T = A->T;
  const float clip = (float)A->clip;
  const float *S = A->S, *Y = A->Y, *P = A->P, *F = A->F, *dD = A->dD, *Gall = A->Gall;
  float *dA = A->dA, *dBias = A->dBias;
  const int BN = B * N;
  const int nv = vec_act(f) ? N & ~3 : 0, n4 = N & ~3;
  const v128_t vclip = wasm_f32x4_splat(clip);
  if (dA || dBias)
    for (int t = T; t >= 1; t--) {
      const float *Sp = S + (t - 1) * BN, *Pt = P + (t - 1) * BN, *Ft = F ? F + (t - 1) * BN : 0;
      const float *Et = dD + (t - 1) * BN, *Gt = Gall + (t - 1) * BN;
      for (int b = 0; b < B; b++) {
        if (mode == 0) {
          int i = i0;
          for (; i + 4 <= i1 && i < n4; i += 4) {
            int k = b * N + i;
            if (dA) ST(dA + i, wasm_f32x4_add(LD(dA + i), wasm_f32x4_mul(LD(Gt + k), wasm_f32x4_sub(LD(Pt + k), LD(Sp + k)))));
            if (dBias) ST(dBias + i, wasm_f32x4_add(LD(dBias + i), LD(Et + k)));
          }
          for (; i < i1; i++) {
            int k = b * N + i;
            if (dA) dA[i] += Gt[k] * (Pt[k] - Sp[k]);
            if (dBias) dBias[i] += Et[k];
          }
        } else {
          int i = i0;
          for (; i + 4 <= i1 && i < nv; i += 4) {
            int k = b * N + i;
            v128_t yu = Ft ? LD(Ft + k) : vact(f, LD(Pt + k));
            if (dA)
              ST(dA + i, wasm_f32x4_add(LD(dA + i), wasm_f32x4_mul(LD(Gt + k), wasm_f32x4_sub(wasm_f32x4_pmin(yu, vclip), LD(Sp + k)))));
            if (dBias) ST(dBias + i, wasm_f32x4_add(LD(dBias + i), LD(Et + k)));
          }
          for (; i < i1; i++) {
            int k = b * N + i;
            float yu = Ft ? Ft[k] : act(f, Pt[k]);
            if (dA) dA[i] += Gt[k] * (clipped(yu, clip) - Sp[k]);
            if (dBias) dBias[i] += Et[k];
          }
        }
      }
    }
  if (i1 <= i0) return;
  /* dW += Eᵀ·Y over all steps and trials: the packed kernel sums in gemm_atb_dense's order (the
   * same bits), faster */
  if (work && use_packed(N, T * B, N)) {
    gemm_operand L = {dD + i0, 1, N}, R = {mode == 0 ? Y : S, N, 1};
    gemm_packed(i1 - i0, N, T * B, L, R, A->dW + i0 * N, N, 1, work);
  } else {
    gemm_atb_dense(T * B, i1 - i0, N, dD + i0, N, mode == 0 ? Y : S, A->dW + i0 * N, 1);
  }
}

/* Backward scan, trials split across threads; then par_leaky_rnn_backward_sums. */
EXPORT void par_leaky_rnn_backward(const scan_args *A, int tid, int nth) {
  int b0, b1;
  par_range(A->B, 4, tid, nth, &b0, &b1);
  if (b1 > b0) leaky_backward_rows(A, b0, b1);
}
/* The backward's sums over trials, units split across threads (after par_leaky_rnn_backward). */
EXPORT void par_leaky_rnn_backward_sums(const scan_args *A, int tid, int nth) {
  int i0, i1;
  par_range(A->N, 4, tid, nth, &i0, &i1);
  if (i1 > i0) leaky_backward_units(A, i0, i1, A->work ? A->work + tid * GEMM_WORK_FLOATS : 0);
}
/* Wᵀ into Wt before the backward (one thread: N² copies): packed for scan_abt where it applies. */
EXPORT void leaky_rnn_backward_prepare(const scan_args *A) {
  if (scan_packed_ok(A->N))
    scan_pack_pairs(A->N, A->W, 1, A->Wt);
  else
    transpose(A->N, A->N, A->W, A->Wt);
}
/* Before the forward, optional: W packed for scan_abt into Wt (N² floats), where it applies;
 * without it (Wt null) the forward takes gemm_abt, with the same results. */
EXPORT void leaky_rnn_forward_prepare(const scan_args *A) {
  if (A->Wt && scan_packed_ok(A->N)) scan_pack_pairs(A->N, A->W, 0, A->Wt);
}

/*
 * exp(x) in float64 as V8's Math.exp computes it (base::ieee754::exp, FreeBSD's fdlibm e_exp.c
 * with V8's exp(1) = E special case): the same operations in the same order, so the same bits
 * (wasm's f64 arithmetic is IEEE, no fused multiply-add). Checked against Math.exp by the tests.
 */
static double js_exp_(double x) {
  static const double one = 1.0, halF[2] = {0.5, -0.5}, o_threshold = 7.09782712893383973096e+02,
                      u_threshold = -7.45133219101941108420e+02,
                      ln2HI[2] = {6.93147180369123816490e-01, -6.93147180369123816490e-01},
                      ln2LO[2] = {1.90821492927058770002e-10, -1.90821492927058770002e-10}, invln2 = 1.44269504088896338700e+00,
                      P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03, P3 = 6.61375632143793436117e-05,
                      P4 = -1.65339022054652515390e-06, P5 = 4.13813679705723846039e-08, E = 2.718281828459045;
  static volatile double huge = 1.0e+300, twom1000 = 9.33263618503218878990e-302, two1023 = 8.988465674311579539e307;
  double y, hi = 0.0, lo = 0.0, c, t, twopk;
  int k = 0, xsb;
  f64bits b = {x};
  unsigned hx = (unsigned)(b.u >> 32);
  xsb = (hx >> 31) & 1;
  hx &= 0x7fffffff;
  if (hx >= 0x40862E42) { /* |x| >= 709.78...: NaN, ±inf, overflow, underflow */
    if (hx >= 0x7ff00000) {
      unsigned lx = (unsigned)b.u;
      if (((hx & 0xfffff) | lx) != 0) return x + x;
      return xsb == 0 ? x : 0.0;
    }
    if (x > o_threshold) return huge * huge;
    if (x < u_threshold) return twom1000 * twom1000;
  }
  if (hx > 0x3fd62e42) {   /* |x| > 0.5 ln2 */
    if (hx < 0x3FF0A2B2) { /* and |x| < 1.5 ln2 */
      if (x == 1.0) return E;
      hi = x - ln2HI[xsb];
      lo = ln2LO[xsb];
      k = 1 - xsb - xsb;
    } else {
      k = (int)(invln2 * x + halF[xsb]);
      t = k;
      hi = x - t * ln2HI[0];
      lo = t * ln2LO[0];
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) { /* |x| < 2^-28 (fdlibm: if (huge + x > one), always true here) */
    return one + x;
  } else {
    k = 0;
  }
  t = x * x;
  f64bits p;
  if (k >= -1021)
    p.u = (unsigned long long)(0x3ff00000u + ((unsigned)k << 20)) << 32;
  else
    p.u = (unsigned long long)(0x3ff00000u + ((unsigned)(k + 1000) << 20)) << 32;
  twopk = p.d;
  c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return one - ((x * c) / (c - 2.0) - x);
  y = one - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * two1023;
    return y * twopk;
  }
  return y * twopk * twom1000;
}
/* (for the tests: Math.exp's bits) */
EXPORT double js_exp(double x) { return js_exp_(x); }

/*
 * The read-out and loss of the rate-RNN trainer (packages/ei-rnn trainer.ts), per trial exactly
 * as its JavaScript computes them (float64 arithmetic in the same order, float32 stores):
 *   out[b,t,k] = o = O[t,b,k] + bOut[k] (sigmoid: 1/(1 + exp(−o)), Math.exp's bits),
 *   loss[b] = s / (T·K) ('mse') or √s ('kim-l2'), s = Σ_{t<end,k} mask·e·e, e = out − z,
 *   dO[t,b,k] = scale·mask·(o − z) (sigmoid: ·o(1 − o)) for t < end, else 0.
 * Trials split across threads (every value is computed within its trial).
 */
typedef struct {
  int B, T, K, end, sigmoid, kim;
  const float *O, *bOut, *z, *mask;
  float *out, *dO;
  double *loss;
} readout_args;

static void readout_trial(const readout_args *a, int b) {
  const int B = a->B, T = a->T, K = a->K, end = a->end < T ? a->end : T;
  float *out = a->out + b * T * K;
  const float *z = a->z + b * T * K, *mask = a->mask + b * T * K;
  for (int t = 0; t < T; t++)
    for (int q = 0; q < K; q++) {
      double o = (double)a->O[(t * B + b) * K + q] + (double)a->bOut[q];
      if (a->sigmoid) o = 1.0 / (1.0 + js_exp_(-o));
      out[t * K + q] = (float)o;
    }
  double s = 0;
  for (int i = 0; i < end * K; i++) {
    double e = (double)out[i] - (double)z[i];
    s += (double)mask[i] * e * e;
  }
  double L = a->kim ? __builtin_sqrt(s) : s / ((double)T * (double)K);
  a->loss[b] = L;
  double scale = a->kim ? (L > 0 ? 1.0 / (L * (double)B) : 0.0) : 2.0 / ((double)T * (double)K * (double)B);
  for (int t = 0; t < T; t++)
    for (int q = 0; q < K; q++) {
      float gv = 0.f;
      if (t < end) {
        int i = t * K + q;
        double o = (double)out[i];
        double g = scale * (double)mask[i] * (o - (double)z[i]);
        if (a->sigmoid) g *= o * (1.0 - o);
        gv = (float)g;
      }
      a->dO[(t * B + b) * K + q] = gv;
    }
}

EXPORT void par_readout_loss(const readout_args *a, int tid, int nth) {
  int b0, b1;
  par_range(a->B, 1, tid, nth, &b0, &b1);
  for (int b = b0; b < b1; b++) readout_trial(a, b);
}

/* Argument layouts, checked field by field against the TypeScript binding. */
#define MAT_FIELDS(X) X(M) X(K) X(P) X(A) X(B) X(C) X(accumulate) X(work)
#define WMKIT_LAYOUT_TYPE mat_args
WMKIT_LAYOUT(mat_args, MAT_FIELDS)
#undef WMKIT_LAYOUT_TYPE
#define SCAN_FIELDS(X) \
  X(mode) X(f) X(clip) X(B) X(N) X(T) X(W) X(D) X(Z) X(bias) X(a) X(S) X(Y) X(P) X(F) X(dY) X(dW) X(dD) X(dA) \
  X(dBias) X(dS0) X(G) X(H) X(Wt) X(Gall) X(work)
#define WMKIT_LAYOUT_TYPE scan_args
WMKIT_LAYOUT(scan_args, SCAN_FIELDS)
#undef WMKIT_LAYOUT_TYPE
#define READOUT_FIELDS(X) X(B) X(T) X(K) X(end) X(sigmoid) X(kim) X(O) X(bOut) X(z) X(mask) X(out) X(dO) X(loss)
#define WMKIT_LAYOUT_TYPE readout_args
WMKIT_LAYOUT(readout_args, READOUT_FIELDS)
#undef WMKIT_LAYOUT_TYPE
