/**
 * What Compte et al. 2000 measure on the network (their Figs. 2–6), computed from a
 * `CompteSimulation`:
 *  - population rates in a window (baseline: [0.5, 1) s) per population, Hz;
 *  - the bump profile: E rates in the bins from `alignFromMs` after the cue offset to the end of
 *    the delay, each trial × bin shifted so its decoded angle sits at 0°, averaged, box-smoothed
 *    over N_E/64 cells; peak, floor (mean over |Δθ| > 90°) and full width at half maximum above
 *    the floor;
 *  - drift: the across-trial variance of the decoded angle (about its circular mean) per bin and
 *    its least-squares growth in deg²/s, over the whole delay and from 0.5 s after the cue
 *    offset (the first ≈ 0.5 s is relaxation after the cue);
 *  - a distractor's effect: how far the memory moved towards the distractor.
 */
import { bumpDiffusion } from '@wmkit/analysis';
import { ShapeError } from '@wmkit/tensor';
import type { CompteSimulation } from './simulate';

const wrap180 = (d: number) => ((((d + 180) % 360) + 360) % 360) - 180;

/** Mean population rates (Hz) of E and I over [fromMs, toMs) across trials. */
export function compteWindowRates(sim: CompteSimulation, fromMs: number, toMs: number): { E: number; I: number } {
  const [B, nPop] = sim.popRateE.shape;
  const a = Math.max(0, Math.round(fromMs / sim.popBinMs));
  const b = Math.min(nPop, Math.round(toMs / sim.popBinMs));
  if (b <= a) throw new ShapeError(`compteWindowRates: window ${fromMs}–${toMs} ms holds no ${sim.popBinMs}-ms bin of the trial`);
  let e = 0;
  let i = 0;
  for (let t = 0; t < B; t++)
    for (let k = a; k < b; k++) {
      e += sim.popRateE.data[t * nPop + k];
      i += sim.popRateI.data[t * nPop + k];
    }
  return { E: e / (B * (b - a)), I: i / (B * (b - a)) };
}

/** E rate profile (Hz) aligned on the decoded bump centre, with its peak, floor and width. */
export interface BumpProfile {
  /** Angle relative to the decoded centre (degrees), N_E values from −180°. */
  offsetsDeg: Float64Array;
  rateHz: Float64Array;
  peakHz: number;
  floorHz: number;
  /** Full width at half maximum above the floor (degrees). */
  fwhmDeg: number;
  /** Bins averaged (trials × bins with a decoded angle). */
  samples: number;
}

/** Bins whose start lies in [fromMs, toMs]: indices into the decoding bins. */
export function binsBetween(sim: CompteSimulation, fromMs: number, toMs: number): number[] {
  const e = sim.protocol.binEdgesMs;
  const out: number[] = [];
  for (let k = 0; k < sim.protocol.nBins; k++) if (e[k] >= fromMs - 1e-9 && e[k + 1] <= toMs + 1e-9) out.push(k);
  return out;
}

/** Aligned, smoothed E rate profile of `trials` (default all) over `bins` (default: 200 ms after cue offset to the end of the delay). */
export function bumpProfile(sim: CompteSimulation, o: { trials?: number[]; bins?: number[]; smoothCells?: number } = {}): BumpProfile {
  const [B, nBins, N] = sim.countsE.shape;
  const bins = o.bins ?? binsBetween(sim, sim.protocol.cueOffMs + 200, sim.protocol.delayEndMs);
  const trials = o.trials ?? Array.from({ length: B }, (_, t) => t);
  const acc = new Float64Array(N);
  let samples = 0;
  for (const t of trials)
    for (const k of bins) {
      const th = sim.decodedDeg.data[t * nBins + k];
      if (!Number.isFinite(th)) continue;
      const shift = Math.round((th / 360) * N);
      const o0 = (t * nBins + k) * N;
      // cell (shift + j) goes to offset j, stored at index j + N/2
      for (let j = 0; j < N; j++) acc[(j + (N >> 1)) % N] += sim.countsE.data[o0 + ((((shift + j) % N) + N) % N)];
      samples++;
    }
  const binS = sim.config.binMs / 1000;
  const raw = acc.map((v) => (samples ? v / samples / binS : 0));
  const w = Math.max(1, o.smoothCells ?? Math.round(N / 64));
  const rate = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let k = 0; k < w; k++) s += raw[(i - (w >> 1) + k + N) % N];
    rate[i] = s / w;
  }
  const offsetsDeg = Float64Array.from({ length: N }, (_, i) => ((i - (N >> 1)) * 360) / N);
  let peak = Number.NEGATIVE_INFINITY;
  let ip = 0;
  for (let i = 0; i < N; i++)
    if (rate[i] > peak) {
      peak = rate[i];
      ip = i;
    }
  let fs = 0;
  let fn = 0;
  for (let i = 0; i < N; i++)
    if (Math.abs(offsetsDeg[i]) > 90) {
      fs += rate[i];
      fn++;
    }
  const floor = fs / fn;
  const half = floor + (peak - floor) / 2;
  // contiguous extent above half maximum around the peak, edges interpolated linearly
  const edge = (dir: 1 | -1) => {
    let k = 0;
    while (k < N && rate[(ip + dir * (k + 1) + N * 2) % N] > half) k++;
    if (k >= N - 1) return N / 2;
    const a = rate[(ip + dir * k + N * 2) % N];
    const b = rate[(ip + dir * (k + 1) + N * 2) % N];
    return k + (a - half) / (a - b);
  };
  const fwhm = peak > floor ? ((edge(1) + edge(-1)) * 360) / N : 0;
  return { offsetsDeg, rateHz: rate, peakHz: peak, floorHz: floor, fwhmDeg: Math.min(360, fwhm), samples };
}

/** Per trial: does its own aligned profile hold a bump (peak − floor > `minHz`, default 10 Hz)? */
export function trialsHoldingBump(sim: CompteSimulation, minHz = 10): boolean[] {
  return Array.from({ length: sim.trials }, (_, t) => {
    const p = bumpProfile(sim, { trials: [t] });
    return p.samples > 0 && p.peakHz - p.floorHz > minHz;
  });
}

/** Least-squares line through the across-trial variance of the decoded angle against time. */
export interface DriftFit {
  /** deg²/s */
  slope: number;
  intercept: number;
  r2: number;
  fromMs: number;
}

/** Diffusion of the remembered angle over the delay: variance per bin, its slopes and the MSD slope. */
export interface CompteDrift {
  /** Bin centres (ms after the cue offset) of the delay bins. */
  timesMs: number[];
  /** Across-trial variance of θ̂ about its circular mean (deg²), per delay bin. */
  varianceDeg2: number[];
  all: DriftFit;
  /** From 0.5 s after the cue offset. */
  late: DriftFit | null;
  /** Mean squared displacement from each trial's first delay bin (deg²/s slope), through @wmkit/analysis bumpDiffusion. */
  msdSlope: number;
  msdR2: number;
}

function ols(x: number[], y: number[], fromMs: number): DriftFit {
  const n = x.length;
  const mx = x.reduce((a, v) => a + v, 0) / n;
  const my = y.reduce((a, v) => a + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: syy > 0 ? (sxy * sxy) / (sxx * syy) : 0, fromMs };
}

/** Drift of the decoded angle across trials over the delay; null with fewer than 2 trials or 3 delay bins. */
export function compteDrift(sim: CompteSimulation): CompteDrift | null {
  const [B, nBins] = sim.decodedDeg.shape;
  const bins = binsBetween(sim, sim.protocol.cueOffMs, sim.protocol.delayEndMs);
  if (B < 2 || bins.length < 3) return null;
  const e = sim.protocol.binEdgesMs;
  const times: number[] = [];
  const variance: number[] = [];
  for (const k of bins) {
    let x = 0;
    let y = 0;
    const th: number[] = [];
    for (let t = 0; t < B; t++) {
      const a = sim.decodedDeg.data[t * nBins + k];
      if (!Number.isFinite(a)) continue;
      th.push(a);
      x += Math.cos((a * Math.PI) / 180);
      y += Math.sin((a * Math.PI) / 180);
    }
    if (th.length < 2) continue;
    const m = (Math.atan2(y, x) * 180) / Math.PI;
    times.push((e[k] + e[k + 1]) / 2 - sim.protocol.cueOffMs);
    variance.push(th.reduce((s, a) => s + wrap180(a - m) ** 2, 0) / th.length);
  }
  if (times.length < 3) return null;
  const sec = times.map((t) => t / 1000);
  const lateIdx = times.map((t, i) => (t >= 500 ? i : -1)).filter((i) => i >= 0);
  const late =
    lateIdx.length >= 3
      ? ols(
          lateIdx.map((i) => sec[i]),
          lateIdx.map((i) => variance[i]),
          500,
        )
      : null;
  const rad = new Float32Array(B * bins.length);
  for (let t = 0; t < B; t++)
    bins.forEach((k, j) => {
      const a = sim.decodedDeg.data[t * nBins + k];
      rad[t * bins.length + j] = Number.isFinite(a) ? (a * Math.PI) / 180 : 0;
    });
  const centres = bins.map((k) => (e[k] + e[k + 1]) / 2);
  const msd = bumpDiffusion({ data: rad, shape: [B, bins.length] }, centres, { startMs: centres[0], endMs: centres[centres.length - 1] });
  const toDeg2 = (180 / Math.PI) ** 2;
  return {
    timesMs: times,
    varianceDeg2: variance,
    all: ols(sec, variance, 0),
    late,
    msdSlope: msd.slope * toDeg2,
    msdR2: msd.r2,
  };
}

/** 'lost': no E spike in the end-of-delay bin, so no memory to read out. */
export type DistractorOutcome = 'resist' | 'partial' | 'capture' | 'lost';

/**
 * How far the end-of-delay memory moved towards a distractor: the fraction f of the cue →
 * distractor distance covered (signed along that direction); resist for f < 0.25, capture for
 * f > 0.75, partial shift in between.
 */
export function distractorShift(
  endDeg: number,
  cueDeg: number,
  distractorDeg: number,
): { shiftDeg: number; fraction: number; outcome: DistractorOutcome } {
  const towards = wrap180(distractorDeg - cueDeg);
  const moved = wrap180(endDeg - cueDeg);
  const fraction = towards === 0 ? 0 : moved / towards;
  return {
    shiftDeg: moved,
    fraction,
    outcome: !Number.isFinite(fraction) ? 'lost' : fraction < 0.25 ? 'resist' : fraction > 0.75 ? 'capture' : 'partial',
  };
}

/** Signed error θ̂_end − θ_cue (degrees, (−180, 180]) per trial. */
export function endErrorsDeg(sim: CompteSimulation): Float64Array {
  return sim.endAngleDeg.map((a) => wrap180(a - sim.config.protocol.cueAngleDeg));
}
