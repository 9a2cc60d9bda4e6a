import './style.css';
import { renderList } from './list';
import { renderLive, stopLive } from './live';
import { el } from './plots';
import { renderRun } from './run';

const app = document.getElementById('app') as HTMLElement;

async function route(): Promise<void> {
  const hash = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  stopLive();
  app.replaceChildren(el('p', { class: 'note' }, 'loading…'));
  try {
    if (hash.startsWith('run/')) await renderRun(app, hash.slice(4));
    else if (hash === 'live') renderLive(app);
    else await renderList(app);
  } catch (err) {
    app.replaceChildren(el('p', { class: 'error' }, `Could not load this page: ${(err as Error).message}`));
  }
  app.setAttribute('data-ready', hash || 'list');
}

window.addEventListener('hashchange', () => void route());
void route();
