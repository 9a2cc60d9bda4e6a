/**
 * Eigenvalues of a real, non-symmetric matrix: reduction to upper Hessenberg form by stabilised
 * elimination, then the Francis double-shift QR algorithm (the classic EISPACK `elmhes`/`hqr`
 * pair). Used for the stability of fixed points (Jacobians are not symmetric).
 *
 * The matrix is first scaled by a power of two that brings its largest entry into [1, 2) and the
 * eigenvalues are scaled back: exact in floating point (results are unchanged for ordinary
 * matrices), and it keeps the QR sweep's sums of squares from overflowing or underflowing, which
 * made matrices with entries near 1e±200 fail to converge. A matrix on which the iteration still
 * does not settle gets an `EigenvalueConvergenceError`.
 */
import { ShapeError, UserError } from '@wmkit/tensor';

/**
 * The QR iteration did not isolate every eigenvalue of a matrix within its iteration budget
 * (a pathological matrix, e.g. the Jacobian of a diverged network). The message names the
 * matrix size, how many eigenvalues were left and what to do.
 */
export class EigenvalueConvergenceError extends UserError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EigenvalueConvergenceError';
  }
}

/** Options of `eigenvalues`. */
export interface EigenvalueOptions {
  /** QR iterations allowed per eigenvalue (or pair) before giving up (default 60, as in EISPACK's `hqr`). */
  maxIterations?: number;
}

/** Eigenvalues as parallel arrays of real and imaginary parts. */
export interface Eigenvalues {
  re: Float64Array;
  im: Float64Array;
}

/**
 * Eigenvalues of the n × n row-major matrix `a` (not modified).
 * @throws EigenvalueConvergenceError when the QR iteration does not converge (see the module notes).
 */
export function eigenvalues(a: ArrayLike<number>, n: number, options: EigenvalueOptions = {}): Eigenvalues {
  if (a.length !== n * n) throw new ShapeError(`eigenvalues: ${a.length} values for an ${n} × ${n} matrix`);
  const maxIterations = options.maxIterations ?? 60;
  if (!(Number.isInteger(maxIterations) && maxIterations >= 0))
    throw new ShapeError(`eigenvalues: maxIterations must be a whole number ≥ 0, got ${maxIterations}`);
  let amax = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new ShapeError(`eigenvalues: entry ${i} is ${a[i]}`);
    amax = Math.max(amax, Math.abs(a[i]));
  }
  // a power of two (exact) bringing the largest entry into [1, 2)
  const scale = amax > 0 ? 2 ** Math.floor(Math.log2(amax)) : 1;
  const A: Float64Array[] = Array.from({ length: n }, (_, i) => Float64Array.from({ length: n }, (_, j) => a[i * n + j] / scale));
  // --- Hessenberg reduction (elimination with row/column pivoting)
  for (let m = 1; m < n - 1; m++) {
    let x = 0;
    let piv = m;
    for (let j = m; j < n; j++)
      if (Math.abs(A[j][m - 1]) > Math.abs(x)) {
        x = A[j][m - 1];
        piv = j;
      }
    if (piv !== m) {
      for (let j = m - 1; j < n; j++) [A[piv][j], A[m][j]] = [A[m][j], A[piv][j]];
      for (let j = 0; j < n; j++) [A[j][piv], A[j][m]] = [A[j][m], A[j][piv]];
    }
    if (x !== 0) {
      for (let i = m + 1; i < n; i++) {
        let y = A[i][m - 1];
        if (y !== 0) {
          y /= x;
          A[i][m - 1] = y;
          for (let j = m; j < n; j++) A[i][j] -= y * A[m][j];
          for (let j = 0; j < n; j++) A[j][m] += y * A[j][i];
        }
      }
    }
  }
  for (let i = 2; i < n; i++) for (let j = 0; j < i - 1; j++) A[i][j] = 0; // drop the multipliers
  // --- Francis double-shift QR on the Hessenberg matrix
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  let anorm = 0;
  for (let i = 0; i < n; i++) for (let j = Math.max(i - 1, 0); j < n; j++) anorm += Math.abs(A[i][j]);
  let nn = n - 1;
  let t = 0;
  const sign = (a: number, b: number) => (b >= 0 ? Math.abs(a) : -Math.abs(a));
  let p = 0;
  let q = 0;
  let r = 0;
  let s = 0;
  let w = 0;
  let x = 0;
  let y = 0;
  let z = 0;
  while (nn >= 0) {
    let its = 0;
    let l: number;
    do {
      for (l = nn; l >= 1; l--) {
        s = Math.abs(A[l - 1][l - 1]) + Math.abs(A[l][l]);
        if (s === 0) s = anorm;
        if (Math.abs(A[l][l - 1]) + s === s) {
          A[l][l - 1] = 0;
          break;
        }
      }
      x = A[nn][nn];
      if (l === nn) {
        wr[nn] = x + t;
        wi[nn] = 0;
        nn--;
      } else {
        y = A[nn - 1][nn - 1];
        w = A[nn][nn - 1] * A[nn - 1][nn];
        if (l === nn - 1) {
          p = 0.5 * (y - x);
          q = p * p + w;
          z = Math.sqrt(Math.abs(q));
          x += t;
          if (q >= 0) {
            z = p + sign(z, p);
            wr[nn - 1] = wr[nn] = x + z;
            if (z) wr[nn] = x - w / z;
            wi[nn - 1] = wi[nn] = 0;
          } else {
            wr[nn - 1] = wr[nn] = x + p;
            wi[nn - 1] = -z;
            wi[nn] = z;
          }
          nn -= 2;
        } else {
          if (its === maxIterations)
            throw new EigenvalueConvergenceError(
              `eigenvalues: the QR iteration did not converge on this ${n} × ${n} matrix (largest entry ${amax.toExponential(2)}): ` +
                `${nn + 1} of its ${n} eigenvalues were unresolved after ${maxIterations} iterations. The matrix is pathological for the QR algorithm; ` +
                'check it for a diverged or degenerate state (e.g. the Jacobian of a network with extreme weights), or perturb it by a tiny random amount and retry.',
            );
          if (its === 10 || its === 20) {
            t += x;
            for (let i = 0; i <= nn; i++) A[i][i] -= x;
            s = Math.abs(A[nn][nn - 1]) + Math.abs(A[nn - 1][nn - 2]);
            y = x = 0.75 * s;
            w = -0.4375 * s * s;
          }
          ++its;
          let m: number;
          for (m = nn - 2; m >= l; m--) {
            z = A[m][m];
            r = x - z;
            s = y - z;
            p = (r * s - w) / A[m + 1][m] + A[m][m + 1];
            q = A[m + 1][m + 1] - z - r - s;
            r = A[m + 2][m + 1];
            s = Math.abs(p) + Math.abs(q) + Math.abs(r);
            p /= s;
            q /= s;
            r /= s;
            if (m === l) break;
            const u = Math.abs(A[m][m - 1]) * (Math.abs(q) + Math.abs(r));
            const v = Math.abs(p) * (Math.abs(A[m - 1][m - 1]) + Math.abs(z) + Math.abs(A[m + 1][m + 1]));
            if (u + v === v) break;
          }
          for (let i = m + 2; i <= nn; i++) {
            A[i][i - 2] = 0;
            if (i !== m + 2) A[i][i - 3] = 0;
          }
          for (let k = m; k <= nn - 1; k++) {
            if (k !== m) {
              p = A[k][k - 1];
              q = A[k + 1][k - 1];
              r = 0;
              if (k !== nn - 1) r = A[k + 2][k - 1];
              x = Math.abs(p) + Math.abs(q) + Math.abs(r);
              if (x !== 0) {
                p /= x;
                q /= x;
                r /= x;
              }
            }
            s = sign(Math.sqrt(p * p + q * q + r * r), p);
            if (s !== 0) {
              if (k === m) {
                if (l !== m) A[k][k - 1] = -A[k][k - 1];
              } else A[k][k - 1] = -s * x;
              p += s;
              x = p / s;
              y = q / s;
              z = r / s;
              q /= p;
              r /= p;
              for (let j = k; j <= nn; j++) {
                p = A[k][j] + q * A[k + 1][j];
                if (k !== nn - 1) {
                  p += r * A[k + 2][j];
                  A[k + 2][j] -= p * z;
                }
                A[k + 1][j] -= p * y;
                A[k][j] -= p * x;
              }
              const mmin = Math.min(nn, k + 3);
              for (let i = l; i <= mmin; i++) {
                p = x * A[i][k] + y * A[i][k + 1];
                if (k !== nn - 1) {
                  p += z * A[i][k + 2];
                  A[i][k + 2] -= p * r;
                }
                A[i][k + 1] -= p * q;
                A[i][k] -= p;
              }
            }
          }
        }
      }
    } while (l < nn - 1);
  }
  for (let i = 0; i < n; i++) {
    wr[i] *= scale;
    wi[i] *= scale;
    if (!Number.isFinite(wr[i]) || !Number.isFinite(wi[i]))
      throw new EigenvalueConvergenceError(
        `eigenvalues: an eigenvalue of this ${n} × ${n} matrix (largest entry ${amax.toExponential(2)}) is beyond the float64 range; rescale the matrix before asking for its eigenvalues.`,
      );
  }
  return { re: wr, im: wi };
}

/** Largest modulus |λ| (the spectral radius). */
export function spectralRadius(e: Eigenvalues): number {
  let m = 0;
  for (let i = 0; i < e.re.length; i++) m = Math.max(m, Math.hypot(e.re[i], e.im[i]));
  return m;
}
