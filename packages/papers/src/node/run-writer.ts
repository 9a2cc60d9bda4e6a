/**
 * Writing run directories (Node only): a run started with the backend and versions recorded
 * (`startRunDirectory`), what a result puts into it (`writeRunOutputs`), and the run directories
 * of the E/I RNN steps (`eiRunWriters`) and of one Kurtkaya et al. 2025 network
 * (`writeStmNetwork`) — the same directories `wmkit` writes, so a script makes runs the CLI,
 * the reproductions and the viewer read back. Figures are drawn by `@wmkit/figures`, which sits
 * above this package: the writers take its figure functions as arguments.
 */

import type { TimescaleResult } from '@wmkit/analysis';
import { RunDirectory } from '@wmkit/data-io/node';
import { type EiRnnTaskName, type EiRnnTaskRecord, type RateRNN, rateRnnToArrays } from '@wmkit/ei-rnn';
import { backendInfo, initBackend, kernelInfo } from '@wmkit/tensor';
import { EI_RUN_KINDS, lifArrays, lifRunConfig, rateModelArrays, rateRunConfig, timescaleArrays } from '../ei-rnn-runs';
import type { KimConvertResult, KimRecipe, KimScaleResult, KimTrainResult } from '../kim2021';
import type { StmDynamics, StmNetworkResult } from '../kurtkaya2025-network';
import type { RunArray, RunOutputs } from '../outputs';

/** How a run directory is started (what its run.json records besides the results). */
export interface StartRunOptions {
  kind: string;
  config: unknown;
  seed: number | string | null;
  preset?: string | null;
  notes?: string[];
  /** Replace a run already in the directory. */
  force?: boolean;
  /** The command line that makes this run (default: none recorded). */
  command?: string[];
  /** Package versions to record (default: none). */
  versions?: Record<string, string>;
  /** The memory the run was estimated to need. */
  memory?: { estimatedBytes: number; availableBytes: number | null } | null;
  /** Renders a figure's SVG as PNG, written beside it (default: SVG only). */
  pngRenderer?: (svg: string) => Uint8Array;
}

/** Starts a run directory; the CLI passes one that also records its command line and output formats. */
export type RunStarter = (dir: string, o: StartRunOptions) => Promise<RunDirectory>;

/** Creates a run directory recording the tensor backend (initialised if it is not yet) and the wasm kernels' build. */
export const startRunDirectory: RunStarter = async (dir, o) => {
  const backend = backendInfo() ?? (await initBackend());
  const run = RunDirectory.create(dir, {
    kind: o.kind,
    config: o.config,
    seed: o.seed,
    preset: o.preset ?? null,
    backend: { ...backend, kernels: kernelInfo() },
    versions: o.versions ?? {},
    command: o.command ?? [],
    notes: o.notes ?? [],
    overwrite: o.force === true,
    memory: o.memory ?? null,
  });
  if (o.pngRenderer) run.pngRenderer = o.pngRenderer;
  return run;
};

/** A figure of a run: its file name (no extension), SVG and caption. */
export interface RunFigure {
  name: string;
  svg: string;
  caption: string;
}

/** A figure to write: `{ name, svg, caption }` or `[name, svg, caption]`. */
export type RunFigureEntry = RunFigure | readonly [string, string, string];

/** Writes what a result puts into its run directory (arrays, records, files, timings) and its figures. */
export function writeRunOutputs(run: RunDirectory, o: RunOutputs | RunArray[] = {}, figures: readonly RunFigureEntry[] = []): void {
  const out: RunOutputs = Array.isArray(o) ? { arrays: o } : o;
  for (const a of out.arrays ?? []) run.writeArray(a.name, a.array, { dtype: a.dtype, description: a.description });
  for (const r of out.records ?? []) run.appendMetrics(r);
  for (const [name, text] of out.files ?? []) run.writeFile(name, text);
  for (const [name, s] of out.timings ?? []) run.setTiming(name, s);
  for (const f of figures) {
    const [name, svg, caption] = 'name' in f ? [f.name, f.svg, f.caption] : f;
    run.addFigure(name, svg, caption);
  }
}

/** The `@wmkit/figures` functions the E/I RNN run writers draw with. */
export interface EiRunFigures {
  /** The training curve (loss and accuracy per evaluation) with the stopping thresholds. */
  rateTrainingFigure(
    history: { trial: number; loss: number; accuracy: number }[],
    o: { lossThreshold?: number | null; accuracyThreshold?: number | null; title: string },
  ): RunFigure;
  /** Accuracy against 1/λ of the conversion's search. */
  lambdaSearchFigure(r: Pick<KimConvertResult, 'search' | 'summary'>, title: string): RunFigure;
  /** The timescale histogram and the population autocorrelation. */
  timescaleFigures(result: TimescaleResult, title: string): RunFigure[];
}

/** The run writers `eiRunWriters` returns. */
export interface EiRunWriters {
  /** Starts a training run directory (run.json config: preset, departures, model, train, task; the engine in its metrics). */
  startRateRun(
    dir: string,
    recipe: KimRecipe,
    seed: number,
    force?: boolean,
    engine?: string,
    task?: EiRnnTaskRecord,
  ): Promise<RunDirectory>;
  /** Finishes a training run (arrays, training curve, metrics); a diverged training is marked failed. Returns false when it failed. */
  finishRateRun(run: RunDirectory, recipe: KimRecipe, seed: number, r: KimTrainResult): boolean;
  /** A whole training run from a result computed elsewhere (a worker): evaluations, model, metrics. */
  writeRateRun(dir: string, recipe: KimRecipe, seed: number, r: KimTrainResult, force: boolean, engine?: string): Promise<boolean>;
  /** The arrays, figure and metrics of a conversion (its λ search lines are appended as they come). */
  finishLifRun(run: RunDirectory, r: Omit<KimConvertResult, 'net'>, title: string): void;
  /** A whole conversion sub-run `<dir>/lif` from a result computed elsewhere. */
  writeLifRun(
    dir: string,
    seed: number,
    r: Omit<KimConvertResult, 'net'>,
    o: { grid: readonly number[]; trials: number; longTrials: number; task?: EiRnnTaskName },
  ): Promise<void>;
  /** A scaling experiment's sub-run `<dir>/scale-<block>-<factor>`; returns its directory. */
  writeScaleRun(
    dir: string,
    seed: number,
    model: RateRNN,
    r: KimScaleResult,
    o: { trials: number; timescaleTrials: number; inverseScale: number; label: string },
  ): Promise<string>;
}

/**
 * The run writers of the E/I RNN steps (training, conversion, synapse scaling), bound to a run
 * starter and the figure functions: the files `wmkit train ei-rnn`, `convert lif`, `experiment
 * scale-synapses` and `reproduce kim2021` write.
 */
export function eiRunWriters(start: RunStarter, figures: EiRunFigures): EiRunWriters {
  async function startRateRun(dir: string, recipe: KimRecipe, seed: number, force?: boolean, engine = 'kernels', task?: EiRnnTaskRecord) {
    const config = rateRunConfig(recipe, task);
    const run = await start(dir, { kind: EI_RUN_KINDS.rate, config, seed, preset: recipe.preset, notes: recipe.departures, force });
    run.setMetrics({ engine }); // which implementation trained it: the wasm kernels or TensorFlow.js ops
    return run;
  }

  function finishRateRun(run: RunDirectory, recipe: KimRecipe, seed: number, r: KimTrainResult): boolean {
    const { stopLossBelow: lossThreshold, stopAccuracyAbove: accuracyThreshold } = recipe.train;
    writeRunOutputs(run, rateModelArrays(r.model), [
      figures.rateTrainingFigure(r.history, { lossThreshold, accuracyThreshold, title: `${recipe.preset}, seed ${seed}` }),
    ]);
    if (r.diverged) {
      const { rateAccuracyShortDelay: _s, rateAccuracyLongDelay: _l, ...metrics } = r.summary;
      run.setMetrics({ ...metrics, diverged: true });
      run.fail(new Error(`${r.diverged}; the model arrays hold the last good checkpoint`));
      return false;
    }
    run.complete({ ...r.summary });
    return true;
  }

  async function writeRateRun(dir: string, recipe: KimRecipe, seed: number, r: KimTrainResult, force: boolean, engine = 'kernels') {
    const run = await startRateRun(dir, recipe, seed, force, engine);
    for (const e of r.history) run.appendMetrics(e);
    const last = r.history.at(-1);
    if (last) run.setMetrics({ checkpointTrial: last.trial });
    return finishRateRun(run, recipe, seed, r);
  }

  function finishLifRun(run: RunDirectory, r: Omit<KimConvertResult, 'net'>, title: string): void {
    writeRunOutputs(run, lifArrays(r), [figures.lambdaSearchFigure(r, title)]);
    run.complete({ ...r.summary });
  }

  async function writeLifRun(
    dir: string,
    seed: number,
    r: Omit<KimConvertResult, 'net'>,
    o: { grid: readonly number[]; trials: number; longTrials: number; task?: EiRnnTaskName },
  ): Promise<void> {
    const run = await start(`${dir}/lif`, { kind: EI_RUN_KINDS.lif, config: lifRunConfig(o), seed, force: true });
    for (const s of r.search) run.appendMetrics(s);
    finishLifRun(run, r, `${dir}: λ search`);
  }

  async function writeScaleRun(
    dir: string,
    seed: number,
    model: RateRNN,
    r: KimScaleResult,
    o: { trials: number; timescaleTrials: number; inverseScale: number; label: string },
  ): Promise<string> {
    const { block, factor } = r.summary;
    const out = `${dir}/scale-${block}-${factor}`;
    const { trials, timescaleTrials, inverseScale } = o;
    const config = { parent: '..', block, factor, trials, timescaleTrials, inverseScale };
    const run = await start(out, { kind: EI_RUN_KINDS.scale, config, seed, force: true });
    // the scaled network has the same E/I identity as `model`
    writeRunOutputs(
      run,
      timescaleArrays(r.scaled.counts, r.scaled.result, model.sign),
      figures.timescaleFigures(r.scaled.result, `${o.label} × ${factor}: neuronal timescales`),
    );
    run.writeArray('baseline_tau_ms', { data: r.baselineTauMs, shape: [model.config.N] });
    run.complete({ ...r.summary });
    return out;
  }

  return { startRateRun, finishRateRun, writeRateRun, finishLifRun, writeLifRun, writeScaleRun };
}

/** The run kind of one trained Kurtkaya et al. 2025 network (`wmkit train stm-rnn`). */
export const STM_RUN_KIND = 'stm-rnn';

/** The note a network's run gets when its batch is smaller than the paper's 64 trials per cue. */
export const stmFewTrialsNote = (per: number) => `${per} trials per cue instead of the paper's 64 (trials differ only by noise and r0)`;

/** Starts the run directory of one Kurtkaya et al. 2025 network (its config, seed, note and engine recorded). */
export async function startStmRun(
  start: RunStarter,
  dir: string,
  o: { config: StmNetworkResult['config']; seed: number; engine: string; force?: boolean; command?: string[] },
): Promise<RunDirectory> {
  const per = o.config.trialsPerCue;
  const notes = per !== 64 ? [stmFewTrialsNote(per)] : [];
  const run = await start(dir, {
    kind: STM_RUN_KIND,
    config: o.config,
    seed: o.seed,
    preset: 'kurtkaya2025',
    notes,
    force: o.force,
    command: o.command,
  });
  run.setMetrics({ engine: o.engine }); // which implementation trained it: the wasm kernels or TensorFlow.js autodiff
  return run;
}

/** The `@wmkit/figures` functions `writeStmNetwork` draws with. */
export interface StmNetworkFigures {
  /** The autonomous trajectories and the fixed/slow points on the top 3 PCs. */
  stmPcaFixedPointsSvg(d: StmDynamics): string;
  /** Loss, accuracy and reliability per epoch. */
  stmTrainingSvg(r: { loss: Float32Array; accuracy: Float32Array; reliability: Float32Array; epochs: number }, title: string): string;
}

/**
 * Writes a trained Kurtkaya et al. 2025 network into `run` (weights, loss / accuracy /
 * reliability per epoch, the dynamics when computed, figures) and completes it with its class
 * and scores, which it returns.
 */
export function writeStmNetwork(run: RunDirectory, r: StmNetworkResult, figures: StmNetworkFigures) {
  const { epochs } = r;
  for (const [name, arr] of Object.entries(rateRnnToArrays(r.model))) run.writeArray(name, arr);
  run.writeArray('loss', { data: r.loss, shape: [epochs] }, { description: 'weighted MSE per epoch' });
  run.writeArray('accuracy', { data: r.accuracy, shape: [epochs] }, { description: 'reaction-window accuracy per epoch' });
  run.writeArray('reliability', { data: r.reliability, shape: [epochs] }, { description: 'reaction-window reliability per epoch' });
  let dynamics: { fixedPoints: number; stableFixedPoints: number; slowPoints: number; pcaExplained3: number } | null = null;
  const d = r.dynamics;
  if (d) {
    run.writeArray(
      'pca_trajectories',
      { data: d.projection, shape: [d.nCues, d.T, 3] },
      { description: 'autonomous run per cue (trial input, then zero input for 9× the trial) on the top 3 PCs' },
    );
    run.writeArray('pca_explained', { data: Float32Array.from(d.explained), shape: [3] }, { description: 'variance explained by PC1–3' });
    const K = d.points.length;
    run.writeArray(
      'fixed_points_pca',
      { data: d.pointsProjection, shape: [K, 3] },
      { description: 'fixed/slow points of the zero-input map on PC1–3' },
    );
    run.writeArray('fixed_points_q', { data: Float32Array.from(d.points, (p) => p.q), shape: [K] }, { description: 'q = ½‖F(x) − x‖²' });
    run.writeArray(
      'fixed_points_unstable',
      { data: Float32Array.from(d.points, (p) => p.unstableDirections), shape: [K] },
      { description: 'number of Jacobian eigenvalues with |λ| > 1 (0 = stable)' },
    );
    run.writeArray(
      'fixed_points_slow',
      { data: Uint8Array.from(d.points, (p) => (p.kind === 'slow' ? 1 : 0)), shape: [K] },
      { description: '1 = slow point (q above the fixed-point tolerance 1e-10), 0 = fixed point' },
    );
    run.writeArray(
      'fixed_points_radius',
      { data: Float32Array.from(d.points, (p) => p.spectralRadius), shape: [K] },
      { description: 'spectral radius of the Jacobian' },
    );
    dynamics = {
      fixedPoints: d.points.filter((p) => p.kind === 'fixed').length,
      stableFixedPoints: d.points.filter((p) => p.stable && p.kind === 'fixed').length,
      slowPoints: d.points.filter((p) => p.kind === 'slow').length,
      pcaExplained3: d.explained[0] + d.explained[1] + d.explained[2],
    };
    run.addFigure(
      'pca_fixed_points',
      figures.stmPcaFixedPointsSvg(d),
      `${d.nCues === 2 ? 'both cues' : 'the cue'}: the trial input, then zero input for 9× the trial; filled = stable fixed point, open = unstable (saddle) or slow point`,
    );
  }
  run.addFigure(
    'training',
    figures.stmTrainingSvg(r, `lr ${r.config.lr}, delay ${r.config.task.delayMs} ms: ${r.outcome}${r.mechanism ? `, ${r.mechanism}` : ''}`),
    'loss, accuracy (blue) and reliability (orange) per epoch',
  );
  const metrics = {
    outcome: r.outcome,
    mechanism: r.mechanism,
    psdRatio: r.psdRatio,
    class: r.class,
    lr: r.config.lr,
    delayMs: r.config.task.delayMs,
    epochs,
    seconds: r.seconds,
    finalAccuracy: r.finalAccuracy,
    finalReliability: r.finalReliability,
    ...(dynamics ?? {}),
  };
  run.complete(metrics);
  return metrics;
}
