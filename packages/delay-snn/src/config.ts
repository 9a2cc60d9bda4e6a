/**
 * Typed, validated configuration of a heterogeneous-delay SNN experiment: network, patterns,
 * cueing, initialisation and training. Defaults are the reference configuration of Perrinet
 * et al. 2026 (docs/models/delay-snn.md); each value cites where it comes from.
 * Partial configs from files or the command line go through `parseHdSnnConfig`, whose errors
 * name the field.
 */
import { ConfigError, describeConfigIssues, notAnObject } from '@wmkit/data-io';
import { z } from 'zod';

const probability = z.number().gt(0, 'must be > 0 (a firing probability per neuron and step, e.g. 1e-3)').lt(1, 'must be < 1');

/** Validator of an HD-SNN configuration (unknown fields are refused). */
export const hdSnnConfigSchema = z.strictObject({
  /** Neurons. */
  N: z.number().int().min(1),
  /** Steps per pattern. */
  T: z.number().int().min(2),
  /** Synaptic delays 1..D steps (the length of a spiking motif). */
  D: z.number().int().min(1),
  /** Patterns stored. */
  M: z.number().int().min(1),
  /** Firing probability per neuron and step in the patterns and the background noise (p_A). */
  p: probability,
  /** Membrane decay per step (fixed). */
  beta: z.number().min(0).max(1),
  threshold: z.number().positive(),
  reset: z.enum(['subtract', 'zero']),
  /** Steps of background Bernoulli(p) noise before the cue. */
  backgroundSteps: z.number().int().min(0),
  /** Steps of the target clamped as the cue (null: D). */
  cueSteps: z.number().int().min(0).nullable(),
  patterns: z.strictObject({
    generator: z.enum(['bernoulli', 'evidence']),
    seed: z.number().int(),
  }),
  init: z.strictObject({
    /** 'hebbian' (I*ᵀC / norm), 'pinv' (minimum-norm I*·C⁺) or 'zero'. */
    method: z.enum(['hebbian', 'pinv', 'zero']),
    /** Hebbian normalisation: 'code' = mean over context dimensions of Σc²; 'paper' = N·D·p·M. */
    normalization: z.enum(['code', 'paper']),
    /** Extra factor on the Hebbian weights. */
    gain: z.number().positive(),
    /** Use the deconvolved target current I*(t) = s*(t) − β·s*(t−1) (else s*(t)). */
    deconvolve: z.boolean(),
  }),
  train: z.strictObject({
    /** Gradient steps (one per epoch, all M patterns in one batch). */
    steps: z.number().int().min(0),
    optimizer: z.enum(['sgd', 'adamw']),
    lr: z.number().positive(),
    /** Learning rate at the end of the cosine schedule. */
    finalLr: z.number().nonnegative(),
    /** Steps at the base rate before the cosine decay (the authors' warm-up holds the rate constant). */
    warmupSteps: z.number().int().min(0),
    momentum: z.number().min(0).lt(1),
    /** torch.optim.SGD dampening (authors: 1 − δ₂ with δ₂ = 1e-5). */
    dampening: z.number().min(0).max(1),
    weightDecay: z.number().min(0),
    dropout: z.number().min(0).lt(1),
    /** Fast-sigmoid surrogate slope k. */
    surrogateSlope: z.number().positive(),
    /**
     * 'truncated': gradients flow through the membrane but not back through the recurrent
     * spikes (event-driven, fast); 'full': exact BPTT through the recurrent spikes as in the
     * authors' code (dense: N·D·N work per step).
     */
    gradient: z.enum(['truncated', 'full']),
  }),
  /** Seed of the background noise and dropout streams. */
  seed: z.number().int(),
});

/** A complete HD-SNN configuration (network, patterns, cue, initialisation, training); see docs/models/delay-snn.md. */
export type HdSnnConfig = z.infer<typeof hdSnnConfigSchema>;

/** Deep-partial config, as accepted by `parseHdSnnConfig`. */
export type HdSnnConfigInput = Partial<Omit<HdSnnConfig, 'patterns' | 'init' | 'train'>> & {
  patterns?: Partial<HdSnnConfig['patterns']>;
  init?: Partial<HdSnnConfig['init']>;
  train?: Partial<HdSnnConfig['train']>;
};

/**
 * Reference configuration (docs/models/delay-snn.md §Reference results: N = 1024, T = 1000, D = 41, M = 16,
 * p_A = 1e-3; β = 0.7, ϑ = 0.8 and subtract reset from the authors' code).
 */
export const PERRINET2026_REFERENCE: HdSnnConfig = {
  N: 1024,
  T: 1000,
  D: 41,
  M: 16,
  p: 1e-3,
  beta: 0.7, // τ ≈ 2.8 steps
  threshold: 0.8, // code (paper text: 1.0)
  reset: 'subtract', // code (paper text: reset to zero)
  backgroundSteps: 50, // N_pretime
  cueSteps: null, // the first D steps
  patterns: { generator: 'bernoulli', seed: 2018 }, // the code's generator and seed
  init: { method: 'hebbian', normalization: 'code', gain: 1, deconvolve: true }, // do_deconv
  train: {
    steps: 16, // "after 16 gradient steps"
    optimizer: 'sgd', // code; AdamW in later drafts
    lr: 1e-2, // the authors used 1e-3…1e-2
    finalLr: 1e-3,
    warmupSteps: 4,
    momentum: 0.99, // 1 − δ₁, δ₁ = 0.01
    dampening: 1 - 1e-5, // 1 − δ₂
    weightDecay: 0, // "≈ 0"
    dropout: 0.37,
    surrogateSlope: 15,
    gradient: 'truncated',
  },
  seed: 1,
};

/** A configuration of a delay-SNN that cannot be used (the one `ConfigError` of `@wmkit/data-io`; the message names the field and the fix). */
export { ConfigError };

/** Validates a (possibly partial) config over `base`; errors name the field and the source. */
export function parseHdSnnConfig(value: unknown, base: HdSnnConfig = PERRINET2026_REFERENCE, source = 'config'): HdSnnConfig {
  const got = value === undefined ? null : notAnObject(value);
  if (got) throw new ConfigError(`${source}: a delay-SNN config must be an object, got ${got}`);
  const v = (value ?? {}) as HdSnnConfigInput;
  const merged = {
    ...base,
    ...v,
    patterns: { ...base.patterns, ...(v.patterns ?? {}) },
    init: { ...base.init, ...(v.init ?? {}) },
    train: { ...base.train, ...(v.train ?? {}) },
  };
  const res = hdSnnConfigSchema.safeParse(merged);
  if (!res.success) {
    const problems = describeConfigIssues(res.error.issues, base, merged);
    throw new ConfigError(`${source}: invalid delay-SNN config: ${problems}`);
  }
  const cfg = res.data;
  if (cfg.D >= cfg.T) {
    throw new ConfigError(
      `${source}: invalid delay-SNN config: 'D' (${cfg.D}) must be smaller than 'T' (${cfg.T}): the cue is the first D steps and the network recalls steps D..T−1`,
    );
  }
  const cue = cfg.cueSteps ?? cfg.D;
  if (cue > cfg.T) throw new ConfigError(`${source}: invalid delay-SNN config: 'cueSteps' (${cue}) exceeds 'T' (${cfg.T})`);
  return cfg;
}

/** Steps of the cue (cueSteps, or D). */
export function cueStepsOf(cfg: HdSnnConfig): number {
  return cfg.cueSteps ?? cfg.D;
}

/** Named presets. */
export const HD_SNN_PRESETS: Record<string, { description: string; config: HdSnnConfig }> = {
  'perrinet2026.reference': {
    description:
      'Perrinet et al. 2026 reference: N=1024, T=1000, D=41, M=16, p=1e-3, β=0.7, ϑ=0.8, subtract reset; Hebbian init + 16 SGD steps',
    config: PERRINET2026_REFERENCE,
  },
  'perrinet2026.small': {
    description:
      'A reduced configuration for tests and quick looks: N=512, T=1000, D=41, M=8, p=2e-3 (the same spikes per delay window, N·D·p ≈ 42, and Hebbian load, M·(T−D)·p ≈ 15, as the reference); 4 steps',
    config: parseHdSnnConfig({ N: 512, M: 8, p: 2e-3, train: { ...PERRINET2026_REFERENCE.train, steps: 4 } }),
  },
};

/** The preset called `name` (a ConfigError listing the presets otherwise). */
export function hdSnnPreset(name: string): HdSnnConfig {
  const p = HD_SNN_PRESETS[name];
  if (!p) throw new ConfigError(`unknown delay-SNN preset '${name}' (presets: ${Object.keys(HD_SNN_PRESETS).join(', ')})`);
  return p.config;
}
