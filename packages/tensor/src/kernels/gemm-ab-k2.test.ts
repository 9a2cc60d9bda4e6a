import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { Kernels } from './index';
import { KERNELS_WASM_BASE64 } from './wasm-binary';

const bytes = (b64: string) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));

/** gemm_ab's arithmetic (csrc/gemm.h) in float32: C from 0 (or C), + x·b per k in order, k skipped where gemm_ab skips it. */
function gemmAbReference(
  M: number,
  K: number,
  P: number,
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
  accumulate: boolean,
): Float32Array {
  const c = accumulate ? C.slice() : new Float32Array(M * P);
  const f = Math.fround;
  const M4 = M - (M % 4);
  for (let m = 0; m < M; m++)
    for (let k = 0; k < K; k++) {
      const block = m < M4 ? m - (m % 4) : -1;
      const skip = block >= 0 ? [0, 1, 2, 3].every((r) => A[(block + r) * K + k] === 0) : A[m * K + k] === 0;
      if (skip) continue;
      for (let p = 0; p < P; p++) c[m * P + p] = f(c[m * P + p] + f(A[m * K + k] * B[k * P + p]));
    }
  return c;
}

describe('matmulAB with an inner dimension of 2 (gemm_ab_k2)', () => {
  it("gives gemm_ab's bits: zeros skipped by 4-row blocks and single rows, -0, accumulate", () => {
    const k = new Kernels(new WebAssembly.Module(bytes(KERNELS_WASM_BASE64)));
    const rng = new Rng(9);
    for (const [M, P, acc] of [
      [37, 10, false],
      [64, 100, true],
      [9, 3, false],
      [130, 33, true],
    ] as const) {
      const A = rng.normal(M * 2).map((x, i) => (Math.floor(i / 8) % 3 === 1 ? 0 : i % 5 === 0 ? 0 : i % 13 === 0 ? -0 : x));
      const B = rng.normal(2 * P).map((x, i) => (i % 11 === 0 ? -0 : x));
      const C0 = rng.normal(M * P).map((x, i) => (i % 7 === 0 ? -0 : x));
      const want = gemmAbReference(M, 2, P, A, B, C0, acc);
      const got = k.scope(() => {
        const C = k.from(C0);
        k.matmulAB(M, 2, P, k.from(A), k.from(B), C, acc);
        return C.copy();
      });
      expect(new Uint8Array(got.buffer)).toEqual(new Uint8Array(want.buffer));
    }
  });
});
