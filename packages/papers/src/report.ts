/**
 * What a paper's report says, as data: a title and sections of paragraphs, tables (first row the
 * header) and figures (file name without `.svg`, caption). The CLI renders it as report.md and
 * report.html; a notebook can print the tables. No file system here: the figures are made and
 * written by whoever renders the report.
 */

/** A table of a report: rows of cells, the first row the header. */
export interface PaperReportTable {
  caption?: string;
  rows: string[][];
}

/** A section of a report; `*text*` in paragraphs is italic. */
export interface PaperReportSection {
  heading?: string;
  paragraphs?: string[];
  tables?: PaperReportTable[];
  /** [figure file name without .svg, caption]. */
  figures?: [string, string][];
}

/** A whole report: title and sections. */
export interface PaperReport {
  title: string;
  sections: PaperReportSection[];
}

/** `x` with `d` decimals, or 'n/a' when not finite. */
export const fixedOrNa = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

/** A p value for a table: '< 0.001', three decimals, or 'n/a'. */
export const pValueText = (p: number): string => (Number.isFinite(p) ? (p < 0.001 ? '< 0.001' : p.toFixed(3)) : 'n/a');
