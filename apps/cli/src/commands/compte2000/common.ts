/**
 * Options shared by `wmkit simulate compte2000` and `wmkit reproduce compte2000`: preset, size,
 * `--set path=value` (validated by the model's schema) and the distractor.
 */
import { type CompteConfig, compteConfig, mergeCompteInputs, parseCompteConfig } from '@wmkit/attractor-models';
import { UsageError } from '../../errors';
import { type ConfigOptionValues, resolveCommandConfig } from '../../options';

export interface CompteCliOptions {
  preset: string;
  set?: string[];
  size?: string;
  delay?: number;
  distractor?: string;
}

/** `--size 1024` (N_I = N_E/4) or `--size 1024+256`. */
export function parseSize(v: string): { NE: number; NI: number } {
  const m = /^(\d+)(?:\+(\d+))?$/.exec(v.trim());
  if (!m)
    throw new UsageError(`--size: '${v}' is not a network size; give N_E (N_I = N_E/4) or N_E+N_I, e.g. --size 1024 or --size 2048+512`);
  const NE = Number(m[1]);
  const NI = m[2] ? Number(m[2]) : Math.round(NE / 4);
  if (NE < 16 || NI < 1) throw new UsageError(`--size: ${NE}+${NI} is too small (N_E ≥ 16, N_I ≥ 1)`);
  return { NE, NI };
}

/** `--distractor angle,strength,onsetMs` (degrees, nA, ms into the delay; lasts as long as the cue). */
export function parseDistractor(v: string, cueMs: number): NonNullable<CompteConfig['protocol']['distractor']> {
  const parts = v.split(',').map((x) => Number(x.trim()));
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x)))
    throw new UsageError(
      `--distractor: '${v}' must be angle,strength,onsetMs (degrees, nA, ms into the delay), e.g. --distractor 90,0.2,1000`,
    );
  return { angleDeg: parts[0], ampNa: parts[1], onsetMs: parts[2], durationMs: cueMs };
}

/** The preset with --size/--delay/--distractor. */
export function compteBase(o: CompteCliOptions): CompteConfig {
  const base = compteConfig(o.preset);
  const size = o.size ? parseSize(o.size) : {};
  const cli: Record<string, unknown> = { ...size };
  const protocol: Record<string, unknown> = {};
  if (o.delay != null) protocol.delayMs = o.delay;
  if (o.distractor) protocol.distractor = parseDistractor(o.distractor, base.protocol.cueMs);
  if (Object.keys(protocol).length) cli.protocol = protocol;
  return compteConfig(o.preset, mergeCompteInputs(cli));
}

/**
 * The config and seed of `simulate compte2000`: the preset with --size/--delay/--distractor (or a
 * run's config, with --from), then --config, then each --set (validated by the model's schema;
 * unknown fields listed).
 */
export function resolveCompteConfig(o: CompteCliOptions & ConfigOptionValues): { config: CompteConfig; seed: number | null } {
  return resolveCommandConfig(o, { base: compteBase(o), parse: parseCompteConfig, kinds: ['compte2000.simulate'] });
}
