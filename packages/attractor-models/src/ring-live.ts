/**
 * One ring network stepped by the caller — for live displays (the web viewer) and for scripts
 * that drive the cue themselves. The same equations as `simulateRing` (Euler, dt of the model),
 * with the dense E→E product and the inhibitory population through its mean (exactly equal in
 * distribution to N_I units with independent noise; see ring.ts).
 */
import { brunelScalar } from '@wmkit/core-neuron';
import type { Rng } from '@wmkit/tensor';
import { intrinsicGate, type RingModelParams, ringNoisePerStep } from './params';
import { cueStimulus, denseConnectivity, neuronAngles, populationVectorDecode } from './ring-structure';

/** One ring network stepped by the caller (live displays, scripts that drive the cue themselves), with the equations of `simulateRing`. */
export class RingLive {
  readonly N: number;
  /** E rates. */
  readonly rE: Float64Array;
  /** Mean inhibitory rate. */
  rI = 0;
  readonly Im: Float64Array;
  readonly angles: Float64Array;
  timeMs = 0;
  private readonly W: Float64Array;
  private readonly IE: Float64Array;
  private readonly noise: Float32Array;
  private stim: Float64Array | null = null;
  private stimAngle = Number.NaN;

  constructor(
    readonly params: RingModelParams,
    private readonly rng: Rng,
  ) {
    this.N = params.NE;
    this.rE = new Float64Array(this.N);
    this.Im = new Float64Array(this.N);
    this.W = denseConnectivity(params);
    this.angles = neuronAngles(params);
    this.IE = new Float64Array(this.N);
    this.noise = new Float32Array(this.N);
  }

  /**
   * Advances `steps` Euler steps. `cue`: the angle of a cue shown during these steps (null: none);
   * `erase`: apply the erase input. `noiseScale` multiplies the noise of both populations (1: the model's noise).
   */
  step(steps: number, o: { cue?: number | null; erase?: boolean; noiseScale?: number; gEE?: number } = {}): void {
    const p = this.params;
    const N = this.N;
    const kE = p.dtMs / p.tauEMs;
    const kI = p.dtMs / p.tauIMs;
    const kM = p.intrinsic ? p.dtMs / p.intrinsic.tauMs : 0;
    const gEE = o.gEE ?? p.GEE;
    const ns = o.noiseScale ?? 1;
    const { sigE, sigI } = ringNoisePerStep(p);
    if (o.cue != null && o.cue !== this.stimAngle) {
      this.stim = cueStimulus(p, o.cue);
      this.stimAngle = o.cue;
    }
    for (let s = 0; s < steps; s++) {
      this.rng.fillNormal(this.noise, 0, sigE * ns);
      let meanE = 0;
      for (let j = 0; j < N; j++) meanE += this.rE[j];
      meanE /= N;
      for (let r = 0; r < N; r++) {
        let acc = 0;
        if (gEE) {
          const row = r * N;
          for (let j = 0; j < N; j++) acc += this.W[row + j] * this.rE[j];
        }
        let I = gEE * acc + p.I0E - p.GIE * this.rI;
        if (o.cue != null && this.stim) I += this.stim[r];
        if (o.erase) I -= p.eraseAmp;
        this.IE[r] = I;
      }
      const II = p.GEI * meanE - p.GII * this.rI + p.I0I;
      for (let j = 0; j < N; j++) {
        let drive = brunelScalar(this.IE[j]) - this.rE[j] + this.noise[j];
        if (p.intrinsic) {
          drive += this.Im[j];
          this.Im[j] += (p.intrinsic.a * intrinsicGate(this.rE[j], p.intrinsic) - this.Im[j]) * kM;
        }
        this.rE[j] = this.rE[j] + drive * kE;
      }
      const noiseI = (this.rng.normal1() * sigI * ns) / Math.sqrt(p.NI);
      this.rI += (brunelScalar(II) - this.rI + noiseI) * kI;
      this.timeMs += p.dtMs;
    }
  }

  /** Population-vector estimate of the remembered angle (rad, in (−π, π]). */
  decode(): number {
    return populationVectorDecode(this.rE, this.angles);
  }

  /** Puts the network back at rest. */
  reset(): void {
    this.rE.fill(0);
    this.Im.fill(0);
    this.rI = 0;
    this.timeMs = 0;
  }
}
