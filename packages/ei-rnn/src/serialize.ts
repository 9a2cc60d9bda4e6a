/**
 * A RateRNN ↔ named arrays (the run directory stores each as `<name>.npy`, the config in
 * run.json). Names follow the authors' .mat fields where one exists.
 *
 * | array     | shape        | content                                        |
 * |-----------|--------------|------------------------------------------------|
 * | w         | [N, N]       | recurrent weights before relu·sign (rows post) |
 * | sign      | [N]          | +1 excitatory, −1 inhibitory                   |
 * | som_m     | [N, N]       | fixed connectivity mask                        |
 * | w_in      | [N, nIn]     | input weights                                  |
 * | bias      | [N]          | recurrent bias (zeros for Kim's networks)      |
 * | w_out     | [nOut, N]    | read-out weights                               |
 * | b_out     | [nOut]       | read-out bias                                  |
 * | taus_gaus | [N]          | raw decay parameters (τ_raw)                   |
 */
import type { NDArray } from '@wmkit/tensor';
import { assertValues, formatShape, ShapeError } from '@wmkit/tensor';
import type { RateRNNConfig } from './config';
import type { RateRNN } from './rate-rnn';

/** A model's parameters as named arrays, for a run directory. */
export type ModelArrays = Record<string, NDArray>;

/** The rate RNN's parameters as named arrays for a run directory, under the authors' names where they have one (w, som_m, w_in, w_out, b_out, taus_gaus). */
export function rateRnnToArrays(m: RateRNN): ModelArrays {
  const { N, nInputs, nOutputs } = m.config;
  return {
    w: { data: m.w, shape: [N, N] },
    sign: { data: m.sign, shape: [N] },
    som_m: { data: m.mask, shape: [N, N] },
    w_in: { data: m.wIn, shape: [N, nInputs] },
    bias: { data: m.bias, shape: [N] },
    w_out: { data: m.wOut, shape: [nOutputs, N] },
    b_out: { data: m.bOut, shape: [nOutputs] },
    taus_gaus: { data: m.tauRaw, shape: [N] },
  };
}

/** Rebuilds a model; a missing or wrongly shaped array is an error naming it and `source`. */
export function rateRnnFromArrays(config: RateRNNConfig, arrays: Partial<ModelArrays>, source = 'model'): RateRNN {
  const { N, nInputs, nOutputs } = config;
  const get = (name: string, shape: number[]): Float32Array => {
    const a = arrays[name];
    if (!a) throw new ShapeError(`${source}: missing array '${name}' (expected shape ${formatShape(shape)})`);
    if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i])) {
      throw new ShapeError(`${source}: array '${name}' has shape ${formatShape(a.shape)}, expected ${formatShape(shape)}`);
    }
    // a NaN weight would run as NaN rates, which a spiking network turns into silence (and a
    // silent network into "perfect" accuracy on trials where the answer is no response)
    assertValues(`${source}: array '${name}'`, a.data, a.shape);
    return Float32Array.from(a.data);
  };
  return {
    config,
    w: get('w', [N, N]),
    sign: get('sign', [N]),
    mask: get('som_m', [N, N]),
    wIn: get('w_in', [N, nInputs]),
    bias: arrays.bias ? get('bias', [N]) : new Float32Array(N),
    wOut: get('w_out', [nOutputs, N]),
    bOut: get('b_out', [nOutputs]),
    tauRaw: get('taus_gaus', [N]),
  };
}
