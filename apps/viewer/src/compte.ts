/**
 * A Compte et al. 2000 spiking-ring run (`wmkit simulate compte2000`, `wmkit reproduce
 * compte2000`): the raster of the first trial with the E cells ordered by preferred angle (the
 * bump is a band of spikes at the cue's angle) and the I cells below, and the population-vector
 * angle decoded from the E spikes over time, every trial, with the cue (and any distractor).
 */
import { api, type RunDetail, toNumbers } from './api';
import { el, Plot, panel, raster } from './plots';

type Panel = Promise<HTMLElement | null>;

interface CompteRunConfig {
  NE: number;
  NI: number;
  binMs?: number;
  protocol: {
    preCueMs: number;
    cueMs: number;
    delayMs: number;
    cueAngleDeg: number;
    distractor?: { angleDeg: number; onsetMs: number; durationMs: number } | null;
  };
}

/** True for the run kinds this view draws. */
export const isCompteRun = (r: RunDetail): boolean => r.kind === 'compte2000.simulate' || r.kind === 'compte2000.reproduce';

/** The network and protocol a compte run recorded: run.json config (simulate) or config.model (reproduce). */
function compteConfigOf(r: RunDetail): CompteRunConfig | null {
  const c = r.config as (CompteRunConfig & { model?: CompteRunConfig }) | null;
  const m = c?.model ?? c;
  return m && typeof m.NE === 'number' && typeof m.NI === 'number' && m.protocol ? m : null;
}

const has = (r: RunDetail, ...names: string[]) => names.every((n) => r.arrays.some((a) => a.name === n));
const wrapDeg = (d: number) => ((d % 360) + 360) % 360;

/** Time marks of the protocol: the cue (and distractor) periods shaded. */
function periodMarks(c: CompteRunConfig, y: [number, number]): Plot.Markish[] {
  const p = c.protocol;
  const cueOff = p.preCueMs + p.cueMs;
  const spans = [{ x1: p.preCueMs, x2: cueOff, what: 'cue' }];
  if (p.distractor)
    spans.push({ x1: cueOff + p.distractor.onsetMs, x2: cueOff + p.distractor.onsetMs + p.distractor.durationMs, what: 'distractor' });
  return [
    Plot.rectX(spans, {
      x1: 'x1',
      x2: 'x2',
      y1: y[0],
      y2: y[1],
      fill: (d: { what: string }) => (d.what === 'cue' ? '#ffd54f' : '#90caf9'),
      fillOpacity: 0.35,
    }),
  ];
}

/** Raster of trial 1: E cells by preferred angle, then the I cells. */
export async function compteRaster(r: RunDetail): Panel {
  const c = compteConfigOf(r);
  if (!isCompteRun(r) || !c || !has(r, 'raster_times_ms', 'raster_cells')) return null;
  const [t, cells] = await Promise.all(['raster_times_ms', 'raster_cells'].map((n) => api.npy(r.path, `${n}.npy`).then(toNumbers)));
  const p = c.protocol;
  const tMax = p.preCueMs + p.cueMs + p.delayMs;
  const eT: number[] = [];
  const eDeg: number[] = [];
  const iT: number[] = [];
  const iCell: number[] = [];
  for (let k = 0; k < t.length; k++) {
    if (cells[k] < c.NE) {
      eT.push(t[k]);
      eDeg.push((360 * cells[k]) / c.NE);
    } else {
      iT.push(t[k]);
      iCell.push(cells[k] - c.NE);
    }
  }
  const eFig = raster(eT, eDeg, {
    nUnits: 360,
    tMin: 0,
    tMax,
    xLabel: 'time (ms)',
    yLabel: 'E cell, preferred angle (deg)',
    color: '#b71c1c',
  });
  const iFig = raster(iT, iCell, { nUnits: c.NI, tMin: 0, tMax, xLabel: 'time (ms)', yLabel: 'I cell', color: '#0d47a1' });
  const rate = (n: number, cellsN: number) => ((1000 * n) / (cellsN * tMax)).toFixed(2);
  const box = el('div', { class: 'compte-raster' }, eFig, iFig);
  return panel(
    'Spike raster, trial 1 (E cells by preferred angle; I cells)',
    box,
    `${eT.length.toLocaleString()} E spikes (${rate(eT.length, c.NE)} Hz per cell) and ${iT.length.toLocaleString()} I spikes (${rate(iT.length, c.NI)} Hz) of ${c.NE} E + ${c.NI} I cells; cue at ${p.cueAngleDeg}° from ${p.preCueMs} to ${p.preCueMs + p.cueMs} ms${p.distractor ? `, distractor at ${p.distractor.angleDeg}°` : ''}.`,
  );
}

/** Population-vector angle of the E spikes per decoding bin, every trial (trial 1 highlighted). */
export async function compteDecoded(r: RunDetail): Panel {
  const c = compteConfigOf(r);
  if (!isCompteRun(r) || !c || !has(r, 'decoded_angle', 'record_times_ms')) return null;
  const [dec, ends] = await Promise.all(['decoded_angle', 'record_times_ms'].map((n) => api.npy(r.path, `${n}.npy`).then(toNumbers)));
  const nBins = ends.length;
  const trials = Math.floor(dec.length / nBins);
  const binMs = c.binMs ?? (nBins > 1 ? ends[1] - ends[0] : 200);
  const rows: { t: number; deg: number; trial: number }[] = [];
  for (let k = 0; k < trials; k++)
    for (let b = 0; b < nBins; b++) {
      const v = dec[k * nBins + b];
      if (Number.isFinite(v)) rows.push({ t: ends[b] - binMs / 2, deg: wrapDeg((v * 180) / Math.PI), trial: k + 1 });
    }
  const p = c.protocol;
  const tMax = p.preCueMs + p.cueMs + p.delayMs;
  const first = rows.filter((x) => x.trial === 1);
  const others = rows.filter((x) => x.trial !== 1);
  const fig = Plot.plot({
    width: 760,
    height: 300,
    marginLeft: 60,
    x: { label: 'time (ms)', domain: [0, tMax] },
    y: { label: 'decoded angle (deg)', domain: [0, 360], ticks: [0, 90, 180, 270, 360], grid: true },
    marks: [
      ...periodMarks(c, [0, 360]),
      Plot.ruleY([p.cueAngleDeg], { stroke: '#f9a825', strokeDasharray: '4,3' }),
      ...(p.distractor ? [Plot.ruleY([p.distractor.angleDeg], { stroke: '#1e88e5', strokeDasharray: '4,3' })] : []),
      Plot.dot(others, { x: 't', y: 'deg', r: 1.5, fill: '#9e9e9e', fillOpacity: 0.6 }),
      Plot.line(first, { x: 't', y: 'deg', stroke: 'black', strokeWidth: 1.5 }),
      Plot.dot(first, { x: 't', y: 'deg', r: 2.5, fill: 'black', channels: { trial: 'trial' }, tip: true }),
    ],
  });
  return panel(
    'Decoded angle over time',
    fig,
    `Population vector of the E spike counts in ${binMs}-ms bins: trial 1 (black) and the other ${trials - 1} trial${trials === 2 ? '' : 's'} (grey); dashed: the cue (${p.cueAngleDeg}°)${p.distractor ? ` and the distractor (${p.distractor.angleDeg}°)` : ''}; shaded: the stimuli. Bins without E spikes are left out.`,
  );
}
