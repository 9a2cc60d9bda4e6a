/** Figures of the Kim & Sejnowski 2021 analyses: Fano factor vs τ (Fig. 7), cross-temporal decoding (Fig. 3). */
import { legendMarks, Plot, plotSvg, stackedPlotsSvg } from './plot';

/** Scatter of each unit's fixation Fano factor against its τ (log axis), with Spearman's ρ in the title. */
export function fanoVsTauSvg(points: { tauMs: number; fano: number; inhibitory?: boolean }[], title: string): string {
  const pts = points.map((p) => ({ ...p, type: p.inhibitory == null ? 'unit' : p.inhibitory ? 'inhibitory' : 'excitatory' }));
  return plotSvg({
    title,
    width: 560,
    height: 380,
    marginLeft: 56,
    x: { type: 'log', label: 'neuronal timescale τ (ms)' },
    y: { label: 'fixation Fano factor', grid: true },
    color: {
      domain: ['excitatory', 'inhibitory', 'unit'],
      range: ['#d62728', '#1f77b4', '#4c72b0'],
    },
    marks: [
      Plot.ruleY([1], { stroke: '#999', strokeDasharray: '3,3' }),
      Plot.dot(pts, { x: 'tauMs', y: 'fano', fill: 'type', r: 3, fillOpacity: 0.7 }),
      ...(pts.some((p) => p.type !== 'unit')
        ? legendMarks([
            { label: 'excitatory', color: '#d62728' },
            { label: 'inhibitory', color: '#1f77b4' },
          ])
        : []),
    ],
  });
}

/** Cross-temporal decoding accuracy matrices (train time × test time) of several unit groups, stacked. */
export function crossTemporalSvg(
  groups: { name: string; matrix: ArrayLike<number>; n: number }[],
  timesMs: number[],
  title: string,
): string {
  const T = timesMs.length;
  const half = T > 1 ? (timesMs[1] - timesMs[0]) / 2 : 25;
  return stackedPlotsSvg(
    groups.map((g, k) => {
      const cells: { x1: number; x2: number; y1: number; y2: number; acc: number }[] = [];
      for (let i = 0; i < T; i++)
        for (let j = 0; j < T; j++)
          cells.push({
            x1: timesMs[j] - half,
            x2: timesMs[j] + half,
            y1: timesMs[i] - half,
            y2: timesMs[i] + half,
            acc: g.matrix[i * T + j],
          });
      return {
        title: k === 0 ? `${title} — ${g.name} (${g.n} units)` : `${g.name} (${g.n} units)`,
        width: 460,
        height: 400,
        marginLeft: 60,
        x: { label: 'test time (ms)' },
        y: { label: 'train time (ms)' },
        color: { type: 'linear', domain: [0.5, 1], scheme: 'viridis', label: 'decoding accuracy (0.5 dark – 1 bright)' },
        marks: [Plot.rect(cells, { x1: 'x1', x2: 'x2', y1: 'y1', y2: 'y2', fill: 'acc' })],
      };
    }),
  );
}

/** One dot per network: a value (mean weight of a synapse class, or median τ) by training task, one panel per measure. */
export function byTaskSvg(
  rows: { task: string; run: string; measure: string; value: number }[],
  measures: string[],
  title: string,
): string {
  return stackedPlotsSvg(
    measures.map((measure, k) => ({
      title: k === 0 ? `${title} — ${measure}` : measure,
      width: 520,
      height: 200,
      marginLeft: 70,
      x: { label: null, domain: ['dms', 'afc', 'gonogo'] },
      y: { label: measure, grid: true },
      marks: [
        Plot.dot(
          rows.filter((r) => r.measure === measure && Number.isFinite(r.value)),
          { x: 'task', y: 'value', fill: '#4c72b0', r: 4, fillOpacity: 0.8 },
        ),
      ],
    })),
  );
}

/** Each unit's τ after against before (log axes) with the identity line. */
export function tauBeforeAfterSvg(points: { before: number; after: number }[], title: string): string {
  const vals = points.flatMap((p) => [p.before, p.after]).filter((v) => v > 0);
  const lo = vals.length ? Math.min(...vals) : 1;
  const hi = vals.length ? Math.max(...vals) : 1000;
  return plotSvg({
    title,
    width: 460,
    height: 420,
    marginLeft: 60,
    x: { type: 'log', label: 'τ before retraining (ms)', domain: [lo, hi] },
    y: { type: 'log', label: 'τ after retraining (ms)', domain: [lo, hi] },
    marks: [
      Plot.line(
        [
          { x: lo, y: lo },
          { x: hi, y: hi },
        ],
        { x: 'x', y: 'y', stroke: '#999', strokeDasharray: '4,3' },
      ),
      Plot.dot(points, { x: 'before', y: 'after', fill: '#4c72b0', r: 3, fillOpacity: 0.7 }),
    ],
  });
}
