/**
 * Levenberg–Marquardt least squares for small models (a handful of parameters), as MATLAB's
 * `lsqcurvefit(..., 'Algorithm', 'levenberg-marquardt')` that Kim & Sejnowski 2021 and Murray
 * et al. 2014 use for the timescale fit.
 *
 *   minimise  Σ_i (f(x_i; p) − y_i)²
 *   step      (JᵀJ + λ·diag(JᵀJ)) δ = −Jᵀr,  λ adapted (÷10 on success, ×10 on failure)
 *
 * The Jacobian is analytic when given, else central differences.
 *
 * @example
 * ```ts
 * const fit = levenbergMarquardt((x, [a, b]) => a * Math.exp(b * x), xs, ys, [1, -0.1]);
 * fit.params; fit.converged;
 * ```
 */
import { ShapeError } from '@wmkit/tensor';

/** A model y = f(x; p) to fit: the value at x for parameters p. */
export type Model = (x: number, p: number[]) => number;
/** Partial derivatives of the model with respect to its parameters at x (one per parameter). */
export type Gradient = (x: number, p: number[]) => number[];

/** Stopping rules and optional analytic Jacobian for `levenbergMarquardt`. */
export interface LmOptions {
  maxIterations?: number;
  /** Stop when the relative decrease of the sum of squares is below this. */
  tolerance?: number;
  initialLambda?: number;
  /** Analytic ∂f/∂p; finite differences otherwise. */
  gradient?: Gradient;
}

/** Fitted parameters, residual sum of squares, iterations and whether the fit converged. */
export interface LmResult {
  params: number[];
  /** Σ residuals² at the solution. */
  sse: number;
  iterations: number;
  converged: boolean;
}

function solve(A: number[][], b: number[]): number[] | null {
  // Gaussian elimination with partial pivoting (n ≤ ~10)
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    if (Math.abs(M[piv][c]) < 1e-300) return null;
    [M[c], M[piv]] = [M[piv], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}

/** Least-squares fit of y = f(x; p) from the start `p0` by Levenberg–Marquardt (damped Gauss–Newton), for small problems such as the exponential fits of the timescale analysis. */
export function levenbergMarquardt(f: Model, xs: ArrayLike<number>, ys: ArrayLike<number>, p0: number[], opts: LmOptions = {}): LmResult {
  if (xs.length !== ys.length) throw new ShapeError(`levenbergMarquardt: ${xs.length} x values but ${ys.length} y values`);
  if (xs.length < p0.length) throw new ShapeError(`levenbergMarquardt: ${xs.length} points cannot determine ${p0.length} parameters`);
  const maxIt = opts.maxIterations ?? 400;
  const tol = opts.tolerance ?? 1e-12;
  const n = p0.length;
  const grad =
    opts.gradient ??
    ((x: number, p: number[]) =>
      p.map((pj, j) => {
        const h = 1e-6 * Math.max(1, Math.abs(pj));
        const a = p.slice();
        const b = p.slice();
        a[j] = pj + h;
        b[j] = pj - h;
        return (f(x, a) - f(x, b)) / (2 * h);
      }));
  const sse = (p: number[]) => {
    let s = 0;
    for (let i = 0; i < xs.length; i++) {
      const r = f(xs[i], p) - ys[i];
      s += r * r;
    }
    return s;
  };
  let p = p0.slice();
  let cur = sse(p);
  let lambda = opts.initialLambda ?? 1e-3;
  let it = 0;
  let converged = false;
  for (; it < maxIt; it++) {
    const JtJ = Array.from({ length: n }, () => new Array(n).fill(0));
    const Jtr = new Array(n).fill(0);
    for (let i = 0; i < xs.length; i++) {
      const g = grad(xs[i], p);
      const r = f(xs[i], p) - ys[i];
      for (let a = 0; a < n; a++) {
        Jtr[a] += g[a] * r;
        for (let b = 0; b < n; b++) JtJ[a][b] += g[a] * g[b];
      }
    }
    let improved = false;
    for (let tries = 0; tries < 30; tries++) {
      const A = JtJ.map((row, a) => row.map((v, b) => (a === b ? v + lambda * Math.max(v, 1e-12) : v)));
      const delta = solve(
        A,
        Jtr.map((v) => -v),
      );
      if (!delta || delta.some((d) => !Number.isFinite(d))) {
        lambda *= 10;
        continue;
      }
      const trial = p.map((v, j) => v + delta[j]);
      const next = sse(trial);
      if (Number.isFinite(next) && next < cur) {
        const rel = (cur - next) / Math.max(cur, 1e-300);
        p = trial;
        cur = next;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        if (rel < tol) converged = true;
        break;
      }
      lambda *= 10;
    }
    if (!improved) {
      converged = true; // no step reduces the error: at a (local) minimum
      break;
    }
    if (converged) break;
  }
  return { params: p, sse: cur, iterations: it, converged };
}
