/**
 * The authors' trained DMS models (Kim & Sejnowski 2021; MATLAB .mat written by scipy.io.savemat;
 * docs/models/ei-rnn.md §Interchange) → a RateRNN.
 *
 * | field       | shape   | becomes                                                   |
 * |-------------|---------|-----------------------------------------------------------|
 * | w           | N × N   | `w` (post-ReLU, non-negative; rows postsynaptic)          |
 * | m           | N × N   | `sign` = diag(m) (+1 excitatory, −1 inhibitory)           |
 * | som_m       | N × N   | `mask`                                                    |
 * | w_in        | N × 2   | `wIn`                                                     |
 * | w_out       | 1 × N   | `wOut`                                                    |
 * | b_out       | 1 × 1   | `bOut`                                                    |
 * | taus        | [4 25]  | config.tau = { trainable, minSteps 4, maxSteps 25 }; one value: fixed α = 1/τ |
 * | taus_gaus   | N × 1   | `tauRaw`                                                  |
 * | activation  | char    | config.transfer (default sigmoid)                         |
 * | opt_scaling_factor | 1 × 1 | optional: the 1/λ of the authors' LIF conversion   |
 *
 * Effective matrix: relu(w)·diag(sign) ⊙ mask = `w @ m * som_m`, as in the authors' code.
 */
import { type MatValue, matToFloat64, matToString } from '@wmkit/data-io';
import { describeValueRule, firstInvalidValue, unravelIndex, type ValueRule } from '@wmkit/tensor';
import { ConfigError, KIM_RATE_CONFIG, parseRateRnnConfig, type RateRNNConfig } from './config';
import type { RateRNN } from './rate-rnn';

/** Fields a Kim et al. `.mat` model must have (spikeRNN/wmRNN format). */
export const KIM_MAT_FIELDS = ['w', 'm', 'som_m', 'w_in', 'w_out', 'b_out', 'taus', 'taus_gaus'] as const;

/** A model loaded from the authors' `.mat` file, with their 1/λ and timescales when the file has them. */
export interface KimMatModel {
  model: RateRNN;
  /** The authors' 1/λ (opt_scaling_factor), if the file has one. */
  inverseScale: number | null;
  /** Other scalar fields worth keeping (N, eval_perf_mean, …). */
  info: Record<string, number | string>;
}

/** Builds a RateRNN from the variables of a Kim & Sejnowski .mat file; `source` names the file in errors. */
export function rateRnnFromKimMat(vars: Record<string, MatValue>, source = 'model.mat'): KimMatModel {
  const missing = KIM_MAT_FIELDS.filter((f) => !(f in vars));
  if (missing.length)
    throw new ConfigError(
      `${source}: missing field${missing.length > 1 ? 's' : ''} ${missing.map((f) => `'${f}'`).join(', ')} (a Kim & Sejnowski model needs ${KIM_MAT_FIELDS.join(', ')})`,
    );
  const num = (f: string, rule: ValueRule = {}) => {
    let a: { data: Float64Array; shape: number[] };
    try {
      a = matToFloat64(vars[f], `${source}: field '${f}'`);
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
    // every number of the model must be finite (a NaN weight would otherwise become silence in
    // the spiking network, scored as a correct non-response); indices are MATLAB's, 1-based
    const bad = firstInvalidValue(a.data, rule);
    if (bad)
      throw new ConfigError(
        `${source}: field '${f}': ${f}(${unravelIndex(bad.index, a.shape, 1).join(',')}) ${bad.problem} (expected ${describeValueRule(rule)})`,
      );
    return a;
  };
  const w = num('w');
  const N = w.shape[0];
  const expect = (f: string, shape: number[], alt?: number[], rule: ValueRule = {}) => {
    const a = num(f, rule);
    const ok = (s: number[]) => a.shape.length === s.length && a.shape.every((d, i) => d === s[i]);
    if (!ok(shape) && !(alt && ok(alt)))
      throw new ConfigError(`${source}: field '${f}' has size ${a.shape.join('×')}, expected ${shape.join('×')}`);
    return a.data;
  };
  if (w.shape.length !== 2 || w.shape[1] !== N)
    throw new ConfigError(`${source}: field 'w' must be square (N × N), got ${w.shape.join('×')}`);
  const m = expect('m', [N, N]);
  const mask = expect('som_m', [N, N], undefined, { min: 0 });
  const wInV = num('w_in');
  if (wInV.shape.length !== 2 || wInV.shape[0] !== N)
    throw new ConfigError(`${source}: field 'w_in' has size ${wInV.shape.join('×')}, expected ${N}×(inputs)`);
  const wOutV = num('w_out');
  if (wOutV.shape.length !== 2 || wOutV.shape[1] !== N)
    throw new ConfigError(`${source}: field 'w_out' has size ${wOutV.shape.join('×')}, expected (outputs)×${N}`);
  const nIn = wInV.shape[1];
  const nOut = wOutV.shape[0];
  const bOut = num('b_out').data;
  if (bOut.length !== nOut) throw new ConfigError(`${source}: field 'b_out' has ${bOut.length} values for ${nOut} outputs`);
  const taus = num('taus', { min: 1 }).data;
  const tauRaw = expect('taus_gaus', [N, 1], [1, N]);
  const sign = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    const d = m[i * N + i];
    if (d !== 1 && d !== -1) throw new ConfigError(`${source}: field 'm' must be diagonal ±1 (m(${i + 1},${i + 1}) = ${d})`);
    sign[i] = d;
  }
  let transfer = 'sigmoid';
  if ('activation' in vars) {
    try {
      transfer = matToString(vars.activation).trim();
    } catch {
      /* a numeric 'activation' field: keep the default */
    }
  }
  const tau: RateRNNConfig['tau'] =
    taus.length >= 2 ? { kind: 'trainable', minSteps: taus[0], maxSteps: taus[1] } : { kind: 'fixed', alpha: 1 / Math.max(1, taus[0]) };
  const config = parseRateRnnConfig({ ...KIM_RATE_CONFIG, N, nInputs: nIn, nOutputs: nOut, transfer, tau }, KIM_RATE_CONFIG, source);
  const model: RateRNN = {
    config,
    w: Float32Array.from(w.data),
    sign,
    mask: Float32Array.from(mask),
    wIn: Float32Array.from(wInV.data),
    bias: new Float32Array(N),
    wOut: Float32Array.from(wOutV.data),
    bOut: Float32Array.from(bOut),
    tauRaw: Float32Array.from(tauRaw),
  };
  const info: Record<string, number | string> = {};
  for (const f of ['N', 'tr', 'eval_perf_mean', 'eval_loss_mean', 'opt_scaling_factor']) {
    const v = vars[f];
    if (v && (v.kind === 'numeric' || v.kind === 'logical') && v.data.length === 1) info[f] = Number(v.data[0]);
  }
  const inv = typeof info.opt_scaling_factor === 'number' && info.opt_scaling_factor > 0 ? info.opt_scaling_factor : null;
  return { model, inverseScale: inv, info };
}

/** The fields of a Kim & Sejnowski .mat file for a RateRNN (the inverse of rateRnnFromKimMat). */
export function rateRnnToKimMat(m: RateRNN): Record<string, { data: Float64Array; shape: number[] } | string> {
  const { N, nInputs, nOutputs } = m.config;
  if (m.config.tau.kind !== 'trainable') throw new ConfigError('rateRnnToKimMat: the Kim layout stores trainable τ (taus = [min max])');
  const diag = new Float64Array(N * N);
  for (let i = 0; i < N; i++) diag[i * N + i] = m.sign[i];
  return {
    w: { data: Float64Array.from(m.w, (x) => Math.max(0, x)), shape: [N, N] },
    m: { data: diag, shape: [N, N] },
    som_m: { data: Float64Array.from(m.mask), shape: [N, N] },
    w_in: { data: Float64Array.from(m.wIn), shape: [N, nInputs] },
    w_out: { data: Float64Array.from(m.wOut), shape: [nOutputs, N] },
    b_out: { data: Float64Array.from(m.bOut), shape: [1, nOutputs] },
    taus: { data: Float64Array.of(m.config.tau.minSteps, m.config.tau.maxSteps), shape: [1, 2] },
    taus_gaus: { data: Float64Array.from(m.tauRaw), shape: [N, 1] },
    N: { data: Float64Array.of(N), shape: [1, 1] },
    activation: m.config.transfer,
  };
}
