/** The run list: kind, preset, seed, status, key metrics, date; filter by text and kind. */
import { metricLabel } from '@wmkit/data-io';
import { api, type RunSummary } from './api';
import { el } from './plots';

function keyMetrics(m: Record<string, unknown>): string {
  const out: string[] = [];
  for (const [k, v] of Object.entries(m)) {
    if (typeof v === 'number' && Number.isFinite(v))
      out.push(`${metricLabel(k)} ${Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(0) : v.toPrecision(3)}`);
    else if (typeof v === 'boolean') out.push(`${metricLabel(k)} ${v}`);
    if (out.length >= 3) break;
  }
  return out.join(' · ');
}

export async function renderList(app: HTMLElement): Promise<void> {
  const { root, runs } = await api.runs();
  const rootEl = document.getElementById('root-dir');
  if (rootEl) rootEl.textContent = root;
  const kinds = [...new Set(runs.map((r) => r.kind))].sort();
  const filter = el('input', { type: 'search', placeholder: 'filter: path, kind, preset, metric…', id: 'filter' }) as HTMLInputElement;
  const kindSel = el(
    'select',
    { id: 'kind' },
    el('option', { value: '' }, 'all kinds'),
    ...kinds.map((k) => el('option', { value: k }, k)),
  ) as HTMLSelectElement;
  const tbody = el('tbody');
  const table = el(
    'table',
    { class: 'runs', id: 'run-list' },
    el('thead', {}, el('tr', {}, ...['', 'run', 'kind', 'preset', 'seed', 'status', 'key metrics', 'date'].map((h) => el('th', {}, h)))),
    tbody,
  );
  const count = el('span', { class: 'note' });
  const chosen = new Set<string>();
  const compare = el('button', { type: 'button', id: 'compare', disabled: '' }, 'compare selected') as HTMLButtonElement;
  const updateCompare = () => {
    compare.disabled = chosen.size < 2;
    compare.textContent = chosen.size >= 2 ? `compare ${chosen.size} runs` : 'compare selected (tick 2 or more)';
  };
  compare.addEventListener('click', () => {
    location.hash = `#/compare/${[...chosen].map(encodeURIComponent).join(',')}`;
  });
  updateCompare();
  const checkbox = (path: string) => {
    const c = el('input', { type: 'checkbox', 'aria-label': `select ${path || '.'} to compare`, 'data-path': path }) as HTMLInputElement;
    c.checked = chosen.has(path);
    c.addEventListener('change', () => {
      if (c.checked) chosen.add(path);
      else chosen.delete(path);
      updateCompare();
    });
    return c;
  };
  const draw = () => {
    const q = filter.value.toLowerCase();
    const shown = runs.filter(
      (r: RunSummary) =>
        (!kindSel.value || r.kind === kindSel.value) &&
        (!q || `${r.path} ${r.kind} ${r.preset ?? ''} ${keyMetrics(r.metrics)}`.toLowerCase().includes(q)),
    );
    tbody.replaceChildren(
      ...shown.map((r) =>
        el(
          'tr',
          { 'data-kind': r.kind },
          el('td', {}, checkbox(r.path)),
          el('td', {}, el('a', { href: `#/run/${encodeURIComponent(r.path)}` }, r.path || '.')),
          el('td', {}, r.kind),
          el('td', {}, r.preset ?? ''),
          el('td', {}, r.seed == null ? '' : String(r.seed)),
          el('td', { class: `status ${r.status}` }, r.status),
          el('td', { class: 'metrics' }, keyMetrics(r.metrics)),
          el('td', {}, r.startedAt.replace('T', ' ').slice(0, 16)),
        ),
      ),
    );
    count.textContent = `${shown.length} of ${runs.length} runs`;
  };
  filter.addEventListener('input', draw);
  kindSel.addEventListener('change', draw);
  draw();
  app.replaceChildren(el('h2', {}, 'Runs'), el('div', { class: 'toolbar' }, filter, kindSel, compare, count), table);
  if (!runs.length)
    app.append(el('p', { class: 'note' }, 'No run directories here yet: run e.g. `wmkit demo --out runs/demo`, then reload.'));
}
