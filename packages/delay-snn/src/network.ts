/**
 * The recurrent heterogeneous-delay spiking network (HD-SNN) of Perrinet et al. 2026 and its
 * analytical initialisations (docs/models/delay-snn.md §Model, §Analytical initialisation).
 *
 * N discrete-time LIF neurons; every pair (post j, pre i) has one weight per delay d = 1..D.
 * At each step the spikes of the last D steps of all neurons (own spikes OR input spikes) form
 * the context vector c of length N·D, neuron-major (index i·D + k, k = 0 is t − D and
 * k = D − 1 is t − 1), and the current is I = W·c with W of shape [N, N·D] — the authors'
 * `nn.Linear(N·D, N)`, i.e. the tensor W[post, pre, k] of shape [N, N, D].
 *
 * wmkit stores the transpose, `Wt` of shape [N·D, N] (context-major): a spike then adds one
 * contiguous row to the current, which is what makes the event-driven kernels fast. Use
 * `linearWeights`/`fromLinearWeights` to convert to and from the authors' layout.
 *
 * @example
 * ```ts
 * const set = bernoulliPatterns({ M: 16, N: 1024, T: 1000, p: 1e-3, seed: 2018 });
 * const model = createHdSnn(PERRINET2026_REFERENCE);
 * const info = hebbianInit(model, set);   // W = I*ᵀC / norm
 * ```
 */
import type { SpikePatternSet } from '@wmkit/tasks';
import { ShapeError } from '@wmkit/tensor';
import { ConfigError, type HdSnnConfig } from './config';

/** An HD-SNN: its configuration and weights W (N × N × D) stored context-major. */
export interface HdSnnModel {
  config: HdSnnConfig;
  /** Weights [N·D, N], context-major (see module doc). */
  Wt: Float32Array;
}

/** A network with all weights zero (memory N·N·D float32s: 172 MB for the reference). */
export function createHdSnn(config: HdSnnConfig): HdSnnModel {
  const n = config.N * config.N * config.D;
  if (n > 2 ** 30) {
    throw new ConfigError(
      `a delay network with N=${config.N} and D=${config.D} has ${n.toExponential(2)} weights (over 2^30, 4 GiB): reduce N or D`,
    );
  }
  return { config, Wt: new Float32Array(n) };
}

/** The authors' layout W[post, pre·D + k], [N, N·D] (= [N, N, D]). */
export function linearWeights(model: HdSnnModel): Float32Array {
  const { N, D } = model.config;
  const ND = N * D;
  const out = new Float32Array(N * ND);
  const Wt = model.Wt;
  for (let a = 0; a < ND; a++) {
    const row = a * N;
    for (let j = 0; j < N; j++) out[j * ND + a] = Wt[row + j];
  }
  return out;
}

/** Sets the weights from the authors' layout [N, N·D]. */
export function fromLinearWeights(model: HdSnnModel, W: ArrayLike<number>): void {
  const { N, D } = model.config;
  const ND = N * D;
  if (W.length !== N * ND)
    throw new ShapeError(`weights: expected shape [N, N, D] = [${N}, ${N}, ${D}] (${N * ND} values), got ${W.length}`);
  for (let j = 0; j < N; j++) {
    const row = j * ND;
    for (let a = 0; a < ND; a++) model.Wt[a * N + j] = W[row + a];
  }
}

function checkSet(model: HdSnnModel, set: SpikePatternSet): void {
  const { N, T } = model.config;
  if (set.N !== N) throw new ShapeError(`patterns have N=${set.N} neurons but the network has ${N}`);
  if (set.T !== T) throw new ShapeError(`patterns have T=${set.T} steps but the config says T=${T}`);
  if (model.config.D >= set.T) throw new ShapeError(`D (${model.config.D}) must be smaller than the pattern length T (${set.T})`);
}

/**
 * Visits every training context: for pattern m and step t in [D, T), calls
 * `fn(m, t, ctx, nCtx)` where ctx[0..nCtx) are the active context indices i·D + k of
 * target steps t−D..t−1 (ascending in k, then neuron).
 */
export function forEachContext(set: SpikePatternSet, D: number, fn: (m: number, t: number, ctx: Int32Array, n: number) => void): void {
  const { M, N, T } = set;
  // per-step spike lists of each pattern
  const ctx = new Int32Array(N * D);
  for (let m = 0; m < M; m++) {
    const lists: number[][] = Array.from({ length: T }, () => []);
    for (let i = 0; i < N; i++) {
      const row = (m * N + i) * T;
      for (let t = 0; t < T; t++) if (set.data[row + t]) lists[t].push(i);
    }
    for (let t = D; t < T; t++) {
      let n = 0;
      for (let k = 0; k < D; k++) for (const i of lists[t - D + k]) ctx[n++] = i * D + k;
      fn(m, t, ctx, n);
    }
  }
}

/** Nonzero entries of the target current at step t of pattern m: I*_j(t) = s*_j(t) − β·s*_j(t−1). */
function targetCurrent(
  set: SpikePatternSet,
  m: number,
  t: number,
  beta: number,
  deconvolve: boolean,
  out: { j: number[]; v: number[] },
): void {
  out.j.length = 0;
  out.v.length = 0;
  const { N, T } = set;
  for (let j = 0; j < N; j++) {
    const row = (m * N + j) * T;
    let v = set.data[row + t];
    if (deconvolve && t > 0 && set.data[row + t - 1]) v -= beta;
    if (v !== 0) {
      out.j.push(j);
      out.v.push(v);
    }
  }
}

/** How the weights were initialised: method, number of contexts, normalisation, time taken. */
export interface InitInfo {
  method: 'hebbian' | 'pinv' | 'zero';
  /** Training contexts K = M·(T − D). */
  contexts: number;
  /** Hebbian normalisation used (weights = I*ᵀC·gain/norm). */
  norm?: number;
  /** Pseudo-inverse: the solver used ('direct' Cholesky or 'cg' conjugate gradients). */
  solver?: 'direct' | 'cg';
  /** Conjugate gradients: iterations of the slowest block of neurons. */
  iterations?: number;
  /** Conjugate gradients: the largest relative residual ‖r‖/‖b‖ over neurons at the end. */
  residual?: number;
  seconds: number;
}

/**
 * Hebbian initialisation W = gain · I*ᵀC / norm, event-driven (work ∝ target spikes × context
 * spikes). Normalisation 'code': mean over the N·D context dimensions of Σ_K c² (the authors'
 * code, floored at 1e-8); 'paper': N·D·p·M (the paper's text — about 45× smaller weights at the
 * reference configuration, which leaves the network silent unless `gain` compensates).
 */
export function hebbianInit(model: HdSnnModel, set: SpikePatternSet): InitInfo {
  const t0 = performance.now();
  checkSet(model, set);
  const { N, D, beta, p, M } = model.config;
  const { normalization, gain, deconvolve } = model.config.init;
  const Wt = model.Wt;
  Wt.fill(0);
  let active = 0;
  const cur = { j: [] as number[], v: [] as number[] };
  // targets are sparse: precompute per (m, t) nonzeros lazily inside the visit
  forEachContext(set, D, (m, t, ctx, n) => {
    active += n;
    targetCurrent(set, m, t, beta, deconvolve, cur);
    for (let q = 0; q < n; q++) {
      const row = ctx[q] * N;
      for (let r = 0; r < cur.j.length; r++) Wt[row + cur.j[r]] += cur.v[r];
    }
  });
  const norm = normalization === 'code' ? Math.max(active / (N * D), 1e-8) : N * D * p * M;
  const scale = Math.fround(gain / norm);
  for (let q = 0; q < Wt.length; q++) if (Wt[q] !== 0) Wt[q] *= scale;
  return { method: 'hebbian', contexts: set.M * (set.T - D), norm, seconds: (performance.now() - t0) / 1000 };
}

/** How `pinvInit` solves the least-squares problem: 'direct' (Cholesky), 'cg' (conjugate gradients) or 'auto'. */
export type PinvSolver = 'auto' | 'direct' | 'cg';

/** Options of `pinvInit`: ridge, solver, and the limits of each solver. */
export interface PinvOptions {
  /** Ridge λ relative to the mean diagonal of the Gram matrix (default 1e-8). */
  ridge?: number;
  /** 'auto' (default): direct up to `maxGram`, conjugate gradients above. */
  solver?: PinvSolver;
  /** Largest Gram matrix side the direct solve factors (default 4000: O(n³) work, 8·n² bytes). */
  maxGram?: number;
  /** Conjugate gradients: stop when every column's residual is below `tol` × its right-hand side (default 1e-6). */
  tol?: number;
  /** Conjugate gradients: iteration limit (default 500). */
  maxIter?: number;
  /** Conjugate gradients: right-hand sides (neurons) solved together (default 64). */
  block?: number;
}

/** Sparse training data of the least-squares problem: active context entries and target currents per context. */
interface LsqData {
  ctxs: Int32Array[];
  tj: Int32Array[];
  tv: Float64Array[];
}

function lsqData(set: SpikePatternSet, D: number, beta: number, deconvolve: boolean): LsqData {
  const ctxs: Int32Array[] = [];
  const tj: Int32Array[] = [];
  const tv: Float64Array[] = [];
  const cur = { j: [] as number[], v: [] as number[] };
  forEachContext(set, D, (m, t, ctx, c) => {
    ctxs.push(ctx.slice(0, c));
    targetCurrent(set, m, t, beta, deconvolve, cur);
    tj.push(Int32Array.from(cur.j));
    tv.push(Float64Array.from(cur.v));
  });
  return { ctxs, tj, tv };
}

/**
 * Minimum-norm initialisation W* = I*·C⁺ (docs/models/delay-snn.md §Analytical initialisation), computed as the ridge limit
 * I*·Cᵀ(C Cᵀ + λI)⁻¹ = I*(CᵀC + λI)⁻¹Cᵀ with λ = `ridge`·mean(diag) on the smaller side
 * (n = min(K, N·D)). Two solvers give the same weights:
 * - 'direct': Cholesky factorisation of the n × n Gram matrix in float64, O(n³/3) work and 8·n² bytes,
 *   practical up to n of a few thousand (`maxGram`, default 4000);
 * - 'cg': conjugate gradients on the same normal equations without forming the Gram matrix: each
 *   iteration applies C and Cᵀ (sparse, about N·D·p active entries per context) to a block of
 *   neurons' right-hand sides, so memory is O(n·block) and work O(iterations · K·N·D·p · N).
 *   The contexts of random spike patterns are nearly orthogonal, so the Gram matrix is well
 *   conditioned and CG converges in tens of iterations; the reference configuration (K = 15,344)
 *   takes this path under 'auto'.
 */
export function pinvInit(model: HdSnnModel, set: SpikePatternSet, opts: PinvOptions = {}): InitInfo {
  const t0 = performance.now();
  checkSet(model, set);
  const { N, D, beta } = model.config;
  const { deconvolve, gain } = model.config.init;
  const ND = N * D;
  const K = set.M * (set.T - D);
  const n = Math.min(K, ND);
  const maxGram = opts.maxGram ?? 4000;
  const solver = opts.solver ?? 'auto';
  if (solver === 'direct' && n > maxGram) {
    throw new ConfigError(
      `pinv initialisation (direct solve) needs a ${n}×${n} Gram matrix (K = M·(T−D) = ${K} contexts, N·D = ${ND}); the limit is ${maxGram} (O(n³) work). Use the 'cg' solver, init.method 'hebbian' (the paper's faster form) or a smaller M, T or N·D`,
    );
  }
  const data = lsqData(set, D, beta, deconvolve);
  const ridge = opts.ridge ?? 1e-8;
  if (solver === 'cg' || (solver === 'auto' && n > maxGram)) {
    const cg = pinvConjugateGradients(model, data, K, ridge, gain, opts);
    return {
      method: 'pinv',
      contexts: K,
      solver: 'cg',
      iterations: cg.iterations,
      residual: cg.residual,
      seconds: (performance.now() - t0) / 1000,
    };
  }
  const { ctxs, tj, tv } = data;
  const G = new Float64Array(n * n);
  if (K <= ND) {
    // G = CᵀC (K×K) via an inverted index: contexts sharing an active entry
    const byEntry: number[][] = Array.from({ length: ND }, () => []);
    ctxs.forEach((c, k) => {
      for (const a of c) byEntry[a].push(k);
    });
    for (const list of byEntry) for (const k1 of list) for (const k2 of list) G[k1 * n + k2] += 1;
    addRidge(G, n, ridge);
    cholesky(G, n);
    // Z = I*(CᵀC + λ)⁻¹: solve for each neuron j the system G z = I*_j (columns over contexts)
    const rhs = new Float64Array(n);
    const Wt = model.Wt;
    Wt.fill(0);
    const Z = new Float64Array(K * N);
    for (let j = 0; j < N; j++) {
      rhs.fill(0);
      let any = false;
      for (let k = 0; k < K; k++) {
        const js = tj[k];
        for (let r = 0; r < js.length; r++) {
          if (js[r] === j) {
            rhs[k] = tv[k][r];
            any = true;
          }
        }
      }
      if (!any) continue;
      choleskySolve(G, n, rhs);
      for (let k = 0; k < K; k++) Z[k * N + j] = rhs[k];
    }
    // W = Z Cᵀ: Wt[a, :] += Z[k, :] for each active entry a of context k
    for (let k = 0; k < K; k++) {
      const zk = k * N;
      for (const a of ctxs[k]) {
        const row = a * N;
        for (let j = 0; j < N; j++) Wt[row + j] += gain * Z[zk + j];
      }
    }
  } else {
    // G = C Cᵀ (ND×ND), A = I* Cᵀ (N×ND); solve W (G + λ) = A row by row
    const A = new Float64Array(N * ND);
    ctxs.forEach((c, k) => {
      for (const a of c) {
        for (const a2 of c) G[a * n + a2] += 1;
        for (let r = 0; r < tj[k].length; r++) A[tj[k][r] * ND + a] += tv[k][r];
      }
    });
    addRidge(G, n, ridge);
    cholesky(G, n);
    const Wt = model.Wt;
    const rhs = new Float64Array(n);
    for (let j = 0; j < N; j++) {
      rhs.set(A.subarray(j * ND, (j + 1) * ND));
      choleskySolve(G, n, rhs);
      for (let a = 0; a < ND; a++) Wt[a * N + j] = gain * rhs[a];
    }
  }
  return { method: 'pinv', contexts: K, solver: 'direct', seconds: (performance.now() - t0) / 1000 };
}

/**
 * Conjugate gradients on the normal equations of the pseudo-inverse, one block of neurons
 * (right-hand sides) at a time, each column with its own step sizes. Dual side (K ≤ N·D):
 * (CᵀC + λ)Z = I*ᵀ, then W = C·Z; primal side (K > N·D): (CCᵀ + λ)w = C·I*ᵀ. C and Cᵀ are
 * applied through the contexts' active entries, so the Gram matrix is never formed.
 * Written by hand: no maintained JavaScript library offers a sparse block CG on float64.
 */
function pinvConjugateGradients(
  model: HdSnnModel,
  data: LsqData,
  K: number,
  ridge: number,
  gain: number,
  opts: PinvOptions,
): { iterations: number; residual: number } {
  const { N, D } = model.config;
  const ND = N * D;
  const { ctxs, tj, tv } = data;
  const dual = K <= ND;
  const n = dual ? K : ND;
  const tol = opts.tol ?? 1e-6;
  const maxIter = opts.maxIter ?? 500;
  const block = Math.max(1, Math.min(N, opts.block ?? 64));
  let nnz = 0;
  for (const c of ctxs) nnz += c.length;
  const lambda = ridge * Math.max(nnz / n, 1e-300);
  const Wt = model.Wt;
  Wt.fill(0);
  // buffers sized for the widest block; row r of a block matrix is [r·bw, r·bw + bw)
  const X = new Float64Array(n * block);
  const R = new Float64Array(n * block);
  const P = new Float64Array(n * block);
  const AP = new Float64Array(n * block);
  const other = new Float64Array((dual ? ND : K) * block);
  const rr = new Float64Array(block);
  const bb = new Float64Array(block);
  const pap = new Float64Array(block);
  const active = new Uint8Array(block);
  // Y (entries) = C · Z (contexts)
  const cMul = (Z: Float64Array, Y: Float64Array, bw: number) => {
    Y.fill(0, 0, ND * bw);
    for (let k = 0; k < K; k++) {
      const zk = k * bw;
      const c = ctxs[k];
      for (let q = 0; q < c.length; q++) {
        const ya = c[q] * bw;
        for (let col = 0; col < bw; col++) Y[ya + col] += Z[zk + col];
      }
    }
  };
  // Z (contexts) = Cᵀ · Y (entries)
  const ctMul = (Y: Float64Array, Z: Float64Array, bw: number) => {
    for (let k = 0; k < K; k++) {
      const zk = k * bw;
      for (let col = 0; col < bw; col++) Z[zk + col] = 0;
      const c = ctxs[k];
      for (let q = 0; q < c.length; q++) {
        const ya = c[q] * bw;
        for (let col = 0; col < bw; col++) Z[zk + col] += Y[ya + col];
      }
    }
  };
  const apply = (V: Float64Array, out: Float64Array, bw: number) => {
    if (dual) {
      cMul(V, other, bw);
      ctMul(other, out, bw);
    } else {
      ctMul(V, other, bw);
      cMul(other, out, bw);
    }
    for (let q = 0; q < n * bw; q++) out[q] += lambda * V[q];
  };
  let iterations = 0;
  let residual = 0;
  for (let j0 = 0; j0 < N; j0 += block) {
    const bw = Math.min(block, N - j0);
    // right-hand side: I*ᵀ (dual, per context) or C·I*ᵀ (primal, per entry)
    X.fill(0, 0, n * bw);
    if (dual) {
      R.fill(0, 0, n * bw);
      for (let k = 0; k < K; k++) {
        const js = tj[k];
        for (let r = 0; r < js.length; r++) {
          const col = js[r] - j0;
          if (col >= 0 && col < bw) R[k * bw + col] = tv[k][r];
        }
      }
    } else {
      other.fill(0, 0, K * bw);
      for (let k = 0; k < K; k++) {
        const js = tj[k];
        for (let r = 0; r < js.length; r++) {
          const col = js[r] - j0;
          if (col >= 0 && col < bw) other[k * bw + col] = tv[k][r];
        }
      }
      cMul(other, R, bw);
    }
    rr.fill(0);
    for (let q = 0; q < n; q++) for (let col = 0; col < bw; col++) rr[col] += R[q * bw + col] * R[q * bw + col];
    for (let col = 0; col < bw; col++) {
      bb[col] = rr[col];
      active[col] = rr[col] > 0 ? 1 : 0;
    }
    P.set(R.subarray(0, n * bw));
    let it = 0;
    const converged = () => {
      let all = true;
      for (let col = 0; col < bw; col++) {
        if (active[col] && rr[col] <= tol * tol * bb[col]) active[col] = 0;
        if (active[col]) all = false;
      }
      return all;
    };
    while (!converged() && it < maxIter) {
      it++;
      apply(P, AP, bw);
      pap.fill(0);
      for (let q = 0; q < n; q++) for (let col = 0; col < bw; col++) pap[col] += P[q * bw + col] * AP[q * bw + col];
      const alpha = new Float64Array(bw);
      for (let col = 0; col < bw; col++) alpha[col] = active[col] && pap[col] > 0 ? rr[col] / pap[col] : 0;
      const rrNew = new Float64Array(bw);
      for (let q = 0; q < n; q++) {
        const o = q * bw;
        for (let col = 0; col < bw; col++) {
          X[o + col] += alpha[col] * P[o + col];
          const r = R[o + col] - alpha[col] * AP[o + col];
          R[o + col] = r;
          rrNew[col] += r * r;
        }
      }
      const beta = new Float64Array(bw);
      for (let col = 0; col < bw; col++) {
        beta[col] = active[col] && rr[col] > 0 ? rrNew[col] / rr[col] : 0;
        if (active[col]) rr[col] = rrNew[col];
      }
      for (let q = 0; q < n; q++) {
        const o = q * bw;
        for (let col = 0; col < bw; col++) P[o + col] = R[o + col] + beta[col] * P[o + col];
      }
    }
    iterations = Math.max(iterations, it);
    for (let col = 0; col < bw; col++) if (bb[col] > 0) residual = Math.max(residual, Math.sqrt(rr[col] / bb[col]));
    // weights: W = C·Z (dual) or w (primal)
    const Wsrc = dual ? other : X;
    if (dual) cMul(X, other, bw);
    for (let a = 0; a < ND; a++) {
      const row = a * N + j0;
      const o = a * bw;
      for (let col = 0; col < bw; col++) Wt[row + col] = gain * Wsrc[o + col];
    }
  }
  return { iterations, residual };
}

function addRidge(G: Float64Array, n: number, ridge: number): void {
  let tr = 0;
  for (let i = 0; i < n; i++) tr += G[i * n + i];
  const lambda = ridge * Math.max(tr / n, 1e-300);
  for (let i = 0; i < n; i++) G[i * n + i] += lambda;
}

/** In-place Cholesky (lower triangle), G = L Lᵀ. */
function cholesky(G: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = G[rj + j];
    for (let k = 0; k < j; k++) d -= G[rj + k] * G[rj + k];
    if (!(d > 0)) throw new ShapeError(`pinv: the Gram matrix is not positive definite at pivot ${j} (increase the ridge)`);
    const l = Math.sqrt(d);
    G[rj + j] = l;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = G[ri + j];
      for (let k = 0; k < j; k++) s -= G[ri + k] * G[rj + k];
      G[ri + j] = s / l;
    }
  }
}

function choleskySolve(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[ri + k] * b[k];
    b[i] = s / L[ri + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * b[k];
    b[i] = s / L[i * n + i];
  }
}

/** Initialises the weights as `model.config.init.method` says. */
export function initialise(model: HdSnnModel, set: SpikePatternSet): InitInfo {
  const m = model.config.init.method;
  if (m === 'hebbian') return hebbianInit(model, set);
  if (m === 'pinv') return pinvInit(model, set);
  const t0 = performance.now();
  model.Wt.fill(0);
  return { method: 'zero', contexts: set.M * (set.T - model.config.D), seconds: (performance.now() - t0) / 1000 };
}
