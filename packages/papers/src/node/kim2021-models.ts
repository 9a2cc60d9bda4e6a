/**
 * The models of a Kim & Sejnowski 2021 reproduction kept as run directories (Node only), so that a
 * stopped reproduction resumes where it stopped: `<models>/seed-<k>` holds the trained DMS network
 * with `lif/` and `scale-ii-<factor>/` beside it, `<models>/<task>-seed-<k>` a network of another
 * task for the panels. A step whose run is complete is read back (typed: a missing field is an
 * error naming it); one that is not is run again, and its run directories are written as soon as
 * its worker returns (`kim2021Models`, `kim2021PanelNetworks`, `kim2021PanelsRun`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readRun } from '@wmkit/data-io/node';
import type { EiRnnTaskName, Engine } from '@wmkit/ei-rnn';
import { EI_RUN_KINDS, lifSummaryOf, scaleSummaryOf, trainingOf } from '../ei-rnn-runs';
import type { RecipeHooks } from '../hooks';
import { KIM2021_PROTOCOL, type Kim2021Result, type KimModelDone, type KimModelWork, type KimProtocol, type KimRecipe } from '../kim2021';
import { kim2021PanelOutputs } from '../kim2021-outputs';
import {
  KIM_PANEL_DEFAULTS,
  type KimPanelNetwork,
  type KimPanelOptions,
  type KimPanelsResult,
  kim2021Panels,
  kimTaskModel,
  kimTaskRecipe,
} from '../kim2021-panels';
import { kim2021Parallel } from './kim2021';
import { type EiRunWriters, type RunStarter, writeRunOutputs } from './run-writer';
import { completeRun, MissingRunError, readRateRun } from './runs';

/** Refuses a model folder that holds a run of another kind than a trained E/I RNN (none or an unreadable one is fine: training remakes it). */
export function checkKimModelDir(dir: string): void {
  if (!existsSync(join(dir, 'run.json'))) return;
  let kind: string;
  try {
    kind = readRun(dir).manifest.kind;
  } catch {
    return;
  }
  if (kind !== EI_RUN_KINDS.rate)
    throw new MissingRunError(`${dir} holds a '${kind}' run, not an E/I RNN ('${EI_RUN_KINDS.rate}'); remove it or choose another --out`);
}

/** The complete steps of one DMS model folder, read back as typed summaries. */
export function kimModelDone(dir: string): KimModelDone {
  if (!completeRun(dir)) return {};
  const rate = readRateRun(dir);
  const done: KimModelDone = { trained: { model: rate.model, training: trainingOf(rate.metrics, rate.preset, `${rate.dir}/run.json`) } };
  const lif = completeRun(join(dir, 'lif'));
  if (!lif) return done;
  done.lif = lifSummaryOf(lif.manifest.metrics, join(dir, 'lif', 'run.json'));
  done.scaled = {};
  for (const f of KIM2021_PROTOCOL.factors) {
    const sub = join(dir, `scale-${KIM2021_PROTOCOL.block}-${f}`);
    const e = completeRun(sub);
    if (e) done.scaled[f] = scaleSummaryOf(e.manifest.metrics, join(sub, 'run.json'));
  }
  return done;
}

/** A converted network of `task` in `dir`, read back, or null when it is not complete. */
export function kimTaskNetwork(dir: string, task: EiRnnTaskName, seed: number): KimPanelNetwork | null {
  const lif = completeRun(dir) && completeRun(join(dir, 'lif'));
  if (!lif) return null;
  const rate = readRateRun(dir);
  if (rate.task !== task)
    throw new MissingRunError(`${dir} holds a network trained on ${rate.task}, not ${task}; remove it or choose another --out`);
  return { seed, task, model: rate.model, inverseScale: lifSummaryOf(lif.manifest.metrics, join(dir, 'lif', 'run.json')).bestInverseScale };
}

/** What of a reproduction's DMS models is done (`kim2021ModelsPlan`). */
export interface KimModelsPlan {
  /** The folder of the models (`<out>.models`). */
  modelsDir: string;
  seeds: number[];
  /** The run directory of one seed's model. */
  dirOf(seed: number): string;
  /** The complete steps of each seed, read back. */
  done: Record<number, KimModelDone>;
  /** The seeds with a step still to run. */
  todo: number[];
}

/** Reads what is done of the models `firstSeed`… in `modelsDir` (a folder holding another kind of run is refused). */
export function kim2021ModelsPlan(modelsDir: string, firstSeed: number, seeds: number): KimModelsPlan {
  const list = Array.from({ length: seeds }, (_, k) => firstSeed + k);
  const dirOf = (seed: number) => join(modelsDir, `seed-${seed}`);
  for (const seed of list) checkKimModelDir(dirOf(seed));
  const done: Record<number, KimModelDone> = {};
  for (const seed of list) done[seed] = kimModelDone(dirOf(seed));
  const complete = (d: KimModelDone) => Boolean(d.trained && d.lif && KIM2021_PROTOCOL.factors.every((f) => d.scaled?.[f]));
  return { modelsDir, seeds: list, dirOf, done, todo: list.filter((s) => !complete(done[s] as KimModelDone)) };
}

/** The run writers of the models (`eiRunWriters`, bound to a run starter and `@wmkit/figures`). */
export type KimModelWriters = Pick<EiRunWriters, 'writeRateRun' | 'writeLifRun' | 'writeScaleRun'>;

/** What `kim2021Models` trains and how. */
export interface Kim2021ModelsOptions {
  recipe: KimRecipe;
  /** The protocol (its trials are also the 750-ms test's and the run directories' records). */
  protocol: KimProtocol;
  /** Worker threads (default: all cores, at most one per model). */
  workers?: number;
  /** Which implementation runs the new steps (default: the wasm kernels). */
  engine?: Engine;
  writers: KimModelWriters;
}

/**
 * The plan's models on worker threads (`kim2021Parallel`): the missing steps of each seed are run
 * and its run directories (`train ei-rnn`, `lif/`, `scale-<block>-<factor>/`) written as soon as
 * its worker returns. Progress: models done (fractions while they run) of `plan.todo`.
 */
export async function kim2021Models(
  plan: KimModelsPlan,
  o: Kim2021ModelsOptions,
  hooks: Omit<RecipeHooks, 'rng'> = {},
): Promise<Kim2021Result> {
  const { recipe, protocol, writers, engine = 'kernels' } = o;
  const save = async (w: KimModelWork) => {
    const dir = plan.dirOf(w.seed);
    const done = plan.done[w.seed];
    let model = done?.trained?.model;
    if (w.train) {
      await writers.writeRateRun(dir, recipe, w.seed, w.train, existsSync(join(dir, 'run.json')), engine);
      model = w.train.model;
    }
    const { trials, timescaleTrials, grid } = protocol;
    if (w.lif) await writers.writeLifRun(dir, w.seed, w.lif, { grid, trials, longTrials: trials });
    const inverseScale = w.lif?.summary.bestInverseScale ?? done?.lif?.bestInverseScale;
    for (const s of w.scaled)
      if (model && inverseScale != null)
        await writers.writeScaleRun(dir, w.seed, model, s.result, { trials, timescaleTrials, inverseScale, label: 'I→I' });
  };
  const fraction = new Map<number, number>();
  const progress = (stage: string) => {
    const done = [...fraction.values()].reduce((a, v) => a + v, 0);
    hooks.onProgress?.({ stage, done, total: plan.todo.length });
  };
  const saving: Promise<void>[] = [];
  const seeds = plan.seeds;
  const result = await kim2021Parallel(
    { recipe, seeds: seeds.length, firstSeed: seeds[0] as number, protocol, done: plan.done, workers: o.workers, engine },
    {
      signal: hooks.signal,
      onModel: (w) => {
        fraction.set(w.seed, 1);
        progress(`seed ${w.seed} done`);
        saving.push(save(w));
      },
      onModelProgress: (seed, f) => {
        fraction.set(seed, f);
        progress(`seed ${seed}`);
      },
    },
  );
  await Promise.all(saving);
  return result;
}

/** What `kim2021PanelsRun` computes and where: the panels' options, the networks' tasks, the models and writers (other fields are ignored). */
export interface Kim2021PanelsRunOptions extends Partial<KimPanelOptions> {
  recipe: KimRecipe;
  protocol: Pick<KimProtocol, 'grid' | 'trials'>;
  /** The DMS models (their complete ones are the DMS networks). */
  plan: KimModelsPlan;
  /** The tasks of the networks (other tasks are trained per seed in `<models>/<task>-seed-<k>` when not complete). */
  tasks: readonly EiRnnTaskName[];
  writers: KimModelWriters;
  /** Starts the panels' run directory. */
  start: RunStarter;
  /** The panels' run directory (`<out>/panels`). */
  dir: string;
}

/** Hooks of `kim2021PanelsRun`: a network trained here and one that failed, besides the panels' progress. */
export interface Kim2021PanelsRunHooks extends Omit<RecipeHooks, 'rng'> {
  /** A network of `task` is trained and converted here, into `dir`. */
  onTrain?: (task: EiRnnTaskName, seed: number, dir: string) => void;
  /** A network of `task` did not train or convert (it is left out of the panels). */
  onFailure?: (task: EiRnnTaskName, seed: number, message: string | null) => void;
}

/** The run kind of the panels' run directory. */
export const KIM2021_PANELS_KIND = 'reproduce.kim2021.panels';

/**
 * The networks of the panels: the complete DMS models, and networks of the other `tasks` (read
 * back, or trained and converted here and saved in `<models>/<task>-seed-<k>`).
 */
export async function kim2021PanelNetworks(o: Kim2021PanelsRunOptions, hooks: Kim2021PanelsRunHooks = {}): Promise<KimPanelNetwork[]> {
  const { plan, engine = 'kernels' } = o;
  const networks: KimPanelNetwork[] = [];
  if (o.tasks.includes('dms'))
    for (const seed of plan.seeds) {
      const d = kimModelDone(plan.dirOf(seed));
      if (d.trained && d.lif) networks.push({ seed, task: 'dms', model: d.trained.model, inverseScale: d.lif.bestInverseScale });
    }
  for (const task of o.tasks.filter((t) => t !== 'dms'))
    for (const seed of plan.seeds) {
      const dir = join(plan.modelsDir, `${task}-seed-${seed}`);
      let net = kimTaskNetwork(dir, task, seed);
      if (!net) {
        hooks.onTrain?.(task, seed, dir);
        const w = await kimTaskModel(o.recipe, task, seed, o.protocol, engine, { signal: hooks.signal });
        await o.writers.writeRateRun(dir, kimTaskRecipe(o.recipe, task), seed, w.train, true, engine);
        const { grid, trials } = o.protocol;
        if (w.lif) await o.writers.writeLifRun(dir, seed, w.lif, { grid, trials, longTrials: 0, task });
        if (w.failure || !w.lif) {
          hooks.onFailure?.(task, seed, w.failure);
          continue;
        }
        net = { seed, task, model: w.train.model, inverseScale: w.lif.summary.bestInverseScale };
      }
      networks.push(net);
    }
  return networks;
}

/**
 * The panels beyond Figs. 2 and 5 (`kim2021Panels`) on `kim2021PanelNetworks`, with their numbers
 * written into the run directory `o.dir` (`kim2021PanelOutputs`; the figures are the caller's).
 */
export async function kim2021PanelsRun(o: Kim2021PanelsRunOptions, hooks: Kim2021PanelsRunHooks = {}): Promise<KimPanelsResult> {
  const keys = [...Object.keys(KIM_PANEL_DEFAULTS), 'engine'] as (keyof KimPanelOptions)[];
  const options = Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<KimPanelOptions>;
  const networks = await kim2021PanelNetworks(o, hooks);
  const p = await kim2021Panels(networks, options, { signal: hooks.signal, onProgress: hooks.onProgress });
  const sub = await o.start(o.dir, { kind: KIM2021_PANELS_KIND, config: { parent: '..', ...p.options }, seed: null, force: true });
  const outputs = kim2021PanelOutputs(p);
  writeRunOutputs(sub, outputs);
  sub.complete(outputs.metrics);
  return p;
}
