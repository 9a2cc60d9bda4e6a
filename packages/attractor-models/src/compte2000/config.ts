/**
 * Configuration of the spiking bump attractor of Compte, Brunel, Goldman-Rakic & Wang 2000
 * (Cereb. Cortex 10:910): typed, validated with zod, defaults from the published model as the
 * neuronaldynamics exercises implement it (Gerstner et al. 2014, `neurodynex3`
 * working_memory_network), and a `paper` preset with the time constants, drive and footprint of
 * the paper. Every value cites its source; docs/models/compte2000.md has the equations.
 *
 * Errors name the field: `parseCompteConfig({ connectivity: { sigmaDeg: 0 } })` throws
 * `ConfigError: compte2000 config: 'connectivity.sigmaDeg': must be > 0 …`.
 */
import { ConfigError, describeConfigIssues, notAnObject } from '@wmkit/data-io';
import { z } from 'zod';

/** A configuration of a Compte network that cannot be used (the one `ConfigError` of `@wmkit/data-io`; the message names the field and the fix). */
export { ConfigError };

const positive = (what: string) => z.number().gt(0, `must be > 0 (${what})`);
const conductance = z.number().min(0, 'must be ≥ 0 (a conductance in nS)');
const angle = z.number().min(0, 'must be in [0, 360) degrees').lt(360, 'must be in [0, 360) degrees');

const neuronSchema = z.strictObject({
  cmNf: positive('membrane capacitance, nF'),
  gLeakNs: positive('leak conductance, nS'),
  eLeakMv: z.number(),
  vThresholdMv: z.number(),
  vResetMv: z.number(),
  refractoryMs: z.number().min(0),
});

const stimulusSchema = z.strictObject({
  /** 'flat': ampNa on |θ − θ₀| ≤ widthDeg; 'gaussian': ampNa·e^{−d²/2w²}. */
  shape: z.enum(['flat', 'gaussian']),
  ampNa: z.number(),
  widthDeg: positive('half-width of the stimulus, degrees'),
});

/** Zod schema of a full Compte et al. 2000 network config (sizes, cells, synapses, drive, connectivity, protocol). */
export const compteConfigSchema = z.strictObject({
  /** Excitatory (pyramidal) and inhibitory cells. */
  NE: z.number().int().min(16),
  NI: z.number().int().min(1),
  /** Integration step (ms), explicit midpoint rule. */
  dtMs: positive('integration step, ms'),
  E: neuronSchema,
  I: neuronSchema,
  synapses: z.strictObject({
    tauAmpaMs: positive('AMPA decay, ms'),
    /** NMDA rise variable x decay. */
    tauXMs: positive('NMDA rise, ms'),
    tauNmdaMs: positive('NMDA decay, ms'),
    alphaPerMs: positive('NMDA saturation rate, 1/ms'),
    tauGabaMs: positive('GABA_A decay, ms'),
    eAmpaMv: z.number(),
    eNmdaMv: z.number(),
    eGabaMv: z.number(),
    mgMm: z.number().min(0),
  }),
  external: z.strictObject({
    /** Independent Poisson inputs per cell, each at rateHz, onto AMPA. */
    nInputs: z.number().int().min(0),
    rateHz: z.number().min(0),
    gEns: conductance,
    gIns: conductance,
  }),
  connectivity: z.strictObject({
    /** Peak of the E→E footprint (J+); J− follows from the unit mean. */
    jPlus: z.number().min(0),
    sigmaDeg: positive('width of the E→E footprint, degrees'),
    /** Per-connection peak conductances (nS) at the reference size 2048 E / 512 I; scaled by 2048/N_E (E-presynaptic) and 512/N_I (I-presynaptic). */
    gEEns: conductance,
    gEIns: conductance,
    gIEns: conductance,
    gIIns: conductance,
  }),
  protocol: z.strictObject({
    preCueMs: z.number().min(0),
    cueMs: z.number().min(0),
    cueAngleDeg: angle,
    cue: stimulusSchema,
    delayMs: z.number().min(0),
    distractor: z
      .strictObject({
        angleDeg: angle,
        /** Amplitude (nA); the shape and width are the cue's. */
        ampNa: z.number(),
        /** Onset after the start of the delay (ms). */
        onsetMs: z.number().min(0),
        durationMs: z.number().min(0),
      })
      .nullable(),
    /** Uniform current to every E cell after the delay (erases the memory). */
    erase: z.strictObject({ ampNa: z.number(), durationMs: z.number().min(0) }).nullable(),
    /** Initial membrane potentials ~ U(vInitMinMv, vInitMaxMv); gating variables start at 0. */
    vInitMinMv: z.number(),
    vInitMaxMv: z.number(),
  }),
  /** Spike-count bins for decoding (ms); bin edges fall on the cue offset. */
  binMs: positive('decoding bin, ms'),
});

/** A validated Compte et al. 2000 network config (the type of `compteConfigSchema`). */
export type CompteConfig = z.infer<typeof compteConfigSchema>;

/** Reference network size the per-connection conductances are given for (Compte et al. 2000). */
export const COMPTE_REFERENCE_SIZE = { NE: 2048, NI: 512 } as const;

const E_CELL = { cmNf: 0.5, gLeakNs: 25, eLeakMv: -70, vThresholdMv: -50, vResetMv: -60, refractoryMs: 2 }; // Compte 2000, Methods
const I_CELL = { cmNf: 0.2, gLeakNs: 20, eLeakMv: -70, vThresholdMv: -50, vResetMv: -60, refractoryMs: 1 }; // Compte 2000, Methods

/**
 * Default: the model as neurodynex3 (`simulate_wm`) runs it at 1024 E / 256 I, with a cue that
 * starts a bump at this size (0.2 nA on ±20°; the exercise's 0.07 nA leaves the network quiet).
 */
export const COMPTE2000_NDX3: CompteConfig = {
  NE: 1024,
  NI: 256,
  dtMs: 0.05, // neurodynex3 runs at 0.1 ms; 0.05 ms halves the midpoint-rule error
  E: E_CELL,
  I: I_CELL,
  synapses: {
    tauAmpaMs: 1.8, // neurodynex3
    tauXMs: 1.88, // neurodynex3 (paper: 2 ms)
    tauNmdaMs: 65, // neurodynex3 (paper: 100 ms)
    alphaPerMs: 0.5, // Compte 2000, Methods
    tauGabaMs: 10, // Compte 2000, Methods
    eAmpaMv: 0,
    eNmdaMv: 0,
    eGabaMv: -70,
    mgMm: 1, // Jahr & Stevens 1990, as in Compte 2000
  },
  external: { nInputs: 1000, rateHz: 1.4, gEns: 3.1, gIns: 2.38 }, // neurodynex3; G_ext from Compte 2000
  connectivity: { jPlus: 1.6, sigmaDeg: 20, gEEns: 0.381, gEIns: 0.292, gIEns: 1.336, gIIns: 1.024 }, // neurodynex3; G from Compte 2000
  protocol: {
    preCueMs: 1000,
    cueMs: 250,
    cueAngleDeg: 180,
    cue: { shape: 'flat', ampNa: 0.2, widthDeg: 20 },
    delayMs: 2000,
    distractor: null,
    erase: null,
    vInitMinMv: -60, // neurodynex3
    vInitMaxMv: -50,
  },
  binMs: 200,
};

/** The paper's parameters (Compte et al. 2000, Methods), meant for 2048 E / 512 I. */
export const COMPTE2000_PAPER: CompteConfig = {
  ...COMPTE2000_NDX3,
  NE: 2048,
  NI: 512,
  synapses: { ...COMPTE2000_NDX3.synapses, tauAmpaMs: 2, tauXMs: 2, tauNmdaMs: 100 },
  external: { ...COMPTE2000_NDX3.external, rateHz: 1.8 }, // 1.8 kHz of external AMPA input per cell
  connectivity: { ...COMPTE2000_NDX3.connectivity, jPlus: 1.62, sigmaDeg: 14.4 },
  protocol: { ...COMPTE2000_NDX3.protocol, cue: { shape: 'gaussian', ampNa: 0.375, widthDeg: 6 } },
};

/** The named configs (`ndx3`, `paper`) with a one-line description each. */
export const COMPTE2000_PRESETS: Record<string, { description: string; config: CompteConfig }> = {
  ndx3: {
    description:
      'Compte et al. 2000 as neurodynex3 runs it: 1024 E / 256 I, τ_NMDA 65 ms, 1.4 kHz drive, J+ 1.6, σ 20°, cue 0.2 nA on ±20°',
    config: COMPTE2000_NDX3,
  },
  paper: {
    description: 'Compte et al. 2000 Methods: 2048 E / 512 I, τ_NMDA 100 ms, 1.8 kHz drive, J+ 1.62, σ 14.4°, Gaussian cue 0.375 nA (6°)',
    config: COMPTE2000_PAPER,
  },
};

/** `T` with every field optional at every depth (null accepted for nested objects). */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object | null ? DeepPartial<NonNullable<T[K]>> | null : T[K] };
/** A partial Compte config: any subset of fields, merged over a preset by `parseCompteConfig`. */
export type CompteConfigInput = DeepPartial<CompteConfig>;

function mergeDeep(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (over === null || typeof over !== 'object' || Array.isArray(over)) return over;
  if (base === null || typeof base !== 'object' || Array.isArray(base)) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) out[k] = mergeDeep(out[k], v);
  return out;
}

/** Validates a (possibly partial) config over `base`; errors name the field and `source`. */
export function parseCompteConfig(value: unknown, base: CompteConfig = COMPTE2000_NDX3, source = 'compte2000 config'): CompteConfig {
  const got = value === undefined ? null : notAnObject(value);
  if (got) throw new ConfigError(`${source}: must be an object, got ${got}`);
  const merged = mergeDeep(base, value ?? {});
  const res = compteConfigSchema.safeParse(merged);
  if (!res.success) throw new ConfigError(`${source}: ${describeConfigIssues(res.error.issues, base, merged)}`);
  const c = res.data;
  const fail = (msg: string) => {
    throw new ConfigError(`${source}: ${msg}`);
  };
  for (const pop of ['E', 'I'] as const) {
    if (!(c[pop].vResetMv < c[pop].vThresholdMv))
      fail(`'${pop}.vResetMv' (${c[pop].vResetMv} mV) must be below '${pop}.vThresholdMv' (${c[pop].vThresholdMv} mV)`);
  }
  const fastest = Math.min(c.synapses.tauXMs, c.synapses.tauAmpaMs, 1 / c.synapses.alphaPerMs);
  if (c.dtMs > fastest / 10)
    fail(
      `'dtMs' (${c.dtMs} ms) is too large for the NMDA rise (τ_x ${c.synapses.tauXMs} ms, 1/α ${1 / c.synapses.alphaPerMs} ms) and AMPA decay (${c.synapses.tauAmpaMs} ms): use dtMs ≤ ${fastest / 10} ms`,
    );
  const pInput = c.external.rateHz * c.dtMs * 1e-3;
  if (pInput >= 0.1)
    fail(`'external.rateHz' × 'dtMs' = ${pInput} spikes per input and step; lower dtMs below ${0.1 / (c.external.rateHz * 1e-3)} ms`);
  if (!(c.protocol.vInitMinMv <= c.protocol.vInitMaxMv))
    fail(`'protocol.vInitMinMv' (${c.protocol.vInitMinMv}) must be ≤ 'protocol.vInitMaxMv' (${c.protocol.vInitMaxMv})`);
  const d = c.protocol.distractor;
  if (d && d.onsetMs + d.durationMs > c.protocol.delayMs)
    fail(
      `'protocol.distractor' (onset ${d.onsetMs} ms + ${d.durationMs} ms) must end within the delay ('protocol.delayMs' ${c.protocol.delayMs} ms)`,
    );
  if (c.binMs < c.dtMs) fail(`'binMs' (${c.binMs}) must be at least one step ('dtMs' ${c.dtMs})`);
  return c;
}

/** The config of preset `preset` (default `ndx3`) with `overrides` merged over it and validated. */
export function compteConfig(preset = 'ndx3', overrides: unknown = {}): CompteConfig {
  const p = COMPTE2000_PRESETS[preset];
  if (!p) throw new ConfigError(`unknown compte2000 preset '${preset}' (presets: ${Object.keys(COMPTE2000_PRESETS).join(', ')})`);
  return parseCompteConfig(overrides, p.config);
}

/** Merges partial configs left to right (later wins), for several `--set`s. */
export function mergeCompteInputs(...parts: unknown[]): unknown {
  return parts.reduce((a, b) => mergeDeep(a, b), {});
}
