/**
 * The WTA and nWTA circuits of Kriener, Chaudhuri & Fiete 2020 as TensorFlow.js ops — the
 * `engine: 'tfjs'` form of `runWtaConditions` — with all trials of a condition in one [B, N]
 * tensor, so the selected tfjs backend advances them together. The equations are `wtaTrial`'s
 * (docs/models/wta-sparse.md §Winner-take-all circuits):
 *
 *   r_i = [ b_i + η_i + α x_i − β Σ_{j≠i} g(x_j) ]₊,   x_i ← x_i + (dt/τ)(r_i − x_i)
 *   g(x) = x (WTA) or x·1[x ≥ θ] (nWTA)
 *
 * The Ornstein–Uhlenbeck noise η is drawn in JavaScript from each trial's own stream exactly as
 * `wtaTrial` draws it (`ouStep`, N normals per step), and the self-terminating decision rule is
 * applied per trial after each step; a trial that has decided stops drawing noise. The state is
 * float32 here (float64 in `wtaTrial`), so decision times can differ by a step where a trial
 * crosses the threshold within rounding; accuracy and decision-time statistics agree (tests).
 */
import { ouStep } from '@wmkit/core-neuron';
import { wtaInputs } from '@wmkit/tasks';
import { type Rng, ShapeError, type Tensor, tf } from '@wmkit/tensor';
import {
  argmaxInput,
  checkWtaParams,
  decisionThreshold,
  summariseWtaTrials,
  type WtaCondition,
  type WtaParams,
  type WtaRunOptions,
  type WtaSummary,
  type WtaTrial,
  wtaActivationBound,
  wtaDiverged,
} from './wta';

/** Trials of one circuit with inputs `b`, one per stream in `rngs`, as tfjs ops; the same results as `wtaTrial` with those streams, to float32 rounding. */
export function wtaTrialsTfjs(p: WtaParams, b: ArrayLike<number>, rngs: Rng[], o: WtaRunOptions = {}): WtaTrial[] {
  const N = b.length;
  const B = rngs.length;
  if (N < 2) throw new ShapeError(`WTA: need at least 2 units (got ${N})`);
  const winner = argmaxInput(b);
  const stop = decisionThreshold(p, b[winner] as number);
  const bound = wtaActivationBound(p, b[winner] as number);
  const ou = { dt: p.dt, tau: p.tauEta, sigma: p.sigma };
  const k = p.dt / p.tau;
  const maxSteps = Math.round((o.maxTime ?? 1000) / p.dt);
  const every = Math.round((o.abortEvery ?? 100) / p.dt);
  const ratio = o.abortRatio ?? 0.5;
  const { alpha, beta, theta, nonlinear } = p;
  const eta = new Float32Array(B * N);
  const scratch = new Float32Array(N);
  const out: (WtaTrial | null)[] = new Array(B).fill(null);
  let left = B;
  const bT = tf.tensor2d(Float32Array.from(b), [1, N]);
  let x: Tensor = tf.zeros([B, N]);
  try {
    for (let step = 0; step < maxSteps && left > 0; step++) {
      if (p.sigma > 0) for (let q = 0; q < B; q++) if (!out[q]) ouStep(eta.subarray(q * N, (q + 1) * N), ou, rngs[q] as Rng, scratch);
      const xOld = x;
      x = tf.tidy(() => {
        const g = nonlinear ? tf.where(tf.greaterEqual(xOld, theta), xOld, tf.zerosLike(xOld)) : xOld;
        const S = tf.sum(g, 1, true);
        const drive = tf.sub(tf.add(tf.add(bT, tf.tensor2d(eta, [B, N])), tf.mul(alpha, xOld)), tf.mul(beta, tf.sub(S, g)));
        return tf.add(xOld, tf.mul(k, tf.sub(tf.relu(drive), xOld)));
      });
      xOld.dispose();
      const xs = x.dataSync() as Float32Array;
      const t = (step + 1) * p.dt;
      for (let q = 0; q < B; q++) {
        if (out[q]) continue;
        let top = Number.NEGATIVE_INFINITY;
        let second = Number.NEGATIVE_INFINITY;
        let arg = 0;
        for (let i = 0; i < N; i++) {
          const xn = xs[q * N + i] as number;
          // a non-finite drive makes x NaN: the same divergence check as wtaTrial's
          if (!(xn <= bound)) throw wtaDiverged('WTA trial (tfjs engine)', step + 1, i, xn, Number.isFinite(xn) ? 0 : xn, bound);
          if (xn > top) {
            second = top;
            top = xn;
            arg = i;
          } else if (xn > second) second = xn;
        }
        let r: WtaTrial | null = null;
        if (top >= stop) r = { time: t, decided: true, correct: arg === winner, top, second };
        else if (step > every && step % every === 0 && second / top > ratio)
          r = { time: step * p.dt, decided: false, correct: false, top, second };
        else if (step === maxSteps - 1) r = { time: maxSteps * p.dt, decided: false, correct: false, top, second };
        if (r) {
          out[q] = r;
          left--;
        }
      }
    }
  } finally {
    x.dispose();
    bT.dispose();
  }
  return out as WtaTrial[];
}

/**
 * `runWtaConditions` on the tfjs engine: the same conditions, streams (trial i of a condition
 * uses `rng.fork(key).fork(i)`) and summaries, with the trials of a condition batched in chunks.
 */
export function runWtaConditionsTfjs(
  conditions: WtaCondition[],
  rng: Rng,
  o: WtaRunOptions & { onTrial?: (done: number, total: number) => void; chunk?: number } = {},
): WtaSummary[] {
  const total = conditions.reduce((a, c) => a + c.trials, 0);
  const chunk = Math.max(1, o.chunk ?? 512);
  let done = 0;
  return conditions.map((c) => {
    checkWtaParams(c.params);
    if (!(Number.isInteger(c.N) && c.N >= 2)) throw new ShapeError(`WTA: N = ${c.N} must be an integer ≥ 2`);
    const b = c.b ?? wtaInputs(c.N, { delta: c.delta }).b;
    if (b.length !== c.N) throw new ShapeError(`WTA: inputs have length ${b.length}, expected N = ${c.N}`);
    const root = rng.fork(c.key ?? `${c.params.nonlinear ? 'nWTA' : 'WTA'}-N${c.N}`);
    const res: WtaTrial[] = [];
    for (let start = 0; start < c.trials; start += chunk) {
      const rngs = Array.from({ length: Math.min(chunk, c.trials - start) }, (_, i) => root.fork(String(start + i)));
      res.push(...wtaTrialsTfjs(c.params, b, rngs, o));
      done += rngs.length;
      o.onTrial?.(done, total);
    }
    return summariseWtaTrials(c.N, res);
  });
}
