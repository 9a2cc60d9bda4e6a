import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type MatNumeric, type MatValue, readMat, writeMat } from '@wmkit/data-io';
import { dmsTask } from '@wmkit/tasks';
import { initBackend, initKernels, Rng } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { KIM_TRAIN_CONFIG } from './config';
import { rateRnnFromKimMat, rateRnnToKimMat } from './kim-mat';
import { effectiveWeights } from './rate-rnn';
import { evaluateSpiking } from './scale-search';
import { toSpiking } from './spiking';
import { evaluateRate } from './trainer';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'kim_dms_model.mat');

beforeAll(async () => {
  await initBackend('cpu');
  await initKernels();
});

describe('Kim & Sejnowski .mat models (test/fixtures/make_kim_mat.py, scipy.io.savemat)', () => {
  const vars = readMat(readFileSync(file), 'kim_dms_model.mat').variables;

  it('loads into a RateRNN with the conventions of the released files (W_eff = w @ m ⊙ som_m)', () => {
    const { model, inverseScale, info } = rateRnnFromKimMat(vars, 'kim_dms_model.mat');
    expect(model.config).toMatchObject({
      N: 200,
      nInputs: 2,
      nOutputs: 1,
      transfer: 'sigmoid',
      tau: { kind: 'trainable', minSteps: 4, maxSteps: 25 },
    });
    expect(inverseScale).toBe(20);
    expect(info.N).toBe(200);
    const N = 200;
    const W = effectiveWeights(model);
    const w = vars.w as { data: Float64Array };
    const m = vars.m as { data: Float64Array };
    for (const [i, j] of [
      [0, 1],
      [5, 199],
      [170, 3],
      [199, 199],
    ])
      expect(W[i * N + j]).toBeCloseTo(w.data[i * N + j] * m.data[j * N + j], 6);
  });

  it('runs as a rate network and as the converted spiking network: DMS accuracy ≥ 0.9', () => {
    const { model, inverseScale } = rateRnnFromKimMat(vars, 'kim_dms_model.mat');
    const task = dmsTask({ variant: 'short' });
    // the network was trained to 100 % (rate) and converted at 1/λ = 20 with 100 % (spiking);
    // with 100 rate and 20 spiking trials, accuracy < 0.9 would be a > 3-SE failure even at p = 0.97
    const rate = evaluateRate(model, task, 100, new Rng(1), KIM_TRAIN_CONFIG.loss);
    expect(rate.score.accuracy).toBeGreaterThanOrEqual(0.9);
    const spk = evaluateSpiking(toSpiking(model, { scale: 1 / (inverseScale ?? 20) }), task, 20, new Rng(2));
    expect(spk.accuracy).toBeGreaterThanOrEqual(0.85);
  });

  it('a missing or misshapen field is an error naming the field and the file', () => {
    const { w_out: _drop, ...noOut } = vars;
    expect(() => rateRnnFromKimMat(noOut, 'm.mat')).toThrow(/m.mat: missing field 'w_out' \(a Kim & Sejnowski model needs w, m, som_m/);
    const bad = { ...vars, som_m: { kind: 'numeric' as const, class: 'double' as const, shape: [2, 2], data: new Float64Array(4) } };
    expect(() => rateRnnFromKimMat(bad, 'm.mat')).toThrow(/m.mat: field 'som_m' has size 2×2, expected 200×200/);
    const notDiag = {
      ...vars,
      m: { kind: 'numeric' as const, class: 'double' as const, shape: [200, 200], data: new Float64Array(40000) },
    };
    expect(() => rateRnnFromKimMat(notDiag, 'm.mat')).toThrow(/field 'm' must be diagonal ±1/);
  });

  it('round trip: RateRNN → Kim fields → .mat → RateRNN', () => {
    const { model } = rateRnnFromKimMat(vars, 'kim_dms_model.mat');
    const back = rateRnnFromKimMat(readMat(writeMat(rateRnnToKimMat(model)), 'rt.mat').variables, 'rt.mat').model;
    expect(effectiveWeights(back)).toEqual(effectiveWeights(model));
    expect(back.tauRaw).toEqual(model.tauRaw);
    expect(back.wOut).toEqual(model.wOut);
  });

  it('NaN or infinite numbers in a model are refused with the file, the field and its first bad element (MATLAB indices)', () => {
    // a copy of the variables with one value of one numeric field replaced
    const withValue = (field: string, index: number, value: number): Record<string, MatValue> => {
      const v = vars[field] as MatNumeric;
      const data = Float64Array.from(v.data as Float64Array);
      data[index] = value;
      return { ...vars, [field]: { ...v, data } };
    };
    // row-major [1, 4] = MATLAB w(2,5)
    expect(() => rateRnnFromKimMat(withValue('w', 1 * 200 + 4, Number.NaN), 'bad.mat')).toThrow(
      "bad.mat: field 'w': w(2,5) is NaN (expected finite values)",
    );
    expect(() => rateRnnFromKimMat(withValue('w_out', 7, Number.POSITIVE_INFINITY), 'bad.mat')).toThrow(
      "bad.mat: field 'w_out': w_out(1,8) is Infinity",
    );
  });
});
