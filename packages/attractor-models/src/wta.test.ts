import { wtaInputs } from '@wmkit/tasks';
import { initBackend, Rng, tf } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFoldiak, FOLDIAK1990_BARS, foldiakLearn, settleFoldiak } from './foldiak';
import { runFoldiakBars } from './foldiak-run';
import { rectifiedGaussianMean, runWtaConditions, WtaRegimeError, wtaMeanField, wtaParams, wtaTraces, wtaTrial } from './wta';
import { hardWta, kWta, kWtaArray, rankWta, softWta } from './wta-ops';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('WTA / nWTA circuits (Kriener, Chaudhuri & Fiete 2020)', () => {
  it('refuses parameters outside the WTA regime, saying so', () => {
    expect(() => wtaParams({ alpha: 1 })).toThrow(WtaRegimeError);
    expect(() => wtaParams({ alpha: 1.2 })).toThrow(/no winner-take-all regime: α = 1.2 ≥ 1/);
    expect(() => wtaParams({ alpha: 0.5, beta: 0.5 })).toThrow(/no winner-take-all regime: β = 0.5 ≤ 1 − α = 0.5/);
    expect(() => wtaParams({ dt: 0.5 })).toThrow(/dt = 0.5 must be > 0 and ≤ τ\/5/);
    expect(() => wtaParams({ sigma: -1 })).toThrow(/sigma = -1 must be ≥ 0/);
  });

  it('noise-free conventional WTA converges to the analytic winner state b/(1 − α)', () => {
    const p = wtaParams({ sigma: 0, nonlinear: false });
    const tr = wtaTraces(p, wtaInputs(5).b, new Rng(1), 80, 100);
    const last = tr.x.length - tr.N;
    expect(tr.x[last]).toBeCloseTo(1 / (1 - p.alpha), 4);
    for (let i = 1; i < 5; i++) expect(tr.x[last + i]).toBeLessThan(1e-6);
  });

  it('a trial depends only on its own rng: the same result alone or in a batch', () => {
    const p = wtaParams({});
    const [batch] = runWtaConditions([{ N: 8, trials: 5, params: p }], new Rng(4));
    const alone = wtaTrial(p, wtaInputs(8).b, new Rng(4).fork('nWTA-N8').fork('3'));
    expect(batch.times[3]).toBe(alone.time);
    expect(batch.correct[3]).toBe(alone.correct ? 1 : 0);
  });

  it('rectified-Gaussian mean: known values and agreement with quadrature', () => {
    expect(rectifiedGaussianMean(0, 1)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 12);
    expect(rectifiedGaussianMean(10, 1)).toBeCloseTo(10, 10);
    expect(rectifiedGaussianMean(-10, 1)).toBeLessThan(1e-20);
    for (const [mu, s] of [
      [0.3, 0.2],
      [-0.1, 0.15],
    ]) {
      let q = 0;
      const h = 1e-4;
      for (let z = -10; z < 10; z += h) q += Math.max(mu + s * z, 0) * Math.exp((-z * z) / 2) * h;
      expect(rectifiedGaussianMean(mu, s)).toBeCloseTo(q / Math.sqrt(2 * Math.PI), 6);
    }
  });

  // Mean-field fixed points (SI S2.6) vs simulation. Conventional WTA, N = 100, α 0.6, β 0.5,
  // τ_η = 0.005 ≪ τ (the approximation's condition). Time averages over t ∈ [50, 250] τ in 10
  // blocks of 20 τ; tolerance 4 standard errors of the block means.
  it.each([
    [0.05, 'WTA', [2.5, 0] as [number, number]],
    [0.12, 'no-WTA', [0, 0] as [number, number]],
    [0.15, 'no-WTA', [0, 0] as [number, number]],
  ])('mean-field fixed point matches simulation within sampling error (σ = %s, %s branch)', (sigma, _branch, init) => {
    const N = 100;
    const p = wtaParams({ alpha: 0.6, beta: 0.5, tauEta: 0.005, dt: 0.001, sigma, nonlinear: false });
    const mf = wtaMeanField({ alpha: 0.6, beta: 0.5, N, bWinner: 1, bLoser: 0.95, sigma }, init);
    expect(mf.residual).toBeLessThan(1e-10);
    const tr = wtaTraces(p, wtaInputs(N).b, new Rng(11), 250, 10);
    const blocks = { w: [] as number[], l: [] as number[] };
    let w = 0;
    let l = 0;
    let n = 0;
    for (let r = 0; r < tr.t.length; r++) {
      if (tr.t[r] <= 50) continue;
      w += tr.x[r * N];
      let s = 0;
      for (let i = 1; i < N; i++) s += tr.x[r * N + i];
      l += s / (N - 1);
      if (++n % 2000 === 0) {
        blocks.w.push(w / 2000);
        blocks.l.push(l / 2000);
        w = 0;
        l = 0;
      }
    }
    expect(blocks.w.length).toBe(10);
    for (const [key, target] of [
      ['w', mf.winner],
      ['l', mf.loser],
    ] as const) {
      const b = blocks[key];
      const m = b.reduce((a, x) => a + x, 0) / b.length;
      const se = Math.sqrt(b.reduce((a, x) => a + (x - m) ** 2, 0) / (b.length - 1) / b.length);
      expect(Math.abs(m - target)).toBeLessThanOrEqual(Math.max(4 * se, 1e-6));
    }
  });

  it('reduced reproduction: nWTA decides with noise as N grows (time rises), conventional WTA stops producing a winner', () => {
    const rng = new Rng(2020);
    const nwta = runWtaConditions(
      [2, 16, 256].map((N) => ({ N, trials: 60, params: wtaParams({}) })),
      rng,
    );
    for (const r of nwta) expect(r.decided).toBe(1);
    // mean decision time increases with N: expected ~15, ~27, ~40 τ with SEs ≈ 2 τ at 60 trials,
    // so each step is ≈ 4.5 SE; require > 2 SE (a false failure has probability < 1 %)
    expect(nwta[1].meanTime - nwta[0].meanTime).toBeGreaterThan(2 * Math.hypot(nwta[0].seTime, nwta[1].seTime));
    expect(nwta[2].meanTime - nwta[1].meanTime).toBeGreaterThan(2 * Math.hypot(nwta[1].seTime, nwta[2].seTime));
    // accuracy stays above chance (1/N) by a wide margin
    expect(nwta[2].accuracy).toBeGreaterThan(0.3); // ≈ 0.6 expected; chance is 1/256
    const [wta] = runWtaConditions([{ N: 64, trials: 10, params: wtaParams({ nonlinear: false }) }], rng);
    expect(wta.decided).toBe(0);
  });
});

describe('Földiák 1990 anti-Hebbian sparse coding', () => {
  it('learning keeps lateral weights ≤ 0 with a zero diagonal, and thresholds move toward p', () => {
    const net = createFoldiak({}, new Rng(1));
    const rng = new Rng(2);
    for (let k = 0; k < 300; k++) {
      const x = Float32Array.from({ length: 64 }, () => (rng.random() < 0.2 ? 1 : 0));
      foldiakLearn(net, x, settleFoldiak(net, x).y);
    }
    const n = FOLDIAK1990_BARS.nOut;
    for (let i = 0; i < n; i++) {
      expect(net.w[i * n + i]).toBe(0);
      for (let j = 0; j < n; j++) expect(net.w[i * n + j]).toBeLessThanOrEqual(0);
    }
    expect(Math.min(...net.w)).toBeLessThan(0);
  });

  it('rejects an input of the wrong length', () => {
    expect(() => settleFoldiak(createFoldiak({}, new Rng(1)), new Float32Array(10))).toThrow(/input has 10 values, expected nIn = 64/);
  });

  // Acceptance: ≥ 8 of 10 seeds represent all 16 lines, each by one unit, within 2,000 presentations.
  it('bars: at least 8 of 10 seeds learn all 16 lines within 2,000 presentations', () => {
    let solved = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const run = runFoldiakBars({}, new Rng(seed), { presentations: 2000, scoreEvery: 100 });
      const n = FOLDIAK1990_BARS.nOut;
      for (let i = 0; i < n; i++) expect(run.net.w[i * n + i]).toBe(0);
      expect(Math.max(...run.net.w)).toBeLessThanOrEqual(0);
      if (run.solvedAt > 0 && run.curve[run.curve.length - 1].linesRepresented === 16) solved++;
    }
    expect(solved).toBeGreaterThanOrEqual(8);
  });
});

describe('WTA operations (Maass 2000)', () => {
  it('k-WTA gives exactly k winners, even with ties, and they are the k largest', () => {
    const rng = new Rng(5);
    for (const k of [1, 3, 7]) {
      const data = rng.normal([20, 10]);
      for (let i = 0; i < 40; i++) data[i] = Math.round(data[i]); // ties in the first rows
      const x = tf.tensor2d(data, [20, 10]);
      const m = kWta(x, k).arraySync() as number[][];
      m.forEach((row, r) => {
        expect(row.reduce((a, b) => a + b, 0)).toBe(k);
        const vals = Array.from(data.subarray(r * 10, r * 10 + 10));
        const minWin = Math.min(...vals.filter((_, i) => row[i] === 1));
        const maxLose = Math.max(...vals.filter((_, i) => row[i] === 0), Number.NEGATIVE_INFINITY);
        expect(minWin).toBeGreaterThanOrEqual(maxLose);
      });
      const arr = kWtaArray(data.subarray(0, 10), k);
      expect(arr.reduce((a, b) => a + b, 0)).toBe(k);
      x.dispose();
    }
    expect(() => kWta(tf.tensor1d([1, 2]), 3)).toThrow(/k = 3 must be an integer in \[1, 2\]/);
  });

  it('hard WTA is one-hot at the maximum; soft WTA preserves rank order and sums to 1', () => {
    const x = tf.tensor2d([
      [0.1, 2, -1, 0.5],
      [3, 3.5, 1, 0],
    ]);
    expect(hardWta(x).arraySync()).toEqual([
      [0, 1, 0, 0],
      [0, 1, 0, 0],
    ]);
    for (const T of [0.1, 1, 10]) {
      const s = softWta(x, { temperature: T }).arraySync() as number[][];
      const xs = x.arraySync() as number[][];
      s.forEach((row, r) => {
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
        for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (xs[r][i] > xs[r][j]) expect(row[i]).toBeGreaterThan(row[j]);
      });
    }
    expect(Array.from(rankWta([0.1, 2, -1, 0.5], 2))).toEqual([0, 1, 0, 0.5]);
  });

  it('gradients through k-WTA (pass-through) and soft WTA are finite and flow only through the winners', () => {
    const x = tf.tensor2d([[0.3, -1.2, 2.2, 0.9, 0.1]]);
    const w = tf.tensor2d([[1, 2, 3, 4, 5]]);
    const gk = tf
      .grad((v: tf.Tensor) => tf.sum(tf.mul(kWta(v, 2, { pass: true }), w)))(x)
      .arraySync() as number[][];
    expect(gk[0]).toEqual([0, 0, 3, 4, 0]);
    const gs = tf
      .grad((v: tf.Tensor) => tf.sum(tf.mul(softWta(v, { temperature: 0.5 }), w)))(x)
      .dataSync();
    for (const g of gs) expect(Number.isFinite(g)).toBe(true);
    expect(Math.max(...gs.map(Math.abs))).toBeGreaterThan(0);
  });
});
