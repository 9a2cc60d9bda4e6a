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
 * then the I mean.
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

#define RING_MAX_N 8192
static float ring_noise[RING_MAX_N];
static float ring_im_next[RING_MAX_N];

static void ring_run(const ring_args *a) {
  const int B = a->B, N = a->N;
  for (int s = 0; s < a->steps; s++) {
    const int i = a->firstStep + s; /* 1-based step */
    /* recurrent E input for every trial */
    if (a->mode == 1) {
      gemm_abt(B, N, a->nBasis, a->rE, a->basis, a->proj, 0);
      gemm_ab(B, a->nBasis, N, a->proj, a->basisW, a->rec, 0);
    } else if (a->mode == 2) {
      for (int b = 0; b < B; b++) {
        float sums[64];
        for (int c = 0; c < a->nPops; c++) sums[c] = 0.f;
        const float *r = a->rE + b * N;
        for (int j = 0; j < N; j++) sums[a->pop[j]] += r[j];
        float *o = a->rec + b * N;
        for (int j = 0; j < N; j++) {
          const float *w = a->popW + a->pop[j] * a->nPops;
          float v = 0.f;
          for (int c = 0; c < a->nPops; c++) v += w[c] * sums[c];
          o[j] = v;
        }
      }
    }
    const int cue = i > a->stimOn && i < a->stimOff;
    const int erase = i > a->eraseOn && i < a->eraseOff;
    const int inWin = i > a->delayEnd - a->delayWin && i <= a->delayEnd;
    const int recBin = (i - 1) / a->recordEvery; /* 0-based record bin of this step */
    const int binEnd = i % a->recordEvery == 0;
    for (int b = 0; b < B; b++) {
      xoshiro *g = a->rng + b;
      float *r = a->rE + b * N;
      double meanE = 0;
      for (int j = 0; j < N; j++) meanE += r[j];
      meanE /= N;
      const double mI = a->mI[b];
      const double base = a->I0E - a->GIE * mI - (erase ? a->eraseAmp : 0.0);
      const float *st = a->stim + b * N;
      const float *rc = a->rec + b * N;
      float *im = a->decaying ? a->Im + b * N : 0;
      if (inWin) { /* the scripts average r_E at the start of each step of the window */
        float *d = a->delayRates + b * N;
        for (int j = 0; j < N; j++) d[j] += r[j] / a->delayWin;
      }
      /* noise first (the generator is sequential), then a vectorised update */
      for (int j = 0; j < N; j++) ring_noise[j] = std_normal_f32(g);
      if (im) { /* decaying model: the intrinsic current follows the rate before this update */
        const float gs = (float)a->gateSlope, gt = (float)a->gateThreshold;
        for (int j = 0; j < N; j++) {
          float x = r[j];
          float gate = x / (1.0f + fexp(-gs * (x - gt)));
          ring_im_next[j] = im[j] + (a->aM * gate - im[j]) * a->kM;
        }
      }
      const v128_t vbase = wasm_f32x4_splat((float)base), vgee = wasm_f32x4_splat(a->mode ? (float)a->GEE : 0.f);
      const v128_t vcue = wasm_f32x4_splat(cue ? 1.f : 0.f), vsig = wasm_f32x4_splat((float)a->sigE), vk = wasm_f32x4_splat((float)a->kE);
      const v128_t zero = wasm_f32x4_splat(0.f), one = wasm_f32x4_splat(1.f), four = wasm_f32x4_splat(4.f), three = wasm_f32x4_splat(3.f);
      int j = 0;
      for (; j + 4 <= N; j += 4) {
        v128_t ie = wasm_f32x4_add(vbase, wasm_f32x4_mul(vgee, wasm_v128_load(rc + j)));
        ie = wasm_f32x4_add(ie, wasm_f32x4_mul(vcue, wasm_v128_load(st + j)));
        /* Brunel: 0 (x ≤ 0), x² (0 < x < 1), √(4x − 3) (x ≥ 1) */
        v128_t sq = wasm_f32x4_mul(ie, ie);
        v128_t rt = wasm_f32x4_sqrt(wasm_f32x4_max(wasm_f32x4_sub(wasm_f32x4_mul(four, ie), three), one));
        v128_t f = wasm_v128_bitselect(rt, sq, wasm_f32x4_ge(ie, one));
        f = wasm_v128_bitselect(f, zero, wasm_f32x4_gt(ie, zero));
        v128_t rv = wasm_v128_load(r + j);
        v128_t drive = wasm_f32x4_add(wasm_f32x4_sub(f, rv), wasm_f32x4_mul(vsig, wasm_v128_load(ring_noise + j)));
        if (im) drive = wasm_f32x4_add(drive, wasm_v128_load(im + j));
        wasm_v128_store(r + j, wasm_f32x4_add(rv, wasm_f32x4_mul(drive, vk)));
      }
      for (; j < N; j++) {
        float ie = (float)base + (a->mode ? (float)a->GEE : 0.f) * rc[j] + (cue ? st[j] : 0.f);
        float drive = brunel_f(ie) - r[j] + (float)a->sigE * ring_noise[j];
        if (im) drive += im[j];
        r[j] = r[j] + drive * (float)a->kE;
      }
      if (im)
        for (int q = 0; q < N; q++) im[q] = ring_im_next[q];
      const double II = a->GEI * meanE - a->GII * mI + a->I0I;
      a->mI[b] = (float)(mI + (brunel_f((float)II) - mI + a->sigI * (double)normal_f32(g, 0.0, 1.0) / a->sqrtNI) * a->kI);
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

/* ---- exports ---- */

EXPORT void ring_network_run(ring_args *args) { ring_run(args); }

/* Argument layouts, checked field by field against the TypeScript binding. */
#define RING_FIELDS(X) \
  X(B) X(N) X(steps) X(firstStep) X(mode) X(nBasis) X(basis) X(basisW) X(nPops) X(pop) X(popW) \
  X(decaying) X(GEE) X(GEI) X(GIE) X(GII) X(I0E) X(I0I) X(sigE) X(sigI) X(kE) X(kI) X(kM) X(aM) \
  X(gateSlope) X(gateThreshold) X(sqrtNI) X(stimOn) X(stimOff) X(eraseOn) X(eraseOff) X(delayEnd) \
  X(delayWin) X(eraseAmp) X(stim) X(cosTh) X(sinTh) X(rE) X(mI) X(Im) X(proj) X(rec) X(delayRates) \
  X(response) X(recordEvery) X(nRec) X(angles) X(nUnits) X(units) X(unitRates) X(traceTrials) \
  X(traces) X(rng) X(excludeRecorded)
#define WMKIT_LAYOUT_TYPE ring_args
WMKIT_LAYOUT(ring_args, RING_FIELDS)
#undef WMKIT_LAYOUT_TYPE
