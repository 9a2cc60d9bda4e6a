/**
 * Reports of `wmkit reproduce …`: the same content as report.md (for GitHub, editors) and
 * report.html (self-contained page that shows the SVG figures beside it).
 */
import { metricInfo } from '@wmkit/data-io';

/** A table of a report, with an optional caption. */
export interface ReportTable {
  caption?: string;
  /** First row: the header. */
  rows: string[][];
}

/** One section of a report: an optional heading, paragraphs, tables, then figures. */
export interface ReportSection {
  heading?: string;
  /** Paragraphs; *text* is italic. */
  paragraphs?: string[];
  tables?: ReportTable[];
  /** [figure file name without .svg, caption]. */
  figures?: [string, string][];
}

/** A report: its title and sections, in order. */
export interface ReportSpec {
  title: string;
  sections: ReportSection[];
}

/** A metric's value as a table cell: integers as they are, other numbers to 4 significant digits. */
function metricCell(v: number | string | boolean): string {
  if (typeof v !== 'number') return String(v);
  if (!Number.isFinite(v)) return 'n/a';
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

/**
 * A "Metrics" section listing a run's scalar metrics (run.json `metrics`) with the label, unit and
 * description of wmkit's metric registry (`@wmkit/data-io` `METRICS`, or the unit read from the
 * name's suffix), so a report states what each saved number is. Arrays and objects are left out
 * (they are in run.json); returns undefined when no scalar metric is left.
 */
export function metricsSection(metrics: Record<string, unknown>, heading = 'Metrics saved in run.json'): ReportSection | undefined {
  const rows: string[][] = [['metric', 'value', 'unit', 'name in run.json', 'meaning']];
  for (const [name, v] of Object.entries(metrics)) {
    if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') continue;
    const m = metricInfo(name);
    rows.push([m.label, metricCell(v), m.unit, name, m.description]);
  }
  return rows.length > 1 ? { heading, tables: [{ rows }] } : undefined;
}

/** `spec` with a final {@link metricsSection} of `metrics` (unchanged when there are none). */
export function withMetricsSection(spec: ReportSpec, metrics: Record<string, unknown> | undefined): ReportSpec {
  const section = metrics ? metricsSection(metrics) : undefined;
  return section ? { ...spec, sections: [...spec.sections, section] } : spec;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function inlineHtml(s: string): string {
  return escapeHtml(s).replace(/\*([^*]+)\*/g, '<i>$1</i>');
}

/** A Markdown table (header = first row). */
export function markdownTableRows(rows: string[][]): string {
  return [
    `| ${rows[0].join(' | ')} |`,
    `|${rows[0].map(() => '---').join('|')}|`,
    ...rows.slice(1).map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** A plain-text table with aligned columns (for the terminal). */
export function textTable(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ')).join('\n');
}

/** Renders a report to Markdown (`md`) and a self-contained HTML page (`html`) that shows the SVG figures it names. */
export function renderReport(spec: ReportSpec): { md: string; html: string } {
  const md: string[] = [`# ${spec.title}`, ''];
  const html: string[] = [];
  for (const s of spec.sections) {
    if (s.heading) {
      md.push(`## ${s.heading}`, '');
      html.push(`<h2>${escapeHtml(s.heading)}</h2>`);
    }
    for (const p of s.paragraphs ?? []) {
      md.push(p, '');
      html.push(`<p>${inlineHtml(p)}</p>`);
    }
    for (const t of s.tables ?? []) {
      if (t.caption) {
        md.push(`*${t.caption}*`, '');
        html.push(`<p class="caption">${inlineHtml(t.caption)}</p>`);
      }
      md.push(markdownTableRows(t.rows), '');
      html.push(
        `<table>${t.rows.map((r, i) => `<tr>${r.map((c) => (i === 0 ? `<th>${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`).join('\n')}</table>`,
      );
    }
    for (const [f, cap] of s.figures ?? []) {
      md.push(`![${f}](${f}.svg)`, '', `*${cap}*`, '');
      html.push(`<figure><img src="${f}.svg" alt="${escapeHtml(f)}"><figcaption>${inlineHtml(cap)}</figcaption></figure>`);
    }
  }
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>wmkit — ${escapeHtml(spec.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;line-height:1.45;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#f4f4f4}figure{margin:1.5em 0}figcaption,.caption{color:#555;font-size:0.9em}img{max-width:100%}</style>
</head><body>
<h1>${escapeHtml(spec.title)}</h1>
${html.join('\n')}
</body></html>
`;
  return { md: md.join('\n'), html: page };
}
