/**
 * The converted LIF network (Kim, Li & Sejnowski 2019) as TensorFlow.js ops — the `engine: 'tfjs'`
 * form of the LIF kernel (csrc/lif.c), so whichever backend `@wmkit/tensor` selected (tfjs-node,
 * tfjs-node-gpu, WebGPU, WebGL, wasm, cpu) advances all B trials of a step in each op. The
 * equations are the kernel's (docs/models/ei-rnn.md §Conversion to LIF neurons), per LIF step:
 *
 *   v ← v + k_m·(IPSC + bias + W_in u − v)   unless refractory;   v ← v + σ ξ
 *   v ≥ θ → spike, v ← v_reset, refractory for refSteps steps
 *   IPSC ← IPSC·d_D + h·Δt,    h  ← h·d_R + (W_spk s)·g        (g = 1/(τ_r τ_d), per unit)
 *   r    ← r·d_D + h_r·Δt,     h_r ← h_r·d_R + s·g
 *   out  = λ·W_out r   (mean, max and min over the LIF steps of each rate step)
 *
 * The spike propagation W_spk s is one dense product per step (the kernel's `dense` path; the
 * event-driven shortcut buys nothing in a tensor library). The voltage noise is drawn in
 * JavaScript from the same per-trial generators, in the same order (one draw per neuron per
 * step, ./lif-noise.ts), as the kernel draws it, so both engines see the same noise. Both compute in
 * float32 with the element-wise operations in the same order (the current is (IPSC + bias) + W_in u,
 * as in the kernel); they differ only in the order of the sums (the dense products W_spk s and
 * W_out r, and the mean over a rate step's LIF steps): the same spikes over short runs, the same
 * statistics over long ones (tests).
 *
 * Each step is core-neuron's `lifStepTensor` (membrane, threshold, reset, refractory period) and
 * two `doubleExponentialStepTensor` (synaptic current and filtered spike train), with the noise
 * of `gaussianNoise` — the primitives the JavaScript reference runs as typed-array loops.
 *
 * This file takes plain arrays (the prepared constants of `simulateSpiking`), like the kernel's
 * binding, and returns plain arrays.
 */
import { doubleExponentialStepTensor, type LifParams, lifStepTensor } from '@wmkit/core-neuron';
import { type Rng, type Tensor, tf } from '@wmkit/tensor';
import { LifTrialNoise } from './lif-noise';

/** Everything one LIF simulation needs, prepared by `simulateSpiking` (units as in csrc/lif.c: voltages in mV, synaptic time in s). */
export interface LifTfjsArgs {
  B: number;
  N: number;
  K: number;
  /** Rate steps. */
  T: number;
  /** LIF steps per rate step. */
  S: number;
  /** W_in u per trial and rate step, [B, T, N]. */
  ext: Float32Array;
  /** W_spk transposed, [N, N] (row j = column j of W_spk). */
  WT: Float32Array;
  /** Read-out [K, N]. */
  wOut: Float32Array;
  /** Per-unit synaptic decay e^{−Δt/τ_d}, [N]. */
  decayD: Float32Array;
  /** Per-unit gain 1/(τ_r τ_d), [N]. */
  gain: Float32Array;
  decayR: number;
  dtS: number;
  /** The neuron: LIF step, membrane time constant, threshold, reset and refractory period (ms, mV). */
  neuron: LifParams;
  bias: number;
  /** SD of the voltage noise per LIF step (mV). */
  noiseStd: number;
  lambda: number;
  /** Initial voltages [B, N]. */
  v0: Float32Array;
  /** LIF steps per count bin (0: no counts). */
  binSteps: number;
  nBins: number;
  /** Record every spike of the first rasterTrials trials. */
  rasterTrials: number;
  /** Called after each rate step with the number of rate steps done. */
  onRateStep?: (done: number) => void;
}

/** What `lifNetworkTfjs` returns (plain arrays). */
export interface LifTfjsResult {
  /** Output mean, max and min over the LIF steps of each rate step, [B, T, K]. */
  mean: Float32Array;
  max: Float32Array;
  min: Float32Array;
  /** Spike counts [B, N, nBins] (null without bins). */
  counts: Float32Array | null;
  /** Spikes of the first rasterTrials trials: trial, unit and LIF step of each, in time order. */
  raster: { trial: Int32Array; unit: Int32Array; step: Int32Array } | null;
  /** Spikes per unit over all trials, [N]. */
  spikesPerUnit: Float64Array;
  totalSpikes: number;
}

/** The state after one LIF step and what it records, all tensors. */
interface StepOut {
  st: Record<'v' | 'refLeft' | 'ipsc' | 'h' | 'r' | 'hr' | 'binCount' | 'total', Tensor>;
  spk: Tensor | null;
  ySum: Tensor;
  yMax: Tensor;
  yMin: Tensor;
}

/** `tf.tidy` for a step: keeps the returned tensors (tfjs' container type admits no null fields). */
function tidyStep(fn: () => StepOut): StepOut {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as StepOut;
}

/** Runs the LIF network of `a` as tfjs ops; the noise comes from `noiseRng` exactly as the kernel draws it. */
export function lifNetworkTfjs(a: LifTfjsArgs, noiseRng: Rng): LifTfjsResult {
  const { B, N, K, T, S } = a;
  const BN = B * N;
  const mean = new Float32Array(B * T * K);
  const max = new Float32Array(B * T * K);
  const min = new Float32Array(B * T * K);
  const counts = a.binSteps ? new Float32Array(BN * a.nBins) : null;
  const rT: number[] = [];
  const rU: number[] = [];
  const rS: number[] = [];
  const noise = new Float32Array(S * BN);
  const trialNoise = new LifTrialNoise(noiseRng, B, N, a.noiseStd);
  // constants, created outside any tidy and disposed at the end
  const WT = tf.tensor2d(a.WT, [N, N]);
  const wOut = tf.tensor2d(a.wOut, [K, N]);
  const decayD = tf.tensor1d(a.decayD);
  const gain = tf.tensor1d(a.gain);
  const neuron = a.neuron;
  const synapse = { dt: a.dtS, decayD, decayR: a.decayR, gain };
  let st: StepOut['st'] = {
    v: tf.tensor2d(a.v0, [B, N]),
    refLeft: tf.zeros([B, N]),
    ipsc: tf.zeros([B, N]),
    h: tf.zeros([B, N]),
    r: tf.zeros([B, N]),
    hr: tf.zeros([B, N]),
    /** Spikes per trial and unit in the current count bin. */
    binCount: tf.zeros([B, N]),
    /** Spikes per trial and unit since the start. */
    total: tf.zeros([B, N]),
  };
  const dispose = (s: typeof st) => {
    for (const t of Object.values(s)) t.dispose();
  };
  for (let c = 0; c < T; c++) {
    // this rate step's drive and noise, drawn step by step in the kernel's order
    const ext = new Float32Array(BN);
    for (let b = 0; b < B; b++) ext.set(a.ext.subarray((b * T + c) * N, (b * T + c + 1) * N), b * N);
    if (a.noiseStd > 0) for (let s = 0; s < S; s++) trialNoise.draw(noise.subarray(s * BN, (s + 1) * BN));
    const drive = tf.tensor2d(ext, [B, N]);
    const noises = a.noiseStd > 0 ? tf.tensor3d(noise, [S, B, N]) : null;
    let ySum = tf.zeros([B, K]);
    let yMax = tf.fill([B, K], Number.NEGATIVE_INFINITY);
    let yMin = tf.fill([B, K], Number.POSITIVE_INFINITY);
    for (let s = 0; s < S; s++) {
      const step = c * S + s;
      const next = tidyStep(() => {
        const noiseS = noises ? tf.squeeze(tf.slice(noises, [s, 0, 0], [1, B, N]), [0]) : null;
        const lif = lifStepTensor({ v: st.v, refractoryLeft: st.refLeft }, tf.add(tf.add(st.ipsc, a.bias), drive), neuron, noiseS);
        const spk = lif.spikes;
        const jd = tf.matMul(spk, WT); // Σ_j s_j W_spk[:, j]
        const syn = doubleExponentialStepTensor({ current: st.ipsc, h: st.h }, jd, synapse);
        const filt = doubleExponentialStepTensor({ current: st.r, h: st.hr }, spk, synapse);
        const { v, refractoryLeft: refLeft } = lif;
        const { current: ipsc, h } = syn;
        const { current: r, h: hr } = filt;
        const y = tf.mul(tf.matMul(r, wOut, false, true), a.lambda);
        return {
          st: { v, refLeft, ipsc, h, r, hr, binCount: tf.add(st.binCount, spk), total: tf.add(st.total, spk) },
          spk: a.rasterTrials ? tf.slice(spk, [0, 0], [a.rasterTrials, N]) : null,
          ySum: tf.add(ySum, y),
          yMax: tf.maximum(yMax, y),
          yMin: tf.minimum(yMin, y),
        };
      });
      dispose(st);
      ySum.dispose();
      yMax.dispose();
      yMin.dispose();
      st = next.st;
      ySum = next.ySum;
      yMax = next.yMax;
      yMin = next.yMin;
      if (next.spk) {
        const sp = next.spk.dataSync();
        next.spk.dispose();
        for (let q = 0; q < sp.length; q++)
          if (sp[q]) {
            rT.push((q / N) | 0);
            rU.push(q % N);
            rS.push(step);
          }
      }
      if (a.binSteps && (step + 1) % a.binSteps === 0) {
        const bin = (step + 1) / a.binSteps - 1;
        if (counts && bin < a.nBins) {
          const bc = st.binCount.dataSync();
          for (let k = 0; k < BN; k++) counts[k * a.nBins + bin] = bc[k] as number;
        }
        st.binCount.dispose();
        st.binCount = tf.zeros([B, N]);
      }
    }
    const sum = ySum.dataSync();
    const mx = yMax.dataSync();
    const mn = yMin.dataSync();
    for (let b = 0; b < B; b++)
      for (let q = 0; q < K; q++) {
        const idx = (b * T + c) * K + q;
        mean[idx] = (sum[b * K + q] as number) / S;
        max[idx] = mx[b * K + q] as number;
        min[idx] = mn[b * K + q] as number;
      }
    for (const t of [ySum, yMax, yMin, drive, noises] as (Tensor | null)[]) t?.dispose();
    a.onRateStep?.(c + 1);
  }
  const total = st.total.dataSync();
  const spikesPerUnit = new Float64Array(N);
  let totalSpikes = 0;
  for (let k = 0; k < BN; k++) {
    spikesPerUnit[k % N] = (spikesPerUnit[k % N] as number) + (total[k] as number);
    totalSpikes += total[k] as number;
  }
  dispose(st);
  for (const t of [WT, wOut, decayD, gain]) t.dispose();
  return {
    mean,
    max,
    min,
    counts,
    raster: a.rasterTrials ? { trial: Int32Array.from(rT), unit: Int32Array.from(rU), step: Int32Array.from(rS) } : null,
    spikesPerUnit,
    totalSpikes,
  };
}
