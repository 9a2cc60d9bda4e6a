/** Figures of the short-term-memory RNNs of Kurtkaya et al. 2025 (`train stm-rnn`, `reproduce kurtkaya2025`). */
import type { Kurtkaya2025Result, StmDynamics } from '@wmkit/papers';
import { legendMarks, Plot, stackedPlotsSvg } from './plot';

const typeColor = (t: string) => (t === 'stable' ? 'black' : t === 'unstable' ? '#d62728' : '#7f7f7f');
const pct0 = (v: number) => `${(100 * v).toFixed(0)}%`;

/** Loss (log) and accuracy / reliability per epoch, at most ~400 points. */
export function stmTrainingSvg(
  r: { loss: Float32Array; accuracy: Float32Array; reliability: Float32Array; epochs: number },
  title: string,
): string {
  const every = Math.max(1, Math.floor(r.epochs / 400));
  const pts = Array.from({ length: Math.ceil(r.epochs / every) }, (_, i) => i * every).map((e) => ({
    e,
    loss: r.loss[e],
    acc: r.accuracy[e],
    rel: r.reliability[e],
  }));
  return stackedPlotsSvg([
    {
      title,
      width: 640,
      height: 180,
      y: { label: 'loss', grid: true, type: 'log' },
      x: { label: null },
      marks: [
        Plot.line(
          pts.filter((p) => p.loss > 0),
          { x: 'e', y: 'loss' },
        ),
      ],
    },
    {
      width: 640,
      height: 180,
      y: { label: 'accuracy / reliability', domain: [0, 1], grid: true },
      x: { label: 'epoch' },
      marks: [Plot.line(pts, { x: 'e', y: 'acc', stroke: '#1f77b4' }), Plot.line(pts, { x: 'e', y: 'rel', stroke: '#ff7f0e' })],
    },
  ]);
}

/** The autonomous runs on PC1–2 with the fixed and slow points. */
export function stmPcaFixedPointsSvg(d: StmDynamics): string {
  const traj = [];
  const step = Math.max(1, Math.floor(d.T / 1500));
  for (let c = 0; c < d.nCues; c++)
    for (let t = 0; t < d.T; t += step)
      traj.push({ pc1: d.projection[(c * d.T + t) * 3], pc2: d.projection[(c * d.T + t) * 3 + 1], cue: `cue ${c + 1}`, t });
  const pts = d.points.map((p, k) => ({
    pc1: d.pointsProjection[k * 3],
    pc2: d.pointsProjection[k * 3 + 1],
    type: p.kind === 'slow' ? 'slow' : p.stable ? 'stable' : 'unstable',
  }));
  return stackedPlotsSvg([
    {
      title: `Autonomous runs on PC1–2 (${pct0(d.explained[0])}, ${pct0(d.explained[1])} of variance) with fixed points`,
      width: 560,
      height: 420,
      x: { label: 'PC1' },
      y: { label: 'PC2' },
      color: { domain: ['cue 1', 'cue 2'], range: ['#1f77b4', '#ff7f0e'] },
      marks: [
        Plot.line(traj, { x: 'pc1', y: 'pc2', z: 'cue', stroke: 'cue', strokeOpacity: 0.7 }),
        Plot.dot(pts, {
          x: 'pc1',
          y: 'pc2',
          r: 5,
          stroke: (p: { type: string }) => typeColor(p.type),
          fill: (p: { type: string }) => (p.type === 'stable' ? 'black' : 'white'),
          strokeWidth: 2,
        }),
        ...legendMarks([
          { label: 'cue 1', color: '#1f77b4' },
          ...(d.nCues === 2 ? [{ label: 'cue 2', color: '#ff7f0e' }] : []),
          { label: 'stable fixed point', color: typeColor('stable') },
          { label: 'saddle / unstable', color: typeColor('unstable') },
          { label: 'slow point', color: typeColor('slow') },
        ]),
      ],
    },
  ]);
}

const pctCell = (x: number) => (Number.isFinite(x) ? `${Math.round(100 * x)}` : '—');

/** The three phase panels: not learned, limit cycle, slow-point manifold (% of seeds per cell). */
export function kurtkayaPhaseDiagramSvg(cells: Kurtkaya2025Result['cells']): string {
  const panel = (key: 'notLearned' | 'lc' | 'sp', title: string, scheme: string) => ({
    title,
    width: 620,
    height: 220,
    marginLeft: 70,
    x: { label: 'delay (ms)', type: 'band' as const },
    y: { label: 'learning rate', type: 'band' as const, tickFormat: (v: number) => v.toPrecision(2) },
    color: { scheme: scheme as 'blues', domain: [0, 1], legend: false },
    marks: [
      Plot.cell(cells, { x: 'delay', y: 'lr', fill: key }),
      Plot.text(cells, {
        x: 'delay',
        y: 'lr',
        text: (c: (typeof cells)[number]) => pctCell(c[key]),
        fill: (c: (typeof cells)[number]) => (c[key] > 0.6 ? 'white' : 'black'),
        fontSize: 10,
      }),
    ],
  });
  return stackedPlotsSvg([
    panel('notLearned', 'Not learned (% of seeds)', 'greys'),
    panel('lc', 'Limit cycle (%)', 'oranges'),
    panel('sp', 'Slow-point manifold (%)', 'blues'),
  ]);
}

/** log lr vs log T_c with the fitted line and (dashed) the paper's slope through the points' centre. */
export function kurtkayaScalingSvg(r: Kurtkaya2025Result): string {
  const paperBeta = r.paper ? `; dashed: the paper's β = ${r.paper.beta.toFixed(2)} ± ${r.paper.se.toFixed(2)}` : '';
  return stackedPlotsSvg([
    {
      title: r.fit ? `lr_c ∝ T_c^−β: β = ${r.fit.beta.toFixed(2)} ± ${r.fit.slopeSe.toFixed(2)}${paperBeta}` : 'onset of no-learning',
      width: 600,
      height: 320,
      marginLeft: 60,
      x: { type: 'log', label: 'T_c (ms)', tickFormat: '~g' },
      y: { type: 'log', label: 'learning rate', tickFormat: '~g' },
      marks: [
        // the paper's exponent through the centre of the points: compare slopes, not offsets
        ...(r.fit && r.paperLine.length ? [Plot.line(r.paperLine, { x: 'tc', y: 'lr', stroke: '#999', strokeDasharray: '4 3' })] : []),
        Plot.dot(r.fitPoints, { x: 'tc', y: 'lr', fill: 'black' }),
        ...(r.fit ? [Plot.line(r.fitLine, { x: 'tc', y: 'lr', stroke: '#1f77b4' })] : []),
      ],
    },
  ]);
}

/** The fraction not learned per delay and the fitted onset curve, per learning rate. */
export function kurtkayaOnsetsSvg(r: Kurtkaya2025Result): string {
  const curves = r.onsetCurves.map((c) => ({ lr: String(c.lr), delay: c.delay, f: c.f }));
  const measured = r.cells.filter((c) => c.n > 0).map((c) => ({ lr: String(c.lr), delay: c.delay, f: c.notLearned }));
  // each line labelled at its right end (the fitted curve's, or the last measured point without a fit)
  const ends = r.lrs
    .map((lr) => curves.filter((m) => m.lr === String(lr)).at(-1) ?? measured.filter((m) => m.lr === String(lr)).at(-1))
    .filter((m) => m !== undefined);
  return stackedPlotsSvg([
    {
      title: 'Fraction not learned vs delay; lines: fit 1 − e^(−a(T − T_c)) from the onset T_c',
      width: 620,
      height: 320,
      marginLeft: 60,
      marginRight: 70,
      x: { label: 'delay (ms)' },
      y: { label: 'fraction not learned', domain: [0, 1] },
      color: { type: 'ordinal', scheme: 'viridis' },
      marks: [
        Plot.ruleY([0]),
        Plot.line(curves, { x: 'delay', y: 'f', stroke: 'lr', z: 'lr' }),
        Plot.dot(measured, { x: 'delay', y: 'f', stroke: 'lr', r: 3 }),
        Plot.text(ends, {
          x: 'delay',
          y: 'f',
          text: (m: (typeof measured)[number]) => `lr ${m.lr}`,
          fill: 'lr',
          dx: 6,
          textAnchor: 'start',
        }),
      ],
    },
  ]);
}
