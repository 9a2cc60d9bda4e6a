/**
 * The rate rings of Wimmer et al. 2014 as TensorFlow.js ops — the `engine: 'tfjs'` form of
 * `simulateRing` — so the selected tfjs backend (tfjs-node, tfjs-node-gpu, WebGPU, WebGL, wasm,
 * cpu) runs the trials, all of a batch in each op. The equations and the protocol are those of
 * the kernel (csrc/ring.c, docs/models/attractors.md):
 *
 *   I_E = I0_E − G_IE·m_I + G_EE·(W_E r_E) + cue − erase
 *   r_E ← r_E + (f(I_E) − r_E + s_E ξ [+ I_m])·dt/τ_E                 (s = σ/√dt: `ringNoisePerStep`)
 *   m_I ← m_I + (f(G_EI⟨r_E⟩ − G_II m_I + I0_I) − m_I + s_I ξ_I/√N_I)·dt/τ_I
 *   I_m ← I_m + (a·r_E/(1 + e^{−β(r_E − θ)}) − I_m)·dt/τ_m           (decaying model; β, θ: the gate's slope and threshold)
 *
 * The transfer and the leaky Euler steps are core-neuron's (`brunel`, `leakyEulerStep`).
 * Noise is drawn in JavaScript from the same per-trial streams as the kernel (`trial<k>` forks:
 * N draws for the E units, then one for the I mean, each step), so both engines see the same
 * noise; they differ only by float rounding, and agree in distribution (tests). It records what
 * the kernel records: the response, the delay rates, the decoded angle per record bin, the rates
 * of recorded units (with the read-out excluding them, as the kernel's) and full traces.
 */
import { brunel, brunelScalar, leakyEulerStep } from '@wmkit/core-neuron';
import { type Rng, ShapeError, type Tensor, tf } from '@wmkit/tensor';
import { type RingModelParams, ringNoisePerStep } from './params';
import { ringProtocol } from './protocol';
import { type RingSimulation, type RingSimulationOptions, trialCues } from './ring';
import { blockConnectivity, cueStimulus, fourierConnectivity, neuronAngles } from './ring-structure';

/** `simulateRing` on TensorFlow.js ops (same options, same result). */
export function simulateRingTfjs(p: RingModelParams, o: RingSimulationOptions, rng: Rng): RingSimulation {
  const N = p.NE;
  const B = o.trials;
  if (!Number.isInteger(B) || B < 1) throw new ShapeError(`simulateRing: trials (${B}) must be a positive integer`);
  const nCues = o.nCues ?? 8;
  const pr = ringProtocol(p, o.delayMs);
  const recEvery = Math.max(1, Math.round((o.recordEveryMs ?? 50) / p.dtMs));
  const nRec = Math.floor(pr.steps / recEvery);
  const { cue, cueAngle } = trialCues(o, B, nCues);
  const nUnits = o.recordUnits?.perTrial ?? 0;
  const units = o.recordUnits?.units ?? new Int32Array(0);
  if (o.recordUnits && units.length !== B * nUnits)
    throw new ShapeError(`simulateRing: recordUnits has ${units.length} entries, expected trials × perTrial = ${B * nUnits}`);
  if (units.some((u) => u < 0 || u >= N)) throw new ShapeError(`simulateRing: recorded units must be in 0..${N - 1}`);
  const exclude = nUnits > 0 && o.excludeRecordedFromReadout !== false;
  const traceTrials = Math.min(o.traceTrials ?? 0, B);
  const unitRates = nUnits ? new Float32Array(B * nUnits * nRec) : null;
  const traces = traceTrials ? new Float32Array(traceTrials * nRec * N) : null;
  const th = neuronAngles(p);
  const cosTh = Float32Array.from(th, Math.cos);
  const sinTh = Float32Array.from(th, Math.sin);
  const streams = Array.from({ length: B }, (_, b) => rng.fork(`trial${(o.firstTrial ?? 0) + b}`));
  const response = new Float32Array(B);
  const delayRates = new Float32Array(B * N);
  const angles = new Float32Array(B * nRec);
  const kE = p.dtMs / p.tauEMs;
  const kI = p.dtMs / p.tauIMs;
  const kM = p.intrinsic ? p.dtMs / p.intrinsic.tauMs : 0;
  const aM = p.intrinsic?.a ?? 0;
  const gateSlope = p.intrinsic?.gateSlope ?? 0;
  const gateThreshold = p.intrinsic?.gateThreshold ?? 0;
  const { sigE, sigI } = ringNoisePerStep(p);
  const sqrtNI = Math.sqrt(p.NI);
  // population vector, without the trial's recorded units when they are excluded from the read-out
  const decode = (r: Float32Array, b: number) => {
    let c = 0;
    let s = 0;
    for (let j = 0; j < N; j++) {
      c += (r[b * N + j] as number) * (cosTh[j] as number);
      s += (r[b * N + j] as number) * (sinTh[j] as number);
    }
    if (exclude)
      for (let u = 0; u < nUnits; u++) {
        const j = units[b * nUnits + u] as number;
        c -= (r[b * N + j] as number) * (cosTh[j] as number);
        s -= (r[b * N + j] as number) * (sinTh[j] as number);
      }
    return Math.atan2(s, c);
  };
  // the recurrent E input W_E r as two thin products, from the connectivity's structure
  const fourier = p.connectivity.kind === 'circulant' ? fourierConnectivity(p) : null;
  const block = p.connectivity.kind === 'discrete' ? blockConnectivity(p) : null;
  // created outside any tidy: they live until disposed at the end
  const consts = (() => {
    const stim = new Float32Array(B * N);
    for (let b = 0; b < B; b++) stim.set(cueStimulus(p, cueAngle[b] as number), b * N);
    let left: Tensor | null = null;
    let right: Tensor | null = null;
    if (fourier) {
      const nb = fourier.nBasis;
      const basisT = new Float32Array(N * nb); // [N, nBasis]
      for (let q = 0; q < nb; q++) for (let j = 0; j < N; j++) basisT[j * nb + q] = fourier.basis[q * N + j] as number;
      left = tf.tensor2d(basisT, [N, nb]);
      right = tf.tensor2d(fourier.basisW, [fourier.nBasis, N]);
    } else if (block) {
      const P = block.nPops;
      const onehot = new Float32Array(N * P);
      const M = new Float32Array(P * N);
      for (let j = 0; j < N; j++) {
        const a = block.pop[j] as number;
        onehot[j * P + a] = 1;
        for (let c = 0; c < P; c++) M[c * N + j] = block.popW[a * P + c] as number;
      }
      left = tf.tensor2d(onehot, [N, P]);
      right = tf.tensor2d(M, [P, N]);
    }
    return { stim: tf.tensor2d(stim, [B, N]), left, right };
  })();
  let rE = tf.zeros([B, N]);
  let Im: Tensor | null = p.intrinsic ? tf.zeros([B, N]) : null;
  const mI = new Float64Array(B);
  const noise = new Float32Array(B * N);
  const noiseI = new Float64Array(B);
  const progressEvery = Math.max(1, Math.floor(pr.steps / 100));
  let rNow: Float32Array = new Float32Array(B * N); // r_E before this step's update (read back once per step)
  for (let i = 1; i <= pr.steps; i++) {
    const cueOn = i > pr.stimOn && i < pr.stimOff;
    const erase = i > pr.eraseOn && i < pr.eraseOff;
    const inWin = i > pr.delayEnd - pr.delayWin && i <= pr.delayEnd;
    // noise first, per trial in the kernel's order: N draws for E, then one for the I mean
    for (let b = 0; b < B; b++) {
      const g = streams[b] as Rng;
      noise.set(g.normal(N), b * N);
      noiseI[b] = g.normal(1)[0] as number;
    }
    if (inWin) for (let q = 0; q < B * N; q++) delayRates[q] = (delayRates[q] as number) + (rNow[q] as number) / pr.delayWin;
    const base = new Float32Array(B);
    for (let b = 0; b < B; b++) {
      let mean = 0;
      for (let j = 0; j < N; j++) mean += rNow[b * N + j] as number;
      mean /= N;
      base[b] = p.I0E - p.GIE * (mI[b] as number) - (erase ? p.eraseAmp : 0);
      const II = p.GEI * mean - p.GII * (mI[b] as number) + p.I0I;
      mI[b] = (mI[b] as number) + (brunelScalar(II) - (mI[b] as number) + (sigI * (noiseI[b] as number)) / sqrtNI) * kI;
    }
    const next = tf.tidy(() => {
      let ie: Tensor = tf.tensor2d(base, [B, 1]);
      if (consts.left && consts.right) ie = tf.add(ie, tf.mul(p.GEE, tf.matMul(tf.matMul(rE, consts.left), consts.right)));
      if (cueOn) ie = tf.add(ie, consts.stim);
      // leaky integration towards f(I_E) + noise [+ I_m] (core-neuron's Euler step)
      let target = tf.add(brunel(ie), tf.mul(sigE, tf.tensor2d(noise, [B, N])));
      let ImNext: Tensor | null = null;
      if (Im) {
        target = tf.add(target, Im);
        const gate = tf.div(rE, tf.add(1, tf.exp(tf.mul(-gateSlope, tf.sub(rE, gateThreshold)))));
        ImNext = leakyEulerStep(Im, tf.mul(aM, gate), kM);
      }
      const r = leakyEulerStep(rE, target, kE);
      return ImNext ? [r, ImNext] : [r];
    });
    rE.dispose();
    rE = next[0] as Tensor;
    if (Im) {
      Im.dispose();
      Im = next[1] as Tensor;
    }
    const recBin = Math.floor((i - 1) / recEvery);
    const binEnd = i % recEvery === 0;
    const r = rE.dataSync() as Float32Array;
    rNow = r;
    if (unitRates && recBin < nRec)
      for (let b = 0; b < B; b++)
        for (let u = 0; u < nUnits; u++) {
          const q = (b * nUnits + u) * nRec + recBin;
          unitRates[q] = (unitRates[q] as number) + (r[b * N + (units[b * nUnits + u] as number)] as number) / recEvery;
        }
    if (i === pr.delayEnd - 1 || (binEnd && recBin < nRec)) {
      for (let b = 0; b < B; b++) {
        const a = decode(r, b);
        if (i === pr.delayEnd - 1) response[b] = a;
        if (binEnd && recBin < nRec) angles[b * nRec + recBin] = a;
      }
      if (traces && binEnd && recBin < nRec)
        for (let b = 0; b < traceTrials; b++) traces.set(r.subarray(b * N, (b + 1) * N), (b * nRec + recBin) * N);
    }
    if (i % progressEvery === 0) o.onProgress?.(i / pr.steps);
  }
  rE.dispose();
  Im?.dispose();
  consts.stim.dispose();
  consts.left?.dispose();
  consts.right?.dispose();
  return {
    trials: B,
    nCues,
    cue,
    cueAngle,
    response,
    delayRates: { data: delayRates, shape: [B, N] },
    angles: { data: angles, shape: [B, nRec] },
    recordTimesMs: Float32Array.from({ length: nRec }, (_, r) => (r + 1) * recEvery * p.dtMs),
    unitRates: unitRates ? { data: unitRates, shape: [B, nUnits, nRec] } : null,
    traces: traces ? { data: traces, shape: [traceTrials, nRec, N] } : null,
    neuronAngles: Float32Array.from(th),
    periods: pr.periods,
  };
}
