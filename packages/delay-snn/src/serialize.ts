/**
 * Saving and loading HD-SNN models and spike data as plain arrays (for .npy files and run
 * directories), with shape checks that name both shapes and the source.
 *
 * - `W` [N, N, D]: the authors' `lin.weight.reshape(N, N, D)` (post, pre, k; k = 0 is delay D);
 * - patterns [M, N, T] uint8 (0/1);
 * - spike events [K, 3] int32 rows (pattern, neuron, step): the address–timestamp form.
 */
import { type SpikePatternSet, spikePatternSet } from '@wmkit/tasks';
import { assertValues, type NDArray, type NumericArray, ShapeError } from '@wmkit/tensor';
import type { HdSnnConfig } from './config';
import type { SpikeEvents } from './events';
import { createHdSnn, fromLinearWeights, type HdSnnModel, linearWeights } from './network';

/** The weights as one array W [N, N, D] (post, pre, delay), for a run directory. */
export function hdSnnToArrays(model: HdSnnModel): { W: NDArray<Float32Array> } {
  const { N, D } = model.config;
  return { W: { data: linearWeights(model), shape: [N, N, D] } };
}

/** An HD-SNN from its configuration and the array W [N, N, D] of a run directory; errors name the array and both shapes. */
export function hdSnnFromArrays(config: HdSnnConfig, arrays: Record<string, NDArray<NumericArray>>, source = 'arrays'): HdSnnModel {
  const W = arrays.W;
  if (!W) throw new ShapeError(`${source}: no array 'W' (the weights, shape [N, N, D])`);
  const { N, D } = config;
  if (W.shape.length !== 3 || W.shape[0] !== N || W.shape[1] !== N || W.shape[2] !== D) {
    throw new ShapeError(`${source}: W has shape [${W.shape.join(', ')}] but the config needs [N, N, D] = [${N}, ${N}, ${D}]`);
  }
  assertValues(`${source}: W`, W.data, W.shape);
  const model = createHdSnn(config);
  fromLinearWeights(model, W.data);
  return model;
}

/**
 * Spike patterns from an array of shape [M, N, T] (or [N, T] for one pattern) of 0/1 values.
 * `expect` checks N and T against a config.
 */
export function patternsFromArray(arr: NDArray<NumericArray>, source: string, expect?: { N?: number; T?: number }): SpikePatternSet {
  const shape = arr.shape.length === 2 ? [1, ...arr.shape] : arr.shape;
  if (shape.length !== 3) {
    throw new ShapeError(`${source}: spike patterns must have shape [M, N, T] (patterns, neurons, steps), got [${arr.shape.join(', ')}]`);
  }
  const [M, N, T] = shape as [number, number, number];
  if (expect?.N != null && N !== expect.N) {
    throw new ShapeError(
      `${source}: patterns have shape [${shape.join(', ')}] but the network has N = ${expect.N} neurons (expected [M, ${expect.N}, T])`,
    );
  }
  if (expect?.T != null && T !== expect.T) {
    throw new ShapeError(
      `${source}: patterns have shape [${shape.join(', ')}] but the config has T = ${expect.T} steps (expected [M, N, ${expect.T}])`,
    );
  }
  const data = new Uint8Array(arr.data.length);
  for (let q = 0; q < data.length; q++) {
    const v = arr.data[q] as number;
    if (v !== 0 && v !== 1) throw new ShapeError(`${source}: spike patterns must hold only 0 and 1, found ${v} at flat index ${q}`);
    data[q] = v;
  }
  return spikePatternSet(M, N, T, data);
}

/** Spike events of several patterns as [K, 3] int32 rows (pattern, neuron, step), `stepOffset` subtracted. */
export function eventsToRows(events: SpikeEvents[], stepOffset = 0, from = 0, to = Number.POSITIVE_INFINITY): NDArray<Int32Array> {
  const rows: number[] = [];
  events.forEach((ev, m) => {
    for (let t = Math.max(0, from); t < Math.min(ev.steps, to); t++) {
      for (let q = ev.off[t] as number; q < (ev.off[t + 1] as number); q++) rows.push(m, ev.idx[q] as number, t - stepOffset);
    }
  });
  return { data: Int32Array.from(rows), shape: [rows.length / 3, 3] };
}
