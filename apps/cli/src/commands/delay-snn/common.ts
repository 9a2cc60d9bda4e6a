/**
 * What the delay-network commands (`train`, `evaluate`, `scan delay-snn`) share: the presets, the
 * config (preset or --from → --config → --set) and --engine.
 */
import { HD_SNN_PRESETS, type HdSnnConfig, hdSnnPreset, parseHdSnnConfig } from '@wmkit/delay-snn';
import { HD_RUN_KIND } from '@wmkit/papers';
import { Option } from 'commander';
import { type ConfigOptionValues, parseEngine, resolveCommandConfig, usage } from '../../options';

export function hdPresetNames(): string[] {
  return Object.keys(HD_SNN_PRESETS);
}

export const hdPresetOrError = (name: string): HdSnnConfig => usage(() => hdSnnPreset(name), [Error]);

/**
 * The config of a command: the preset (or the config a run recorded, with --from), then a
 * JSON/YAML file, then --set overrides by dotted path (`D=30`, `train.steps=0`, `init.method=pinv`),
 * each validated against the delay-network schema.
 */
export function resolveConfig(o: ConfigOptionValues & { preset: string }): HdSnnConfig {
  return resolveCommandConfig(o, {
    base: hdPresetOrError(o.preset),
    parse: (patch, base, where) => parseHdSnnConfig(patch, base, where),
    kinds: [HD_RUN_KIND, 'delay-snn.scan'],
    fromRecorded: (c) => (c && typeof c === 'object' && 'model' in c ? (c as { model: unknown }).model : c),
  }).config;
}

/** `--engine kernels|tfjs` (default kernels); `tfjs` says what the TensorFlow.js engine does. */
export const engineOption = (tfjs = 'TensorFlow.js ops on the selected backend'): Option =>
  new Option('--engine <name>', `kernels (event-driven wasm) or tfjs (${tfjs})`).argParser(parseEngine).default('kernels');
