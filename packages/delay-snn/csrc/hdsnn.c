/*
 * Recurrent heterogeneous-delay spiking networks (Perrinet et al. 2026), event-driven.
 * The JavaScript reference with a dense N × (N·D) matmul is packages/delay-snn/src/dense.ts;
 * the model is documented in packages/delay-snn/src/network.ts.
 *
 * Weights are stored context-major: Wt[(i·D + k)·N + j] is the weight from neuron i, seen
 * D − k steps ago (k = 0 is t − D, k = D − 1 is t − 1), onto neuron j. A spike therefore adds
 * one contiguous row of N weights to the current D times, and the work per step is
 * (spikes in the last D steps) × N instead of N²·D.
 *
 * One pattern per hd_forward call (a batch runs several, one per thread: see Threads). Steps t < tStart are not updated (no own spikes, as in the authors'
 * loop, which starts at t = D). For t ≥ tStart:
 *   context(t) = own(t−D..t−1) OR input(t−D..t−1)
 *   I(t)       = Σ_{k, i ∈ context step t−D+k} Wt[i·D+k, :]       (× dropout keep mask / (1 − p))
 *   subtract:  u(t) = β·u(t−1) + I(t) − ϑ·s(t−1);   zero: u(t) = β·(1 − s(t−1))·u(t−1) + I(t)
 *   s(t)       = 1[u(t) > ϑ]        (silenced neurons never spike)
 * All arithmetic in float32, in this order, so a JavaScript loop with Math.fround reproduces it.
 * When more than half of the N·D context entries are active and `Wsum` (the sum of all rows)
 * is given, the current is computed from the inactive ones, I = Wsum − Σ_inactive Wt[a, :],
 * which bounds the work of a saturated network (equal up to float rounding).
 *
 * Backward (surrogate gradient): for t descending,
 *   δu(t) = g_s(t)·σ'(u(t) − ϑ) + carry,   σ'(x) = 1/(k|x| + 1)²,
 *   carry = β·δu(t+1) (subtract) or β·(1 − s(t))·δu(t+1) (zero): resets are constants;
 *   δI(t) = δu(t) · keep/(1 − p);    dWt[a, :] += δI(t) for each active context entry a;
 *   with dParams: dβ += Σ_j δu_j(t)·∂u_j(t)/∂β and dϑ += Σ_j (−g_s·σ' + δu_j(t)·∂u_j(t)/∂ϑ);
 * g_s(t) is the loss gradient (gPos on target spikes, gNeg elsewhere, within the scored
 * steps) plus, in full mode, what flows back through the recurrent context:
 *   dL/ds_i(t − D + k) += Σ_j Wt[i·D+k, j]·δI_j(t)     (dense: N·D·N per step)
 * except where own and input spikes coincide (clamp(own + input, 0, 1) passes no gradient).
 */
#include "module.h"
#include "fmath.h"
#include <stdint.h>
#include <wasm_simd128.h>
#include "gemm.h"
#include "rng.h"

typedef struct {
  int N, D, steps, tStart, reset; /* reset: 0 subtract, 1 zero */
  double beta, threshold, dropout;
  const float *Wt;         /* [(N·D), N] */
  const int *inOff;        /* [steps + 1] CSR offsets of input spikes per step */
  const int *inIdx;
  const uint8_t *silence;  /* [N] or 0 */
  int *spkOff;             /* [steps + 1] out: own spikes per step */
  int *spkIdx;             /* capacity steps·N */
  int *ctxOff;             /* [steps + 1] out: own OR input per step */
  int *ctxIdx;             /* capacity steps·N */
  float *mem;              /* [steps, N] out (or 0): membrane after each update */
  uint8_t *keep;           /* [steps, N] out (or 0): dropout keep mask */
  xoshiro *rng;            /* dropout draws: N per updated step, in neuron order */
  float *cur;              /* work [N] */
  float *u;                /* work [N] */
  int *stamp;              /* work [N] */
  uint8_t *s;              /* work [N] */
  const float *Wsum;       /* [N] Σ_a Wt[a, :] or 0: enables the complement form (see below) */
  uint8_t *winMask;        /* work [D, N] when Wsum is given */
} hd_fwd_args;

typedef struct {
  int N, D, steps, tStart, reset, full;
  double beta, threshold, slope, dropout, gPos, gNeg;
  int scoreFrom, scoreTo;  /* steps [scoreFrom, scoreTo) enter the loss */
  const float *Wt;
  const int *spkOff, *spkIdx, *ctxOff, *ctxIdx, *inOff, *inIdx;
  const int *tgtOff, *tgtIdx; /* [steps + 1] target spikes per step (only scored steps are read) */
  const float *mem;
  const uint8_t *keep;     /* or 0 when no dropout */
  float *dWt;              /* [(N·D), N] accumulated */
  float *du;               /* work [N] */
  float *dI;               /* work [N] */
  float *gs;               /* work [N] */
  float *ring;             /* work [(D + 1), N] (full mode) */
  float *dC;               /* work [N·D] (full mode) */
  uint8_t *blocked;        /* work [steps, N] (full mode) */
  uint8_t *ownNow;         /* work [N] */
  float *dParams;          /* [2] or 0: dL/dβ and dL/dϑ added here (learnable decay and threshold) */
} hd_bwd_args;

static inline void hd_axpy_row(float *restrict y, const float *restrict x, int n) {
  int j = 0;
  for (; j + 4 <= n; j += 4) wasm_v128_store(y + j, wasm_f32x4_add(wasm_v128_load(y + j), wasm_v128_load(x + j)));
  for (; j < n; j++) y[j] += x[j];
}

/*
 * y[j] += rows[0][j], then rows[1][j], …, rows[n − 1][j]: the same additions in the same order as
 * n calls of hd_axpy_row, with y loaded and stored once, n rows streamed at a time and four
 * vectors of y in flight (the additions into one element form a chain).
 */
static inline void hd_add_rows(float *restrict y, const float *const *rows, int n, int N) {
  int j = 0;
  for (; j + 16 <= N; j += 16) {
    v128_t c0 = wasm_v128_load(y + j), c1 = wasm_v128_load(y + j + 4), c2 = wasm_v128_load(y + j + 8),
           c3 = wasm_v128_load(y + j + 12);
    for (int r = 0; r < n; r++) {
      const float *x = rows[r] + j;
      c0 = wasm_f32x4_add(c0, wasm_v128_load(x));
      c1 = wasm_f32x4_add(c1, wasm_v128_load(x + 4));
      c2 = wasm_f32x4_add(c2, wasm_v128_load(x + 8));
      c3 = wasm_f32x4_add(c3, wasm_v128_load(x + 12));
    }
    wasm_v128_store(y + j, c0);
    wasm_v128_store(y + j + 4, c1);
    wasm_v128_store(y + j + 8, c2);
    wasm_v128_store(y + j + 12, c3);
  }
  for (; j + 4 <= N; j += 4) {
    v128_t c = wasm_v128_load(y + j);
    for (int r = 0; r < n; r++) c = wasm_f32x4_add(c, wasm_v128_load(rows[r] + j));
    wasm_v128_store(y + j, c);
  }
  for (; j < N; j++) {
    float c = y[j];
    for (int r = 0; r < n; r++) c += rows[r][j];
    y[j] = c;
  }
}

/* Rows hd_add_rows takes at a time. */
#define HD_ROWS 8

/* The membrane update of neurons j0 .. j1 − 1 at one step (reset by subtraction or to zero),
 * their spikes (silenced neurons never spike), the membrane row when recorded; writes the
 * spiking neurons' indices to out in neuron order and returns how many. */
static inline int hd_membrane(const hd_fwd_args *a, float beta, float th, float *u, uint8_t *s, const float *cur, float *mrow,
                              int j0, int j1, int *out) {
  int n = 0;
  for (int j = j0; j < j1; j++) {
    float x;
    if (a->reset == 0) {
      x = beta * u[j] + cur[j];
      if (s[j]) x = x - th;
    } else {
      x = (s[j] ? 0.f : beta * u[j]) + cur[j];
    }
    u[j] = x;
    int sp = x > th && !(a->silence && a->silence[j]);
    s[j] = (uint8_t)sp;
    if (mrow) mrow[j] = x;
    if (sp) out[n++] = j;
  }
  return n;
}

static void hd_forward(hd_fwd_args *a) {
  const int N = a->N, D = a->D, steps = a->steps;
  const float beta = (float)a->beta, th = (float)a->threshold;
  const int useDrop = a->dropout > 0;
  const float keepScale = useDrop ? (float)(1.0 / (1.0 - a->dropout)) : 1.f;
  const double dropThr = a->dropout * 4294967296.0;
  float *cur = a->cur, *u = a->u;
  uint8_t *s = a->s;
  int *stamp = a->stamp;
  for (int j = 0; j < N; j++) { u[j] = 0.f; s[j] = 0; stamp[j] = -1; }
  int nSpk = 0, nCtx = 0;
  for (int t = 0; t < steps; t++) {
    a->spkOff[t] = nSpk;
    a->ctxOff[t] = nCtx; /* closes the list of step t − 1, read by this step's current */
    if (t >= a->tStart) {
      int lo = t - D < 0 ? 0 : t - D;
      int active = a->ctxOff[t] - a->ctxOff[lo];
      const float *rows[HD_ROWS]; /* rows to add, in order, not yet added */
      int nr = 0;
      if (a->Wsum && 2 * (long)active > (long)N * D) {
        for (int j = 0; j < N; j++) cur[j] = -a->Wsum[j];
        for (int k = 0; k < D; k++) {
          uint8_t *mk = a->winMask + (long)k * N;
          for (int i = 0; i < N; i++) mk[i] = 0;
          int tau = t - D + k;
          if (tau >= 0)
            for (int q = a->ctxOff[tau]; q < a->ctxOff[tau + 1]; q++) mk[a->ctxIdx[q]] = 1;
          for (int i = 0; i < N; i++)
            if (!mk[i]) {
              rows[nr++] = a->Wt + ((long)i * D + k) * N;
              if (nr == HD_ROWS) { hd_add_rows(cur, rows, nr, N); nr = 0; }
            }
        }
        if (nr) hd_add_rows(cur, rows, nr, N);
        for (int j = 0; j < N; j++) cur[j] = -cur[j];
      } else {
        for (int j = 0; j < N; j++) cur[j] = 0.f;
        for (int k = 0; k < D; k++) {
          int tau = t - D + k;
          if (tau < 0) continue;
          for (int q = a->ctxOff[tau]; q < a->ctxOff[tau + 1]; q++) {
            rows[nr++] = a->Wt + ((long)a->ctxIdx[q] * D + k) * N;
            if (nr == HD_ROWS) { hd_add_rows(cur, rows, nr, N); nr = 0; }
          }
        }
        if (nr) hd_add_rows(cur, rows, nr, N);
      }
      uint8_t *keep = a->keep ? a->keep + (long)t * N : 0;
      if (useDrop) {
        for (int j = 0; j < N; j++) {
          uint32_t r = xo_next(a->rng);
          int kp = (double)r >= dropThr;
          if (keep) keep[j] = (uint8_t)kp;
          cur[j] = kp ? cur[j] * keepScale : 0.f;
        }
      }
      float *mrow = a->mem ? a->mem + (long)t * N : 0;
      nSpk += hd_membrane(a, beta, th, u, s, cur, mrow, 0, N, a->spkIdx + nSpk);
    }
    /* context entry of step t: own spikes, then input spikes not already there */
    for (int q = a->spkOff[t]; q < nSpk; q++) {
      int j = a->spkIdx[q];
      stamp[j] = t;
      a->ctxIdx[nCtx++] = j;
    }
    for (int q = a->inOff[t]; q < a->inOff[t + 1]; q++) {
      int j = a->inIdx[q];
      if (stamp[j] != t) {
        stamp[j] = t;
        a->ctxIdx[nCtx++] = j;
      }
    }
  }
  a->spkOff[steps] = nSpk;
  a->ctxOff[steps] = nCtx;
}

static inline float hd_dot(const float *restrict x, const float *restrict y, int n) {
  v128_t acc = wasm_f32x4_splat(0.f);
  int j = 0;
  for (; j + 4 <= n; j += 4) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(x + j), wasm_v128_load(y + j)));
  float r = hsum(acc);
  for (; j < n; j++) r += x[j] * y[j];
  return r;
}

static void hd_backward(hd_bwd_args *a) {
  const int N = a->N, D = a->D, steps = a->steps, R = D + 1;
  const float beta = (float)a->beta, th = (float)a->threshold, slope = (float)a->slope;
  const float keepScale = a->dropout > 0 ? (float)(1.0 / (1.0 - a->dropout)) : 1.f;
  const float gPos = (float)a->gPos, gNeg = (float)a->gNeg;
  float *du = a->du, *dI = a->dI, *gs = a->gs;
  uint8_t *own = a->ownNow;
  for (int j = 0; j < N; j++) du[j] = 0.f;
  if (a->full) {
    for (long q = 0; q < (long)R * N; q++) a->ring[q] = 0.f;
    /* blocked[t, i]: own and input spike coincide at step t */
    for (long q = 0; q < (long)steps * N; q++) a->blocked[q] = 0;
    for (int t = 0; t < steps; t++) {
      if (a->spkOff[t] == a->spkOff[t + 1]) continue;
      for (int q = a->spkOff[t]; q < a->spkOff[t + 1]; q++) a->blocked[(long)t * N + a->spkIdx[q]] = 1;
      for (int q = a->inOff[t]; q < a->inOff[t + 1]; q++) {
        uint8_t *b = a->blocked + (long)t * N + a->inIdx[q];
        if (*b == 1) *b = 2;
      }
    }
  }
  for (int j = 0; j < N; j++) own[j] = 0;
  double dBeta = 0.0, dTh = 0.0;
  for (int t = steps - 1; t >= a->tStart; t--) {
    /* loss gradient of s(t) */
    int scored = t >= a->scoreFrom && t < a->scoreTo;
    for (int j = 0; j < N; j++) gs[j] = scored ? gNeg : 0.f;
    if (scored)
      for (int q = a->tgtOff[t]; q < a->tgtOff[t + 1]; q++) gs[a->tgtIdx[q]] = gPos;
    if (a->full) {
      float *row = a->ring + (long)(t % R) * N;
      for (int j = 0; j < N; j++) { gs[j] += row[j]; row[j] = 0.f; }
    }
    /* s(t) for the zero-reset carry from t+1 is own spikes of step t */
    const float *m = a->mem + (long)t * N;
    for (int j = 0; j < N; j++) {
      float x = m[j] - th;
      float d = slope * (x < 0 ? -x : x) + 1.f;
      float carry = du[j] * beta;
      if (a->reset == 1 && own[j]) carry = 0.f;
      du[j] = gs[j] / (d * d) + carry;
      if (a->dParams) dTh -= (double)(gs[j] / (d * d)); /* s = H(u − ϑ): ∂s/∂ϑ = −σ' */
    }
    /* own spikes at step t − 1 (for the next iteration's carry) */
    for (int j = 0; j < N; j++) own[j] = 0;
    if (t - 1 >= 0)
      for (int q = a->spkOff[t - 1]; q < a->spkOff[t]; q++) own[a->spkIdx[q]] = 1;
    if (a->dParams) {
      /* ∂u(t)/∂β = u(t−1) (subtract) or (1 − s(t−1))·u(t−1) (zero); ∂u(t)/∂ϑ = −s(t−1) (subtract) */
      const float *mp = t - 1 >= a->tStart ? a->mem + (long)(t - 1) * N : 0;
      for (int j = 0; j < N; j++) {
        float up = mp ? mp[j] : 0.f;
        if (a->reset == 0) {
          dBeta += (double)du[j] * up;
          if (own[j]) dTh -= (double)du[j];
        } else if (!own[j]) {
          dBeta += (double)du[j] * up;
        }
      }
    }
    const uint8_t *keep = a->keep ? a->keep + (long)t * N : 0;
    for (int j = 0; j < N; j++) dI[j] = keep ? (keep[j] ? du[j] * keepScale : 0.f) : du[j];
    for (int k = 0; k < D; k++) {
      int tau = t - D + k;
      if (tau < 0) continue;
      for (int q = a->ctxOff[tau]; q < a->ctxOff[tau + 1]; q++) {
        int i = a->ctxIdx[q];
        hd_axpy_row(a->dWt + ((long)i * D + k) * N, dI, N);
      }
    }
    if (a->full) {
      for (long r = 0; r < (long)N * D; r++) a->dC[r] = hd_dot(a->Wt + r * N, dI, N);
      for (int k = 0; k < D; k++) {
        int tau = t - D + k;
        if (tau < a->tStart) continue;
        float *row = a->ring + (long)(tau % R) * N;
        const uint8_t *blk = a->blocked + (long)tau * N;
        for (int i = 0; i < N; i++)
          if (blk[i] != 2) row[i] += a->dC[(long)i * D + k];
      }
    }
  }
  if (a->dParams) {
    a->dParams[0] += (float)dBeta;
    a->dParams[1] += (float)dTh;
  }
}

/*
 * ---- Threads ----
 * A batch of patterns (the M patterns of a training step or of a recall) is split across the
 * kernel threads by pattern: each thread takes the next pattern not yet taken (an atomic counter)
 * and runs its whole forward pass, one-thread code, on work buffers of its own. A pattern's
 * outputs depend only on its own inputs (its input spikes, its dropout generator), so results are
 * identical for any number of threads, and the threads never wait for one another: a thread that
 * fails leaves the others to finish, and the host reports its error.
 *
 * The truncated backward pass of a batch splits the N neurons (columns of dWt, in blocks of 16
 * floats: one cache line) instead: each thread runs every pattern on its own columns (δI, then the
 * additions into dWt in pattern order, hd_backward_group), so every element of dWt gets the same
 * additions in the same order as on one thread, and the threads never wait for one another.
 * (The full-BPTT backward and the learnable β/ϑ gradients, whose sums run across neurons, run on
 * one thread.)
 */

/* Work buffers of one thread's forward passes. */
typedef struct {
  float *cur;
  float *u;
  int *stamp;
  uint8_t *s;
  uint8_t *winMask;
} hd_work;

/* A batch of forward passes: count patterns (their work fields unused), one hd_work per thread. */
typedef struct {
  int count;
  int next; /* the next pattern to take (0 at the call) */
  hd_fwd_args *pats;
  const hd_work *work;
} hd_fwd_batch;

/*
 * A batch of backward passes, run in pattern order (all share dWt and the work buffers). The
 * truncated gradient runs in two phases per group of `group` patterns (see hd_backward_group):
 * dI of every pattern of the group into `dI` [group, steps, N], then dWt neuron by neuron from
 * `occ`, every pattern's context entries listed by neuron (occOff [N + 1]; an entry is
 * m·steps + τ, patterns ascending, τ descending within each). With `zero`, dWt is cleared first.
 */
typedef struct {
  int count;
  hd_bwd_args *pats;
  int zero; /* 1: dWt is cleared first (each thread its columns, row block by row block, in phase 2) */
  int group;
  float *dI;
  const int *occOff;
  const int *occ;
} hd_bwd_batch;

/*
 * Phase 1 of the truncated backward pass (no full BPTT, no β/ϑ gradients) on columns [c0, c1):
 * δI(t) of every updated step t into dI [steps, N] (rows t ≥ tStart), what hd_backward computes.
 */
static void hd_backward_dI(hd_bwd_args *a, float *dIrows, int c0, int c1) {
  const int N = a->N;
  const float beta = (float)a->beta, th = (float)a->threshold, slope = (float)a->slope;
  const float keepScale = a->dropout > 0 ? (float)(1.0 / (1.0 - a->dropout)) : 1.f;
  const float gPos = (float)a->gPos, gNeg = (float)a->gNeg;
  float *du = a->du, *gs = a->gs;
  uint8_t *own = a->ownNow;
  for (int j = c0; j < c1; j++) { du[j] = 0.f; own[j] = 0; }
  for (int t = a->steps - 1; t >= a->tStart; t--) {
    const int scored = t >= a->scoreFrom && t < a->scoreTo;
    for (int j = c0; j < c1; j++) gs[j] = scored ? gNeg : 0.f;
    if (scored)
      for (int q = a->tgtOff[t]; q < a->tgtOff[t + 1]; q++) {
        const int j = a->tgtIdx[q];
        if (j >= c0 && j < c1) gs[j] = gPos;
      }
    const float *m = a->mem + (long)t * N;
    for (int j = c0; j < c1; j++) {
      float x = m[j] - th;
      float d = slope * (x < 0 ? -x : x) + 1.f;
      float carry = du[j] * beta;
      if (a->reset == 1 && own[j]) carry = 0.f;
      du[j] = gs[j] / (d * d) + carry;
    }
    for (int j = c0; j < c1; j++) own[j] = 0;
    if (t - 1 >= 0)
      for (int q = a->spkOff[t - 1]; q < a->spkOff[t]; q++) {
        const int j = a->spkIdx[q];
        if (j >= c0 && j < c1) own[j] = 1;
      }
    const uint8_t *keep = a->keep ? a->keep + (long)t * N : 0;
    float *dI = dIrows + (long)t * N;
    for (int j = c0; j < c1; j++) dI[j] = keep ? (keep[j] ? du[j] * keepScale : 0.f) : du[j];
  }
}

/*
 * The truncated backward pass of patterns g0 .. g1 − 1 of a batch on columns [c0, c1). Phase 1
 * writes every pattern's δI; phase 2 adds them into dWt row block by row block: for neuron i,
 * each context entry (i, τ) of pattern m adds δI_m(τ + D − k) to row i·D + k for each updated step
 * τ + D − k. hd_backward adds the same terms pattern by pattern, step t descending, so each element
 * of dWt gets the same additions in the same order (patterns ascending, τ descending), with its
 * rows read and written once per group instead of once per term, and the δI rows read in runs of
 * D. (Narrower column blocks, 128 floats, to keep a group's δI in the cache were no faster:
 * 1.0 CPU s per backward batch of the reference against 0.6 for a thread's whole range and 0.8–1.5
 * for the pattern-by-pattern pass.)
 */
static void hd_backward_group(const hd_bwd_batch *b, int g0, int g1, int c0, int c1) {
  const hd_bwd_args *a0 = b->pats;
  const int N = a0->N, D = a0->D, steps = a0->steps;
  for (int m = g0; m < g1; m++) hd_backward_dI(b->pats + m, b->dI + (long)(m - g0) * steps * N, c0, c1);
  const int w = c1 - c0;
  for (int i = 0; i < N; i++) {
    float *dW = a0->dWt + (long)i * D * N + c0;
    if (g0 == 0 && b->zero)
      for (int k = 0; k < D; k++) {
        float *row = dW + (long)k * N;
        for (int j = 0; j < w; j++) row[j] = 0.f;
      }
    /* the group's context entries of neuron i, HD_ROWS at a time: row k gets their terms in order */
    int q = b->occOff[i];
    const int qEnd = b->occOff[i + 1];
    while (q < qEnd && b->occ[q] / steps < g0) q++;
    while (q < qEnd) {
      const float *base[HD_ROWS]; /* δI row τ + D of the entry (row t = τ + D − k for row k of dWt) */
      int lo[HD_ROWS], hi[HD_ROWS]; /* the k whose step t is updated: lo ≤ k < hi */
      int n = 0;
      for (; q < qEnd && n < HD_ROWS; q++) {
        const int m = b->occ[q] / steps, tau = b->occ[q] - m * steps;
        if (m >= g1) {
          q = qEnd;
          break;
        }
        const int tStart = b->pats[m].tStart;
        base[n] = b->dI + (long)(m - g0) * steps * N + c0 + (long)(tau + D) * N;
        lo[n] = tau + D - steps + 1 > 0 ? tau + D - steps + 1 : 0; /* t < steps */
        hi[n] = tau + D - tStart + 1 < D ? tau + D - tStart + 1 : D; /* t ≥ tStart */
        n++;
      }
      for (int k = 0; k < D; k++) {
        const float *rows[HD_ROWS];
        int nr = 0;
        for (int r = 0; r < n; r++)
          if (k >= lo[r] && k < hi[r]) rows[nr++] = base[r] - (long)k * N;
        if (nr) hd_add_rows(dW + (long)k * N, rows, nr, w);
      }
    }
  }
}

/* max |w[q]| over n floats, NaN if any is NaN (the divergence check of training). */
static float hd_max_abs(const float *w, int n) {
  v128_t m = wasm_f32x4_splat(0.f), nan = wasm_i32x4_splat(0);
  int q = 0;
  for (; q + 4 <= n; q += 4) {
    const v128_t x = wasm_v128_load(w + q);
    nan = wasm_v128_or(nan, wasm_f32x4_ne(x, x));
    m = wasm_f32x4_pmax(m, wasm_f32x4_abs(x));
  }
  float r = wasm_f32x4_extract_lane(m, 0);
  for (int l = 1; l < 4; l++) {
    const float v = ((const float *)&m)[l];
    if (v > r) r = v;
  }
  int bad = wasm_v128_any_true(nan);
  for (; q < n; q++) {
    const float x = w[q] < 0 ? -w[q] : w[q];
    if (x != x) bad = 1;
    if (x > r) r = x;
  }
  return bad ? 0.0f / 0.0f : r;
}

/* 1 if every g[q] is finite (x − x is 0 for finite x, NaN for ±Infinity and NaN). */
static int hd_all_finite(const float *g, int n) {
  v128_t bad = wasm_i32x4_splat(0);
  int q = 0;
  for (; q + 4 <= n; q += 4) {
    const v128_t x = wasm_v128_load(g + q), d = wasm_f32x4_sub(x, x);
    bad = wasm_v128_or(bad, wasm_f32x4_ne(d, d));
  }
  if (wasm_v128_any_true(bad)) return 0;
  for (; q < n; q++) {
    const float d = g[q] - g[q];
    if (d != d) return 0;
  }
  return 1;
}

/*
 * Whole-matrix passes of training, split across threads in blocks of 16 floats: the column sums
 * Wsum (each column summed over the rows in order) and the divergence checks (max |w| and
 * finiteness, whose per-thread results combine exactly). (The optimiser steps are tensor's
 * `par_optim`, optim.h, which every module carries.)
 */
typedef struct {
  int op; /* 0 Wsum, 3 max |W|, 4 all finite (W) */
  int n;  /* elements (op 0: rows of N) */
  int N;
  const float *W;
  float *out; /* op 0: Wsum [N]; ops 3, 4: one result per thread */
} hd_bulk_args;

EXPORT void par_hdsnn_bulk(hd_bulk_args *a, int tid, int nth) {
  int lo, hi;
  if (a->op == 0) {
    par_range(a->N, 16, tid, nth, &lo, &hi);
    for (int j = lo; j < hi; j++) a->out[j] = 0.f;
    for (int r = 0; r < a->n; r++) hd_axpy_row(a->out + lo, a->W + (long)r * a->N + lo, hi - lo);
    return;
  }
  par_range(a->n, 16, tid, nth, &lo, &hi);
  if (a->op == 3)
    a->out[tid] = hi > lo ? hd_max_abs(a->W + lo, hi - lo) : 0.f;
  else if (a->op == 4)
    a->out[tid] = hi > lo ? (float)hd_all_finite(a->W + lo, hi - lo) : 1.f;
}

/* ---- exports ---- */

/* A batch of forward passes on nth threads, a pattern at a time (see Threads above). */
EXPORT void par_hdsnn_forward(hd_fwd_batch *b, int tid, int nth) {
  (void)nth;
  const hd_work *w = b->work + tid;
  for (;;) {
    const int m = __atomic_fetch_add(&b->next, 1, __ATOMIC_RELAXED);
    if (m >= b->count) return;
    hd_fwd_args *a = b->pats + m;
    a->cur = w->cur;
    a->u = w->u;
    a->stamp = w->stamp;
    a->s = w->s;
    a->winMask = w->winMask;
    hd_forward(a);
  }
}

/* A batch of backward passes on nth threads (truncated gradient: columns split; full BPTT or β/ϑ: thread 0 alone). */
EXPORT void par_hdsnn_backward(hd_bwd_batch *b, int tid, int nth) {
  int serial = 0;
  for (int m = 0; m < b->count; m++) serial |= b->pats[m].full || b->pats[m].dParams;
  if (serial) {
    if (tid != 0) return;
    if (b->zero)
      for (long q = 0; q < (long)b->pats[0].N * b->pats[0].D * b->pats[0].N; q++) b->pats[0].dWt[q] = 0.f;
    for (int m = 0; m < b->count; m++) hd_backward(b->pats + m);
    return;
  }
  int c0, c1;
  par_range(b->pats[0].N, 16, tid, nth, &c0, &c1);
  if (c1 <= c0) return;
  for (int g0 = 0; g0 < b->count; g0 += b->group) hd_backward_group(b, g0, g0 + b->group < b->count ? g0 + b->group : b->count, c0, c1);
}

/* Argument layouts, checked field by field against the TypeScript binding. */
#define HD_FWD_FIELDS(X) \
  X(N) X(D) X(steps) X(tStart) X(reset) X(beta) X(threshold) X(dropout) X(Wt) X(inOff) X(inIdx) \
  X(silence) X(spkOff) X(spkIdx) X(ctxOff) X(ctxIdx) X(mem) X(keep) X(rng) X(cur) X(u) X(stamp) X(s) \
  X(Wsum) X(winMask)
#define WMKIT_LAYOUT_TYPE hd_fwd_args
WMKIT_LAYOUT(hdsnn_fwd_args, HD_FWD_FIELDS)
#undef WMKIT_LAYOUT_TYPE

#define HD_BWD_FIELDS(X) \
  X(N) X(D) X(steps) X(tStart) X(reset) X(full) X(beta) X(threshold) X(slope) X(dropout) X(gPos) \
  X(gNeg) X(scoreFrom) X(scoreTo) X(Wt) X(spkOff) X(spkIdx) X(ctxOff) X(ctxIdx) X(inOff) X(inIdx) \
  X(tgtOff) X(tgtIdx) X(mem) X(keep) X(dWt) X(du) X(dI) X(gs) X(ring) X(dC) X(blocked) X(ownNow) X(dParams)
#define WMKIT_LAYOUT_TYPE hd_bwd_args
WMKIT_LAYOUT(hdsnn_bwd_args, HD_BWD_FIELDS)
#undef WMKIT_LAYOUT_TYPE

#define HD_BULK_FIELDS(X) X(op) X(n) X(N) X(W) X(out)
#define WMKIT_LAYOUT_TYPE hd_bulk_args
WMKIT_LAYOUT(hdsnn_bulk_args, HD_BULK_FIELDS)
#undef WMKIT_LAYOUT_TYPE

#define HD_WORK_FIELDS(X) X(cur) X(u) X(stamp) X(s) X(winMask)
#define WMKIT_LAYOUT_TYPE hd_work
WMKIT_LAYOUT(hdsnn_work, HD_WORK_FIELDS)
#undef WMKIT_LAYOUT_TYPE

#define HD_FWD_BATCH_FIELDS(X) X(count) X(next) X(pats) X(work)
#define WMKIT_LAYOUT_TYPE hd_fwd_batch
WMKIT_LAYOUT(hdsnn_fwd_batch, HD_FWD_BATCH_FIELDS)
#undef WMKIT_LAYOUT_TYPE

#define HD_BWD_BATCH_FIELDS(X) X(count) X(pats) X(zero) X(group) X(dI) X(occOff) X(occ)
#define WMKIT_LAYOUT_TYPE hd_bwd_batch
WMKIT_LAYOUT(hdsnn_bwd_batch, HD_BWD_BATCH_FIELDS)
#undef WMKIT_LAYOUT_TYPE
