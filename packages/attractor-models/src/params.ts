/**
 * The three firing-rate ring models of Wimmer, Nykamp, Constantinidis & Compte 2014
 * (Supplementary Codes 1–3; docs/models/attractors.md §Ring models).
 *
 *   τ_E dr_E = (f(I_E) [+ I_m] − r_E) dt + σ_E dW        (Euler–Maruyama, dt = 2 ms in the scripts)
 *   τ_I dr_I = (f(I_I) − r_I) dt + σ_I dW
 *   I_E = G_EE·(W_E r_E) + I0_E − G_IE·⟨r_I⟩ + cue,   I_I = G_EI·⟨r_E⟩ − G_II·⟨r_I⟩ + I0_I
 *   f: Brunel 2003 (0; x²; √(4x − 3))
 *
 * The noise intensities σ are in √ms (`sigmaESqrtMs`): a step of dt ms adds σ·√dt/τ·ξ, i.e. the
 * scripts' per-step form r ← r + (… + s ξ)·dt/τ with s = σ/√dt. The scripts draw s = 1, 12, 5 (E)
 * and 3 (I) per 2-ms step, so the published models carry σ = s·√2 ms; at dt = 2 ms every step
 * is the scripts' step, and another dt leaves the stochastic process (e.g. the bump's diffusion)
 * unchanged instead of silently changing it.
 */

import { ConfigError, describeConfigIssues, notAnObject } from '@wmkit/data-io';
import { z } from 'zod';

/** E→E connectivity. */
export type RingConnectivity =
  /** Circulant W_E(θ_i − θ_j) = e^{κ cos Δθ}/Σ e^{κ cos}, θ_j = 2πj/N. */
  | { kind: 'circulant'; kappa: number }
  /** 8 populations: W_E = circ(v8) ⊗ 1·1ᵀ/64, v8(k) = e^{κ cos(2πk/8)} normalised; blocks centred on the cues, θ_j = 2π(j + ½)/N. */
  | { kind: 'discrete'; populations: number; kappa: number }
  /** No recurrent excitation (G_EE = 0). */
  | { kind: 'none' };

/** Parameters of one of Wimmer et al.'s (2014) firing-rate ring models: sizes, time constants, couplings G, background inputs, noise, cue and protocol. */
export interface RingModelParams {
  name: 'bump' | 'discrete' | 'decaying';
  NE: number;
  NI: number;
  dtMs: number;
  tauEMs: number;
  tauIMs: number;
  connectivity: RingConnectivity;
  GEE: number;
  GEI: number;
  GIE: number;
  GII: number;
  I0E: number;
  I0I: number;
  /** Noise intensity of the E units in √ms: each Euler step draws SD `sigmaESqrtMs/√dtMs` (see the module doc). */
  sigmaESqrtMs: number;
  /** Noise intensity of the I units in √ms (each step: SD `sigmaISqrtMs/√dtMs`). */
  sigmaISqrtMs: number;
  /** Cue input stimAmp·v(θ − θ_cue), v ∝ e^{κ cos}, normalised over neurons. */
  stimAmp: number;
  stimKappa: number;
  /** Uniform input subtracted from E cells for the response period (memory erase). */
  eraseAmp: number;
  /** Slow intrinsic current of the decaying bump model (null for the other models). */
  intrinsic: RingIntrinsicCurrent | null;
}

/**
 * The decaying bump's slow intrinsic current (Supplementary Code 3):
 * τ_m dI_m/dt = a·g(r_E) − I_m, with the sigmoidal gate g(r) = r/(1 + e^{−gateSlope·(r − gateThreshold)}).
 */
export interface RingIntrinsicCurrent {
  tauMs: number;
  a: number;
  /** Steepness of the gate's sigmoid (2 in the script; per unit of rate). */
  gateSlope: number;
  /** Rate at the gate's half-point (2 in the script). */
  gateThreshold: number;
}

/** The intrinsic current's gate g(r) = r/(1 + e^{−slope·(r − threshold)}), the reference form of the kernel's. */
export function intrinsicGate(r: number, m: RingIntrinsicCurrent): number {
  return r / (1 + Math.exp(-m.gateSlope * (r - m.gateThreshold)));
}

/**
 * The noise SD of one Euler step of the model's dt: σ/√dt for the E and the I units (the
 * scripts' per-step `s`; see the module doc). Every engine draws its noise with these.
 */
export function ringNoisePerStep(p: Pick<RingModelParams, 'dtMs' | 'sigmaESqrtMs' | 'sigmaISqrtMs'>): { sigE: number; sigI: number } {
  const root = Math.sqrt(p.dtMs);
  return { sigE: p.sigmaESqrtMs / root, sigI: p.sigmaISqrtMs / root };
}

const COMMON = { NE: 512, NI: 512, dtMs: 2, tauEMs: 20, tauIMs: 10 } as const;
/** The scripts' per-step SDs are per 2-ms step: σ = s·√(2 ms). */
const PER_2MS_STEP = Math.SQRT2;

/** The three ring models of Wimmer et al. 2014 (Supplementary Codes 1–3): continuous bump, discrete (8 populations) and decaying bump. */
export const WIMMER2014_MODELS: Record<RingModelParams['name'], RingModelParams> = {
  // Supplementary Code 1 (continuous ring connectivity)
  bump: {
    name: 'bump',
    ...COMMON,
    connectivity: { kind: 'circulant', kappa: 1.5 },
    GEE: 6,
    GEI: 4,
    GIE: 3.4,
    GII: 0.85,
    I0E: 0.2,
    I0I: 0.5,
    sigmaESqrtMs: 1 * PER_2MS_STEP, // s = 1 per 2-ms step
    sigmaISqrtMs: 3 * PER_2MS_STEP, // s = 3
    stimAmp: 200,
    stimKappa: 1.5,
    eraseAmp: 200, // IE = IE − stim
    intrinsic: null,
  },
  // Supplementary Code 2 (8 discrete populations)
  discrete: {
    name: 'discrete',
    ...COMMON,
    connectivity: { kind: 'discrete', populations: 8, kappa: 4 },
    GEE: 2.9,
    GEI: 4,
    GIE: 1.2,
    GII: 1.3,
    I0E: -1.2,
    I0I: 0.28,
    sigmaESqrtMs: 12 * PER_2MS_STEP, // s = 12 per 2-ms step
    sigmaISqrtMs: 3 * PER_2MS_STEP,
    stimAmp: 250,
    stimKappa: 3,
    eraseAmp: 250,
    intrinsic: null,
  },
  // Supplementary Code 3 (decaying bump: no E→E, slow intrinsic current)
  decaying: {
    name: 'decaying',
    ...COMMON,
    connectivity: { kind: 'none' },
    GEE: 0,
    GEI: 4,
    GIE: 2,
    GII: 1,
    I0E: 0.6,
    I0I: 0.28,
    sigmaESqrtMs: 5 * PER_2MS_STEP, // s = 5 per 2-ms step
    sigmaISqrtMs: 3 * PER_2MS_STEP,
    stimAmp: 4500,
    stimKappa: 1,
    eraseAmp: 2000,
    intrinsic: { tauMs: 300, a: 0.85, gateSlope: 2, gateThreshold: 2 }, // Im: aIm·rE/(1 + exp(−2(rE − 2)))
  },
};

/** Names of the ring models ('bump', 'discrete', 'decaying'). */
export function ringModelNames(): string[] {
  return Object.keys(WIMMER2014_MODELS);
}

const finite = z.number().finite();
const positive = finite.positive();

/**
 * The schema of a ring model's parameters: strict (an unknown field, e.g. a typo such as `sigma`
 * for `sigmaESqrtMs`, is refused with the list of the fields), each number checked for its range.
 */
export const ringModelParamsSchema = z
  .strictObject({
    name: z.enum(['bump', 'discrete', 'decaying']),
    NE: z.number().int().min(8),
    NI: z.number().int().min(8),
    dtMs: positive,
    tauEMs: positive,
    tauIMs: positive,
    connectivity: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('circulant'), kappa: finite }),
      z.strictObject({ kind: z.literal('discrete'), populations: z.number().int().min(1), kappa: finite }),
      z.strictObject({ kind: z.literal('none') }),
    ]),
    GEE: finite,
    GEI: finite,
    GIE: finite,
    GII: finite,
    I0E: finite,
    I0I: finite,
    sigmaESqrtMs: finite.min(0),
    sigmaISqrtMs: finite.min(0),
    stimAmp: finite,
    stimKappa: finite,
    eraseAmp: finite,
    intrinsic: z.strictObject({ tauMs: positive, a: finite, gateSlope: finite, gateThreshold: finite }).nullable(),
  })
  .superRefine((p, ctx) => {
    if (p.dtMs / p.tauIMs > 1) ctx.addIssue({ code: 'custom', path: ['dtMs'], message: `dt/τ_I = ${p.dtMs / p.tauIMs} > 1 is unstable` });
    if (p.connectivity.kind === 'discrete' && p.NE % p.connectivity.populations !== 0)
      ctx.addIssue({
        code: 'custom',
        path: ['NE'],
        message: `NE (${p.NE}) must be a multiple of the ${p.connectivity.populations} populations`,
      });
  });

const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/**
 * Validates `patch` (part of a ring model's parameters) merged onto `base`: `connectivity` and
 * `intrinsic` merge field by field while their kind stays; unknown fields are refused.
 */
export function parseRingModelParams(patch: unknown, base: RingModelParams, source = 'ring model'): RingModelParams {
  const got = patch === undefined ? null : notAnObject(patch);
  if (got) throw new ConfigError(`${source}: ring model parameters must be an object, got ${got}`);
  const v = (patch ?? {}) as Record<string, unknown>;
  const legacy = legacyNoiseFields(v, base.dtMs);
  if (legacy) throw new ConfigError(`${source}: ${legacy}`);
  const merged: Record<string, unknown> = { ...base, ...v };
  if (isObj(v.connectivity) && (v.connectivity.kind === undefined || v.connectivity.kind === base.connectivity.kind))
    merged.connectivity = { ...base.connectivity, ...v.connectivity };
  if (isObj(v.intrinsic) && base.intrinsic) merged.intrinsic = { ...base.intrinsic, ...v.intrinsic };
  const res = ringModelParamsSchema.safeParse(merged);
  if (!res.success) throw new ConfigError(`${source}: invalid ring model: ${describeConfigIssues(res.error.issues, base, merged)}`);
  return res.data as RingModelParams;
}

/**
 * The message for a config that still uses the per-step noise fields `sigmaE` / `sigmaI` (wmkit
 * before the noise was stated in √ms), with the conversion; null when there are none.
 */
export function legacyNoiseFields(config: Record<string, unknown>, dtMs: number): string | null {
  const old = (['sigmaE', 'sigmaI'] as const).filter((k) => k in config);
  if (!old.length) return null;
  const dt = typeof config.dtMs === 'number' ? config.dtMs : dtMs;
  return old
    .map((k) => {
      const x = config[k];
      const now = typeof x === 'number' ? ` (${k} ${x} per ${dt}-ms step = ${k}SqrtMs ${+(x * Math.sqrt(dt)).toPrecision(6)})` : '';
      return `'${k}' (noise SD per step) is now '${k}SqrtMs', in √ms: ${k}SqrtMs = ${k}·√dtMs${now}`;
    })
    .join('; ');
}

/** The published model called `name`, with optional overrides (validated by `ringModelParamsSchema`). */
export function ringModel(name: string, overrides: Partial<RingModelParams> = {}): RingModelParams {
  const base = WIMMER2014_MODELS[name as RingModelParams['name']];
  if (!base) throw new ConfigError(`unknown ring model '${name}'; use one of ${ringModelNames().join(', ')}`);
  return parseRingModelParams(overrides, base, `ring model '${name}'`);
}
