/**
 * Principal component analysis of trajectories (rows = time points or samples, columns = units),
 * through the symmetric eigendecomposition of the covariance (cyclic Jacobi rotations).
 */
import { ShapeError } from '@wmkit/tensor';

/** Eigen-decomposition of a symmetric n × n matrix: values descending, vectors as rows. */
export function symmetricEigen(a: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } {
  if (a.length !== n * n) throw new ShapeError(`symmetricEigen: ${a.length} values for an ${n} × ${n} matrix`);
  const A = Float64Array.from(a);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p];
          const akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k];
          const aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p];
          const vkq = V[k * n + q];
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => A[y * n + y] - A[x * n + x]);
  const values = Float64Array.from(order, (i) => A[i * n + i]);
  const vectors = new Float64Array(n * n);
  order.forEach((col, r) => {
    for (let k = 0; k < n; k++) vectors[r * n + k] = V[k * n + col];
  });
  return { values, vectors };
}

/** Principal components of a set of states: the mean, the unit-length axes, their variances and the explained fraction. */
export interface Pca {
  mean: Float64Array;
  /** [k, N] principal axes (unit length). */
  components: Float64Array;
  /** Variance along each axis, and its fraction of the total. */
  variance: Float64Array;
  explained: Float64Array;
  /** [rows, k] coordinates of every row. */
  projection: Float64Array;
  k: number;
}

/** PCA of a rows × N row-major array, keeping k components. */
export function pca(data: ArrayLike<number>, rows: number, N: number, k = 2): Pca {
  if (data.length !== rows * N) throw new ShapeError(`pca: ${data.length} values do not fill [${rows}, ${N}]`);
  if (!(k >= 1 && k <= N)) throw new ShapeError(`pca: k = ${k} must be in 1…${N}`);
  const mean = new Float64Array(N);
  for (let r = 0; r < rows; r++) for (let i = 0; i < N; i++) mean[i] += data[r * N + i] / rows;
  const cov = new Float64Array(N * N);
  const row = new Float64Array(N);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < N; i++) row[i] = data[r * N + i] - mean[i];
    for (let i = 0; i < N; i++) {
      const a = row[i];
      if (a === 0) continue;
      for (let j = i; j < N; j++) cov[i * N + j] += a * row[j];
    }
  }
  for (let i = 0; i < N; i++)
    for (let j = i; j < N; j++) {
      cov[i * N + j] /= Math.max(1, rows - 1);
      cov[j * N + i] = cov[i * N + j];
    }
  const { values, vectors } = symmetricEigen(cov, N);
  const total = values.reduce((a, v) => a + Math.max(0, v), 0);
  const components = vectors.slice(0, k * N);
  const projection = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += (data[r * N + i] - mean[i]) * components[c * N + i];
      projection[r * k + c] = s;
    }
  const variance = values.slice(0, k);
  return { mean, components, variance, explained: Float64Array.from(variance, (v) => (total > 0 ? v / total : 0)), projection, k };
}
