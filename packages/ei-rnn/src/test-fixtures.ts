/** Small networks and a comparison shared by this package's tests (not part of the public API). */
import { parseRateRnnConfig, type RateRNNConfig } from './config';

/** A small current-form network in the Kurtkaya et al. 2025 layout (tanh, biases, sigmoid read-out, output before the update). */
export function smallKurtkayaConfig(noiseStd = 0): RateRNNConfig {
  return parseRateRnnConfig({
    N: 10,
    nOutputs: 2,
    dale: false,
    transfer: 'tanh',
    form: 'current',
    tau: { kind: 'fixed', alpha: 0.5 },
    recurrentInit: 'xavier',
    inputInit: 'xavier',
    outputInit: 'xavier',
    noiseStd,
    x0: { kind: 'tanh-normal', scale: 0.1 },
    biases: true,
    readout: 'sigmoid',
    outputTiming: 'before-update',
  });
}

/** Largest absolute difference of `a` from `b`, relative to `b`'s largest magnitude. */
export function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 1e-6;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i] as number));
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d / scale;
}
