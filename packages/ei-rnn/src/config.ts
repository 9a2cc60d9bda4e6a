/**
 * Typed, validated configurations of the rate RNN and its trainer. Defaults are the published
 * values (Kim, Li & Sejnowski 2019; spikeRNN `rate/main.py`, `rate/model.py`), each cited.
 * Configs entering from a file or the CLI go through `parseRateRnnConfig`/`parseTrainConfig`,
 * whose errors name the field.
 */
import { ConfigError, describeConfigIssues, notAnObject } from '@wmkit/data-io';
import { z } from 'zod';

/** Validator of a rate-RNN configuration (unknown fields are refused). */
export const rateRnnConfigSchema = z.strictObject({
  N: z.number().int().min(1),
  nInputs: z.number().int().min(1),
  nOutputs: z.number().int().min(1),
  /** Dale's principle: each unit excitatory or inhibitory (W_eff = relu(w)·diag(sign)). */
  dale: z.boolean(),
  /** Probability a unit is inhibitory. */
  pInh: z.number().min(0).max(1),
  /** Probability a recurrent connection exists at initialisation. */
  pRec: z.number().gt(0).max(1),
  /** Initial weight gain. */
  gain: z.number().positive(),
  /** Scale initial inhibitory weights by N_E/N_I (not in the paper; see presets). */
  balancedInit: z.boolean(),
  recurrentInit: z.enum(['kim', 'xavier']),
  inputInit: z.enum(['normal', 'xavier']),
  outputInit: z.enum(['normal', 'xavier']),
  wOutStd: z.number().nonnegative(),
  transfer: z.enum(['sigmoid', 'tanh', 'relu', 'softplus']),
  /** Upper clip of the transfer function (spikeRNN clips ReLU and softplus at 20). */
  clip: z.number().positive().nullable(),
  /** 'rate': x leaks and r = f(x) feeds W (Kim); 'current': r leaks, f of the total input (Kurtkaya). */
  form: z.enum(['rate', 'current']),
  tau: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('trainable'), minSteps: z.number().positive(), maxSteps: z.number().positive() }),
    z.strictObject({ kind: z.literal('fixed'), alpha: z.number().gt(0).max(1) }),
  ]),
  dtMs: z.number().positive(),
  /** SD of the noise per step (rate form: added to x; current form: inside f). */
  noiseStd: z.number().nonnegative(),
  x0: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('normal'), std: z.number().nonnegative() }),
    z.strictObject({ kind: z.literal('tanh-normal'), scale: z.number().nonnegative() }),
  ]),
  /** Trainable recurrent bias (Kurtkaya's b_rec + b_in). */
  biases: z.boolean(),
  readout: z.enum(['linear', 'sigmoid']),
  /** Output at step t read after the update driven by input t (Kim) or before it (Kurtkaya). */
  outputTiming: z.enum(['after-update', 'before-update']),
});

/** A complete rate-RNN configuration (size, E/I split, time constants, noise, transfer, initialisation); see docs/models/ei-rnn.md. */
export type RateRNNConfig = z.infer<typeof rateRnnConfigSchema>;

/** Kim et al. 2019 DMS rate network (spikeRNN defaults; docs/models/ei-rnn.md §Rate network). */
export const KIM_RATE_CONFIG: RateRNNConfig = {
  N: 200, // DMS models
  nInputs: 2,
  nOutputs: 1,
  dale: true, // --apply_dale True
  pInh: 0.2, // --P_inh 0.20
  pRec: 0.2, // --P_rec 0.20
  gain: 1.5, // --gain 1.5
  balancedInit: false,
  recurrentInit: 'kim', // w_dist 'gaus': N(0,1)/sqrt(N·P_rec)·gain, |·|
  inputInit: 'normal', // w_in = randn(N, 2)
  outputInit: 'normal',
  wOutStd: 0.01, // w_out = randn(1, N)/100
  transfer: 'sigmoid', // --act sigmoid
  clip: null,
  form: 'rate',
  tau: { kind: 'trainable', minSteps: 4, maxSteps: 25 }, // --decay_taus 4 25 (20–125 ms)
  dtMs: 5, // "each time step is 5 ms"
  noiseStd: 0.1, // randn/10 per step
  x0: { kind: 'normal', std: 0.01 }, // randn/100
  biases: false,
  readout: 'linear',
  outputTiming: 'after-update',
};

/** Validator of a training protocol (unknown fields are refused). */
export const trainConfigSchema = z.strictObject({
  optimizer: z.enum(['adam', 'sgd']),
  lr: z.number().positive(),
  /** SGD momentum (ignored by Adam). */
  momentum: z.number().min(0).max(1),
  /** Adam: decoupled (AdamW); SGD: L2 added to the gradient. */
  weightDecay: z.number().nonnegative(),
  batchSize: z.number().int().min(1),
  /** 'kim-l2': per trial √Σ(o − z)², averaged over the batch; 'mse': mean of mask·(o − z)². */
  loss: z.enum(['kim-l2', 'mse']),
  maxTrials: z.number().int().min(1),
  /** Evaluate every this many training trials... */
  evalEvery: z.number().int().min(1),
  /** ...on this many fresh trials. */
  evalTrials: z.number().int().min(1),
  /** Stop when the mean eval loss is below this... */
  stopLossBelow: z.number().nullable(),
  /** ...and the eval accuracy above this. */
  stopAccuracyAbove: z.number().nullable(),
  train: z.strictObject({
    recurrent: z.boolean(),
    input: z.boolean(),
    readout: z.boolean(),
    tau: z.boolean(),
    bias: z.boolean(),
  }),
  /** Clip the global gradient norm (null: no clipping). */
  gradClipNorm: z.number().positive().nullable(),
  /** Curriculum: the loss covers steps [0, end), end rising linearly from startEnd to T over rampUpdates updates. */
  lossWindow: z.strictObject({ startEnd: z.number().int().min(1), rampUpdates: z.number().int().min(1) }).nullable(),
});

/** A complete training protocol (optimiser, learning rate, batch, loss window, evaluation and stopping rule). */
export type TrainConfig = z.infer<typeof trainConfigSchema>;

/** Kim et al. 2019 training protocol (spikeRNN `main.py`; docs/models/ei-rnn.md §DMS task and training). */
export const KIM_TRAIN_CONFIG: TrainConfig = {
  optimizer: 'adam',
  lr: 0.01, // learning_rate
  momentum: 0,
  weightDecay: 0,
  batchSize: 1, // one trial per update
  loss: 'kim-l2', // loss_fn 'l2': sqrt(Σ_t (o_t − z_t)²)
  maxTrials: 6000, // models needing more count as failures
  evalEvery: 100, // eval_freq
  evalTrials: 100, // eval_tr
  stopLossBelow: 7, // loss_threshold
  stopAccuracyAbove: 0.95,
  train: { recurrent: true, input: false, readout: true, tau: true, bias: false }, // w_in not trainable
  gradClipNorm: null,
  lossWindow: null,
};

/** A configuration of an E/I RNN that cannot be used (the one `ConfigError` of `@wmkit/data-io`; the message names the field and the fix). */
export { ConfigError };

function parseWith<T>(schema: z.ZodType<T>, what: string, value: unknown, source: string, example: unknown): T {
  const res = schema.safeParse(value);
  if (!res.success) throw new ConfigError(`${source}: invalid ${what}: ${describeConfigIssues(res.error.issues, example, value)}`);
  return res.data;
}

function mergeOver(base: object, value: unknown, source: string, what: string): object {
  if (value === undefined) return { ...base };
  const got = notAnObject(value);
  if (got) throw new ConfigError(`${source}: a ${what} must be an object, got ${got}`);
  return { ...base, ...(value as object) };
}

/** Validates a (possibly partial) model config over a base; errors name the field and the source. */
export function parseRateRnnConfig(value: unknown, base: RateRNNConfig = KIM_RATE_CONFIG, source = 'config'): RateRNNConfig {
  const cfg = parseWith(rateRnnConfigSchema, 'rate RNN config', mergeOver(base, value, source, 'rate RNN config'), source, base);
  if (cfg.tau.kind === 'trainable' && !(cfg.tau.maxSteps >= cfg.tau.minSteps && cfg.tau.minSteps >= 1)) {
    throw new ConfigError(
      `${source}: invalid rate RNN config: 'tau': need 1 ≤ minSteps (${cfg.tau.minSteps}) ≤ maxSteps (${cfg.tau.maxSteps})`,
    );
  }
  return cfg;
}

/** Validates a (partial) training config over `base`; unknown or invalid fields raise a ConfigError naming them. */
export function parseTrainConfig(value: unknown, base: TrainConfig = KIM_TRAIN_CONFIG, source = 'config'): TrainConfig {
  return parseWith(trainConfigSchema, 'training config', mergeOver(base, value, source, 'training config'), source, base);
}
