/** Figures of the Compte et al. 2000 spiking ring: raster, bump heat map, rate profile, drift, distractor curve. */
import type { BumpProfile, CompteDrift, CompteRaster, CompteSimulation, DistractorResult } from '@wmkit/attractor-models';
import { bumpHeatmapSvg } from './attractors';
import { rasterSvg } from './ei-rnn';
import { legendMarks, Plot, plotSvg } from './plot';

/** Spikes of one trial: every I cell, and E cells thinned to at most 512 rows (cell order = angle). */
export function compteRasterSvg(sim: CompteSimulation, raster: CompteRaster): string {
  const { NE, NI } = sim.config;
  const stride = Math.max(1, Math.ceil(NE / 512));
  const rowsE = Math.ceil(NE / stride);
  const spikes: { unit: number; timeMs: number; inhibitory: boolean }[] = [];
  for (let k = 0; k < raster.cells.length; k++) {
    const c = raster.cells[k];
    if (c < NE) {
      if (c % stride === 0) spikes.push({ unit: c / stride, timeMs: raster.timesMs[k], inhibitory: false });
    } else spikes.push({ unit: rowsE + (c - NE), timeMs: raster.timesMs[k], inhibitory: true });
  }
  const periods = sim.protocol.periods.filter((p) => p.name === 'cue').map((p) => ({ ...p, name: 'stimulus' }));
  return rasterSvg(spikes, periods, {
    title: `Trial ${raster.trial}: E cells by preferred angle (0–360°${stride > 1 ? `, every ${stride}th` : ''}), then I cells`,
    units: rowsE + NI,
    durationMs: sim.protocol.durationMs,
  });
}

/** E rates of one trial per decoding bin × cell angle, with the decoded angle. */
export function compteHeatmapSvg(sim: CompteSimulation, trial: number): string {
  const [, nBins, N] = sim.countsE.shape;
  const rates = new Float32Array(nBins * N);
  const toHz = 1000 / sim.config.binMs;
  for (let k = 0; k < nBins * N; k++) rates[k] = sim.countsE.data[trial * nBins * N + k] * toHz;
  const starts = Array.from(sim.protocol.binEdgesMs.subarray(0, nBins));
  const decoded = Array.from(sim.decodedDeg.data.subarray(trial * nBins, (trial + 1) * nBins));
  return bumpHeatmapSvg(
    rates,
    nBins,
    N,
    starts,
    Array.from(sim.cellAnglesDeg),
    decoded,
    `Trial ${trial}: E rates (Hz, ${sim.config.binMs}-ms bins), cue at ${sim.config.protocol.cueAngleDeg}°`,
    sim.protocol.periods,
  );
}

/** The aligned bump profile with its peak, floor and half-maximum width. */
export function bumpProfileSvg(p: BumpProfile, title: string): string {
  const rows = Array.from(p.offsetsDeg, (x, i) => ({ x, r: p.rateHz[i] }));
  const half = p.floorHz + (p.peakHz - p.floorHz) / 2;
  return plotSvg({
    title,
    width: 600,
    height: 300,
    marginLeft: 50,
    x: { label: 'angle from the decoded centre (deg)', domain: [-180, 180] },
    y: { label: 'E rate (Hz)', grid: true },
    marks: [
      Plot.line(rows, { x: 'x', y: 'r', stroke: '#1f3d7a' }),
      Plot.ruleY([p.floorHz], { stroke: '#999', strokeDasharray: '3,3' }),
      Plot.ruleX([-p.fwhmDeg / 2, p.fwhmDeg / 2], { y1: p.floorHz, y2: half, stroke: '#d62728' }),
      Plot.ruleY([half], { x1: -p.fwhmDeg / 2, x2: p.fwhmDeg / 2, stroke: '#d62728' }),
      ...legendMarks([
        { label: `peak ${p.peakHz.toFixed(1)} Hz, floor ${p.floorHz.toFixed(1)} Hz`, color: '#1f3d7a' },
        { label: `FWHM ${p.fwhmDeg.toFixed(0)}°`, color: '#d62728' },
      ]),
    ],
  });
}

/** Across-trial variance of the decoded angle per delay bin, with the least-squares lines. */
export function compteDriftSvg(d: CompteDrift, title: string): string {
  const rows = d.timesMs.map((t, i) => ({ t, v: d.varianceDeg2[i] }));
  const line = (f: { slope: number; intercept: number; fromMs: number }, color: string) =>
    Plot.line(
      [f.fromMs, d.timesMs[d.timesMs.length - 1]].map((t) => ({ t, v: f.intercept + (f.slope * t) / 1000 })),
      { x: 't', y: 'v', stroke: color, strokeDasharray: '4,3' },
    );
  return plotSvg({
    title,
    width: 600,
    height: 300,
    marginLeft: 60,
    x: { label: 'time after the cue offset (ms)' },
    y: { label: 'variance of the decoded angle (deg²)', grid: true },
    marks: [
      Plot.dot(rows, { x: 't', y: 'v', fill: '#1f3d7a' }),
      line(d.all, '#1f3d7a'),
      ...(d.late ? [line(d.late, '#d62728')] : []),
      ...legendMarks([
        { label: `all bins: ${d.all.slope.toFixed(0)} deg²/s (r² ${d.all.r2.toFixed(2)})`, color: '#1f3d7a' },
        ...(d.late ? [{ label: `from 0.5 s: ${d.late.slope.toFixed(0)} deg²/s (r² ${d.late.r2.toFixed(2)})`, color: '#d62728' }] : []),
      ]),
    ],
  });
}

const AMP_COLORS = ['#2ca02c', '#ff7f0e', '#d62728', '#9467bd', '#1f77b4'];

/** Mean shift of the memory towards the distractor (fraction of the distance) vs distance, one line per amplitude. */
export function distractorCurveSvg(rows: DistractorResult[], title: string): string {
  const amps = [...new Set(rows.map((r) => r.ampNa))];
  const color = (a: number) => AMP_COLORS[amps.indexOf(a) % AMP_COLORS.length];
  return plotSvg({
    title,
    width: 600,
    height: 320,
    marginLeft: 60,
    x: { label: 'distractor distance from the cue (deg)' },
    y: { label: 'shift towards the distractor (fraction)', grid: true, domain: [-0.2, 1.1] },
    marks: [
      Plot.ruleY([0, 1], { stroke: '#bbb' }),
      Plot.line(rows, { x: 'distanceDeg', y: 'meanFraction', z: 'ampNa', stroke: (d: DistractorResult) => color(d.ampNa) }),
      Plot.dot(rows, { x: 'distanceDeg', y: 'meanFraction', fill: (d: DistractorResult) => color(d.ampNa) }),
      ...legendMarks(amps.map((a) => ({ label: `${a} nA`, color: color(a) }))),
    ],
  });
}
