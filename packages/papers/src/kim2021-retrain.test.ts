import { createRateRNN, eiRnnTask, evaluateRate, KIM_RATE_CONFIG, KIM_TRAIN_CONFIG } from '@wmkit/ei-rnn';
import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { kimRetrain } from './kim2021-analyses';

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('Kim 2021 Fig. 8: retraining with the recurrent weights frozen (experiment retrain)', () => {
  it('known answer: w, mask, sign, τ and bias unchanged byte for byte; input and read-out change; AFC accuracy rises', async () => {
    // a small E/I network (standing in for a trained DMS one) learns AFC through its input and read-out only
    const model = createRateRNN({ ...KIM_RATE_CONFIG, N: 24, balancedInit: true }, new Rng(5).fork('model'));
    const frozen = {
      w: model.w.slice(),
      mask: model.mask.slice(),
      sign: model.sign.slice(),
      tauRaw: model.tauRaw.slice(),
      bias: model.bias.slice(),
    };
    const wOut = model.wOut.slice();
    const task = eiRnnTask('afc');
    // the network as retraining starts: its new input weights are the same N(0, 1) draw kimRetrain makes
    const rng = new Rng(9);
    const start = { ...model, config: { ...model.config, nInputs: task.nInputs }, wIn: new Float32Array(24 * task.nInputs) };
    rng.fork('w-in').fillNormal(start.wIn);
    const before = evaluateRate(start, task, 200, new Rng(3), KIM_TRAIN_CONFIG.loss).score.accuracy;
    const r = await kimRetrain(model, 'afc', rng, { ...KIM_TRAIN_CONFIG, maxTrials: 800 });
    const m = r.model;
    for (const [k, v] of Object.entries(frozen)) expect(bytes(m[k as keyof typeof frozen]).equals(bytes(v)), k).toBe(true);
    // the original network is left as it was
    expect(bytes(model.wOut).equals(bytes(wOut))).toBe(true);
    expect(m.wIn).toHaveLength(24 * task.nInputs);
    expect(bytes(m.wIn).equals(bytes(start.wIn))).toBe(false);
    expect(bytes(m.wOut).equals(bytes(wOut))).toBe(false);
    const after = evaluateRate(m, task, 200, new Rng(3), KIM_TRAIN_CONFIG.loss).score.accuracy;
    // 200 trials: a chance-level 0.5 has SD 0.035, so a rise of 0.2 is far outside sampling error
    expect(after).toBeGreaterThan(before + 0.2);
    expect(r.rateAccuracy).toBeGreaterThan(0.8); // 0 before; the AFC network of this seed reaches 1.0 by trial 701
  });
});
