/**
 * Heat maps as one raster image inside the SVG: the matrix is coloured into RGBA pixels, encoded as
 * a PNG (fast-png: pure JavaScript, so it runs in Node and in the browser) and placed as a single
 * `<image>` spanning the cells' extent, with a colour bar and its unit in the right margin. One
 * image instead of one `<rect>` per cell keeps the files small and has no hairline seams between
 * cells. Observable Plot's own raster mark draws through a canvas, which a server-side document
 * does not have; its colour-ramp legend does too — hence this mark.
 */
import * as Plot from '@observablehq/plot';
import { ticks } from 'd3-array';
import { encode } from 'fast-png';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A matrix of values drawn as a heat map: `values[row * cols + col]`, rows along y, columns along x. */
export interface HeatmapMatrix {
  values: ArrayLike<number>;
  rows: number;
  cols: number;
  /** Data extent of the columns along x: the left edge of the first and the right edge of the last. */
  x: [number, number];
  /** Data extent of the rows along y: row 0 starts at y[0], the last row ends at y[1]. */
  y: [number, number];
}

/** Colours and colour bar of a heat map. */
export interface HeatmapStyle {
  /** A d3 sequential colour scheme known to Observable Plot (default 'magma'). */
  scheme?: string;
  /** Values mapped to the ends of the colour scale (default: the matrix's finite minimum and maximum). */
  domain?: [number, number];
  /** Label of the colour bar, with the unit, e.g. 'rate (Hz)'. */
  label: string;
}

/** Width of the right margin a heat map needs for its colour bar, tick labels and label (px). */
export const COLOR_BAR_MARGIN = 78;

/** The finite minimum and maximum of values ([0, 1] if none is finite; widened if they are equal). */
export function finiteExtent(values: ArrayLike<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo > hi) return [0, 1];
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

/** 256 RGB entries of a colour scheme over [0, 1]. */
function colorTable(scheme: string): Uint8Array {
  const scale = Plot.scale({ color: { type: 'linear', scheme: scheme as 'magma', domain: [0, 1] } });
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) table.set(parseColor(String(scale.apply(i / 255))), 3 * i);
  return table;
}

/** 'rgb(r, g, b)' or '#rrggbb' → [r, g, b]. */
function parseColor(c: string): [number, number, number] {
  const m = c.match(/rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)/);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  const h = c.match(/^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i);
  if (h) return [Number.parseInt(h[1], 16), Number.parseInt(h[2], 16), Number.parseInt(h[3], 16)];
  throw new Error(`heat map: cannot read the colour '${c}' of the scheme`);
}

/** PNG bytes → a data: URI (btoa exists in Node ≥ 16 and in browsers). */
function pngDataUri(png: Uint8Array): string {
  let s = '';
  for (let i = 0; i < png.length; i += 0x8000) s += String.fromCharCode(...png.subarray(i, i + 0x8000));
  return `data:image/png;base64,${btoa(s)}`;
}

/**
 * The matrix as a PNG, one pixel per cell; the first image row is the matrix row drawn on top.
 * Non-finite cells are transparent.
 */
export function heatmapPng(m: HeatmapMatrix, style: Omit<HeatmapStyle, 'label'>, topRowFirst: boolean, leftColFirst = true): Uint8Array {
  const [lo, hi] = style.domain ?? finiteExtent(m.values);
  const table = colorTable(style.scheme ?? 'magma');
  const data = new Uint8Array(m.rows * m.cols * 4);
  for (let r = 0; r < m.rows; r++) {
    const src = topRowFirst ? r : m.rows - 1 - r;
    for (let c = 0; c < m.cols; c++) {
      const v = m.values[src * m.cols + (leftColFirst ? c : m.cols - 1 - c)];
      const o = 4 * (r * m.cols + c);
      if (!Number.isFinite(v)) continue;
      const k = 3 * Math.round(255 * Math.min(1, Math.max(0, (v - lo) / (hi - lo))));
      data[o] = table[k];
      data[o + 1] = table[k + 1];
      data[o + 2] = table[k + 2];
      data[o + 3] = 255;
    }
  }
  return encode({ width: m.cols, height: m.rows, data, channels: 4, depth: 8 });
}

function el(doc: Document, tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = doc.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text != null) e.textContent = text;
  return e;
}

/**
 * A Plot mark drawing the matrix as one raster `<image>` between its x and y extents, and a colour
 * bar with ticks and `style.label` in the right margin (give the plot `marginRight:
 * COLOR_BAR_MARGIN`). The plot's x and y scales need explicit domains (this mark has no channels).
 */
export function heatmapMark(m: HeatmapMatrix, style: HeatmapStyle): Plot.RenderFunction {
  if (m.values.length !== m.rows * m.cols)
    throw new Error(`heat map: ${m.values.length} values for ${m.rows} rows × ${m.cols} columns (expected ${m.rows * m.cols})`);
  const domain = style.domain ?? finiteExtent(m.values);
  return (_index, scales, _values, dims, context) => {
    const doc = context.document;
    const sx = scales.x as (v: number) => number;
    const sy = scales.y as (v: number) => number;
    const [xa, xb] = [sx(m.x[0]), sx(m.x[1])];
    const [ya, yb] = [sy(m.y[0]), sy(m.y[1])];
    const png = heatmapPng(m, { ...style, domain }, ya > yb, xa <= xb);
    const g = el(doc, 'g', {});
    g.append(
      el(doc, 'image', {
        x: Math.min(xa, xb),
        y: Math.min(ya, yb),
        width: Math.abs(xb - xa),
        height: Math.abs(yb - ya),
        preserveAspectRatio: 'none',
        'image-rendering': 'optimizeSpeed',
        style: 'image-rendering:pixelated',
        href: pngDataUri(png),
      }),
    );
    // colour bar: a 1 × 256 ramp, high values on top
    const top = dims.marginTop;
    const bottom = dims.height - dims.marginBottom;
    const x0 = dims.width - dims.marginRight + 12;
    const ramp = Float32Array.from({ length: 256 }, (_, i) => domain[0] + ((domain[1] - domain[0]) * i) / 255);
    const rampPng = heatmapPng({ values: ramp, rows: 256, cols: 1, x: [0, 1], y: [0, 1] }, { ...style, domain }, false);
    g.append(
      el(doc, 'image', {
        x: x0,
        y: top,
        width: 10,
        height: bottom - top,
        preserveAspectRatio: 'none',
        href: pngDataUri(rampPng),
      }),
    );
    g.append(
      el(doc, 'rect', { x: x0, y: top, width: 10, height: bottom - top, fill: 'none', stroke: 'currentColor', 'stroke-width': 0.5 }),
    );
    const at = (v: number) => bottom - ((v - domain[0]) / (domain[1] - domain[0])) * (bottom - top);
    for (const t of ticks(domain[0], domain[1], 5)) {
      g.append(el(doc, 'line', { x1: x0 + 10, x2: x0 + 14, y1: at(t), y2: at(t), stroke: 'currentColor' }));
      g.append(el(doc, 'text', { x: x0 + 16, y: at(t), dy: '0.32em', 'font-variant': 'tabular-nums' }, formatTick(t)));
    }
    const lx = dims.width - 6;
    const ly = (top + bottom) / 2;
    g.append(el(doc, 'text', { x: lx, y: ly, transform: `rotate(-90 ${lx} ${ly})`, 'text-anchor': 'middle' }, style.label));
    return g;
  };
}

function formatTick(t: number): string {
  return Math.abs(t) >= 1e4 || (Math.abs(t) < 1e-3 && t !== 0) ? t.toExponential(0) : String(Number(t.toPrecision(6)));
}
