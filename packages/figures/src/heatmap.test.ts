import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { bumpHeatmapSvg } from './attractors';
import { finiteExtent, heatmapMark, heatmapPng } from './heatmap';
import { renderPng } from './node/index';
import { plotSvg } from './plot';

const pixel = (png: Uint8Array, x: number, y: number) => {
  const img = decode(png);
  const o = 4 * (y * img.width + x);
  return Array.from(img.data.slice(o, o + 4));
};

describe('heatmapPng', () => {
  // 2 rows × 3 columns; row 0 = [0, 1, 2], row 1 = [3, 4, 5]
  const m = { values: [0, 1, 2, 3, 4, 5], rows: 2, cols: 3, x: [0, 3] as [number, number], y: [0, 2] as [number, number] };

  it('one pixel per cell, the lowest value at the start of the scheme and the highest at its end', () => {
    const png = heatmapPng(m, { scheme: 'greys', domain: [0, 5] }, false);
    const img = decode(png);
    expect([img.width, img.height]).toEqual([3, 2]);
    // topRowFirst = false: the image's top row is the matrix's last row (y grows upward)
    const top = pixel(png, 2, 0); // value 5
    const bottom = pixel(png, 0, 1); // value 0
    // 'greys' runs from white (low) to black (high)
    expect(bottom[0]).toBeGreaterThan(240);
    expect(top[0]).toBeLessThan(15);
    expect(top[3]).toBe(255);
  });

  it('non-finite cells are transparent, and the extent ignores them', () => {
    const png = heatmapPng({ ...m, values: [Number.NaN, 1, 2, 3, 4, 5] }, { scheme: 'greys' }, true);
    expect(pixel(png, 0, 0)[3]).toBe(0);
    expect(finiteExtent([Number.NaN, 1, 2, Number.POSITIVE_INFINITY])).toEqual([1, 2]);
    expect(finiteExtent([3, 3])).toEqual([2.5, 3.5]);
  });

  it('refuses a matrix whose size does not match rows × cols', () => {
    expect(() => heatmapMark({ ...m, rows: 3 }, { label: 'x' })).toThrow(/6 values for 3 rows × 3 columns \(expected 9\)/);
  });
});

describe('bumpHeatmapSvg', () => {
  // 64 neurons × 40 bins of 50 ms; a bump at 350° (near the 0/360 wrap)
  const N = 64;
  const nRec = 40;
  const neuronDeg = Array.from({ length: N }, (_, j) => (360 * j) / N);
  const traces = new Float32Array(nRec * N);
  for (let r = 0; r < nRec; r++)
    for (let j = 0; j < N; j++) traces[r * N + j] = Math.exp(2 * (Math.cos(((neuronDeg[j] - 350) * Math.PI) / 180) - 1));
  const times = Array.from({ length: nRec }, (_, r) => 50 * r);
  const svg = bumpHeatmapSvg(traces, nRec, N, times, neuronDeg, new Array(nRec).fill(350), 'bump', [], {
    cueDeg: 350,
    colorLabel: 'rate (Hz)',
  });

  it('is one raster image plus the colour bar, with the unit, and no rect per cell', () => {
    expect(svg.match(/<image /g)?.length).toBe(2);
    expect(svg.match(/<rect /g)?.length ?? 0).toBeLessThan(5);
    expect(svg).toContain('rate (Hz)');
    expect(svg).toContain('neuron angle − cue (deg)');
    expect(svg.length).toBeLessThan(40_000);
  });

  it('centred on the cue: the bump is one band in the middle rows, not split at the edges', () => {
    const href = svg.match(/<image [^>]*href="data:image\/png;base64,([^"]+)"/)?.[1] ?? '';
    const img = decode(Uint8Array.from(Buffer.from(href, 'base64')));
    expect([img.width, img.height]).toEqual([nRec, N]);
    // magma: brighter = higher; the middle row (cue) is brighter than the top and bottom rows (cue ± 180°)
    const lum = (y: number) => {
      const o = 4 * y * img.width;
      return img.data[o] + img.data[o + 1] + img.data[o + 2];
    };
    expect(lum(N / 2)).toBeGreaterThan(lum(0) + 300);
    expect(lum(N / 2)).toBeGreaterThan(lum(N - 1) + 300);
  });

  it('renders to a PNG twice its SVG size', async () => {
    const png = await renderPng(plotSvg({ title: 't', width: 200, height: 100, marks: [] }));
    const img = decode(png);
    expect([img.width, img.height]).toEqual([400, 2 * (100 + 24)]);
  });
});
