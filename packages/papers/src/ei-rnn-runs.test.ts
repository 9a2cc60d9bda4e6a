import { recordedTask, taskRecord } from '@wmkit/ei-rnn';
import { DMS_SHORT } from '@wmkit/tasks';
import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { fanoVsTimescale, lifSummaryOf, rateRunConfig, requireRecordedTask, trainingOf } from './ei-rnn-runs';

describe('ei-rnn run records', () => {
  it('a training run records its task with every parameter, and the steps accept it back', () => {
    const recipe = { preset: 'p', departures: [], model: {} as never, train: {} as never, taskVariant: 'short' as const };
    const cfg = rateRunConfig(recipe);
    expect(cfg.task).toEqual({ name: 'dms', ...DMS_SHORT });
    const back = recordedTask(JSON.parse(JSON.stringify(cfg.task)), 'r/run.json');
    expect(() => requireRecordedTask(back, { name: 'dms', what: 'convert lif' }, 'r/run.json')).not.toThrow();
    expect(rateRunConfig({ ...recipe, task: 'afc' }).task).toMatchObject({ name: 'afc', dtMs: 5 });
  });

  it('a recorded task that is not the one a step runs is refused with both values', () => {
    const dt2 = recordedTask({ ...taskRecord('dms', DMS_SHORT), dtMs: 2 }, 'r/run.json');
    expect(() => requireRecordedTask(dt2, { name: 'dms', what: 'convert lif' }, 'r/run.json')).toThrow(
      'r/run.json records a dms task that differs from the one convert lif runs (recorded vs used: dtMs 2 vs 5)',
    );
    const afc = recordedTask({ name: 'afc' }, 'r/run.json');
    expect(() => requireRecordedTask(afc, { name: 'dms', what: 'experiment scale-synapses' }, 'r/run.json')).toThrow(
      /records the afc task, but experiment scale-synapses runs the dms task/,
    );
  });

  it('reading summaries back: a missing or mistyped field is an error naming it', () => {
    expect(() => trainingOf({ success: true, trials: 'many' }, 'kim2021.dms', 'x/run.json')).toThrow(
      /x\/run\.json: metrics\.trials should be a number, got "many"/,
    );
    expect(trainingOf({ rateAccuracyShortDelay: 0.9 }, 'kim-mat', 'y')).toMatchObject({ success: null, rateAccuracyShortDelay: 0.9 });
    expect(
      lifSummaryOf({ bestInverseScale: 40, bestScale: 0.025, spikingAccuracyShortDelay: 1, meanRateHz: 3 }, 'z').spikingAccuracyLongDelay,
    ).toBeNaN();
  });

  it('Fano factor against τ: a unit whose counts vary more with a longer τ gives ρ = 1', () => {
    // 4 units, 10 trials, 3 bins; unit u's window count alternates ±u around 10 across trials (Fano grows with u)
    const U = 4;
    const T = 10;
    const B = 3;
    const data = new Float32Array(T * U * B);
    for (let t = 0; t < T; t++)
      for (let u = 0; u < U; u++) for (let b = 0; b < B; b++) data[(t * U + u) * B + b] = 5 + (t % 2 ? u : -u) / 2 + u;
    const r = fanoVsTimescale({ data, shape: [T, U, B] }, [10, 20, 40, 80], null, new Rng(1), 100);
    expect(r.metrics.pairs).toBe(4); // unit 0 never varies: Fano 0, finite
    expect(r.test.rho).toBeCloseTo(1, 6);
  });
});
