/**
 * How a trained STM network holds the cue, as pictures: the autonomous run of each cue (the
 * trial's input, then zero input for 9× the trial length) projected on its top 3 principal
 * components, and the fixed and slow points of the zero-input map found from states those runs
 * visit (Sussillo & Barak 2013), each with the number of unstable directions of its Jacobian.
 */
import { type FixedPoint, findFixedPoints, pca } from '@wmkit/analysis';
import { type RateRNN, rateRnnStepMap, simulateRate } from '@wmkit/ei-rnn';
import type { StmTask } from '@wmkit/tasks';
import { kernels, type Rng } from '@wmkit/tensor';

export interface StmDynamics {
  /** Steps of each autonomous run (9 × trial length). */
  T: number;
  nCues: number;
  /** [nCues, T, N] states (rates) of the autonomous runs. */
  states: Float32Array;
  /** [nCues, T, 3] projection on the top 3 PCs of both runs together; variance explained per PC. */
  projection: Float32Array;
  explained: Float64Array;
  /** Fixed/slow points with their projection [K, 3]. */
  points: FixedPoint[];
  pointsProjection: Float32Array;
  seconds: number;
}

export function stmDynamics(model: RateRNN, task: StmTask, rng: Rng, o: { starts?: number; iterations?: number } = {}): StmDynamics {
  const t0 = performance.now();
  const N = model.config.N;
  const Ttrial = task.timeline.steps;
  const T = 9 * Ttrial;
  const nCues = task.nConditions;
  const nIn = task.nInputs;
  const inputs = new Float32Array(nCues * T * nIn);
  for (let c = 0; c < nCues; c++) inputs.set(task.trials([c]).inputs.data.subarray(0, Ttrial * nIn), c * T * nIn);
  const sim = simulateRate(model, { data: inputs, shape: [nCues, T, nIn] }, rng.fork('autonomous'), { noise: false });
  const states = sim.rates?.data as Float32Array;
  const p = pca(states, nCues * T, N, 3);
  // starting states: evenly spaced along both runs (after the cue), plus a little noise
  const perCue = Math.ceil((o.starts ?? 48) / nCues);
  const starts = perCue * nCues;
  const init = new Float64Array(starts * N);
  const noise = rng.fork('fixed-point starts').normal(starts * N, 0, 0.02);
  for (let c = 0; c < nCues; c++)
    for (let j = 0; j < perCue; j++) {
      const k = c * perCue + j;
      const t = Ttrial + Math.floor((j * (T - Ttrial)) / perCue);
      for (let i = 0; i < N; i++) init[k * N + i] = states[(c * T + t) * N + i] + noise[k * N + i];
    }
  // the zero-input map with its closed-form Jacobian (kernels, no autodiff: ~4× faster than tfjs)
  const points: FixedPoint[] = kernels().scope(
    () =>
      findFixedPoints(rateRnnStepMap(model), init, N, {
        maxIterations: o.iterations ?? 3000,
        learningRate: 0.005,
        maxQ: 1e-5,
        dedupe: 0.05,
      }).points,
  );
  const pointsProjection = new Float32Array(points.length * 3);
  points.forEach((pt, k) => {
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += (pt.x[i] - p.mean[i]) * p.components[c * N + i];
      pointsProjection[k * 3 + c] = s;
    }
  });
  return {
    T,
    nCues,
    states,
    projection: Float32Array.from(p.projection),
    explained: p.explained,
    points,
    pointsProjection,
    seconds: (performance.now() - t0) / 1000,
  };
}
