/** Figures of the short-term-memory RNNs of Kurtkaya et al. 2025 (`train stm-rnn`, `reproduce kurtkaya2025`). */
import type {
  Kurtkaya2025Exponents,
  Kurtkaya2025LossByClass,
  Kurtkaya2025PsdRatios,
  Kurtkaya2025Rank2,
  Kurtkaya2025Result,
  Kurtkaya2025Toy,
  StmDynamics,
} from '@wmkit/papers';
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

const BRANCH_COLOR = { 'slow-point': '#1f77b4', 'no-learning': '#7f7f7f' } as const;

/**
 * Both scaling branches (Kurtkaya et al. 2025, Fig. 4): learning rate vs boundary delay in
 * log–log, the slow-point-manifold boundary T_SP (blue) and the no-learning onset T_c (grey), each
 * with its fitted line and (dashed) the paper's slope through its points; below, the fraction on
 * slow-point manifolds per delay with the logistic fit per learning rate.
 */
export function kurtkayaExponentsSvg(ex: Kurtkaya2025Exponents, cells: Kurtkaya2025Result['cells']): string {
  const branches = [ex.slowPoint, ex.noLearning];
  const label = (b: (typeof branches)[number]) =>
    `${b.branch === 'slow-point' ? 'T_SP' : 'T_c'}: ${b.fit ? `β = ${b.fit.beta.toFixed(2)} ± ${b.fit.slopeSe.toFixed(2)}` : 'no fit'}${b.paper ? ` (paper ${b.paper.beta.toFixed(2)})` : ''}`;
  const pts = branches.flatMap((b) =>
    b.boundaries.filter((x) => Number.isFinite(x.t) && x.t > 0).map((x) => ({ t: x.t, lr: x.lr, branch: b.branch })),
  );
  const lines = branches.flatMap((b) => b.fitLine.map((p) => ({ ...p, branch: b.branch })));
  const paper = branches.flatMap((b) => b.paperLine.map((p) => ({ ...p, branch: b.branch })));
  const curves = ex.slowPoint.curves.map((c) => ({ lr: String(c.lr), delay: c.delay, f: c.f }));
  const measured = cells.filter((c) => c.n > 0).map((c) => ({ lr: String(c.lr), delay: c.delay, f: c.sp }));
  const color = (b: { branch: keyof typeof BRANCH_COLOR }) => BRANCH_COLOR[b.branch];
  return stackedPlotsSvg([
    {
      title: 'Critical learning rate vs boundary delay: lr ∝ T^−β per branch',
      width: 600,
      height: 320,
      marginLeft: 60,
      x: { type: 'log', label: 'boundary delay T (ms)', tickFormat: '~g' },
      y: { type: 'log', label: 'learning rate', tickFormat: '~g' },
      marks: [
        Plot.line(paper, { x: 't', y: 'lr', z: 'branch', stroke: color, strokeDasharray: '4 3', strokeOpacity: 0.7 }),
        Plot.line(lines, { x: 't', y: 'lr', z: 'branch', stroke: color }),
        Plot.dot(pts, { x: 't', y: 'lr', fill: color, r: 4 }),
        ...legendMarks(branches.map((b) => ({ label: label(b), color: BRANCH_COLOR[b.branch] }))),
      ],
    },
    {
      title: 'Fraction on slow-point manifolds vs delay; lines: logistic fit, midpoint T_SP',
      width: 600,
      height: 280,
      marginLeft: 60,
      marginRight: 70,
      x: { label: 'delay (ms)' },
      y: { label: 'fraction slow-point manifold', domain: [0, 1] },
      color: { type: 'ordinal', scheme: 'viridis' },
      marks: [
        Plot.ruleY([0.5], { strokeDasharray: '2 3', stroke: '#999' }),
        Plot.line(curves, { x: 'delay', y: 'f', stroke: 'lr', z: 'lr' }),
        Plot.dot(measured, { x: 'delay', y: 'f', stroke: 'lr', r: 3 }),
        Plot.text(
          [...new Set(measured.map((m) => m.lr))].map((lr) => measured.filter((m) => m.lr === lr).at(-1) as (typeof measured)[number]),
          { x: 'delay', y: 'f', text: (m: (typeof measured)[number]) => `lr ${m.lr}`, fill: 'lr', dx: 6, textAnchor: 'start' },
        ),
      ],
    },
  ]);
}

const CLASS_COLOR = { 'not learned': '#7f7f7f', 'limit cycle': '#ff7f0e', 'slow-point manifold': '#1f77b4' } as const;

/** Histograms of the power ratio of limit-cycle and slow-point networks with the fitted densities and the threshold ½. */
export function kurtkayaPsdRatiosSvg(p: Kurtkaya2025PsdRatios): string {
  const fill = (d: { cls: keyof typeof CLASS_COLOR }) => CLASS_COLOR[d.cls];
  return stackedPlotsSvg([
    {
      title: `Power ratio of the autonomous run: ${p.lc.length} limit cycles (exponential fit, mean ${(1 / p.lcRate).toFixed(2)}), ${p.sp.length} slow-point manifolds (Gaussian ${p.spMean.toFixed(2)} ± ${p.spSd.toFixed(2)})`,
      width: 620,
      height: 300,
      marginLeft: 60,
      x: { label: 'power within radius 3 of the centre / total', domain: [0, 1] },
      y: { label: 'density' },
      marks: [
        Plot.rectY(p.histogram, { x1: 'x0', x2: 'x1', y: 'density', fill, fillOpacity: 0.5 }),
        Plot.line(p.curves, { x: 'x', y: 'density', z: 'cls', stroke: fill, strokeDasharray: '4 3' }),
        Plot.ruleX([0.5], { stroke: 'black', strokeDasharray: '2 3' }),
        ...legendMarks([
          { label: 'limit cycle', color: CLASS_COLOR['limit cycle'] },
          { label: 'slow-point manifold', color: CLASS_COLOR['slow-point manifold'] },
        ]),
      ],
    },
  ]);
}

/** The loss per epoch, mean ± SEM over the networks of each class, at one learning rate. */
export function kurtkayaLossByClassSvg(l: Kurtkaya2025LossByClass): string {
  const stroke = (d: { cls: keyof typeof CLASS_COLOR }) => CLASS_COLOR[d.cls];
  const names = Object.keys(l.counts) as (keyof typeof CLASS_COLOR)[];
  return stackedPlotsSvg([
    {
      title: `Loss per epoch by class at lr ${l.lr} (mean ± SEM)`,
      width: 620,
      height: 300,
      marginLeft: 60,
      x: { label: 'epoch' },
      y: { label: 'loss', type: 'log', grid: true },
      marks: [
        Plot.areaY(
          l.curves.filter((c) => c.lo > 0),
          { x: 'epoch', y1: 'lo', y2: 'hi', z: 'cls', fill: stroke, fillOpacity: 0.2 },
        ),
        Plot.line(
          l.curves.filter((c) => c.mean > 0),
          { x: 'epoch', y: 'mean', z: 'cls', stroke },
        ),
        ...legendMarks(names.filter((n) => l.counts[n] > 0).map((n) => ({ label: `${n} (${l.counts[n]})`, color: CLASS_COLOR[n] }))),
      ],
    },
  ]);
}

/**
 * A flow-field panel in the latent plane (κ₁, κ₂): an arrow `scale` × (u, v) long at each point of
 * `flow`, drawn in `arrowStroke` under `marks` (the trajectories), for the toy and the rank-2 models.
 */
function flowFieldPanel(
  panel: { title: string; width: number; height: number },
  flow: { x: number; y: number; u: number; v: number }[],
  scale: number,
  arrowStroke: string,
  marks: Plot.Markish[],
) {
  const arrows = flow.map((a) => ({ x1: a.x, y1: a.y, x2: a.x + scale * a.u, y2: a.y + scale * a.v }));
  return {
    ...panel,
    x: { label: 'κ₁' },
    y: { label: 'κ₂' },
    marks: [Plot.link(arrows, { x1: 'x1', y1: 'y1', x2: 'x2', y2: 'y2', stroke: arrowStroke, markerEnd: 'arrow' }), ...marks],
  };
}

/**
 * The toy models: the flow field of each (ghost of a saddle-node; Hopf cycle) at the parameter
 * that learns the longest delay, with one trajectory; then the critical learning rate vs delay,
 * the paper's law (lines) against the simulation's (dots).
 */
export function kurtkayaToySvg(t: Kurtkaya2025Toy): string {
  const color = { 'slow-point': '#1f77b4', 'limit-cycle': '#ff7f0e' } as const;
  const flowPanel = (m: 'slow-point' | 'limit-cycle', title: string) => {
    const f = t.flow.filter((a) => a.mechanism === m);
    const scale = 0.12 / Math.max(...f.map((a) => Math.hypot(a.u, a.v)));
    const trajectory = t.trajectories.filter((p) => p.mechanism === m);
    return flowFieldPanel({ title, width: 320, height: 300 }, f, scale, '#999', [
      Plot.line(trajectory, { x: 'x', y: 'y', stroke: color[m], strokeWidth: 2 }),
    ]);
  };
  const rows = t.rows.map((r) => ({ ...r, label: r.mechanism === 'slow-point' ? 'slow point' : 'limit cycle' }));
  const stroke = (r: { mechanism: keyof typeof color }) => color[r.mechanism];
  return stackedPlotsSvg([
    flowPanel('slow-point', 'Ghost of a saddle-node: ẋ = x² + r, ẏ = −y'),
    flowPanel('limit-cycle', 'Hopf normal form on its cycle'),
    {
      title: `Critical learning rate vs delay (T_resp ${t.Tresp} steps): lines the paper's laws, dots the simulation; slopes ${t.exponents['slow-point'].toFixed(2)} and ${t.exponents['limit-cycle'].toFixed(2)}`,
      width: 620,
      height: 300,
      marginLeft: 60,
      x: { type: 'log', label: 'delay T (steps)', tickFormat: '~g' },
      y: { type: 'log', label: 'critical learning rate η_c', tickFormat: '.0e' },
      marks: [
        Plot.line(rows, { x: 'T', y: 'theory', z: 'mechanism', stroke }),
        Plot.dot(rows, { x: 'T', y: 'simulated', stroke, r: 4 }),
        ...legendMarks([
          { label: 'slow point: (π⁴/4)·T_resp·T⁻⁵', color: color['slow-point'] },
          { label: 'limit cycle: T_resp·T⁻³/4', color: color['limit-cycle'] },
        ]),
      ],
    },
  ]);
}

/**
 * Trained rank-2 RNNs: the latent flow field (the map's displacement κ' − κ) of a slow-point and of
 * a limit-cycle network with the trial (solid) and the network left running (dots); then each
 * learned network's critical learning rate 2/λ_max against the delay, by mechanism, with lines of
 * the normal forms' slopes (T⁻⁵, T⁻³) through each mechanism's points.
 */
export function kurtkayaRank2Svg(r: Kurtkaya2025Rank2): string {
  const color = { 'slow-point': '#1f77b4', 'limit-cycle': '#ff7f0e', 'not learned': '#7f7f7f' } as const;
  const panels: Parameters<typeof stackedPlotsSvg>[0][number][] = r.portraits.map((p) => {
    const span = Math.max(...p.flow.map((a) => Math.hypot(a.u, a.v)), 1e-12);
    const w = Math.max(...p.flow.map((a) => a.x)) - Math.min(...p.flow.map((a) => a.x));
    const h = Math.max(...p.flow.map((a) => a.y)) - Math.min(...p.flow.map((a) => a.y));
    const scale = (0.06 * Math.hypot(w, h)) / span;
    const title = `${p.mechanism === 'slow-point' ? 'Slow point' : 'Limit cycle'}: delay ${p.T} steps, lr ${p.lr}, seed ${p.seed} (latent κ = nᵀx)`;
    return flowFieldPanel({ title, width: 360, height: 320 }, p.flow, scale, '#aaa', [
      Plot.line(
        p.trajectory.filter((q) => q.trial),
        { x: 'x', y: 'y', stroke: color[p.mechanism], strokeWidth: 2 },
      ),
      Plot.dot(
        p.trajectory.filter((q) => !q.trial),
        { x: 'x', y: 'y', fill: color[p.mechanism], r: 1.5 },
      ),
      Plot.dot([p.trajectory[0]], { x: 'x', y: 'y', stroke: 'black', symbol: 'times', r: 5 }),
    ]);
  });
  const pts = r.rows.filter((x) => x.criticalLr != null);
  const lines = (['slow-point', 'limit-cycle'] as const).flatMap((m) => {
    const q = pts.filter((x) => x.class === m);
    if (new Set(q.map((x) => x.T)).size < 2) return [];
    const lx = q.reduce((a, x) => a + Math.log(x.T), 0) / q.length;
    const ly = q.reduce((a, x) => a + Math.log(x.criticalLr as number), 0) / q.length;
    const slope = r.slopes[m].theory;
    const ts = q.map((x) => x.T);
    return [Math.min(...ts), Math.max(...ts)].map((T) => ({ m, T, lr: Math.exp(ly + slope * (Math.log(T) - lx)) }));
  });
  const trained = r.rows.map((x) => ({ ...x, y: x.lr }));
  panels.push({
    title: `2/λ_max (dots), training lr (squares) vs delay; dashed: slopes ${r.slopes['slow-point'].theory}, ${r.slopes['limit-cycle'].theory}`,
    width: 640,
    height: 320,
    marginLeft: 60,
    x: { type: 'log', label: 'delay T (steps)', tickFormat: '~g' },
    y: { type: 'log', label: 'learning rate', tickFormat: '.0e' },
    marks: [
      Plot.line(lines, { x: 'T', y: 'lr', z: 'm', stroke: (d: { m: keyof typeof color }) => color[d.m], strokeDasharray: '4,3' }),
      Plot.dot(pts, { x: 'T', y: 'criticalLr', fill: (d: { class: keyof typeof color }) => color[d.class], r: 3.5 }),
      Plot.dot(trained, { x: 'T', y: 'y', stroke: (d: { class: keyof typeof color }) => color[d.class], symbol: 'square', r: 3 }),
      ...legendMarks([
        { label: 'slow point', color: color['slow-point'] },
        { label: 'limit cycle', color: color['limit-cycle'] },
        { label: 'not learned', color: color['not learned'] },
      ]),
    ],
  });
  return stackedPlotsSvg(panels);
}
