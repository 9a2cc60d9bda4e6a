/**
 * Options every result-writing command shares, added to the leaf commands in one place (main.ts)
 * and read before the command runs: `--format` (which files a figure is written as).
 */
import type { Command } from 'commander';
import { UsageError } from './errors';

/** File formats a figure can be written in. */
export type FigureFormat = 'svg' | 'png';

const FORMATS: FigureFormat[] = ['svg', 'png'];

/** The default of `--format`: every figure as SVG (vector, what reports and the viewer show) and PNG. */
export const DEFAULT_FIGURE_FORMATS: FigureFormat[] = ['svg', 'png'];

let figureFormats: FigureFormat[] = DEFAULT_FIGURE_FORMATS;

/** Parses `--format svg,png` (a comma list of svg and png). */
export function parseFigureFormats(v: string): FigureFormat[] {
  const list = v
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = list.filter((f) => !FORMATS.includes(f as FigureFormat));
  if (!list.length || bad.length)
    throw new UsageError(`--format ${v}: use svg, png or svg,png (figure file formats${bad.length ? `; unknown: ${bad.join(', ')}` : ''})`);
  return [...new Set(list)] as FigureFormat[];
}

/** The figure formats of the command now running. */
export function currentFigureFormats(): FigureFormat[] {
  return figureFormats;
}

/** Adds `--format` to a command that writes figures. */
export function addFormatOption(cmd: Command): Command {
  return cmd.option(
    '--format <list>',
    'figure files: svg, png or svg,png. The SVG is always written (reports and the viewer show it); png adds a PNG (2× resolution) beside each (default: svg,png)',
  );
}

/** Reads the shared options of the command about to run (a commander preAction hook). */
export function applyOutputOptions(cmd: Command): void {
  const o = cmd.opts() as { format?: string };
  figureFormats = o.format == null ? DEFAULT_FIGURE_FORMATS : parseFigureFormats(o.format);
}
