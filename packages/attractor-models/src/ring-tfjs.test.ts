import { initBackend, Rng } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { ringModel } from './params';
import { simulateRing } from './ring';
import { simulateRingTfjs } from './ring-tfjs';

// The rings on two engines: the wasm kernel and TensorFlow.js ops (tfjs cpu and wasm backends). With
// the same seed both draw the same noise, so short runs agree to float tolerance, with and
// without noise, for all three models.
beforeAll(async () => {
  await initBackend('cpu', { env: {} });
});

const small = { NE: 64, NI: 64 };

// Same-seed runs on both tfjs backends that ship with @wmkit/tensor (cpu; wasm: the bump ring only, CI time).
for (const backend of ['cpu', 'wasm'] as const) {
  describe(`ring attractors: kernels vs tfjs engine on the tfjs ${backend} backend`, () => {
    beforeAll(async () => {
      expect((await initBackend(backend, { env: {} })).name).toBe(backend);
    });

    for (const name of backend === 'cpu' ? (['bump', 'discrete', 'decaying'] as const) : (['bump'] as const)) {
      for (const noisy of [false, true]) {
        it(`${name}, ${noisy ? 'with the same noise draws' : 'no noise'}: same delay rates and decoded angles`, () => {
          const p = ringModel(name, { ...small, ...(noisy ? {} : { sigmaESqrtMs: 0, sigmaISqrtMs: 0 }) });
          const o = { trials: 4, delayMs: 200, recordEveryMs: 100 };
          const a = simulateRing(p, o, new Rng(5));
          const b = simulateRingTfjs(p, o, new Rng(5));
          expect(b.angles.shape).toEqual(a.angles.shape);
          const scale = Math.max(...Array.from(a.delayRates.data as Float32Array, Math.abs), 1e-6);
          let d = 0;
          for (let i = 0; i < a.delayRates.data.length; i++)
            d = Math.max(d, Math.abs((a.delayRates.data[i] as number) - (b.delayRates.data[i] as number)));
          expect(d / scale).toBeLessThan(1e-3);
          for (let i = 0; i < 4; i++) {
            const diff = Math.abs(
              Math.atan2(
                Math.sin((a.response[i] as number) - (b.response[i] as number)),
                Math.cos((a.response[i] as number) - (b.response[i] as number)),
              ),
            );
            expect(diff).toBeLessThan(1e-3);
          }
        }, 60_000);
      }
    }
  });
}

describe('ring attractors: kernels vs tfjs engine, parameters and recordings', () => {
  beforeAll(async () => {
    await initBackend('cpu', { env: {} });
  });

  it('both engines take the noise in √ms and the gate constants from the parameters (dt 1 ms, gate slope 1, threshold 3)', () => {
    const p = ringModel('decaying', { ...small, dtMs: 1, intrinsic: { gateSlope: 1, gateThreshold: 3 } } as never);
    const o = { trials: 3, delayMs: 200, recordEveryMs: 100 };
    const a = simulateRing(p, o, new Rng(6));
    const b = simulateRingTfjs(p, o, new Rng(6));
    const scale = Math.max(...Array.from(a.delayRates.data as Float32Array, Math.abs), 1e-6);
    let d = 0;
    for (let i = 0; i < a.delayRates.data.length; i++)
      d = Math.max(d, Math.abs((a.delayRates.data[i] as number) - (b.delayRates.data[i] as number)));
    expect(d / scale).toBeLessThan(1e-3);
  });

  it('recorded units (excluded from the read-out) and traces: the same as the kernel records', () => {
    const p = ringModel('bump', small);
    const B = 3;
    const units = Int32Array.from({ length: B * 2 }, (_, q) => (q * 11) % 64);
    const o = { trials: B, delayMs: 200, recordEveryMs: 100, recordUnits: { units, perTrial: 2 }, traceTrials: 2 };
    const a = simulateRing(p, o, new Rng(8));
    const b = simulateRingTfjs(p, o, new Rng(8));
    expect(b.unitRates?.shape).toEqual(a.unitRates?.shape);
    expect(b.traces?.shape).toEqual(a.traces?.shape);
    expect(maxRel(b.unitRates?.data as Float32Array, a.unitRates?.data as Float32Array)).toBeLessThan(1e-3);
    expect(maxRel(b.traces?.data as Float32Array, a.traces?.data as Float32Array)).toBeLessThan(1e-3);
    for (let i = 0; i < B; i++) expect(angleDiff(a.response[i] as number, b.response[i] as number)).toBeLessThan(1e-3);
    for (let i = 0; i < a.angles.data.length; i++)
      expect(angleDiff(a.angles.data[i] as number, b.angles.data[i] as number)).toBeLessThan(1e-3);
  }, 60_000);
});

function angleDiff(x: number, y: number): number {
  return Math.abs(Math.atan2(Math.sin(x - y), Math.cos(x - y)));
}

function maxRel(a: Float32Array, b: Float32Array): number {
  let scale = 1e-6;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d / scale;
}
