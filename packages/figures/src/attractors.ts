/** Figures of the ring-attractor reproduction (Wimmer et al. 2014). */
import { legendMarks, Plot, plotSvg, stackedPlotsSvg } from './plot';

/** Colour of each ring model (bump, discrete, decaying) in every attractor figure. */
export const MODEL_COLORS: Record<string, string> = { bump: '#1f77b4', discrete: '#d62728', decaying: '#2ca02c' };

/** Histogram of behavioural errors (degrees) per model. */
export function responseHistogramSvg(errors: { model: string; errorDeg: number }[], title: string): string {
  const models = [...new Set(errors.map((e) => e.model))];
  return stackedPlotsSvg(
    models.map((m, i) => ({
      title: i === 0 ? title : undefined,
      width: 640,
      height: 150,
      marginLeft: 50,
      x: { label: i === models.length - 1 ? 'response − cue (deg)' : null, domain: [-60, 60] },
      y: { label: `${m}: trials`, grid: true },
      marks: [
        Plot.rectY(
          errors.filter((e) => e.model === m && Math.abs(e.errorDeg) <= 60),
          {
            ...Plot.binX({ y: 'count' }, { x: 'errorDeg', thresholds: Array.from({ length: 49 }, (_, k) => -60 + 2.5 * k) }),
            fill: MODEL_COLORS[m] ?? '#555',
          },
        ),
        Plot.ruleY([0]),
      ],
    })),
  );
}

/** E-cell rates of one trial: neuron angle × time, with the decoded angle overlaid. */
export function bumpHeatmapSvg(
  traces: Float32Array,
  nRec: number,
  N: number,
  timesMs: ArrayLike<number>,
  neuronDeg: ArrayLike<number>,
  decodedDeg: ArrayLike<number>,
  title: string,
  periods: { name: string; startMs: number; endMs: number }[],
): string {
  const cells: { t: number; theta: number; r: number }[] = [];
  const stride = Math.max(1, Math.floor(N / 128)); // 128 rows are enough for the eye
  for (let r = 0; r < nRec; r++)
    for (let j = 0; j < N; j += stride) cells.push({ t: timesMs[r], theta: neuronDeg[j], r: traces[r * N + j] });
  const path = Array.from({ length: nRec }, (_, r) => ({ t: timesMs[r], theta: ((decodedDeg[r] % 360) + 360) % 360 }));
  const dt = timesMs[1] - timesMs[0];
  const cue = periods.find((p) => p.name === 'cue');
  const delay = periods.find((p) => p.name === 'delay');
  return plotSvg({
    title,
    width: 720,
    height: 300,
    marginLeft: 50,
    x: { label: 'time (ms)' },
    y: { label: 'neuron (deg)', domain: [0, 360] },
    color: { scheme: 'magma', label: 'rate' },
    marks: [
      Plot.rect(cells, {
        x1: 't',
        x2: (d: { t: number }) => d.t + dt,
        y1: 'theta',
        y2: (d: { theta: number }) => d.theta + (360 / N) * stride,
        fill: 'r',
        inset: 0,
      }),
      Plot.dot(path, { x: 't', y: 'theta', r: 1, fill: '#00e5ff' }),
      ...(cue ? [Plot.ruleX([cue.startMs, cue.endMs], { stroke: 'white', strokeDasharray: '3,3' })] : []),
      ...(delay ? [Plot.ruleX([delay.endMs], { stroke: 'white' })] : []),
      ...legendMarks([{ label: 'decoded angle', color: '#00e5ff' }]),
    ],
  });
}

/** One point of a statistic over time for one model: value ± s.e. at a window centre, and whether it is significant there. */
export interface TimeSeries {
  model: string;
  tMs: number;
  value: number;
  se: number;
  significant: boolean;
}

/** A statistic over time per model (± s.e.m.), with significant windows marked by thick lines. */
export function timeSeriesSvg(
  rows: TimeSeries[],
  opts: { title: string; yLabel: string; periods: { name: string; startMs: number; endMs: number }[] },
): string {
  const shaded = opts.periods.filter((p) => p.name === 'cue' || p.name === 'response');
  const models = [...new Set(rows.map((r) => r.model))];
  return plotSvg({
    title: opts.title,
    width: 720,
    height: 340,
    marginLeft: 60,
    x: { label: 'window centre (ms from trial start)' },
    y: { label: opts.yLabel, grid: true },
    marks: [
      Plot.rectX(shaded, { x1: 'startMs', x2: 'endMs', fill: '#eee' }),
      Plot.ruleY([0]),
      Plot.areaY(rows, {
        x: 'tMs',
        y1: (d: TimeSeries) => d.value - d.se,
        y2: (d: TimeSeries) => d.value + d.se,
        z: 'model',
        fill: (d: TimeSeries) => MODEL_COLORS[d.model] ?? '#555',
        fillOpacity: 0.15,
      }),
      Plot.line(rows, { x: 'tMs', y: 'value', z: 'model', stroke: (d: TimeSeries) => MODEL_COLORS[d.model] ?? '#555' }),
      Plot.dot(
        rows.filter((r) => r.significant),
        { x: 'tMs', y: 'value', r: 3.5, fill: (d: TimeSeries) => MODEL_COLORS[d.model] ?? '#555' },
      ),
      ...legendMarks(models.map((m) => ({ label: m, color: MODEL_COLORS[m] ?? '#555' }))),
    ],
  });
}

const GROUP_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

/**
 * Grouped bars with ±s.e. bars: one panel per model (in the order given), one coloured bar per
 * group (in the order given, named in a legend above the panels, right), e.g. the Fano factor of
 * accurate vs inaccurate trials per model.
 */
export function groupedBarsSvg(
  rows: { model: string; group: string; value: number; se: number }[],
  opts: { title: string; yLabel: string },
): string {
  const models = [...new Set(rows.map((r) => r.model))];
  const groups = [...new Set(rows.map((r) => r.group))];
  const color = (g: string) => GROUP_COLORS[groups.indexOf(g) % GROUP_COLORS.length];
  const legendHeight = 13 * groups.length + 6;
  return plotSvg({
    title: opts.title,
    width: 600,
    height: 300 + legendHeight,
    marginLeft: 60,
    marginTop: 20 + legendHeight,
    fx: { label: null, domain: models },
    x: { axis: null, domain: groups, padding: 0.15 },
    y: { label: opts.yLabel, grid: true, nice: true },
    marks: [
      Plot.barY(rows, { fx: 'model', x: 'group', y: 'value', fill: (d: { group: string }) => color(d.group) }),
      Plot.ruleX(rows, {
        fx: 'model',
        x: 'group',
        y1: (d: { value: number; se: number }) => d.value - d.se,
        y2: (d: { value: number; se: number }) => d.value + d.se,
      }),
      Plot.ruleY([0]),
      ...legendMarks(
        groups.map((g) => ({ label: g, color: color(g) })),
        'top-right',
        { facet: 'super', dy: -legendHeight - 6 },
      ),
    ],
  });
}

/** Variance of the decoded angle's displacement vs time, per model (bump diffusion). */
export function diffusionSvg(rows: { model: string; tMs: number; varianceDeg2: number }[], title: string): string {
  const models = [...new Set(rows.map((r) => r.model))];
  return plotSvg({
    title,
    width: 600,
    height: 320,
    marginLeft: 60,
    x: { label: 'time (ms from trial start)' },
    y: { label: 'Var(θ(t) − θ(delay start)) (deg²)', grid: true },
    marks: [
      Plot.line(rows, { x: 'tMs', y: 'varianceDeg2', z: 'model', stroke: (d: { model: string }) => MODEL_COLORS[d.model] ?? '#555' }),
      ...legendMarks(models.map((m) => ({ label: m, color: MODEL_COLORS[m] ?? '#555' }))),
    ],
  });
}
