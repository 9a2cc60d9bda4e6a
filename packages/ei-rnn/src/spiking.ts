/**
 * Conversion of a trained rate RNN into a network of leaky integrate-and-fire neurons, one per
 * rate unit (Kim, Li & Sejnowski 2019; spikeRNN `spiking/LIF_network_fnc.m`, docs/models/ei-rnn.md §Conversion to LIF neurons).
 *
 *   τ_m dv/dt = −v + I,  I = IPSC + bias + W_in u          (v in mV; τ_m = 10 ms)
 *   v ≥ −40 mV → spike, v ← −65 mV, 2-ms absolute refractory; v += N(0, 0.1²) every step
 *   IPSC ← IPSC·e^{−Δt/τ_d} + h·Δt,   h ← h·e^{−Δt/τ_r} + Σ_{spiking j} W_spk[:, j] / (τ_r τ_d)
 *   r    ← r·e^{−Δt/τ_d} + h_r·Δt,    h_r ← h_r·e^{−Δt/τ_r} + spike / (τ_r τ_d)
 *   W_spk = λ·W_eff,   out = λ·W_out·r,   τ_r = 2 ms, τ_d = each unit's trained decay
 *
 * Δt = 0.05 ms: 100 LIF steps per 5-ms rate step (derived from the two dts,
 * `lifStepsPerRateStep`), the input held constant across them (Kim
 * maps LIF step i to input column round(i/100), a half-step offset; here rate step c drives
 * LIF steps 100c … 100c + 99). Synaptic time is in seconds, as in the authors' code: the
 * weight scale λ (1/λ ∈ 20…75) is tuned for that unit. v₀ ~ U(−65, 30) mV.
 *
 * Event-driven: only neurons that spike this step add their column of W_spk (stored
 * transposed, so a column is contiguous); cost ∝ (trials × neurons) + spikes × N per step.
 * Every state variable and constant is float32 and every operation is rounded to float32, in the
 * same order in the kernel, the reference and (element-wise) the tfjs engine (docs/models/ei-rnn.md
 * §Conversion to LIF neurons, "Precision").
 *
 * @example
 * ```ts
 * const net = toSpiking(model, { scale: 1 / 40 });
 * const rec = simulateSpiking(net, task.sample(100, rng).inputs, rng);
 * ```
 */
import { type DoubleExponentialParams, doubleExponentialFactors, type LifParams } from '@wmkit/core-neuron';
import { assertShape, type NDArray, type Rng, runSteps, ShapeError, type StepGenerator } from '@wmkit/tensor';
import { lifKernels } from './kernels/lif-kernel';
import { LifTrialNoise } from './lif-noise';
import { lifNetworkTfjs } from './lif-tfjs';
import { effectiveWeights, type RateRNN, unitTauMs } from './rate-rnn';
import type { Engine } from './tfjs-engine';

/** LIF constants of the converted network; `KIM_LIF_CONFIG` holds Kim et al.'s (2019). */
export interface LifConversionConfig {
  /** The LIF step (ms); it must divide the rate network's dt a whole number of times (`lifStepsPerRateStep`). */
  dtMs: number;
  tauMemMs: number;
  refractoryMs: number;
  thresholdMv: number;
  resetMv: number;
  /** Constant current keeping the resting potential near threshold (BIAS = vpeak). */
  biasMv: number;
  tauRiseMs: number;
  /** SD of the voltage noise per step (randn/10). */
  noiseMv: number;
  /** v₀ ~ U(lo, hi). */
  v0Mv: [number, number];
}

/** spikeRNN `LIF_network_fnc.m` (linear LIF). */
export const KIM_LIF_CONFIG: LifConversionConfig = {
  dtMs: 0.05, // dt = 0.00005 s; 100 steps per 5-ms rate step: T = (size(u,2)−1)·dt·100
  tauMemMs: 10, // tm = 0.010
  refractoryMs: 2, // tref = 0.002
  thresholdMv: -40, // vpeak
  resetMv: -65, // vreset
  biasMv: -40, // BIAS = vpeak
  tauRiseMs: 2, // tr = 0.002
  noiseMv: 0.1, // randn(N,1)/10
  v0Mv: [-65, 30], // vreset + rand·(30 − vreset)
};

/**
 * LIF steps per rate step: the rate network's dt over the LIF dt, which must be a whole number
 * (the input of a rate step is held over its LIF steps); otherwise a ShapeError naming both dts.
 */
export function lifStepsPerRateStep(rateDtMs: number, lifDtMs: number): number {
  const ratio = rateDtMs / lifDtMs;
  const S = Math.round(ratio);
  if (!(lifDtMs > 0) || !Number.isFinite(ratio) || S < 1 || Math.abs(ratio - S) > 1e-6 * S)
    throw new ShapeError(
      `the LIF step (lif.dtMs = ${lifDtMs} ms) must divide the rate network's step (dtMs = ${rateDtMs} ms) a whole number of times, got ${+ratio.toPrecision(6)}; choose lif.dtMs = ${rateDtMs}/k for a whole k (e.g. ${+(rateDtMs / Math.max(1, Math.round(ratio))).toPrecision(6)})`,
    );
  return S;
}

/** A rate RNN converted to LIF neurons: the rate model, λ and the LIF constants. */
export interface SpikingRNN {
  rate: RateRNN;
  /** λ: W_spk = λ·W_eff (Kim's scaling_factor is 1/λ). */
  scale: number;
  lif: LifConversionConfig;
  /** W_spk transposed: WT[j·N + i] = λ·W_eff[i, j] (column j of W_spk is row j here). */
  WT: Float32Array;
  /** Per-unit synaptic decay (ms). */
  tauDecayMs: Float32Array;
}

/** Converts a rate RNN to a LIF network (Kim et al. 2019): W_spk = λ·W_eff, out = λ·w_out·(filtered spikes), W_in and τ_d carried over. */
export function toSpiking(model: RateRNN, opts: { scale: number; lif?: Partial<LifConversionConfig> }): SpikingRNN {
  if (!(opts.scale > 0) || !Number.isFinite(opts.scale))
    throw new ShapeError(`toSpiking: scale λ (${opts.scale}) must be a positive number (Kim: 1/λ ∈ 20…75)`);
  const N = model.config.N;
  const W = effectiveWeights(model);
  const WT = new Float32Array(N * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) WT[j * N + i] = W[i * N + j] * opts.scale;
  return { rate: model, scale: opts.scale, lif: { ...KIM_LIF_CONFIG, ...opts.lif }, WT, tauDecayMs: unitTauMs(model) };
}

/** What to record in a spiking simulation (counts, rasters) and its hooks. */
export interface SpikingSimulationOptions {
  /** Bin width (ms) of the spike counts returned in `counts` (omit for none). */
  countBinMs?: number;
  /** Record every spike of the first `rasterTrials` trials. */
  rasterTrials?: number;
  /** Called about every 1% of the simulation with the fraction done. */
  onProgress?: (fraction: number) => void;
  /** Propagate by the full product W·s instead of spike events (the reference path, for tests). */
  dense?: boolean;
  /**
   * Rate steps the wasm kernel advances per call (default: chosen from the size of the work);
   * the results do not depend on it (tested).
   */
  rateStepsPerCall?: number;
  /**
   * The dt (ms) of the inputs' steps — the task's (`batch.dtMs`): a dt other than the rate
   * network's is refused, naming both (each input step drives one rate step).
   */
  inputDtMs?: number;
  /** Which implementation runs it: the wasm kernel (default) or TensorFlow.js ops on the selected backend. */
  engine?: Engine;
}

/** What a spiking simulation returns: output (mean and envelopes per rate step), and optionally counts, rasters and rates. */
export interface SpikingRecord {
  /** Output over the LIF steps of each rate step, [B, T, nOut]: mean, upper and lower envelopes. */
  outputs: { mean: NDArray; max: NDArray; min: NDArray };
  /** Spike counts [B, N, bins] when countBinMs was given. */
  counts: NDArray | null;
  /** Spikes of the first rasterTrials trials: parallel arrays (trial, unit, time in ms). */
  raster: { trial: Int32Array; unit: Int32Array; timeMs: Float32Array } | null;
  /** Mean rate per unit over the whole simulation and all trials (Hz). */
  meanRateHz: Float32Array;
  /** Total spikes (all trials). */
  totalSpikes: number;
}

interface LifSetup {
  B: number;
  T: number;
  N: number;
  K: number;
  S: number;
  dtS: number;
  decayD: Float32Array;
  gain: Float32Array;
  decayR: number;
  kMem: number;
  refSteps: number;
  v0: Float32Array;
  binSteps: number;
  nBins: number;
  rasterTrials: number;
}

/** The neuron of the converted network as core-neuron's `lifStep` takes it (ms, mV). */
function lifParams(p: LifConversionConfig): LifParams {
  return { dt: p.dtMs, tauMem: p.tauMemMs, threshold: p.thresholdMv, reset: p.resetMv, refractory: p.refractoryMs };
}

/** The synapse of the converted network as core-neuron's double exponential takes it (seconds, as in the authors' code). */
function synapseParams(net: SpikingRNN): DoubleExponentialParams {
  return {
    dt: net.lif.dtMs / 1000,
    tauRise: net.lif.tauRiseMs / 1000,
    tauDecay: Float64Array.from(net.tauDecayMs, (t) => t / 1000),
  };
}

function setupLif(net: SpikingRNN, inputs: NDArray, rng: Rng, opts: SpikingSimulationOptions): LifSetup {
  const m = net.rate;
  const { N, nInputs, nOutputs: K } = m.config;
  const { B, T } = assertShape('simulateSpiking: inputs', inputs.shape, ['B', 'T', nInputs]);
  const p = net.lif;
  if (opts.inputDtMs !== undefined && Math.abs(opts.inputDtMs - m.config.dtMs) > 1e-9 * m.config.dtMs)
    throw new ShapeError(
      `simulateSpiking: the task steps dt = ${opts.inputDtMs} ms but the rate network was built for dt = ${m.config.dtMs} ms; sample the task with the network's dt (task dtMs = ${m.config.dtMs})`,
    );
  const S = lifStepsPerRateStep(m.config.dtMs, p.dtMs);
  // per-unit synapse constants (seconds, as in the authors' code)
  const syn = synapseParams(net);
  const { decayD, gain, decayR } = doubleExponentialFactors(N, syn);
  const binSteps = opts.countBinMs ? Math.round(opts.countBinMs / p.dtMs) : 0;
  return {
    B,
    T,
    N,
    K,
    S,
    dtS: syn.dt,
    decayD,
    gain,
    decayR,
    kMem: p.dtMs / p.tauMemMs,
    refSteps: Math.round(p.refractoryMs / p.dtMs),
    v0: rng.fork('v0').uniform(B * N, p.v0Mv[0], p.v0Mv[1]),
    binSteps,
    nBins: binSteps ? Math.floor((T * S) / binSteps) : 0,
    rasterTrials: Math.min(opts.rasterTrials ?? 0, B),
  };
}

/**
 * The drive W_in u of rate steps c0 … c0 + nR − 1 of every trial, out[offset + (b·nR + c)·N + i]
 * (summed in double over the inputs, stored as float32); with c0 = 0 and nR = T the whole
 * simulation's, [B, T, N].
 */
function lifDrive(m: RateRNN, inputs: NDArray, c0: number, nR: number, out: Float32Array, offset = 0): Float32Array {
  const { N, nInputs } = m.config;
  const [B, T] = inputs.shape as [number, number, number];
  for (let b = 0; b < B; b++)
    for (let c = 0; c < nR; c++) {
      const u = (b * T + c0 + c) * nInputs;
      const o = offset + (b * nR + c) * N;
      for (let i = 0; i < N; i++) {
        let s = 0;
        for (let q = 0; q < nInputs; q++) s += (m.wIn[i * nInputs + q] as number) * (inputs.data[u + q] as number);
        out[o + i] = s;
      }
    }
  return out;
}

/**
 * Simulates B trials at once with wmkit's wasm LIF kernel; inputs [B, T, nIn] at the rate
 * model's resolution. Bit-identical to `simulateSpikingReference` (tested).
 */
export function simulateSpiking(net: SpikingRNN, inputs: NDArray, rng: Rng, opts: SpikingSimulationOptions = {}): SpikingRecord {
  return runSteps(simulateSpikingSteps(net, inputs, rng, opts));
}

/**
 * `simulateSpiking` as a step generator (yields after every kernel call: a few rate steps of the
 * trials, about 2 million neuron-steps), for
 * `runStepsYielding`; same results. Its kernel buffers live from the first step to the last, so
 * no other kernel work of this thread may run while it is suspended (the signal handlers and
 * progress displays that run between slices do none).
 */
export function* simulateSpikingSteps(
  net: SpikingRNN,
  inputs: NDArray,
  rng: Rng,
  opts: SpikingSimulationOptions = {},
): StepGenerator<SpikingRecord> {
  if (opts.engine === 'tfjs') return simulateSpikingTfjs(net, inputs, rng, opts);
  const [rec] = yield* kernelSimulations([{ net, inputs, rng }], opts);
  return rec as SpikingRecord;
}

/** One simulation of `simulateSpikingBatchSteps`: a network, its inputs [B, T, nIn] and its generator. */
export interface SpikingJob {
  net: SpikingRNN;
  inputs: NDArray;
  rng: Rng;
}

/**
 * Several simulations at once — each the same, bit for bit, as `simulateSpiking(job.net,
 * job.inputs, job.rng)` — with all their trials in the same kernel calls, split across the kernel
 * threads together (the λ search's candidates, or a long test's chunks of trials: more trials per
 * call keep every thread busy). The networks must be conversions of the same rate model with the
 * same LIF constants (they may differ in λ), and the inputs must have the same number of steps.
 * Records only outputs and rates (no counts or rasters). A step generator (yields after every
 * kernel call); with `engine: 'tfjs'` the simulations run one after the other on TensorFlow.js.
 */
export function* simulateSpikingBatchSteps(
  jobs: readonly SpikingJob[],
  opts: Pick<SpikingSimulationOptions, 'inputDtMs' | 'onProgress' | 'engine'> = {},
): StepGenerator<SpikingRecord[]> {
  if (!jobs.length) return [];
  const first = jobs[0] as SpikingJob;
  const lif = JSON.stringify(first.net.lif);
  for (const j of jobs) {
    if (j.net.rate !== first.net.rate || JSON.stringify(j.net.lif) !== lif)
      throw new ShapeError(
        'simulateSpikingBatchSteps: every network must be a conversion of the same rate model with the same LIF constants (only λ may differ)',
      );
    if (j.inputs.shape[1] !== first.inputs.shape[1])
      throw new ShapeError(
        `simulateSpikingBatchSteps: every simulation must have the same number of steps, got inputs [${j.inputs.shape.join(', ')}] and [${first.inputs.shape.join(', ')}]`,
      );
  }
  if (opts.engine === 'tfjs') {
    const recs: SpikingRecord[] = [];
    for (const [i, j] of jobs.entries())
      recs.push(
        simulateSpikingTfjs(j.net, j.inputs, j.rng, {
          inputDtMs: opts.inputDtMs,
          onProgress: opts.onProgress ? (f) => opts.onProgress?.((i + f) / jobs.length) : undefined,
        }),
      );
    return recs;
  }
  return yield* kernelSimulations(jobs, { inputDtMs: opts.inputDtMs, onProgress: opts.onProgress });
}

/**
 * The wasm kernel's simulation of `jobs` (the same rate model, LIF constants and number of steps;
 * λ may differ), their trials side by side in each kernel call. Counts and rasters as `opts` asks
 * (a raster only for a single job).
 */
function* kernelSimulations(jobs: readonly SpikingJob[], opts: SpikingSimulationOptions): StepGenerator<SpikingRecord[]> {
  const net0 = (jobs[0] as SpikingJob).net;
  const sus = jobs.map((j) => setupLif(j.net, j.inputs, j.rng, opts));
  const su = sus[0] as LifSetup;
  const { T, N, K, S } = su;
  const p = net0.lif;
  // trial offsets of the jobs in the kernel's batch
  const offsets = sus.map((_, i) => sus.slice(0, i).reduce((a, x) => a + x.B, 0));
  const B = sus.reduce((a, x) => a + x.B, 0);
  // the distinct networks (by λ's matrix) and the network of every trial
  const nets: SpikingRNN[] = [];
  const netOf = jobs.map((j) => {
    const i = nets.indexOf(j.net);
    if (i >= 0) return i;
    nets.push(j.net);
    return nets.length - 1;
  });
  const k = lifKernels();
  const mark = k.mark();
  try {
    const BN = B * N;
    const v = k.buffer(BN);
    sus.forEach((x, i) => {
      v.view().set(x.v0, (offsets[i] as number) * N);
    });
    const bufs = {
      ipsc: k.buffer(BN),
      h: k.buffer(BN),
      jd: k.buffer(BN),
      r: k.buffer(BN),
      hr: k.buffer(BN),
      refLeft: k.buffer(BN),
      spikeList: k.buffer(BN),
      spiked: k.buffer(Math.ceil(BN / 4)),
    };
    const WT = k.buffer(nets.length * N * N);
    nets.forEach((n, i) => {
      WT.view().set(n.WT, i * N * N);
    });
    let lambdas = null;
    let trialNet = null;
    if (nets.length > 1) {
      lambdas = k.buffer(2 * nets.length);
      new Float64Array(k.memory.buffer, lambdas.ptr, nets.length).set(nets.map((n) => n.scale));
      trialNet = k.buffer(B);
      const tn = trialNet.viewI32();
      sus.forEach((x, i) => {
        tn.fill(netOf[i] as number, offsets[i] as number, (offsets[i] as number) + x.B);
      });
    }
    const wOut = k.from(net0.rate.wOut);
    const decayD = k.from(su.decayD);
    const gain = k.from(su.gain);
    const counts = su.binSteps ? k.buffer(BN * su.nBins) : null;
    const RT = jobs.length === 1 ? su.rasterTrials : 0;
    // rate steps per kernel call: enough work (~2 million neuron-steps) that splitting the trials
    // across threads costs little, few enough that progress and yields stay frequent, and the
    // raster's per-call buffer at most 4 million entries
    const perRateStep = B * N * S;
    let R = Math.max(1, Math.min(T, Math.ceil(2e6 / perRateStep)));
    if (RT) R = Math.max(1, Math.min(R, Math.floor(4e6 / (RT * S * N))));
    if (opts.rateStepsPerCall !== undefined) R = Math.max(1, Math.min(T, Math.floor(opts.rateStepsPerCall)));
    // (threads only where a call has work enough to pay for the hand-over; same results either way)
    const threads = perRateStep * R >= 2e5 ? k.threads : 1;
    const outMean = k.buffer(B * R * K);
    const outMax = k.buffer(B * R * K);
    const outMin = k.buffer(B * R * K);
    const raster = RT ? k.buffer(RT * R * S * N) : null;
    const rasterCount = k.buffer(Math.max(1, RT));
    const unitSpikes = k.buffer(BN);
    const states = k.buffer(4 * B);
    jobs.forEach((j, i) => {
      const x = sus[i] as LifSetup;
      states.viewU32().set(new LifTrialNoise(j.rng.fork('noise'), x.B, N, p.noiseMv).states(), 4 * (offsets[i] as number));
    });
    const mean = new Float32Array(B * T * K);
    const max = new Float32Array(B * T * K);
    const min = new Float32Array(B * T * K);
    // the raster in the reference's order: by step, then trial, then unit
    const rT: number[] = [];
    const rU: number[] = [];
    const rTime: number[] = [];
    const cursor = new Int32Array(RT);
    const progressEvery = Math.max(1, Math.floor(T / 100));
    const extCall = k.buffer(B * R * N);
    // the first job with the same inputs array (its drive is copied, not computed again)
    const sameInputs = jobs.map((j) => jobs.findIndex((x) => x.inputs === j.inputs));
    for (let c0 = 0; c0 < T; c0 += R) {
      const nR = Math.min(R, T - c0);
      // these rate steps' drive, [B, nR, N] (computed once for jobs that share their inputs)
      const view = extCall.view();
      jobs.forEach((j, i) => {
        const o = (offsets[i] as number) * nR * N;
        const same = sameInputs[i] as number;
        if (same < i) {
          const so = (offsets[same] as number) * nR * N;
          view.copyWithin(o, so, so + (sus[i] as LifSetup).B * nR * N);
        } else lifDrive(j.net.rate, j.inputs, c0, nR, view, o);
      });
      k.lifNetworkRun(
        {
          B,
          N,
          K,
          rateSteps: nR,
          firstStep: c0 * S,
          stepsPerRateStep: S,
          ext: extCall,
          WT,
          wOut,
          decayD,
          gain,
          decayR: su.decayR,
          dtS: su.dtS,
          kMem: su.kMem,
          threshold: p.thresholdMv,
          reset: p.resetMv,
          bias: p.biasMv,
          noiseStd: p.noiseMv,
          lambda: net0.scale,
          refSteps: su.refSteps,
          v,
          ...bufs,
          outMean,
          outMax,
          outMin,
          counts,
          binSteps: su.binSteps,
          nBins: su.nBins,
          raster,
          rasterTrials: RT,
          rasterCount,
          unitSpikes,
          rng: states,
          dense: opts.dense === true,
          lambdas,
          trialNet,
        },
        threads,
      );
      if (raster) {
        const rv = raster.viewI32();
        const rc = rasterCount.viewI32();
        const row = nR * S * N;
        cursor.fill(0);
        for (let s = 0; s < nR * S; s++)
          for (let b = 0; b < RT; b++) {
            const n = rc[b] as number;
            let q = cursor[b] as number;
            for (; q < n; q++) {
              const code = rv[b * row + q] as number;
              const sq = Math.floor(code / N);
              if (sq !== s) break;
              rT.push(b);
              rU.push(code - sq * N);
              rTime.push((c0 * S + s + 1) * p.dtMs);
            }
            cursor[b] = q;
          }
      }
      const om = outMean.view();
      const ox = outMax.view();
      const on = outMin.view();
      for (let b = 0; b < B; b++)
        for (let c = 0; c < nR; c++)
          for (let q = 0; q < K; q++) {
            const idx = (b * T + c0 + c) * K + q;
            const src = (b * nR + c) * K + q;
            mean[idx] = om[src] as number;
            max[idx] = ox[src] as number;
            min[idx] = on[src] as number;
          }
      if (opts.onProgress && Math.floor((c0 + nR) / progressEvery) > Math.floor(c0 / progressEvery)) opts.onProgress((c0 + nR) / T);
      yield;
    }
    const seconds = (T * S * p.dtMs) / 1000;
    const perTrial = unitSpikes.viewI32();
    const countsAll = counts?.view();
    return sus.map((x, i) => {
      const b0 = offsets[i] as number;
      const spikesPerUnit = new Float64Array(N);
      let totalSpikes = 0;
      for (let b = b0; b < b0 + x.B; b++)
        for (let j = 0; j < N; j++) {
          const n = perTrial[b * N + j] as number;
          spikesPerUnit[j] = (spikesPerUnit[j] as number) + n;
          totalSpikes += n;
        }
      const part = (a: Float32Array) => a.slice(b0 * T * K, (b0 + x.B) * T * K);
      return {
        outputs: {
          mean: { data: part(mean), shape: [x.B, T, K] },
          max: { data: part(max), shape: [x.B, T, K] },
          min: { data: part(min), shape: [x.B, T, K] },
        },
        counts: countsAll ? { data: countsAll.slice(b0 * N * su.nBins, (b0 + x.B) * N * su.nBins), shape: [x.B, N, su.nBins] } : null,
        raster: RT ? { trial: Int32Array.from(rT), unit: Int32Array.from(rU), timeMs: Float32Array.from(rTime) } : null,
        meanRateHz: Float32Array.from(spikesPerUnit, (n) => n / (x.B * seconds)),
        totalSpikes,
      };
    });
  } finally {
    k.release(mark);
  }
}

/**
 * The same simulation in plain JavaScript: the readable reference (tested against a direct
 * transcription of spikeRNN's LIF_network_fnc.m) that the wasm kernel must match bit for bit.
 * Every quantity is float32 and every operation is rounded to float32 (`f = Math.fround`) in the
 * kernel's order — core-neuron's `lifStep` and `doubleExponentialStep` (which evaluate in double)
 * written out in float32 — with the noise of `gaussianNoise` from each trial's generator
 * (./lif-noise.ts). The read-out of a trial sums units i ≡ l (mod 4) in lane l, in order, then
 * (lane 0 + lane 1) + (lane 2 + lane 3), then the units past the last multiple of four: the
 * kernel's f32x4 order.
 */
export function simulateSpikingReference(net: SpikingRNN, inputs: NDArray, rng: Rng, opts: SpikingSimulationOptions = {}): SpikingRecord {
  const su = setupLif(net, inputs, rng, opts);
  const { B, T, N, K, S, binSteps, nBins, rasterTrials } = su;
  const ext = lifDrive(net.rate, inputs, 0, T, new Float32Array(B * T * N));
  const m = net.rate;
  const p = net.lif;
  const f = Math.fround;
  const BN = B * N;
  const N4 = N & ~3;
  // the constants as float32
  const kMem = f(su.kMem);
  const bias = f(p.biasMv);
  const thr = f(p.thresholdMv);
  const reset = f(p.resetMv);
  const dtS = f(su.dtS);
  const decayR = f(su.decayR);
  const { decayD, gain, refSteps } = su;
  const lam = f(net.scale);
  const hasNoise = p.noiseMv > 0;
  // membrane and refractory steps left; the synaptic current (IPSC, h) and the filtered spike train read out (r, h_r)
  const v = Float32Array.from(su.v0);
  const refLeft = new Int32Array(BN);
  const ipsc = new Float32Array(BN);
  const h = new Float32Array(BN);
  const r = new Float32Array(BN);
  const hr = new Float32Array(BN);
  const jd = new Float32Array(BN);
  const spiked = new Uint8Array(BN);
  const noise = new Float32Array(BN);
  // one generator per trial, N draws per step each (./lif-noise.ts)
  const trialNoise = new LifTrialNoise(rng.fork('noise'), B, N, p.noiseMv);
  const wOut = m.wOut;
  const outMean = new Float32Array(B * T * K);
  const outMax = new Float32Array(B * T * K).fill(Number.NEGATIVE_INFINITY);
  const outMin = new Float32Array(B * T * K).fill(Number.POSITIVE_INFINITY);
  const counts = binSteps ? new Float32Array(B * N * nBins) : null;
  const rT: number[] = [];
  const rU: number[] = [];
  const rTime: number[] = [];
  const spikesPerUnit = new Float64Array(N);
  let totalSpikes = 0;
  const progressEvery = Math.max(1, Math.floor(T / 100));
  const lane = new Float32Array(4);

  for (let c = 0; c < T; c++) {
    for (let s = 0; s < S; s++) {
      const step = c * S + s;
      const bin = binSteps ? Math.floor(step / binSteps) : -1;
      trialNoise.draw(noise);
      for (let b = 0; b < B; b++) {
        const e0 = (b * T + c) * N;
        const o = b * N;
        // membrane update, threshold, reset (core-neuron's lifStep in float32)
        for (let i = 0; i < N; i++) {
          const k = o + i;
          let x = v[k] as number;
          if ((refLeft[k] as number) > 0) refLeft[k] = (refLeft[k] as number) - 1;
          else x = f(x + f(kMem * f(f(f((ipsc[k] as number) + bias) + (ext[e0 + i] as number)) - x)));
          if (hasNoise) x = f(x + (noise[k] as number));
          if (x >= thr) {
            x = reset;
            refLeft[k] = refSteps;
            spiked[k] = 1;
          }
          v[k] = x;
        }
        // event-driven propagation: each spike adds its column of W_spk, units in order
        for (let j = 0; j < N; j++) {
          if (!spiked[o + j]) continue;
          const row = j * N;
          for (let i = 0; i < N; i++) jd[o + i] = f((jd[o + i] as number) + (net.WT[row + i] as number));
          spikesPerUnit[j] = (spikesPerUnit[j] as number) + 1;
          totalSpikes++;
          if (counts && bin < nBins) counts[(o + j) * nBins + bin] = (counts[(o + j) * nBins + bin] as number) + 1;
          if (b < rasterTrials) {
            rT.push(b);
            rU.push(j);
            rTime.push((step + 1) * p.dtMs);
          }
        }
      }
      // synapses and filtered rates (core-neuron's doubleExponentialStep in float32)
      for (let k = 0; k < BN; k++) {
        const i = k % N;
        const dD = decayD[i] as number;
        const g = gain[i] as number;
        ipsc[k] = f(f((ipsc[k] as number) * dD) + f((h[k] as number) * dtS));
        h[k] = f(f((h[k] as number) * decayR) + f((jd[k] as number) * g));
        r[k] = f(f((r[k] as number) * dD) + f((hr[k] as number) * dtS));
        hr[k] = f(f((hr[k] as number) * decayR) + (spiked[k] ? g : 0));
      }
      jd.fill(0);
      spiked.fill(0);
      // read-out
      for (let b = 0; b < B; b++) {
        const o = b * N;
        for (let q = 0; q < K; q++) {
          const wq = q * N;
          lane.fill(0);
          let i = 0;
          for (; i < N4; i += 4)
            for (let l = 0; l < 4; l++) lane[l] = f((lane[l] as number) + f((wOut[wq + i + l] as number) * (r[o + i + l] as number)));
          let y = f(f((lane[0] as number) + (lane[1] as number)) + f((lane[2] as number) + (lane[3] as number)));
          for (; i < N; i++) y = f(y + f((wOut[wq + i] as number) * (r[o + i] as number)));
          y = f(y * lam);
          const idx = (b * T + c) * K + q;
          outMean[idx] = f((outMean[idx] as number) + f(y / S));
          if (y > (outMax[idx] as number)) outMax[idx] = y;
          if (y < (outMin[idx] as number)) outMin[idx] = y;
        }
      }
    }
    if (opts.onProgress && (c + 1) % progressEvery === 0) opts.onProgress((c + 1) / T);
  }
  const seconds = (T * S * p.dtMs) / 1000;
  const meanRateHz = Float32Array.from(spikesPerUnit, (n) => n / (B * seconds));
  return {
    outputs: {
      mean: { data: outMean, shape: [B, T, K] },
      max: { data: outMax, shape: [B, T, K] },
      min: { data: outMin, shape: [B, T, K] },
    },
    counts: counts ? { data: counts, shape: [B, N, nBins] } : null,
    raster: rasterTrials ? { trial: Int32Array.from(rT), unit: Int32Array.from(rU), timeMs: Float32Array.from(rTime) } : null,
    meanRateHz,
    totalSpikes,
  };
}

/**
 * `simulateSpiking` as TensorFlow.js ops on the backend `@wmkit/tensor` selected (the `engine:
 * 'tfjs'` form): the same constants, initial voltages and noise draws as the kernel, so the two
 * agree spike for spike over short runs and in distribution over long ones (tests).
 */
export function simulateSpikingTfjs(net: SpikingRNN, inputs: NDArray, rng: Rng, opts: SpikingSimulationOptions = {}): SpikingRecord {
  const su = setupLif(net, inputs, rng, opts);
  const { B, T, N, K, S } = su;
  const p = net.lif;
  const progressEvery = Math.max(1, Math.floor(T / 100));
  const out = lifNetworkTfjs(
    {
      B,
      N,
      K,
      T,
      S,
      ext: lifDrive(net.rate, inputs, 0, T, new Float32Array(B * T * N)),
      WT: net.WT,
      wOut: net.rate.wOut,
      decayD: su.decayD,
      gain: su.gain,
      decayR: su.decayR,
      dtS: su.dtS,
      neuron: lifParams(p),
      bias: p.biasMv,
      noiseStd: p.noiseMv,
      lambda: net.scale,
      v0: su.v0,
      binSteps: su.binSteps,
      nBins: su.nBins,
      rasterTrials: su.rasterTrials,
      onRateStep: opts.onProgress ? (c) => c % progressEvery === 0 && opts.onProgress?.(c / T) : undefined,
    },
    rng.fork('noise'),
  );
  const seconds = (T * S * p.dtMs) / 1000;
  return {
    outputs: {
      mean: { data: out.mean, shape: [B, T, K] },
      max: { data: out.max, shape: [B, T, K] },
      min: { data: out.min, shape: [B, T, K] },
    },
    counts: out.counts ? { data: out.counts, shape: [B, N, su.nBins] } : null,
    raster: out.raster
      ? { trial: out.raster.trial, unit: out.raster.unit, timeMs: Float32Array.from(out.raster.step, (s) => (s + 1) * p.dtMs) }
      : null,
    meanRateHz: Float32Array.from(out.spikesPerUnit, (n) => n / (B * seconds)),
    totalSpikes: out.totalSpikes,
  };
}
