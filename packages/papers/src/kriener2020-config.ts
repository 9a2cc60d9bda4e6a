/**
 * The config of a Kriener, Chaudhuri & Fiete 2020 reproduction, as it is validated and read back
 * from a run: the circuits' parameters that may be changed, the input gap Δ (or, for the
 * task-difficulty sweep, the gaps), the sizes N and the trials.
 */
import { z } from 'zod';
import { KRIENER2020_SIZES, kriener2020Params } from './kriener2020';

const PARAM_NAMES = ['alpha', 'beta', 'theta', 'sigma', 'tauEta'] as const;
const params = z.strictObject({
  alpha: z.number().finite(),
  beta: z.number().finite(),
  theta: z.number().finite(),
  sigma: z.number().finite(),
  tauEta: z.number().finite(),
});
const grid = {
  sizes: z.array(z.number()).min(1),
  trials: z.number().int().min(1),
  /** Trials of the conventional WTA with noise (null: min(trials, 40), or 10 with --quick). */
  wtaTrials: z.number().int().min(1).nullable(),
};

/** What determines the result besides the seed (run.json `config` records it with the circuits' full parameters). */
export const kriener2020ConfigSchema = z.strictObject({ params, delta: z.number().finite(), ...grid });
/** The same for the task-difficulty sweep: the input gaps Δ in place of Δ. */
export const kriener2020DeltaConfigSchema = z.strictObject({ params, deltas: z.array(z.number().finite()).min(1), ...grid });
/** A reproduction's config (`kriener2020ConfigSchema`). */
export type Kriener2020Config = z.infer<typeof kriener2020ConfigSchema>;
/** A task-difficulty sweep's config (`kriener2020DeltaConfigSchema`). */
export type Kriener2020DeltaConfig = z.infer<typeof kriener2020DeltaConfigSchema>;

const base = (quick?: boolean) => {
  const ex = kriener2020Params();
  const p = { alpha: ex.alpha, beta: ex.beta, theta: ex.theta, sigma: ex.sigma, tauEta: ex.tauEta };
  return { params: p, trials: quick ? 40 : 200 };
};

/** The defaults: the paper's example parameters, Δ 0.05, N 2–1024, 200 trials (`quick`: 40). */
export function kriener2020Config(o: { quick?: boolean } = {}): Kriener2020Config {
  const { params, trials } = base(o.quick);
  return { params, delta: 0.05, sizes: [...KRIENER2020_SIZES], trials, wtaTrials: null };
}

/** The sweep's defaults: Δ 0.02, 0.05, 0.1, 0.2, N 2–1024 (`quick`: 2–64, 40 trials). */
export function kriener2020DeltaConfig(o: { quick?: boolean } = {}): Kriener2020DeltaConfig {
  const { params, trials } = base(o.quick);
  const sizes = o.quick ? [2, 4, 8, 16, 32, 64] : [...KRIENER2020_SIZES];
  return { params, deltas: [0.02, 0.05, 0.1, 0.2], sizes, trials, wtaTrials: null };
}

/** The fields of `schema` (default: a reproduction's) out of a recorded run.json `config`, which holds every parameter of the circuits. */
export function kriener2020ConfigOfRun(
  recorded: unknown,
  schema: typeof kriener2020ConfigSchema | typeof kriener2020DeltaConfigSchema = kriener2020ConfigSchema,
): Record<string, unknown> {
  const r = (recorded ?? {}) as Record<string, unknown> & { params?: Record<string, unknown> };
  const fields = Object.keys(schema.shape).filter((k) => k !== 'params');
  return { params: Object.fromEntries(PARAM_NAMES.map((k) => [k, r.params?.[k]])), ...Object.fromEntries(fields.map((k) => [k, r[k]])) };
}
