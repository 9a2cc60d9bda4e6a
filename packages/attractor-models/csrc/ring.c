/*
 * Batched firing-rate ring networks of Wimmer, Nykamp, Constantinidis & Compte 2014
 * (Supplementary Codes 1–3), the fast form. The JavaScript reference with the dense E→E matrix
 * and every inhibitory unit is packages/attractor-models/src/ring-dense.ts; the equations are
 * documented in packages/attractor-models/src/ring.ts.
 *
 * Per trial b and step (1-based i, as the scripts count):
 *   I_E = G_EE·(W_E r_E) + I0_E − G_IE·m_I + stim·[on < i < off] − erase·[eon < i < eoff]
 *   I_I = G_EI·mean(r_E) − G_II·m_I + I0_I
 *   r_E ← r_E + (f(I_E) + I_m − r_E + σ_E ξ)·dt/τ_E        (I_m only in the decaying model;
 *                                                            sigE, sigI: SD per step, σ/√dt)
 *   m_I ← m_I + (f(I_I) − m_I + σ_I ξ_I/√N_I)·dt/τ_I       (mean of the N_I identical-input I units:
 *                                                            exactly equal in distribution)
 * The delay rate is the mean of r_E at the start of the last delayWin steps of the delay; the
 * response is the decoded angle after step delayEnd − 1 (as the scripts compute them).
 *   I_m ← I_m + (a·r_E/(1 + e^{−s_g(r_E − θ_g)}) − I_m)·dt/τ_m   (gateSlope s_g, gateThreshold θ_g)
 * W_E r_E is computed exactly from its structure:
 *   'fourier' (circulant): Σ_m a_m [cos(mθ_i) Σ_j cos(mθ_j) r_j + sin(mθ_i) Σ_j sin(mθ_j) r_j]
 *   'block' (8 populations): Σ_c A[p(i), c] · (Σ_{j ∈ c} r_j) / n_c
 * Noise draws come from the Rng's generator (rng.h), one generator per trial: E units in order,
 * then the I mean, each step's N + 1 draws of four trials at once (normal4_f32 of rng.h: the four
 * streams in SIMD lanes, their slow paths resolved outside the copy loop).
 */
#include "module.h"
#include "fmath.h"
#include "gemm.h"
#include "rng.h"

typedef struct {
  int B, N, steps, firstStep; /* firstStep: 1-based index of the first step of this call */
  int mode;                   /* 0 none (G_EE = 0), 1 fourier, 2 block */
  int nBasis;                 /* fourier: rows of `basis` (cos and sin of each mode) */
  const float *basis;         /* [nBasis, N] */
  const float *basisW;        /* [nBasis, N]: basis rows scaled by their coefficients */
  int nPops;
  const int *pop;             /* [N] population of each unit (block mode) */
  const float *popW;          /* [nPops, nPops]: A[a, c] / n_c */
  int decaying;
  double GEE, GEI, GIE, GII, I0E, I0I, sigE, sigI, kE, kI, kM, aM, gateSlope, gateThreshold, sqrtNI;
  int stimOn, stimOff, eraseOn, eraseOff, delayEnd, delayWin;
  double eraseAmp;
  const float *stim;   /* [B, N] cue input during the cue period */
  const float *cosTh;  /* [N] decoder */
  const float *sinTh;  /* [N] */
  float *rE;           /* [B, N] */
  float *mI;           /* [B] */
  float *Im;           /* [B, N] (decaying) */
  float *proj;         /* work [B, nBasis] */
  float *rec;          /* work [B, N] */
  float *delayRates;   /* [B, N] accumulated over the last delayWin steps of the delay */
  float *response;     /* [B] decoded angle at step delayEnd − 1 */
  int recordEvery, nRec;
  float *angles;       /* [B, nRec] decoded angle at the end of each record bin */
  int nUnits;
  const int *units;    /* [B, nUnits] recorded units per trial */
  float *unitRates;    /* [B, nUnits, nRec] mean rate per record bin */
  int traceTrials;
  float *traces;       /* [traceTrials, nRec, N] r_E at the end of each record bin */
  xoshiro *rng;        /* [B] one generator per trial: results do not depend on batching */
  int excludeRecorded; /* decode without the trial's recorded units */
  float *work;         /* per-thread work, ring_work_floats(N) floats for each thread */
  int sym;             /* set by ring_network_prepare: the circulant product goes through the symmetry */
} ring_args;

static inline float brunel_f(float x) {
  if (x <= 0.f) return 0.f;
  if (x < 1.f) return x * x;
  return __builtin_sqrtf(4.f * x - 3.f);
}

/* atan2 without libm: two half-angle reductions to |z| ≤ tan(π/16), then the odd series. */
static double ring_atan(double z) {
  int neg = z < 0;
  if (neg) z = -z;
  int inv = z > 1.0;
  if (inv) z = 1.0 / z;
  z = z / (1.0 + __builtin_sqrt(1.0 + z * z));
  z = z / (1.0 + __builtin_sqrt(1.0 + z * z));
  double z2 = z * z, term = z, sum = z;
  for (int k = 3; k <= 23; k += 2) {
    term *= -z2;
    sum += term / k;
  }
  double r = 4.0 * sum;
  if (inv) r = 1.5707963267948966 - r;
  return neg ? -r : r;
}

static double ring_atan2(double y, double x) {
  if (x > 0) return ring_atan(y / x);
  if (x < 0) return y >= 0 ? ring_atan(y / x) + 3.141592653589793 : ring_atan(y / x) - 3.141592653589793;
  if (y > 0) return 1.5707963267948966;
  if (y < 0) return -1.5707963267948966;
  return 0.0;
}


/*
 * The read-out ignores the trial's recorded units when `excludeRecorded` is set: in a 512-unit
 * network a recorded unit's own noise moves the population vector (a 1/N effect that real
 * recordings from a large cortex do not have), which would correlate its rate with behaviour.
 */
static float decode_excluding(const ring_args *a, int b, const float *r) {
  const int N = a->N;
  double sc = 0, ss = 0;
  for (int j = 0; j < N; j++) {
    sc += (double)r[j] * a->cosTh[j];
    ss += (double)r[j] * a->sinTh[j];
  }
  if (a->excludeRecorded)
    for (int u = 0; u < a->nUnits; u++) {
      const int j = a->units[b * a->nUnits + u];
      sc -= (double)r[j] * a->cosTh[j];
      ss -= (double)r[j] * a->sinTh[j];
    }
  return (float)ring_atan2(ss, sc);
}

#define RING_LANES 4

/* mean(r_E) of up to 4 trials, each summed in unit order (two trials per f64x2). */
static void ring_means(const float *rE, int N, int nb, double *out) {
  if (nb == 4) {
    const float *r0 = rE, *r1 = r0 + N, *r2 = r1 + N, *r3 = r2 + N;
    v128_t y01 = wasm_f64x2_splat(0.0), y23 = y01;
    int j = 0;
    for (; j + 4 <= N; j += 4) { /* four units of the four trials at once, transposed: the same additions in unit order */
      v128_t c0 = wasm_v128_load(r0 + j), c1 = wasm_v128_load(r1 + j), c2 = wasm_v128_load(r2 + j), c3 = wasm_v128_load(r3 + j);
      XO4_TRANSPOSE(c0, c1, c2, c3); /* c_q: unit j + q of trials 0..3 */
      y01 = wasm_f64x2_add(y01, wasm_f64x2_promote_low_f32x4(c0)), y23 = wasm_f64x2_add(y23, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(c0, c0, 2, 3, 2, 3)));
      y01 = wasm_f64x2_add(y01, wasm_f64x2_promote_low_f32x4(c1)), y23 = wasm_f64x2_add(y23, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(c1, c1, 2, 3, 2, 3)));
      y01 = wasm_f64x2_add(y01, wasm_f64x2_promote_low_f32x4(c2)), y23 = wasm_f64x2_add(y23, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(c2, c2, 2, 3, 2, 3)));
      y01 = wasm_f64x2_add(y01, wasm_f64x2_promote_low_f32x4(c3)), y23 = wasm_f64x2_add(y23, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(c3, c3, 2, 3, 2, 3)));
    }
    for (; j < N; j++) {
      y01 = wasm_f64x2_add(y01, wasm_f64x2_make((double)r0[j], (double)r1[j]));
      y23 = wasm_f64x2_add(y23, wasm_f64x2_make((double)r2[j], (double)r3[j]));
    }
    out[0] = wasm_f64x2_extract_lane(y01, 0) / N, out[1] = wasm_f64x2_extract_lane(y01, 1) / N;
    out[2] = wasm_f64x2_extract_lane(y23, 0) / N, out[3] = wasm_f64x2_extract_lane(y23, 1) / N;
    return;
  }
  for (int l = 0; l < nb; l++) {
    const float *r = rE + l * N;
    double m = 0;
    for (int j = 0; j < N; j++) m += r[j];
    out[l] = m / N;
  }
}

/* ring_means for four chains at a time: each f64 sum is a chain of N dependent additions, so
   eight trials (four chains of two) keep the adder busier than four; each trial's sum is the same. */
#define RING_MEAN_TRIALS 8
static void ring_means8(const float *rE, int N, int nb, double *out) {
  if (nb < RING_MEAN_TRIALS) {
    for (int l = 0; l < nb; l += RING_LANES) ring_means(rE + l * N, N, nb - l < RING_LANES ? nb - l : RING_LANES, out + l);
    return;
  }
  const float *r0 = rE, *r1 = r0 + N, *r2 = r1 + N, *r3 = r2 + N, *r4 = r3 + N, *r5 = r4 + N, *r6 = r5 + N, *r7 = r6 + N;
  v128_t y01 = wasm_f64x2_splat(0.0), y23 = y01, y45 = y01, y67 = y01;
  int j = 0;
  for (; j + 4 <= N; j += 4) {
    v128_t c0 = wasm_v128_load(r0 + j), c1 = wasm_v128_load(r1 + j), c2 = wasm_v128_load(r2 + j), c3 = wasm_v128_load(r3 + j);
    v128_t d0 = wasm_v128_load(r4 + j), d1 = wasm_v128_load(r5 + j), d2 = wasm_v128_load(r6 + j), d3 = wasm_v128_load(r7 + j);
    XO4_TRANSPOSE(c0, c1, c2, c3);
    XO4_TRANSPOSE(d0, d1, d2, d3);
#define RING_MEAN_ADD(c, d)                                                                                   \
  y01 = wasm_f64x2_add(y01, wasm_f64x2_promote_low_f32x4(c)),                                                  \
  y23 = wasm_f64x2_add(y23, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(c, c, 2, 3, 2, 3))),               \
  y45 = wasm_f64x2_add(y45, wasm_f64x2_promote_low_f32x4(d)),                                                  \
  y67 = wasm_f64x2_add(y67, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(d, d, 2, 3, 2, 3)))
    RING_MEAN_ADD(c0, d0);
    RING_MEAN_ADD(c1, d1);
    RING_MEAN_ADD(c2, d2);
    RING_MEAN_ADD(c3, d3);
#undef RING_MEAN_ADD
  }
  for (; j < N; j++) {
    y01 = wasm_f64x2_add(y01, wasm_f64x2_make((double)r0[j], (double)r1[j]));
    y23 = wasm_f64x2_add(y23, wasm_f64x2_make((double)r2[j], (double)r3[j]));
    y45 = wasm_f64x2_add(y45, wasm_f64x2_make((double)r4[j], (double)r5[j]));
    y67 = wasm_f64x2_add(y67, wasm_f64x2_make((double)r6[j], (double)r7[j]));
  }
  out[0] = wasm_f64x2_extract_lane(y01, 0) / N, out[1] = wasm_f64x2_extract_lane(y01, 1) / N;
  out[2] = wasm_f64x2_extract_lane(y23, 0) / N, out[3] = wasm_f64x2_extract_lane(y23, 1) / N;
  out[4] = wasm_f64x2_extract_lane(y45, 0) / N, out[5] = wasm_f64x2_extract_lane(y45, 1) / N;
  out[6] = wasm_f64x2_extract_lane(y67, 0) / N, out[7] = wasm_f64x2_extract_lane(y67, 1) / N;
}

/*
 * The circulant product W_E·r through the ring's symmetry. With N = 4Q units at θ_j = 2πj/N, the
 * four units j, 2Q − j, 2Q + j, 4Q − j (0 < j < Q) share |cos mθ| and |sin mθ|, with signs set by
 * the parity of m:
 *   cos: c, (−1)^m c, (−1)^m c, c          sin: s, −(−1)^m s, (−1)^m s, −s
 * so each mode's projection needs Q − 1 products on folded rates (u_e, u_o, s_e, s_o below)
 * plus the four units 0, Q, 2Q, 3Q, and the synthesis likewise: a quarter of the dense basis
 * product's multiply-adds. Only the summation order differs from the dense basis product (float
 * rounding; the reference tests' tolerance). ring_sym_setup checks that the basis has this
 * structure (rows 1, cos θ, sin θ, cos 2θ, …; coefficient rows the same up to a factor) and
 * packs it; any other basis goes through the dense product.
 */
#define SYM_MAX_L 512 /* (N/4 − 1) rounded up to 4: N ≤ 2048 */
#define SYM_ROWS 32 /* rows per class */
#define SYM_TRIALS 16
static float sym_basis[4][SYM_ROWS * SYM_MAX_L]; /* per class: packed basis rows at j = 1..Q−1 */
static float sym_basisW[4][SYM_ROWS * SYM_MAX_L];
static int sym_rows[4][SYM_ROWS]; /* basis row index of each packed row */
static int sym_count[4];
static float sym_axisIn[4][SYM_ROWS][4];  /* per class and packed row: the basis at units 0, Q, 2Q, 3Q */
static float sym_axisOut[4][4][SYM_ROWS]; /* per axis unit kQ and class: the coefficient rows at kQ */

/*
 * One thread's work memory, carved from a->work: ring_work_floats(N) floats per thread (the
 * binding allocates one share per kernel thread), so that threads running trials side by side
 * never share scratch.
 */
typedef struct {
  float *noise;      /* [RING_LANES, ring_noise_stride(N)]: this step's N E draws and 1 I draw of up to 4 trials */
  float *imNext;     /* [N] */
  float *symIn[4];   /* folded rates per class, [trial, Lp] */
  float *symProj[4]; /* projections per class, [trial, rows] */
  float *symOut[4];  /* partial syntheses per class, [trial, Lp] */
} ring_work;

static int ring_sym_lp(int N) {
  const int L = N / 4 - 1;
  return L > 0 ? (L + 3) & ~3 : 0;
}

/* a trial's draws per step, N for the E units and one for the I mean, rounded up to 4 */
static int ring_noise_stride(int N) { return (N + 1 + 3) & ~3; }

static int ring_work_size(int N) {
  const int N4 = (N + 3) & ~3, Lp = ring_sym_lp(N);
  return RING_LANES * ring_noise_stride(N) + N4 + 4 * SYM_TRIALS * (2 * Lp + SYM_ROWS);
}

static ring_work ring_work_at(float *base, int N) {
  const int Lp = ring_sym_lp(N);
  ring_work w;
  w.noise = base;
  w.imNext = base + RING_LANES * ring_noise_stride(N);
  float *p = w.imNext + ((N + 3) & ~3);
  for (int c = 0; c < 4; c++) {
    w.symIn[c] = p, p += SYM_TRIALS * Lp;
    w.symOut[c] = p, p += SYM_TRIALS * Lp;
    w.symProj[c] = p, p += SYM_TRIALS * SYM_ROWS;
  }
  return w;
}

/* classes: 0 cos, m even (incl. the constant row); 1 cos, m odd; 2 sin, m even; 3 sin, m odd */
static int ring_sym_setup(const ring_args *a) {
  const int N = a->N, nB = a->nBasis;
  if (N % 4 || N > 4 * SYM_MAX_L || N < 16 || nB < 1 || nB >= 2 * SYM_ROWS || !(nB & 1)) return 0;
  const int Q = N / 4, L = Q - 1, Lp = (L + 3) & ~3;
  for (int c = 0; c < 4; c++) sym_count[c] = 0;
  for (int q = 0; q < nB; q++) {
    const float *row = a->basis + q * N, *rw = a->basisW + q * N;
    const int m = (q + 1) / 2, isSin = q > 0 && !(q & 1), odd = m & 1;
    const float sg = odd ? -1.f : 1.f; /* (−1)^m */
    if (q == 0) {
      for (int j = 0; j < N; j++)
        if (row[j] != row[0] || rw[j] != rw[0]) return 0;
    }
    for (int j = 1; j < Q; j++) {
      const float v = row[j], w = rw[j];
      const float e[3] = {isSin ? -sg : sg, sg, isSin ? -1.f : 1.f}; /* at 2Q − j, 2Q + j, 4Q − j */
      const int at[3] = {2 * Q - j, 2 * Q + j, 4 * Q - j};
      for (int k = 0; k < 3; k++) {
        const float dv = row[at[k]] - e[k] * v, dw = rw[at[k]] - e[k] * w;
        if (dv > 1e-5f || dv < -1e-5f || dw > 1e-5f * (1.f + (w < 0 ? -w : w)) || dw < -1e-5f * (1.f + (w < 0 ? -w : w))) return 0;
      }
    }
    const int c = (isSin ? 2 : 0) + odd;
    const int r = sym_count[c]++;
    sym_rows[c][r] = q;
    for (int k = 0; k < 4; k++) sym_axisIn[c][r][k] = row[k * Q], sym_axisOut[k][c][r] = rw[k * Q];
    for (int j = 0; j < Lp; j++) {
      sym_basis[c][r * Lp + j] = j < L ? row[j + 1] : 0.f;
      sym_basisW[c][r * Lp + j] = j < L ? rw[j + 1] : 0.f;
    }
  }
  return 1;
}

/*
 * C[M,P] = A[M,K]·B[K,P] for M and P multiples of 4, as gemm_ab (gemm.h) computes it: each
 * element summed from 0 over k in order, one multiply and one add at a time (gemm_ab's skipping of
 * k where a block's four A values are all 0 adds only zeros, which leave a sum unchanged), but with
 * the four rows' sums of 4 columns held in registers across k instead of loaded and stored for
 * each k: the synthesis has few rows (K ≤ SYM_ROWS) and 4 to 16 trials.
 */
static void ring_synth(int M, int K, int P, const float *A, const float *B, float *C) {
  for (int m = 0; m < M; m += 4) {
    const float *a0 = A + m * K, *a1 = a0 + K, *a2 = a1 + K, *a3 = a2 + K;
    float *c0 = C + m * P, *c1 = c0 + P, *c2 = c1 + P, *c3 = c2 + P;
    int p = 0;
    for (; p + 8 <= P; p += 8) { /* two column blocks per splat of the four rows' A values */
      v128_t s0 = wasm_f32x4_splat(0.f), s1 = s0, s2 = s0, s3 = s0, t0 = s0, t1 = s0, t2 = s0, t3 = s0;
      for (int k = 0; k < K; k++) {
        const v128_t bv = wasm_v128_load(B + k * P + p), bw = wasm_v128_load(B + k * P + p + 4);
        const v128_t x0 = wasm_v128_load32_splat(a0 + k), x1 = wasm_v128_load32_splat(a1 + k);
        const v128_t x2 = wasm_v128_load32_splat(a2 + k), x3 = wasm_v128_load32_splat(a3 + k);
        s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(x0, bv)), t0 = wasm_f32x4_add(t0, wasm_f32x4_mul(x0, bw));
        s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(x1, bv)), t1 = wasm_f32x4_add(t1, wasm_f32x4_mul(x1, bw));
        s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(x2, bv)), t2 = wasm_f32x4_add(t2, wasm_f32x4_mul(x2, bw));
        s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(x3, bv)), t3 = wasm_f32x4_add(t3, wasm_f32x4_mul(x3, bw));
      }
      wasm_v128_store(c0 + p, s0), wasm_v128_store(c1 + p, s1), wasm_v128_store(c2 + p, s2), wasm_v128_store(c3 + p, s3);
      wasm_v128_store(c0 + p + 4, t0), wasm_v128_store(c1 + p + 4, t1), wasm_v128_store(c2 + p + 4, t2), wasm_v128_store(c3 + p + 4, t3);
    }
    for (; p < P; p += 4) {
      v128_t s0 = wasm_f32x4_splat(0.f), s1 = s0, s2 = s0, s3 = s0;
      for (int k = 0; k < K; k++) {
        const v128_t bv = wasm_v128_load(B + k * P + p);
        s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_v128_load32_splat(a0 + k), bv));
        s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(wasm_v128_load32_splat(a1 + k), bv));
        s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(wasm_v128_load32_splat(a2 + k), bv));
        s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(wasm_v128_load32_splat(a3 + k), bv));
      }
      wasm_v128_store(c0 + p, s0), wasm_v128_store(c1 + p, s1), wasm_v128_store(c2 + p, s2), wasm_v128_store(c3 + p, s3);
    }
  }
}

static inline v128_t rev4(v128_t v) { return wasm_i32x4_shuffle(v, v, 3, 2, 1, 0); }

/*
 * rec[b, :] = W_E r[b, :] for nb ≤ SYM_TRIALS trials (after ring_sym_setup). The products run on
 * a multiple of 4 trials (zero rows added), so every trial goes through the same 4-row register
 * tile of the GEMMs and its result does not depend on how trials are grouped into batches,
 * chunks, workers or threads.
 */
/* (kept out of ring_run: inlined, the one large function it made compiled to slower code in V8
   whenever any of its loops changed) */
__attribute__((noinline)) static void ring_sym_product(const ring_args *a, const ring_work *w, const float *rE, float *rec, int nb) {
  const int N = a->N, Q = N / 4, L = Q - 1, Lp = (L + 3) & ~3, nbp = (nb + 3) & ~3;
  float *const *sym_in = w->symIn, *const *sym_proj = w->symProj, *const *sym_out = w->symOut;
  for (int c = 0; c < 4; c++)
    for (int q = nb * Lp; q < nbp * Lp; q++) sym_in[c][q] = 0.f;
  for (int b = 0; b < nb; b++) {
    const float *r = rE + b * N;
    float *ue = sym_in[0] + b * Lp, *uo = sym_in[1] + b * Lp, *se = sym_in[2] + b * Lp, *so = sym_in[3] + b * Lp;
    int j = 1;
    for (; j + 4 <= Q; j += 4) { /* j..j+3 against 4Q−j.., 2Q−j.., 2Q+j.. */
      v128_t rj = wasm_v128_load(r + j), rp = wasm_v128_load(r + 2 * Q + j);
      v128_t rn = rev4(wasm_v128_load(r + 4 * Q - j - 3)), rm = rev4(wasm_v128_load(r + 2 * Q - j - 3));
      v128_t A = wasm_f32x4_add(rj, rn), Bv = wasm_f32x4_add(rm, rp);
      v128_t C = wasm_f32x4_sub(rj, rn), D = wasm_f32x4_sub(rp, rm);
      wasm_v128_store(ue + j - 1, wasm_f32x4_add(A, Bv));
      wasm_v128_store(uo + j - 1, wasm_f32x4_sub(A, Bv));
      wasm_v128_store(se + j - 1, wasm_f32x4_add(C, D));
      wasm_v128_store(so + j - 1, wasm_f32x4_sub(C, D));
    }
    for (; j < Q; j++) {
      const float A = r[j] + r[4 * Q - j], Bv = r[2 * Q - j] + r[2 * Q + j];
      const float C = r[j] - r[4 * Q - j], D = r[2 * Q + j] - r[2 * Q - j];
      ue[j - 1] = A + Bv, uo[j - 1] = A - Bv, se[j - 1] = C + D, so[j - 1] = C - D;
    }
    for (j = L; j < Lp; j++) ue[j] = uo[j] = se[j] = so[j] = 0.f;
  }
  for (int c = 0; c < 4; c++) {
    const int nr = sym_count[c];
    if (!nr) continue;
    gemm_abt(nbp, Lp, nr, sym_in[c], sym_basis[c], sym_proj[c], 0);
    /* the four units on the axes */
    for (int b = 0; b < nb; b++) {
      const float *r = rE + b * N;
      const float r0 = r[0], r1 = r[Q], r2 = r[2 * Q], r3 = r[3 * Q];
      for (int k = 0; k < nr; k++) {
        const float *ax = sym_axisIn[c][k];
        sym_proj[c][b * nr + k] += ax[0] * r0 + ax[1] * r1 + ax[2] * r2 + ax[3] * r3;
      }
    }
    ring_synth(nbp, nr, Lp, sym_proj[c], sym_basisW[c], sym_out[c]);
  }
  for (int c = 0; c < 4; c++)
    if (!sym_count[c])
      for (int q = 0; q < nb * Lp; q++) sym_out[c][q] = 0.f;
  for (int b = 0; b < nb; b++) {
    float *o = rec + b * N;
    const float *pe = sym_out[0] + b * Lp, *po = sym_out[1] + b * Lp, *qe = sym_out[2] + b * Lp, *qo = sym_out[3] + b * Lp;
    int j = 1;
    for (; j + 4 <= Q; j += 4) {
      v128_t Pe = wasm_v128_load(pe + j - 1), Po = wasm_v128_load(po + j - 1), Qe = wasm_v128_load(qe + j - 1), Qo = wasm_v128_load(qo + j - 1);
      v128_t Pp = wasm_f32x4_add(Pe, Po), Pm = wasm_f32x4_sub(Pe, Po), Qp = wasm_f32x4_add(Qe, Qo), Qm = wasm_f32x4_sub(Qe, Qo);
      wasm_v128_store(o + j, wasm_f32x4_add(Pp, Qp));
      wasm_v128_store(o + 4 * Q - j - 3, rev4(wasm_f32x4_sub(Pp, Qp)));
      wasm_v128_store(o + 2 * Q - j - 3, rev4(wasm_f32x4_sub(Pm, Qm)));
      wasm_v128_store(o + 2 * Q + j, wasm_f32x4_add(Pm, Qm));
    }
    for (; j < Q; j++) {
      const float Pp = pe[j - 1] + po[j - 1], Pm = pe[j - 1] - po[j - 1], Qp = qe[j - 1] + qo[j - 1], Qm = qe[j - 1] - qo[j - 1];
      o[j] = Pp + Qp, o[4 * Q - j] = Pp - Qp, o[2 * Q - j] = Pm - Qm, o[2 * Q + j] = Pm + Qm;
    }
    /* the four units on the axes, directly: four independent sums side by side, each over the
       classes and rows in order */
    float v0 = 0.f, v1 = 0.f, v2 = 0.f, v3 = 0.f;
    for (int c = 0; c < 4; c++) {
      const float *pr = sym_proj[c] + b * sym_count[c];
      const float *x0 = sym_axisOut[0][c], *x1 = sym_axisOut[1][c], *x2 = sym_axisOut[2][c], *x3 = sym_axisOut[3][c];
      for (int q = 0; q < sym_count[c]; q++) {
        const float pq = pr[q];
        v0 += pq * x0[q], v1 += pq * x1[q], v2 += pq * x2[q], v3 += pq * x3[q];
      }
    }
    o[0] = v0, o[Q] = v1, o[2 * Q] = v2, o[3 * Q] = v3;
  }
}

/*
 * r_E ← r_E + (f(I_E) + I_m − r_E + σ_E ξ)·k_E for the units in blocks of four (returns where the
 * blocks end); `cue` and `hasIm` are constants where it is inlined, so each case gets its own loop.
 */
static inline __attribute__((always_inline)) int ring_update_e(int N, float *r, const float *rc, const float *st, const float *noise,
                                                               const float *im, v128_t vbase, v128_t vgee, v128_t vsig, v128_t vk,
                                                               int cue, int hasIm) {
  const v128_t zero = wasm_f32x4_splat(0.f), one = wasm_f32x4_splat(1.f), four = wasm_f32x4_splat(4.f), three = wasm_f32x4_splat(3.f);
  int j = 0;
  for (; j + 4 <= N; j += 4) {
    v128_t ie = wasm_f32x4_add(vbase, wasm_f32x4_mul(vgee, wasm_v128_load(rc + j)));
    /* the cue term 1·stim is stim exactly; outside the cue the 0·stim the scripts add changes at
       most the sign of a zero input, which gives f = 0 either way */
    if (cue) ie = wasm_f32x4_add(ie, wasm_v128_load(st + j));
    /* Brunel: 0 (x ≤ 0), x² (0 < x < 1), √(4x − 3) (x ≥ 1). Where x ≥ 1, 4x is exact and
       4x − 3 ≥ 1, so no clamp is needed before the root; lanes below 1 discard it, and a block
       with no lane at 1 or above (most of the ring outside the bump) skips it */
    const v128_t ge1 = wasm_f32x4_ge(ie, one);
    v128_t f = wasm_f32x4_mul(ie, ie);
    if (wasm_i32x4_bitmask(ge1)) f = wasm_v128_bitselect(wasm_f32x4_sqrt(wasm_f32x4_sub(wasm_f32x4_mul(four, ie), three)), f, ge1);
    f = wasm_v128_and(f, wasm_f32x4_gt(ie, zero));
    v128_t rv = wasm_v128_load(r + j);
    v128_t drive = wasm_f32x4_add(wasm_f32x4_sub(f, rv), wasm_f32x4_mul(vsig, wasm_v128_load(noise + j)));
    if (hasIm) drive = wasm_f32x4_add(drive, wasm_v128_load(im + j));
    wasm_v128_store(r + j, wasm_f32x4_add(rv, wasm_f32x4_mul(drive, vk)));
  }
  return j;
}

/* Trials [lo, hi) of the batch, every step of the call, with one thread's work memory. */
static void ring_run(const ring_args *a, int lo, int hi, const ring_work *w) {
  const int N = a->N, ns = ring_noise_stride(N);
  const int sym = a->mode == 1 && a->sym;
  double ring_mean[RING_MEAN_TRIALS] = {0};
  float *ring_noise = w->noise, *ring_im_next = w->imNext;
  if (lo >= hi) return;
  for (int s = 0; s < a->steps; s++) {
    const int i = a->firstStep + s; /* 1-based step */
    /* recurrent E input for every trial */
    if (sym) {
      /* (per group of SYM_TRIALS trials, below) */
    } else if (a->mode == 1) {
      gemm_abt(hi - lo, N, a->nBasis, a->rE + lo * N, a->basis, a->proj + lo * a->nBasis, 0);
      gemm_ab(hi - lo, a->nBasis, N, a->proj + lo * a->nBasis, a->basisW, a->rec + lo * N, 0);
    } else if (a->mode == 2) {
      for (int b = lo; b < hi; b++) {
        float sums[64];
        for (int c = 0; c < a->nPops; c++) sums[c] = 0.f;
        const float *r = a->rE + b * N;
        for (int j = 0; j < N; j++) sums[a->pop[j]] += r[j];
        float *o = a->rec + b * N;
        for (int j = 0; j < N; j++) {
          const float *pw = a->popW + a->pop[j] * a->nPops;
          float v = 0.f;
          for (int c = 0; c < a->nPops; c++) v += pw[c] * sums[c];
          o[j] = v;
        }
      }
    }
    const int cue = i > a->stimOn && i < a->stimOff;
    const int erase = i > a->eraseOn && i < a->eraseOff;
    const int inWin = i > a->delayEnd - a->delayWin && i <= a->delayEnd;
    const int recBin = (i - 1) / a->recordEvery; /* 0-based record bin of this step */
    const int binEnd = i % a->recordEvery == 0;
    /* the trials in groups of SYM_TRIALS: the circulant product of a group, then its updates, while
       the group's rates and recurrent input are still in cache (each trial's numbers are the same
       in any grouping: its own rows of the product, its own generator) */
    for (int g0 = lo; g0 < hi; g0 += SYM_TRIALS) {
      const int g1 = hi - g0 < SYM_TRIALS ? hi : g0 + SYM_TRIALS;
      if (sym) ring_sym_product(a, w, a->rE + g0 * N, a->rec + g0 * N, g1 - g0);
      for (int b = g0; b < g1; b++) {
        xoshiro *g = a->rng + b;
        float *r = a->rE + b * N;
        const int lane = (b - lo) % RING_LANES, lane8 = (b - lo) % RING_MEAN_TRIALS;
        /* mean rates of the next (up to) eight trials, before any of them is updated */
        if (lane8 == 0) ring_means8(r, N, hi - b < RING_MEAN_TRIALS ? hi - b : RING_MEAN_TRIALS, ring_mean);
        if (lane == 0) { /* the next (up to) four trials' noise (each trial's own generator) */
          const int nb = hi - b < RING_LANES ? hi - b : RING_LANES;
          /* N E draws then the I draw, per trial, as N + 1 calls of normal_f32(g, 0, 1) would give them;
             a block of fewer than four fills its spare lanes from throw-away generators */
          if (nb == RING_LANES)
            normal4_f32(g, ring_noise, ns, N + 1, 1.0);
          else {
            xoshiro g4[RING_LANES];
            for (int l = 0; l < RING_LANES; l++) g4[l] = l < nb ? g[l] : (xoshiro){1u, 2u, 3u, 4u};
            normal4_f32(g4, ring_noise, ns, N + 1, 1.0);
            for (int l = 0; l < nb; l++) g[l] = g4[l];
          }
        }
        const double meanE = ring_mean[lane8];
        const float *noise = ring_noise + lane * ns;
        const double mI = a->mI[b];
        const double base = a->I0E - a->GIE * mI - (erase ? a->eraseAmp : 0.0);
        const float *st = a->stim + b * N;
        const float *rc = a->rec + b * N;
        float *im = a->decaying ? a->Im + b * N : 0;
        if (inWin) { /* the scripts average r_E at the start of each step of the window */
          float *d = a->delayRates + b * N;
          for (int j = 0; j < N; j++) d[j] += r[j] / a->delayWin;
        }
        /* the noise was drawn above (E units in order, per trial); the I draw follows them */
        if (im) { /* decaying model: the intrinsic current follows the rate before this update */
          const float gs = (float)a->gateSlope, gt = (float)a->gateThreshold;
          for (int j = 0; j < N; j++) {
            float x = r[j];
            float gate = x / (1.0f + fexp(-gs * (x - gt)));
            ring_im_next[j] = im[j] + (a->aM * gate - im[j]) * a->kM;
          }
        }
        const v128_t vbase = wasm_f32x4_splat((float)base), vgee = wasm_f32x4_splat(a->mode ? (float)a->GEE : 0.f);
        const v128_t vsig = wasm_f32x4_splat((float)a->sigE), vk = wasm_f32x4_splat((float)a->kE);
        /* the loop without the cue and intrinsic-current terms for most steps of most models */
        int j = !cue && !im ? ring_update_e(N, r, rc, st, noise, im, vbase, vgee, vsig, vk, 0, 0)
                            : ring_update_e(N, r, rc, st, noise, im, vbase, vgee, vsig, vk, cue, im != 0);
        for (; j < N; j++) {
          float ie = (float)base + (a->mode ? (float)a->GEE : 0.f) * rc[j] + (cue ? st[j] : 0.f);
          float drive = brunel_f(ie) - r[j] + (float)a->sigE * noise[j];
          if (im) drive += im[j];
          r[j] = r[j] + drive * (float)a->kE;
        }
        if (im)
          for (int q = 0; q < N; q++) im[q] = ring_im_next[q];
        const double II = a->GEI * meanE - a->GII * mI + a->I0I;
        a->mI[b] = (float)(mI + (brunel_f((float)II) - mI + a->sigI * (double)noise[N] / a->sqrtNI) * a->kI);
        if (i == a->delayEnd - 1) a->response[b] = decode_excluding(a, b, r);
        if (recBin < a->nRec) {
          for (int u = 0; u < a->nUnits; u++) a->unitRates[(b * a->nUnits + u) * a->nRec + recBin] += r[a->units[b * a->nUnits + u]] / a->recordEvery;
          if (binEnd) {
            a->angles[b * a->nRec + recBin] = decode_excluding(a, b, r);
            if (b < a->traceTrials) {
              float *tr = a->traces + ((unsigned)b * a->nRec + recBin) * N;
              for (int j = 0; j < N; j++) tr[j] = r[j];
            }
          }
        }
      }
    }
  }
}

/* ---- exports ---- */

/* For the tests (ring-noise.test.ts): the ring's noise draws (normal4_f32, std = 1) on four generator states in memory. */
EXPORT void ring_fill_normal4(xoshiro *g, float *out, int stride, int n) { normal4_f32(g, out, stride, n, 1.0); }

/* Floats of work memory each thread needs (the `work` field holds one share per thread). */
EXPORT int ring_work_floats(int N) { return ring_work_size(N); }

/* Before a call's parallel entry, on the calling thread: packs the circulant basis (shared, read
 * only by the threads) and sets args->sym. */
EXPORT void ring_network_prepare(ring_args *args) { args->sym = args->mode == 1 && ring_sym_setup(args); }

/*
 * Thread tid's share of the trials, in blocks of 4 (RING_LANES): each trial is computed the same
 * way whichever thread runs it (its own generator, its own rows of every product), so results are
 * identical for any number of threads.
 */
EXPORT void par_ring_network_run(ring_args *args, int tid, int nth) {
  int lo, hi;
  par_range(args->B, RING_LANES, tid, nth, &lo, &hi);
  const ring_work w = ring_work_at(args->work + (long)tid * ring_work_size(args->N), args->N);
  ring_run(args, lo, hi, &w);
}

/* Argument layouts, checked field by field against the TypeScript binding. */
#define RING_FIELDS(X) \
  X(B) X(N) X(steps) X(firstStep) X(mode) X(nBasis) X(basis) X(basisW) X(nPops) X(pop) X(popW) \
  X(decaying) X(GEE) X(GEI) X(GIE) X(GII) X(I0E) X(I0I) X(sigE) X(sigI) X(kE) X(kI) X(kM) X(aM) \
  X(gateSlope) X(gateThreshold) X(sqrtNI) X(stimOn) X(stimOff) X(eraseOn) X(eraseOff) X(delayEnd) \
  X(delayWin) X(eraseAmp) X(stim) X(cosTh) X(sinTh) X(rE) X(mI) X(Im) X(proj) X(rec) X(delayRates) \
  X(response) X(recordEvery) X(nRec) X(angles) X(nUnits) X(units) X(unitRates) X(traceTrials) \
  X(traces) X(rng) X(excludeRecorded) X(work) X(sym)
#define WMKIT_LAYOUT_TYPE ring_args
WMKIT_LAYOUT(ring_args, RING_FIELDS)
#undef WMKIT_LAYOUT_TYPE
