/**
 * Kurtkaya et al. 2025 (ICML), "Dynamical phases of short-term memory mechanisms in RNNs": the
 * phase diagram over learning rate × delay. Networks are trained on the delayed
 * cue-discrimination task for every learning rate, delay and seed, each classified as not learned
 * / limit cycle / slow-point manifold (`trainStmNetwork`); then the fractions per cell, the onset
 * T_c of the no-learning region per learning rate (fit of 1 − e^(−a(T − T_c)), the authors'
 * `exp_saturation`) and the critical-learning-rate exponent β of lr_c ∝ T_c^(−β) (Fig. 4; the
 * paper: 2.72 ± 0.07 without a post period, 2.65 ± 0.23 with one).
 *
 * Networks run through `hooks.runNetworks` (default: one after another in this thread;
 * `kurtkaya2025Parallel` in `@wmkit/papers/node` runs them on worker threads), and networks
 * already trained can be passed in `known` so that only the missing ones are trained.
 */
import { criticalLearningRateFit, noLearningCurve, noLearningOnsetFit, type ScalingFit } from '@wmkit/analysis';
import { type StmProtocol, stmProtocol } from '@wmkit/ei-rnn';
import { KURTKAYA2025_DCDT } from '@wmkit/tasks';
import { runStepsYielding, ShapeError } from '@wmkit/tensor';
import { type RecipeHooks, throwIfAborted } from './hooks';
import { type StmClass, type StmNetworkResult, trainStmNetworkSteps } from './kurtkaya2025-network';

const p4 = (x: number) => Number(x.toPrecision(4));

/**
 * The authors' learning rates (narrow/sort_data.py): the "narrow" grid logspace(−0.5, −2, 20)[:15]
 * (0.316 … 0.025, where the no-learning boundary crosses 0–400 ms) joined with the "broad" grid
 * logspace(−1, −3, 15) (0.1 … 0.001, where slow-point manifolds live), high to low.
 */
export const KURTKAYA2025_PAPER_LRS: readonly number[] = [
  ...Array.from({ length: 15 }, (_, i) => 10 ** (-0.5 - (1.5 * i) / 19)),
  ...Array.from({ length: 15 }, (_, i) => 10 ** (-1 - (2 * i) / 14)),
]
  .sort((a, b) => b - a)
  .map(p4);

/** The grid of the phase diagram: learning rates, delays (ms), seeds per cell and trials per cue. */
export interface Kurtkaya2025Grid {
  lrs: readonly number[];
  delays: readonly number[];
  /** Seeds per cell (0 … seeds − 1). */
  seeds: number;
  trialsPerCue: number;
}

/** The paper's grid: 30 learning rates × delays 0–400 ms every 20 ms × 100 seeds, 64 trials per cue. */
export const KURTKAYA2025_FULL: Kurtkaya2025Grid = {
  lrs: KURTKAYA2025_PAPER_LRS,
  delays: Array.from({ length: 21 }, (_, i) => 20 * i),
  seeds: 100,
  trialsPerCue: 64,
};

/** Reduced grid: every other rate of the narrow range (the no-learning onset) plus 0.01 (slow points), every 40 ms. */
export const KURTKAYA2025_QUICK: Kurtkaya2025Grid = {
  lrs: [0.3162, 0.2198, 0.1528, 0.1062, 0.07386, 0.05135, 0.0357, 0.01],
  delays: Array.from({ length: 11 }, (_, i) => 40 * i),
  seeds: 3,
  trialsPerCue: 4,
};

/** The paper's critical-learning-rate exponents (no-solution boundary), without and with a post period. */
export const KURTKAYA2025_BETA = { nopost: { beta: 2.72, se: 0.07 }, post: { beta: 2.65, se: 0.23 } } as const;

/** The paper's exponent of the slow-point-manifold boundary (lr ∝ T_SP^(−β), no post period; toy model: 4). */
export const KURTKAYA2025_BETA_SP = { beta: 4.05, se: 0.1 } as const;

/** The paper's no-learning exponent of the no-memory control (the target is the cue at every step). */
export const KURTKAYA2025_BETA_NO_MEMORY = { beta: 0.38, se: 0.02 } as const;

/** The Kurtkaya et al. 2025 run: the grid (default the full one), the post period and the networks already classified. */
export interface Kurtkaya2025Options extends Partial<Kurtkaya2025Grid> {
  /** Post-response period in ms (the paper: 0, or 30 in its second set of runs). */
  postMs?: number;
  /**
   * Classes of networks trained before, by network id (`kurtkaya2025NetworkId`): these are not
   * trained again. The caller vouches that they were made with the same protocol.
   */
  known?: ReadonlyMap<string, StmClass | Kurtkaya2025Known>;
  /** Which implementation trains the networks: the wasm scan kernel (default) or tfjs autodiff on the selected backend. */
  engine?: 'kernels' | 'tfjs';
  /**
   * The task every network learns (default `dcdt`): the delayed cue-discrimination task, the
   * delayed-activation task (no cue: respond after the delay) or the no-memory control (the target
   * is the cue at every step).
   */
  task?: StmTaskKind;
}

/** A network trained before: its class, and (for the report's PSD-ratio and loss plots) its power ratio and loss per epoch. */
export interface Kurtkaya2025Known {
  class: StmClass;
  psdRatio: number | null;
  /** Loss per epoch (or its first epochs); null when not kept. */
  loss: Float32Array | null;
}

/** Epochs of each network's loss the result keeps (the authors' loss-by-class figure shows the first 1,000). */
export const KURTKAYA2025_LOSS_EPOCHS = 1000;

/** The tasks of Kurtkaya et al. 2025 a phase diagram can be made of. */
export const STM_TASK_KINDS = ['dcdt', 'delayed-activation', 'no-memory'] as const;
/** One of `STM_TASK_KINDS`. */
export type StmTaskKind = (typeof STM_TASK_KINDS)[number];

/**
 * The grid as a sweep spec of `train stm-rnn` runs (what `wmkit sweep run|slurm` reads; `kind`
 * is the runs' kind): one run per learning rate × delay × seed, with the engine that trains them
 * recorded, so that runs made with another engine are not taken for these.
 */
export function kurtkaya2025SweepSpec(
  g: Pick<Kurtkaya2025Grid, 'lrs' | 'delays' | 'seeds' | 'trialsPerCue'> & { postMs: number; task: StmTaskKind },
  kind: string,
  engine: 'kernels' | 'tfjs',
): Record<string, unknown> {
  return {
    name: 'kurtkaya2025',
    kind,
    command: [
      'train',
      'stm-rnn',
      '--task',
      g.task,
      '--lr',
      '{lr}',
      '--delay',
      '{delay}',
      '--post',
      String(g.postMs),
      '--trials-per-cue',
      String(g.trialsPerCue),
      '--seed',
      '{seed}',
      '--engine',
      engine,
      '--no-fixed-points',
    ],
    grid: { lr: [...g.lrs], delay: [...g.delays] },
    seeds: g.seeds,
    out: '.',
  };
}

/** One network of the grid: its id, grid position and resolved protocol. */
export interface Kurtkaya2025Network {
  id: string;
  lr: number;
  delay: number;
  seed: number;
  config: StmProtocol;
}

/** Per learning rate × delay: networks classified and the fraction in each class (NaN when none). */
export interface Kurtkaya2025Cell {
  lr: number;
  delay: number;
  n: number;
  notLearned: number;
  lc: number;
  sp: number;
}

export interface Kurtkaya2025Hooks extends RecipeHooks {
  /**
   * Trains the given networks and calls `onResult` as each finishes (default: one after another
   * in this thread). Results may arrive in any order; the index is into `networks`.
   */
  runNetworks?: (
    networks: Kurtkaya2025Network[],
    onResult: (result: StmNetworkResult, index: number) => void,
    signal?: AbortSignal,
    /** The engine the networks train on (`Kurtkaya2025Options.engine`). */
    engine?: 'kernels' | 'tfjs',
  ) => Promise<void>;
  /** Each newly trained network as it finishes (e.g. to save it for a rerun). */
  onNetwork?: (network: Kurtkaya2025Network, result: StmNetworkResult) => void;
}

/** The phase diagram: every network's class, the fractions per cell, the no-learning onset fits and the exponent β. */
export interface Kurtkaya2025Result {
  lrs: number[];
  delays: number[];
  seeds: number;
  trialsPerCue: number;
  postMs: number;
  /** The task the networks learned. */
  task: StmTaskKind;
  /** Every network of the grid (learning rate outermost, then delay, then seed). */
  networks: Kurtkaya2025Network[];
  /** Per network: its class (null: not classified). */
  classes: (StmClass | null)[];
  /** Per network: the power ratio of its autonomous run (null: not learned, or not known). */
  psdRatios: (number | null)[];
  /** Per network: its loss over the first `KURTKAYA2025_LOSS_EPOCHS` epochs (null: not known). */
  losses: (Float32Array | null)[];
  /** Networks trained in this call, and taken from `known`. */
  trainedNow: number;
  reused: number;
  /** Per learning rate × delay (learning rate outermost). */
  cells: Kurtkaya2025Cell[];
  /** Per learning rate: the no-learning onset fit (NaN without at least 3 delays or an onset). */
  onsetFits: { lr: number; onset: number; rate: number }[];
  /** The critical-learning-rate fit (null: fewer than 3 learning rates with an onset). */
  fit: ScalingFit | null;
  /** The points of that fit: learning rates with a positive onset. */
  fitPoints: { lr: number; tc: number }[];
  /** The fitted line through `fitPoints` (sorted by T_c; empty without a fit). */
  fitLine: { lr: number; tc: number }[];
  /** The paper's β, for the task and post period used (null: the paper gives none, e.g. delayed activation). */
  paper: { beta: number; se: number } | null;
  /** A line of the paper's slope through the centroid of `fitPoints` (empty without a fit). */
  paperLine: { lr: number; tc: number }[];
  /** The fitted no-learning curves, every 5 ms of delay, per learning rate with an onset. */
  onsetCurves: { lr: number; delay: number; f: number }[];
}

/** A network's id in the grid (also its run directory's name): `lr-0.1_delay-100_seed-0`. */
export function kurtkaya2025NetworkId(lr: number, delay: number, seed: number): string {
  const part = (v: number) => String(v).replace(/[^A-Za-z0-9.+-]/g, '_');
  return `lr-${part(lr)}_delay-${part(delay)}_seed-${seed}`;
}

/** The grid of networks with their protocols (defaults: the paper's grid, no post period). */
export function kurtkaya2025Networks(o: Kurtkaya2025Options = {}): Kurtkaya2025Network[] {
  const g = { ...KURTKAYA2025_FULL, ...definedOnly(o) };
  const postMs = o.postMs ?? 0;
  const kind = o.task ?? 'dcdt';
  if (!(STM_TASK_KINDS as readonly string[]).includes(kind))
    throw new ShapeError(`kurtkaya2025: task '${kind}' is not dcdt, delayed-activation or no-memory`);
  if (!(Number.isInteger(g.seeds) && g.seeds >= 1)) throw new ShapeError(`kurtkaya2025: seeds (${g.seeds}) must be an integer ≥ 1`);
  if (!(Number.isInteger(g.trialsPerCue) && g.trialsPerCue >= 1))
    throw new ShapeError(`kurtkaya2025: trialsPerCue (${g.trialsPerCue}) must be an integer ≥ 1`);
  // the task owns dt: the times are whole numbers of its steps
  const dt = KURTKAYA2025_DCDT.dtMs;
  const steps = (ms: number) => ms >= 0 && Math.abs(ms / dt - Math.round(ms / dt)) <= 1e-9 * Math.max(1, ms / dt);
  if (!steps(postMs)) throw new ShapeError(`kurtkaya2025: postMs (${postMs}) must be ≥ 0 and a multiple of the task's dt (${dt} ms)`);
  for (const d of g.delays)
    if (!steps(d)) throw new ShapeError(`kurtkaya2025: delay ${d} ms is not ≥ 0 and a multiple of the task's dt (${dt} ms)`);
  for (const l of g.lrs) if (!(l > 0)) throw new ShapeError(`kurtkaya2025: learning rate ${l} is not > 0`);
  const out: Kurtkaya2025Network[] = [];
  for (const lr of g.lrs)
    for (const delay of g.delays) {
      const config = stmProtocol({ lr, task: { kind, delayMs: delay, postMs }, trialsPerCue: g.trialsPerCue });
      for (let seed = 0; seed < g.seeds; seed++) out.push({ id: kurtkaya2025NetworkId(lr, delay, seed), lr, delay, seed, config });
    }
  return out;
}

function definedOnly(o: Kurtkaya2025Options): Partial<Kurtkaya2025Grid> {
  const r: Partial<Kurtkaya2025Grid> = {};
  if (o.lrs) r.lrs = o.lrs;
  if (o.delays) r.delays = o.delays;
  if (o.seeds != null) r.seeds = o.seeds;
  if (o.trialsPerCue != null) r.trialsPerCue = o.trialsPerCue;
  return r;
}

/** A line of slope −β in log lr vs log T_c through the centroid of the points, over their range. */
export function paperSlopeLine(pts: { lr: number; tc: number }[], beta: number): { lr: number; tc: number }[] {
  const mx = pts.reduce((a, p) => a + Math.log(p.tc), 0) / pts.length;
  const my = pts.reduce((a, p) => a + Math.log(p.lr), 0) / pts.length;
  const tcs = pts.map((p) => p.tc);
  return [Math.min(...tcs), Math.max(...tcs)].map((tc) => ({ tc, lr: Math.exp(my - beta * (Math.log(tc) - mx)) }));
}

async function runInThread(
  networks: Kurtkaya2025Network[],
  onResult: (r: StmNetworkResult, i: number) => void,
  signal?: AbortSignal,
  engine?: 'kernels' | 'tfjs',
): Promise<void> {
  for (let i = 0; i < networks.length; i++) {
    throwIfAborted(signal);
    onResult(
      await runStepsYielding(trainStmNetworkSteps({ config: networks[i].config, seed: networks[i].seed, engine }, { signal }), { signal }),
      i,
    );
  }
}

/**
 * The phase diagram of Kurtkaya et al. 2025 from classified networks: fractions per cell, onset
 * fits, the critical-learning-rate exponent. `classes` is per network of `networks` (null: none).
 */
export function kurtkaya2025Phases(
  grid: { lrs: readonly number[]; delays: readonly number[]; postMs: number; task?: StmTaskKind },
  networks: readonly Kurtkaya2025Network[],
  classes: readonly (StmClass | null)[],
): Pick<Kurtkaya2025Result, 'cells' | 'onsetFits' | 'fit' | 'fitPoints' | 'fitLine' | 'paper' | 'paperLine' | 'onsetCurves'> {
  const { lrs, delays } = grid;
  const cells: Kurtkaya2025Cell[] = [];
  for (const lr of lrs)
    for (const delay of delays) {
      const c: number[] = [];
      networks.forEach((net, i) => {
        const k = classes[i];
        if (net.lr === lr && net.delay === delay && k != null) c.push(k);
      });
      const n = c.length;
      cells.push({
        lr,
        delay,
        n,
        notLearned: n ? c.filter((v) => v === 0 || v === 3).length / n : Number.NaN,
        lc: n ? c.filter((v) => v === 1).length / n : Number.NaN,
        sp: n ? c.filter((v) => v === 2).length / n : Number.NaN,
      });
    }
  const onsetFits = lrs.map((lr) => {
    const row = cells.filter((c) => c.lr === lr && c.n > 0);
    const f =
      row.length >= 3
        ? noLearningOnsetFit(
            row.map((c) => c.delay),
            row.map((c) => c.notLearned),
          )
        : { onset: Number.NaN, rate: Number.NaN };
    return { lr, onset: f.onset, rate: f.rate };
  });
  const onsets = onsetFits.map((f) => f.onset);
  let fit: ScalingFit | null = null;
  try {
    fit = criticalLearningRateFit(lrs, onsets);
  } catch {
    fit = null; // fewer than 3 learning rates with an onset inside the delays tested
  }
  const kind = grid.task ?? 'dcdt';
  const paper =
    kind === 'dcdt'
      ? { ...KURTKAYA2025_BETA[grid.postMs ? 'post' : 'nopost'] }
      : kind === 'no-memory'
        ? { ...KURTKAYA2025_BETA_NO_MEMORY }
        : null;
  const fitPoints = lrs.map((lr, i) => ({ lr, tc: onsets[i] })).filter((p) => Number.isFinite(p.tc) && p.tc > 0);
  const f = fit;
  const fitLine = f
    ? fitPoints.map((p) => ({ tc: p.tc, lr: Math.exp(f.intercept + f.slope * Math.log(p.tc)) })).sort((a, b) => a.tc - b.tc)
    : [];
  const paperLine = f && paper ? paperSlopeLine(fitPoints, paper.beta) : [];
  const maxDelay = Math.max(...delays);
  const onsetCurves = onsetFits.flatMap(({ lr, onset, rate }) =>
    Number.isFinite(onset)
      ? Array.from({ length: Math.floor(maxDelay / 5) + 1 }, (_, k) => ({ lr, delay: 5 * k, f: noLearningCurve(5 * k, onset, rate) }))
      : [],
  );
  return { cells, onsetFits, fit, fitPoints, fitLine, paper, paperLine, onsetCurves };
}

/**
 * Trains (or takes from `known`) every network of the grid and returns the phase diagram
 * (Kurtkaya et al. 2025, Fig. 4). Defaults: the paper's grid (`KURTKAYA2025_FULL`), no post period.
 * Each network's random stream is `new Rng(seed)` with its grid seed, as `trainStmNetwork`, so the
 * result depends neither on the runner nor on which networks were known.
 */
export async function kurtkaya2025(o: Kurtkaya2025Options = {}, hooks: Kurtkaya2025Hooks = {}): Promise<Kurtkaya2025Result> {
  const g = { ...KURTKAYA2025_FULL, ...definedOnly(o) };
  const postMs = o.postMs ?? 0;
  const networks = kurtkaya2025Networks(o);
  const knownOf = networks.map((n) => {
    const k = o.known?.get(n.id);
    return k == null ? null : typeof k === 'number' ? { class: k, psdRatio: null, loss: null } : k;
  });
  const classes: (StmClass | null)[] = knownOf.map((k) => k?.class ?? null);
  const psdRatios: (number | null)[] = knownOf.map((k) => k?.psdRatio ?? null);
  const losses: (Float32Array | null)[] = knownOf.map((k) => (k?.loss ? k.loss.slice(0, KURTKAYA2025_LOSS_EPOCHS) : null));
  const pendingIdx = networks.map((_, i) => i).filter((i) => classes[i] == null);
  const pending = pendingIdx.map((i) => networks[i]);
  throwIfAborted(hooks.signal);
  let done = 0;
  hooks.onProgress?.({ stage: 'networks', done, total: pending.length });
  await (hooks.runNetworks ?? runInThread)(
    pending,
    (r, i) => {
      classes[pendingIdx[i]] = r.class;
      psdRatios[pendingIdx[i]] = r.psdRatio ?? null;
      losses[pendingIdx[i]] = r.loss ? r.loss.slice(0, KURTKAYA2025_LOSS_EPOCHS) : null;
      hooks.onNetwork?.(pending[i], r);
      hooks.onProgress?.({ stage: 'networks', done: ++done, total: pending.length });
    },
    hooks.signal,
    o.engine,
  );
  throwIfAborted(hooks.signal);
  const lrs = [...g.lrs];
  const delays = [...g.delays];
  return {
    lrs,
    delays,
    seeds: g.seeds,
    trialsPerCue: g.trialsPerCue,
    postMs,
    task: o.task ?? 'dcdt',
    networks,
    classes,
    psdRatios,
    losses,
    trainedNow: pending.length,
    reused: networks.length - pending.length,
    ...kurtkaya2025Phases({ lrs, delays, postMs, task: o.task }, networks, classes),
  };
}
