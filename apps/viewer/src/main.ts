import './style.css';
import { renderCompare } from './compare';
import { renderList } from './list';
import { renderLive, stopLive } from './live';
import { el } from './plots';
import { renderRun } from './run';

const app = document.getElementById('app') as HTMLElement;

/** How often the page of a run that is still `running` reloads its data (ms). */
const REFRESH_MS = 2000;
let refreshTimer: ReturnType<typeof setTimeout> | null = null;
let refreshes = 0;

async function route(refresh = false): Promise<void> {
  const rawHash = location.hash.replace(/^#\/?/, '');
  const hash = decodeURIComponent(rawHash);
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = null;
  stopLive();
  if (!refresh) {
    refreshes = 0;
    app.replaceChildren(el('p', { class: 'note' }, 'loading…'));
  }
  let running = false;
  try {
    if (hash.startsWith('run/')) {
      // draw into a detached element, then swap, so a refresh does not flash or lose the scroll position
      const page = el('div', {});
      running = (await renderRun(page, hash.slice(4))) === 'running';
      if (running) page.prepend(el('p', { class: 'live-badge', id: 'live-badge' }, `● running — refreshing every ${REFRESH_MS / 1000} s`));
      const y = window.scrollY;
      app.replaceChildren(...page.childNodes);
      if (refresh) window.scrollTo(0, y);
    } else if (rawHash.startsWith('compare/')) {
      const paths = rawHash.slice('compare/'.length).split(',').map(decodeURIComponent);
      await renderCompare(app, paths);
    } else if (hash === 'live') renderLive(app);
    else await renderList(app);
  } catch (err) {
    app.replaceChildren(el('p', { class: 'error' }, `Could not load this page: ${(err as Error).message}`));
  }
  app.setAttribute('data-ready', hash || 'list');
  app.setAttribute('data-refreshes', String(refreshes));
  if (running) {
    const at = location.hash;
    refreshTimer = setTimeout(() => {
      if (location.hash !== at) return;
      refreshes++;
      void route(true);
    }, REFRESH_MS);
  }
}

window.addEventListener('hashchange', () => void route());
void route();
