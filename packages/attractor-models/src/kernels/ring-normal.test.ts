import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { ringKernels } from './ring-kernel';

/**
 * The ring's four-lane normal generator (normal4_f32 of rng.h for std = 1, as csrc/ring.c calls
 * it: four streams in SIMD lanes, their slow paths resolved outside the copy loop) against `Rng.fillNormal`, lane by
 * lane: every value and every final generator state, bit for bit.
 */
describe("the ring's four-lane normal generator repeats Rng.fillNormal lane by lane", () => {
  it('values and final states, over calls of every size, slow paths, chunk ends and tail included', () => {
    const k = ringKernels();
    const ex = (k as unknown as { exports: { ring_fill_normal4(g: number, out: number, stride: number, n: number): void } }).exports;
    const stride = 4100;
    k.scope(() => {
      const state = k.buffer(16);
      const out = k.buffer(4 * stride);
      // four trials' generators, as the kernels fork them
      const js = [0, 1, 2, 3].map((b) => new Rng('ring-normal4').fork(`trial${b}`));
      for (let l = 0; l < 4; l++) state.viewU32().set(js[l].getState(), 4 * l);
      let diff = 0;
      let tail = 0;
      let draws = 0;
      // sizes below, at and above the SIMD blocks (4), a miss word (64) and the chunk (256); the
      // ring's N + 1 = 513; then enough calls of 4,097 for ~100 tail draws per lane
      const sizes = [1, 3, 4, 5, 63, 64, 65, 200, 255, 256, 257, 513, 1000, 1024, 999, 7, 600, 513, 514, 515, 516];
      for (let r = 0; r < 40; r++) sizes.push(4097);
      for (const n of sizes) {
        ex.ring_fill_normal4(state.ptr, out.ptr, stride, n);
        const got = out.view();
        for (let l = 0; l < 4; l++) {
          const want = js[l].fillNormal(new Float32Array(n), 0, 1);
          for (let j = 0; j < n; j++) {
            if (!Object.is(got[l * stride + j], want[j])) diff++;
            if (Math.abs(want[j]) > 3.442619855899) tail++;
          }
        }
        draws += n;
      }
      expect(diff).toBe(0);
      const end = state.viewU32();
      for (let l = 0; l < 4; l++) expect(Array.from(end.subarray(4 * l, 4 * l + 4))).toEqual(Array.from(js[l].getState()));
      // P(|z| > R) ≈ 5.8e-4 per value
      expect(tail).toBeGreaterThan(4 * draws * 2e-4);
    });
  });
});
