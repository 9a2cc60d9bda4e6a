/**
 * The HD-SNN as TensorFlow.js ops — the `engine: 'tfjs'` form of `HdSnnEngine`, with the same
 * methods, so recall and training run unchanged on whichever backend `@wmkit/tensor` selected
 * (tfjs-node, tfjs-node-gpu, WebGPU, WebGL, wasm, cpu). Each step is the dense form of the
 * network (the authors' formulation, `denseRun`): the context of the last D steps of all
 * neurons times the full N × (N·D) weight matrix, then the discrete LIF step of core-neuron.
 *
 * The gradient is tfjs autodiff through that simulation with the fast-sigmoid surrogate of
 * slope k (σ'(x) = 1/(k|x| + 1)²), of L' = Σ_t Σ_j g_j(t)·s_j(t) over the scored steps, where
 * g is gPos on target spikes and gNeg elsewhere — the same ∂L/∂s the kernel back-propagates, so
 * the weight gradients agree (tests); with `full: false` the recurrent context is detached
 * (the truncated gradient). Dropout keep masks are drawn from the caller's `rng` exactly as the
 * kernel draws them (N uint32 per updated step), so both engines drop the same currents.
 *
 * The optimisers are torch.optim's SGD (momentum, dampening) and AdamW in float32, the same
 * arithmetic as the kernels' (tensor's optim.h), written here on the JavaScript arrays that hold
 * this engine's weights.
 */
import { type Rng, ShapeError, type Tensor, tf } from '@wmkit/tensor';
import { denseRun, keepMasks } from './dense';
import { type BackwardOptions, type EngineShape, type ForwardBatchOptions, type ForwardOptions, HdSnnEngine } from './engine';
import { denseToEvents, eventsToDense, type SpikeEvents } from './events';

interface TfjsSlot {
  input: Uint8Array;
  masks: Float32Array[] | null;
  forward: ForwardOptions;
}

const f32 = Math.fround;

/** Which implementation runs the HD-SNN: the event-driven wasm kernels, or TensorFlow.js ops on the selected backend. */
export type HdSnnEngineKind = 'kernels' | 'tfjs';

/** An HD-SNN engine of either kind (both have the same methods). */
export type AnyHdSnnEngine = HdSnnEngine | HdSnnTfjsEngine;

/** A new engine of the given kind. */
export function createHdSnnEngine(shape: EngineShape, kind: HdSnnEngineKind = 'kernels'): AnyHdSnnEngine {
  return kind === 'tfjs' ? new HdSnnTfjsEngine(shape) : new HdSnnEngine(shape);
}

/** The HD-SNN engine on TensorFlow.js ops: same interface as `HdSnnEngine` (weights, forward, backward, optimiser steps). */
export class HdSnnTfjsEngine {
  readonly shape: EngineShape;
  /** Weights, context-major [N·D, N]. */
  readonly Wt: Float32Array;
  private readonly dW: Float32Array | null;
  private readonly opt1: Float32Array | null;
  private readonly opt2: Float32Array | null;
  private readonly slots: (TfjsSlot | null)[];

  constructor(shape: EngineShape) {
    this.shape = shape;
    const size = shape.N * shape.D * shape.N;
    this.Wt = new Float32Array(size);
    this.dW = shape.train ? new Float32Array(size) : null;
    this.opt1 = shape.train ? new Float32Array(size) : null;
    this.opt2 = shape.train?.optimizer === 'adamw' ? new Float32Array(size) : null;
    this.slots = Array.from({ length: Math.max(1, shape.slots) }, () => null);
  }

  /** Nothing to free (tensors live only inside each pass); kept for `HdSnnEngine`'s interface. */
  dispose(): void {}

  /** Copies weights (context-major [N·D, N]) into the engine. */
  setWeights(Wt: Float32Array): void {
    if (Wt.length !== this.Wt.length) throw new ShapeError(`engine: weights have ${Wt.length} values, expected N·D·N = ${this.Wt.length}`);
    this.Wt.set(Wt);
  }

  /** Copies the engine's weights out (into `out` when given). */
  getWeights(out?: Float32Array): Float32Array {
    const o = out ?? new Float32Array(this.Wt.length);
    o.set(this.Wt);
    return o;
  }

  private runOptions(input: Uint8Array, o: ForwardOptions, slope?: number) {
    const { N, D, steps } = this.shape;
    return {
      N,
      D,
      beta: o.beta,
      threshold: o.threshold,
      reset: o.reset,
      tStart: o.tStart,
      input,
      M: 1,
      steps,
      silence: o.silence ?? null,
      ...(slope != null ? { slope } : {}),
    };
  }

  /**
   * Runs one pattern (input spikes per step: background noise and cue) and returns the
   * network's own spikes; with `record`, keeps what `backward` needs in `slot`.
   */
  forward(input: SpikeEvents, o: ForwardOptions, slot = 0): SpikeEvents {
    const { N, D, steps } = this.shape;
    if (input.steps !== steps) throw new ShapeError(`engine: input has ${input.steps} steps, the engine ${steps}`);
    if (slot < 0 || slot >= this.slots.length) throw new ShapeError(`engine: slot ${slot} does not exist (${this.slots.length} slots)`);
    if (o.record && this.shape.slots === 0) throw new ShapeError('engine: created without record slots');
    const dropout = o.dropout ?? 0;
    if (dropout > 0 && !o.rng) throw new ShapeError('engine: dropout needs an rng');
    const dense = eventsToDense(input, N);
    const runOpts = this.runOptions(dense, o);
    // the keep masks continue the caller's generator, as the kernel's draws do
    const masks = dropout > 0 ? keepMasks({ ...runOpts, dropout, rngs: [o.rng as Rng] }) : null;
    if (o.record) this.slots[slot] = { input: dense, masks, forward: { ...o } };
    let spikes: Uint8Array = new Uint8Array(0);
    tf.tidy(() => {
      const W = tf.tensor2d(this.Wt, [N * D, N]);
      const own = denseRun(W, runOpts, masks, true);
      const all = tf.stack(own, 2).dataSync(); // [1, N, steps]
      spikes = Uint8Array.from(all, (v) => (v > 0 ? 1 : 0));
    });
    return denseToEvents(spikes, N, steps, 0);
  }

  /** How many patterns one `forwardBatch` call can run (the slots). */
  get batchSize(): number {
    return this.shape.slots > 0 ? this.slots.length : Math.max(1, this.shape.batch ?? 1);
  }

  /** `forward` of each pattern in turn (pattern m in slot `firstSlot + m`, its dropout continuing `o.rngs[m]`). */
  forwardBatch(inputs: SpikeEvents[], o: ForwardBatchOptions, firstSlot = 0): SpikeEvents[] {
    const { rngs, ...rest } = o;
    return inputs.map((input, m) => this.forward(input, { ...rest, rng: rngs?.[m] }, o.record ? firstSlot + m : 0));
  }

  /** `backward` of each pattern in turn (slots `firstSlot + m`). */
  backwardBatch(targets: SpikeEvents[], o: BackwardOptions, firstSlot = 0): void {
    targets.forEach((target, m) => {
      this.backward(target, o, firstSlot + m);
    });
  }

  /** Zeroes the accumulated weight gradient. */
  zeroGrad(): void {
    this.need(this.dW, 'a gradient buffer').fill(0);
  }

  private need<T>(b: T | null, what: string): T {
    if (!b) throw new ShapeError(`engine: created without ${what} (pass shape.train)`);
    return b;
  }

  /**
   * Backward pass of the pattern recorded in `slot` (forward with `record: true`) by tfjs
   * autodiff, adding its weight gradient into the gradient buffer. `target` is aligned on
   * network steps.
   */
  backward(target: SpikeEvents, o: BackwardOptions, slot = 0): void {
    const { N, D } = this.shape;
    const s = this.slots[slot];
    if (!s) throw new ShapeError(`engine: slot ${slot} has no recorded forward pass`);
    const dW = this.need(this.dW, 'a gradient buffer');
    if (o.full && !this.shape.train?.full) this.need(null, 'full-BPTT buffers (train.full)');
    const n = Math.max(0, o.scoreTo - o.scoreFrom);
    if (n === 0) return;
    // ∂L/∂s over the scored steps: gPos on target spikes, gNeg elsewhere, [1, N, n]
    const g = new Float32Array(N * n).fill(o.gNeg);
    for (let t = o.scoreFrom; t < o.scoreTo; t++)
      for (let q = target.off[t] as number; q < (target.off[t + 1] as number); q++)
        g[(target.idx[q] as number) * n + (t - o.scoreFrom)] = o.gPos;
    const runOpts = this.runOptions(
      s.input,
      { ...s.forward, beta: o.beta, threshold: o.threshold, reset: o.reset, tStart: o.tStart },
      o.slope,
    );
    let grad: Float32Array | null = null;
    tf.tidy(() => {
      const gs = tf.tensor3d(g, [1, N, n]);
      const W = tf.tensor2d(this.Wt, [N * D, N]);
      const f = (w: Tensor) => {
        const own = denseRun(w, runOpts, s.masks, !o.full);
        return tf.sum(tf.mul(tf.stack(own.slice(o.scoreFrom, o.scoreTo), 2), gs));
      };
      grad = tf.grad(f)(W).dataSync() as Float32Array;
    });
    const gr = grad as unknown as Float32Array;
    for (let q = 0; q < dW.length; q++) dW[q] = f32((dW[q] as number) + (gr[q] as number));
  }

  /** The accumulated gradient (a copy). */
  gradient(): Float32Array {
    return this.need(this.dW, 'a gradient buffer').slice();
  }

  /** The largest |weight| (NaN if a weight is NaN): the divergence check of training. */
  maxAbsWeight(): number {
    let m = 0;
    for (const w of this.Wt) {
      const a = Math.abs(w);
      if (Number.isNaN(a)) return Number.NaN;
      if (a > m) m = a;
    }
    return m;
  }

  /** Whether the gradient holds NaN or ±Infinity. */
  gradientIsFinite(): boolean {
    if (!this.dW) return true;
    for (const g of this.dW) if (!Number.isFinite(g)) return false;
    return true;
  }

  /** One SGD step with momentum and weight decay on the accumulated gradient (PyTorch's update rule, float32). */
  sgdStep(o: { lr: number; momentum: number; dampening: number; weightDecay: number; first: boolean }): void {
    const g = this.need(this.dW, 'a gradient buffer');
    const buf = this.need(this.opt1, 'optimiser state');
    const W = this.Wt;
    const [lr, mu, damp, wd] = [f32(o.lr), f32(o.momentum), f32(o.dampening), f32(o.weightDecay)];
    for (let q = 0; q < W.length; q++) {
      let d = f32((g[q] as number) + f32(wd * (W[q] as number)));
      if (mu !== 0) {
        const b = o.first ? d : f32(f32(mu * (buf[q] as number)) + f32(f32(1 - damp) * d));
        buf[q] = b;
        d = b;
      }
      W[q] = f32((W[q] as number) - f32(lr * d));
    }
  }

  /** One AdamW step on the accumulated gradient (decoupled weight decay; torch.optim.AdamW, float32). */
  adamwStep(o: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; step: number }): void {
    const g = this.need(this.dW, 'a gradient buffer');
    const m1 = this.need(this.opt1, 'optimiser state');
    const m2 = this.need(this.opt2, 'AdamW state (train.optimizer adamw)');
    const W = this.Wt;
    const [lr, b1, b2, eps, wd] = [f32(o.lr), f32(o.beta1), f32(o.beta2), f32(o.eps), f32(o.weightDecay)];
    const bc1 = f32(1 - o.beta1 ** o.step);
    const bc2sqrt = f32(Math.sqrt(1 - o.beta2 ** o.step));
    for (let q = 0; q < W.length; q++) {
      const gq = g[q] as number;
      const w = f32((W[q] as number) * f32(1 - f32(lr * wd)));
      const a = f32(f32(b1 * (m1[q] as number)) + f32(f32(1 - b1) * gq));
      const v = f32(f32(b2 * (m2[q] as number)) + f32(f32(f32(1 - b2) * gq) * gq));
      m1[q] = a;
      m2[q] = v;
      W[q] = f32(w - f32(lr * f32(f32(a / bc1) / f32(f32(f32(Math.sqrt(v)) / bc2sqrt) + eps))));
    }
  }
}
