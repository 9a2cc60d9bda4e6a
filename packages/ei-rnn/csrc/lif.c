/*
 * A network of LIF neurons with double-exponential synapses (Kim et al. 2019's conversion),
 * B independent trials at once, advanced `steps` LIF steps per call. The JavaScript reference
 * is packages/ei-rnn/src/spiking.ts (simulateSpikingReference), which is tested against a
 * transcription of spikeRNN's LIF_network_fnc.m; the equations are documented there.
 *
 * Voltage noise comes from the Rng's own generator (rng.h), in the order trial-major, unit-minor,
 * one draw per neuron per step, exactly as the reference draws it.
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
  int B, N, K, steps, firstStep, stepsPerRateStep;
  const float *ext;    /* [B, N] drive this rate step */
  const float *WT;     /* [N, N] */
  const float *wOut;   /* [K, N] */
  const float *decayD; /* [N] */
  const float *gain;   /* [N] */
  double decayR, dtS, kMem, threshold, reset, bias, noiseStd, lambda;
  int refSteps;
  float *v, *ipsc, *h, *jd, *r, *hr;
  int *refLeft, *spikeList;
  unsigned char *spiked;
  float *outMean, *outMax, *outMin; /* [B, K] for this rate step */
  float *counts;                    /* [B, N, nBins] or 0 */
  int binSteps, nBins;
  int *raster; /* (trial, unit, step) triplets or 0 */
  int rasterTrials, rasterCap;
  int *rasterCount;
  float *spikesPerUnit; /* [N] */
  int dense;
} lif_args;

/*
 * Arithmetic mirrors the JavaScript reference: compound expressions in double, results stored
 * as float32, so both give bit-identical spikes and outputs (tested). The per-unit updates run
 * two units per f64x2 lane pair (wasm SIMD); element-wise IEEE operations give the same bits
 * as the scalar form, and every sum keeps the reference's order (the read-out sums run over
 * units in order, four trials side by side in the lanes).
 */
#define LIF_CHUNK 1024
static float lif_noise[LIF_CHUNK];

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
 * n draws of N(0, std²) into out, exactly as normal_f32(g, 0, std) one after the other; the
 * generator's state stays in locals (the rare slow path goes through normal_from).
 */
static void lif_fill_noise(xoshiro *g, float *restrict out, int n, double std) {
  uint32_t s0 = g->s0, s1 = g->s1, s2 = g->s2, s3 = g->s3;
  for (int q = 0; q < n; q++) {
    uint32_t r = s1 * 5u;
    uint32_t a = ((r << 7) | (r >> 25)) * 9u;
    uint32_t t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >> 21);
    uint32_t i = a & (ZIG_LAYERS - 1);
    uint32_t u24 = a >> 8;
    if (u24 < zig_k[i]) {
      out[q] = (float)(0.0 + std * ((double)u24 * zig_w[i]) * (1.0 - (double)((a >> 6) & 2u)));
    } else {
      xoshiro h = {s0, s1, s2, s3};
      out[q] = (float)(0.0 + std * normal_from(&h, a));
      s0 = h.s0, s1 = h.s1, s2 = h.s2, s3 = h.s3;
    }
  }
  g->s0 = s0, g->s1 = s1, g->s2 = s2, g->s3 = s3;
}

static int lif_run(const lif_args *a, xoshiro *g) {
  const int B = a->B, N = a->N, K = a->K, S = a->stepsPerRateStep, dense = a->dense;
  const double kMem = a->kMem, bias = a->bias, thr = a->threshold, reset = a->reset, noiseStd = a->noiseStd;
  const double decayR = a->decayR, dtS = a->dtS, lambda = a->lambda;
  const int refSteps = a->refSteps, binSteps = a->binSteps, nBins = a->nBins;
  const float *restrict WT = a->WT;
  const float *restrict wOut = a->wOut;
  const float *restrict decayD = a->decayD;
  const float *restrict gain = a->gain;
  const float *restrict ext = a->ext;
  float *restrict v = a->v;
  float *restrict ipsc = a->ipsc;
  float *restrict hh = a->h;
  float *restrict jd = a->jd;
  float *restrict rr = a->r;
  float *restrict hr = a->hr;
  int *restrict refLeft = a->refLeft;
  int *restrict spikeList = a->spikeList;
  unsigned char *restrict spiked = a->spiked;
  float *restrict spikesPerUnit = a->spikesPerUnit;
  const v128_t vkMem = wasm_f64x2_splat(kMem), vbias = wasm_f64x2_splat(bias), vthr = wasm_f64x2_splat(thr);
  const v128_t vreset = wasm_f64x2_splat(reset), vdecayR = wasm_f64x2_splat(decayR), vdtS = wasm_f64x2_splat(dtS);
  const v128_t izero = wasm_i32x4_splat(0), ione = wasm_i32x4_splat(1), vref = wasm_i32x4_splat(refSteps);
  const v128_t dzero = wasm_f64x2_splat(0.0);
  const int N4 = N & ~3;
  int total = 0;
  for (int s = 0; s < a->steps; s++) {
    const int step = a->firstStep + s;
    const int bin = binSteps ? step / binSteps : -1;
    int nSpk = 0;
    /* membrane update, threshold, reset; noise drawn trial-major, unit-minor */
    for (int b = 0; b < B; b++) {
      const float *restrict e = ext + b * N;
      for (int c0 = 0; c0 < N; c0 += LIF_CHUNK) {
        const int c1 = c0 + LIF_CHUNK < N ? c0 + LIF_CHUNK : N;
        if (noiseStd > 0) lif_fill_noise(g, lif_noise, c1 - c0, noiseStd);
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
          if (noiseStd > 0) {
            v128_t vn = wasm_v128_load(lif_noise + (i - c0));
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
            spikeList[nSpk++] = k + q;
          }
        }
        for (; i < c1; i++) {
          const int k = b * N + i;
          double x = v[k];
          if (refLeft[k] > 0)
            refLeft[k]--;
          else
            x += kMem * ((double)ipsc[k] + bias + (double)e[i] - x);
          if (noiseStd > 0) x += (double)lif_noise[i - c0];
          if (x >= thr) {
            x = reset;
            refLeft[k] = refSteps;
            spiked[k] = 1;
            spikeList[nSpk++] = k;
          }
          v[k] = (float)x;
        }
      }
    }
    if (dense) {
      for (int b = 0; b < B; b++)
        for (int j = 0; j < N; j++)
          if (spiked[b * N + j]) {
            const float *row = WT + j * N;
            float *d = jd + b * N;
            for (int i = 0; i < N; i++) d[i] += row[i];
          }
    }
    /* event-driven propagation: each spike adds its column of W_spk (spike order = reference order) */
    for (int q = 0; q < nSpk; q++) {
      const int k = spikeList[q];
      const int b = k / N, j = k - b * N;
      if (!dense) {
        const float *restrict row = WT + j * N;
        float *restrict d = jd + b * N;
        for (int i = 0; i < N; i++) d[i] += row[i];
      }
      spikesPerUnit[j] += 1.0f;
      if (a->counts && bin < nBins) a->counts[(b * N + j) * nBins + bin] += 1.0f;
      if (a->raster && b < a->rasterTrials && *a->rasterCount < a->rasterCap) {
        int c = (*a->rasterCount)++;
        a->raster[3 * c] = b;
        a->raster[3 * c + 1] = j;
        a->raster[3 * c + 2] = step;
      }
    }
    total += nSpk;
    /* synapses and filtered rates */
    for (int b = 0; b < B; b++) {
      const int o = b * N;
      int i = 0;
      for (; i < N4; i += 4) {
        const int k = o + i;
        v128_t dD = wasm_v128_load(decayD + i), gn = wasm_v128_load(gain + i);
        v128_t dDl = LO(dD), dDh = HI(dD), gl = LO(gn), gh = HI(gn);
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
        hh[k] = (float)((double)hh[k] * decayR + (double)jd[k] * (double)gain[i]);
        jd[k] = 0.f;
        rr[k] = (float)((double)rr[k] * dD + (double)hr[k] * dtS);
        hr[k] = (float)((double)hr[k] * decayR + (spiked[k] ? (double)gain[i] : 0.0));
        spiked[k] = 0;
      }
    }
    /* read-out: y = λ Σ_i w[q, i] r[b, i], summed over i in order; four trials at a time */
    for (int q = 0; q < K; q++) {
      const float *restrict w = wOut + q * N;
      int b = 0;
      for (; b + 4 <= B; b += 4) {
        const float *r0 = rr + b * N, *r1 = r0 + N, *r2 = r1 + N, *r3 = r2 + N;
        v128_t y01 = dzero, y23 = dzero;
        for (int i = 0; i < N; i++) {
          const v128_t wi = wasm_f64x2_splat((double)w[i]);
          y01 = wasm_f64x2_add(y01, wasm_f64x2_mul(wi, wasm_f64x2_make((double)r0[i], (double)r1[i])));
          y23 = wasm_f64x2_add(y23, wasm_f64x2_mul(wi, wasm_f64x2_make((double)r2[i], (double)r3[i])));
        }
        double ys[4] = {wasm_f64x2_extract_lane(y01, 0), wasm_f64x2_extract_lane(y01, 1), wasm_f64x2_extract_lane(y23, 0),
                        wasm_f64x2_extract_lane(y23, 1)};
        for (int l = 0; l < 4; l++) {
          const double y = ys[l] * lambda;
          const int idx = (b + l) * K + q;
          a->outMean[idx] = (float)((double)a->outMean[idx] + y / S);
          if (y > a->outMax[idx]) a->outMax[idx] = (float)y;
          if (y < a->outMin[idx]) a->outMin[idx] = (float)y;
        }
      }
      for (; b < B; b++) {
        const float *r0 = rr + b * N;
        double y = 0;
        for (int i = 0; i < N; i++) y += (double)w[i] * (double)r0[i];
        y *= lambda;
        const int idx = b * K + q;
        a->outMean[idx] = (float)((double)a->outMean[idx] + y / S);
        if (y > a->outMax[idx]) a->outMax[idx] = (float)y;
        if (y < a->outMin[idx]) a->outMin[idx] = (float)y;
      }
    }
  }
  return total;
}

/* ---- exports ---- */

EXPORT int lif_network_run(lif_args *args, xoshiro *state) {
  xoshiro g = *state;
  int n = lif_run(args, &g);
  *state = g;
  return n;
}

/* Argument layouts, checked field by field against the TypeScript binding. */
#define LIF_FIELDS(X) \
  X(B) X(N) X(K) X(steps) X(firstStep) X(stepsPerRateStep) X(ext) X(WT) X(wOut) X(decayD) X(gain) \
  X(decayR) X(dtS) X(kMem) X(threshold) X(reset) X(bias) X(noiseStd) X(lambda) X(refSteps) X(v) \
  X(ipsc) X(h) X(jd) X(r) X(hr) X(refLeft) X(spikeList) X(spiked) X(outMean) X(outMax) X(outMin) \
  X(counts) X(binSteps) X(nBins) X(raster) X(rasterTrials) X(rasterCap) X(rasterCount) \
  X(spikesPerUnit) X(dense)
#define WMKIT_LAYOUT_TYPE lif_args
WMKIT_LAYOUT(lif_args, LIF_FIELDS)
#undef WMKIT_LAYOUT_TYPE
