/** A run's page: header, metrics, kind-specific figures drawn from its arrays, report figures, sub-runs. */
import { metricInfo, metricLabel } from '@wmkit/data-io';
import { api, fileUrl, type RunDetail, toNumbers } from './api';
import { compteDecoded, compteRaster, isCompteRun } from './compte';
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

/** Connectivity W_eff: with Dale's law relu(w)·diag(sign) ⊙ mask, units ordered E then I; without it, w ⊙ mask. */
async function connectivity(r: RunDetail): Panel {
  if (!has(r, 'w', 'sign')) return null;
  const [w, sign] = await Promise.all([api.npy(r.path, 'w.npy'), api.npy(r.path, 'sign.npy')]);
  const mask = has(r, 'som_m') ? toNumbers(await api.npy(r.path, 'som_m.npy')) : null;
  const N = w.shape[0];
  const s = toNumbers(sign);
  const W = toNumbers(w);
  const cfg = r.config as { model?: { dale?: boolean }; dale?: boolean } | null;
  const dale = (cfg?.model?.dale ?? cfg?.dale) !== false;
  const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => (dale ? s[b] - s[a] : 0) || a - b);
  const nE = s.filter((x) => x > 0).length;
  const vals = new Float64Array(N * N);
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) {
      const i = order[a];
      const j = order[b];
      const wij = dale ? Math.max(0, W[i * N + j]) * s[j] : W[i * N + j];
      vals[a * N + b] = wij * (mask ? mask[i * N + j] : 1);
    }
  return panel(
    dale ? 'Connectivity W_eff (rows postsynaptic; E units first)' : 'Connectivity W (rows postsynaptic; no sign constraint)',
    heatmap(
      { values: vals, width: N, height: N, x: [0, N], y: [0, N] },
      {
        xLabel: 'presynaptic unit',
        yLabel: 'postsynaptic unit',
        diverging: true,
        label: 'weight',
        overlay: dale ? [Plot.ruleX([nE], { stroke: 'black' }), Plot.ruleY([nE], { stroke: 'black' })] : [],
      },
    ),
    dale
      ? `${nE} excitatory (red, positive columns), ${N - nE} inhibitory (blue); lines mark the E/I blocks.`
      : 'No Dale constraint: each weight may take either sign (red positive, blue negative).',
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
  if (!has(r, 'spike_trial', 'spike_unit', 'spike_time_ms') || isCompteRun(r)) return null; // compte: its own raster (compte.ts)
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
  // centred on trial 1's cue: rows run from cue − 180° (bottom) to cue + 180° (top), so a bump at
  // the cue is one band in the middle, never split across the 0°/360° wrap
  const cueDeg = has(r, 'cue_angle') ? (toNumbers(await api.npy(r.path, 'cue_angle.npy'))[0] * 180) / Math.PI : null;
  const wrap = (a: number) => (cueDeg == null ? ((a % 360) + 360) % 360 : ((((a - cueDeg + 180) % 360) + 360) % 360) - 180);
  const byAngle = Array.from({ length: N }, (_, j) => j).sort((a, b) => wrap((360 * a) / N) - wrap((360 * b) / N));
  const vals = new Float64Array(N * nRec);
  for (let k = 0; k < N; k++) for (let t = 0; t < nRec; t++) vals[(N - 1 - k) * nRec + t] = tr[t * N + byAngle[k]];
  const lo = wrap((360 * byAngle[0]) / N);
  const overlay: Plot.Markish[] = [];
  if (has(r, 'decoded_angle')) {
    const dec = toNumbers(await api.npy(r.path, 'decoded_angle.npy'));
    const path = Array.from({ length: nRec }, (_, t) => ({ t: times[t], deg: wrap((dec[t] * 180) / Math.PI) }));
    overlay.push(Plot.dot(path, { x: 't', y: 'deg', r: 1.5, fill: '#39ff14' }));
  }
  const dt = times[1] - times[0];
  return panel(
    `Bump heat map, trial 1 of ${n} traced${cueDeg == null ? '' : ` (cue ${cueDeg.toFixed(0)}°)`}`,
    heatmap(
      { values: vals, width: nRec, height: N, x: [times[0] - dt / 2, times[nRec - 1] + dt / 2], y: [lo + 360, lo] },
      {
        xLabel: 'time (ms)',
        yLabel: cueDeg == null ? 'neuron angle (deg)' : 'neuron angle − cue (deg)',
        label: r.kind === 'attractor.simulate' ? 'r_E (model units)' : 'rate (Hz)',
        overlay,
      },
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

/** STM network: autonomous runs per cue on PC1–2 with the fixed/slow points and their stability. */
async function pcaFixedPoints(r: RunDetail): Panel {
  if (!has(r, 'pca_trajectories', 'fixed_points_pca', 'fixed_points_unstable')) return null;
  const [nCues, T] = shapeOf(r, 'pca_trajectories');
  const [traj, fp, unstable, slow, explained] = await Promise.all([
    api.npy(r.path, 'pca_trajectories.npy').then(toNumbers),
    api.npy(r.path, 'fixed_points_pca.npy').then(toNumbers),
    api.npy(r.path, 'fixed_points_unstable.npy').then(toNumbers),
    has(r, 'fixed_points_slow') ? api.npy(r.path, 'fixed_points_slow.npy').then(toNumbers) : Promise.resolve(null),
    has(r, 'pca_explained') ? api.npy(r.path, 'pca_explained.npy').then(toNumbers) : Promise.resolve(null),
  ]);
  const line: { pc1: number; pc2: number; cue: string }[] = [];
  const every = Math.max(1, Math.floor(T / 2000));
  for (let c = 0; c < nCues; c++)
    for (let t = 0; t < T; t += every) line.push({ pc1: traj[(c * T + t) * 3], pc2: traj[(c * T + t) * 3 + 1], cue: `cue ${c + 1}` });
  const kindOf = (k: number) => (slow?.[k] ? 'slow point' : unstable[k] === 0 ? 'stable fixed point' : 'saddle / unstable');
  const pts = Array.from({ length: unstable.length }, (_, k) => ({
    pc1: fp[3 * k],
    pc2: fp[3 * k + 1],
    kind: kindOf(k),
    'unstable directions': unstable[k],
  }));
  const pc = (i: number) => (explained ? `PC${i + 1} (${(100 * explained[i]).toFixed(0)}%)` : `PC${i + 1}`);
  const counts = {
    stable: pts.filter((p) => p.kind === 'stable fixed point').length,
    slow: pts.filter((p) => p.kind === 'slow point').length,
  };
  return panel(
    'Autonomous dynamics: trajectories on PC1–2 with fixed points',
    Plot.plot({
      width: 620,
      height: 460,
      marginLeft: 50,
      grid: true,
      x: { label: pc(0) },
      y: { label: pc(1) },
      color: { legend: true, domain: ['cue 1', 'cue 2'].slice(0, nCues), range: ['#1f77b4', '#ff7f0e'] },
      symbol: { legend: true, domain: ['stable fixed point', 'saddle / unstable', 'slow point'], range: ['circle', 'diamond', 'times'] },
      marks: [
        Plot.line(line, { x: 'pc1', y: 'pc2', z: 'cue', stroke: 'cue', strokeOpacity: 0.75 }),
        Plot.dot(pts, {
          x: 'pc1',
          y: 'pc2',
          symbol: 'kind',
          r: 6,
          stroke: 'black',
          strokeWidth: 1.5,
          fill: (p: { kind: string }) => (p.kind === 'stable fixed point' ? 'black' : 'white'),
          channels: { 'unstable directions': 'unstable directions' },
          tip: true,
        }),
      ],
    }),
    `Each cue's trial input, then zero input for 9× the trial length. ${pts.length} points of the zero-input map: ${counts.stable} stable (filled), ${pts.length - counts.stable - counts.slow} unstable, ${counts.slow} slow. A slow-point memory settles on a stable point per cue; a limit cycle circles an unstable one.`,
  );
}

/** Phase diagram of a Kurtkaya sweep: fraction of networks per learning rate × delay and outcome. */
async function phaseDiagram(r: RunDetail): Panel {
  if (!r.files.includes('metrics.jsonl')) return null;
  const rows = (await api.jsonl(r.path, 'metrics.jsonl')).filter(
    (x) => typeof x.lr === 'number' && typeof x.delay === 'number' && typeof x.notLearned === 'number',
  ) as { lr: number; delay: number; n: number; notLearned: number; lc: number; sp: number }[];
  if (!rows.length) return null;
  const box = el('div', { class: 'curves' });
  const cells = (key: 'notLearned' | 'lc' | 'sp', title: string, scheme: string) =>
    el(
      'figure',
      { class: 'subplot' },
      el('figcaption', {}, title),
      Plot.plot({
        width: 380,
        height: 240,
        marginLeft: 60,
        x: { label: 'delay (ms)', type: 'band' },
        y: { label: 'learning rate', type: 'band', tickFormat: (v: number) => v.toPrecision(2) },
        color: { scheme: scheme as Plot.ColorScheme, domain: [0, 1] },
        marks: [
          Plot.cell(rows, { x: 'delay', y: 'lr', fill: key, tip: true }),
          Plot.text(rows, {
            x: 'delay',
            y: 'lr',
            text: (c: (typeof rows)[number]) => (Number.isFinite(c[key]) ? `${Math.round(100 * c[key])}` : '—'),
            fill: (c: (typeof rows)[number]) => (c[key] > 0.6 ? 'white' : 'black'),
            fontSize: 10,
          }),
        ],
      }),
    );
  box.append(
    cells('notLearned', 'not learned (%)', 'greys'),
    cells('lc', 'limit cycle (%)', 'oranges'),
    cells('sp', 'slow-point manifold (%)', 'blues'),
  );
  return panel(
    'Phase diagram (learning rate × delay)',
    box,
    `${rows.reduce((a, c) => a + (c.n ?? 0), 0)} networks; percentages of seeds per cell.`,
  );
}

/** A collected sweep: mean over seeds of one metric on the first two grid parameters. */
async function sweepHeatmap(r: RunDetail): Panel {
  const cfg = r.config as { params?: string[]; values?: Record<string, (number | string)[]> };
  if (r.kind !== 'sweep.collect' || !cfg.params?.length || !cfg.values) return null;
  const nParams = cfg.params.length;
  const metrics = r.arrays.filter((a) => a.shape.length === nParams + 1);
  if (!metrics.length) return null;
  const [px, py] = cfg.params.length >= 2 ? [cfg.params[1], cfg.params[0]] : [cfg.params[0], null];
  const select = el('select', { 'aria-label': 'metric' }, ...metrics.map((a) => el('option', { value: a.name }, a.name)));
  const preferred = metrics.find((a) => ['class', 'f1', 'accuracy', 'solved'].includes(a.name));
  if (preferred) (select as HTMLSelectElement).value = preferred.name;
  const out = el('div', {});
  const draw = async () => {
    const a = metrics.find((m) => m.name === (select as HTMLSelectElement).value);
    if (!a) return;
    const v = toNumbers(await api.npy(r.path, a.file));
    const S = a.shape[a.shape.length - 1];
    const nx = px ? (cfg.values?.[px]?.length ?? 1) : 1;
    const ny = py ? (cfg.values?.[py]?.length ?? 1) : 1;
    const data: { x: string; y: string; mean: number; n: number }[] = [];
    // arrays are [param0, param1, (…,) seed]; average over seeds (and any further parameters)
    const inner = v.length / (ny * nx);
    for (let i = 0; i < ny; i++)
      for (let j = 0; j < nx; j++) {
        let sum = 0;
        let n = 0;
        for (let k = 0; k < inner; k++) {
          const val = v[(i * nx + j) * inner + k];
          if (Number.isFinite(val)) {
            sum += val;
            n++;
          }
        }
        data.push({
          x: String(px ? cfg.values?.[px]?.[j] : ''),
          y: String(py ? cfg.values?.[py]?.[i] : ''),
          mean: n ? sum / n : Number.NaN,
          n,
        });
      }
    out.replaceChildren(
      Plot.plot({
        width: 620,
        height: Math.max(200, 40 * ny + 80),
        marginLeft: 70,
        x: { label: px ?? '', type: 'band' },
        y: py ? { label: py, type: 'band' } : { axis: null },
        color: { scheme: 'viridis', legend: true, label: `mean ${a.name} over ${S} seeds` },
        marks: [
          Plot.cell(data, { x: 'x', y: 'y', fill: 'mean', tip: true }),
          Plot.text(data, {
            x: 'x',
            y: 'y',
            text: (d: { mean: number }) => (Number.isFinite(d.mean) ? d.mean.toPrecision(3) : '—'),
            fill: 'white',
          }),
        ],
      }),
    );
  };
  select.addEventListener('change', () => void draw());
  await draw();
  return panel(
    'Sweep: metric over the grid',
    el('div', {}, el('label', {}, 'metric ', select), out),
    `runs collected from ${String((r.config as { sweep?: string }).sweep ?? '')}`,
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

/** Draws a run's page into `app`; returns the run's status (the caller refreshes a `running` one). */
export async function renderRun(app: HTMLElement, path: string): Promise<string> {
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
    { class: 'kv', id: 'metrics' },
    ...metrics.map(([k, v]) => {
      const info = metricInfo(k);
      return el(
        'tr',
        { 'data-metric': k },
        el('th', { title: info.description ? `${info.description} (${k})` : k }, metricLabel(k)),
        el('td', {}, typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v)),
      );
    }),
  );
  app.replaceChildren(header);
  if (metrics.length) app.append(panel('Metrics', mtable));
  const panels = await Promise.all(
    [
      trainingCurves,
      connectivity,
      timescales,
      spikeRaster,
      ratesHeatmap,
      bumpHeatmap,
      tuningCurves,
      hdsnnRaster,
      compteRaster,
      compteDecoded,
      pcaFixedPoints,
      phaseDiagram,
      sweepHeatmap,
    ].map((f) => f(r).catch((err: Error) => panel('Could not draw a figure', el('p', { class: 'error' }, err.message)))),
  );
  for (const p of panels) if (p) app.append(p);
  if (r.figures.length) {
    const figs = el('div', { class: 'figures' });
    for (const f of r.figures)
      figs.append(
        el(
          'figure',
          {},
          el('img', { src: fileUrl(path, f.file), alt: f.name }),
          el(
            'figcaption',
            {},
            f.caption ?? f.name,
            ' ',
            el('a', { href: fileUrl(path, f.file), download: f.file, class: 'download' }, 'SVG'),
            ...(f.png ? [' ', el('a', { href: fileUrl(path, f.png), download: f.png, class: 'download' }, 'PNG')] : []),
          ),
        ),
      );
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
  return r.status;
}
