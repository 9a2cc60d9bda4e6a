/**
 * SVG figures with Observable Plot, rendered in Node through linkedom's document, so the report
 * figures and the viewer use the same plotting library. Each function returns a standalone SVG
 * document (xmlns set, white background, black text).
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

let doc: Document | null = null;
function document(): Document {
  doc ??= parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
  return doc;
}

/** Observable Plot's options (re-exported so callers need not depend on Plot's types). */
export type PlotOptions = Plot.PlotOptions;
export { Plot };

const TITLE_HEIGHT = 24;

/** Renders Plot options to a standalone SVG string, with an optional title above the plot. */
export function plotSvg(options: Plot.PlotOptions & { title?: string }): string {
  return stackedPlotsSvg([options]);
}

/** Several plots stacked vertically in one SVG (independent scales, e.g. loss above accuracy). */
export function stackedPlotsSvg(panels: (Plot.PlotOptions & { title?: string })[]): string {
  let y = 0;
  let width = 0;
  const parts: string[] = [];
  for (const { title, ...options } of panels) {
    if (title) {
      parts.push(
        `<text x="10" y="${y + 17}" font-family="system-ui, sans-serif" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
      );
      y += TITLE_HEIGHT;
    }
    const el = plotElement(options);
    el.setAttribute('y', String(y));
    el.removeAttribute('xmlns');
    y += Number(el.getAttribute('height'));
    width = Math.max(width, Number(el.getAttribute('width')));
    parts.push(el.outerHTML);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function plotElement(options: Plot.PlotOptions): Element {
  const el = Plot.plot({
    document: document(),
    style: { background: 'white', color: 'black', fontSize: '11px' },
    ...options,
  }) as unknown as Element;
  if (el.tagName.toLowerCase() !== 'svg')
    throw new Error('plotSvg: use legendMarks() instead of a scale legend (Plot wrapped the figure in HTML)');
  return el;
}

/**
 * A legend drawn inside the frame (top right, or top left): one coloured label per line. In a
 * faceted plot pass `{ facet: 'super' }` so it is drawn once over the whole figure, not per facet.
 */
export function legendMarks(
  items: { label: string; color: string }[],
  anchor: 'top-right' | 'top-left' = 'top-right',
  extra: { facet?: 'super'; dy?: number } = {},
): Plot.Markish[] {
  return items.map((it, i) =>
    Plot.text([it.label], {
      frameAnchor: anchor,
      dy: (extra.dy ?? 4) + 13 * i,
      dx: anchor === 'top-right' ? -4 : 4,
      fill: it.color,
      fontWeight: 'bold',
      stroke: 'white',
      strokeWidth: 3,
      paintOrder: 'stroke',
      text: (d: string) => `● ${d}`,
      ...(extra.facet ? { facet: extra.facet } : {}),
    }),
  );
}
