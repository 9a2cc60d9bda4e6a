/**
 * @wmkit/figures/node — figures as PNG in Node: the SVG rendered by resvg compiled to WebAssembly
 * (`@resvg/resvg-wasm`: no native build, the same pixels on every platform), with the DejaVu Sans
 * fonts shipped by `dejavu-fonts-ttf`, so text renders alike on machines without system fonts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';

const require = createRequire(import.meta.url);

let ready: Promise<void> | null = null;
let fonts: Uint8Array[] | null = null;

/** Loads the WebAssembly renderer and the fonts once; `svgToPng` needs it to have resolved. */
export function initPngRenderer(): Promise<void> {
  ready ??= (async () => {
    await initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
    fonts = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${f}`)));
  })();
  return ready;
}

/** Whether `initPngRenderer` has finished (so `svgToPng` can run synchronously). */
export function pngRendererReady(): boolean {
  return fonts != null;
}

/** Options of `svgToPng`. */
export interface PngOptions {
  /** Pixels per SVG unit (default 2: a 720-px-wide figure becomes 1440 px, sharp in print and on screens). */
  scale?: number;
}

/**
 * An SVG document as PNG bytes (white background where the SVG has none). Call (and await)
 * `initPngRenderer()` once first; `renderPng` does both.
 */
export function svgToPng(svg: string, opts: PngOptions = {}): Uint8Array {
  if (!fonts) throw new Error('svgToPng: call await initPngRenderer() first (it loads the WebAssembly renderer and the fonts)');
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: opts.scale ?? 2 },
    background: 'white',
    font: { fontBuffers: fonts, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  } as ConstructorParameters<typeof Resvg>[1]);
  try {
    const image = r.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    r.free();
  }
}

/** `svgToPng` after loading the renderer if needed. */
export async function renderPng(svg: string, opts: PngOptions = {}): Promise<Uint8Array> {
  await initPngRenderer();
  return svgToPng(svg, opts);
}
