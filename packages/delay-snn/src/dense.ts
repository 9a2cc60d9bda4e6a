/**
 * The dense reference path, as in the authors' code: at each step the context vector of the
 * last D steps of all neurons (length N·D) is built and multiplied by the full N × (N·D)
 * weight matrix with TensorFlow.js, and gradients come from tfjs autodiff. It exists to test
 * the event-driven kernels (identical spikes, equal gradients) and to run on accelerated tfjs
 * backends; its work is N²·D per step whatever the spike count.
 *
 * Same conventions as the engine: patterns batched [M, N]; steps t < tStart are not updated;
 * combined context = clamp(own + input, 0, 1); dropout keep masks drawn from one generator per
 * pattern, N uint32 draws per updated step (drop where u·2³² < p·2³²).
 */
import { discreteLifStepTensor, fastSigmoidSpike } from '@wmkit/core-neuron';
import { matMul, type Rng, ShapeError, stopGradient, type Tensor, tf } from '@wmkit/tensor';
import { denseToEvents, type SpikeEvents } from './events';
import { type Counts, F1_EPSILON } from './metrics';

/** Network constants of the dense (tfjs) reference simulation. */
export interface DenseRunOptions {
  N: number;
  D: number;
  beta: number;
  threshold: number;
  reset: 'subtract' | 'zero';
  tStart: number;
  /** Input spikes [M, N, steps]. */
  input: Uint8Array;
  M: number;
  steps: number;
  dropout?: number;
  /** One dropout generator per pattern (used when dropout > 0). */
  rngs?: Rng[];
  slope?: number;
  /** Neurons that never spike ([N], 1 = silenced), as the engine's `silence`. */
  silence?: Uint8Array | null;
}

/** Dropout keep masks ([M, N] per step, scaled by 1/(1 − p)) drawn as the engine draws them, or null without dropout. */
export function keepMasks(o: DenseRunOptions): Float32Array[] | null {
  const p = o.dropout ?? 0;
  if (!(p > 0)) return null;
  if (!o.rngs || o.rngs.length !== o.M) throw new ShapeError(`dense run: dropout needs one rng per pattern (${o.M})`);
  const { N, M, steps, tStart } = o;
  const scale = Math.fround(1 / (1 - p));
  const thr = p * 4294967296;
  const masks: Float32Array[] = [];
  for (let t = 0; t < steps; t++) masks.push(new Float32Array(M * N));
  const raw = new Uint32Array(N);
  for (let m = 0; m < M; m++) {
    for (let t = tStart; t < steps; t++) {
      (o.rngs[m] as Rng).fillUint32(raw);
      for (let j = 0; j < N; j++) masks[t][m * N + j] = raw[j] >= thr ? scale : 0;
    }
  }
  return masks;
}

/** Input spikes of step t as an [M, N] float tensor. */
function inputAt(o: DenseRunOptions, t: number): Tensor {
  const { M, N, steps } = o;
  const x = new Float32Array(M * N);
  for (let m = 0; m < M; m++) for (let i = 0; i < N; i++) x[m * N + i] = o.input[(m * N + i) * steps + t];
  return tf.tensor2d(x, [M, N]);
}

/**
 * Simulates with weights `W` ([N·D, N] tensor, context-major) and returns own spikes per
 * step ([M, N] tensors, zeros before tStart). `detachContext` stops gradients through the
 * recurrent spikes (the truncated gradient). Call inside `tf.tidy` (or a gradient function).
 */
export function denseRun(
  W: Tensor,
  o: DenseRunOptions,
  masks: Float32Array[] | null,
  detachContext: boolean,
  neuron?: { beta: Tensor; threshold: Tensor },
): Tensor[] {
  const { M, N, D, steps, tStart } = o;
  const spikeFn = fastSigmoidSpike(o.slope ?? 15);
  const lif = { beta: o.beta, threshold: o.threshold, reset: o.reset };
  const zeros = tf.zeros([M, N]);
  // silenced neurons never spike (their membrane still integrates), as in the engine
  const allowed = o.silence
    ? tf.tensor2d(
        Float32Array.from(o.silence.subarray(0, N), (s) => (s ? 0 : 1)),
        [1, N],
      )
    : null;
  const own: Tensor[] = [];
  const combined: Tensor[] = [];
  let mem: Tensor = zeros;
  let prev: Tensor = zeros;
  for (let t = 0; t < steps; t++) {
    if (t >= tStart) {
      const parts: Tensor[] = [];
      for (let k = 0; k < D; k++) {
        const tau = t - D + k;
        parts.push(tau < 0 ? zeros : (combined[tau] as Tensor));
      }
      // [M, N, D] → [M, N·D], index i·D + k
      const ctx = tf.reshape(tf.stack(parts, 2), [M, N * D]);
      let cur = matMul(ctx, W);
      if (masks) cur = tf.mul(cur, tf.tensor2d(masks[t] as Float32Array, [M, N]));
      const next = discreteLifStepTensor(mem, prev, cur, neuron ? { ...neuron, reset: o.reset } : lif, spikeFn);
      const spikes = allowed ? tf.mul(next.spikes, allowed) : next.spikes;
      mem = next.mem;
      prev = spikes;
      own.push(spikes);
    } else {
      own.push(zeros);
    }
    const c = tf.clipByValue(tf.add(own[t] as Tensor, inputAt(o, t)), 0, 1);
    combined.push(detachContext ? stopGradient(c) : c);
  }
  return own;
}

/** Runs `fn` inside tf.tidy and returns its plain (non-tensor) result. */
function tidyValue<T>(fn: () => T): T {
  let out: T | undefined;
  tf.tidy(() => {
    out = fn();
  });
  return out as T;
}

/** Own spikes of each pattern, as event lists (forward only). */
export function denseSimulate(Wt: Float32Array, o: DenseRunOptions): SpikeEvents[] {
  const masks = keepMasks(o);
  return tidyValue(() => {
    const W = tf.tensor2d(Wt, [o.N * o.D, o.N]);
    const own = denseRun(W, o, masks, true);
    const all = tf.stack(own, 2).dataSync() as Float32Array; // [M, N, steps]
    const bytes = Uint8Array.from(all, (v) => (v > 0 ? 1 : 0));
    return Array.from({ length: o.M }, (_, m) => denseToEvents(bytes, o.N, o.steps, m));
  });
}

/**
 * Loss 1 − F1 over network steps [scoreFrom, scoreTo) against `target` ([M, N, steps] aligned
 * on network steps) and its gradient with respect to Wt, by tfjs autodiff; with `neuronGrad`
 * also with respect to the membrane decay β and the threshold ϑ.
 */
export function denseLossAndGradient(
  Wt: Float32Array,
  o: DenseRunOptions & { target: Uint8Array; scoreFrom: number; scoreTo: number; gradient: 'truncated' | 'full'; neuronGrad?: boolean },
): { loss: number; counts: Counts; grad: Float32Array; dBeta?: number; dThreshold?: number } {
  const masks = keepMasks(o);
  const { M, N, steps, scoreFrom, scoreTo } = o;
  const n = scoreTo - scoreFrom;
  const tgt = new Float32Array(M * N * n);
  for (let m = 0; m < M; m++)
    for (let i = 0; i < N; i++) for (let k = 0; k < n; k++) tgt[(m * N + i) * n + k] = o.target[(m * N + i) * steps + scoreFrom + k];
  return tidyValue(() => {
    const target = tf.tensor3d(tgt, [M, N, n]);
    const W = tf.variable(tf.tensor2d(Wt, [N * o.D, N]));
    const neuron = o.neuronGrad ? { beta: tf.variable(tf.scalar(o.beta)), threshold: tf.variable(tf.scalar(o.threshold)) } : undefined;
    let counts: Counts = { TP: 0, FP: 0, FN: 0 };
    const { value, grads } = tf.variableGrads(
      () => {
        const own = denseRun(W, o, masks, o.gradient === 'truncated', neuron);
        const pred = tf.stack(own.slice(scoreFrom, scoreTo), 2); // [M, N, n]
        const TP = tf.sum(tf.mul(pred, target));
        const FP = tf.sum(tf.mul(pred, tf.sub(1, target)));
        const FN = tf.sum(tf.mul(tf.sub(1, pred), target));
        counts = { TP: TP.dataSync()[0] as number, FP: FP.dataSync()[0] as number, FN: FN.dataSync()[0] as number };
        const P = tf.div(TP, tf.add(tf.add(TP, FP), F1_EPSILON));
        const R = tf.div(TP, tf.add(tf.add(TP, FN), F1_EPSILON));
        const F1 = tf.div(tf.mul(2, tf.mul(P, R)), tf.add(tf.add(P, R), F1_EPSILON));
        return tf.sub(1, F1) as tf.Scalar;
      },
      neuron ? [W, neuron.beta, neuron.threshold] : [W],
    );
    const grad = (grads[W.name] as Tensor).dataSync() as Float32Array;
    const loss = value.dataSync()[0] as number;
    W.dispose();
    if (!neuron) return { loss, counts, grad: Float32Array.from(grad) };
    const dBeta = (grads[neuron.beta.name] as Tensor).dataSync()[0] as number;
    const dThreshold = (grads[neuron.threshold.name] as Tensor).dataSync()[0] as number;
    neuron.beta.dispose();
    neuron.threshold.dispose();
    return { loss, counts, grad: Float32Array.from(grad), dBeta, dThreshold };
  });
}
