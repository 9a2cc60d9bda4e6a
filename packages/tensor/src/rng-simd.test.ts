/**
 * The kernels' four-lane normal generator (normal4_f32 in csrc/rng.h, used by the ring attractors
 * and the LIF network) and their single-stream fill (fill_normal:
 * normal1_f32, four fast paths at once) against `Rng.fillNormal`, and the wedge shortcut of the slow path against
 * det_exp. The module is instantiated directly (no host) so the exported test entries can be called.
 */
import { describe, expect, it } from 'vitest';
import { runtimeHasRelaxedSimd } from './kernels/features';
import {
  KERNELS_WASM_BASE64,
  KERNELS_WASM_RELAXED_BASE64,
  KERNELS_WASM_RELAXED_THREADS_BASE64,
  KERNELS_WASM_THREADS_BASE64,
} from './kernels/wasm-binary';
import { Rng } from './rng';
import { ZIG_LAYERS, zigF, zigK, zigW } from './ziggurat';

interface RngExports {
  heap_base(): number;
  zig_k_ptr(): number;
  zig_w_ptr(): number;
  zig_f_ptr(): number;
  fill_normal4(state: number, out: number, stride: number, n: number, std: number): void;
  fill_normal(state: number, out: number, n: number, mean: number, std: number): void;
  zig_wedge_check(layer: number, step: number): number;
}

function instantiate(binary = KERNELS_WASM_BASE64, shared = false): { ex: RngExports; memory: WebAssembly.Memory; heap: number } {
  const memory = new WebAssembly.Memory(shared ? { initial: 64, maximum: 65536, shared: true } : { initial: 64 });
  const module = new WebAssembly.Module(Buffer.from(binary, 'base64'));
  const ex = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as RngExports;
  new Uint32Array(memory.buffer, ex.zig_k_ptr(), ZIG_LAYERS).set(zigK);
  new Float64Array(memory.buffer, ex.zig_w_ptr(), ZIG_LAYERS).set(zigW);
  new Float64Array(memory.buffer, ex.zig_f_ptr(), ZIG_LAYERS).set(zigF);
  return { ex, memory, heap: (ex.heap_base() + 15) & ~15 };
}

describe('the four-lane normal generators repeat Rng.fillNormal lane by lane', () => {
  it.each(['fill_normal4'] as const)(
    '%s: values and final states, bit for bit, over calls of every size, slow paths and tail included',
    (fill) => {
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
          ex[fill](statePtr, outPtr, stride, n, std);
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
    },
  );

  it('the wedge shortcut gives det_exp’s answer: its bounds hold at sampled positions of every layer', () => {
    const { ex } = instantiate();
    let bad = 0;
    // every layer's first wedge position, its last, and every 1,021st in between (~57,000 positions)
    for (let layer = 1; layer < ZIG_LAYERS; layer++) bad += ex.zig_wedge_check(layer, 1021);
    expect(bad).toBe(0);
  });
});

describe('the single-stream normal fill (fill_normal) repeats Rng.fillNormal', () => {
  /** Fills n values from `js`'s state in wasm and from `js` itself; counts differing values and checks the end state. */
  function compare(
    ex: RngExports,
    memory: WebAssembly.Memory,
    heap: number,
    js: Rng,
    sizes: number[],
    mean: number,
    std: number,
  ): { diff: number; tail: number; wedge: number } {
    const statePtr = heap;
    const outPtr = heap + 64;
    new Uint32Array(memory.buffer, statePtr, 4).set(js.getState());
    let diff = 0;
    let tail = 0;
    let wedge = 0;
    for (const n of sizes) {
      const out = new Float32Array(memory.buffer, outPtr, n);
      out.fill(12345); // values left unwritten show up as differences
      ex.fill_normal(statePtr, outPtr, n, mean, std);
      const want = js.fillNormal(new Float32Array(n), mean, std);
      for (let j = 0; j < n; j++) {
        if (!Object.is(out[j], want[j])) diff++;
        const z = Math.abs((want[j] - mean) / std);
        if (z > 3.442619855899) tail++;
        else if (z > 0.2 && z < 3.4) wedge++; // (a loose count: the draws below the tail)
      }
      expect(Array.from(new Uint32Array(memory.buffer, statePtr, 4))).toEqual(Array.from(js.getState()));
    }
    return { diff, tail, wedge };
  }

  // every form of tensor's module (the relaxed ones are built by clang 19, the others by clang 14)
  const forms = [
    ['single', KERNELS_WASM_BASE64, false],
    ['threads', KERNELS_WASM_THREADS_BASE64, true],
    ['relaxed', KERNELS_WASM_RELAXED_BASE64, false],
    ['relaxed-threads', KERNELS_WASM_RELAXED_THREADS_BASE64, true],
  ] as const;
  runtimeHasRelaxedSimd(); // (in Node 20 and 21: turns V8's relaxed-SIMD flag on, as the kernels do)
  const runnable = forms.filter(([, b]) => WebAssembly.validate(Buffer.from(b, 'base64')));
  it('runs on the relaxed forms too where the runtime has relaxed SIMD', () => {
    expect(runnable.length).toBe(runtimeHasRelaxedSimd() ? 4 : 2);
  });

  it.each(runnable)('values and end state, bit for bit, for many seeds, sizes, means and stds (%s)', (_, binary, shared) => {
    const { ex, memory, heap } = instantiate(binary, shared);
    // sizes below, at and around the groups of four, in sequence on one stream
    const sizes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 31, 32, 33, 100, 255, 256, 257, 1000, 1023];
    const params: [number, number][] = [
      [0, 1],
      [0, 0.37],
      [0.25, 1],
      [-3.5, 0.01],
      [1e6, 7.5],
      [1e-30, 1e-30],
      [0, 0],
      [2, -1.5],
      [-0, 1],
      [-0, -2],
      [0, 1e300],
      [1e308, 1e300],
      [0, 5e-324],
      [0, Number.POSITIVE_INFINITY],
      [Number.NaN, 1],
      [Number.NEGATIVE_INFINITY, 1],
      [0, Number.NaN],
    ];
    let tail = 0;
    for (const [mean, std] of params) {
      for (let seed = 0; seed < 12; seed++) {
        const r = compare(ex, memory, heap, new Rng(`fill-${seed}`).fork(`m${mean}s${std}`), sizes, mean, std);
        expect(r.diff, `seed ${seed}, mean ${mean}, std ${std}`).toBe(0);
        if (mean === 0 && std === 1) tail += r.tail;
      }
    }
    // 12 × 3,136 draws, P(|z| > R) ≈ 5.8e-4: ~20 in the tail
    expect(tail).toBeGreaterThan(0);
  });

  it.each(runnable)('long fills (many tail and wedge slow paths, rejections included) and mixed call sizes (%s)', (_, binary, shared) => {
    const { ex, memory, heap } = instantiate(binary, shared);
    let tail = 0;
    for (const [mean, std] of [
      [0, 1],
      [0.5, 0.2],
    ] as [number, number][]) {
      for (let seed = 0; seed < 3; seed++) {
        const js = new Rng(seed + 101);
        js.fillNormal(new Float32Array(seed)); // start at different phases of the groups
        const r = compare(ex, memory, heap, js, [200_000, 3, 65_537, 1, 131_071], mean, std);
        expect(r.diff, `seed ${seed}, mean ${mean}, std ${std}`).toBe(0);
        tail += r.tail;
      }
    }
    // 6 × 396,612 draws: ~1,400 in the tail
    expect(tail).toBeGreaterThan(500);
  });
});
