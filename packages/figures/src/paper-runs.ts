/**
 * Everything a reproduction puts into its run directory besides run.json's config, assembled from
 * the recipe's typed result: the arrays and metrics (@wmkit/papers' `*Outputs`), the figures
 * (this package's lists), the report (@wmkit/papers' `*Report`, with the figures' captions) and
 * the tables the terminal shows. A command writes them (`wmkit reproduce …`); a script can write
 * the same with `writeRunOutputs` of `@wmkit/papers/node`.
 */
import type { BumpSignatures } from '@wmkit/analysis';
import {
  type Compte2000Result,
  compte2000DistractorRows,
  compte2000Outputs,
  compte2000Report,
  compte2000WimmerRows,
  compte2000WimmerSection,
  compteSummaryText,
  type PaperReport,
  type RunOutputs,
  type Wimmer2014Result,
  type WimmerRecordedReportOptions,
  wimmer2014FullReport,
  wimmer2014Metrics,
  wimmer2014Outputs,
  wimmer2014Tables,
  wimmerRecordedReport,
  wimmerRecordedTables,
} from '@wmkit/papers';
import { compte2000Figures, type FigureList, wimmer2014Figures, wimmerRecordedFigures } from './recipes';
import { markdownTableRows, textTable } from './report';

/** What a reproduction writes and prints, from its result. */
export interface PaperRun {
  /** Arrays (.npy), metrics.jsonl records, extra files and run.json metrics. */
  outputs: RunOutputs;
  figures: FigureList;
  report: PaperReport;
  /** run.json metrics beside the outputs' (they win over the outputs' where both name a key). */
  metrics: Record<string, unknown>;
  /** The tables and notes the terminal shows. */
  summary: string;
}

/**
 * A `wimmer2014` run: the three models' arrays, the figures (the analysis battery's last), the
 * report with the noted summary and battery tables, the headline metrics, and both tables as text.
 */
export function wimmer2014Run(r: Wimmer2014Result): PaperRun {
  const { trials, seconds } = r;
  const { neurons, perSession } = r.surrogate;
  const tables = wimmer2014Tables(r.models, { trials, neurons, perSession });
  const figures = wimmer2014Figures(r);
  const first = figures.findIndex(([name]) => name === 'population_tuning'); // the battery's figures come last
  const battery = first < 0 ? [] : figures.slice(first);
  const report = wimmer2014FullReport(
    r.models,
    tables,
    battery.map(([name, , caption]) => [name, caption]),
    { trials, delay: r.delayMs, nPerm: r.permutations, seconds, neurons, perSession },
  );
  const notes = tables.notes;
  return {
    outputs: wimmer2014Outputs(r),
    figures,
    report,
    metrics: wimmer2014Metrics(r.models),
    summary: `\n${textTable(tables.summary)}\n\n${textTable(tables.battery)}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}\n`,
  };
}

/**
 * A `compte2000` run: the cue-only trials' and distractor grid's arrays, the surrogate recordings
 * (`surrogate_recordings.mat`, when the Wimmer et al. 2014 analyses ran), the figures, the report
 * (whose analyses section names the `wmkit analyze wimmer` command on `surrogatePath`), the engine
 * in the metrics, and the summary, distractor and analyses tables as text.
 */
export function compte2000Run(
  res: Compte2000Result,
  o: {
    seconds: number;
    seed: number;
    preset: string;
    engine: string;
    grid: { amps: number; distances: number };
    /** Where the run's `surrogate_recordings.mat` is (the report's command names it). */
    surrogatePath: string;
  },
): PaperRun {
  const outputs = compte2000Outputs(res, o.grid);
  const w = res.wimmer;
  const win = w?.surrogate.windows;
  const analyze = win ? `wmkit analyze wimmer --data ${o.surrogatePath} --delay ${win.delayStartMs},${win.delayEndMs}` : null;
  const report = compte2000Report(res, o);
  report.sections.push(compte2000WimmerSection(res, analyze));
  const distractorTable = res.distractors.length ? markdownTableRows(compte2000DistractorRows(res)) : '';
  const wimmer = w
    ? `Wimmer et al. 2014 analyses of the spikes (${w.signatures.neurons} units):\n${markdownTableRows(compte2000WimmerRows(w.signatures))}\n`
    : `Wimmer et al. 2014 analyses: skipped (${res.wimmerSkipped})\n`;
  return {
    outputs,
    figures: compte2000Figures(res),
    report,
    metrics: { engine: o.engine, ...outputs.metrics },
    summary: `${compteSummaryText(res.summary)}\n${distractorTable}\n${wimmer}`,
  };
}

/**
 * The Wimmer et al. 2014 analyses of recordings (`wmkit analyze wimmer`): one metrics.jsonl
 * record per table row, the figures, the report with its headline metrics, and the tables as text.
 */
export function wimmerRecordedRun(res: BumpSignatures, o: Omit<WimmerRecordedReportOptions, 'batteryFigures'>): PaperRun {
  const tables = wimmerRecordedTables(res);
  const records = [
    ...tables.rows.slice(1).map((r) => ({ measure: r[0], value: r[1], p: r[2] })),
    ...tables.battery.slice(1).map((r) => ({ measure: r[0], value: r[1] })),
  ];
  const figures = wimmerRecordedFigures(res, { startMs: o.delayStartMs, endMs: o.delayEndMs });
  const batteryFigures = figures.slice(2).map(([name, , caption]): [string, string] => [name, caption]);
  const { report, metrics } = wimmerRecordedReport(res, tables, { ...o, batteryFigures });
  const notes = tables.notes;
  return {
    outputs: { records },
    figures,
    report,
    metrics,
    summary: `\n${textTable(tables.rows)}\n\n${textTable(tables.battery)}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}\n`,
  };
}
