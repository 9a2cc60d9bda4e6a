/**
 * Trained rank-2 RNNs of Kurtkaya et al. 2025 (Sec. 4, Figs. 2–3; the authors' `rank2-rnn-example`
 * and `rank2-rnn-post-study-simple` experiments): networks whose recurrent weights are m·nᵀ
 * (m, n ∈ ℝ^{N×2}), trained by plain gradient descent on the delayed-activation task (no input:
 * output 0 for T steps, then 1 for the response window). Their state obeys
 *
 *   x_{t+1} = (1 − α)·x_t + α·tanh(m·κ_t + b),   κ_t = nᵀ·x_t,   y_t = σ(w·κ_{t+1} + c),
 *
 * so the latent κ ∈ ℝ² follows a closed two-dimensional map, κ_{t+1} = (1 − α)·κ_t +
 * α·nᵀ·tanh(m·κ_t + b), whose flow field can be drawn and whose long-run behaviour classifies the
 * mechanism: it settles on a fixed point (slow-point mechanism) or keeps winding around a cycle
 * (limit cycle).
 *
 * The critical learning rate of a trained network is measured where the normal-form theory puts
 * it (`kurtkaya2025-toy.ts`): gradient descent at a minimum is stable only for η < 2/λ_max, λ_max
 * the largest eigenvalue of the loss's Hessian, found here by power iteration on Hessian–vector
 * products (central differences of the exact gradient). Its dependence on the delay is then
 * compared with the normal forms' T⁻⁵ (slow point) and T⁻³ (limit cycle) at a fixed response
 * window.
 *
 * The gradient is written out by hand (backpropagation through time over the latent form) rather
 * than taken from an autodiff library: the network is tiny (5N + 3 parameters, one trial) and is
 * trained for tens of thousands of epochs, where a tape's per-operation overhead would dominate.
 */
import { Rng, ShapeError } from '@wmkit/tensor';

/** A rank-2 RNN: N units, leak α, recurrent weights m·nᵀ, bias b, readout w·κ + c, fixed initial state x0. */
export interface Rank2Net {
  N: number;
  alpha: number;
  /** N × 2, row-major (m[2i], m[2i+1]). */
  m: Float64Array;
  /** N × 2, row-major: κ = nᵀx. */
  n: Float64Array;
  /** N. */
  b: Float64Array;
  /** Readout weights on κ (2). */
  w: Float64Array;
  /** Readout bias. */
  c: number;
  /** The initial state of every trial (N). */
  x0: Float64Array;
}

/** The delayed-activation task in steps: output 0 for `delay` steps, then 1 for `resp` steps. */
export interface Rank2Task {
  delay: number;
  resp: number;
}

/** The mechanism a trained rank-2 network uses (or that it did not learn). */
export type Rank2Class = 'slow-point' | 'limit-cycle' | 'not learned';

const P = (N: number) => 5 * N + 3;

/**
 * A network initialised as the authors' `RankKRNN` (N = 100, α = 0.5 by default): m, n ~ N(0, 1/N),
 * b = 0, w ~ N(0, 1/2), c ~ N(0, 1), x0 ~ N(0, 1/100).
 */
export function rank2Init(rng: Rng, o: { N?: number; alpha?: number } = {}): Rank2Net {
  const N = o.N ?? 100;
  const alpha = o.alpha ?? 0.5;
  if (!(Number.isInteger(N) && N >= 2)) throw new ShapeError(`rank2Init: N (${N}) must be an integer ≥ 2`);
  if (!(alpha > 0 && alpha <= 1)) throw new ShapeError(`rank2Init: alpha (${alpha}) must be in (0, 1]`);
  const normal = (k: number, sd: number) => Float64Array.from(rng.normal([k], 0, sd));
  return {
    N,
    alpha,
    m: normal(2 * N, 1 / Math.sqrt(N)),
    n: normal(2 * N, 1 / Math.sqrt(N)),
    b: new Float64Array(N),
    w: normal(2, 1 / Math.sqrt(2)),
    c: normal(1, 1)[0] as number,
    x0: normal(N, 0.1),
  };
}

/** The targets and loss weights: 0 for `delay` steps then 1; weights as the authors' (the delay steps weigh resp/L, the response delay/L). */
export function rank2Target(task: Rank2Task): { target: Float64Array; weight: Float64Array } {
  const { delay, resp } = task;
  if (!(Number.isInteger(delay) && delay >= 1 && Number.isInteger(resp) && resp >= 1))
    throw new ShapeError(`rank2Target: delay (${delay}) and resp (${resp}) must be integers ≥ 1`);
  const L = delay + resp;
  const target = new Float64Array(L);
  const weight = new Float64Array(L);
  for (let t = 0; t < L; t++) {
    target[t] = t < delay ? 0 : 1;
    weight[t] = t < delay ? 1 - delay / L : delay / L;
  }
  return { target, weight };
}

/** The outputs y_0 … y_{L−1} of one trial. */
export function rank2Outputs(net: Rank2Net, steps: number): Float64Array {
  const { N, alpha, m, n, b, w } = net;
  const x = Float64Array.from(net.x0);
  const y = new Float64Array(steps);
  for (let t = 0; t < steps; t++) {
    let k1 = 0;
    let k2 = 0;
    for (let i = 0; i < N; i++) {
      k1 += n[2 * i] * x[i];
      k2 += n[2 * i + 1] * x[i];
    }
    let o1 = 0;
    let o2 = 0;
    for (let i = 0; i < N; i++) {
      x[i] = (1 - alpha) * x[i] + alpha * Math.tanh(m[2 * i] * k1 + m[2 * i + 1] * k2 + b[i]);
      o1 += n[2 * i] * x[i];
      o2 += n[2 * i + 1] * x[i];
    }
    y[t] = 1 / (1 + Math.exp(-(w[0] * o1 + w[1] * o2 + net.c)));
  }
  return y;
}

/**
 * The loss (weighted mean of squared errors over the trial, the authors' `WeightedMSELoss`) and,
 * when `grad` (length 5N + 3: m, n, b, w, c) is given, its gradient by backpropagation through time.
 */
export function rank2LossGrad(net: Rank2Net, task: Rank2Task, grad?: Float64Array): number {
  const { N, alpha, m, n, b, w } = net;
  const { target, weight } = rank2Target(task);
  const L = target.length;
  const X = new Float64Array((L + 1) * N); // x_0 … x_L
  const H = new Float64Array(L * N); // tanh(z_t), t < L
  const K = new Float64Array(2 * (L + 1)); // κ_0 … κ_L
  const Y = new Float64Array(L);
  X.set(net.x0, 0);
  for (let t = 0; t <= L; t++) {
    let k1 = 0;
    let k2 = 0;
    const xo = t * N;
    for (let i = 0; i < N; i++) {
      k1 += n[2 * i] * X[xo + i];
      k2 += n[2 * i + 1] * X[xo + i];
    }
    K[2 * t] = k1;
    K[2 * t + 1] = k2;
    if (t === L) break;
    for (let i = 0; i < N; i++) {
      const h = Math.tanh(m[2 * i] * k1 + m[2 * i + 1] * k2 + b[i]);
      H[t * N + i] = h;
      X[xo + N + i] = (1 - alpha) * X[xo + i] + alpha * h;
    }
  }
  let loss = 0;
  const dA = new Float64Array(L); // dLoss/d(pre-sigmoid output) at each step
  for (let t = 0; t < L; t++) {
    const y = 1 / (1 + Math.exp(-(w[0] * K[2 * t + 2] + w[1] * K[2 * t + 3] + net.c)));
    Y[t] = y;
    const e = y - target[t];
    loss += weight[t] * e * e;
    dA[t] = ((2 * weight[t] * e) / L) * y * (1 - y);
  }
  loss /= L;
  if (!grad) return loss;
  if (grad.length !== P(N)) throw new ShapeError(`rank2LossGrad: grad has length ${grad.length}, expected 5N + 3 = ${P(N)}`);
  grad.fill(0);
  const gm = 0;
  const gn = 2 * N;
  const gb = 4 * N;
  const gw = 5 * N;
  const gc = 5 * N + 2;
  const gx = new Float64Array(N); // dLoss/dx_s (all paths), carried from s + 1
  const gxNext = new Float64Array(N);
  for (let s = L; s >= 0; s--) {
    let gk1 = 0;
    let gk2 = 0;
    if (s >= 1) {
      const a = dA[s - 1];
      gk1 += w[0] * a;
      gk2 += w[1] * a;
      grad[gw] += K[2 * s] * a;
      grad[gw + 1] += K[2 * s + 1] * a;
      grad[gc] += a;
    }
    if (s < L) {
      // x_{s+1} = (1 − α)·x_s + α·tanh(m·κ_s + b)
      const k1 = K[2 * s];
      const k2 = K[2 * s + 1];
      for (let i = 0; i < N; i++) {
        const h = H[s * N + i];
        const dz = alpha * gxNext[i] * (1 - h * h);
        grad[gb + i] += dz;
        grad[gm + 2 * i] += dz * k1;
        grad[gm + 2 * i + 1] += dz * k2;
        gk1 += m[2 * i] * dz;
        gk2 += m[2 * i + 1] * dz;
      }
    }
    const xo = s * N;
    for (let i = 0; i < N; i++) {
      gx[i] = (s < L ? (1 - alpha) * gxNext[i] : 0) + n[2 * i] * gk1 + n[2 * i + 1] * gk2;
      grad[gn + 2 * i] += gk1 * X[xo + i];
      grad[gn + 2 * i + 1] += gk2 * X[xo + i];
    }
    gxNext.set(gx);
  }
  return loss;
}

/** The parameters as one vector (m, n, b, w, c), as `rank2LossGrad` orders the gradient. */
export function rank2Params(net: Rank2Net): Float64Array {
  const N = net.N;
  const p = new Float64Array(P(N));
  p.set(net.m, 0);
  p.set(net.n, 2 * N);
  p.set(net.b, 4 * N);
  p.set(net.w, 5 * N);
  p[5 * N + 2] = net.c;
  return p;
}

/** A copy of the network with the parameters `p` (the order of `rank2Params`). */
export function rank2WithParams(net: Rank2Net, p: Float64Array): Rank2Net {
  const N = net.N;
  return {
    ...net,
    m: p.slice(0, 2 * N),
    n: p.slice(2 * N, 4 * N),
    b: p.slice(4 * N, 5 * N),
    w: p.slice(5 * N, 5 * N + 2),
    c: p[5 * N + 2] as number,
  };
}

/** Whether every output of the trial is on the target's side of ½ (0 through the delay, 1 in the response). */
export function rank2Solves(net: Rank2Net, task: Rank2Task): boolean {
  const y = rank2Outputs(net, task.delay + task.resp);
  for (let t = 0; t < y.length; t++) if (t < task.delay ? !(y[t] < 0.5) : !(y[t] > 0.5)) return false;
  return true;
}

/** The outcome of training one network. */
export interface Rank2Training {
  net: Rank2Net;
  /** Loss per epoch (length = epochs run). */
  loss: Float32Array;
  /** Epochs run (training stops early once loss < `stopRatio` × the first loss, as the authors'). */
  epochs: number;
  /** The loss became non-finite. */
  diverged: boolean;
  /** Trained, finite and every output on the target's side of ½ at the end. */
  learned: boolean;
}

/** Plain gradient descent (the authors' `optim.SGD` without momentum) for at most `epochs` epochs. */
export function rank2Train(net0: Rank2Net, task: Rank2Task, o: { lr: number; epochs: number; stopRatio?: number }): Rank2Training {
  if (!(o.lr > 0)) throw new ShapeError(`rank2Train: lr (${o.lr}) must be > 0`);
  if (!(Number.isInteger(o.epochs) && o.epochs >= 1)) throw new ShapeError(`rank2Train: epochs (${o.epochs}) must be an integer ≥ 1`);
  let p = rank2Params(net0);
  const g = new Float64Array(p.length);
  const loss = new Float32Array(o.epochs);
  const stop = o.stopRatio ?? 1e-4;
  let net = net0;
  let e = 0;
  let diverged = false;
  for (; e < o.epochs; e++) {
    const l = rank2LossGrad(net, task, g);
    loss[e] = l;
    if (!Number.isFinite(l) || g.some((v) => !Number.isFinite(v))) {
      diverged = true;
      e++;
      break;
    }
    if (l < stop * (loss[0] as number)) {
      e++;
      break;
    }
    p = p.slice();
    for (let i = 0; i < p.length; i++) p[i] -= o.lr * g[i];
    net = rank2WithParams(net, p);
  }
  return {
    net,
    loss: loss.slice(0, e),
    epochs: e,
    diverged,
    learned: !diverged && p.every(Number.isFinite) && rank2Solves(net, task),
  };
}

/** The latent map's next state: κ' = (1 − α)·κ + α·nᵀ·tanh(m·κ + b). */
export function rank2LatentStep(net: Rank2Net, k1: number, k2: number): [number, number] {
  const { N, alpha, m, n, b } = net;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < N; i++) {
    const h = Math.tanh(m[2 * i] * k1 + m[2 * i + 1] * k2 + b[i]);
    s1 += n[2 * i] * h;
    s2 += n[2 * i + 1] * h;
  }
  return [(1 - alpha) * k1 + alpha * s1, (1 - alpha) * k2 + alpha * s2];
}

/** The latent trajectory κ_0 … κ_steps from the network's initial state. */
export function rank2LatentTrajectory(net: Rank2Net, steps: number): Float64Array {
  const out = new Float64Array(2 * (steps + 1));
  let k1 = 0;
  let k2 = 0;
  for (let i = 0; i < net.N; i++) {
    k1 += net.n[2 * i] * net.x0[i];
    k2 += net.n[2 * i + 1] * net.x0[i];
  }
  out[0] = k1;
  out[1] = k2;
  for (let t = 1; t <= steps; t++) {
    [k1, k2] = rank2LatentStep(net, k1, k2);
    out[2 * t] = k1;
    out[2 * t + 1] = k2;
  }
  return out;
}

/**
 * The mechanism of a network from its autonomous latent dynamics: run the map for `burn` steps,
 * then watch `window` more. A state that no longer moves (spread < `tol` × (1 + |κ|)) sits on a
 * fixed point: slow-point mechanism. One that keeps moving and winds at least once around its
 * mean is on a limit cycle. One that keeps moving without winding is still crawling along a slow
 * manifold: slow point as well.
 */
export function rank2Mechanism(
  net: Rank2Net,
  o: { burn?: number; window?: number; tol?: number } = {},
): { mechanism: 'slow-point' | 'limit-cycle'; spread: number; windings: number } {
  const burn = o.burn ?? 5000;
  const window = o.window ?? 2000;
  const tr = rank2LatentTrajectory(net, burn + window);
  let mx = 0;
  let my = 0;
  for (let t = burn; t <= burn + window; t++) {
    mx += tr[2 * t];
    my += tr[2 * t + 1];
  }
  mx /= window + 1;
  my /= window + 1;
  let spread = 0;
  for (let t = burn; t <= burn + window; t++) spread = Math.max(spread, Math.hypot(tr[2 * t] - mx, tr[2 * t + 1] - my));
  if (!(spread >= (o.tol ?? 1e-6) * (1 + Math.hypot(mx, my)))) return { mechanism: 'slow-point', spread, windings: 0 };
  let angle = 0;
  let prev = Math.atan2(tr[2 * burn + 1] - my, tr[2 * burn] - mx);
  for (let t = burn + 1; t <= burn + window; t++) {
    const a = Math.atan2(tr[2 * t + 1] - my, tr[2 * t] - mx);
    let d = a - prev;
    if (d > Math.PI) d -= 2 * Math.PI;
    if (d < -Math.PI) d += 2 * Math.PI;
    angle += d;
    prev = a;
  }
  const windings = Math.abs(angle) / (2 * Math.PI);
  return { mechanism: windings >= 1 ? 'limit-cycle' : 'slow-point', spread, windings };
}

/**
 * The largest eigenvalue of the loss's Hessian at the network's parameters, by power iteration on
 * Hessian–vector products H·v ≈ (∇L(θ + εv) − ∇L(θ − εv))/(2ε) (`iterations` products).
 */
export function rank2Sharpness(net: Rank2Net, task: Rank2Task, o: { iterations?: number; seed?: number } = {}): number {
  const p = rank2Params(net);
  const rng = new Rng(o.seed ?? 0);
  let v = Float64Array.from(rng.normal([p.length]));
  const norm = (a: Float64Array) => Math.sqrt(a.reduce((s, x) => s + x * x, 0));
  const g1 = new Float64Array(p.length);
  const g2 = new Float64Array(p.length);
  const scale = 1e-5 * Math.max(1, norm(p) / Math.sqrt(p.length));
  let lambda = 0;
  for (let it = 0; it < (o.iterations ?? 100); it++) {
    const nv = norm(v);
    for (let i = 0; i < v.length; i++) v[i] /= nv;
    const plus = p.slice();
    const minus = p.slice();
    for (let i = 0; i < p.length; i++) {
      plus[i] += scale * v[i];
      minus[i] -= scale * v[i];
    }
    rank2LossGrad(rank2WithParams(net, plus), task, g1);
    rank2LossGrad(rank2WithParams(net, minus), task, g2);
    const hv = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) hv[i] = (g1[i] - g2[i]) / (2 * scale);
    lambda = hv.reduce((s, x, i) => s + x * v[i], 0);
    v = hv;
  }
  return lambda;
}

/** A hand-built rank-2 network for tests: N units at angles θ_i, m_i = (cos θ_i, sin θ_i), n_i = (g/N)·R(φ)·m_i, b = 0. */
export function rank2Planted(o: { N?: number; gain: number; rotation: number; alpha?: number }): Rank2Net {
  const N = o.N ?? 60;
  const m = new Float64Array(2 * N);
  const n = new Float64Array(2 * N);
  const [cs, sn] = [Math.cos(o.rotation), Math.sin(o.rotation)];
  for (let i = 0; i < N; i++) {
    const th = (2 * Math.PI * i) / N;
    m[2 * i] = Math.cos(th);
    m[2 * i + 1] = Math.sin(th);
    n[2 * i] = (o.gain / N) * (cs * m[2 * i] - sn * m[2 * i + 1]);
    n[2 * i + 1] = (o.gain / N) * (sn * m[2 * i] + cs * m[2 * i + 1]);
  }
  const x0 = new Float64Array(N);
  for (let i = 0; i < N; i++) x0[i] = 0.05 * m[2 * i]; // κ_0 = (0.05·g/2)·R(φ)·(1, 0): off the origin
  return { N, alpha: o.alpha ?? 0.5, m, n, b: new Float64Array(N), w: Float64Array.of(1, 0), c: 0, x0 };
}

/** One trained rank-2 network of the experiment. */
export interface Rank2Row {
  /** Delay in steps. */
  T: number;
  lr: number;
  seed: number;
  class: Rank2Class;
  /** The loss became non-finite (a failure of stability, not of time). */
  diverged: boolean;
  epochs: number;
  finalLoss: number;
  /** Windings of the autonomous latent state in the observation window (learned networks). */
  windings: number | null;
  /** λ_max of the loss's Hessian at the trained parameters, and its critical learning rate 2/λ_max (learned networks). */
  sharpness: number | null;
  criticalLr: number | null;
}

/** The trained-rank-2 experiment's grid. */
export interface Rank2Grid {
  /** Delays in steps. */
  delays: number[];
  lrs: number[];
  seeds: number;
  /** Most epochs per network (training stops early at a loss 10⁻⁴ of the first). */
  epochs: number;
  /** Response window in steps (the authors' rank-2 runs: 2). */
  resp: number;
  /** Units (the authors': 100). */
  N: number;
}

/** The default grid: delays 4–16 steps, learning rates 0.003–0.3, 2 seeds, at most 20,000 epochs, 2 response steps, N = 100. */
export const KURTKAYA2025_RANK2_GRID: Rank2Grid = {
  delays: [4, 6, 8, 12, 16],
  lrs: [0.003, 0.01, 0.03, 0.1, 0.3],
  seeds: 2,
  epochs: 20000,
  resp: 2,
  N: 100,
};

/** The trained-rank-2 grid with the given delays, learning rates, seeds and epochs (the others: `KURTKAYA2025_RANK2_GRID`). */
export function kurtkaya2025Rank2Grid(o: Partial<Pick<Rank2Grid, 'delays' | 'lrs' | 'seeds' | 'epochs'>>): Rank2Grid {
  const G = KURTKAYA2025_RANK2_GRID;
  return {
    delays: o.delays ?? G.delays,
    lrs: o.lrs ?? G.lrs,
    seeds: o.seeds ?? G.seeds,
    epochs: o.epochs ?? G.epochs,
    resp: G.resp,
    N: G.N,
  };
}

/** One trained rank-2 network in a progress line: `[done/total] T …, lr …, seed …: class, 2/λ_max … (n epochs)`. */
export function kurtkaya2025Rank2Line(row: Rank2Row, done: number, total: number): string {
  const crit = row.criticalLr == null ? '' : `, 2/λ_max ${row.criticalLr.toExponential(2)}`;
  return `  [${done}/${total}] T ${row.T}, lr ${row.lr}, seed ${row.seed}: ${row.class}${crit} (${row.epochs} epochs)`;
}

/** A trained network's latent picture: the map's displacement field, the trial and its autonomous continuation. */
export interface Rank2Portrait {
  T: number;
  lr: number;
  seed: number;
  mechanism: 'slow-point' | 'limit-cycle';
  /** Arrows (κ, κ' − κ) on a 15 × 15 grid over the trajectory's extent. */
  flow: { x: number; y: number; u: number; v: number }[];
  /** κ_0 … κ_{4L}: the trial (t ≤ L = T + resp), then the network left running. */
  trajectory: { t: number; x: number; y: number; trial: boolean }[];
}

/** The experiment's result: every network, the fractions per delay × learning rate, the critical-learning-rate fits and two portraits. */
export interface Kurtkaya2025Rank2 {
  grid: Rank2Grid;
  rows: Rank2Row[];
  cells: { T: number; lr: number; n: number; notLearned: number; sp: number; lc: number }[];
  /**
   * Per mechanism: the slope of log(2/λ_max) on log T over its learned networks (null with fewer
   * than two delays), and the normal-form theory's slope at a fixed response window.
   */
  slopes: Record<'slow-point' | 'limit-cycle', { slope: number | null; n: number; theory: number }>;
  /** Per delay: the largest learning rate at which some network learned a slow point (null: none did). */
  slowPointBoundary: { T: number; lr: number | null }[];
  /** Slope of log(slow-point boundary) on log T over the delays that have one (null: fewer than two). */
  boundarySlope: number | null;
  portraits: Rank2Portrait[];
}

function slopeOf(pts: [number, number][]): number | null {
  if (new Set(pts.map((p) => p[0])).size < 2) return null;
  const mx = pts.reduce((a, p) => a + p[0], 0) / pts.length;
  const my = pts.reduce((a, p) => a + p[1], 0) / pts.length;
  return pts.reduce((a, p) => a + (p[0] - mx) * (p[1] - my), 0) / pts.reduce((a, p) => a + (p[0] - mx) ** 2, 0);
}

/** The latent picture of a trained network (flow field, trial and autonomous continuation). */
export function rank2Portrait(net: Rank2Net, task: Rank2Task, at: { T: number; lr: number; seed: number }): Rank2Portrait {
  const L = task.delay + task.resp;
  const tr = rank2LatentTrajectory(net, 4 * L);
  const xs = Array.from({ length: 4 * L + 1 }, (_, t) => tr[2 * t] as number);
  const ys = Array.from({ length: 4 * L + 1 }, (_, t) => tr[2 * t + 1] as number);
  const pad = (lo: number, hi: number) => {
    const d = Math.max(hi - lo, 1e-3);
    return [lo - 0.25 * d, hi + 0.25 * d];
  };
  const [x0, x1] = pad(Math.min(...xs), Math.max(...xs)) as [number, number];
  const [y0, y1] = pad(Math.min(...ys), Math.max(...ys)) as [number, number];
  const flow: Rank2Portrait['flow'] = [];
  for (let i = 0; i < 15; i++)
    for (let j = 0; j < 15; j++) {
      const x = x0 + ((x1 - x0) * i) / 14;
      const y = y0 + ((y1 - y0) * j) / 14;
      const [nx, ny] = rank2LatentStep(net, x, y);
      flow.push({ x, y, u: nx - x, v: ny - y });
    }
  return {
    ...at,
    mechanism: rank2Mechanism(net).mechanism,
    flow,
    trajectory: xs.map((x, t) => ({ t, x, y: ys[t] as number, trial: t <= L })),
  };
}

/**
 * Trains rank-2 RNNs over delay × learning rate × seed on the delayed-activation task, classifies
 * each (not learned / slow point / limit cycle), measures each learned network's critical learning
 * rate 2/λ_max, and fits how it falls with the delay per mechanism (the normal forms: T⁻⁵ and T⁻³
 * at a fixed response window). `onNetwork` sees each network as it finishes.
 */
export function kurtkaya2025Rank2(
  o: Partial<Rank2Grid> = {},
  hooks: { onNetwork?: (row: Rank2Row, done: number, total: number) => void } = {},
): Kurtkaya2025Rank2 {
  const grid: Rank2Grid = { ...KURTKAYA2025_RANK2_GRID, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v != null)) };
  for (const T of grid.delays)
    if (!(Number.isInteger(T) && T >= 1)) throw new ShapeError(`kurtkaya2025Rank2: delay ${T} must be a whole number of steps ≥ 1`);
  for (const lr of grid.lrs) if (!(lr > 0)) throw new ShapeError(`kurtkaya2025Rank2: learning rate ${lr} must be > 0`);
  if (!(Number.isInteger(grid.seeds) && grid.seeds >= 1))
    throw new ShapeError(`kurtkaya2025Rank2: seeds (${grid.seeds}) must be an integer ≥ 1`);
  const rows: Rank2Row[] = [];
  const total = grid.delays.length * grid.lrs.length * grid.seeds;
  const best: Partial<Record<'slow-point' | 'limit-cycle', { net: Rank2Net; row: Rank2Row; loss: number }>> = {};
  for (const T of grid.delays)
    for (const lr of grid.lrs)
      for (let seed = 0; seed < grid.seeds; seed++) {
        const task = { delay: T, resp: grid.resp };
        // the initial network depends on the delay and seed only: every learning rate starts from it
        const r = rank2Train(rank2Init(new Rng(`kurtkaya2025-rank2-T${T}-seed${seed}`), { N: grid.N }), task, { lr, epochs: grid.epochs });
        const finalLoss = r.loss[r.epochs - 1] as number;
        let row: Rank2Row = {
          T,
          lr,
          seed,
          class: 'not learned',
          diverged: r.diverged,
          epochs: r.epochs,
          finalLoss,
          windings: null,
          sharpness: null,
          criticalLr: null,
        };
        if (r.learned) {
          const m = rank2Mechanism(r.net);
          const lam = rank2Sharpness(r.net, task, { iterations: 60 });
          row = { ...row, class: m.mechanism, windings: m.windings, sharpness: lam, criticalLr: lam > 0 ? 2 / lam : null };
          // the portraits: per mechanism, the network of the longest delay (then the lowest loss)
          const prev = best[m.mechanism];
          if (!prev || T > prev.row.T || (T === prev.row.T && finalLoss < prev.loss))
            best[m.mechanism] = { net: r.net, row, loss: finalLoss };
        }
        rows.push(row);
        hooks.onNetwork?.(row, rows.length, total);
      }
  const cells = grid.delays.flatMap((T) =>
    grid.lrs.map((lr) => {
      const c = rows.filter((r) => r.T === T && r.lr === lr);
      const f = (k: Rank2Class) => c.filter((r) => r.class === k).length / c.length;
      return { T, lr, n: c.length, notLearned: f('not learned'), sp: f('slow-point'), lc: f('limit-cycle') };
    }),
  );
  const slope = (m: 'slow-point' | 'limit-cycle', theory: number) => {
    const pts = rows
      .filter((r) => r.class === m && r.criticalLr != null)
      .map((r) => [Math.log(r.T), Math.log(r.criticalLr as number)] as [number, number]);
    return { slope: slopeOf(pts), n: pts.length, theory };
  };
  const portraits = (['slow-point', 'limit-cycle'] as const).flatMap((m) => {
    const b = best[m];
    return b ? [rank2Portrait(b.net, { delay: b.row.T, resp: grid.resp }, b.row)] : [];
  });
  const slowPointBoundary = grid.delays.map((T) => {
    const lrs = rows.filter((r) => r.T === T && r.class === 'slow-point').map((r) => r.lr);
    return { T, lr: lrs.length ? Math.max(...lrs) : null };
  });
  return {
    grid,
    rows,
    cells,
    slopes: { 'slow-point': slope('slow-point', -5), 'limit-cycle': slope('limit-cycle', -3) },
    slowPointBoundary,
    boundarySlope: slopeOf(slowPointBoundary.filter((b) => b.lr != null).map((b) => [Math.log(b.T), Math.log(b.lr as number)])),
    portraits,
  };
}

const fmtSlope = (s: number | null) => (s == null ? '—' : s.toFixed(2));

/** The trained-rank-2 table: per delay × learning rate, % not learned / slow point / limit cycle, and the median 2/λ_max of the learned. */
export function kurtkaya2025Rank2Rows(r: Kurtkaya2025Rank2): string[][] {
  const pct = (x: number) => `${Math.round(100 * x)}`;
  return [
    ['T (steps) \\ lr', ...r.grid.lrs.map(String), 'SP boundary lr'],
    ...r.grid.delays.map((T) => [
      String(T),
      ...r.grid.lrs.map((lr) => {
        const c = r.cells.find((x) => x.T === T && x.lr === lr);
        const crit = r.rows.filter((x) => x.T === T && x.lr === lr && x.criticalLr != null).map((x) => x.criticalLr as number);
        crit.sort((a, b) => a - b);
        const med = crit.length ? ` (${(crit[Math.floor((crit.length - 1) / 2)] as number).toExponential(1)})` : '';
        return c?.n ? `${pct(c.notLearned)}/${pct(c.sp)}/${pct(c.lc)}${med}` : '—';
      }),
      String(r.slowPointBoundary.find((b) => b.T === T)?.lr ?? '—'),
    ]),
  ];
}

/** The findings in words: counts per mechanism, the fitted slopes of 2/λ_max on T against the normal forms'. */
export function kurtkaya2025Rank2Lines(r: Kurtkaya2025Rank2): string[] {
  const n = (k: Rank2Class) => r.rows.filter((x) => x.class === k).length;
  const div = r.rows.filter((x) => x.diverged).length;
  const lrs = r.grid.lrs;
  const step = lrs.length > 1 ? ((Math.max(...lrs) / Math.min(...lrs)) ** (1 / (lrs.length - 1))).toFixed(2) : '—';
  const sp = r.slopes['slow-point'];
  const lc = r.slopes['limit-cycle'];
  return [
    `Rank-2 RNNs (N = ${r.grid.N}, α = 0.5, W = m·nᵀ) trained by plain gradient descent on the delayed-activation task (output 0 for T steps, then 1 for ${r.grid.resp}; the authors' loss weights), at most ${r.grid.epochs} epochs each (stopping at a loss 10⁻⁴ of the first); delays ${r.grid.delays.join(', ')} steps × learning rates ${r.grid.lrs.join(', ')} × ${r.grid.seeds} seeds = ${r.rows.length} networks.`,
    `Mechanism from the latent map κ' = (1 − α)κ + α·nᵀtanh(mκ + b) left running for 7,000 steps: settled (slow point) or winding around a cycle (limit cycle). Critical learning rate of each learned network: 2/λ_max of its loss's Hessian (power iteration on Hessian–vector products), the quantity the normal forms compute in closed form.`,
    `Classes: ${n('slow-point')} slow point, ${n('limit-cycle')} limit cycle, ${n('not learned')} not learned (${div} of them diverged; the rest ran out of epochs or settled on a wrong output).`,
    `The slow-point boundary (per delay, the largest learning rate at which a network learned a slow point): ${r.slowPointBoundary.map((b) => `T ${b.T}: ${b.lr ?? 'none'}`).join(', ')}; slope of its log on log T ${fmtSlope(r.boundarySlope)} (normal form −5 at a fixed response window; the boundary is known to within the grid's step of learning rates, a factor ${step} on average).`,
    `Slope of log(2/λ_max) on log T: slow point ${fmtSlope(sp.slope)} (${sp.n} networks; normal form ${sp.theory} at a fixed response window), limit cycle ${fmtSlope(lc.slope)} (${lc.n} networks; normal form ${lc.theory}).`,
  ];
}
