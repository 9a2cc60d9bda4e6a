/**
 * Földiák's (1990) network as TensorFlow.js ops — the `engine: 'tfjs'` form of the float64
 * JavaScript network in `foldiak.ts`, with the same equations (docs/models/wta-sparse.md §Sparse
 * coding), so the tfjs backend that `@wmkit/tensor` selected (cpu, wasm, tfjs-node, tfjs-node-gpu,
 * WebGL, WebGPU) runs it:
 *
 *   settling (a batch of inputs X [B, nIn], every row from y* = 0):
 *     u = X qᵀ − t + y* wᵀ,   d = dt (σ(λu) − y*) · a,   y* ← y* + d,   a ← a · 1[max_i |d_i| ≥ tol]
 *   where a [B, 1] marks the rows still settling: a row stops at the first Euler step whose largest
 *   change is below `settleTol` (after applying it), as `settleFoldiak` does, or at
 *   `settleMaxSteps`; the steps run in chunks of `chunk` between checks of whether any row is left.
 *   learning (one pattern x, binary output y):
 *     w ← min(w − α (yᵀy − p²) ⊙ (1 − I), 0),   q ← q + β yᵀ ⊙ (x − q),   t ← t + γ (y − p)
 *
 * The state is float32 (float64 in `foldiak.ts`), so weights agree with the JavaScript engine to
 * float32 rounding over short runs (tests); over thousands of presentations an output near the 0.5
 * threshold can binarise differently and the two runs then part, with the same statistics.
 */
import { DivergenceError } from '@wmkit/core-neuron';
import { ShapeError, type Tensor, type Tensor2D, tf } from '@wmkit/tensor';
import { checkFoldiakParams, checkFoldiakState, type FoldiakEngine, type FoldiakNetwork } from './foldiak';

/** Settling steps between checks of whether every row has settled (default 25). */
export interface FoldiakTfjsOptions {
  chunk?: number;
}

/** The tfjs engine over a copy of `net` (float32 tensors); `network()` returns the learned state as float64 arrays. */
export function foldiakTfjsEngine(net: FoldiakNetwork, o: FoldiakTfjsOptions = {}): FoldiakEngine {
  const P = net.params;
  checkFoldiakParams(P);
  const { nIn, nOut } = P;
  const chunk = Math.max(1, o.chunk ?? 25);
  let q: Tensor = tf.tensor2d(Float32Array.from(net.q), [nOut, nIn]);
  let w: Tensor = tf.tensor2d(Float32Array.from(net.w), [nOut, nOut]);
  let t: Tensor = tf.tensor2d(Float32Array.from(net.t), [1, nOut]);
  const offDiagonal = tf.tidy(() => tf.sub(1, tf.eye(nOut)));
  let presentations = net.presentations;

  /** Binary outputs (float32 0/1) [B, nOut] of the network settled on X [B, nIn]. */
  const settle = (X: Tensor2D): Tensor => {
    const B = X.shape[0];
    const ff = tf.tidy(() => tf.sub(tf.matMul(X, q, false, true), t));
    let y: Tensor = tf.zeros([B, nOut]);
    let active: Tensor = tf.ones([B, 1]);
    try {
      let steps = 0;
      while (steps < P.settleMaxSteps) {
        const n = Math.min(chunk, P.settleMaxSteps - steps);
        const [y2, a2] = tf.tidy(() => {
          let yy = y;
          let aa = active;
          for (let s = 0; s < n; s++) {
            const u = tf.add(ff, tf.matMul(yy, w, false, true));
            const d = tf.mul(tf.mul(P.settleDt, tf.sub(tf.sigmoid(tf.mul(P.lambda, u)), yy)), aa);
            yy = tf.add(yy, d);
            aa = tf.mul(aa, tf.cast(tf.greaterEqual(tf.max(tf.abs(d), 1, true), P.settleTol), 'float32'));
          }
          return [yy, aa];
        }) as [Tensor, Tensor];
        y.dispose();
        active.dispose();
        y = y2;
        active = a2;
        steps += n;
        const left = tf.tidy(() => tf.sum(active));
        const anyLeft = (left.dataSync()[0] as number) > 0;
        left.dispose();
        if (!anyLeft) break;
      }
      return tf.tidy(() => tf.cast(tf.greater(y, 0.5), 'float32'));
    } finally {
      ff.dispose();
      y.dispose();
      active.dispose();
    }
  };

  const learn = (x: Tensor, y: Tensor, alpha: number, beta: number, gamma: number) => {
    const p = P.p;
    const [w2, q2, t2] = tf.tidy(() => [
      alpha > 0 ? tf.minimum(tf.sub(w, tf.mul(alpha, tf.mul(tf.sub(tf.matMul(y, y, true, false), p * p), offDiagonal))), 0) : w.clone(),
      beta > 0 ? tf.add(q, tf.mul(beta, tf.mul(tf.transpose(y), tf.sub(x, q)))) : q.clone(),
      gamma > 0 ? tf.add(t, tf.mul(gamma, tf.sub(y, p))) : t.clone(),
    ]);
    w.dispose();
    q.dispose();
    t.dispose();
    w = w2 as Tensor;
    q = q2 as Tensor;
    t = t2 as Tensor;
  };

  const input = (x: Float32Array | Float64Array, count: number, what: string): Tensor2D => {
    if (x.length !== count * nIn)
      throw new ShapeError(`Földiák network (tfjs engine): ${x.length} input values ${what}, expected ${count} × nIn = ${count * nIn}`);
    return tf.tensor2d(x instanceof Float32Array ? x : Float32Array.from(x), [count, nIn]);
  };

  const engine: FoldiakEngine = {
    engine: 'tfjs',
    params: P,
    respond(x, count) {
      const X = input(x, count, `for ${count} patterns`);
      const Y = settle(X);
      const out = Uint8Array.from(Y.dataSync());
      X.dispose();
      Y.dispose();
      return out;
    },
    present(x) {
      const X = input(x, 1, 'for one pattern');
      const Y = settle(X);
      learn(X, Y, P.alpha, P.beta, P.gamma);
      const out = Uint8Array.from(Y.dataSync());
      X.dispose();
      Y.dispose();
      presentations++;
      // the divergence check of the JavaScript engine: |q| within 100 × the largest input, w and t finite
      const s = tf.tidy(() => tf.stack([tf.max(tf.abs(q)), tf.sum(tf.abs(w)), tf.sum(tf.abs(t))]));
      const [qMax, wSum, tSum] = Array.from(s.dataSync());
      s.dispose();
      let xMax = 1;
      for (let j = 0; j < x.length; j++) xMax = Math.max(xMax, Math.abs(x[j] as number));
      if (!((qMax as number) <= 100 * xMax && Number.isFinite(wSum) && Number.isFinite(tSum))) {
        checkFoldiakState(engine.network(), x); // names the first weight out of range
        throw new DivergenceError('Földiák learning (tfjs engine)', {
          step: presentations,
          stepName: 'presentation',
          quantity: 'max |q|',
          value: qMax as number,
          bound: `100 × the largest input = ${100 * xMax}`,
        });
      }
      return out;
    },
    pretrain(x) {
      const X = input(x, 1, 'for one pattern');
      const Y = settle(X);
      learn(X, Y, 0, 0, P.pretrainGamma);
      X.dispose();
      Y.dispose();
    },
    network() {
      return {
        params: P,
        q: Float64Array.from(q.dataSync()),
        w: Float64Array.from(w.dataSync()),
        t: Float64Array.from(t.dataSync()),
        presentations,
      };
    },
    dispose() {
      for (const v of [q, w, t, offDiagonal]) v.dispose();
    },
  };
  return engine;
}
