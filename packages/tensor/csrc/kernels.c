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

/* f of four lanes for the transfers with a vector form (sigmoid, tanh); vec_act() says which. */
static inline int vec_act(int f) { return f == F_SIGMOID || f == F_TANH; }
static inline v128_t vact(int f, v128_t x) { return f == F_TANH ? vtanh(x) : vsigmoid(x); }
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

EXPORT void matmul_abt(int M, int K, int P, const float *A, const float *B, float *C, int accumulate) {
  gemm_abt(M, K, P, A, B, C, accumulate);
}
EXPORT void matmul_ab(int M, int K, int P, const float *A, const float *B, float *C, int accumulate) {
  gemm_ab(M, K, P, A, B, C, accumulate);
}
/* dense products with room for register tiles take the tiled kernel; thin ones (an input of
 * a few channels, mostly zeros) the one that skips zeros */
EXPORT void matmul_atb(int M, int K, int P, const float *A, const float *B, float *C, int accumulate) {
  if (K >= 4 && P >= 8)
    gemm_atb_dense(M, K, P, A, B, C, accumulate);
  else
    gemm_atb(M, K, P, A, B, C, accumulate);
}

EXPORT void leaky_rnn_forward(int mode, int f, float clip, int B, int N, int T, const float *W, const float *D,
                              const float *Z, const float *bias, const float *a, float *S, float *Y, float *P,
                              float *F) {
  const int BN = B * N;
  if (mode == 0)
    for (int i = 0; i < BN; i++) Y[i] = clipped(act(f, S[i]), clip);
  else if (Y != S)
    for (int i = 0; i < BN; i++) Y[i] = S[i];
  const int nv = vec_act(f) ? N & ~3 : 0; /* lanes [0, nv) in vectors, the rest scalar */
  const v128_t vclip = wasm_f32x4_splat(clip), vone = wasm_f32x4_splat(1.0f), vzero = wasm_f32x4_splat(0.f);
  for (int t = 1; t <= T; t++) {
    const float *Sp = S + (t - 1) * BN, *Yp = Y + (t - 1) * BN;
    float *St = S + t * BN, *Yt = Y + t * BN, *Pt = P + (t - 1) * BN, *Ft = F ? F + (t - 1) * BN : 0;
    const float *Dt = D ? D + (t - 1) * BN : 0, *Zt = Z ? Z + (t - 1) * BN : 0;
    gemm_abt(B, N, N, mode == 0 ? Yp : Sp, W, Pt, 0);
    for (int b = 0; b < B; b++) {
      for (int i = 0; i < nv; i += 4) {
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

/*
 * Work buffers G, H: [B, N] each; X: N·N floats (Wᵀ). dD may alias nothing else. E·W runs per
 * step as gemm_abt (rows against rows, the fastest kernel) E·(Wᵀ)ᵀ; dW = Σ_t E_tᵀ·Y_{t−1} once
 * after the scan over all T·B rows (gemm_atb_dense).
 * Optional (null = skip): dA (dL/da, accumulated), dBias (dL/d bias = Σ_t,b E_t, accumulated),
 * F (mode 1: f(P) as the forward stored it, so it is not computed again).
 */
EXPORT void leaky_rnn_backward(int mode, int f, float clip, int B, int N, int T, const float *W, const float *a,
                               const float *S, const float *Y, const float *P, const float *F, const float *dY,
                               float *dW, float *dD, float *dA, float *dBias, float *dS0, float *G, float *H,
                               float *X) {
  const int BN = B * N;
  float *Wt = X;
  transpose(N, N, W, Wt);
  const int nv = vec_act(f) ? N & ~3 : 0;
  const v128_t vclip = wasm_f32x4_splat(clip), vone = wasm_f32x4_splat(1.0f);
  /* rate mode: f(S_t) is Y_t where nothing was clipped */
  const int yIsF = clip == __builtin_inff();
  for (int i = 0; i < BN; i++) G[i] = 0.f;
  for (int t = T; t >= 0; t--) {
    const float *St = S + t * BN, *dYt = dY + t * BN;
    /* H = dL/dY_t (mode 0) or the recurrent part of dL/dS_t (mode 1): dY_t + E_{t+1} W */
    if (t < T)
      gemm_abt(B, N, N, dD + t * BN, Wt, H, 0); /* E_{t+1} is stored at dD[t] */
    else
      for (int i = 0; i < BN; i++) H[i] = 0.f;
    if (mode == 0) {
      const float *Yt = Y + t * BN;
      for (int b = 0; b < B; b++) {
        for (int i = 0; i < nv; i += 4) {
          int k = b * N + i;
          v128_t yu = yIsF ? LD(Yt + k) : vact(f, LD(St + k));
          v128_t fp = wasm_v128_andnot(vdact(f, yu), wasm_f32x4_gt(yu, vclip));
          v128_t g = wasm_f32x4_mul(wasm_f32x4_add(LD(dYt + k), LD(H + k)), fp);
          ST(G + k, wasm_f32x4_add(g, wasm_f32x4_mul(wasm_f32x4_sub(vone, LD(a + i)), LD(G + k))));
        }
        for (int i = nv; i < N; i++) {
          int k = b * N + i;
          float yu = act(f, St[k]);
          float fp = yu > clip ? 0.f : dact(f, St[k], yu);
          G[k] = (dYt[k] + H[k]) * fp + (1.0f - a[i]) * G[k];
        }
      }
    } else {
      for (int b = 0; b < B; b++) {
        int i = 0;
        for (; i + 4 <= N; i += 4) {
          int k = b * N + i;
          v128_t g = wasm_f32x4_add(LD(dYt + k), LD(H + k));
          ST(G + k, wasm_f32x4_add(g, wasm_f32x4_mul(wasm_f32x4_sub(vone, LD(a + i)), LD(G + k))));
        }
        for (; i < N; i++) {
          int k = b * N + i;
          G[k] = dYt[k] + H[k] + (1.0f - a[i]) * G[k];
        }
      }
    }
    if (t == 0) break;
    const float *Sp = S + (t - 1) * BN, *Pt = P + (t - 1) * BN, *Ft = F ? F + (t - 1) * BN : 0;
    float *Et = dD + (t - 1) * BN;
    if (mode == 0) {
      for (int b = 0; b < B; b++) {
        int i = 0;
        for (; i + 4 <= N; i += 4) {
          int k = b * N + i;
          v128_t g = LD(G + k), e = wasm_f32x4_mul(LD(a + i), g);
          if (dA) ST(dA + i, wasm_f32x4_add(LD(dA + i), wasm_f32x4_mul(g, wasm_f32x4_sub(LD(Pt + k), LD(Sp + k)))));
          if (dBias) ST(dBias + i, wasm_f32x4_add(LD(dBias + i), e));
          ST(Et + k, e);
        }
        for (; i < N; i++) {
          int k = b * N + i;
          if (dA) dA[i] += G[k] * (Pt[k] - Sp[k]);
          Et[k] = a[i] * G[k];
          if (dBias) dBias[i] += Et[k];
        }
      }
    } else {
      for (int b = 0; b < B; b++) {
        for (int i = 0; i < nv; i += 4) {
          int k = b * N + i;
          v128_t yu = Ft ? LD(Ft + k) : vact(f, LD(Pt + k));
          v128_t fp = wasm_v128_andnot(vdact(f, yu), wasm_f32x4_gt(yu, vclip));
          v128_t g = LD(G + k), e = wasm_f32x4_mul(wasm_f32x4_mul(LD(a + i), fp), g);
          if (dA)
            ST(dA + i, wasm_f32x4_add(LD(dA + i), wasm_f32x4_mul(g, wasm_f32x4_sub(wasm_f32x4_pmin(yu, vclip), LD(Sp + k)))));
          if (dBias) ST(dBias + i, wasm_f32x4_add(LD(dBias + i), e));
          ST(Et + k, e);
        }
        for (int i = nv; i < N; i++) {
          int k = b * N + i;
          float p = Pt[k];
          float yu = Ft ? Ft[k] : act(f, p);
          float fp = yu > clip ? 0.f : dact(f, p, yu);
          if (dA) dA[i] += G[k] * (clipped(yu, clip) - Sp[k]);
          Et[k] = a[i] * fp * G[k];
          if (dBias) dBias[i] += Et[k];
        }
      }
    }
  }
  for (int i = 0; i < BN; i++) dS0[i] = G[i];
  /* dW += Σ_t E_tᵀ · (Y_{t−1} or S_{t−1}); E_t at dD[t−1], the states at [0, T) */
  gemm_atb_dense(T * B, N, N, dD, mode == 0 ? Y : S, dW, 1);
}
