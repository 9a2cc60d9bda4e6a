import { type RunDirectory, readNpyFile } from '@wmkit/data-io/node';
import { HD_SNN_PRESETS, type HdSnnConfig, hdSnnPreset, parseHdSnnConfig, patternsFor, patternsFromArray } from '@wmkit/delay-snn';
import { csv, HD_RUN_KIND, markdownTable } from '@wmkit/papers';
import type { SpikePatternSet } from '@wmkit/tasks';
import type { NDArray, NumericArray } from '@wmkit/tensor';
import { UsageError } from '../../errors';
import { type ConfigOptionValues, resolveCommandConfig, usage } from '../../options';

export { f4 } from '@wmkit/papers';
export const HD_KIND = HD_RUN_KIND;

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
    kinds: [HD_KIND, 'delay-snn.scan'],
    fromRecorded: (c) => (c && typeof c === 'object' && 'model' in c ? (c as { model: unknown }).model : c),
  }).config;
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

/** A trained delay network and its patterns from its run directory. */
export { readHdRun as loadHdRun } from '@wmkit/papers/node';

/** Writes a table into a run as `<name>.md` and `<name>.csv`, and prints it. */
export function writeTable(run: RunDirectory, name: string, t: { header: string[]; rows: (string | number)[][] }): void {
  const md = markdownTable(t.header, t.rows);
  console.log(`\n${md}\n`);
  run.writeFile(`${name}.md`, `${md}\n`);
  run.writeFile(`${name}.csv`, csv(t.header, t.rows));
}
