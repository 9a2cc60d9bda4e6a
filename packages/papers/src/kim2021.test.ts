import { createRateRNN, EI_RNN_PRESETS } from '@wmkit/ei-rnn';
import { initBackend, Rng } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  convertKimModel,
  type KimModelDone,
  type KimModelJob,
  type KimProtocol,
  type KimRecipe,
  type KimScaleSummary,
  kim2021,
  kim2021Model,
  scaleSynapsesExperiment,
  trainKimModel,
} from './kim2021';
import { kim2021Parallel } from './node/kim2021';

beforeAll(async () => {
  await initBackend('cpu', { env: {} });
});

// A tiny network and short budgets: these test the wiring (streams, reuse, pairing), not the paper's numbers.
const preset = EI_RNN_PRESETS['kim2021.dms'];
if (!preset) throw new Error('preset kim2021.dms missing');
const recipe: KimRecipe = {
  preset: preset.name,
  departures: preset.departures,
  model: { ...preset.model, N: 20 },
  train: { ...preset.train, maxTrials: 30, evalEvery: 10, evalTrials: 4 },
  taskVariant: 'short',
};
const protocol: KimProtocol = { trials: 2, timescaleTrials: 4, grid: [20, 40], block: 'ii', factors: [0.7, 1.3] };

describe('Kim & Sejnowski 2021 steps', () => {
  it('kim2021Model runs train → convert → both scalings, equal to the steps run one by one', async () => {
    const job: KimModelJob = { seed: 5, recipe, protocol, trained: null, inverseScale: null, factors: [0.7, 1.3] };
    const w = await kim2021Model(job);
    expect(w.failure).toBeNull();
    const t = await trainKimModel({ recipe, seed: 5 });
    expect(w.train?.model.w).toEqual(t.model.w);
    expect(w.train?.summary).toEqual({ ...t.summary, trainSeconds: w.train?.summary.trainSeconds });
    expect(t.history.map((e) => e.trial)).toEqual([1, 11, 21]);
    const c = convertKimModel(t.model, { seed: 5, trials: 2, longTrials: 2, grid: [20, 40] });
    expect(w.lif?.summary).toEqual({ ...c.summary, searchSeconds: w.lif?.summary.searchSeconds });
    expect(w.lif?.wSpk.shape).toEqual([20, 20]);
    const inv = c.summary.bestInverseScale;
    for (const f of [0.7, 1.3]) {
      const s = scaleSynapsesExperiment(t.model, { seed: 5, block: 'ii', factor: f, inverseScale: inv, trials: 2, timescaleTrials: 4 });
      expect(w.scaled.find((x) => x.factor === f)?.result.summary).toEqual(s.summary);
    }
  });

  it('a step that fails ends the job with the step named and keeps what came before', async () => {
    const model = createRateRNN(recipe.model, new Rng(1));
    const w = await kim2021Model({
      seed: 1,
      recipe,
      protocol: { ...protocol, timescaleTrials: 2 },
      trained: model,
      inverseScale: null,
      factors: [0.7, 1.3],
    });
    expect(w.train).toBeNull();
    expect(w.lif?.summary.bestInverseScale).toBeGreaterThan(0);
    expect(w.scaled).toEqual([]);
    expect(w.failure).toEqual({ step: 'I→I × 0.7', message: expect.stringMatching(/2 trials are too few/) });
  });

  it('the baseline of a scaling experiment is the same network whatever the factor (paired measurement)', async () => {
    const t = await trainKimModel({ recipe, seed: 2 });
    const o = { seed: 2, block: 'ii' as const, inverseScale: 30, trials: 2, timescaleTrials: 4 };
    const a = scaleSynapsesExperiment(t.model, { ...o, factor: 0.7 });
    const b = scaleSynapsesExperiment(t.model, { ...o, factor: 1.3 });
    expect(a.summary.baseline).toEqual(b.summary.baseline);
    // factor 1 changes nothing
    const one = scaleSynapsesExperiment(t.model, { ...o, factor: 1 });
    expect(one.summary.scaled).toEqual(one.summary.baseline);
    expect(() => scaleSynapsesExperiment(t.model, { ...o, factor: -1 })).toThrow(/factor must be ≥ 0/);
  });
});

/** A scaling experiment's summary with chosen numbers (baseline, scaled) for the comparison. */
function scaleSummary(factor: number, base: [number, number], scaled: [number, number]): KimScaleSummary {
  const cond = ([tau, acc]: [number, number]) => ({
    rateAccuracyShort: acc,
    rateAccuracyLong: acc,
    spikingAccuracyShort: acc,
    spikingAccuracyLong: acc,
    included: 10,
    medianTauMs: tau,
    q25: tau,
    q75: tau,
    populationTauMs: tau,
    populationAllUnitsTauMs: tau,
    meanRateHz: 5,
  });
  return {
    block: 'ii',
    factor,
    baseline: cond(base),
    scaled: cond(scaled),
    medianTauChangeMs: scaled[0] - base[0],
    populationTauChangeMs: scaled[0] - base[0],
  };
}

describe('kim2021 (every seed, the comparison)', () => {
  it('reuses complete steps (no job runs) and counts the paired sign tests', async () => {
    const model = (await trainKimModel({ recipe, seed: 1 })).model;
    const training = { success: true, trials: 30, trainSeconds: 1, rateAccuracyShortDelay: 1, rateAccuracyLongDelay: 0.9 };
    const lif = {
      bestInverseScale: 20,
      bestScale: 0.05,
      spikingAccuracyShortDelay: 1,
      spikingAccuracyLongDelay: 1,
      meanRateHz: 5,
      searchSeconds: 1,
    };
    // τ at × 0.7 / × 1 / × 1.3: seed 1 and 2 longer with stronger I→I, seed 3 shorter; accuracy tied in seed 3
    const done: Record<number, KimModelDone> = {
      1: {
        trained: { model, training },
        lif,
        scaled: { 0.7: scaleSummary(0.7, [50, 0.5], [40, 0.4]), 1.3: scaleSummary(1.3, [50, 0.5], [60, 0.6]) },
      },
      2: {
        trained: { model, training },
        lif,
        scaled: { 0.7: scaleSummary(0.7, [50, 0.5], [45, 0.5]), 1.3: scaleSummary(1.3, [50, 0.5], [55, 0.7]) },
      },
      3: {
        trained: { model, training },
        lif,
        scaled: { 0.7: scaleSummary(0.7, [50, 0.5], [60, 0.5]), 1.3: scaleSummary(1.3, [50, 0.5], [45, 0.5]) },
      },
    };
    let ran = 0;
    const r = await kim2021(
      { recipe, seeds: 3, firstSeed: 1, protocol, done },
      {
        runModels: async (jobs) => {
          ran += jobs.length;
          return [];
        },
      },
    );
    expect(ran).toBe(0);
    expect(r.models.every((m) => m.complete)).toBe(true);
    expect(r.models[0]?.levels).toEqual([
      { factor: 0.7, medianTauMs: 40, included: 10, rateAccuracyLong: 0.4, spikingAccuracyLong: 0.4 },
      { factor: 1, medianTauMs: 50, included: 10, rateAccuracyLong: 0.5, spikingAccuracyLong: 0.5 },
      { factor: 1.3, medianTauMs: 60, included: 10, rateAccuracyLong: 0.6, spikingAccuracyLong: 0.6 },
    ]);
    expect(r.tests.medianTau).toEqual({ up: 2, n: 3, ties: 0, p: 0.5 });
    expect(r.tests.rateLong).toEqual({ up: 2, n: 3, ties: 1, p: 0.25 });
    expect(r.metStoppingRule).toBe(3);
  });

  it('runs only the missing steps; a missing experiment is run with the recorded λ', async () => {
    const model = (await trainKimModel({ recipe, seed: 4 })).model;
    const training = { success: false, trials: 30, trainSeconds: 1, rateAccuracyShortDelay: 0, rateAccuracyLongDelay: 0 };
    const lif = {
      bestInverseScale: 40,
      bestScale: 0.025,
      spikingAccuracyShortDelay: 0,
      spikingAccuracyLongDelay: 0,
      meanRateHz: 5,
      searchSeconds: 1,
    };
    const jobs: KimModelJob[] = [];
    const r = await kim2021(
      {
        recipe,
        seeds: 2,
        firstSeed: 4,
        protocol,
        done: { 4: { trained: { model, training }, lif, scaled: { 0.7: scaleSummary(0.7, [5, 0], [5, 0]) } } },
      },
      {
        runModels: async (js, onModel) => {
          jobs.push(...js);
          const out = [];
          for (const [i, j] of js.entries()) {
            const w = await kim2021Model(j);
            onModel(w, i);
            out.push(w);
          }
          return out;
        },
      },
    );
    expect(jobs.map((j) => [j.seed, j.trained != null, j.inverseScale, j.factors])).toEqual([
      [4, true, 40, [1.3]],
      [5, false, null, [0.7, 1.3]],
    ]);
    expect(r.work[0]?.scaled.map((s) => s.result.summary.factor)).toEqual([1.3]);
    expect(r.models.map((m) => m.complete)).toEqual([true, true]);
    expect(r.models[0]?.training).toEqual(training);
  });

  it('on worker threads: the same results with one worker or two', async () => {
    const o = { recipe, seeds: 2, firstSeed: 7, protocol };
    const strip = (r: Awaited<ReturnType<typeof kim2021>>) =>
      r.models.map((m) => ({ seed: m.seed, levels: m.levels, bestInverseScale: m.lif?.bestInverseScale, trials: m.training?.trials }));
    const one = await kim2021Parallel({ ...o, workers: 1 });
    const two = await kim2021Parallel({ ...o, workers: 2 });
    expect(strip(two)).toEqual(strip(one));
    expect(one.models.every((m) => m.complete)).toBe(true);
    expect(two.work[0]?.train?.model.w).toEqual(one.work[0]?.train?.model.w);
  });
});
