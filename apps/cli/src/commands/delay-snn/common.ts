/** Pieces shared by the delay-snn commands: configs from presets, files and --set, patterns, runs. */
import { join } from 'node:path';
import { npyToFloat32 } from '@wmkit/data-io';
import { readNpyFile } from '@wmkit/data-io/node';
import {
  ConfigError,
  HD_SNN_PRESETS,
  type HdSnnConfig,
  type HdSnnModel,
  hdSnnFromArrays,
  hdSnnPreset,
  parseHdSnnConfig,
  patternsFor,
  patternsFromArray,
} from '@wmkit/delay-snn';
import type { SpikePatternSet } from '@wmkit/tasks';
import type { NDArray, NumericArray } from '@wmkit/tensor';
import { UsageError } from '../../errors';
import { readJsonFile } from '../../options';
import { requireRun } from '../../run-helpers';

export const HD_KIND = 'delay-snn';

export function hdPresetNames(): string[] {
  return Object.keys(HD_SNN_PRESETS);
}

export function hdPresetOrError(name: string): HdSnnConfig {
  try {
    return hdSnnPreset(name);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/**
 * Applies `key=value` overrides (keys as in the config: `D`, `p`, `train.steps`,
 * `init.method`, ...); values are parsed as JSON where they can be (numbers, booleans).
 */
export function applySets(cfg: HdSnnConfig, sets: string[]): HdSnnConfig {
  let out = cfg;
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set expects key=value (e.g. --set D=20 or --set train.steps=0), got '${s}'`);
    const key = s.slice(0, eq).trim();
    const raw = s.slice(eq + 1).trim();
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a plain string (e.g. init.method=pinv)
    }
    const parts = key.split('.');
    if (parts.length > 2) throw new UsageError(`--set ${key}: keys are 'field' or 'section.field' (sections: patterns, init, train)`);
    const patch: Record<string, unknown> =
      parts.length === 1 ? { [key]: value } : { [parts[0] as string]: { [parts[1] as string]: value } };
    if (parts.length === 1 && !(key in cfg)) throw new UsageError(`--set ${key}: unknown field (fields: ${Object.keys(cfg).join(', ')})`);
    if (parts.length === 2 && !(parts[0] === 'patterns' || parts[0] === 'init' || parts[0] === 'train')) {
      throw new UsageError(`--set ${key}: unknown section '${parts[0]}' (sections: patterns, init, train)`);
    }
    out = parseHdSnnConfig(patch, out, `--set ${s}`);
  }
  return out;
}

/** The config of a command: preset, then a JSON file (validated), then --set overrides. */
export function resolveConfig(o: { preset: string; config?: string; set?: string[] }): HdSnnConfig {
  let cfg = hdPresetOrError(o.preset);
  if (o.config) cfg = parseHdSnnConfig(readJsonFile(o.config), cfg, o.config);
  return applySets(cfg, o.set ?? []);
}

/** Patterns from a .npy file ([M, N, T] of 0/1; M may differ from the config's and wins), else generated. */
export function loadPatterns(cfg: HdSnnConfig, file?: string): { cfg: HdSnnConfig; set: SpikePatternSet; source: string } {
  if (!file) return { cfg, set: patternsFor(cfg), source: `${cfg.patterns.generator} generator, seed ${cfg.patterns.seed}` };
  let arr: NDArray<NumericArray>;
  try {
    arr = readNpyFile(file) as NDArray<NumericArray>;
  } catch (err) {
    throw new UsageError(`${file}: cannot read the pattern file (${(err as Error).message})`);
  }
  const set = patternsFromArray(arr, file, { N: cfg.N, T: cfg.T });
  return { cfg: parseHdSnnConfig({ M: set.M }, cfg, file), set, source: file };
}

export interface LoadedHdRun {
  dir: string;
  cfg: HdSnnConfig;
  model: HdSnnModel;
  set: SpikePatternSet;
  seed: number;
}

/** A trained delay network and its patterns from its run directory. */
export function loadHdRun(dir: string): LoadedHdRun {
  const rec = requireRun(dir, [HD_KIND], 'train one with `wmkit train delay-snn --preset perrinet2026.reference --out <dir>`');
  const raw = rec.manifest.config as { model?: unknown } | null;
  if (!raw || typeof raw !== 'object' || !('model' in raw)) throw new ConfigError(`${dir}/run.json: config has no 'model' field`);
  const cfg = parseHdSnnConfig(raw.model, undefined, `${dir}/run.json config.model`);
  const arrays: Record<string, NDArray<NumericArray>> = {};
  for (const a of rec.manifest.arrays) {
    if (a.name === 'W') arrays.W = npyToFloat32(readNpyFile(join(rec.dir, a.file)));
    if (a.name === 'patterns') arrays.patterns = readNpyFile(join(rec.dir, a.file)) as NDArray<NumericArray>;
  }
  const model = hdSnnFromArrays(cfg, arrays, `${dir}`);
  if (!arrays.patterns) throw new ConfigError(`${dir}: no 'patterns' array in run.json (the run is incomplete; train it again)`);
  const set = patternsFromArray(arrays.patterns, join(dir, 'patterns.npy'), { N: cfg.N, T: cfg.T });
  return { dir: rec.dir, cfg, model, set, seed: typeof rec.manifest.seed === 'number' ? rec.manifest.seed : cfg.seed };
}

/** A markdown table. */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function csv(header: string[], rows: (string | number)[][]): string {
  return `${[header, ...rows].map((r) => r.join(',')).join('\n')}\n`;
}

export const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : String(x));
