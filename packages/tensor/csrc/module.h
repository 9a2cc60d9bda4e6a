/*
 * What every wmkit WebAssembly module exports, whichever kernels it holds: where its heap starts,
 * the ziggurat tables of the Rng's normal generator (filled once from JavaScript), a normal fill
 * that continues an Rng's stream, and the optimisers. The host in src/kernels/host.ts relies on
 * these names. A module includes this header once, in its .c file.
 */
#ifndef WMKIT_MODULE_H
#define WMKIT_MODULE_H
#include "parallel.h"
#include "rng.h"

#define EXPORT __attribute__((visibility("default")))

/* Layout of an argument struct, checked field by field by the host (StructLayout.verify):
 * WMKIT_LAYOUT(prefix, type, FIELDS) exports prefix_size(), prefix_names() ("a,b,c") and
 * prefix_offsets() (one unsigned per field, in the names' order). */
#define WMKIT_NAME(f) #f ","
#define WMKIT_OFFSET(f) __builtin_offsetof(WMKIT_LAYOUT_TYPE, f),
#define WMKIT_LAYOUT(prefix, FIELDS)                                                   \
  EXPORT int prefix##_size(void) { return (int)sizeof(WMKIT_LAYOUT_TYPE); }           \
  static const char prefix##_names_[] = FIELDS(WMKIT_NAME);                           \
  static const unsigned prefix##_offsets_[] = {FIELDS(WMKIT_OFFSET)};                 \
  EXPORT const char *prefix##_names(void) { return prefix##_names_; }                 \
  EXPORT const unsigned *prefix##_offsets(void) { return prefix##_offsets_; }

/* the optimisers (after the macros above, which they use) */
#include "optim.h"

extern unsigned char __heap_base;
EXPORT unsigned int heap_base(void) { return (unsigned int)&__heap_base; }

/* Pointers to the ziggurat tables, filled once from JavaScript (src/ziggurat.ts). */
EXPORT uint32_t *zig_k_ptr(void) { return zig_k; }
EXPORT double *zig_w_ptr(void) { return zig_w; }
EXPORT double *zig_f_ptr(void) { return zig_f; }

/* Fills out[0..n) with N(mean, std²) exactly as Rng.fillNormal; state: 4 words, updated. */
EXPORT void fill_normal(xoshiro *state, float *out, int n, double mean, double std) {
#ifdef __wasm_simd128__
  normal1_f32(state, out, n, mean, std);
#else
  xoshiro g = *state;
  for (int i = 0; i < n; i++) out[i] = normal_f32(&g, mean, std);
  *state = g;
#endif
}

#endif
