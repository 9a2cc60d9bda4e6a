/** Figures of the E/I RNN pipeline (Kim & Sejnowski). */
import { legendMarks, Plot, plotSvg, stackedPlotsSvg } from './plot';

/** One evaluation point of an E/I RNN's training: trials seen, loss and accuracy. */
export interface CurvePoint {
  trial: number;
  loss: number;
  accuracy: number;
}

/** Evaluation loss and accuracy vs training trials, with the stopping thresholds. */
export function trainingCurveSvg(
  points: CurvePoint[],
  opts: { lossThreshold?: number | null; accuracyThreshold?: number | null; title: string },
): string {
  const panel = (key: 'loss' | 'accuracy', label: string, threshold: number | null | undefined, title?: string) => ({
    title,
    width: 720,
    height: title ? 240 : 210,
    marginLeft: 60,
    x: { label: key === 'accuracy' ? 'training trials' : null },
    y: { grid: true, label, ...(key === 'accuracy' ? { domain: [0, 1] } : {}) },
    marks: [
      ...(threshold != null ? [Plot.ruleY([threshold], { stroke: '#d62728', strokeDasharray: '4,3' })] : []),
      Plot.line(points, { x: 'trial', y: key, stroke: '#1f77b4' }),
      Plot.dot(points, { x: 'trial', y: key, r: 1.5, fill: '#1f77b4' }),
    ],
  });
  return stackedPlotsSvg([
    panel('loss', 'eval loss', opts.lossThreshold, opts.title),
    panel('accuracy', 'eval accuracy', opts.accuracyThreshold),
  ]);
}

/** Histogram of unit timescales with Kim & Sejnowski 2021's log bins. */
export function timescaleHistogramSvg(
  edges: number[],
  counts: number[],
  opts: { title: string; median?: number; population?: number | null },
): string {
  const bars = counts.map((c, i) => ({ x1: edges[i], x2: edges[i + 1], count: c }));
  const marks: Plot.Markish[] = [Plot.rectY(bars, { x1: 'x1', x2: 'x2', y: 'count', fill: '#4c72b0', inset: 0.5 }), Plot.ruleY([0])];
  if (opts.median != null && Number.isFinite(opts.median)) {
    marks.push(Plot.ruleX([opts.median], { stroke: '#d62728', strokeDasharray: '4,3' }));
    marks.push(
      Plot.text([{ x: opts.median, label: `median ${opts.median.toFixed(0)} ms` }], {
        x: 'x',
        text: 'label',
        frameAnchor: 'top',
        dy: 6,
        dx: 4,
        textAnchor: 'start',
        fill: '#d62728',
      }),
    );
  }
  return plotSvg({
    title: opts.title,
    width: 640,
    height: 360,
    x: { type: 'log', label: 'neuronal timescale τ (ms)', domain: [edges[0], edges[edges.length - 1]] },
    y: { label: 'units (count)', grid: true },
    marks,
  });
}

/** Mean spike-count autocorrelation with the population fit. */
export function autocorrelationSvg(lagsMs: number[], mean: number[], fit: ((lagMs: number) => number) | null, title: string): string {
  const pts = lagsMs.map((l, i) => ({ lag: l, r: mean[i] })).filter((p) => Number.isFinite(p.r));
  const curve = fit
    ? Array.from({ length: 100 }, (_, i) => lagsMs[0] + ((lagsMs[lagsMs.length - 1] - lagsMs[0]) * i) / 99).map((l) => ({
        lag: l,
        r: fit(l),
      }))
    : [];
  return plotSvg({
    title,
    width: 560,
    height: 340,
    x: { label: 'lag (ms)' },
    y: { label: 'autocorrelation', grid: true },
    marks: [
      Plot.ruleY([0]),
      Plot.line(curve, { x: 'lag', y: 'r', stroke: '#d62728' }),
      Plot.dot(pts, { x: 'lag', y: 'r', fill: '#1f77b4' }),
    ],
  });
}

/** Spiking DMS accuracy for each weight scale 1/λ. */
export function scaleSearchSvg(rows: { inverseScale: number; accuracy: number }[], best: number, title: string): string {
  return plotSvg({
    title,
    width: 560,
    height: 320,
    x: { label: '1/λ (rate → spiking weight scale)' },
    y: { label: 'spiking DMS accuracy (fraction correct)', domain: [0, 1], grid: true },
    marks: [
      Plot.ruleY([0.95], { stroke: '#999', strokeDasharray: '4,3' }),
      Plot.line(rows, { x: 'inverseScale', y: 'accuracy', stroke: '#1f77b4' }),
      Plot.dot(rows, {
        x: 'inverseScale',
        y: 'accuracy',
        fill: (d: { inverseScale: number }) => (d.inverseScale === best ? '#d62728' : '#1f77b4'),
        r: 4,
      }),
    ],
  });
}

/** Spike raster of one trial (unit × time), E and I units coloured, with task periods shaded. */
export function rasterSvg(
  spikes: { unit: number; timeMs: number; inhibitory: boolean }[],
  periods: { name: string; startMs: number; endMs: number }[],
  opts: { title: string; units: number; durationMs: number },
): string {
  const shaded = periods.filter((p) => p.name.startsWith('stimulus'));
  return plotSvg({
    title: opts.title,
    width: 760,
    height: 420,
    x: { label: 'time (ms)', domain: [0, opts.durationMs] },
    y: { label: 'unit', domain: [opts.units, 0] },
    marks: [
      Plot.rectY(shaded, { x1: 'startMs', x2: 'endMs', y1: 0, y2: opts.units, fill: '#f2d08a', fillOpacity: 0.5 }),
      Plot.dot(spikes, { x: 'timeMs', y: 'unit', r: 0.9, fill: (d: { inhibitory: boolean }) => (d.inhibitory ? '#d62728' : '#1f3d7a') }),
      ...legendMarks([
        { label: 'excitatory', color: '#1f3d7a' },
        { label: 'inhibitory', color: '#d62728' },
      ]),
    ],
  });
}

/** Network output of several trials over time, coloured by condition, with the ±threshold. */
export function outputTracesSvg(
  traces: { t: number; o: number; trial: number; label: string }[],
  threshold: number,
  title: string,
): string {
  return plotSvg({
    title,
    width: 680,
    height: 340,
    x: { label: 'time (ms)' },
    y: { label: 'network output (a.u.)', grid: true },
    marks: [
      Plot.ruleY([threshold, -threshold], { stroke: '#999', strokeDasharray: '4,3' }),
      Plot.line(traces, {
        x: 't',
        y: 'o',
        z: 'trial',
        stroke: (d: { label: string }) => (d.label === 'match' ? '#2ca02c' : '#9467bd'),
        strokeOpacity: 0.8,
      }),
      ...legendMarks([
        { label: 'match', color: '#2ca02c' },
        { label: 'non-match', color: '#9467bd' },
      ]),
    ],
  });
}
