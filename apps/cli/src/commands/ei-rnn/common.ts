/** Pieces shared by the ei-rnn commands: loading trained models, options, small formatting. */
import { ConfigError, eiRnnPreset, parseRateRnnConfig, type RateRNN, rateRnnFromArrays, type SpikingRNN, toSpiking } from '@wmkit/ei-rnn';
import { dmsTask } from '@wmkit/tasks';
import { UsageError } from '../../errors';
import { loadRunArrays, requireRun } from '../../run-helpers';

export const EI_RATE_KIND = 'ei-rnn.rate';
export const EI_LIF_KIND = 'ei-rnn.lif';

export interface LoadedRateRun {
  dir: string;
  model: RateRNN;
  seed: number;
  preset: string | null;
  config: { model: unknown; train?: unknown; task?: { variant?: string } };
}

/** A trained (or imported) rate model from its run directory. */
export function loadRateRun(dir: string): LoadedRateRun {
  const rec = requireRun(
    dir,
    [EI_RATE_KIND],
    'train one with `wmkit train ei-rnn --preset kim2021.dms --out <dir>` (or import one with `wmkit import kim-mat`)',
  );
  const cfg = rec.manifest.config as LoadedRateRun['config'];
  if (!cfg || typeof cfg !== 'object' || !('model' in cfg)) throw new ConfigError(`${dir}/run.json: config has no 'model' field`);
  const modelConfig = parseRateRnnConfig(cfg.model, undefined, `${dir}/run.json config.model`);
  const model = rateRnnFromArrays(modelConfig, loadRunArrays(rec), dir);
  const seed = typeof rec.manifest.seed === 'number' ? rec.manifest.seed : 0;
  return { dir: rec.dir, model, seed, preset: rec.manifest.preset, config: cfg };
}

export interface LoadedLif {
  net: SpikingRNN;
  inverseScale: number;
}

/** The converted spiking network of a rate run (its `lif/` sub-run), or a clear error. */
export function loadLifRun(parentDir: string, model: RateRNN): LoadedLif {
  const dir = `${parentDir}/lif`;
  let rec: ReturnType<typeof requireRun>;
  try {
    rec = requireRun(dir, [EI_LIF_KIND], 'convert the model first');
  } catch (err) {
    throw new UsageError(
      `${parentDir} has no converted spiking network (${(err as Error).message}); run \`wmkit convert lif ${parentDir}\` first`,
    );
  }
  const inv = Number(rec.manifest.metrics.bestInverseScale);
  if (!(inv > 0)) throw new ConfigError(`${dir}/run.json: metrics.bestInverseScale is missing or not positive`);
  return { net: toSpiking(model, { scale: 1 / inv }), inverseScale: inv };
}

export function dmsTasks() {
  return { short: dmsTask({ variant: 'short' }), long: dmsTask({ variant: 'long' }) };
}

export function presetOrError(name: string) {
  try {
    return eiRnnPreset(name);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
