/**
 * Parameters of the three firing-rate ring models of Wimmer, Nykamp, Constantinidis &
 * Compte 2014 (Supplementary Codes 1–3). See shared spec attractors.md §1.
 */
export interface RingModelParams {
  /** Excitatory→excitatory coupling (0: no recurrent E→E). */
  GEE: number;
  GEI: number;
  GIE: number;
  GII: number;
  I0E: number;
  I0I: number;
  /** Noise SD per step (not scaled by √dt, as in the scripts). */
  sigmaE: number;
  sigmaI: number;
  /** Stimulus amplitude and concentration: amp·v(θ − θ_cue), v ∝ e^{κ cos}. */
  stimAmp: number;
  stimKappa: number;
}

/** Shared by all three models. */
export const WIMMER2014_COMMON = {
  NE: 512,
  NI: 512,
  cues: 8,
  dtMs: 2,
  tauEMs: 20,
  tauIMs: 10,
  cueOnMs: 1000,
  cueOffMs: 1500,
  /** Delay as in the scripts (the monkeys had 3 s). */
  delayMs: 2000,
  eraseMs: 500,
  /** E→E connectivity concentration of the bump model. */
  kappaEE: 1.5,
} as const;

export const WIMMER2014_MODELS: Record<'bump' | 'discrete' | 'decaying', RingModelParams> = {
  bump: { GEE: 6, GEI: 4, GIE: 3.4, GII: 0.85, I0E: 0.2, I0I: 0.5, sigmaE: 1, sigmaI: 3, stimAmp: 200, stimKappa: 1.5 },
  discrete: { GEE: 2.9, GEI: 4, GIE: 1.2, GII: 1.3, I0E: -1.2, I0I: 0.28, sigmaE: 12, sigmaI: 3, stimAmp: 250, stimKappa: 3 },
  decaying: { GEE: 0, GEI: 4, GIE: 2, GII: 1, I0E: 0.6, I0I: 0.28, sigmaE: 5, sigmaI: 3, stimAmp: 4500, stimKappa: 1 },
};
