/**
 * The installation check of `wmkit demo`: a seeded tensor computation whose answer is known
 * (Ornstein–Uhlenbeck processes, whose autocorrelation is e^{−lag/τ}), run on whichever tfjs
 * backend `@wmkit/tensor` selected; the timescale recovered from it must match τ.
 */
import { Rng, tf } from '@wmkit/tensor';

/**
 * A seeded tensor computation whose answer is known: B Ornstein–Uhlenbeck processes with
 * time constant τ, integrated exactly,  x ← x·e^{−Δt/τ} + σ·√(1 − e^{−2Δt/τ})·ξ,
 * whose autocorrelation at lag k·Δt is e^{−kΔt/τ}. The demo recovers τ from it.
 */
export interface OuDemoConfig {
  /** Time constant of the processes (ms). */
  tauMs: number;
  dtMs: number;
  steps: number;
  batch: number;
  seed: number;
}

/** The demo's defaults: 512 processes, τ = 100 ms, 2,000 steps of 1 ms. */
export const OU_DEMO_DEFAULTS: OuDemoConfig = { tauMs: 100, dtMs: 1, steps: 2000, batch: 512, seed: 1 };

/** Simulates the processes; returns the first 8 traces, the autocorrelation up to 3τ and the fitted τ. */
export function simulateOu(cfg: OuDemoConfig): { traces: Float32Array; acf: Float32Array; tauHatMs: number } {
  const rng = new Rng(cfg.seed);
  const decay = Math.exp(-cfg.dtMs / cfg.tauMs);
  const kick = Math.sqrt(1 - decay * decay);
  return tf.tidy(() => {
    const noise = tf.unstack(rng.fork('noise').normalTensor([cfg.steps, cfg.batch]));
    let x = rng.fork('x0').normalTensor([cfg.batch]); // stationary start, σ = 1
    const xs = [x];
    for (let t = 1; t < cfg.steps; t++) {
      x = tf.add(tf.mul(x, decay), tf.mul(noise[t], kick));
      xs.push(x);
    }
    const X = tf.stack(xs); // [T, B]
    const data = X.dataSync() as Float32Array;
    // Autocorrelation across processes and time: ρ(k) = ⟨x_t x_{t+k}⟩ / ⟨x_t²⟩.
    const maxLag = Math.round((3 * cfg.tauMs) / cfg.dtMs);
    const acf = new Float32Array(maxLag + 1);
    const B = cfg.batch;
    for (let k = 0; k <= maxLag; k++) {
      let s = 0;
      for (let i = 0, j = k * B; j < data.length; i++, j++) s += data[i] * data[j];
      acf[k] = s / (data.length - k * B);
    }
    const c0 = acf[0];
    for (let k = 0; k <= maxLag; k++) acf[k] /= c0;
    // τ from a least-squares line through log ρ(k) for ρ > 0.2 (where the estimate is precise)
    let sxy = 0;
    let sxx = 0;
    for (let k = 1; k <= maxLag && acf[k] > 0.2; k++) {
      sxy += k * cfg.dtMs * Math.log(acf[k]);
      sxx += (k * cfg.dtMs) ** 2;
    }
    const traces = tf.transpose(tf.slice(X, [0, 0], [cfg.steps, 8])).dataSync() as Float32Array;
    return { traces, acf, tauHatMs: -sxx / sxy };
  });
}
