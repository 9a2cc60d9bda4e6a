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
 * as float32, so both give bit-identical spikes and outputs (tested).
 */
static int lif_run(const lif_args *a, xoshiro *g) {
  const int B = a->B, N = a->N, K = a->K;
  int total = 0;
  for (int s = 0; s < a->steps; s++) {
    const int step = a->firstStep + s;
    const int bin = a->binSteps ? step / a->binSteps : -1;
    int nSpk = 0;
    for (int b = 0; b < B; b++) {
      const float *e = a->ext + b * N;
      for (int i = 0; i < N; i++) {
        const int k = b * N + i;
        double x = a->v[k];
        if (a->refLeft[k] > 0)
          a->refLeft[k]--;
        else
          x += a->kMem * ((double)a->ipsc[k] + a->bias + (double)e[i] - x);
        if (a->noiseStd > 0) x += (double)normal_f32(g, 0.0, a->noiseStd);
        if (x >= a->threshold) {
          x = a->reset;
          a->refLeft[k] = a->refSteps;
          a->spiked[k] = 1;
          a->spikeList[nSpk++] = k;
        }
        a->v[k] = (float)x;
      }
    }
    if (a->dense) {
      for (int b = 0; b < B; b++)
        for (int j = 0; j < N; j++)
          if (a->spiked[b * N + j]) {
            const float *row = a->WT + j * N;
            float *d = a->jd + b * N;
            for (int i = 0; i < N; i++) d[i] += row[i];
          }
    }
    for (int q = 0; q < nSpk; q++) {
      const int k = a->spikeList[q];
      const int b = k / N, j = k - b * N;
      if (!a->dense) {
        const float *row = a->WT + j * N;
        float *d = a->jd + b * N;
        for (int i = 0; i < N; i++) d[i] += row[i];
      }
      a->spikesPerUnit[j] += 1.0f;
      if (a->counts && bin < a->nBins) a->counts[(b * N + j) * a->nBins + bin] += 1.0f;
      if (a->raster && b < a->rasterTrials && *a->rasterCount < a->rasterCap) {
        int c = (*a->rasterCount)++;
        a->raster[3 * c] = b;
        a->raster[3 * c + 1] = j;
        a->raster[3 * c + 2] = step;
      }
    }
    total += nSpk;
    for (int b = 0; b < B; b++) {
      const int o = b * N;
      for (int i = 0; i < N; i++) {
        const int k = o + i;
        const double dD = a->decayD[i];
        a->ipsc[k] = (float)((double)a->ipsc[k] * dD + (double)a->h[k] * a->dtS);
        a->h[k] = (float)((double)a->h[k] * a->decayR + (double)a->jd[k] * (double)a->gain[i]);
        a->jd[k] = 0.f;
        a->r[k] = (float)((double)a->r[k] * dD + (double)a->hr[k] * a->dtS);
        a->hr[k] = (float)((double)a->hr[k] * a->decayR + (a->spiked[k] ? (double)a->gain[i] : 0.0));
        a->spiked[k] = 0;
      }
      for (int q = 0; q < K; q++) {
        const float *w = a->wOut + q * N;
        double y = 0;
        for (int i = 0; i < N; i++) y += (double)w[i] * (double)a->r[o + i];
        y *= a->lambda;
        const int idx = b * K + q;
        a->outMean[idx] = (float)((double)a->outMean[idx] + y / a->stepsPerRateStep);
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
