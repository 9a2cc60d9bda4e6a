/** Figures of the WTA / nWTA reproduction (Kriener et al. 2020) and of Földiák's bars (1990). */
import { legendMarks, Plot, plotSvg, stackedPlotsSvg } from './plot';

/** Colour of each circuit (WTA, nWTA, with or without noise) in the winner-take-all figures. */
export const CIRCUIT_COLORS: Record<string, string> = {
  'nWTA, noise': '#1f77b4',
  'nWTA, no noise': '#aec7e8',
  'WTA, noise': '#d62728',
  'WTA, no noise': '#ff9896',
  'parallel benchmark': '#2ca02c',
  'serial benchmark': '#7f7f7f',
};

/** One point of a curve over network size N for one circuit (`series`), with an optional interval lo–hi. */
export interface CurvePoint {
  series: string;
  N: number;
  value: number;
  lo?: number;
  hi?: number;
}

/** Decision time vs N (log–log) for the circuits, with the serial and parallel benchmarks. */
export function decisionTimeSvg(points: CurvePoint[], title: string): string {
  const series = [...new Set(points.map((p) => p.series))];
  const ok = points.filter((p) => Number.isFinite(p.value) && p.value > 0);
  return plotSvg({
    title,
    width: 680,
    height: 380,
    marginLeft: 60,
    x: { type: 'log', label: 'number of options N', grid: true },
    y: { type: 'log', label: 'decision time (τ)', grid: true },
    marks: [
      Plot.ruleX(
        ok.filter((p) => p.lo != null && p.hi != null),
        { x: 'N', y1: 'lo', y2: 'hi', stroke: (p: CurvePoint) => CIRCUIT_COLORS[p.series] ?? '#555' },
      ),
      ...series.map((s) =>
        Plot.line(
          ok.filter((p) => p.series === s),
          {
            x: 'N',
            y: 'value',
            stroke: CIRCUIT_COLORS[s] ?? '#555',
            strokeDasharray: s.includes('benchmark') ? '5,4' : undefined,
            strokeWidth: 2,
          },
        ),
      ),
      ...series.map((s) =>
        Plot.dot(
          ok.filter((p) => p.series === s && !s.includes('benchmark')),
          { x: 'N', y: 'value', fill: CIRCUIT_COLORS[s] ?? '#555', r: 3 },
        ),
      ),
      ...legendMarks(
        series.map((s) => ({ label: s, color: CIRCUIT_COLORS[s] ?? '#555' })),
        'top-left',
      ),
    ],
  });
}

/** Accuracy and the fraction of trials with a winner vs N. */
export function accuracySvg(accuracy: CurvePoint[], decided: CurvePoint[], title: string): string {
  const panel = (pts: CurvePoint[], label: string, chance: boolean, first: boolean) => {
    const series = [...new Set(pts.map((p) => p.series))];
    return {
      title: first ? title : undefined,
      width: 680,
      height: 220,
      marginLeft: 60,
      x: { type: 'log' as const, label: 'number of options N', grid: true },
      y: { label, domain: [0, 1], grid: true },
      marks: [
        ...(chance
          ? [
              Plot.line(
                [...new Set(pts.map((p) => p.N))].sort((a, b) => a - b).map((N) => ({ N, c: 1 / N })),
                { x: 'N', y: 'c', stroke: '#999', strokeDasharray: '2,3' },
              ),
            ]
          : []),
        Plot.ruleX(
          pts.filter((p) => p.lo != null),
          { x: 'N', y1: 'lo', y2: 'hi', stroke: (p: CurvePoint) => CIRCUIT_COLORS[p.series] ?? '#555' },
        ),
        ...series.map((s) =>
          Plot.line(
            pts.filter((p) => p.series === s),
            { x: 'N', y: 'value', stroke: CIRCUIT_COLORS[s] ?? '#555', strokeWidth: 2 },
          ),
        ),
        ...series.map((s) =>
          Plot.dot(
            pts.filter((p) => p.series === s),
            { x: 'N', y: 'value', fill: CIRCUIT_COLORS[s] ?? '#555', r: 3 },
          ),
        ),
        ...(first ? legendMarks(series.map((s) => ({ label: s, color: CIRCUIT_COLORS[s] ?? '#555' }))) : []),
      ],
    };
  };
  return stackedPlotsSvg([
    panel(accuracy, 'accuracy (dotted: chance 1/N)', true, true),
    panel(decided, 'fraction with a winner', false, false),
  ]);
}

/** Activation traces of single trials: the unit with the largest input in black, the others grey. */
export function wtaTracesSvg(panels: { title: string; t: ArrayLike<number>; x: Float32Array; N: number; stop: number }[]): string {
  return stackedPlotsSvg(
    panels.map((p, k) => {
      const rows: { t: number; x: number; unit: number }[] = [];
      for (let r = 0; r < p.t.length; r++) for (let i = 0; i < p.N; i++) rows.push({ t: p.t[r], x: p.x[r * p.N + i], unit: i });
      return {
        title: p.title,
        width: 680,
        height: 200,
        marginLeft: 50,
        x: { label: k === panels.length - 1 ? 'time (τ)' : null },
        y: { label: 'activation x', grid: true },
        marks: [
          Plot.line(
            rows.filter((d) => d.unit !== 0),
            { x: 't', y: 'x', z: 'unit', stroke: '#bbb', strokeWidth: 1 },
          ),
          Plot.line(
            rows.filter((d) => d.unit === 0),
            { x: 't', y: 'x', stroke: 'black', strokeWidth: 2 },
          ),
          Plot.ruleY([p.stop], { stroke: '#d62728', strokeDasharray: '4,3' }),
        ],
      };
    }),
  );
}

/** Lines represented (of 16) vs presentations, one line per seed. */
export function barsLearningSvg(curves: { seed: number; presentations: number; lines: number }[], total: number, title: string): string {
  return plotSvg({
    title,
    width: 680,
    height: 300,
    marginLeft: 50,
    x: { label: 'presentations', domain: [0, total] },
    y: { label: 'lines represented (one unit each)', domain: [0, total > 0 ? 16 : 16], grid: true },
    marks: [
      Plot.line(curves, { x: 'presentations', y: 'lines', z: 'seed', stroke: 'seed', strokeOpacity: 0.8 }),
      Plot.ruleY([16], { stroke: '#999', strokeDasharray: '4,3' }),
    ],
    color: { type: 'categorical', scheme: 'tableau10' },
  });
}

/** Feed-forward weights of every unit as an image (size × size), in a grid; the title names its line. */
export function receptiveFieldsSvg(q: Float64Array, nOut: number, size: number, labels: string[], title: string): string {
  const cols = 8;
  const cells: { unit: string; r: number; c: number; w: number; fx: number; fy: number }[] = [];
  for (let u = 0; u < nOut; u++)
    for (let k = 0; k < size * size; k++)
      cells.push({
        unit: labels[u],
        r: Math.floor(k / size),
        c: k % size,
        w: q[u * size * size + k],
        fx: u % cols,
        fy: Math.floor(u / cols),
      });
  return plotSvg({
    title,
    width: 680,
    height: 90 * Math.ceil(nOut / cols) + 40,
    marginLeft: 10,
    marginRight: 10,
    marginTop: 30,
    marginBottom: 10,
    x: { axis: null, domain: Array.from({ length: size }, (_, i) => i) },
    y: { axis: null, domain: Array.from({ length: size }, (_, i) => i) },
    fx: { axis: null, padding: 0.15 },
    fy: { axis: null, padding: 0.3 },
    color: { scheme: 'greys', domain: [0, Math.max(...q)] },
    marks: [
      Plot.cell(cells, { x: 'c', y: 'r', fx: 'fx', fy: 'fy', fill: 'w', inset: 0 }),
      Plot.text(
        Array.from({ length: nOut }, (_, u) => ({ fx: u % cols, fy: Math.floor(u / cols), label: labels[u] })),
        { fx: 'fx', fy: 'fy', text: 'label', frameAnchor: 'top', dy: -12, fontSize: 10 },
      ),
      Plot.frame({ stroke: '#ccc' }),
    ],
  });
}
