/*
 * Optimisers applied in place to float32 parameter buffers, with torch.optim's arithmetic so that
 * a training loop in the kernels takes the same steps as the same loop in PyTorch. Every module
 * carries them (module.h includes this header after its EXPORT and WMKIT_LAYOUT macros): the
 * host's `sgdStep`/`adamwStep` (src/kernels/host.ts) call `par_optim`, which splits the elements
 * across the kernel threads in blocks of 16; each element is updated by the same arithmetic on
 * whichever thread, so the result is the same on any number of threads.
 */
#ifndef WMKIT_OPTIM_H
#define WMKIT_OPTIM_H

/* SGD with momentum and dampening (torch.optim.SGD), weight decay added to the gradient. */
static void sgd_step(long n, float *W, const float *g, float *buf, float lr, float momentum, float dampening, float wd,
                     int first) {
  for (long q = 0; q < n; q++) {
    float d = g[q] + wd * W[q];
    if (momentum != 0.f) {
      float b = first ? d : momentum * buf[q] + (1.f - dampening) * d;
      buf[q] = b;
      d = b;
    }
    W[q] = W[q] - lr * d;
  }
}

/* AdamW (torch.optim.AdamW): decoupled weight decay, bias-corrected moments. */
static void adamw_step(long n, float *W, const float *g, float *m1, float *m2, float lr, float b1, float b2, float eps,
                       float wd, float bc1, float bc2sqrt) {
  for (long q = 0; q < n; q++) {
    float w = W[q] * (1.f - lr * wd);
    float a = b1 * m1[q] + (1.f - b1) * g[q];
    float v = b2 * m2[q] + (1.f - b2) * g[q] * g[q];
    m1[q] = a;
    m2[q] = v;
    W[q] = w - lr * (a / bc1) / (__builtin_sqrtf(v) / bc2sqrt + eps);
  }
}

/* One optimiser step on n weights; the constants are rounded to float32 as the steps use them. */
typedef struct {
  int op; /* 0 SGD (m1: momentum buffer), 1 AdamW (m1, m2: moments) */
  int n;
  int first; /* SGD: the first step (the buffer starts at the gradient) */
  float *W;
  const float *g;
  float *m1, *m2;
  double lr, momentum, dampening, wd, b1, b2, eps, bc1, bc2sqrt;
} optim_args;

/* The step on thread tid's share of the elements (blocks of 16, par_range). */
EXPORT void par_optim(const optim_args *a, int tid, int nth) {
  int lo, hi;
  par_range(a->n, 16, tid, nth, &lo, &hi);
  if (hi <= lo) return;
  if (a->op == 0)
    sgd_step(hi - lo, a->W + lo, a->g + lo, a->m1 + lo, (float)a->lr, (float)a->momentum, (float)a->dampening, (float)a->wd,
             a->first);
  else
    adamw_step(hi - lo, a->W + lo, a->g + lo, a->m1 + lo, a->m2 + lo, (float)a->lr, (float)a->b1, (float)a->b2, (float)a->eps,
               (float)a->wd, (float)a->bc1, (float)a->bc2sqrt);
}

#define OPTIM_FIELDS(X) \
  X(op) X(n) X(first) X(W) X(g) X(m1) X(m2) X(lr) X(momentum) X(dampening) X(wd) X(b1) X(b2) X(eps) X(bc1) X(bc2sqrt)
#define WMKIT_LAYOUT_TYPE optim_args
WMKIT_LAYOUT(optim_args, OPTIM_FIELDS)
#undef WMKIT_LAYOUT_TYPE

#endif
