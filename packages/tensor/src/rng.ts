/**
 * `Rng`: the seeded, splittable random-number generator every wmkit model takes.
 *
 * Generator: xoshiro128** (Blackman & Vigna 2018), 128-bit state, 32-bit integer
 * arithmetic only. Normals: 128-layer ziggurat (./ziggurat.ts). Poisson: inversion for
 * λ < 10, PTRS transformed rejection (Hörmann 1993) above. All floating-point work uses
 * basic IEEE operations and the deterministic exp/log of ./detmath.ts, so the same seed
 * gives bit-identical draws in Node, every browser and every tensor backend (draws are
 * made in JavaScript and uploaded; no backend RNG is used).
 *
 * Splitting: `rng.fork('noise')` derives an independent stream from the parent's key
 * and the name alone, not from how many numbers the parent has drawn, so adding draws
 * in one part of a model never changes the noise of another.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * const x0 = rng.fork('init').normal([200], 0, 0.01);   // Float32Array
 * const xi = rng.fork('noise').normalTensor([32, 200]);  // tf.Tensor
 * ```
 */
import { detExp, detLog, detLogGamma } from './detmath';
import { ShapeError } from './errors';
import { type Shape, sizeOf } from './ndarray';
import type { Tensor } from './tf';
import { tf } from './tf';
import { ZIG_LAYERS, zigK, zigSlow, zigW } from './ziggurat';

const ZMASK = ZIG_LAYERS - 1;
const TWO_M32 = 2 ** -32;
const TWO_M24 = 2 ** -24;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Absorbs one 32-bit word into a 128-bit hash state (every lane depends on the word). */
function absorb(h: Uint32Array, w: number): void {
  h[0] = fmix32(h[0] ^ w);
  h[1] = fmix32(h[1] ^ h[0] ^ 0x9e3779b9);
  h[2] = fmix32(h[2] ^ h[1] ^ 0x7f4a7c15);
  h[3] = fmix32(h[3] ^ h[2] ^ 0x94d049bb);
}

function finalize(h: Uint32Array): Uint32Array {
  for (let round = 0; round < 2; round++) {
    for (let j = 0; j < 4; j++) h[j] = fmix32(h[j] ^ h[(j + 3) & 3] ^ (j + 1));
  }
  if ((h[0] | h[1] | h[2] | h[3]) === 0) h[0] = 1; // xoshiro's state must not be all zero
  return h;
}

function absorbString(h: Uint32Array, s: string): void {
  absorb(h, s.length);
  for (let i = 0; i < s.length; i++) absorb(h, s.charCodeAt(i));
}

function keyFromSeed(seed: number | string): Uint32Array {
  const h = new Uint32Array([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344]); // π
  if (typeof seed === 'string') {
    absorb(h, 0x73747200); // "str"
    absorbString(h, seed);
  } else {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new ShapeError(`Rng: seed (${seed}) must be a non-negative safe integer or a string`);
    }
    absorb(h, 0x6e756d00); // "num"
    absorb(h, seed >>> 0);
    absorb(h, Math.floor(seed / 4294967296) >>> 0);
  }
  return finalize(h);
}

function checkProbability(name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new ShapeError(`Rng.${name}: p (${p}) must be in [0, 1]`);
}

/** The seeded, splittable random-number generator (xoshiro128**): the same seed gives the same draws on every platform and backend; `fork(name)` derives independent streams. */
export class Rng {
  /** The seed this generator (or its root ancestor) was created from. */
  readonly seed: number | string;
  /** Fork path from the root, e.g. `42/init/w_rec`: where this stream comes from. */
  readonly path: string;
  private readonly key: Uint32Array;
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private forkCounter = 0;

  constructor(seed: number | string = 0, key?: Uint32Array, path?: string) {
    this.seed = seed;
    this.key = key ?? keyFromSeed(seed);
    this.path = path ?? String(seed);
    this.s0 = this.key[0];
    this.s1 = this.key[1];
    this.s2 = this.key[2];
    this.s3 = this.key[3];
  }

  /**
   * A generator that starts from an explicit xoshiro128** state (four uint32 words, not
   * all zero): for reproducing a published stream or checking against the reference C code.
   */
  static fromState(state: ArrayLike<number>, seed: number | string = 'state'): Rng {
    const key = Uint32Array.from(state);
    if (key.length !== 4 || (key[0] | key[1] | key[2] | key[3]) === 0) {
      throw new ShapeError('Rng.fromState: state must be four uint32 words, not all zero');
    }
    return new Rng(seed, key, String(seed));
  }

  /** The current xoshiro128** state (4 uint32 words): hand it to wmkit's wasm kernels. */
  getState(): Uint32Array {
    return new Uint32Array([this.s0, this.s1, this.s2, this.s3]);
  }

  /** Continues from a state returned by `getState` (or advanced by a kernel). */
  setState(state: ArrayLike<number>): void {
    if (state.length !== 4) throw new ShapeError(`Rng.setState: state must be 4 uint32 words, got ${state.length}`);
    this.s0 = state[0] >>> 0;
    this.s1 = state[1] >>> 0;
    this.s2 = state[2] >>> 0;
    this.s3 = state[3] >>> 0;
  }

  /**
   * An independent generator derived from this one's key and `name` (not from its
   * draws so far). Without a name, successive calls give successive children.
   */
  fork(name?: string): Rng {
    const label = name ?? `#${this.forkCounter++}`;
    const h = new Uint32Array(this.key);
    absorb(h, 0x666f726b); // "fork"
    absorbString(h, label);
    return new Rng(this.seed, finalize(h), `${this.path}/${label}`);
  }

  /** Next raw 32-bit unsigned integer (xoshiro128**). */
  uint32(): number {
    const s1 = this.s1;
    const r = Math.imul(s1, 5);
    const result = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Double in [0, 1) with 53 random bits. */
  random(): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Double in (0, 1), 32 random bits: safe to take the log of. */
  private openUniform(): number {
    return (this.uint32() + 0.5) * TWO_M32;
  }

  /** Unbiased integer in [0, n) (Lemire 2019), n ≤ 2^32. */
  int(n: number): number {
    if (!(Number.isInteger(n) && n > 0 && n <= 4294967296)) throw new ShapeError(`Rng.int: n (${n}) must be an integer in [1, 2^32]`);
    const threshold = (4294967296 - n) % n;
    for (;;) {
      const x = this.uint32();
      // x·n / 2^32 without 64-bit ints: split n into high and low 16 bits.
      const lo = (x & 0xffff) * n;
      const hi = (x >>> 16) * n + Math.floor(lo / 65536);
      const low32 = ((hi & 0xffff) * 65536 + (lo & 0xffff)) >>> 0;
      if (low32 >= threshold) return Math.floor(hi / 65536);
    }
  }

  /** One standard normal deviate (double precision arithmetic, float32 resolution). */
  normal1(): number {
    return this.normalFrom(this.uint32());
  }

  /**
   * The ziggurat from a first 32-bit draw `a` (7 bits layer, 1 bit sign, 24 bits position):
   * accepted at once in ~98.8% of cases, otherwise the wedge/tail test, drawing again as needed.
   */
  private normalFrom(a: number): number {
    for (;;) {
      const i = a & ZMASK;
      const u24 = a >>> 8;
      const sign = 1 - ((a >>> 6) & 2); // bit 7: +1 or −1
      if (u24 < zigK[i]) return sign * u24 * zigW[i];
      const x = zigSlow(i, u24, () => this.openUniform());
      if (x >= 0) return sign * x;
      a = this.uint32();
    }
  }

  /** Fills `out` with N(mean, std²) draws; returns `out`. The hot loop behind `normal`. */
  fillNormal<T extends Float32Array | Float64Array>(out: T, mean = 0, std = 1): T {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    const n = out.length;
    let j = 0;
    while (j < n) {
      // Fast path: xoshiro128** inlined, state in locals, no calls (keeps the loop tight).
      let pending = -1;
      for (; j < n; j++) {
        const r = Math.imul(s1, 5);
        const a = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
        const t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        const i = a & ZMASK;
        const u24 = a >>> 8;
        if (u24 >= zigK[i]) {
          pending = a;
          break;
        }
        out[j] = mean + std * (u24 * zigW[i]) * (1 - ((a >>> 6) & 2));
      }
      if (pending < 0) break;
      // Slow path (~1.2% of draws): wedge or tail.
      this.s0 = s0;
      this.s1 = s1;
      this.s2 = s2;
      this.s3 = s3;
      out[j++] = mean + std * this.normalFrom(pending);
      s0 = this.s0;
      s1 = this.s1;
      s2 = this.s2;
      s3 = this.s3;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return out;
  }

  /** Fills `out` with uniform draws in [low, high) (24-bit resolution). */
  fillUniform<T extends Float32Array | Float64Array>(out: T, low = 0, high = 1): T {
    const span = high - low;
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    for (let j = 0; j < out.length; j++) {
      const r = Math.imul(s1, 5);
      const a = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      out[j] = low + span * ((a >>> 8) * TWO_M24);
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return out;
  }

  /** Fills `out` with raw 32-bit draws (the same sequence as repeated `uint32()`). */
  fillUint32(out: Uint32Array): Uint32Array {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    for (let j = 0; j < out.length; j++) {
      const r = Math.imul(s1, 5);
      out[j] = Math.imul((r << 7) | (r >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return out;
  }

  /** Uniform draws in [low, high). */
  uniform(shape: Shape, low = 0, high = 1): Float32Array {
    return this.fillUniform(new Float32Array(sizeOf(shape)), low, high);
  }

  /** Normal draws N(mean, std²). */
  normal(shape: Shape, mean = 0, std = 1): Float32Array {
    return this.fillNormal(new Float32Array(sizeOf(shape)), mean, std);
  }

  /** Bernoulli draws (1 with probability p, else 0); p a scalar or one per element. */
  bernoulli(shape: Shape, p: number | ArrayLike<number>): Float32Array {
    const out = new Float32Array(sizeOf(shape));
    if (typeof p === 'number') {
      checkProbability('bernoulli', p);
      // compare raw draws with an integer threshold: u < p  ⇔  a < p·2^32
      const raw = this.fillUint32(new Uint32Array(out.length));
      const threshold = p * 4294967296;
      for (let j = 0; j < out.length; j++) out[j] = raw[j] < threshold ? 1 : 0;
    } else {
      if (p.length !== out.length) throw new ShapeError(`Rng.bernoulli: p has ${p.length} entries but the shape has ${out.length}`);
      for (let j = 0; j < out.length; j++) {
        checkProbability('bernoulli', p[j]);
        out[j] = this.uint32() * TWO_M32 < p[j] ? 1 : 0;
      }
    }
    return out;
  }

  /** One Poisson deviate with mean `lambda` ≥ 0. */
  poisson1(lambda: number): number {
    if (!(lambda >= 0 && Number.isFinite(lambda))) throw new ShapeError(`Rng.poisson: lambda (${lambda}) must be finite and ≥ 0`);
    if (lambda === 0) return 0;
    if (lambda < 10) {
      // Inversion by sequential search.
      const u = this.random();
      let k = 0;
      let p = detExp(-lambda);
      let cdf = p;
      while (u > cdf && k < 1000) {
        k += 1;
        p *= lambda / k;
        cdf += p;
      }
      return k;
    }
    // PTRS: Hörmann (1993), Insurance: Math. Econ. 12, 39–45.
    const slam = Math.sqrt(lambda);
    const loglam = detLog(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const U = this.random() - 0.5;
      const V = this.random();
      const us = 0.5 - Math.abs(U);
      const k = Math.floor(((2 * a) / us + b) * U + lambda + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      const lhs = detLog(V) + detLog(invalpha) - detLog(a / (us * us) + b);
      if (lhs <= -lambda + k * loglam - detLogGamma(k + 1)) return k;
    }
  }

  /** Poisson draws; `lambda` a scalar or one mean per element. */
  poisson(shape: Shape, lambda: number | ArrayLike<number>): Float32Array {
    const out = new Float32Array(sizeOf(shape));
    if (typeof lambda === 'number') {
      for (let j = 0; j < out.length; j++) out[j] = this.poisson1(lambda);
    } else {
      if (lambda.length !== out.length)
        throw new ShapeError(`Rng.poisson: lambda has ${lambda.length} entries but the shape has ${out.length}`);
      for (let j = 0; j < out.length; j++) out[j] = this.poisson1(lambda[j]);
    }
    return out;
  }

  /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** Shuffles `array` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** Uniform draws on [low, high) as a tensor. */
  uniformTensor(shape: Shape, low = 0, high = 1): Tensor {
    return tf.tensor(this.uniform(shape, low, high), [...toArray(shape)], 'float32');
  }

  /** Normal draws N(mean, std²) as a tensor. */
  normalTensor(shape: Shape, mean = 0, std = 1): Tensor {
    return tf.tensor(this.normal(shape, mean, std), [...toArray(shape)], 'float32');
  }

  /** 0/1 draws with probability p (scalar or per element) as a tensor. */
  bernoulliTensor(shape: Shape, p: number | ArrayLike<number>): Tensor {
    return tf.tensor(this.bernoulli(shape, p), [...toArray(shape)], 'float32');
  }

  /** Poisson counts with mean λ (scalar or per element) as a tensor. */
  poissonTensor(shape: Shape, lambda: number | ArrayLike<number>): Tensor {
    return tf.tensor(this.poisson(shape, lambda), [...toArray(shape)], 'float32');
  }
}

function toArray(shape: Shape): readonly number[] {
  return typeof shape === 'number' ? [shape] : shape;
}
