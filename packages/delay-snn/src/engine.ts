/**
 * The event-driven HD-SNN engine: the network's weights, gradients and optimiser state in wasm
 * kernel memory, and forward/backward passes of batches of patterns (csrc/hdsnn.c; the patterns
 * of a forward batch run on different kernel threads). Work per step is proportional to the
 * spikes of the last D steps times N, not to N²·D.
 *
 * Allocations live on the kernels' stack: create an engine, use it, then `dispose()` it
 * (or use `withEngine`), and do not allocate kernel memory in between that must outlive it.
 */
import type { KernelBuffer, Rng } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';
import type { SpikeEvents } from './events';
import { hdSnnKernels as getKernels, type HdSnnKernels } from './kernels/hdsnn-kernel';

/** Sizes the engine's buffers are allocated for: N, D, simulated steps, patterns. */
export interface EngineShape {
  N: number;
  D: number;
  /** Simulated steps per pattern (background + T). */
  steps: number;
  /** Pattern slots that keep their records for a backward pass (0: inference only). */
  slots: number;
  /**
   * With `slots` 0: how many patterns one `forwardBatch` call may run at once (default 1); each
   * takes a slot without records (input and spike lists). With `slots` > 0 a batch uses those.
   */
  batch?: number;
  /**
   * Training buffers to allocate with the engine (gradient, optimiser state, full-BPTT work).
   * `params` (default true): also accumulate dL/dβ and dL/dϑ (`paramGradient`); their sums run
   * across neurons, so a backward pass that computes them runs on one kernel thread.
   */
  train?: { optimizer: 'sgd' | 'adamw'; full: boolean; params?: boolean };
}

interface Slot {
  inOff: KernelBuffer;
  inIdx: KernelBuffer;
  spkOff: KernelBuffer;
  spkIdx: KernelBuffer;
  ctxOff: KernelBuffer;
  ctxIdx: KernelBuffer;
  mem: KernelBuffer;
  keep: KernelBuffer;
  /** The pattern's dropout generator state (4 words). */
  rng: KernelBuffer;
  dropout: number;
  input: SpikeEvents | null;
}

/** Constants of the forward pass: neuron model, dropout, silenced neurons. */
export interface ForwardOptions {
  beta: number;
  threshold: number;
  reset: 'subtract' | 'zero';
  /** First updated step (the authors' loop starts at t = D). */
  tStart: number;
  /** Dropout probability on the current (training); draws continue `rng`. */
  dropout?: number;
  rng?: Rng;
  /** Neurons that never spike. */
  silence?: Uint8Array | null;
  /** Keep membrane and dropout mask for `backward` (training). */
  record?: boolean;
}

/** Constants of a batch of forward passes: those of `ForwardOptions`, with one dropout generator per pattern. */
export interface ForwardBatchOptions extends Omit<ForwardOptions, 'rng'> {
  /** The dropout generator of each pattern (continued; needed with dropout). */
  rngs?: Rng[];
}

/** Constants of the backward pass: neuron model, surrogate slope k and dropout mask. */
export interface BackwardOptions {
  beta: number;
  threshold: number;
  reset: 'subtract' | 'zero';
  tStart: number;
  slope: number;
  gPos: number;
  gNeg: number;
  scoreFrom: number;
  scoreTo: number;
  full: boolean;
}

/** The event-driven HD-SNN in wasm kernel memory: weights, gradients, optimiser state, forward and backward passes. Dispose of it when done. */
export class HdSnnEngine {
  readonly k: HdSnnKernels;
  readonly shape: EngineShape;
  readonly Wt: KernelBuffer;
  private readonly mark: number;
  private dW: KernelBuffer | null = null;
  private opt1: KernelBuffer | null = null;
  private opt2: KernelBuffer | null = null;
  private pGrad: KernelBuffer | null = null;
  private readonly slots: Slot[] = [];
  private readonly work: {
    du: KernelBuffer;
    dI: KernelBuffer;
    gs: KernelBuffer;
    own: KernelBuffer;
  };
  private full: { ring: KernelBuffer; dC: KernelBuffer; blocked: KernelBuffer } | null = null;
  private disposed = false;
  private readonly Wsum: KernelBuffer;
  private wsumStale = true;
  /** `zeroGrad` was called and the weight gradient is not yet cleared. */
  private zeroPending = false;
  /**
   * Use the complement form when more than half the context is active (bounds the cost of a
   * saturated network; equal to the direct sum up to float rounding). On by default.
   */
  complement = true;

  constructor(shape: EngineShape, k: HdSnnKernels = getKernels()) {
    this.k = k;
    this.shape = shape;
    const { N, D, steps } = shape;
    this.mark = k.mark();
    try {
      this.Wt = k.buffer(N * D * N);
      const bytes = (n: number) => k.buffer(Math.ceil(n / 4));
      this.Wsum = k.buffer(N);
      this.work = {
        du: k.buffer(N),
        dI: k.buffer(N),
        gs: k.buffer(N),
        own: bytes(N),
      };
      if (shape.train) {
        this.dW = k.buffer(N * D * N);
        if (shape.train.params !== false) this.pGrad = k.buffer(2);
        this.opt1 = k.buffer(N * D * N);
        if (shape.train.optimizer === 'adamw') this.opt2 = k.buffer(N * D * N);
        if (shape.train.full) this.full = { ring: k.buffer((D + 1) * N), dC: k.buffer(N * D), blocked: bytes(steps * N) };
      }
      const count = shape.slots > 0 ? shape.slots : Math.max(1, shape.batch ?? 1);
      for (let m = 0; m < count; m++) {
        this.slots.push({
          inOff: k.buffer(steps + 1),
          // (the index lists are written before they are read: no clearing)
          inIdx: k.scratch(steps * N),
          spkOff: k.buffer(steps + 1),
          spkIdx: k.scratch(steps * N),
          ctxOff: k.buffer(steps + 1),
          ctxIdx: k.scratch(steps * N),
          mem: shape.slots > 0 ? k.buffer(steps * N) : k.buffer(0),
          keep: shape.slots > 0 ? bytes(steps * N) : k.buffer(0),
          rng: k.buffer(4),
          dropout: 0,
          input: null,
        });
      }
    } catch (e) {
      k.release(this.mark);
      throw e;
    }
  }

  /** Frees the engine's kernel memory (and everything allocated after it). */
  dispose(): void {
    if (!this.disposed) this.k.release(this.mark);
    this.disposed = true;
  }

  /** Copies weights (context-major [N·D, N]) into the engine. */
  setWeights(Wt: Float32Array): void {
    if (Wt.length !== this.Wt.length) throw new ShapeError(`engine: weights have ${Wt.length} values, expected N·D·N = ${this.Wt.length}`);
    this.Wt.set(Wt);
    this.wsumStale = true;
  }

  /** Copies the engine's weights out (into `out` when given). */
  getWeights(out?: Float32Array): Float32Array {
    const o = out ?? new Float32Array(this.Wt.length);
    o.set(this.Wt.view());
    return o;
  }

  /** How many patterns one `forwardBatch` call can run (the slots). */
  get batchSize(): number {
    return this.slots.length;
  }

  /**
   * Runs one pattern. `input` holds the input spikes per step (background noise and cue).
   * Returns the network's own spikes. `slot` selects where records are kept (training).
   * Dropout draws continue `o.rng`.
   */
  forward(input: SpikeEvents, o: ForwardOptions, slot = 0): SpikeEvents {
    const { rng, ...rest } = o;
    return this.forwardBatch([input], { ...rest, rngs: rng ? [rng] : undefined }, slot)[0] as SpikeEvents;
  }

  /**
   * Runs a batch of patterns, pattern m in slot `firstSlot + m` (records kept there with
   * `record`), on the kernel threads: different patterns on different threads, the same spikes
   * on any number of threads. Pattern m's dropout draws continue `o.rngs[m]`. Returns each
   * pattern's own spikes.
   */
  forwardBatch(inputs: SpikeEvents[], o: ForwardBatchOptions, firstSlot = 0): SpikeEvents[] {
    const { N, D, steps } = this.shape;
    if (o.record && this.shape.slots === 0) throw new ShapeError('engine: created without record slots');
    const dropout = o.dropout ?? 0;
    if (dropout > 0 && !(o.rngs && o.rngs.length >= inputs.length)) throw new ShapeError('engine: dropout needs an rng for every pattern');
    const slots = inputs.map((input, m) => {
      if (input.steps !== steps) throw new ShapeError(`engine: input has ${input.steps} steps, the engine ${steps}`);
      const s = this.slots[firstSlot + m];
      if (!s) throw new ShapeError(`engine: slot ${firstSlot + m} does not exist (${this.slots.length} slots)`);
      s.inOff.viewI32().set(input.off);
      s.inIdx.viewI32().set(input.idx);
      s.input = input;
      s.dropout = dropout;
      const rng = o.rngs?.[m];
      if (rng) s.rng.viewU32().set(rng.getState());
      return s;
    });
    const k = this.k;
    if (this.complement && this.wsumStale) {
      k.hdsnnRowSum(N * D, N, this.Wt, this.Wsum);
      this.wsumStale = false;
    }
    k.scope(() => {
      const silence = o.silence ? k.buffer(Math.ceil(N / 4)) : null;
      if (silence && o.silence) silence.viewU8().set(o.silence.subarray(0, N));
      const common = {
        N,
        D,
        steps,
        tStart: o.tStart,
        reset: o.reset === 'subtract' ? (0 as const) : (1 as const),
        beta: o.beta,
        threshold: o.threshold,
        dropout,
        Wt: this.Wt,
        silence,
        Wsum: this.complement ? this.Wsum : null,
      };
      k.hdsnnForward(
        slots.map((s) => ({
          ...common,
          inOff: s.inOff,
          inIdx: s.inIdx,
          spkOff: s.spkOff,
          spkIdx: s.spkIdx,
          ctxOff: s.ctxOff,
          ctxIdx: s.ctxIdx,
          mem: o.record ? s.mem : null,
          keep: o.record && dropout > 0 ? s.keep : null,
          rng: s.rng,
        })),
      );
    });
    return slots.map((s, m) => {
      o.rngs?.[m]?.setState(s.rng.viewU32());
      const off = s.spkOff.viewI32().slice(0, steps + 1);
      return { steps, off, idx: s.spkIdx.viewI32().slice(0, off[steps]) };
    });
  }

  /**
   * Zeroes the accumulated weight gradient. (The weight gradient is cleared by the next backward
   * pass, in the pass over its rows, or when it is next read.)
   */
  zeroGrad(): void {
    this.need(this.dW, 'a gradient buffer');
    this.zeroPending = true;
    this.pGrad?.fill(0);
  }

  /** The weight gradient, cleared first if `zeroGrad` left that to the next use. */
  private grad(): KernelBuffer {
    const dW = this.need(this.dW, 'a gradient buffer');
    if (this.zeroPending) dW.fill(0);
    this.zeroPending = false;
    return dW;
  }

  /** The accumulated gradient of the loss with respect to the membrane decay β and the threshold ϑ. */
  paramGradient(): { beta: number; threshold: number } {
    const g = this.need(this.pGrad, 'the β/ϑ gradient buffer (train.params)').view();
    return { beta: g[0] as number, threshold: g[1] as number };
  }

  private need<T>(b: T | null, what: string): T {
    if (!b) throw new ShapeError(`engine: created without ${what} (pass shape.train)`);
    return b;
  }

  /**
   * Backward pass of the pattern recorded in `slot` (forward with `record: true`), adding its
   * weight gradient into the gradient buffer. `target` is aligned on network steps.
   */
  backward(target: SpikeEvents, o: BackwardOptions, slot = 0): void {
    this.backwardBatch([target], o, slot);
  }

  /**
   * Backward passes of the patterns recorded in slots `firstSlot + m` (target m each), adding
   * their weight gradients into the gradient buffer in pattern order: the same result as one
   * `backward` per pattern, in one kernel call.
   */
  backwardBatch(targets: SpikeEvents[], o: BackwardOptions, firstSlot = 0): void {
    const { N, D, steps } = this.shape;
    const slots = targets.map((_, m) => {
      const s = this.slots[firstSlot + m];
      if (!s?.input) throw new ShapeError(`engine: slot ${firstSlot + m} has no recorded forward pass`);
      return s;
    });
    const dW = this.need(this.dW, 'a gradient buffer');
    const full = o.full ? this.need(this.full, 'full-BPTT buffers (train.full)') : null;
    const k = this.k;
    k.scope(() => {
      const args = targets.map((target, m) => {
        const s = slots[m] as Slot;
        const tgtOff = k.buffer(steps + 1);
        tgtOff.viewI32().set(target.off);
        const tgtIdx = k.buffer(Math.max(1, target.idx.length));
        tgtIdx.viewI32().set(target.idx);
        return {
          N,
          D,
          steps,
          tStart: o.tStart,
          reset: o.reset === 'subtract' ? (0 as const) : (1 as const),
          full: o.full,
          beta: o.beta,
          threshold: o.threshold,
          slope: o.slope,
          dropout: s.dropout,
          gPos: o.gPos,
          gNeg: o.gNeg,
          scoreFrom: o.scoreFrom,
          scoreTo: o.scoreTo,
          Wt: this.Wt,
          spkOff: s.spkOff,
          spkIdx: s.spkIdx,
          ctxOff: s.ctxOff,
          ctxIdx: s.ctxIdx,
          inOff: s.inOff,
          inIdx: s.inIdx,
          tgtOff,
          tgtIdx,
          mem: s.mem,
          keep: s.dropout > 0 ? s.keep : null,
          dWt: dW,
          du: this.work.du,
          dI: this.work.dI,
          gs: this.work.gs,
          ring: full?.ring ?? null,
          dC: full?.dC ?? null,
          blocked: full?.blocked ?? null,
          ownNow: this.work.own,
          dParams: this.pGrad,
        };
      });
      if (args.length === 0) return;
      k.hdsnnBackward(args, this.zeroPending);
      this.zeroPending = false;
    });
  }

  /** The accumulated gradient (a copy). */
  gradient(): Float32Array {
    return this.grad().copy();
  }

  /** The largest |weight| (NaN if a weight is NaN): the divergence check of training. */
  maxAbsWeight(): number {
    return this.k.hdsnnMaxAbs(this.Wt);
  }

  /** Whether the gradient holds NaN or ±Infinity. */
  gradientIsFinite(): boolean {
    return this.dW ? this.k.hdsnnAllFinite(this.grad()) : true;
  }

  /** One SGD step with momentum and weight decay on the accumulated gradient (PyTorch's update rule). */
  sgdStep(o: { lr: number; momentum: number; dampening: number; weightDecay: number; first: boolean }): void {
    this.k.sgdStep(this.Wt, this.grad(), this.need(this.opt1, 'optimiser state'), o);
    this.wsumStale = true;
  }

  /** One AdamW step on the accumulated gradient (decoupled weight decay). */
  adamwStep(o: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; step: number }): void {
    const dW = this.grad();
    this.k.adamwStep(this.Wt, dW, this.need(this.opt1, 'optimiser state'), this.need(this.opt2, 'AdamW state (train.optimizer adamw)'), o);
    this.wsumStale = true;
  }
}

/** Runs `fn` with a fresh engine, disposing it afterwards. */
export function withEngine<T>(shape: EngineShape, fn: (e: HdSnnEngine) => T): T {
  const e = new HdSnnEngine(shape);
  try {
    return fn(e);
  } finally {
    e.dispose();
  }
}
