/** Figures of the Kim & Sejnowski 2021 analyses: Fano factor vs τ (Fig. 7), cross-temporal decoding (Fig. 3), and the reproduction's panels. */
import { KIM_PANEL_FIGURES, KIM_TASK_MEASURES, type Kim2021Result, type KimPanelsResult } from '@wmkit/papers';
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

/** Each unit's τ after against before (log axes) with the identity line; `labels` renames the axes. */
export function tauBeforeAfterSvg(
  points: { before: number; after: number }[],
  title: string,
  labels: { x: string; y: string } = { x: 'τ before retraining (ms)', y: 'τ after retraining (ms)' },
): string {
  const vals = points.flatMap((p) => [p.before, p.after]).filter((v) => v > 0);
  const lo = vals.length ? Math.min(...vals) : 1;
  const hi = vals.length ? Math.max(...vals) : 1000;
  return plotSvg({
    title,
    width: 460,
    height: 420,
    marginLeft: 60,
    x: { type: 'log', label: labels.x, domain: [lo, hi] },
    y: { type: 'log', label: labels.y, domain: [lo, hi] },
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

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** Fig. 5 of the reproduction: median τ and rate/spiking 750-ms accuracy against the I→I factor, one line per model (null: no complete model). */
export function kimIiScalingSvg(result: Kim2021Result): string | null {
  const points = result.models
    .filter((m) => m.complete)
    .flatMap((m) =>
      m.levels.map((x) => ({
        seed: `seed ${m.seed}`,
        factor: x.factor,
        tau: x.medianTauMs,
        rate: x.rateAccuracyLong,
        spiking: x.spikingAccuracyLong,
      })),
    );
  if (!points.length) return null;
  const seeds = [...new Set(points.map((p) => p.seed))];
  const color = { domain: seeds, range: seeds.map((_, i) => PALETTE[i % PALETTE.length]) };
  const panel = (y: 'tau' | 'rate' | 'spiking', label: string, domain?: [number, number]) => ({
    title: label,
    width: 560,
    height: 220,
    marginLeft: 60,
    x: { label: 'I→I factor', ticks: result.levels, domain: [0.65, 1.35] as [number, number] },
    y: { label: null, grid: true, ...(domain ? { domain } : {}) },
    color,
    marks: [
      Plot.line(points, { x: 'factor', y, stroke: 'seed', strokeOpacity: 0.8 }),
      Plot.dot(points, { x: 'factor', y, fill: 'seed', r: 3 }),
      ...(y === 'tau' && seeds.length <= PALETTE.length
        ? legendMarks(
            seeds.map((label, i) => ({ label, color: color.range[i] })),
            'top-left',
          )
        : []),
    ],
  });
  return stackedPlotsSvg([
    panel('tau', 'median neuronal timescale τ (ms)'),
    panel('rate', 'rate DMS accuracy, 750-ms delay', [0, 1]),
    panel('spiking', 'spiking DMS accuracy, 750-ms delay', [0, 1]),
  ]);
}

/**
 * The figures of `kim2021Panels` under the names the report cites (`KIM_PANEL_FIGURES`): only
 * those with something to draw.
 */
export function kim2021PanelFigures(p: KimPanelsResult): { name: string; svg: string; caption: string }[] {
  const out: { name: string; svg: string; caption: string }[] = [];
  const label = (n: { task: string; seed: number }) => `${n.task} ${n.seed}`;
  const dms = p.networks.filter((n) => n.task === 'dms');
  const ct = dms.filter((n) => n.crossTemporal);
  if (ct.length) {
    const rows = ct.flatMap((n) => {
      const c = n.crossTemporal as NonNullable<(typeof n)['crossTemporal']>;
      return [
        { network: label(n), half: 'long τ', acc: c.long.delayAccuracy },
        { network: label(n), half: 'short τ', acc: c.short.delayAccuracy },
      ];
    });
    out.push({
      name: KIM_PANEL_FIGURES.fig3Delay,
      caption: 'delay decoding accuracy, long- vs short-τ half',
      svg: plotSvg({
        title: 'Fig. 3: delay-period cue decoding, long-τ vs short-τ half (one line per network)',
        width: 460,
        height: 340,
        marginLeft: 60,
        x: { label: null, domain: ['short τ', 'long τ'] },
        y: { label: 'delay decoding accuracy', grid: true, domain: [0.4, 1] },
        marks: [
          Plot.ruleY([0.5], { stroke: '#999', strokeDasharray: '3,3' }),
          Plot.line(rows, { x: 'half', y: 'acc', z: 'network', stroke: '#4c72b0', strokeOpacity: 0.6 }),
          Plot.dot(rows, { x: 'half', y: 'acc', fill: '#4c72b0', r: 3 }),
        ],
      }),
    });
    // the matrices averaged over networks with the same time bins
    const first = ct[0].crossTemporal as NonNullable<(typeof ct)[0]['crossTemporal']>;
    const same = ct.filter((n) => n.crossTemporal?.timesMs.length === first.timesMs.length);
    const avg = (key: 'long' | 'short') => {
      const m = new Float64Array(first.long.matrix.length);
      for (const n of same) {
        const x = (n.crossTemporal as NonNullable<(typeof n)['crossTemporal']>)[key].matrix;
        for (let i = 0; i < m.length; i++) m[i] += x[i] / same.length;
      }
      return m;
    };
    out.push({
      name: KIM_PANEL_FIGURES.fig3Matrices,
      caption: 'cross-temporal decoding, long- vs short-τ half, mean over DMS networks',
      svg: crossTemporalSvg(
        [
          { name: 'long-τ half', matrix: avg('long'), n: first.long.units },
          { name: 'short-τ half', matrix: avg('short'), n: first.short.units },
        ],
        first.timesMs,
        `Fig. 3: cross-temporal decoding, mean of ${same.length} DMS network${same.length === 1 ? '' : 's'}`,
      ),
    });
  }
  if (p.fig4) {
    const rows = p.networks.flatMap((n) =>
      KIM_TASK_MEASURES.map((m) => ({ task: n.task, run: label(n), measure: m.label, value: m.get(n) })),
    );
    out.push({
      name: KIM_PANEL_FIGURES.fig4,
      caption: 'synapse classes and timescales by training task',
      svg: byTaskSvg(
        rows,
        KIM_TASK_MEASURES.map((m) => m.label),
        'Fig. 4: synapse classes and timescales by training task',
      ),
    });
  }
  const sub = dms.flatMap((n) =>
    [n.subgroups, n.subgroupsSpiking].flatMap((s) =>
      s
        ? s.scaled.flatMap((x) => [
            { network: `${label(n)}, ${s.network}`, kind: s.network, factor: x.factor, acc: x.between, what: 'between subgroups' },
            { network: `${label(n)}, ${s.network}`, kind: s.network, factor: x.factor, acc: x.controlMean, what: 'random controls' },
          ])
        : [],
    ),
  );
  if (sub.length) {
    const kinds = [...new Set(sub.map((r) => r.kind))];
    out.push({
      name: KIM_PANEL_FIGURES.fig6,
      caption: 'DMS accuracy with between-subgroup vs random I→I scaled',
      svg: stackedPlotsSvg(
        kinds.map((kind, k) => ({
          title: `${k === 0 ? 'Fig. 6: ' : ''}${kind} networks — between-subgroup I→I scaled (dots) vs random controls (rings)`,
          width: 560,
          height: 260,
          marginLeft: 60,
          x: { label: 'factor on the scaled I→I connections' },
          y: { label: '750-ms DMS accuracy', grid: true, domain: [0, 1] },
          marks: [
            Plot.line(
              sub.filter((r) => r.kind === kind && r.what === 'between subgroups'),
              { x: 'factor', y: 'acc', z: 'network', stroke: '#e15759', strokeOpacity: 0.6 },
            ),
            Plot.dot(
              sub.filter((r) => r.kind === kind && r.what === 'between subgroups'),
              { x: 'factor', y: 'acc', fill: '#e15759', r: 3 },
            ),
            Plot.dot(
              sub.filter((r) => r.kind === kind && r.what === 'random controls'),
              { x: 'factor', y: 'acc', stroke: '#4c72b0', r: 4 },
            ),
          ],
        })),
      ),
    });
  }
  const fano = p.networks.flatMap((n) => {
    const f = n.fano;
    if (!f) return [];
    const pts: { tauMs: number; fano: number }[] = [];
    for (let u = 0; u < n.tauMs.length; u++)
      if (Number.isFinite(n.tauMs[u]) && Number.isFinite(f.fano[u])) pts.push({ tauMs: n.tauMs[u], fano: f.fano[u] });
    return pts;
  });
  if (fano.length)
    out.push({
      name: KIM_PANEL_FIGURES.fig7,
      caption: 'fixation Fano factor vs τ, every unit of every network',
      svg: fanoVsTauSvg(fano, 'Fig. 7: fixation Fano factor vs τ, all networks'),
    });
  const pairs = dms.flatMap((n) => n.retrain?.pairs ?? []);
  if (pairs.length)
    out.push({
      name: KIM_PANEL_FIGURES.fig8,
      caption: 'τ before vs after retraining',
      svg: tauBeforeAfterSvg(pairs, `Fig. 8: τ before vs after retraining on ${p.options.retrainTask}, all DMS networks`),
    });
  const ub = p.networks.flatMap((n) => {
    const u = n.unbiased;
    if (!u) return [];
    const pts: { before: number; after: number }[] = [];
    for (let k = 0; k < n.tauMs.length; k++)
      if (Number.isFinite(n.tauMs[k]) && Number.isFinite(u.tauMs[k])) pts.push({ before: n.tauMs[k], after: u.tauMs[k] });
    return pts;
  });
  if (ub.length)
    out.push({
      name: KIM_PANEL_FIGURES.unbiased,
      caption: 'unbiased vs paper’s τ per unit',
      svg: tauBeforeAfterSvg(ub, 'Unbiased vs the paper’s τ estimate, every unit with both', {
        x: 'τ, the paper’s estimator (ms)',
        y: 'τ, unbiased estimator (ms)',
      }),
    });
  return out;
}
