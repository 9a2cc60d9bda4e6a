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
  const float *decayD; /* [N] e^{−Δt/τ_d} */
  const float *gain;   /* [N] 1/(τ_r τ_d) */
  double decayR, dtS, kMem, threshold, reset, bias, noiseStd, lambda; /* each used as float32 (rounded to nearest) */
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

/* The network trial b runs: its W_spk transposed and its λ (as float32). */
static inline const float *lif_wt(const lif_args *a, int b) {
  return a->lambdas ? a->WT + (long)a->trialNet[b] * a->N * a->N : a->WT;
}
static inline float lif_lambda(const lif_args *a, int b) { return (float)(a->lambdas ? a->lambdas[a->trialNet[b]] : a->lambda); }

/*
 * Arithmetic: float32 throughout, every operation rounded as the JavaScript reference rounds it
 * (Math.fround after each operation, in the same order), so both give bit-identical spikes and
 * outputs (tested). Element-wise IEEE operations on f32x4 lanes give the same bits as the scalar
 * form; no a·b + c is contracted into a fused operation (the pragma below; standard wasm SIMD has
 * none anyway). Sums keep a fixed order: the read-out of a trial sums units i ≡ l (mod 4) in lane
 * l, in order, then (lane 0 + lane 1) + (lane 2 + lane 3), then the units past the last multiple
 * of four in order — whatever the thread or the group of the trial.
 */
#pragma clang fp contract(off)
#define LIF_CHUNK 256 /* units per noise chunk: 4 trials' draws (4 KB) live on the thread's stack */

/*
 * Membrane update, threshold and reset of units [c0, c1) of trial b, driven by e (its W_in u this
 * rate step; noise[i − c0] is unit i's draw, or none); spikes are appended to list, from
 * position n. Returns the new count.
 */
static int lif_membrane(const lif_args *a, int b, const float *restrict e, int c0, int c1, const float *restrict noise,
                        int *restrict list, int n) {
  const int N = a->N, refSteps = a->refSteps;
  const float kMem = (float)a->kMem, bias = (float)a->bias, thr = (float)a->threshold, reset = (float)a->reset;
  float *restrict v = a->v;
  const float *restrict ipsc = a->ipsc;
  int *restrict refLeft = a->refLeft;
  unsigned char *restrict spiked = a->spiked;
  const v128_t vkMem = wasm_f32x4_splat(kMem), vbias = wasm_f32x4_splat(bias), vthr = wasm_f32x4_splat(thr);
  const v128_t vreset = wasm_f32x4_splat(reset);
  const v128_t izero = wasm_i32x4_splat(0), ione = wasm_i32x4_splat(1), vref = wasm_i32x4_splat(refSteps);
  int i = c0;
  const int c4 = c0 + ((c1 - c0) & ~3);
  for (; i < c4; i += 4) {
    const int k = b * N + i;
    v128_t x = wasm_v128_load(v + k);
    v128_t rl = wasm_v128_load(refLeft + k);
    v128_t inRef = wasm_i32x4_gt(rl, izero);
    v128_t cur = wasm_f32x4_add(wasm_f32x4_add(wasm_v128_load(ipsc + k), vbias), wasm_v128_load(e + i));
    v128_t u = wasm_f32x4_add(x, wasm_f32x4_mul(vkMem, wasm_f32x4_sub(cur, x)));
    x = wasm_v128_bitselect(x, u, inRef);
    rl = wasm_i32x4_sub(rl, wasm_v128_and(inRef, ione));
    if (noise) x = wasm_f32x4_add(x, wasm_v128_load(noise + (i - c0)));
    v128_t sp = wasm_f32x4_ge(x, vthr);
    wasm_v128_store(v + k, wasm_v128_bitselect(vreset, x, sp));
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
    float x = v[k];
    if (refLeft[k] > 0)
      refLeft[k]--;
    else
      x = x + kMem * ((ipsc[k] + bias + e[i]) - x);
    if (noise) x = x + noise[i - c0];
    if (x >= thr) {
      x = reset;
      refLeft[k] = refSteps;
      spiked[k] = 1;
      list[n++] = i;
    }
    v[k] = x;
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
  const float decayR = (float)a->decayR, dtS = (float)a->dtS;
  const float *restrict decayD = a->decayD;
  const float *restrict gain = a->gain;
  float *restrict ipsc = a->ipsc;
  float *restrict hh = a->h;
  float *restrict jd = a->jd;
  float *restrict rr = a->r;
  float *restrict hr = a->hr;
  unsigned char *restrict spiked = a->spiked;
  const v128_t vdecayR = wasm_f32x4_splat(decayR), vdtS = wasm_f32x4_splat(dtS);
  const v128_t izero = wasm_i32x4_splat(0), fzero = wasm_f32x4_splat(0.f);
  int i = 0;
  if (!spikes)
    for (; i < N4; i += 4) {
      const int k = o + i;
      v128_t dD = wasm_v128_load(decayD + i);
      v128_t vi = wasm_v128_load(ipsc + k), vh = wasm_v128_load(hh + k);
      v128_t vr = wasm_v128_load(rr + k), vhr = wasm_v128_load(hr + k);
      wasm_v128_store(ipsc + k, wasm_f32x4_add(wasm_f32x4_mul(vi, dD), wasm_f32x4_mul(vh, vdtS)));
      wasm_v128_store(hh + k, wasm_f32x4_add(wasm_f32x4_mul(vh, vdecayR), fzero));
      wasm_v128_store(rr + k, wasm_f32x4_add(wasm_f32x4_mul(vr, dD), wasm_f32x4_mul(vhr, vdtS)));
      wasm_v128_store(hr + k, wasm_f32x4_add(wasm_f32x4_mul(vhr, vdecayR), fzero));
    }
  for (; i < N4; i += 4) {
    const int k = o + i;
    v128_t dD = wasm_v128_load(decayD + i), g = wasm_v128_load(gain + i);
    v128_t vi = wasm_v128_load(ipsc + k), vh = wasm_v128_load(hh + k), vj = wasm_v128_load(jd + k);
    v128_t vr = wasm_v128_load(rr + k), vhr = wasm_v128_load(hr + k);
    v128_t sp = wasm_u32x4_extend_low_u16x8(wasm_u16x8_extend_low_u8x16(wasm_v128_load32_zero(spiked + k)));
    sp = wasm_i32x4_ne(sp, izero);
    wasm_v128_store(ipsc + k, wasm_f32x4_add(wasm_f32x4_mul(vi, dD), wasm_f32x4_mul(vh, vdtS)));
    wasm_v128_store(hh + k, wasm_f32x4_add(wasm_f32x4_mul(vh, vdecayR), wasm_f32x4_mul(vj, g)));
    wasm_v128_store(jd + k, fzero);
    wasm_v128_store(rr + k, wasm_f32x4_add(wasm_f32x4_mul(vr, dD), wasm_f32x4_mul(vhr, vdtS)));
    wasm_v128_store(hr + k, wasm_f32x4_add(wasm_f32x4_mul(vhr, vdecayR), wasm_v128_bitselect(g, fzero, sp)));
    wasm_v128_store32_lane(spiked + k, izero, 0);
  }
  for (; i < N; i++) {
    const int k = o + i;
    const float dD = decayD[i];
    ipsc[k] = ipsc[k] * dD + hh[k] * dtS;
    hh[k] = hh[k] * decayR + jd[k] * gain[i];
    jd[k] = 0.f;
    rr[k] = rr[k] * dD + hr[k] * dtS;
    hr[k] = hr[k] * decayR + (spiked[k] ? gain[i] : 0.f);
    spiked[k] = 0;
  }
}

/* Read-out of trials b0 … b0 + nb − 1 in rate step c: y = λ Σ_i w[q, i] r[b, i] (the order above) into the rate step's mean and envelopes. */
static void lif_readout(const lif_args *a, int b0, int nb, int c) {
  const int N = a->N, N4 = N & ~3, K = a->K;
  const float Sf = (float)a->stepsPerRateStep;
  for (int l = 0; l < nb; l++) {
    const int b = b0 + l;
    const float *restrict r0 = a->r + b * N;
    const float lam = lif_lambda(a, b);
    for (int q = 0; q < K; q++) {
      const float *restrict w = a->wOut + q * N;
      v128_t acc = wasm_f32x4_splat(0.f);
      int i = 0;
      for (; i < N4; i += 4) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(w + i), wasm_v128_load(r0 + i)));
      float y = (wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1)) +
                (wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3));
      for (; i < N; i++) y = y + w[i] * r0[i];
      y = y * lam;
      const int idx = (b * a->rateSteps + c) * K + q;
      a->outMean[idx] = a->outMean[idx] + y / Sf;
      if (y > a->outMax[idx]) a->outMax[idx] = y;
      if (y < a->outMin[idx]) a->outMin[idx] = y;
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
        /* a group of one or two trials (a thread's last) draws each trial's stream alone: four
         * lanes would cost more than the one-stream fill twice (measured, bench/README.md) */
        if (hasNoise && nb <= 2)
          for (int l = 0; l < nb; l++) normal1_f32(g + l, noise + l * LIF_CHUNK, c1 - c0, 0.0, a->noiseStd);
        else if (hasNoise)
          normal4_f32(g, noise, LIF_CHUNK, c1 - c0, a->noiseStd);
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
