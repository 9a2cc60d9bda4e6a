/*
 * Optimisers applied in place to float32 parameter buffers, with torch.optim's arithmetic so that
 * a training loop in the kernels takes the same steps as the same loop in PyTorch.
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

#endif
