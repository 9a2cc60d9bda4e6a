/**
 * The two-dimensional toy models of Kurtkaya et al. 2025 (Sec. 4; the authors' rank-2 RNN
 * examples and `plot_theory_scaling.py`): the latent dynamics κ = n·r of a rank-2 RNN that learned
 * a delay, reduced to their normal forms,
 *
 * - slow-point manifold: the ghost of a saddle-node, ẋ = x² + r (with ẏ = −y beside it); the state
 *   passes the bottleneck in τ(r) = π/√r, so the delay T is learned at r* = π²/T²;
 * - limit cycle: the Hopf normal form ẋ = μx − ωy − x(x² + y²), ẏ = ωx + μy − y(x² + y²) on its
 *   cycle (radius √μ); the response comes at phase φ = 2 rad, τ(ω) = φ/ω, learned at ω* = φ/T.
 *
 * Learning the parameter p by gradient descent on the timing loss L(p) = 16·(τ(p) − T)²/(T·T_resp)
 * is stable only below η_c = 2/L''(p*) = 1/(16/(T·T_resp)·τ'(p*)²):
 *
 *   slow point   η_c = (π⁴/4)·T_resp·T⁻⁵,    limit cycle   η_c = T_resp·T⁻³/4,
 *
 * the paper's two laws (with T_resp ∝ T: T⁻⁴ and T⁻²). The loss's normalisation 16/(T·T_resp) and
 * the response phase φ = 2 are chosen so that the constants are the paper's; the exponents do
 * not depend on them. The simulation integrates each ODE (RK4) for τ(p), takes τ' by central
 * differences, runs gradient descent from 1% off p*, and finds η_c by bisection on whether it
 * converges — a check of the theory that uses neither closed form.
 */

/** Which toy: the ghost of a saddle-node (slow-point manifold) or the Hopf cycle (limit cycle). */
export type ToyMechanism = 'slow-point' | 'limit-cycle';

/** The response phase of the limit-cycle toy (rad). */
export const TOY_CYCLE_PHASE = 2;

/** The slow-point toy's passage runs from x = −L to +L, L = this × √r (a finite stand-in for ±∞). */
export const TOY_PASSAGE_HALF_WIDTH = 40;

/**
 * The critical learning rate of the simulated toys in closed form: the paper's for the limit
 * cycle; for the slow point, whose simulated passage from −L to +L takes 2·atan(40)/√r instead of
 * π/√r, the paper's times (2·atan(40)/π)⁴ = 0.938 (η_c scales with the fourth power of that constant).
 */
export function toyCriticalLrSimulationTheory(m: ToyMechanism, T: number, Tresp: number): number {
  const k = m === 'slow-point' ? ((2 * Math.atan(TOY_PASSAGE_HALF_WIDTH)) / Math.PI) ** 4 : 1;
  return k * toyCriticalLrTheory(m, T, Tresp);
}

/** The paper's critical learning rate of a toy model at delay T and response window T_resp. */
export function toyCriticalLrTheory(m: ToyMechanism, T: number, Tresp: number): number {
  return m === 'slow-point' ? ((Math.PI ** 4 / 4) * Tresp) / T ** 5 : Tresp / T ** 3 / 4;
}

/** The parameter that learns delay T exactly: r* = π²/T² (slow point), ω* = φ/T (limit cycle). */
export function toyOptimum(m: ToyMechanism, T: number): number {
  return m === 'slow-point' ? Math.PI ** 2 / T ** 2 : TOY_CYCLE_PHASE / T;
}

/** The toy's vector field at (x, y) with parameter p (r, or ω with μ = 1). */
export function toyField(m: ToyMechanism, p: number, x: number, y: number): [number, number] {
  if (m === 'slow-point') return [x * x + p, -y];
  const q = x * x + y * y;
  return [x - p * y - x * q, p * x + y - y * q];
}

/**
 * The response time τ(p) by integrating the ODE (RK4, `steps` steps over the expected time):
 * slow point from x = −L to x = +L with L = 40·√r (τ → π/√r as L grows; the finite L makes it
 * shorter by 2·atan(1/40)/√r, 1.6%); limit cycle from (1, 0) on the cycle to phase φ.
 */
export function toyResponseTime(m: ToyMechanism, p: number, steps = 4000): number {
  if (!(p > 0)) return Number.POSITIVE_INFINITY;
  const guess = m === 'slow-point' ? Math.PI / Math.sqrt(p) : TOY_CYCLE_PHASE / p;
  const dt = guess / steps;
  const L = TOY_PASSAGE_HALF_WIDTH * Math.sqrt(p);
  let x = m === 'slow-point' ? -L : 1;
  let y = 0;
  let t = 0;
  let prevAngle = 0;
  for (let k = 0; k < 4 * steps; k++) {
    const [a1, b1] = toyField(m, p, x, y);
    const [a2, b2] = toyField(m, p, x + (dt / 2) * a1, y + (dt / 2) * b1);
    const [a3, b3] = toyField(m, p, x + (dt / 2) * a2, y + (dt / 2) * b2);
    const [a4, b4] = toyField(m, p, x + dt * a3, y + dt * b3);
    const nx = x + (dt / 6) * (a1 + 2 * a2 + 2 * a3 + a4);
    const ny = y + (dt / 6) * (b1 + 2 * b2 + 2 * b3 + b4);
    if (m === 'slow-point') {
      if (nx >= L) return t + (dt * (L - x)) / (nx - x); // linear interpolation within the step
    } else {
      const angle = Math.atan2(ny, nx);
      const unwrapped = angle < prevAngle - Math.PI ? angle + 2 * Math.PI : angle;
      if (unwrapped >= TOY_CYCLE_PHASE) return t + (dt * (TOY_CYCLE_PHASE - prevAngle)) / (unwrapped - prevAngle);
      prevAngle = unwrapped;
    }
    x = nx;
    y = ny;
    t += dt;
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * Gradient descent on L(p) = 16·(τ(p) − T)²/(T·T_resp) with τ simulated: converges to the
 * parameter with τ(p) = T from 1% above it (within `tolerance`, relative) in `iterations` steps?
 */
export function toyGradientDescentConverges(
  m: ToyMechanism,
  T: number,
  Tresp: number,
  lr: number,
  o: { iterations?: number; tolerance?: number; steps?: number } = {},
): boolean {
  const iterations = o.iterations ?? 200;
  const steps = o.steps ?? 1000;
  const c = 16 / (T * Tresp);
  // the parameter the simulation learns (its τ is the simulated one, a little off the closed form)
  const target = toyTargetParameter(m, T, steps);
  let p = 1.01 * target;
  for (let i = 0; i < iterations; i++) {
    const tau = toyResponseTime(m, p, steps);
    const h = 1e-4 * p;
    const dtau = (toyResponseTime(m, p + h, steps) - toyResponseTime(m, p - h, steps)) / (2 * h);
    p -= lr * 2 * c * (tau - T) * dtau;
    if (!(p > 0) || !Number.isFinite(p)) return false;
  }
  return Math.abs(p - target) / target < (o.tolerance ?? 1e-3);
}

/** The parameter whose simulated response time is T (bisection on τ, which falls with p). */
export function toyTargetParameter(m: ToyMechanism, T: number, steps = 1000): number {
  let lo = 0.5 * toyOptimum(m, T);
  let hi = 2 * toyOptimum(m, T);
  for (let i = 0; i < 50; i++) {
    const mid = Math.sqrt(lo * hi);
    if (toyResponseTime(m, mid, steps) > T) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

/** The critical learning rate found by simulation: bisection (in log η) between convergence and failure. */
export function toyCriticalLrSimulated(
  m: ToyMechanism,
  T: number,
  Tresp: number,
  o: { bisections?: number; iterations?: number; steps?: number } = {},
): number {
  const theory = toyCriticalLrTheory(m, T, Tresp);
  let lo = theory / 4;
  let hi = theory * 4;
  for (let i = 0; i < (o.bisections ?? 12); i++) {
    const mid = Math.sqrt(lo * hi);
    if (toyGradientDescentConverges(m, T, Tresp, mid, o)) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

/** Theory vs simulation over delays, the fitted exponents, and flow fields of both toys. */
export interface Kurtkaya2025Toy {
  Tresp: number;
  /** Per mechanism and delay: the paper's η_c, the closed form for the simulated toy, and the simulation's. */
  rows: { mechanism: ToyMechanism; T: number; theory: number; simulationTheory: number; simulated: number }[];
  /** Slope of log η_c on log T (simulated) per mechanism: the theory's −5 and −3 at fixed T_resp. */
  exponents: Record<ToyMechanism, number>;
  /** Arrows of each toy's flow field at its learned parameter for the largest delay, and one trajectory. */
  flow: { mechanism: ToyMechanism; x: number; y: number; u: number; v: number }[];
  trajectories: { mechanism: ToyMechanism; t: number; x: number; y: number }[];
}

/** The toy models at delays `delays` (in steps) with a fixed response window (default 10 steps, 50 ms at dt 5 ms). */
export function kurtkaya2025Toy(o: { delays?: number[]; Tresp?: number } = {}): Kurtkaya2025Toy {
  const delays = o.delays ?? [10, 20, 40, 80];
  const Tresp = o.Tresp ?? 10;
  const mechanisms: ToyMechanism[] = ['slow-point', 'limit-cycle'];
  const rows = mechanisms.flatMap((mechanism) =>
    delays.map((T) => ({
      mechanism,
      T,
      theory: toyCriticalLrTheory(mechanism, T, Tresp),
      simulationTheory: toyCriticalLrSimulationTheory(mechanism, T, Tresp),
      simulated: toyCriticalLrSimulated(mechanism, T, Tresp),
    })),
  );
  const slope = (m: ToyMechanism) => {
    const pts = rows.filter((r) => r.mechanism === m).map((r) => [Math.log(r.T), Math.log(r.simulated)]);
    const mx = pts.reduce((a, p) => a + p[0], 0) / pts.length;
    const my = pts.reduce((a, p) => a + p[1], 0) / pts.length;
    return pts.reduce((a, p) => a + (p[0] - mx) * (p[1] - my), 0) / pts.reduce((a, p) => a + (p[0] - mx) ** 2, 0);
  };
  const flow: Kurtkaya2025Toy['flow'] = [];
  const trajectories: Kurtkaya2025Toy['trajectories'] = [];
  const T = Math.max(...delays);
  for (const mechanism of mechanisms) {
    const p = toyOptimum(mechanism, T);
    const box = mechanism === 'slow-point' ? 1 : 1.5;
    for (let i = 0; i <= 12; i++)
      for (let j = 0; j <= 12; j++) {
        const x = -box + (2 * box * i) / 12;
        const y = -box + (2 * box * j) / 12;
        const [u, v] = toyField(mechanism, p, x, y);
        flow.push({ mechanism, x, y, u, v });
      }
    // one trajectory: slow point from (−1, 0.8) through the bottleneck, limit cycle from (0.2, 0) onto the cycle
    let [x, y] = mechanism === 'slow-point' ? [-1, 0.8] : [0.2, 0];
    const dt = T / 2000;
    for (let k = 0; k <= 2000 && Math.abs(x) <= box && Math.abs(y) <= box; k++) {
      if (k % 10 === 0) trajectories.push({ mechanism, t: k * dt, x, y });
      const [a, b] = toyField(mechanism, p, x, y);
      x += dt * a;
      y += dt * b;
    }
  }
  return { Tresp, rows, exponents: { 'slow-point': slope('slow-point'), 'limit-cycle': slope('limit-cycle') }, flow, trajectories };
}
