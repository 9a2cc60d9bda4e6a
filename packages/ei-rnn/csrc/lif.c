/*
 * A network of LIF neurons with double-exponential synapses (Kim et al. 2019's conversion),
 * B independent trials at once, advanced `rateSteps` rate steps (of `stepsPerRateStep` LIF steps
 * each, the input held over them) per call. The JavaScript reference
 * is packages/ei-rnn/src/spiking.ts (simulateSpikingReference), which is tested against a
 * transcription of spikeRNN's LIF_network_fnc.m; the equations are documented there.
 *
 * Voltage noise: every trial has a generator of its own (rng[b], forked per trial by the
 * binding), and draws one normal per neuron per step, in unit order, exactly as the reference
 * draws it. Trials therefore share nothing but the weights, and each is computed the same way
 * whichever thread runs it and however the trials are grouped: the kernel splits them across
 * threads (par_lif_network_run) with results identical, byte for byte, for any thread count.
 *
 * The trials run in groups of four: all steps of the call for a group before the next group (its
 * state stays in cache), the four generators advanced side by side in the lanes of one vector
 * (normal4_f32 in rng.h), the read-out summed four trials at a time.
 *
 * One call may run several networks that differ only in W_spk and λ (the λ search's candidates):
 * trial b runs network trialNet[b] (WT and lambdas then hold one entry per network).
 *
 * Propagation is event-driven: a spike of neuron j adds row j of WT (= column j of W_spk) to the
 * synaptic input of its trial. With `dense` set, the input is instead the full product W·s over
 * all neurons (the reference path that tests the event-driven one; identical sums because
 * adding zeros is exact and the order is the same).
 */
#include "module.h"
#include "fmath.h"
#include "rng.h"
#include <wasm_simd128.h>

typedef struct {
  int B, N, K, rateSteps, firstStep, stepsPerRateStep; /* this call: rateSteps × stepsPerRateStep LIF steps */
  const float *ext;    /* [B, rateSteps, N] drive of each rate step of the call */
  const float *WT;     /* [nets, N, N]: each network's W_spk transposed */
  const float *wOut;   /* [K, N] */
  const double *decayD; /* [N] e^{−Δt/τ_d}, float32 values held as float64 (read every step: no conversions) */
  const double *gain;   /* [N] 1/(τ_r τ_d), likewise */
  double decayR, dtS, kMem, threshold, reset, bias, noiseStd, lambda;
  int refSteps;
  float *v, *ipsc, *h, *jd, *r, *hr;
  int *refLeft, *spikeList; /* spikeList: [B, N], each trial's spikes of the current step */
  unsigned char *spiked;
  float *outMean, *outMax, *outMin; /* [B, rateSteps, K]: output over each rate step's LIF steps */
  float *counts;                    /* [B, N, nBins] or 0 */
  int binSteps, nBins;
  int *raster;      /* [rasterTrials, rateSteps·stepsPerRateStep·N] or 0: trial b's spikes of this call as s·N + j (s: step in the call), in order */
  int rasterTrials;
  int *rasterCount; /* [rasterTrials]: entries of each trial written this call */
  int *unitSpikes;  /* [B, N]: spikes per trial and unit, accumulated */
  xoshiro *rng;     /* [B]: each trial's noise generator, advanced */
  int dense;
  const double *lambdas; /* [nets] each network's λ, or 0: one network (WT [N, N], λ = lambda) */
  const int *trialNet;   /* [B] the network trial b runs (with lambdas) */
} lif_args;

/* The network trial b runs: its W_spk transposed and its λ. */
static inline const float *lif_wt(const lif_args *a, int b) {
  return a->lambdas ? a->WT + (long)a->trialNet[b] * a->N * a->N : a->WT;
}
static inline double lif_lambda(const lif_args *a, int b) { return a->lambdas ? a->lambdas[a->trialNet[b]] : a->lambda; }

/*
 * Arithmetic mirrors the JavaScript reference: compound expressions in double, results stored
 * as float32, so both give bit-identical spikes and outputs (tested). The per-unit updates run
 * two units per f64x2 lane pair (wasm SIMD); element-wise IEEE operations give the same bits
 * as the scalar form, and every sum keeps the reference's order (the read-out sums run over
 * units in order, four trials side by side in the lanes).
 */
#define LIF_CHUNK 256 /* units per noise chunk: 4 trials' draws (4 KB) live on the thread's stack */

/* Four float32 lanes as two f64x2 (low pair, high pair), and back. */
#define LO(v) wasm_f64x2_promote_low_f32x4(v)
#define HI(v) wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3))
static inline v128_t demote2(v128_t lo, v128_t hi) {
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo), wasm_f32x4_demote_f64x2_zero(hi), 0, 1, 4, 5);
}
/* i32x4 lane masks (all ones / zero) widened to the two f64x2 halves. */
#define MLO(m) wasm_i64x2_extend_low_i32x4(m)
#define MHI(m) wasm_i64x2_extend_high_i32x4(m)

/*
 * Membrane update, threshold and reset of units [c0, c1) of trial b, driven by e (its W_in u this
 * rate step; noise[i − c0] is unit i's draw, or none); spikes are appended to list, from
 * position n. Returns the new count.
 */
static int lif_membrane(const lif_args *a, int b, const float *restrict e, int c0, int c1, const float *restrict noise,
                        int *restrict list, int n) {
  const int N = a->N, refSteps = a->refSteps;
  const double kMem = a->kMem, bias = a->bias, thr = a->threshold, reset = a->reset;
  float *restrict v = a->v;
  const float *restrict ipsc = a->ipsc;
  int *restrict refLeft = a->refLeft;
  unsigned char *restrict spiked = a->spiked;
  const v128_t vkMem = wasm_f64x2_splat(kMem), vbias = wasm_f64x2_splat(bias), vthr = wasm_f64x2_splat(thr);
  const v128_t vreset = wasm_f64x2_splat(reset);
  const v128_t izero = wasm_i32x4_splat(0), ione = wasm_i32x4_splat(1), vref = wasm_i32x4_splat(refSteps);
  int i = c0;
  const int c4 = c0 + ((c1 - c0) & ~3);
  for (; i < c4; i += 4) {
    const int k = b * N + i;
    v128_t vx = wasm_v128_load(v + k), vi = wasm_v128_load(ipsc + k), ve = wasm_v128_load(e + i);
    v128_t rl = wasm_v128_load(refLeft + k);
    v128_t inRef = wasm_i32x4_gt(rl, izero);
    v128_t xl = LO(vx), xh = HI(vx);
    v128_t ul = wasm_f64x2_add(xl, wasm_f64x2_mul(vkMem, wasm_f64x2_sub(wasm_f64x2_add(wasm_f64x2_add(LO(vi), vbias), LO(ve)), xl)));
    v128_t uh = wasm_f64x2_add(xh, wasm_f64x2_mul(vkMem, wasm_f64x2_sub(wasm_f64x2_add(wasm_f64x2_add(HI(vi), vbias), HI(ve)), xh)));
    xl = wasm_v128_bitselect(xl, ul, MLO(inRef));
    xh = wasm_v128_bitselect(xh, uh, MHI(inRef));
    rl = wasm_i32x4_sub(rl, wasm_v128_and(inRef, ione));
    if (noise) {
      v128_t vn = wasm_v128_load(noise + (i - c0));
      xl = wasm_f64x2_add(xl, LO(vn));
      xh = wasm_f64x2_add(xh, HI(vn));
    }
    v128_t sl = wasm_f64x2_ge(xl, vthr), sh = wasm_f64x2_ge(xh, vthr);
    xl = wasm_v128_bitselect(vreset, xl, sl);
    xh = wasm_v128_bitselect(vreset, xh, sh);
    wasm_v128_store(v + k, demote2(xl, xh));
    v128_t sp = wasm_i32x4_shuffle(sl, sh, 0, 2, 4, 6);
    wasm_v128_store(refLeft + k, wasm_v128_bitselect(vref, rl, sp));
    int m = wasm_i32x4_bitmask(sp);
    while (m) {
      const int q = __builtin_ctz(m);
      m &= m - 1;
      spiked[k + q] = 1;
      list[n++] = i + q;
    }
  }
  for (; i < c1; i++) {
    const int k = b * N + i;
    double x = v[k];
    if (refLeft[k] > 0)
      refLeft[k]--;
    else
      x += kMem * ((double)ipsc[k] + bias + (double)e[i] - x);
    if (noise) x += (double)noise[i - c0];
    if (x >= thr) {
      x = reset;
      refLeft[k] = refSteps;
      spiked[k] = 1;
      list[n++] = i;
    }
    v[k] = (float)x;
  }
  return n;
}

/* Trial b's spikes of step s of this call (list[0..n), units in order): synaptic input, counts, raster. */
static void lif_propagate(const lif_args *a, int b, int s, const int *restrict list, int n) {
  const int N = a->N;
  const int step = a->firstStep + s;
  const int bin = a->binSteps ? step / a->binSteps : -1;
  float *restrict d = a->jd + b * N;
  const float *WT = lif_wt(a, b);
  if (a->dense) {
    /* the full product W·s: every row whose unit spiked, in unit order (the spike list's order) */
    const unsigned char *sp = a->spiked + b * N;
    for (int j = 0; j < N; j++)
      if (sp[j]) {
        const float *row = WT + j * N;
        for (int i = 0; i < N; i++) d[i] += row[i];
      }
  }
  int *restrict us = a->unitSpikes + b * N;
  int *rs = b < a->rasterTrials && a->raster ? a->raster + b * a->rateSteps * a->stepsPerRateStep * N : 0;
  for (int q = 0; q < n; q++) {
    const int j = list[q];
    if (!a->dense) {
      const float *restrict row = WT + j * N;
      for (int i = 0; i < N; i++) d[i] += row[i];
    }
    us[j]++;
    if (a->counts && bin < a->nBins) a->counts[(b * N + j) * a->nBins + bin] += 1.0f;
    if (rs) rs[a->rasterCount[b]++] = s * N + j;
  }
}

/*
 * Synapses and filtered rates of trial b; clears its input and spike flags. With `spikes` 0 (no
 * spike in the trial this step: most steps at a few Hz) its input and flags are all zero and stay
 * so; the increments are then +0 (jd·gain with jd = +0; no spike), added as such, so the results
 * are the same bits without reading them.
 */
static void lif_synapses(const lif_args *a, int b, int spikes) {
  const int N = a->N, N4 = N & ~3, o = b * N;
  const double decayR = a->decayR, dtS = a->dtS;
  const double *restrict decayD = a->decayD;
  const double *restrict gain = a->gain;
  float *restrict ipsc = a->ipsc;
  float *restrict hh = a->h;
  float *restrict jd = a->jd;
  float *restrict rr = a->r;
  float *restrict hr = a->hr;
  unsigned char *restrict spiked = a->spiked;
  const v128_t vdecayR = wasm_f64x2_splat(decayR), vdtS = wasm_f64x2_splat(dtS);
  const v128_t izero = wasm_i32x4_splat(0), dzero = wasm_f64x2_splat(0.0);
  int i = 0;
  if (!spikes)
    for (; i < N4; i += 4) {
      const int k = o + i;
      v128_t dDl = wasm_v128_load(decayD + i), dDh = wasm_v128_load(decayD + i + 2);
      v128_t vi = wasm_v128_load(ipsc + k), vh = wasm_v128_load(hh + k);
      v128_t vr = wasm_v128_load(rr + k), vhr = wasm_v128_load(hr + k);
      v128_t il = wasm_f64x2_add(wasm_f64x2_mul(LO(vi), dDl), wasm_f64x2_mul(LO(vh), vdtS));
      v128_t ih = wasm_f64x2_add(wasm_f64x2_mul(HI(vi), dDh), wasm_f64x2_mul(HI(vh), vdtS));
      v128_t hl = wasm_f64x2_add(wasm_f64x2_mul(LO(vh), vdecayR), dzero);
      v128_t hH = wasm_f64x2_add(wasm_f64x2_mul(HI(vh), vdecayR), dzero);
      v128_t rlo = wasm_f64x2_add(wasm_f64x2_mul(LO(vr), dDl), wasm_f64x2_mul(LO(vhr), vdtS));
      v128_t rhi = wasm_f64x2_add(wasm_f64x2_mul(HI(vr), dDh), wasm_f64x2_mul(HI(vhr), vdtS));
      v128_t ql = wasm_f64x2_add(wasm_f64x2_mul(LO(vhr), vdecayR), dzero);
      v128_t qh = wasm_f64x2_add(wasm_f64x2_mul(HI(vhr), vdecayR), dzero);
      wasm_v128_store(ipsc + k, demote2(il, ih));
      wasm_v128_store(hh + k, demote2(hl, hH));
      wasm_v128_store(rr + k, demote2(rlo, rhi));
      wasm_v128_store(hr + k, demote2(ql, qh));
    }
  for (; i < N4; i += 4) {
    const int k = o + i;
    v128_t dDl = wasm_v128_load(decayD + i), dDh = wasm_v128_load(decayD + i + 2);
    v128_t gl = wasm_v128_load(gain + i), gh = wasm_v128_load(gain + i + 2);
    v128_t vi = wasm_v128_load(ipsc + k), vh = wasm_v128_load(hh + k), vj = wasm_v128_load(jd + k);
    v128_t vr = wasm_v128_load(rr + k), vhr = wasm_v128_load(hr + k);
    v128_t sp = wasm_u32x4_extend_low_u16x8(wasm_u16x8_extend_low_u8x16(wasm_v128_load32_zero(spiked + k)));
    sp = wasm_i32x4_ne(sp, izero);
    v128_t il = wasm_f64x2_add(wasm_f64x2_mul(LO(vi), dDl), wasm_f64x2_mul(LO(vh), vdtS));
    v128_t ih = wasm_f64x2_add(wasm_f64x2_mul(HI(vi), dDh), wasm_f64x2_mul(HI(vh), vdtS));
    v128_t hl = wasm_f64x2_add(wasm_f64x2_mul(LO(vh), vdecayR), wasm_f64x2_mul(LO(vj), gl));
    v128_t hH = wasm_f64x2_add(wasm_f64x2_mul(HI(vh), vdecayR), wasm_f64x2_mul(HI(vj), gh));
    v128_t rlo = wasm_f64x2_add(wasm_f64x2_mul(LO(vr), dDl), wasm_f64x2_mul(LO(vhr), vdtS));
    v128_t rhi = wasm_f64x2_add(wasm_f64x2_mul(HI(vr), dDh), wasm_f64x2_mul(HI(vhr), vdtS));
    v128_t ql = wasm_f64x2_add(wasm_f64x2_mul(LO(vhr), vdecayR), wasm_v128_bitselect(gl, dzero, MLO(sp)));
    v128_t qh = wasm_f64x2_add(wasm_f64x2_mul(HI(vhr), vdecayR), wasm_v128_bitselect(gh, dzero, MHI(sp)));
    wasm_v128_store(ipsc + k, demote2(il, ih));
    wasm_v128_store(hh + k, demote2(hl, hH));
    wasm_v128_store(jd + k, wasm_f32x4_splat(0.f));
    wasm_v128_store(rr + k, demote2(rlo, rhi));
    wasm_v128_store(hr + k, demote2(ql, qh));
    wasm_v128_store32_lane(spiked + k, izero, 0);
  }
  for (; i < N; i++) {
    const int k = o + i;
    const double dD = decayD[i];
    ipsc[k] = (float)((double)ipsc[k] * dD + (double)hh[k] * dtS);
    hh[k] = (float)((double)hh[k] * decayR + (double)jd[k] * gain[i]);
    jd[k] = 0.f;
    rr[k] = (float)((double)rr[k] * dD + (double)hr[k] * dtS);
    hr[k] = (float)((double)hr[k] * decayR + (spiked[k] ? gain[i] : 0.0));
    spiked[k] = 0;
  }
}

/* Output y = λ Σ_i w[q, i] r[b, i] of trial b (summed over i in order) into rate step c's mean and envelopes. */
static inline void lif_output(const lif_args *a, int b, int c, int q, double y) {
  y *= lif_lambda(a, b);
  const int idx = (b * a->rateSteps + c) * a->K + q;
  a->outMean[idx] = (float)((double)a->outMean[idx] + y / a->stepsPerRateStep);
  if (y > a->outMax[idx]) a->outMax[idx] = (float)y;
  if (y < a->outMin[idx]) a->outMin[idx] = (float)y;
}

/* Read-out of trials b0 … b0 + nb − 1 in rate step c: four trials side by side when the group is full. */
static void lif_readout(const lif_args *a, int b0, int nb, int c) {
  const int N = a->N;
  const float *restrict rr = a->r;
  const v128_t dzero = wasm_f64x2_splat(0.0);
  for (int q = 0; q < a->K; q++) {
    const float *restrict w = a->wOut + q * N;
    if (nb == 4) {
      const float *r0 = rr + b0 * N, *r1 = r0 + N, *r2 = r1 + N, *r3 = r2 + N;
      v128_t y01 = dzero, y23 = dzero;
      for (int i = 0; i < N; i++) {
        const v128_t wi = wasm_f64x2_splat((double)w[i]);
        y01 = wasm_f64x2_add(y01, wasm_f64x2_mul(wi, wasm_f64x2_make((double)r0[i], (double)r1[i])));
        y23 = wasm_f64x2_add(y23, wasm_f64x2_mul(wi, wasm_f64x2_make((double)r2[i], (double)r3[i])));
      }
      lif_output(a, b0, c, q, wasm_f64x2_extract_lane(y01, 0));
      lif_output(a, b0 + 1, c, q, wasm_f64x2_extract_lane(y01, 1));
      lif_output(a, b0 + 2, c, q, wasm_f64x2_extract_lane(y23, 0));
      lif_output(a, b0 + 3, c, q, wasm_f64x2_extract_lane(y23, 1));
    } else {
      for (int l = 0; l < nb; l++) {
        const float *r0 = rr + (b0 + l) * N;
        double y = 0;
        for (int i = 0; i < N; i++) y += (double)w[i] * (double)r0[i];
        lif_output(a, b0 + l, c, q, y);
      }
    }
  }
}

/*
 * All steps of this call for trials b0 … b0 + nb − 1 (nb ≤ 4). A group of fewer than four draws
 * its noise through spare lanes whose generators are thrown away.
 */
static void lif_group(const lif_args *a, int b0, int nb) {
  const int N = a->N, K = a->K, R = a->rateSteps, S = a->stepsPerRateStep;
  const int hasNoise = a->noiseStd > 0;
  float noise[4 * LIF_CHUNK];
  xoshiro g[4];
  int nSpk[4];
  for (int l = 0; l < 4; l++) g[l] = l < nb ? a->rng[b0 + l] : (xoshiro){1u, 2u, 3u, 4u};
  for (int l = 0; l < nb; l++) {
    const int b = b0 + l;
    if (b < a->rasterTrials) a->rasterCount[b] = 0;
    for (int q = 0; q < R * K; q++) {
      a->outMean[b * R * K + q] = 0.f;
      a->outMax[b * R * K + q] = -__builtin_inff();
      a->outMin[b * R * K + q] = __builtin_inff();
    }
  }
  for (int c = 0; c < R; c++)
    for (int s = 0; s < S; s++) {
      for (int l = 0; l < nb; l++) nSpk[l] = 0;
      for (int c0 = 0; c0 < N; c0 += LIF_CHUNK) {
        const int c1 = c0 + LIF_CHUNK < N ? c0 + LIF_CHUNK : N;
        if (hasNoise) normal4_f32(g, noise, LIF_CHUNK, c1 - c0, a->noiseStd);
        for (int l = 0; l < nb; l++) {
          const int b = b0 + l;
          nSpk[l] = lif_membrane(a, b, a->ext + (b * R + c) * N, c0, c1, hasNoise ? noise + l * LIF_CHUNK : 0,
                                 a->spikeList + b * N, nSpk[l]);
        }
      }
      for (int l = 0; l < nb; l++) {
        const int b = b0 + l;
        lif_propagate(a, b, c * S + s, a->spikeList + b * N, nSpk[l]);
        lif_synapses(a, b, nSpk[l]);
      }
      lif_readout(a, b0, nb, c);
    }
  for (int l = 0; l < nb; l++) a->rng[b0 + l] = g[l];
}

/* ---- exports ---- */

/*
 * Advances trials [lo, hi) of `a` by its rateSteps × stepsPerRateStep steps: this thread's share,
 * cut by par_range. Groups of four start at lo; a trial's result does not depend on its group.
 */
EXPORT void par_lif_network_run(const lif_args *a, int tid, int nth) {
  int lo, hi;
  par_range(a->B, 1, tid, nth, &lo, &hi);
  for (int b = lo; b < hi; b += 4) lif_group(a, b, hi - b < 4 ? hi - b : 4);
}

/* Argument layouts, checked field by field against the TypeScript binding. */
#define LIF_FIELDS(X) \
  X(B) X(N) X(K) X(rateSteps) X(firstStep) X(stepsPerRateStep) X(ext) X(WT) X(wOut) X(decayD) X(gain) \
  X(decayR) X(dtS) X(kMem) X(threshold) X(reset) X(bias) X(noiseStd) X(lambda) X(refSteps) X(v) \
  X(ipsc) X(h) X(jd) X(r) X(hr) X(refLeft) X(spikeList) X(spiked) X(outMean) X(outMax) X(outMin) \
  X(counts) X(binSteps) X(nBins) X(raster) X(rasterTrials) X(rasterCount) X(unitSpikes) X(rng) X(dense) \
  X(lambdas) X(trialNet)
#define WMKIT_LAYOUT_TYPE lif_args
WMKIT_LAYOUT(lif_args, LIF_FIELDS)
#undef WMKIT_LAYOUT_TYPE
