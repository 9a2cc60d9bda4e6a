/** A run's page: header, metrics, kind-specific figures drawn from its arrays, report figures, sub-runs. */
import { api, fileUrl, type RunDetail, toNumbers } from './api';
import { curvesFigure, el, heatmap, logHistogram, maxOf, Plot, panel, raster } from './plots';

type Panel = Promise<HTMLElement | null>;
const has = (r: RunDetail, ...names: string[]) => names.every((n) => r.arrays.some((a) => a.name === n));
const shapeOf = (r: RunDetail, n: string) => r.arrays.find((a) => a.name === n)?.shape ?? [];

async function trainingCurves(r: RunDetail): Panel {
  if (!r.files.includes('metrics.jsonl')) return null;
  const rows = await api.jsonl(r.path, 'metrics.jsonl');
  const fig = curvesFigure(rows);
  return fig ? panel('Curves (metrics.jsonl)', fig) : null;
}

/** E/I connectivity W_eff = relu(w)·diag(sign) ⊙ mask, units ordered E then I. */
async function connectivity(r: RunDetail): Panel {
  if (!has(r, 'w', 'sign')) return null;
  const [w, sign] = await Promise.all([api.npy(r.path, 'w.npy'), api.npy(r.path, 'sign.npy')]);
  const mask = has(r, 'som_m') ? toNumbers(await api.npy(r.path, 'som_m.npy')) : null;
  const N = w.shape[0];
  const s = toNumbers(sign);
  const W = toNumbers(w);
  const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => s[b] - s[a] || a - b);
  const nE = s.filter((x) => x > 0).length;
  const vals = new Float64Array(N * N);
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) {
      const i = order[a];
      const j = order[b];
      vals[a * N + b] = Math.max(0, W[i * N + j]) * s[j] * (mask ? mask[i * N + j] : 1);
    }
  return panel(
    'Connectivity W_eff (rows postsynaptic; E units first)',
    heatmap(
      { values: vals, width: N, height: N, x: [0, N], y: [0, N] },
      {
        xLabel: 'presynaptic unit',
        yLabel: 'postsynaptic unit',
        diverging: true,
        label: 'weight',
        overlay: [Plot.ruleX([nE], { stroke: 'black' }), Plot.ruleY([nE], { stroke: 'black' })],
      },
    ),
    `${nE} excitatory (red, positive columns), ${N - nE} inhibitory (blue); lines mark the E/I blocks.`,
  );
}

async function timescales(r: RunDetail): Panel {
  if (!has(r, 'tau_ms')) return null;
  const tau = Array.from(toNumbers(await api.npy(r.path, 'tau_ms.npy'))).filter(Number.isFinite);
  if (!tau.length) return null;
  const sorted = [...tau].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const synaptic = r.kind === 'ei-rnn.rate';
  return panel(
    synaptic ? 'Synaptic decay τ_d per unit' : 'Neuronal timescales',
    logHistogram(tau, { lo: synaptic ? 1 : 0.7, hi: synaptic ? 2.4 : 2.7, bins: 20, xLabel: 'τ (ms)', median }),
    `${tau.length} units; median ${median.toFixed(1)} ms (red).`,
  );
}

async function spikeRaster(r: RunDetail): Panel {
  if (!has(r, 'spike_trial', 'spike_unit', 'spike_time_ms')) return null;
  const [tr, un, tm] = await Promise.all(
    ['spike_trial', 'spike_unit', 'spike_time_ms'].map((n) => api.npy(r.path, `${n}.npy`).then(toNumbers)),
  );
  const cfg = r.config as { trialMs?: number };
  const tMax = cfg.trialMs ?? maxOf(tm);
  const nUnits = maxOf(un) + 1;
  const t0 = [];
  const u0 = [];
  for (let k = 0; k < tr.length; k++)
    if (tr[k] === 0) {
      t0.push(tm[k]);
      u0.push(un[k]);
    }
  return panel(
    'Spike raster, trial 1',
    raster(t0, u0, { nUnits, tMin: 0, tMax, xLabel: 'time (ms)', yLabel: 'unit' }),
    `${t0.length.toLocaleString()} spikes in trial 1 (${tr.length.toLocaleString()} in ${maxOf(tr) + 1} trials).`,
  );
}

async function ratesHeatmap(r: RunDetail): Panel {
  if (!has(r, 'rates')) return null;
  const [, T, N] = shapeOf(r, 'rates');
  const rates = toNumbers(await api.npy(r.path, 'rates.npy'));
  const vals = new Float64Array(N * T);
  for (let t = 0; t < T; t++) for (let n = 0; n < N; n++) vals[(N - 1 - n) * T + t] = rates[t * N + n];
  const dt = ((r.config as { task?: { dtMs?: number } }).task?.dtMs ?? 5) as number;
  return panel(
    'Rates, trial 1 (unit × time)',
    heatmap({ values: vals, width: T, height: N, x: [0, T * dt], y: [N, 0] }, { xLabel: 'time (ms)', yLabel: 'unit', label: 'rate' }),
  );
}

/** Ring attractor: E rates (neuron angle × time) of one trial with the decoded angle on top. */
async function bumpHeatmap(r: RunDetail): Panel {
  if (!has(r, 'traces', 'record_times_ms')) return null;
  const [n, nRec, N] = shapeOf(r, 'traces');
  if (!n) return null;
  const [tr, times] = await Promise.all([
    api.npy(r.path, 'traces.npy').then(toNumbers),
    api.npy(r.path, 'record_times_ms.npy').then(toNumbers),
  ]);
  const vals = new Float64Array(N * nRec);
  for (let t = 0; t < nRec; t++) for (let j = 0; j < N; j++) vals[(N - 1 - j) * nRec + t] = tr[t * N + j];
  const overlay: Plot.Markish[] = [];
  if (has(r, 'decoded_angle')) {
    const dec = toNumbers(await api.npy(r.path, 'decoded_angle.npy'));
    const path = Array.from({ length: nRec }, (_, t) => ({ t: times[t], deg: ((((dec[t] * 180) / Math.PI) % 360) + 360) % 360 }));
    overlay.push(Plot.dot(path, { x: 't', y: 'deg', r: 1.5, fill: '#39ff14' }));
  }
  const dt = times[1] - times[0];
  return panel(
    `Bump heat map, trial 1 of ${n} traced`,
    heatmap(
      { values: vals, width: nRec, height: N, x: [times[0] - dt / 2, times[nRec - 1] + dt / 2], y: [360, 0] },
      { xLabel: 'time (ms)', yLabel: 'neuron (deg)', label: 'rate (Hz)', overlay },
    ),
    'Green: population-vector decoded angle.',
  );
}

/** Ring attractor: tuning curves (mean delay rate per cue) of neurons preferring 0°, 90°, 180°, 270°. */
async function tuningCurves(r: RunDetail): Panel {
  if (!has(r, 'delay_rates', 'cue_angle')) return null;
  const [trials, N] = shapeOf(r, 'delay_rates');
  const [rates, cues] = await Promise.all([
    api.npy(r.path, 'delay_rates.npy').then(toNumbers),
    api.npy(r.path, 'cue_angle.npy').then(toNumbers),
  ]);
  const cueDeg = Array.from(cues, (c) => Math.round(((((c * 180) / Math.PI) % 360) + 360) % 360));
  const distinct = [...new Set(cueDeg)].sort((a, b) => a - b);
  const rows: { cue: number; rate: number; neuron: string }[] = [];
  for (const pref of [0, 90, 180, 270]) {
    const j = Math.round((pref / 360) * N) % N;
    for (const c of distinct) {
      let sum = 0;
      let n = 0;
      for (let t = 0; t < trials; t++)
        if (cueDeg[t] === c) {
          sum += rates[t * N + j];
          n++;
        }
      rows.push({ cue: c, rate: sum / n, neuron: `neuron at ${pref}°` });
    }
  }
  return panel(
    'Tuning curves (mean rate over the last 100 ms of the delay)',
    Plot.plot({
      width: 620,
      height: 280,
      marginLeft: 50,
      x: { label: 'cue (deg)', ticks: distinct },
      y: { label: 'delay rate (Hz)', grid: true },
      color: { legend: true },
      marks: [Plot.line(rows, { x: 'cue', y: 'rate', stroke: 'neuron', marker: 'circle' })],
    }),
  );
}

/** Delay network: target vs recalled spikes of pattern 1. */
async function hdsnnRaster(r: RunDetail): Panel {
  if (!has(r, 'recall_events', 'patterns')) return null;
  const [M, N, T] = shapeOf(r, 'patterns');
  const [pat, ev] = await Promise.all([api.npy(r.path, 'patterns.npy'), api.npy(r.path, 'recall_events.npy').then(toNumbers)]);
  const tt: number[] = [];
  const tu: number[] = [];
  for (let n = 0; n < N; n++)
    for (let t = 0; t < T; t++)
      if ((pat.data as Uint8Array)[n * T + t]) {
        tt.push(t);
        tu.push(n);
      }
  const rt: number[] = [];
  const ru: number[] = [];
  for (let k = 0; k < ev.length / 3; k++)
    if (ev[3 * k] === 0) {
      rt.push(ev[3 * k + 2]);
      ru.push(ev[3 * k + 1]);
    }
  const box = el('div', {});
  box.append(
    raster(tt, tu, { nUnits: N, tMin: 0, tMax: T, xLabel: 'step', yLabel: 'neuron (target)', color: '#1f77b4' }),
    raster(rt, ru, { nUnits: N, tMin: 0, tMax: T, xLabel: 'step', yLabel: 'neuron (recall)', color: '#d62728' }),
  );
  return panel(`Target (blue) vs recall (red), pattern 1 of ${M}`, box, `${tt.length} target spikes, ${rt.length} recalled.`);
}

export async function renderRun(app: HTMLElement, path: string): Promise<void> {
  const r = await api.run(path);
  const { runs } = await api.runs();
  const children = runs.filter((x) => x.path !== path && (path ? x.path.startsWith(`${path}/`) : x.path !== ''));
  const header = el(
    'div',
    { class: 'run-header' },
    el('h2', {}, `${r.kind}: ${path || '.'}`),
    el(
      'p',
      {},
      `status ${r.status} · preset ${r.preset ?? '—'} · seed ${r.seed ?? '—'} · started ${r.startedAt.replace('T', ' ').slice(0, 19)}`,
    ),
    el('p', { class: 'note' }, (r.command ?? []).join(' ')),
  );
  const metrics = Object.entries(r.metrics).filter(([, v]) => typeof v !== 'object' || v === null);
  const mtable = el(
    'table',
    { class: 'kv' },
    ...metrics.map(([k, v]) =>
      el('tr', {}, el('th', {}, k), el('td', {}, typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v))),
    ),
  );
  app.replaceChildren(header);
  if (metrics.length) app.append(panel('Metrics', mtable));
  const panels = await Promise.all(
    [trainingCurves, connectivity, timescales, spikeRaster, ratesHeatmap, bumpHeatmap, tuningCurves, hdsnnRaster].map((f) =>
      f(r).catch((err: Error) => panel('Could not draw a figure', el('p', { class: 'error' }, err.message))),
    ),
  );
  for (const p of panels) if (p) app.append(p);
  if (r.figures.length) {
    const figs = el('div', { class: 'figures' });
    for (const f of r.figures)
      figs.append(el('figure', {}, el('img', { src: fileUrl(path, f.file), alt: f.name }), el('figcaption', {}, f.caption ?? f.name)));
    app.append(panel('Figures written by the run', figs));
  }
  if (children.length)
    app.append(
      panel(
        'Sub-runs',
        el(
          'ul',
          {},
          ...children.map((c) => el('li', {}, el('a', { href: `#/run/${encodeURIComponent(c.path)}` }, c.path), ` — ${c.kind}`)),
        ),
      ),
    );
  if (r.arrays.length)
    app.append(
      panel(
        'Arrays',
        el(
          'table',
          { class: 'kv' },
          ...r.arrays.map((a) =>
            el(
              'tr',
              {},
              el('th', {}, el('a', { href: fileUrl(path, a.file) }, a.name)),
              el('td', {}, `${a.dtype} [${a.shape.join(', ')}]`),
            ),
          ),
        ),
        'numpy: numpy.load(<file>)',
      ),
    );
}
