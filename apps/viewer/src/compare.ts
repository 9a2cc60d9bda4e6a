/** Two or more runs side by side: their metrics in one table (labels with units) and their curves overlaid. */
import { metricInfo, metricLabel } from '@wmkit/data-io';
import { api, type RunDetail } from './api';
import { el, Plot, panel } from './plots';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
const X_KEYS = ['trial', 'step', 'epoch', 'presentations', 'N'];

function fmt(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
  if (v == null) return '—';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** The compare page of the runs at `paths` (relative to the runs directory). */
export async function renderCompare(app: HTMLElement, paths: string[]): Promise<void> {
  if (paths.length < 2) throw new Error('choose two or more runs to compare (tick them in the run list)');
  const runs: RunDetail[] = await Promise.all(paths.map((p) => api.run(p)));
  const name = (r: RunDetail) => r.path || '.';
  const color = (i: number) => COLORS[i % COLORS.length];
  // metrics: every scalar metric of any run, one row each
  const keys = [
    ...new Set(runs.flatMap((r) => Object.keys(r.metrics).filter((k) => typeof r.metrics[k] !== 'object' || r.metrics[k] === null))),
  ];
  const table = el(
    'table',
    { class: 'runs compare', id: 'compare-metrics' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', {}, 'metric'),
        ...runs.map((r, i) => el('th', { style: `color:${color(i)}` }, el('a', { href: `#/run/${encodeURIComponent(r.path)}` }, name(r)))),
      ),
    ),
    el(
      'tbody',
      {},
      el('tr', {}, el('th', {}, 'kind'), ...runs.map((r) => el('td', {}, r.kind))),
      el('tr', {}, el('th', {}, 'status'), ...runs.map((r) => el('td', { class: `status ${r.status}` }, r.status))),
      el('tr', {}, el('th', {}, 'seed'), ...runs.map((r) => el('td', {}, fmt(r.seed)))),
      ...keys.map((k) =>
        el(
          'tr',
          { 'data-metric': k },
          el('th', { title: metricInfo(k).description || k }, metricLabel(k)),
          ...runs.map((r) => el('td', {}, fmt(r.metrics[k]))),
        ),
      ),
    ),
  );
  app.replaceChildren(el('h2', {}, `Comparing ${runs.length} runs`), panel('Metrics', table, 'Hover a metric for its description.'));
  // curves: each numeric field of metrics.jsonl that two or more runs share, overlaid
  const curves = await Promise.all(
    runs.map((r) => (r.files.includes('metrics.jsonl') ? api.jsonl(r.path, 'metrics.jsonl') : Promise.resolve([]))),
  );
  const xKey = X_KEYS.find((k) => curves.filter((rows) => rows.some((x) => typeof x[k] === 'number')).length >= 2);
  if (!xKey) {
    app.append(
      el(
        'p',
        { class: 'note' },
        'No curves to overlay: fewer than two of these runs have metrics.jsonl with a common x (trial, step, epoch).',
      ),
    );
    return;
  }
  const fields = [
    ...new Set(curves.flatMap((rows) => rows.flatMap((x) => Object.keys(x).filter((k) => k !== xKey && typeof x[k] === 'number')))),
  ].filter(
    (k) => !['seconds', 'lr', 'update'].includes(k) && curves.filter((rows) => rows.some((x) => typeof x[k] === 'number')).length >= 2,
  );
  const box = el('div', { class: 'curves', id: 'compare-curves' });
  for (const k of fields.slice(0, 6)) {
    const data = curves.flatMap((rows, i) =>
      rows
        .filter((x) => typeof x[xKey] === 'number' && typeof x[k] === 'number' && Number.isFinite(x[k] as number))
        .map((x) => ({ x: x[xKey] as number, y: x[k] as number, run: name(runs[i]) })),
    );
    box.append(
      Plot.plot({
        width: 460,
        height: 240,
        marginLeft: 55,
        grid: true,
        x: { label: metricLabel(xKey) },
        y: { label: metricLabel(k) },
        color: { domain: runs.map(name), range: runs.map((_, i) => color(i)) },
        marks: [Plot.line(data, { x: 'x', y: 'y', stroke: 'run', z: 'run' })],
      }),
    );
  }
  const legend = el('p', {}, ...runs.map((r, i) => el('span', { class: 'legend-item', style: `color:${color(i)}` }, `● ${name(r)} `)));
  app.append(panel('Curves, overlaid (metrics.jsonl)', el('div', {}, legend, box)));
}
