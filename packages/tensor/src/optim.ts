/**
 * Optimisers over plain Float32Array parameters (for trainers whose gradients come from
 * wmkit's kernels rather than tfjs variables). Update rules as in PyTorch:
 *
 *   Adam (Kingma & Ba 2015):  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
 *                             θ ← θ − lr·m̂/(√v̂ + ε),  m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)
 *                             (AdamW: θ ← θ − lr·λθ first, decoupled weight decay)
 *   SGD with momentum:        g ← g + λθ;  b ← μb + g;  θ ← θ − lr·b
 *
 * @example
 * ```ts
 * const opt = new Adam({ lr: 0.01 });
 * opt.step([{ name: 'w', value: w, grad: dw }]);
 * ```
 */
import { ShapeError } from './errors';

/** A parameter the optimisers update in place: its name, values and gradient (same length). */
export interface Param {
  name: string;
  value: Float32Array;
  grad: Float32Array;
}

/** An optimiser that updates parameters in place from their gradients. */
export interface Optimizer {
  readonly lr: number;
  /** Applies one update with learning rate `lr` (or the configured one). */
  step(params: Param[], lr?: number): void;
  /** Steps taken so far. */
  readonly steps: number;
}

function checkParam(p: Param): void {
  if (p.value.length !== p.grad.length) {
    throw new ShapeError(`optimizer: parameter '${p.name}' has ${p.value.length} values but its gradient has ${p.grad.length}`);
  }
}

/** Learning rate, β₁, β₂, ε and decoupled weight decay of Adam. */
export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Decoupled weight decay (AdamW); 0 for plain Adam. */
  weightDecay?: number;
}

/** Adam (Kingma & Ba 2015), or AdamW with `weightDecay`, updating Float32Array parameters in place. */
export class Adam implements Optimizer {
  readonly lr: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;
  private readonly weightDecay: number;
  private readonly m = new Map<string, Float32Array>();
  private readonly v = new Map<string, Float32Array>();
  private t = 0;

  constructor(opts: AdamOptions) {
    if (!(opts.lr > 0)) throw new ShapeError(`Adam: lr (${opts.lr}) must be > 0`);
    this.lr = opts.lr;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
  }

  get steps(): number {
    return this.t;
  }

  step(params: Param[], lr = this.lr): void {
    this.t += 1;
    const c1 = 1 - this.beta1 ** this.t;
    const c2 = 1 - this.beta2 ** this.t;
    const { beta1, beta2, eps, weightDecay } = this;
    for (const p of params) {
      checkParam(p);
      let m = this.m.get(p.name);
      let v = this.v.get(p.name);
      if (!m || !v) {
        m = new Float32Array(p.value.length);
        v = new Float32Array(p.value.length);
        this.m.set(p.name, m);
        this.v.set(p.name, v);
      }
      const x = p.value;
      const g = p.grad;
      for (let i = 0; i < x.length; i++) {
        const gi = g[i];
        m[i] = beta1 * m[i] + (1 - beta1) * gi;
        v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
        if (weightDecay) x[i] -= lr * weightDecay * x[i];
        x[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
      }
    }
  }
}

/** Learning rate, momentum and weight decay of SGD. */
export interface SgdOptions {
  lr: number;
  momentum?: number;
  /** L2 penalty added to the gradient (PyTorch's weight_decay). */
  weightDecay?: number;
}

/** SGD with momentum and L2 weight decay, PyTorch's update rule, on Float32Array parameters. */
export class SgdMomentum implements Optimizer {
  readonly lr: number;
  private readonly momentum: number;
  private readonly weightDecay: number;
  private readonly buf = new Map<string, Float32Array>();
  private t = 0;

  constructor(opts: SgdOptions) {
    if (!(opts.lr > 0)) throw new ShapeError(`SGD: lr (${opts.lr}) must be > 0`);
    this.lr = opts.lr;
    this.momentum = opts.momentum ?? 0;
    this.weightDecay = opts.weightDecay ?? 0;
  }

  get steps(): number {
    return this.t;
  }

  step(params: Param[], lr = this.lr): void {
    this.t += 1;
    const first = this.t === 1;
    for (const p of params) {
      checkParam(p);
      let b = this.buf.get(p.name);
      if (!b) {
        b = new Float32Array(p.value.length);
        this.buf.set(p.name, b);
      }
      const x = p.value;
      const g = p.grad;
      const mu = this.momentum;
      for (let i = 0; i < x.length; i++) {
        const gi = g[i] + this.weightDecay * x[i];
        // PyTorch initialises the buffer with the first gradient
        b[i] = first || mu === 0 ? gi : mu * b[i] + gi;
        x[i] -= lr * b[i];
      }
    }
  }
}

/** Scales gradients so their global L2 norm is at most `maxNorm`; returns the norm before. */
export function clipGradNorm(grads: Float32Array[], maxNorm: number): number {
  let s = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  const norm = Math.sqrt(s);
  if (norm > maxNorm && norm > 0) {
    const f = maxNorm / norm;
    for (const g of grads) for (let i = 0; i < g.length; i++) g[i] *= f;
  }
  return norm;
}

/** True if any value is NaN or ±Infinity. */
export function hasNonFinite(arrays: ArrayLike<number>[]): boolean {
  for (const a of arrays) for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return true;
  return false;
}
