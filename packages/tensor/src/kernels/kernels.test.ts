import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import '../gradients';
import { Rng } from '../rng';
import { type Tensor, tf } from '../tf';
import { initKernels, type Kernels, type KernelTransfer } from './index';

let k: Kernels;
beforeAll(async () => {
  await initBackend('cpu', { env: {} });
  k = await initKernels();
});

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 1e-3;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d / scale;
}

describe('kernel matmuls equal a plain triple loop', () => {
  for (const [M, K, P] of [
    [1, 1, 1],
    [3, 5, 7],
    [8, 200, 200],
    [13, 9, 6],
    [10, 7, 5],
    [128, 100, 100],
    // the tiled AᵀB path: K, P with tails past the 4 × 8 tile, several row panels
    [700, 13, 21],
    [300, 4, 8],
    // the packed kernel (every dimension ≥ 16): K over one panel of 256, edges of the 4 × 8 tile
    [67, 300, 45],
    // columns over one panel of 256, in AᵀB the rows of C (K) over one block of 64
    [21, 70, 270],
  ]) {
    it(`M=${M} K=${K} P=${P}`, () => {
      const rng = new Rng(`${M}-${K}-${P}`);
      const A = rng.normal(M * K);
      const Bt = rng.normal(P * K);
      const Bm = rng.normal(K * P);
      const E = rng.normal(M * P);
      const want1 = new Float32Array(M * P);
      const want2 = new Float32Array(M * P);
      const want3 = new Float32Array(K * P);
      for (let m = 0; m < M; m++)
        for (let p = 0; p < P; p++) {
          let s1 = 0;
          let s2 = 0;
          for (let q = 0; q < K; q++) {
            s1 += A[m * K + q] * Bt[p * K + q];
            s2 += A[m * K + q] * Bm[q * P + p];
          }
          want1[m * P + p] = s1;
          want2[m * P + p] = s2;
        }
      for (let q = 0; q < K; q++)
        for (let p = 0; p < P; p++) {
          let s = 0;
          for (let m = 0; m < M; m++) s += A[m * K + q] * E[m * P + p];
          want3[q * P + p] = s + 1; // accumulates onto ones
        }
      k.scope(() => {
        const a = k.from(A);
        const c = k.buffer(M * P);
        k.matmulABt(M, K, P, a, k.from(Bt), c);
        expect(maxRelDiff(c.view(), want1)).toBeLessThan(1e-5);
        k.matmulAB(M, K, P, a, k.from(Bm), c);
        expect(maxRelDiff(c.view(), want2)).toBeLessThan(1e-5);
        const c3 = k.buffer(K * P).fill(1);
        k.matmulAtB(M, K, P, a, k.from(E), c3, true);
        expect(maxRelDiff(c3.view(), want3)).toBeLessThan(1e-5);
        k.matmulAtB(M, K, P, a, k.from(E), c3); // overwrites
        expect(
          maxRelDiff(
            c3.view(),
            want3.map((x) => x - 1),
          ),
        ).toBeLessThan(1e-5);
      });
    });
  }

  it('buffer size mismatches are clear errors', () => {
    k.scope(() => {
      expect(() => k.matmulAB(2, 3, 4, k.buffer(6), k.buffer(11), k.buffer(8))).toThrow(
        'matmulAB: a buffer holds 11 floats but 12 are needed',
      );
    });
  });
});

describe('kernel transfer functions', () => {
  it('match the definitions to float32 accuracy, including the tails', () => {
    const xs = [-100, -30, -10, -3, -1, -0.2, -1e-3, 0, 1e-6, 0.05, 0.5, 1, 2.5, 9, 20, 40, 88];
    const ref: Record<KernelTransfer, (x: number) => number> = {
      sigmoid: (x) => 1 / (1 + Math.exp(-x)),
      tanh: Math.tanh,
      relu: (x) => Math.max(0, x),
      softplus: (x) => (x > 30 ? x : Math.log1p(Math.exp(x))),
    };
    k.scope(() => {
      const x = k.from(xs);
      const y = k.buffer(xs.length);
      for (const f of Object.keys(ref) as KernelTransfer[]) {
        k.transfer(f, x, y);
        const got = y.view();
        xs.forEach((v, i) => {
          const want = ref[f](v);
          expect(Math.abs(got[i] - want)).toBeLessThanOrEqual(3e-7 * Math.max(1, Math.abs(want)) + 1e-30);
        });
      }
      k.transfer('relu', x, y, 20);
      expect(y.view()[xs.indexOf(40)]).toBe(20);
    });
  });
});

describe('the vector (SIMD) transfer path of the scan', () => {
  it('gives the same bits as the scalar transfer functions (sigmoid, tanh), tails and tiny values included', () => {
    // a scan with W = 0, a = 1, S₀ = 0 and one step returns f(D) in Y (rate form) or S (current form)
    const N = 4096;
    const rng = new Rng('vector-transfer');
    const x = Float32Array.from(rng.normal(N, 0, 8));
    x.set([0, -0, 1e-30, -1e-8, 0.0625, -0.0625, 0.06249, 43.7, -43.7, 87.4, -87.4, 100, -100, 1e-3, -200, 200]);
    for (const f of ['sigmoid', 'tanh'] as KernelTransfer[])
      for (const mode of ['rate', 'current'] as const)
        k.scope(() => {
          const args = {
            mode,
            transfer: f,
            B: 1,
            N,
            T: 1,
            W: k.buffer(N * N),
            D: k.from(x),
            Z: null,
            alpha: k.from(new Float32Array(N).fill(1)),
            S: k.buffer(2 * N),
            Y: k.buffer(2 * N),
            P: k.buffer(N),
          };
          k.leakyRnnForward(args);
          const got = (mode === 'rate' ? args.Y : args.S).view().slice(N);
          const want = k.buffer(N);
          k.transfer(f, args.P, want); // P = 0 + D: the values the scan's transfer saw (−0 arrives as +0)
          expect(Array.from(got)).toEqual(Array.from(want.view()));
        });
  });
});

/** The same scan written with tfjs ops (autodiff reference). */
function tfScan(
  mode: 'rate' | 'current',
  f: KernelTransfer,
  W: Tensor,
  D: Tensor[],
  Z: Tensor[],
  a: Tensor,
  s0: Tensor,
  clip: number,
): Tensor[] {
  const fn = (x: Tensor) => {
    const y = f === 'sigmoid' ? tf.sigmoid(x) : f === 'tanh' ? tf.tanh(x) : f === 'relu' ? tf.relu(x) : tf.softplus(x);
    return Number.isFinite(clip) ? tf.minimum(y, clip) : y;
  };
  let s = s0;
  const ys = [mode === 'rate' ? fn(s) : s];
  const Wt = tf.transpose(W);
  for (let t = 0; t < D.length; t++) {
    if (mode === 'rate') {
      const p = tf.add(tf.matMul(ys[t], Wt), D[t]);
      s = tf.add(tf.add(tf.mul(tf.sub(1, a), s), tf.mul(a, p)), Z[t]);
      ys.push(fn(s));
    } else {
      const p = tf.add(tf.add(tf.matMul(s, Wt), D[t]), Z[t]);
      s = tf.add(tf.mul(tf.sub(1, a), s), tf.mul(a, fn(p)));
      ys.push(s);
    }
  }
  return ys;
}

describe('leaky RNN scan: forward and BPTT equal tfjs autodiff', () => {
  // sizes: below the 4-row register tile, and across it with odd remainders (B = 6, N = 11)
  const cases: ['rate' | 'current', KernelTransfer, number, number, number][] = [
    ['rate', 'sigmoid', Number.POSITIVE_INFINITY, 3, 7],
    ['rate', 'softplus', 20, 3, 7],
    ['rate', 'relu', 3, 3, 7],
    ['current', 'tanh', Number.POSITIVE_INFINITY, 3, 7],
    ['current', 'sigmoid', Number.POSITIVE_INFINITY, 3, 7],
    ['rate', 'sigmoid', Number.POSITIVE_INFINITY, 6, 11],
    ['current', 'tanh', Number.POSITIVE_INFINITY, 6, 11],
  ];
  for (const [mode, f, clip, B, N] of cases) {
    it(`${mode} form, ${f}${Number.isFinite(clip) ? ` clipped at ${clip}` : ''}, B=${B} N=${N}`, () => {
      const T = 6;
      const rng = new Rng(`${mode}-${f}`);
      const Wd = rng.normal(N * N, 0, 1.2 / Math.sqrt(N));
      const Dd = rng.normal(T * B * N, 0.3, 1);
      const Zd = rng.normal(T * B * N, 0, 0.1);
      const ad = rng.uniform(N, 0.05, 0.5);
      const s0d = rng.normal(B * N, 0, 0.5);
      const cd = rng.normal((T + 1) * B * N); // L = Σ c ⊙ Y
      k.scope(() => {
        const buf = {
          W: k.from(Wd),
          D: k.from(Dd),
          Z: k.from(Zd),
          alpha: k.from(ad),
          S: k.buffer((T + 1) * B * N).set(s0d),
          Y: k.buffer((T + 1) * B * N),
          P: k.buffer(T * B * N),
        };
        const args = { mode, transfer: f, clip, B, N, T, ...buf };
        k.leakyRnnForward(args);
        const grads = { dY: k.from(cd), dW: k.buffer(N * N), dD: k.buffer(T * B * N), dAlpha: k.buffer(N), dS0: k.buffer(B * N) };
        k.leakyRnnBackward({ ...args, ...grads });

        const W = tf.tensor2d(Wd, [N, N]);
        const D = tf.unstack(tf.tensor3d(Dd, [T, B, N]));
        const Z = tf.unstack(tf.tensor3d(Zd, [T, B, N]));
        const a = tf.tensor1d(ad);
        const s0 = tf.tensor2d(s0d, [B, N]);
        const c = tf.tensor3d(cd, [T + 1, B, N]);
        const Y = tf.stack(tfScan(mode, f, W, D, Z, a, s0, clip));
        expect(maxRelDiff(buf.Y.view(), Y.dataSync())).toBeLessThan(2e-5);
        const loss = (w: Tensor, dStack: Tensor, al: Tensor, s: Tensor) =>
          tf.sum(tf.mul(tf.stack(tfScan(mode, f, w, tf.unstack(dStack), Z, al, s, clip)), c));
        const [gW, gD, gA, gS0] = tf.grads(loss)([W, tf.stack(D), a, s0]);
        expect(maxRelDiff(grads.dW.view(), gW.dataSync())).toBeLessThan(1e-4);
        expect(maxRelDiff(grads.dD.view(), gD.dataSync())).toBeLessThan(1e-4);
        expect(maxRelDiff(grads.dAlpha.view(), gA.dataSync())).toBeLessThan(1e-4);
        expect(maxRelDiff(grads.dS0.view(), gS0.dataSync())).toBeLessThan(1e-4);
      });
    });
  }

  for (const mode of ['rate', 'current'] as const) {
    it(`${mode} form: a bias vector, a kept f(P), Y = S and the bias gradient give what the plain call gives`, () => {
      const [B, N, T] = [6, 11, 5];
      const rng = new Rng(`options-${mode}`);
      const Wd = rng.normal(N * N, 0, 1.2 / Math.sqrt(N));
      const Dd = rng.normal(T * B * N, 0.3, 1);
      const bias = rng.normal(N, 0, 0.5);
      const ad = rng.uniform(N, 0.05, 0.5);
      const s0d = rng.normal(B * N, 0, 0.5);
      const cd = rng.normal((T + 1) * B * N);
      k.scope(() => {
        const run = (withOptions: boolean) => {
          const D = k.from(Dd);
          if (!withOptions) for (let r = 0; r < T * B; r++) for (let i = 0; i < N; i++) D.view()[r * N + i] += bias[i];
          const S = k.buffer((T + 1) * B * N).set(s0d);
          const args = {
            mode,
            transfer: 'tanh' as const,
            B,
            N,
            T,
            W: k.from(Wd),
            D,
            Z: null,
            alpha: k.from(ad),
            S,
            Y: withOptions && mode === 'current' ? S : k.buffer((T + 1) * B * N),
            P: k.buffer(T * B * N),
            bias: withOptions ? k.from(bias) : null,
            F: withOptions && mode === 'current' ? k.buffer(T * B * N) : null,
          };
          k.leakyRnnForward(args);
          const g = {
            dY: k.from(cd),
            dW: k.buffer(N * N),
            dD: k.buffer(T * B * N),
            dAlpha: withOptions ? null : k.buffer(N),
            dBias: withOptions ? k.buffer(N) : null,
            dS0: k.buffer(B * N),
          };
          k.leakyRnnBackward({ ...args, ...g });
          return { Y: args.Y.copy(), dW: g.dW.copy(), dD: g.dD.copy(), dS0: g.dS0.copy(), dBias: g.dBias?.copy() };
        };
        const plain = run(false);
        const opt = run(true);
        expect(maxRelDiff(opt.Y, plain.Y)).toBeLessThan(1e-6);
        expect(maxRelDiff(opt.dW, plain.dW)).toBeLessThan(1e-5);
        expect(maxRelDiff(opt.dD, plain.dD)).toBeLessThan(1e-5);
        expect(maxRelDiff(opt.dS0, plain.dS0)).toBeLessThan(1e-5);
        const sumD = new Float32Array(N);
        for (let r = 0; r < T * B; r++) for (let i = 0; i < N; i++) sumD[i] += plain.dD[r * N + i];
        expect(maxRelDiff(opt.dBias as Float32Array, sumD)).toBeLessThan(1e-5);
      });
    });
  }

  it('a wrongly sized buffer is a clear error', () => {
    k.scope(() => {
      const b = (n: number) => k.buffer(n);
      expect(() =>
        k.leakyRnnForward({
          mode: 'rate',
          transfer: 'sigmoid',
          B: 2,
          N: 3,
          T: 4,
          W: b(9),
          D: null,
          Z: null,
          alpha: b(3),
          S: b(29),
          Y: b(30),
          P: b(24),
        }),
      ).toThrow('leaky RNN scan: S holds 29 floats but B=2, N=3, T=4 need 30');
    });
  });

  it('memory grows on demand and scopes release it', () => {
    const before = k.allocatedBytes;
    k.scope(() => {
      const big = k.buffer(20_000_000); // 80 MB
      big.view()[19_999_999] = 7;
      expect(big.view()[19_999_999]).toBe(7);
    });
    expect(k.allocatedBytes).toBe(before);
  });
});

describe('the C normal generator repeats Rng.fillNormal bit for bit', () => {
  it('1,000,000 draws including the ziggurat wedges and tail', () => {
    const js = new Rng('zig');
    const c = new Rng('zig');
    const want = js.fillNormal(new Float32Array(1_000_000), 0.25, 1.5);
    k.scope(() => {
      const out = k.buffer(1_000_000);
      k.fillNormal(c, out, 0.25, 1.5);
      const got = out.view();
      let diff = 0;
      let tail = 0;
      for (let i = 0; i < want.length; i++) {
        if (got[i] !== want[i]) diff++;
        if (Math.abs(want[i] - 0.25) > 1.5 * 3.44) tail++;
      }
      expect(diff).toBe(0);
      expect(tail).toBeGreaterThan(100); // the tail branch was exercised
    });
    // both generators end in the same state
    expect(c.uint32()).toBe(js.uint32());
  });
});
