/**
 * Winner-take-all rate circuits: the conventional WTA and the nonlinear-inhibition nWTA of
 * Kriener, Chaudhuri & Fiete (PNAS 2020; docs/models/wta-sparse.md §Winner-take-all circuits; authors' `nwta_dyn_fcs.py`).
 *
 *   τ dx_i/dt = −x_i + r_i,   r_i = [ b_i + η_i(t) + α x_i − β Σ_{j≠i} g(x_j) ]₊
 *   conventional WTA: g(x) = x;   nWTA: g(x) = x if x ≥ θ else 0
 *   η: independent Ornstein–Uhlenbeck noise per unit, stationary SD σ, correlation time τ_η,
 *      exact update η ← η e^{−dt/τ_η} + σ √(1 − e^{−2dt/τ_η}) ξ (starting at η = 0, x = 0)
 *
 * Euler steps of dt for x, as in the authors' code. Decision rule (self-terminating): stop as
 * soon as max_i x_i ≥ 0.8·b_max/(1 − α); the decision is correct if the unit with the largest
 * input has the largest activation. No winner: every 100 τ after the first 100 τ, give up when
 * x₍₂₎/x₍₁₎ > 0.5 (the two largest activations), and in any case at `maxTime`.
 */
import { erf } from '@wmkit/analysis';
import { DivergenceError, ouStep } from '@wmkit/core-neuron';
import { wtaInputs } from '@wmkit/tasks';
import { type Rng, ShapeError, UserError } from '@wmkit/tensor';

/** Parameters of a WTA or nWTA circuit (Kriener, Chaudhuri & Fiete 2020): α, β, θ, τ, noise σ and τ_η, dt. */
export interface WtaParams {
  /** Self-excitation α (WTA regime: α < 1). */
  alpha: number;
  /** Lateral inhibition β (WTA regime: β > 1 − α). */
  beta: number;
  /** Neural time constant τ (the unit of time). */
  tau: number;
  /** Correlation time of the OU input noise. */
  tauEta: number;
  /** Stationary SD of the OU noise (0: deterministic). */
  sigma: number;
  /** Inhibition threshold θ of the nWTA (units below θ send no inhibition). */
  theta: number;
  /** true: nWTA (nonlinear inhibition); false: conventional WTA. */
  nonlinear: boolean;
  /** Euler step (default τ_η/5, as in the authors' examples). */
  dt: number;
}

/** Kriener et al.'s example parameters (their `nwta_dyn_examples.py`) (α 0.5, β 0.6, τ 1, τ_η 0.05, σ 0.22, θ 0.2, dt τ_η/5). */
export const KRIENER2020_EXAMPLE: WtaParams = {
  alpha: 0.5,
  beta: 0.6,
  tau: 1,
  tauEta: 0.05,
  sigma: 0.22,
  theta: 0.2,
  nonlinear: true,
  dt: 0.01,
};

/** Parameters outside the winner-take-all regime (α ≥ 1 or β ≤ 1 − α). */
export class WtaRegimeError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'WtaRegimeError';
  }
}

/** Checks the parameters; outside the WTA regime the error says why (Xie et al. 2002). */
export function checkWtaParams(p: WtaParams): void {
  const bad = (k: string, v: number, need: string) => {
    throw new ShapeError(`WTA: ${k} = ${v} must be ${need}`);
  };
  for (const k of ['alpha', 'beta', 'tau', 'tauEta', 'sigma', 'theta', 'dt'] as const)
    if (!Number.isFinite(p[k])) bad(k, p[k], 'a finite number');
  if (p.tau <= 0) bad('tau', p.tau, '> 0');
  if (p.dt <= 0 || p.dt > p.tau / 5) bad('dt', p.dt, `> 0 and ≤ τ/5 = ${p.tau / 5} for a stable Euler step`);
  if (p.sigma < 0) bad('sigma', p.sigma, '≥ 0');
  if (p.sigma > 0 && p.tauEta <= 0) bad('tauEta', p.tauEta, '> 0 when sigma > 0');
  if (p.theta < 0) bad('theta', p.theta, '≥ 0');
  if (p.beta < 0) bad('beta', p.beta, '≥ 0');
  if (p.alpha >= 1)
    throw new WtaRegimeError(
      `no winner-take-all regime: α = ${p.alpha} ≥ 1 makes the winner's self-excitation run away (need α < 1, Xie et al. 2002)`,
    );
  if (p.beta <= 1 - p.alpha)
    throw new WtaRegimeError(
      `no winner-take-all regime: β = ${p.beta} ≤ 1 − α = ${1 - p.alpha}, so several units stay active together (need β > 1 − α)`,
    );
}

/** Fills defaults from KRIENER2020_EXAMPLE (dt defaults to τ_η/5) and checks the regime. */
export function wtaParams(over: Partial<WtaParams> = {}): WtaParams {
  const tauEta = over.tauEta ?? KRIENER2020_EXAMPLE.tauEta;
  const p = { ...KRIENER2020_EXAMPLE, dt: tauEta / 5, ...over, tauEta };
  checkWtaParams(p);
  return p;
}

/**
 * The largest activation the circuit can reach: the drive of a unit is at most b_max + η + α·x
 * (inhibition only lowers it), so x stays below (b_max + 10σ)/(1 − α) unless the noise makes a
 * 10-SD excursion (probability ~1e-23 per draw). Beyond it — or at NaN/Inf — the simulation has
 * diverged (σ = 1e300 overflows the float32 noise to Infinity, which would otherwise cross the
 * decision threshold at once and be scored as a correct decision).
 */
export function wtaActivationBound(p: WtaParams, bMax: number): number {
  return ((Math.max(bMax, 0) + 10 * p.sigma) / (1 - p.alpha)) * (1 + 1e-9); // + rounding of the approach
}

/** The divergence error of unit i: a non-finite drive (the noise overflowed), or x beyond `bound`. */
export function wtaDiverged(what: string, step: number, i: number, x: number, drive: number, bound: number): DivergenceError {
  const badDrive = !Number.isFinite(drive);
  return new DivergenceError(what, {
    step,
    stepName: 'time step',
    quantity: badDrive ? `input drive of unit ${i}` : `activation x[${i}]`,
    value: badDrive ? drive : x,
    bound: badDrive
      ? 'not a finite number: the noise overflowed'
      : `beyond the physical bound (b_max + 10σ)/(1 − α) = ${bound.toPrecision(4)}`,
  });
}

function maxOf(b: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < b.length; i++) if (b[i] > m) m = b[i];
  return m;
}

/** The decision threshold 0.8·b_max/(1 − α). */
export function decisionThreshold(p: WtaParams, bMax: number): number {
  return (0.8 * bMax) / (1 - p.alpha);
}

/** One WTA trial: decision time, whether a unit won, which one, and whether it was the right one. */
export interface WtaTrial {
  /** Decision time (units of τ); the give-up time when no winner was produced. */
  time: number;
  /** A unit crossed the decision threshold. */
  decided: boolean;
  /** Decided, and the unit with the largest input had the largest activation. */
  correct: boolean;
  /** Activations of the two largest units at the end (x₍₁₎, x₍₂₎). */
  top: number;
  second: number;
}

/** Give-up time, no-winner check and threshold settings of a WTA trial. */
export interface WtaRunOptions {
  /** Give up (no winner) at this time, in τ (default 1000). */
  maxTime?: number;
  /** The no-winner check's period, in τ (default 100). */
  abortEvery?: number;
  /** The no-winner ratio x₍₂₎/x₍₁₎ (default 0.5). */
  abortRatio?: number;
}

/** The unit with the largest input (the first of equals): the correct winner. */
export function argmaxInput(b: ArrayLike<number>): number {
  let k = 0;
  for (let i = 1; i < b.length; i++) if (b[i] > b[k]) k = i;
  return k;
}

/**
 * One self-terminating trial with inputs `b` (length N). State is kept in float64, the noise in
 * float32 (its draws come from `rng`, so a trial's result depends only on its rng).
 */
export function wtaTrial(p: WtaParams, b: ArrayLike<number>, rng: Rng, o: WtaRunOptions = {}): WtaTrial {
  const N = b.length;
  if (N < 2) throw new ShapeError(`WTA: need at least 2 units (got ${N})`);
  const winner = argmaxInput(b);
  const stop = decisionThreshold(p, b[winner]);
  const x = new Float64Array(N);
  const eta = new Float32Array(N);
  const scratch = new Float32Array(N);
  const ou = { dt: p.dt, tau: p.tauEta, sigma: p.sigma };
  const k = p.dt / p.tau;
  const maxSteps = Math.round((o.maxTime ?? 1000) / p.dt);
  const every = Math.round((o.abortEvery ?? 100) / p.dt);
  const ratio = o.abortRatio ?? 0.5;
  const { alpha, beta, theta, nonlinear } = p;
  const bound = wtaActivationBound(p, b[winner]);
  let top = 0;
  let second = 0;
  let arg = 0;
  for (let step = 0; step < maxSteps; step++) {
    let S = 0;
    if (nonlinear) {
      for (let i = 0; i < N; i++) if (x[i] >= theta) S += x[i];
    } else {
      for (let i = 0; i < N; i++) S += x[i];
    }
    if (p.sigma > 0) ouStep(eta, ou, rng, scratch);
    top = Number.NEGATIVE_INFINITY;
    second = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < N; i++) {
      const xi = x[i];
      const g = nonlinear ? (xi >= theta ? xi : 0) : xi;
      const drive = b[i] + eta[i] + alpha * xi - beta * (S - g);
      const xn = xi + k * (Math.max(drive, 0) - xi);
      if (!(xn <= bound && Number.isFinite(drive))) throw wtaDiverged('WTA trial', step + 1, i, xn, drive, bound); // also NaN
      x[i] = xn;
      if (xn > top) {
        second = top;
        top = xn;
        arg = i;
      } else if (xn > second) second = xn;
    }
    const t = (step + 1) * p.dt;
    if (top >= stop) return { time: t, decided: true, correct: arg === winner, top, second };
    if (step > every && step % every === 0 && second / top > ratio)
      return { time: step * p.dt, decided: false, correct: false, top, second };
  }
  return { time: maxSteps * p.dt, decided: false, correct: false, top, second };
}

/** Activation and rate traces of one trial for a fixed duration (for figures). */
export function wtaTraces(
  p: WtaParams,
  b: ArrayLike<number>,
  rng: Rng,
  duration: number,
  every = 1,
): { t: Float64Array; x: Float32Array; r: Float32Array; N: number } {
  const N = b.length;
  const steps = Math.round(duration / p.dt);
  const rows = Math.floor(steps / every);
  const out = { t: new Float64Array(rows), x: new Float32Array(rows * N), r: new Float32Array(rows * N), N };
  const x = new Float64Array(N);
  const r = new Float64Array(N);
  const eta = new Float32Array(N);
  const scratch = new Float32Array(N);
  const ou = { dt: p.dt, tau: p.tauEta, sigma: p.sigma };
  const bound = wtaActivationBound(p, maxOf(b));
  for (let step = 0, row = 0; step < steps; step++) {
    let S = 0;
    for (let i = 0; i < N; i++) if (!p.nonlinear || x[i] >= p.theta) S += x[i];
    if (p.sigma > 0) ouStep(eta, ou, rng, scratch);
    for (let i = 0; i < N; i++) {
      const g = !p.nonlinear || x[i] >= p.theta ? x[i] : 0;
      const d = b[i] + eta[i] + p.alpha * x[i] - p.beta * (S - g);
      if (!Number.isFinite(d)) throw wtaDiverged('WTA simulation', step + 1, i, x[i], d, bound);
      r[i] = Math.max(d, 0);
    }
    for (let i = 0; i < N; i++) {
      x[i] += (p.dt / p.tau) * (r[i] - x[i]);
      if (!(x[i] <= bound)) throw wtaDiverged('WTA simulation', step + 1, i, x[i], 0, bound);
    }
    if ((step + 1) % every === 0 && row < rows) {
      out.t[row] = (step + 1) * p.dt;
      for (let i = 0; i < N; i++) {
        out.x[row * N + i] = x[i];
        out.r[row * N + i] = r[i];
      }
      row++;
    }
  }
  return out;
}

/** One decision condition: the number of units and their inputs. */
export interface WtaCondition {
  /** Number of units. */
  N: number;
  /** Inputs (length N); default: winner 1 at index 0, the rest 1 − Δ. */
  b?: ArrayLike<number>;
  /** Gap Δ for the default inputs (default 0.05). */
  delta?: number;
  trials: number;
  params: WtaParams;
  /** A name for the rng fork (default `${nonlinear ? 'nWTA' : 'WTA'}-N${N}`). */
  key?: string;
}

/** Accuracy, winner fraction and decision-time statistics of many WTA trials at one N. */
export interface WtaSummary {
  N: number;
  trials: number;
  /** Fraction of trials with a winner. */
  decided: number;
  /** Fraction correct among all trials (no winner counts as wrong). */
  accuracy: number;
  /** Fraction correct among decided trials. */
  accuracyDecided: number;
  /** Mean and SE of the decision time over decided trials (NaN if none). */
  meanTime: number;
  seTime: number;
  medianTime: number;
  times: Float64Array;
  correct: Uint8Array;
  decidedMask: Uint8Array;
}

/** Accuracy, winner fraction and decision-time statistics of trials at one N. */
export function summariseWtaTrials(N: number, res: WtaTrial[]): WtaSummary {
  const n = res.length;
  const times = new Float64Array(n);
  const correct = new Uint8Array(n);
  const decidedMask = new Uint8Array(n);
  const dt: number[] = [];
  let nc = 0;
  for (let i = 0; i < n; i++) {
    times[i] = res[i].time;
    correct[i] = res[i].correct ? 1 : 0;
    decidedMask[i] = res[i].decided ? 1 : 0;
    if (res[i].decided) dt.push(res[i].time);
    nc += correct[i];
  }
  const m = dt.length ? dt.reduce((a, b) => a + b, 0) / dt.length : Number.NaN;
  const v = dt.length > 1 ? dt.reduce((a, b) => a + (b - m) ** 2, 0) / (dt.length - 1) : Number.NaN;
  const sorted = [...dt].sort((a, b) => a - b);
  const median = sorted.length ? (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2 : Number.NaN;
  return {
    N,
    trials: n,
    decided: dt.length / n,
    accuracy: nc / n,
    accuracyDecided: dt.length ? nc / dt.length : Number.NaN,
    meanTime: m,
    seTime: Math.sqrt(v / dt.length),
    medianTime: median,
    times,
    correct,
    decidedMask,
  };
}

/**
 * Runs many conditions (network sizes, circuits, noise levels) and many trials each; trial i of
 * a condition uses `rng.fork(key).fork(i)`, so its result does not depend on what else runs.
 * `onTrial` reports progress (trials done, total).
 */
export function runWtaConditions(
  conditions: WtaCondition[],
  rng: Rng,
  o: WtaRunOptions & { onTrial?: (done: number, total: number) => void } = {},
): WtaSummary[] {
  const total = conditions.reduce((a, c) => a + c.trials, 0);
  let done = 0;
  return conditions.map((c) => {
    checkWtaParams(c.params);
    if (!(Number.isInteger(c.N) && c.N >= 2)) throw new ShapeError(`WTA: N = ${c.N} must be an integer ≥ 2`);
    const b = c.b ?? wtaInputs(c.N, { delta: c.delta }).b;
    if (b.length !== c.N) throw new ShapeError(`WTA: inputs have length ${b.length}, expected N = ${c.N}`);
    const root = rng.fork(c.key ?? `${c.params.nonlinear ? 'nWTA' : 'WTA'}-N${c.N}`);
    const res: WtaTrial[] = [];
    for (let i = 0; i < c.trials; i++) {
      res.push(wtaTrial(c.params, b, root.fork(String(i)), o));
      o.onTrial?.(++done, total);
    }
    return summariseWtaTrials(c.N, res);
  });
}

/** Mean of a rectified Gaussian [μ + σ]₊ (Kriener et al. 2020, SI Appendix S2.6 Eq. 19). */
export function rectifiedGaussianMean(mu: number, sigma: number): number {
  if (sigma === 0) return Math.max(mu, 0);
  return (mu + sigma * Math.sqrt(2 / Math.PI) * Math.exp((-mu * mu) / (2 * sigma * sigma)) + mu * erf(mu / (Math.SQRT2 * sigma))) / 2;
}

/**
 * Mean-field fixed point of a conventional WTA with one winner (input bw) and N − 1 losers
 * (input bl) under fast OU noise (τ_η ≪ τ): x_w = μ_tr(α x_w − β(N−1)x_l + b_w, σ),
 * x_l = μ_tr(α x_l − β(N−2)x_l − β x_w + b_l, σ) (SI S2.6, `WTA_stability.py`). Found by relaxing
 * the mean-field dynamics dx/dt = −x + μ_tr(…) from `init` (so the branch found is the stable
 * one reached from there — the WTA branch from a large winner, the no-WTA branch from equal
 * activity), then polished with Newton's method.
 */
export function wtaMeanField(
  o: { alpha: number; beta: number; N: number; bWinner: number; bLoser: number; sigma: number },
  init: [number, number],
): { winner: number; loser: number; residual: number } {
  const F = (w: number, l: number): [number, number] => [
    rectifiedGaussianMean(o.alpha * w - o.beta * (o.N - 1) * l + o.bWinner, o.sigma) - w,
    rectifiedGaussianMean(o.alpha * l - o.beta * (o.N - 2) * l - o.beta * w + o.bLoser, o.sigma) - l,
  ];
  let [w, l] = init;
  // relaxation: Euler steps of the mean-field dynamics (stable for dt·(1 + β N) < 2)
  const dt = Math.min(0.1, 1 / (1 + o.beta * o.N));
  for (let it = 0; it < 2_000_000; it++) {
    const f = F(w, l);
    w += dt * f[0];
    l += dt * f[1];
    if (Math.abs(f[0]) + Math.abs(f[1]) < 1e-12) break;
  }
  for (let it = 0; it < 20; it++) {
    const f = F(w, l);
    if (Math.hypot(f[0], f[1]) < 1e-15) break;
    const h = 1e-7;
    const fw = F(w + h, l);
    const fl = F(w, l + h);
    const a = (fw[0] - f[0]) / h;
    const b = (fl[0] - f[0]) / h;
    const c = (fw[1] - f[1]) / h;
    const d = (fl[1] - f[1]) / h;
    const det = a * d - b * c;
    if (det === 0) break;
    w -= (d * f[0] - b * f[1]) / det;
    l -= (a * f[1] - c * f[0]) / det;
  }
  const f = F(w, l);
  return { winner: w, loser: l, residual: Math.hypot(f[0], f[1]) };
}
