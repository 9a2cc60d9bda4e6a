/** Figures of the heterogeneous-delay SNN commands. */
import { legendMarks, Plot, plotSvg, stackedPlotsSvg } from './plot';

/** F1 of the evaluation (no dropout) and of the training pass per gradient step, and the loss. */
export function hdTrainingCurveSvg(
  rows: { step: number; evalF1: number; trainF1: number; trainLoss: number }[],
  afterInitF1: number,
  title: string,
): string {
  const pts = [{ step: 0, evalF1: afterInitF1 }, ...rows];
  return stackedPlotsSvg([
    {
      title,
      width: 640,
      height: 240,
      x: { label: 'gradient step', domain: [0, Math.max(1, rows.length)] },
      y: { label: 'F1', domain: [0, 1.02], grid: true },
      marks: [
        Plot.line(pts, { x: 'step', y: 'evalF1', stroke: '#1f77b4' }),
        Plot.dot(pts, { x: 'step', y: 'evalF1', fill: '#1f77b4', r: 3 }),
        Plot.line(rows, { x: 'step', y: 'trainF1', stroke: '#ff7f0e', strokeDasharray: '4,3' }),
        ...legendMarks([
          { label: 'recall (no dropout, fresh noise)', color: '#1f77b4' },
          { label: 'training pass (dropout)', color: '#ff7f0e' },
        ]),
      ],
    },
    {
      width: 640,
      height: 160,
      x: { label: 'gradient step', domain: [0, Math.max(1, rows.length)] },
      y: { label: 'loss 1 − F1 (training)', grid: true },
      marks: [
        Plot.line(rows, { x: 'step', y: 'trainLoss', stroke: '#444' }),
        Plot.dot(rows, { x: 'step', y: 'trainLoss', fill: '#444', r: 2 }),
      ],
    },
  ]);
}

/**
 * Raster of one pattern: target spikes (grey rings) and the network's spikes (green: on a
 * target spike; red: spurious), with the cue shaded. Steps are pattern steps (0..T).
 */
export function recallRasterSvg(
  target: { neuron: number; step: number }[],
  recall: { neuron: number; step: number; hit: boolean }[],
  o: { N: number; T: number; cueSteps: number; title: string },
): string {
  return plotSvg({
    title: o.title,
    width: 820,
    height: 460,
    x: { label: 'step of the pattern', domain: [0, o.T] },
    y: { label: 'neuron', domain: [o.N, 0] },
    marks: [
      Plot.rectY([{ a: 0, b: o.cueSteps }], { x1: 'a', x2: 'b', y1: 0, y2: o.N, fill: '#f2d08a', fillOpacity: 0.45 }),
      Plot.dot(target, { x: 'step', y: 'neuron', r: 2.6, stroke: '#888', strokeWidth: 0.8 }),
      Plot.dot(recall, { x: 'step', y: 'neuron', r: 1.2, fill: (d: { hit: boolean }) => (d.hit ? '#2ca02c' : '#d62728') }),
      ...legendMarks([
        { label: 'target (ring)', color: '#888' },
        { label: 'recalled on target', color: '#2ca02c' },
        { label: 'spurious', color: '#d62728' },
        { label: 'cue (clamped)', color: '#c9a640' },
      ]),
    ],
  });
}

/** F1 as a function of the step after the cue (bins of `bin` steps). */
export function f1OverTimeSvg(rows: { step: number; f1: number }[], title: string): string {
  return plotSvg({
    title,
    width: 640,
    height: 240,
    x: { label: 'step of the pattern (after the cue)' },
    y: { label: 'F1', domain: [0, 1.02], grid: true },
    marks: [Plot.line(rows, { x: 'step', y: 'f1', stroke: '#1f77b4' })],
  });
}

/** Robustness: F1 against the perturbation level, one panel per protocol, with the paper's values. */
export function robustnessSvg(rows: { protocol: string; level: number; f1: number; paperF1: number | null }[], title: string): string {
  const panels = [
    { protocol: 'cue bit flips', label: 'fraction of input entries redrawn' },
    { protocol: 'truncated cue', label: 'fraction of the D cue steps given' },
    { protocol: 'silenced neurons', label: 'neurons silenced' },
  ];
  const baseline = rows.find((r) => r.protocol === 'baseline')?.f1 ?? Number.NaN;
  return stackedPlotsSvg(
    panels.map((p, i) => {
      const data = rows.filter((r) => r.protocol === p.protocol);
      const paper = data.filter((r) => r.paperF1 != null);
      return {
        title: i === 0 ? `${title} — ${p.protocol}` : p.protocol,
        width: 560,
        height: 190,
        x: { label: p.label },
        y: { label: 'F1', domain: [0, 1.02], grid: true },
        marks: [
          Plot.ruleY([baseline], { stroke: '#aaa', strokeDasharray: '3,3' }),
          Plot.line(data, { x: 'level', y: 'f1', stroke: '#1f77b4' }),
          Plot.dot(data, { x: 'level', y: 'f1', fill: '#1f77b4', r: 3.5 }),
          Plot.dot(paper, { x: 'level', y: 'paperF1', stroke: '#d62728', symbol: 'diamond', r: 5 }),
          ...legendMarks([
            { label: 'wmkit', color: '#1f77b4' },
            { label: 'paper', color: '#d62728' },
          ]),
        ],
      };
    }),
  );
}

/** A scan: F1 (and precision, recall) against the scanned value, with the paper's points. */
export function scanSvg(
  rows: { value: number; f1: number; sd?: number; precision: number; recall: number }[],
  paper: { value: number; f1: number }[],
  o: { param: string; title: string; log: boolean },
): string {
  return plotSvg({
    title: o.title,
    width: 640,
    height: 300,
    x: { label: o.param, type: o.log ? 'log' : 'linear' },
    y: { label: 'score (0–1)', domain: [0, 1.02], grid: true },
    marks: [
      Plot.line(rows, { x: 'value', y: 'precision', stroke: '#9467bd', strokeDasharray: '2,3' }),
      Plot.line(rows, { x: 'value', y: 'recall', stroke: '#2ca02c', strokeDasharray: '5,3' }),
      Plot.line(rows, { x: 'value', y: 'f1', stroke: '#1f77b4', strokeWidth: 2 }),
      Plot.dot(rows, { x: 'value', y: 'f1', fill: '#1f77b4', r: 3.5 }),
      // ±SD over seeds (zero-length with one seed)
      Plot.ruleX(
        rows.filter((r) => (r.sd ?? 0) > 0),
        {
          x: 'value',
          y1: (r: { f1: number; sd?: number }) => r.f1 - (r.sd ?? 0),
          y2: (r: { f1: number; sd?: number }) => r.f1 + (r.sd ?? 0),
          stroke: '#1f77b4',
        },
      ),
      Plot.dot(paper, { x: 'value', y: 'f1', stroke: '#d62728', symbol: 'diamond', r: 5.5, strokeWidth: 1.5 }),
      ...legendMarks([
        { label: 'F1 (wmkit)', color: '#1f77b4' },
        { label: 'precision', color: '#9467bd' },
        { label: 'recall', color: '#2ca02c' },
        { label: 'F1 (paper)', color: '#d62728' },
      ]),
    ],
  });
}

/**
 * The paper's Fig. 3 view: F1 along the pattern (bins after the cue) after several gradient
 * steps, one line per step from light (early) to dark (late); step 0 is the initialisation.
 */
export function f1OverTrainingSvg(curves: { step: number; rows: { step: number; f1: number }[] }[], title: string): string {
  const last = Math.max(1, ...curves.map((c) => c.step));
  // light blue (early) to dark blue (late), interpolated by hand in RGB
  const color = (step: number) => {
    const f = step / last;
    const mix = (a: number, b: number) => Math.round(a + (b - a) * f);
    return `rgb(${mix(158, 8)},${mix(202, 48)},${mix(225, 107)})`;
  };
  return plotSvg({
    title,
    width: 680,
    height: 300,
    x: { label: 'step of the pattern (after the cue)' },
    y: { label: 'F1 (bins of 10 steps)', domain: [0, 1.02], grid: true },
    marks: [
      ...curves.map((c) => Plot.line(c.rows, { x: 'step', y: 'f1', stroke: color(c.step), strokeWidth: 1.6 })),
      ...legendMarks(curves.map((c) => ({ label: c.step === 0 ? 'after initialisation' : `after step ${c.step}`, color: color(c.step) }))),
    ],
  });
}
