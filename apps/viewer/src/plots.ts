/**
 * Figures: Observable Plot for charts and axes; dense grids (heat maps, spike rasters binned to
 * pixels) through Plot.raster, which draws them on a canvas inside the SVG — fast for 10⁵–10⁶
 * spikes because only the pixel grid reaches the DOM.
 */
import * as Plot from '@observablehq/plot';
import { metricLabel } from '@wmkit/data-io';

/** max of a large array (Math.max(...a) overflows the stack beyond ~10⁵ values). */
export function maxOf(a: ArrayLike<number>, init = Number.NEGATIVE_INFINITY): number {
  let m = init;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}

export function el(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

/** A titled section; when its body holds a figure, SVG and PNG download buttons beside the title. */
export function panel(title: string, body: Node, note?: string): HTMLElement {
  const name =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '') || 'figure';
  const hasFigure = body instanceof Element && (body.tagName.toLowerCase() === 'svg' || body.querySelector('svg') != null);
  const h = el('h3', {}, title);
  if (hasFigure) h.append(downloadButtons(body as Element, name));
  return el('section', { class: 'panel' }, h, body, ...(note ? [el('p', { class: 'note' }, note)] : []));
}

/** The largest SVG inside a figure (Plot wraps a plot with a legend in a <figure> with small legend SVGs). */
function mainSvg(root: Element): SVGSVGElement | null {
  const all = root.tagName.toLowerCase() === 'svg' ? [root] : [...root.querySelectorAll('svg')];
  let best: SVGSVGElement | null = null;
  let area = -1;
  for (const s of all as SVGSVGElement[]) {
    const a = Number(s.getAttribute('width') ?? 0) * Number(s.getAttribute('height') ?? 0);
    if (a > area) [best, area] = [s, a];
  }
  return best;
}

/** A standalone SVG document of a figure drawn on the page (white background, namespaces set). */
export function svgDocument(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink');
  copy.style.background = 'white';
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
}

function save(blob: Blob, file: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = file;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** An SVG document rasterised by the browser at 2× its size, on white. */
export async function svgToPngBlob(svgText: string, width: number, height: number): Promise<Blob> {
  const img = new Image();
  img.src = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = 2 * width;
  canvas.height = 2 * height;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  URL.revokeObjectURL(img.src);
  return new Promise((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error('PNG encoding failed'))), 'image/png'));
}

/** 'SVG' and 'PNG' buttons that download the figure in `root` as <name>.svg / <name>.png. */
export function downloadButtons(root: Element, name: string): HTMLElement {
  const svgBtn = el('button', { type: 'button', class: 'download', 'data-format': 'svg', title: `download ${name}.svg` }, 'SVG');
  const pngBtn = el('button', { type: 'button', class: 'download', 'data-format': 'png', title: `download ${name}.png` }, 'PNG');
  svgBtn.addEventListener('click', () => {
    const s = mainSvg(root);
    if (s) save(new Blob([svgDocument(s)], { type: 'image/svg+xml' }), `${name}.svg`);
  });
  pngBtn.addEventListener('click', async () => {
    const s = mainSvg(root);
    if (!s) return;
    const w = Number(s.getAttribute('width') ?? s.clientWidth);
    const h = Number(s.getAttribute('height') ?? s.clientHeight);
    save(await svgToPngBlob(svgDocument(s), w, h), `${name}.png`);
  });
  return el('span', { class: 'downloads' }, svgBtn, pngBtn);
}

/** Training / metric curves: x = the first of trial, step, epoch, presentations, N; one small plot per numeric field. */
export function curvesFigure(rows: Record<string, unknown>[]): HTMLElement | null {
  if (!rows.length) return null;
  const xKey = ['trial', 'step', 'epoch', 'presentations', 'N', 'value'].find((k) => typeof rows[0][k] === 'number');
  if (!xKey) return null;
  const skip = new Set([xKey, 'seconds', 'update', 'lr']);
  const keys = Object.keys(rows[0]).filter(
    (k) => !skip.has(k) && rows.some((r) => typeof r[k] === 'number' && Number.isFinite(r[k] as number)),
  );
  const wrap = el('div', { class: 'curves', 'data-points': String(rows.length), 'data-last-x': String(rows[rows.length - 1][xKey]) });
  for (const k of keys.slice(0, 6)) {
    const data = rows
      .filter((r) => typeof r[k] === 'number' && Number.isFinite(r[k] as number))
      .map((r) => ({ x: r[xKey] as number, y: r[k] as number }));
    wrap.append(
      Plot.plot({
        width: 420,
        height: 200,
        marginLeft: 55,
        grid: true,
        x: { label: metricLabel(xKey) },
        y: { label: metricLabel(k) },
        marks: [Plot.line(data, { x: 'x', y: 'y', stroke: '#1f77b4' }), Plot.dot(data.slice(-1), { x: 'x', y: 'y', fill: '#1f77b4' })],
      }),
    );
  }
  return wrap;
}

export interface Grid {
  /** Row-major values, rows = y (top row first), columns = x. */
  values: ArrayLike<number>;
  width: number;
  height: number;
  x: [number, number];
  /** y of the first (top) row and of the last row: [0, N] puts row 0 at the top (matrices). */
  y: [number, number];
}

export function heatmap(
  g: Grid,
  o: { title?: string; xLabel: string; yLabel: string; scheme?: string; diverging?: boolean; label?: string; overlay?: Plot.Markish[] },
): SVGSVGElement | HTMLElement {
  let max = 0;
  for (let i = 0; i < g.values.length; i++) max = Math.max(max, Math.abs(g.values[i]));
  return Plot.plot({
    width: 760,
    height: 340,
    marginLeft: 60,
    x: { label: o.xLabel, domain: g.x },
    y: { label: o.yLabel, domain: [Math.min(...g.y), Math.max(...g.y)], reverse: g.y[0] < g.y[1] },
    color: o.diverging
      ? { type: 'linear', scheme: 'RdBu', domain: [-max || -1, max || 1], reverse: true, legend: true, label: o.label }
      : { scheme: (o.scheme ?? 'magma') as Plot.ColorScheme, legend: true, label: o.label },
    marks: [
      Plot.raster(Array.from(g.values), {
        width: g.width,
        height: g.height,
        x1: g.x[0],
        x2: g.x[1],
        y1: g.y[1],
        y2: g.y[0],
        imageRendering: 'pixelated',
      }),
      ...(o.overlay ?? []),
    ],
  });
}

/** Spike raster: events binned into a time × unit pixel grid (count per pixel), drawn with Plot.raster. */
export function raster(
  times: ArrayLike<number>,
  units: ArrayLike<number>,
  o: { nUnits: number; tMin: number; tMax: number; xLabel: string; yLabel: string; color?: string; maxPixels?: number },
): SVGSVGElement | HTMLElement {
  if (times.length <= 20_000) {
    // sparse: one SVG tick per spike stays crisp (and fast at this count)
    const pts = Array.from({ length: times.length }, (_, k) => ({ t: times[k], u: units[k] }));
    return Plot.plot({
      width: 760,
      height: 320,
      marginLeft: 60,
      x: { label: o.xLabel, domain: [o.tMin, o.tMax] },
      y: { label: o.yLabel, domain: [0, o.nUnits] },
      marks: [
        Plot.ruleX(pts, {
          x: 't',
          y1: (d: { u: number }) => d.u,
          y2: (d: { u: number }) => d.u + Math.max(1, o.nUnits / 150),
          stroke: o.color ?? 'black',
          strokeWidth: 1.2,
        }),
        Plot.frame({ stroke: '#ccc' }),
      ],
    });
  }
  const W = Math.min(o.maxPixels ?? 900, Math.max(50, Math.ceil(o.tMax - o.tMin)));
  const H = Math.min(600, o.nUnits);
  const grid = new Float32Array(W * H);
  const dt = (o.tMax - o.tMin) / W;
  for (let k = 0; k < times.length; k++) {
    const c = Math.floor((times[k] - o.tMin) / dt);
    const r = Math.floor((units[k] * H) / o.nUnits);
    if (c >= 0 && c < W && r >= 0 && r < H) grid[(H - 1 - r) * W + c] += 1;
  }
  return Plot.plot({
    width: 760,
    height: 320,
    marginLeft: 60,
    x: { label: o.xLabel, domain: [o.tMin, o.tMax] },
    y: { label: o.yLabel, domain: [0, o.nUnits] },
    color: { type: 'sqrt', range: ['white', o.color ?? 'black'], domain: [0, maxOf(grid, 1)] },
    marks: [
      Plot.raster(Array.from(grid), { width: W, height: H, x1: o.tMin, x2: o.tMax, y1: o.nUnits, y2: 0, imageRendering: 'pixelated' }),
      Plot.frame({ stroke: '#ccc' }),
    ],
  });
}

/** Histogram with log-spaced bins (e.g. timescales in ms). */
export function logHistogram(
  values: number[],
  o: { lo: number; hi: number; bins: number; xLabel: string; median?: number },
): SVGSVGElement | HTMLElement {
  const edges = Array.from({ length: o.bins + 1 }, (_, i) => 10 ** (o.lo + ((o.hi - o.lo) * i) / o.bins));
  const counts = edges
    .slice(0, -1)
    .map((e, i) => ({ x1: e, x2: edges[i + 1], n: values.filter((v) => v >= e && v < edges[i + 1]).length }));
  return Plot.plot({
    width: 560,
    height: 260,
    marginLeft: 50,
    x: { type: 'log', label: o.xLabel },
    y: { label: 'units (count)', grid: true },
    marks: [
      Plot.rectY(counts, { x1: 'x1', x2: 'x2', y: 'n', fill: '#4c78a8', insetLeft: 1 }),
      Plot.ruleY([0]),
      ...(o.median ? [Plot.ruleX([o.median], { stroke: '#d62728', strokeDasharray: '4,3' })] : []),
    ],
  });
}

export { Plot };
