/*
 * Work splitting for the kernels' threads. The host (src/kernels/host.ts, `parallelFor`) calls an
 * exported entry `void name(const void *args, int tid, int nth)` once on each of `nth` threads
 * that share this module's memory (tid 0 is the calling thread) and returns when all are done.
 * An entry takes its share of the work with par_range and must write only its own outputs.
 *
 * Results must not depend on `nth`: split only work whose every output element is computed the
 * same way whichever thread computes it (rows of a product, trials of a batch, units of a
 * reduction whose order stays fixed), never a sum across threads. `align` keeps the blocks the
 * single-threaded code would form (the GEMMs' 4-row register tiles): split at multiples of it.
 */
#ifndef WMKIT_PARALLEL_H
#define WMKIT_PARALLEL_H

/* Thread tid's share [*lo, *hi) of n items cut in blocks of `align`, as even as blocks allow. */
static inline void par_range(int n, int align, int tid, int nth, int *lo, int *hi) {
  int blocks = (n + align - 1) / align;
  int per = blocks / nth, extra = blocks % nth;
  int b0 = tid * per + (tid < extra ? tid : extra);
  int b1 = b0 + per + (tid < extra ? 1 : 0);
  int l = b0 * align, h = b1 * align;
  *lo = l < n ? l : n;
  *hi = h < n ? h : n;
}

#endif
