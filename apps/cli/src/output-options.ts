/**
 * Options every result-writing command shares, added to the leaf commands in one place (main.ts)
 * and read before the command runs: `--format` (which files a figure is written as) and `--json`
 * (the final summary as one JSON object on stdout; everything else — progress, result lines,
 * warnings — on stderr, so `wmkit … --json | jq` and notebooks get exactly one object).
 */
import type { RunDirectory } from '@wmkit/data-io/node';
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

/** Adds `--json` to a command that prints results. */
export function addJsonOption(cmd: Command): Command {
  return cmd.option('--json', 'print the final summary as one JSON object on stdout (progress and messages go to stderr)');
}

/** A run directory the command wrote, as the JSON summary lists it. */
type RunLike = Pick<RunDirectory, 'dir' | 'manifest'>;

const json = {
  on: false,
  runs: [] as RunLike[],
  lines: [] as string[],
  summary: null as Record<string, unknown> | null,
  log: null as typeof console.log | null,
};

/** Whether the command now running was given `--json`. */
export function jsonMode(): boolean {
  return json.on;
}

/** Records a run directory the command started (listed in the JSON summary). */
export function noteRunStarted(run: RunLike): void {
  json.runs.push(run);
}

/** Sets the command's own fields of the JSON summary (e.g. the file an export wrote). */
export function setJsonSummary(fields: Record<string, unknown>): void {
  json.summary = { ...(json.summary ?? {}), ...fields };
}

/** Forgets the previous command's state (a sweep worker runs many commands in one thread). */
export function resetOutputOptions(): void {
  if (json.log) console.log = json.log;
  Object.assign(json, { on: false, runs: [], lines: [], summary: null, log: null });
  figureFormats = DEFAULT_FIGURE_FORMATS;
}

/** Reads the shared options of the command about to run (a commander preAction hook). */
export function applyOutputOptions(cmd: Command): void {
  const o = cmd.opts() as { format?: string; json?: boolean };
  if (o.json === true && cmd.name() !== 'info') {
    json.on = true;
    json.log = console.log;
    // result lines move to stderr, and are kept for the summary of commands that write no run
    console.log = (...args: unknown[]) => {
      const line = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
      json.lines.push(line);
      console.error(line);
    };
  }
  figureFormats = o.format == null ? DEFAULT_FIGURE_FORMATS : parseFigureFormats(o.format);
}

/**
 * Prints the JSON summary (once, at the end of a command given `--json`): ok, exit code, the
 * command, the runs it wrote (path, kind, status, metrics, arrays, figures), its own fields, and,
 * for commands that write no run, the lines it printed; with the error's message on failure.
 */
export function finishJson(argv: string[], exitCode: number, error?: string): void {
  if (!json.on) return;
  const log = json.log ?? console.log;
  const runs = json.runs.map((r) => ({
    path: r.dir,
    kind: r.manifest.kind,
    status: r.manifest.status,
    seed: r.manifest.seed,
    metrics: r.manifest.metrics,
    arrays: r.manifest.arrays.map((a) => ({ name: a.name, file: a.file, shape: a.shape })),
    figures: r.manifest.figures.map((f) => ({ name: f.name, svg: f.file, ...(f.png ? { png: f.png } : {}) })),
  }));
  const out = {
    ok: exitCode === 0,
    exitCode,
    command: argv,
    ...(error ? { error } : {}),
    ...(runs.length ? { run: runs[0], ...(runs.length > 1 ? { runs } : {}) } : {}),
    ...(json.summary ?? {}),
    ...(!runs.length && !json.summary ? { output: json.lines } : {}),
  };
  console.log = log;
  json.on = false;
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
