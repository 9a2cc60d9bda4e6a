/**
 * Options shared by `wmkit simulate compte2000` and `wmkit reproduce compte2000`: preset, size,
 * `--set path=value` (validated by the model's schema), the distractor, and what a run directory
 * holds (arrays named as `simulate attractor` names them, figures, metrics with units).
 */
import {
  type CompteConfig,
  type CompteSimulation,
  type CompteSummary,
  compteConfig,
  mergeCompteInputs,
  parseCompteConfig,
} from '@wmkit/attractor-models';
import type { RunDirectory } from '@wmkit/data-io/node';
import { bumpProfileSvg, compteDriftSvg, compteHeatmapSvg, compteRasterSvg } from '@wmkit/figures';
import { UsageError } from '../../errors';
import { resolveCommandConfig } from '../../options';

export interface CompteCliOptions {
  preset: string;
  set?: string[];
  size?: string;
  delay?: number;
  distractor?: string;
}

/** `--size 1024` (N_I = N_E/4) or `--size 1024+256`. */
export function parseSize(v: string): { NE: number; NI: number } {
  const m = /^(\d+)(?:\+(\d+))?$/.exec(v.trim());
  if (!m)
    throw new UsageError(`--size: '${v}' is not a network size; give N_E (N_I = N_E/4) or N_E+N_I, e.g. --size 1024 or --size 2048+512`);
  const NE = Number(m[1]);
  const NI = m[2] ? Number(m[2]) : Math.round(NE / 4);
  if (NE < 16 || NI < 1) throw new UsageError(`--size: ${NE}+${NI} is too small (N_E ≥ 16, N_I ≥ 1)`);
  return { NE, NI };
}

/** `--distractor angle,strength,onsetMs` (degrees, nA, ms into the delay; lasts as long as the cue). */
export function parseDistractor(v: string, cueMs: number): NonNullable<CompteConfig['protocol']['distractor']> {
  const parts = v.split(',').map((x) => Number(x.trim()));
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x)))
    throw new UsageError(
      `--distractor: '${v}' must be angle,strength,onsetMs (degrees, nA, ms into the delay), e.g. --distractor 90,0.2,1000`,
    );
  return { angleDeg: parts[0], ampNa: parts[1], onsetMs: parts[2], durationMs: cueMs };
}

/** Preset, then --size/--delay/--distractor, then each --set (validated by the model's schema; unknown fields listed). */
export function resolveCompteConfig(o: CompteCliOptions): CompteConfig {
  const base = compteConfig(o.preset);
  const size = o.size ? parseSize(o.size) : {};
  const cli: Record<string, unknown> = { ...size };
  const protocol: Record<string, unknown> = {};
  if (o.delay != null) protocol.delayMs = o.delay;
  if (o.distractor) protocol.distractor = parseDistractor(o.distractor, base.protocol.cueMs);
  if (Object.keys(protocol).length) cli.protocol = protocol;
  const start = compteConfig(o.preset, mergeCompteInputs(cli));
  return resolveCommandConfig({ set: o.set }, { base: start, parse: (patch, b, where) => parseCompteConfig(patch, b, where) }).config;
}

const rad = (d: number) => (d * Math.PI) / 180;

/** Arrays, figures and metrics of a set of cue-only (or single-distractor) trials. */
export function writeCompteRun(run: RunDirectory, sim: CompteSimulation, s: CompteSummary, seconds: number): Record<string, unknown> {
  const B = sim.trials;
  const nBins = sim.protocol.nBins;
  run.writeArray(
    'cue_angle',
    { data: new Float32Array(B).fill(rad(sim.config.protocol.cueAngleDeg)), shape: [B] },
    { description: 'cue angle (rad)' },
  );
  run.writeArray(
    'response',
    { data: Float32Array.from(sim.endAngleDeg, rad), shape: [B] },
    {
      description: 'decoded angle at the end of the delay (rad; population vector of the last delay bin)',
    },
  );
  run.writeArray(
    'decoded_angle',
    { data: Float32Array.from(sim.decodedDeg.data, rad), shape: [B, nBins] },
    {
      description: `population-vector angle of the E spike counts in each ${sim.config.binMs}-ms bin (rad) [trial, bin]`,
    },
  );
  run.writeArray(
    'record_times_ms',
    { data: Float32Array.from(sim.protocol.binEdgesMs.subarray(1)), shape: [nBins] },
    { description: 'end of each decoding bin (ms)' },
  );
  run.writeArray(
    'neuron_angle',
    { data: Float32Array.from(sim.cellAnglesDeg, rad), shape: [sim.config.NE] },
    { description: 'preferred angle of each E cell (rad)' },
  );
  run.writeArray('spike_counts_e', sim.countsE, { description: 'E spike counts [trial, bin, cell]' });
  run.writeArray('pop_rate_e', sim.popRateE, { description: `E population rate (Hz) in ${sim.popBinMs}-ms bins [trial, bin]` });
  run.writeArray('pop_rate_i', sim.popRateI, { description: `I population rate (Hz) in ${sim.popBinMs}-ms bins [trial, bin]` });
  run.writeArray(
    'bump_profile',
    { data: Float32Array.from(s.bump.rateHz), shape: [sim.config.NE] },
    {
      description: 'aligned, smoothed E rate profile (Hz) from −180° to 180° around the decoded centre',
    },
  );
  const r = sim.rasters[0];
  if (r) {
    run.writeArray(
      'raster_times_ms',
      { data: r.timesMs, shape: [r.timesMs.length] },
      { description: `spike times of trial ${r.trial} (ms)` },
    );
    run.writeArray(
      'raster_cells',
      { data: r.cells, shape: [r.cells.length] },
      { dtype: 'int32', description: 'cell of each spike: E 0..N_E−1, I N_E..' },
    );
    run.addFigure('raster', compteRasterSvg(sim, r), 'spikes of the first trial');
  }
  if (sim.rasters.length > 1) {
    // every kept spike of every trial, in trial order (spike_trial names the trial of each spike)
    const n = sim.rasters.reduce((a, x) => a + x.timesMs.length, 0);
    const times = new Float32Array(n);
    const cells = new Int32Array(n);
    const trial = new Int32Array(n);
    let k = 0;
    for (const x of sim.rasters) {
      times.set(x.timesMs, k);
      cells.set(x.cells, k);
      trial.fill(x.trial, k, k + x.timesMs.length);
      k += x.timesMs.length;
    }
    run.writeArray(
      'spike_time_ms',
      { data: times, shape: [n] },
      { description: 'time of every spike of the kept trials (ms from trial start)' },
    );
    run.writeArray('spike_unit', { data: cells, shape: [n] }, { dtype: 'int32', description: 'cell of each spike: E 0..N_E−1, I N_E..' });
    run.writeArray('spike_trial', { data: trial, shape: [n] }, { dtype: 'int32', description: 'trial of each spike' });
  }
  run.addFigure('bump_trial0', compteHeatmapSvg(sim, 0), 'E rates of trial 0 with the decoded angle');
  if (s.bump.samples > 0)
    run.addFigure('bump_profile', bumpProfileSvg(s.bump, 'Aligned bump profile during the delay'), 'E rates around the decoded centre');
  if (s.drift)
    run.addFigure(
      'drift',
      compteDriftSvg(s.drift, 'Drift of the decoded angle through the delay'),
      'across-trial variance of the decoded angle',
    );
  const simulated = (B * sim.protocol.durationMs) / 1000;
  return {
    trials: B,
    seconds,
    simulatedSeconds: simulated,
    simulatedSecondsPerSecond: simulated / seconds,
    baselineRateEHz: s.baselineHz.E,
    baselineRateIHz: s.baselineHz.I,
    delayRateEHz: s.delayHz.E,
    delayRateIHz: s.delayHz.I,
    bumpPeakRateEHz: s.bump.peakHz,
    bumpFloorRateEHz: s.bump.floorHz,
    bumpWidthFwhmDeg: s.bump.fwhmDeg,
    trialsHoldingBump: s.holdsBump.filter(Boolean).length,
    endErrorDeg: Array.from(s.endErrorDeg),
    driftSlopeDeg2PerS: s.drift?.all.slope ?? null,
    driftR2: s.drift?.all.r2 ?? null,
    driftSlopeLateDeg2PerS: s.drift?.late?.slope ?? null,
    driftR2Late: s.drift?.late?.r2 ?? null,
    msdSlopeDeg2PerS: s.drift?.msdSlope ?? null,
  };
}

export function describeSummary(s: CompteSummary): string {
  const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');
  const errs = Array.from(s.endErrorDeg, (e) => f(e, 0)).slice(0, 8);
  return [
    `  baseline E ${f(s.baselineHz.E, 2)} Hz, I ${f(s.baselineHz.I, 2)} Hz; delay E ${f(s.delayHz.E, 2)} Hz, I ${f(s.delayHz.I, 2)} Hz`,
    `  bump: peak ${f(s.bump.peakHz)} Hz, floor ${f(s.bump.floorHz, 2)} Hz, FWHM ${f(s.bump.fwhmDeg, 0)}°; ${s.holdsBump.filter(Boolean).length}/${s.trials} trials hold a bump`,
    `  end-of-delay error θ̂ − θ_cue (deg): ${errs.join(', ')}${s.trials > 8 ? ', …' : ''}`,
    s.drift
      ? `  drift: variance slope ${f(s.drift.all.slope, 0)} deg²/s (r² ${f(s.drift.all.r2, 2)})${s.drift.late ? `, from 0.5 s ${f(s.drift.late.slope, 0)} deg²/s (r² ${f(s.drift.late.r2, 2)})` : ''}`
      : '  drift: needs ≥ 2 trials and ≥ 3 delay bins',
  ].join('\n');
}
