/**
 * The kernels' four-lane normal generator (normal4_f32 in csrc/rng.h, used by the LIF network and
 * the ring attractors) against `Rng.fillNormal`, and the wedge shortcut of its slow path against
 * det_exp. The module is instantiated directly (no host) so the exported test entries can be called.
 */
import { describe, expect, it } from 'vitest';
import { KERNELS_WASM_BASE64 } from './kernels/wasm-binary';
import { Rng } from './rng';
import { ZIG_LAYERS, zigF, zigK, zigW } from './ziggurat';

interface RngExports {
  heap_base(): number;
  zig_k_ptr(): number;
  zig_w_ptr(): number;
  zig_f_ptr(): number;
  fill_normal4(state: number, out: number, stride: number, n: number, std: number): void;
  zig_wedge_check(layer: number, step: number): number;
}

function instantiate(): { ex: RngExports; memory: WebAssembly.Memory; heap: number } {
  const memory = new WebAssembly.Memory({ initial: 64 });
  const module = new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
  const ex = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as RngExports;
  new Uint32Array(memory.buffer, ex.zig_k_ptr(), ZIG_LAYERS).set(zigK);
  new Float64Array(memory.buffer, ex.zig_w_ptr(), ZIG_LAYERS).set(zigW);
  new Float64Array(memory.buffer, ex.zig_f_ptr(), ZIG_LAYERS).set(zigF);
  return { ex, memory, heap: (ex.heap_base() + 15) & ~15 };
}

describe('the four-lane normal generator repeats Rng.fillNormal lane by lane', () => {
  it('values and final states, bit for bit, over calls of every size, slow paths and tail included', () => {
    const { ex, memory, heap } = instantiate();
    const stride = 1024;
    const statePtr = heap;
    const outPtr = heap + 64;
    for (const std of [0.37, 1, 0]) {
      // four trials' generators, as the kernels fork them
      const js = [0, 1, 2, 3].map((b) => new Rng(`simd-${std}`).fork(`trial${b}`));
      const state = new Uint32Array(memory.buffer, statePtr, 16);
      for (let l = 0; l < 4; l++) state.set(js[l].getState(), 4 * l);
      let diff = 0;
      let tail = 0;
      // sizes below, at and above the SIMD blocks (4) and the buffer (256)
      for (const n of [1, 3, 4, 5, 200, 256, 257, 1000, 1024, 999, 7, 600]) {
        ex.fill_normal4(statePtr, outPtr, stride, n, std);
        const out = new Float32Array(memory.buffer, outPtr, 4 * stride);
        for (let l = 0; l < 4; l++) {
          const want = js[l].fillNormal(new Float32Array(n), 0, std);
          for (let j = 0; j < n; j++) {
            if (!Object.is(out[l * stride + j], want[j])) diff++;
            if (Math.abs(want[j]) > 3.442619855899 * std) tail++;
          }
        }
      }
      expect(diff).toBe(0);
      const end = new Uint32Array(memory.buffer, statePtr, 16);
      for (let l = 0; l < 4; l++) expect(Array.from(end.subarray(4 * l, 4 * l + 4))).toEqual(Array.from(js[l].getState()));
      // 4 × 4,356 draws: ~2.7% of first draws take a wedge, P(|z| > R) ≈ 5.8e-4 → ~10 in the tail
      if (std > 0) expect(tail).toBeGreaterThan(0);
    }
  });

  it('the wedge shortcut gives det_exp’s answer: its bounds hold at sampled positions of every layer', () => {
    const { ex } = instantiate();
    let bad = 0;
    // every layer's first wedge position, its last, and every 1,021st in between (~57,000 positions)
    for (let layer = 1; layer < ZIG_LAYERS; layer++) bad += ex.zig_wedge_check(layer, 1021);
    expect(bad).toBe(0);
  });
});
