/**
 * The tables and notes of the Wimmer et al. 2014 analysis battery (`wimmerBattery` of
 * @wmkit/analysis), shared by the analyses of recordings (`wmkit analyze wimmer`) and of the ring
 * models' surrogate recordings (`wimmer2014`). A cell that cannot be computed reads "n/a (note k)";
 * note k says why and what to change, so that no row is silently empty. The figures of the
 * battery are drawn by @wmkit/figures (`wimmerBatteryFigures`).
 */
import type { BatteryGap, BumpSignatures, WimmerBattery } from '@wmkit/analysis';
import { type PaperReport, type PaperReportSection, pValueText as pStr } from './report';
import type { Wimmer2014Model } from './wimmer2014';
import { type Wimmer2014ReportOptions, wimmer2014Report, wimmer2014SummaryRows } from './wimmer2014-report';

/** One column of the tables: a data set's name and its analyses. */
export interface BatteryColumn {
  model: string;
  sig: BumpSignatures;
}

/** What to change for a gap, in the command's own options. */
export type GapHint = (gap: BatteryGap) => string;

const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const pS = (p: number) => (Number.isFinite(p) ? (p < 0.001 ? '<.001' : p.toFixed(3).replace(/^0/, '')) : 'n/a');
const star = (p: number) => (p < 0.05 ? '*' : '');

/** Numbered notes, one per distinct reason, naming the data sets it applies to. */
export class GapNotes {
  private notes: { text: string; models: string[] }[] = [];
  constructor(private hint: GapHint) {}

  /** "n/a (note k)" for `model`'s row `row`; the reason comes from the gaps (or says the value is undefined). */
  cell(col: BatteryColumn, rows: string[]): string {
    return `n/a (${this.ref(col, rows)})`;
  }

  /** "note k" for the reason of `model`'s row `row`. */
  ref(col: BatteryColumn, rows: string[]): string {
    const gaps = [...(col.sig.gaps ?? []), ...(col.sig.battery?.gaps ?? [])];
    const gap = gaps.find((g) => rows.includes(g.row));
    const text = gap
      ? `${gap.reason}; ${this.hint(gap)}`
      : `no finite value on these data (${rows.join(', ')}): too few trials or units of the kind the row needs`;
    let k = this.notes.findIndex((n) => n.text === text);
    if (k < 0) {
      this.notes.push({ text, models: [col.model] });
      k = this.notes.length - 1;
    } else if (!this.notes[k].models.includes(col.model)) this.notes[k].models.push(col.model);
    return `note ${k + 1}`;
  }

  /** The notes as lines: "note k (models): reason; what to change". */
  lines(): string[] {
    return this.notes.map((n, i) => `note ${i + 1} (${n.models.join(', ')}): ${n.text}`);
  }
}

type Cell = (b: WimmerBattery, col: BatteryColumn, notes: GapNotes) => string;

/** A cell from values: n/a with a note when the first value is not finite. */
function cell(rows: string[], values: (b: WimmerBattery) => number[], text: (v: number[]) => string): Cell {
  return (b, col, notes) => {
    const v = values(b);
    if (!Number.isFinite(v[0])) return notes.cell(col, rows);
    const t = text(v);
    // a partly computable row (e.g. a p value of a single pair) keeps its values and says why the rest is missing
    return /n\/a/.test(t) ? `${t.replace(/n\/a/g, '–')} (${notes.ref(col, rows)})` : t;
  };
}

const at = (b: WimmerBattery, off: number) => b.populationTuning.all[b.populationTuning.offsets.indexOf(off)]?.mean ?? Number.NaN;
const cls = (b: WimmerBattery, name: string) => b.rateBehaviorByClass.find((c) => c.name === name);
const nc = (b: WimmerBattery, name: string) => b.noiseCorrEpochs.classes.find((c) => c.name === name);
const fano = (b: WimmerBattery, name: string) => b.fanoByClass.find((c) => c.name === name);

const ROWS: [string, Cell][] = [
  [
    'Fig. 1d tuning at pref. / ±1 / ±2 / opposite cue (Hz)',
    cell(
      ['populationTuning'],
      (b) => [at(b, 0), at(b, 1), at(b, -1), at(b, 2), at(b, -2), at(b, 4)],
      (v) => `${f(v[0], 1)} / ${f((v[1] + v[2]) / 2, 1)} / ${f((v[3] + v[4]) / 2, 1)} / ${f(v[5], 1)}`,
    ),
  ],
  [
    'Fig. 1e r(T, mean delay rate), p (units)',
    cell(
      ['strengthVsRate'],
      (b) => [b.strengthVsRate.r, b.strengthVsRate.p, b.strengthVsRate.n],
      (v) => `${f(v[0])}, ${pS(v[1])}${star(v[1])} (${v[2]})`,
    ),
  ],
  [
    '  delay rate mean ± SD (Hz); T mean ± SD',
    cell(
      ['strengthVsRate'],
      (b) => [b.strengthVsRate.rate.mean, b.strengthVsRate.rate.sd, b.strengthVsRate.strength.mean, b.strengthVsRate.strength.sd],
      (v) => `${f(v[0], 1)} ± ${f(v[1], 1)}; ${f(v[2], 2)} ± ${f(v[3], 2)}`,
    ),
  ],
  ['  significantly tuned units (permutation p < .05)', (b) => `${b.tunedUnits} of ${b.tuningP.length}`],
  [
    'Fig. 1f modulation index: mean; t, p',
    cell(
      ['modulation'],
      (b) => {
        const mi = b.modulation.perUnit.map((u) => u.index).filter(Number.isFinite);
        return [b.modulation.tTest.statistic, b.modulation.tTest.p, mi.length, mi.reduce((a, x) => a + x, 0) / mi.length];
      },
      (v) => `${f(v[3])}; t ${f(v[0], 2)}, ${pS(v[1])}${star(v[1])} (${v[2]} units)`,
    ),
  ],
  [
    '  Lilliefors D, p (simulated, 2,000 normal samples)',
    cell(
      ['modulation'],
      (b) => [b.modulation.lilliefors.statistic, b.modulation.lilliefors.p],
      (v) => `${f(v[0])}, ${pS(v[1])}${star(v[1])}`,
    ),
  ],
  [
    '  population Wilcoxon p',
    cell(
      ['modulation'],
      (b) => [b.modulation.wilcoxon.p],
      (v) => `${pS(v[0])}${star(v[0])}`,
    ),
  ],
  [
    '  units up / down / unchanged (Wilcoxon p < .05)',
    (b, col, notes) =>
      b.minTrialsPerCue >= 6 || b.modulation.increase + b.modulation.decrease > 0
        ? `${b.modulation.increase} / ${b.modulation.decrease} / ${b.modulation.unchanged}`
        : notes.cell(col, ['modulation.perUnit', 'modulation']),
  ],
  [
    '  rate–behav. corr. without ramping-up units (MI > 0), p',
    cell(
      ['modulation.rateBehaviorNoRamping'],
      (b) => [b.modulation.rateBehaviorNoRamping.value, b.modulation.rateBehaviorNoRamping.p, b.modulation.rateBehaviorNoRamping.n],
      (v) => `${f(v[0])}, ${pS(v[1])}${star(v[1])} (${v[2]} units)`,
    ),
  ],
  [
    'Fig. 1g Δ preferred (deg): mean, median |Δ|, p; units changed',
    cell(
      ['stability'],
      (b) => [
        b.stability.preferred.meanDeg,
        b.stability.preferred.medianAbsDeg,
        b.stability.preferred.p,
        b.stability.preferred.changed,
        b.stability.preferred.n,
      ],
      (v) => `${f(v[0], 1)}, ${f(v[1], 1)}, ${pS(v[2])}; ${v[3]} of ${v[4]}`,
    ),
  ],
  [
    '  T early → late, Wilcoxon p; units changed',
    cell(
      ['stability'],
      (b) => [b.stability.strength.early, b.stability.strength.late, b.stability.strength.wilcoxon.p, b.stability.strength.changed],
      (v) => `${f(v[0], 2)} → ${f(v[1], 2)}, ${pS(v[2])}${star(v[2])}; ${v[3]}`,
    ),
  ],
  [
    'Fig. 4f R² − R²shuffle, last s, cue ±1 / 0 / ±2',
    cell(
      ['r2', 'r2.tuned'],
      (b) => {
        const c = (k: number) => b.r2.byOffset.find((x) => x.offset === k)?.corrected ?? Number.NaN;
        return [(c(1) + c(-1)) / 2, c(0), (c(2) + c(-2)) / 2];
      },
      (v) => `${f(v[0], 4)} / ${f(v[1], 4)} / ${f(v[2], 4)}`,
    ),
  ],
  [
    'Fig. 4g R² − R²shuffle, all cues, last s: tuned, p',
    cell(
      ['r2', 'r2.tuned'],
      (b) => [b.r2.tunedLate.value, b.r2.tunedLate.p, b.r2.tunedLate.n],
      (v) => `${f(v[0], 4)}, ${pS(v[1])}${star(v[1])} (${v[2]} units)`,
    ),
  ],
  [
    '  non-tuned, p',
    cell(
      ['r2.nonTuned', 'r2'],
      (b) => [b.r2.nonTunedLate.value, b.r2.nonTunedLate.p, b.r2.nonTunedLate.n],
      (v) => `${f(v[0], 4)}, ${pS(v[1])}${star(v[1])} (${v[2]} units)`,
    ),
  ],
  ...(['preferred', 'flank 1', 'flank 2', 'tail'] as const).map((name): [string, Cell] => [
    `Fig. 5 rate–behav. corr., last s, ${name === 'tail' ? 'tail (≥ 3)' : name === 'preferred' ? 'preferred cue' : `${name} position${name === 'flank 1' ? '' : 's'} off`}, p`,
    cell(
      [`rateBehaviorByClass.${name}`],
      (b) => [cls(b, name)?.late.value ?? Number.NaN, cls(b, name)?.late.p ?? Number.NaN],
      (v) => `${f(v[0])}, ${pS(v[1])}${star(v[1])}`,
    ),
  ]),
  [
    '  significant windows in the delay: first / centre (ms), ±1 | ±2',
    (b) => {
      const s = (name: string) => {
        const c = cls(b, name);
        return c && Number.isFinite(c.firstSignificantMs) ? `${c.firstSignificantMs.toFixed(0)} / ${c.centreOfMassMs.toFixed(0)}` : 'none';
      };
      return `${s('flank 1')} | ${s('flank 2')}`;
    },
  ],
  ...(['preferred', 'flank', 'tail'] as const).map((name): [string, Cell] => [
    `Fig. 6d Fano inacc. − acc., ${name} cues, p (two-sided)`,
    cell(
      [`fanoByClass.${name}`],
      (b) => [fano(b, name)?.diff ?? Number.NaN, fano(b, name)?.p ?? Number.NaN, fano(b, name)?.n ?? 0],
      (v) => `${f(v[0])}, ${pS(v[1])}${star(v[1])} (${v[2]})`,
    ),
  ]),
  ...['same: peak', 'same: flank', 'same: tail', 'one apart: in-flank', 'one apart: peak', 'one apart: out-flank'].map(
    (name): [string, Cell] => [
      `Fig. 7 ${name}: early → late r, late p${name === 'one apart: in-flank' ? ' (< 0)' : ''}; Δ p`,
      cell(
        [`noiseCorrEpochs.${name}`],
        (b) => {
          const c = nc(b, name);
          return [
            c?.late.mean ?? Number.NaN,
            c?.early.mean ?? Number.NaN,
            c?.late.p ?? Number.NaN,
            c?.change.p ?? Number.NaN,
            c?.late.n ?? 0,
          ];
        },
        (v) => `${f(v[1])} → ${f(v[0])}, ${pS(v[2])}${star(v[2])}; ${pS(v[3])}${star(v[3])} (${v[4]} pairs)`,
      ),
    ],
  ),
];

/** The battery's table (one column per data set) and the notes of its n/a cells. */
export function batteryTable(cols: BatteryColumn[], notes: GapNotes): string[][] {
  const withBattery = cols.filter((c) => c.sig.battery);
  return [
    ['analysis battery', ...withBattery.map((c) => c.model)],
    ...ROWS.map(([label, fn]) => [label, ...withBattery.map((c) => fn(c.sig.battery as WimmerBattery, c, notes))]),
  ];
}

/** Summary rows whose cells hold 'n/a' get a note (the row's gap ids, by label). */
const SUMMARY_GAPS: [RegExp, string[]][] = [
  [/^tuning bias, last s/, ['tuningBiasLate']],
  [/^ {2}without jumps/, ['tuningBiasLateNoJumps', 'rateBehaviorLateNoJumps']],
  [/^rate–behaviour corr/, ['rateBehaviorLate']],
  [/^Fano/, ['fano']],
  [/^noise corr\. same tuning, flank/, ['noiseCorr.sameTuning']],
  [/^noise corr\. one cue apart/, ['noiseCorr.inBetween']],
  [/^noise corr\. same tuning, peak/, ['noiseCorr.sameTuningPeak', 'noiseCorr.sameTuningTail']],
  [/^noise corr\. all other/, ['noiseCorr.other']],
];

function markGaps(rows: string[][], models: readonly Wimmer2014Model[], notes: GapNotes): string[][] {
  return rows.map((row, i) => {
    if (i === 0) return row;
    const ids = SUMMARY_GAPS.find(([re]) => re.test(row[0]))?.[1] ?? [];
    return row.map((c, j) =>
      j > 0 && /(^|[ (])n\/a/.test(c)
        ? notes.cell({ model: models[j - 1].model, sig: models[j - 1].signatures }, ids.length ? ids : [row[0]])
        : c,
    );
  });
}

/** What to change in `wmkit reproduce wimmer2014` (its options) for a row the run is too small for. */
export function wimmer2014GapHint(o: { trials: number; neurons: number; perSession: number; nCues: number }): GapHint {
  return (g) => {
    if (g.minTrialsPerCue) {
      const k = g.minTrialsPerCue;
      const sessions = Math.ceil(o.neurons / o.perSession);
      const trials = k * o.nCues * sessions;
      const maxSessions = Math.floor(o.trials / (k * o.nCues));
      const per = maxSessions > 0 ? Math.ceil(o.neurons / maxSessions) : Number.POSITIVE_INFINITY;
      const perText = Number.isFinite(per) && per > o.perSession ? ` or --per-session ≥ ${per} (fewer sessions, more trials each)` : '';
      return `use --trials ≥ ${trials} (${k} trials per cue in each of ${sessions} sessions)${perText}`;
    }
    if (g.needsPairs)
      return `use --per-session ≥ ${Math.max(4, 2 * o.perSession)} (more simultaneously recorded pairs) or --neurons above ${o.neurons}`;
    if (g.needsUnits === 'non-tuned') return 'the model’s recorded units are all tuned; no run size makes a non-tuned group';
    if (g.needsUnits) return `record more units (--neurons above ${o.neurons})`;
    return `use more trials (--trials above ${o.trials})`;
  };
}

/** The tables of a `wimmer2014` result: the summary and the battery, their n/a cells noted. */
export interface Wimmer2014Tables {
  /** The summary of the three models (`wimmer2014SummaryRows`) with notes in its n/a cells. */
  summary: string[][];
  /** The analysis battery, one column per model. */
  battery: string[][];
  /** The notes the n/a cells refer to ("note k (models): reason; what to change"). */
  notes: string[];
}

/** The summary and battery tables of the three models, with numbered notes for what a run is too small for. */
export function wimmer2014Tables(
  models: readonly Wimmer2014Model[],
  o: { trials: number; neurons: number; perSession: number },
): Wimmer2014Tables {
  const notes = new GapNotes(wimmer2014GapHint({ ...o, nCues: 8 }));
  const summary = markGaps(wimmer2014SummaryRows(models), models, notes);
  const battery = batteryTable(
    models.map((m) => ({ model: m.model, sig: m.signatures })),
    notes,
  );
  return { summary, battery, notes: notes.lines() };
}

/**
 * The whole report of `wimmer2014`: `wimmer2014Report` with the noted summary table, and a
 * section for the analysis battery (its figures: [file name, caption], from `wimmerBatteryFigures`).
 */
export function wimmer2014FullReport(
  models: readonly Wimmer2014Model[],
  tables: Wimmer2014Tables,
  batteryFigures: [string, string][],
  o: Wimmer2014ReportOptions,
): PaperReport {
  const report = wimmer2014Report(models, o);
  const [main] = report.sections;
  return {
    ...report,
    sections: [
      { ...main, tables: [{ rows: tables.summary }] },
      {
        heading: 'The analysis battery of the recordings (Fig. 1d–g, 4e–g, 5, 6d, 7)',
        paragraphs: [
          'The same analyses as `wmkit analyze wimmer` runs on recordings. Early and late delay: the first and the last second (halves for delays under 2 s). p values: permutation tests (behaviour shuffled within cue; one-sided, effect > 0) unless the row says otherwise; Lilliefors p by simulation; Wilcoxon signed-rank and t tests two-sided (the in-flank pair correlation one-sided, < 0). * = p < 0.05. Paper: the bump model (and the monkeys) show tuning that is stable through the delay, a rate–behaviour relation (R² and correlations) for flank cues that appears earlier for cues nearer the preferred one, higher Fano factors on inaccurate flank trials, and negative late-delay correlations for the cue between pairs one cue apart.',
          ...(tables.notes.length ? [`Rows that could not be computed at this size: ${tables.notes.join(' ')}`] : []),
        ],
        tables: [{ rows: tables.battery }],
        figures: batteryFigures,
      },
    ],
  };
}

/** The battery's headline numbers for run.json (null where not computable; see the report's notes). */
export function wimmerBatteryMetrics(res: BumpSignatures): Record<string, number | null> {
  const b = res.battery;
  if (!b) return {};
  const v = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : null);
  const rb = (name: string) => b.rateBehaviorByClass.find((c) => c.name === name)?.late;
  const ncl = (name: string) => b.noiseCorrEpochs.classes.find((c) => c.name === name);
  const fan = (name: string) => b.fanoByClass.find((c) => c.name === name);
  return {
    strengthVsRateR: v(b.strengthVsRate.r),
    modulationLillieforsP: v(b.modulation.lilliefors.p),
    modulationTTestP: v(b.modulation.tTest.p),
    stabilityPreferredMedianAbsDeg: v(b.stability.preferred.medianAbsDeg),
    r2TunedLate: v(b.r2.tunedLate.value),
    r2TunedLateP: v(b.r2.tunedLate.p),
    rateBehaviorPreferredLate: v(rb('preferred')?.value),
    rateBehaviorFlank1Late: v(rb('flank 1')?.value),
    rateBehaviorFlank1LateP: v(rb('flank 1')?.p),
    rateBehaviorFlank2Late: v(rb('flank 2')?.value),
    fanoFlankDiff: v(fan('flank')?.diff),
    fanoFlankDiffP: v(fan('flank')?.p),
    noiseCorrInFlankEarly: v(ncl('one apart: in-flank')?.early.mean),
    noiseCorrInFlankLate: v(ncl('one apart: in-flank')?.late.mean),
    noiseCorrInFlankLateP: v(ncl('one apart: in-flank')?.late.p),
    gaps: (res.gaps?.length ?? 0) + b.gaps.length,
  };
}

/** What a recording would need for a row it is too small for. */
export function recordingGapHint(g: BatteryGap): string {
  if (g.minTrialsPerCue) return `it needs sessions with ≥ ${g.minTrialsPerCue} trials of every cue`;
  if (g.needsPairs) return 'it needs sessions with ≥ 2 simultaneously recorded units with that tuning relation';
  if (g.needsUnits) return `it needs ${g.needsUnits} units in the data set`;
  return 'it needs more trials or units';
}

const deg = (x: number) => (x * 180) / Math.PI;
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

/** The tables of the Wimmer et al. 2014 analyses of one recorded data set. */
export interface WimmerRecordedTables {
  /** The main signatures: measure, value, p. */
  rows: string[][];
  /** The analysis battery (one column, 'recorded'). */
  battery: string[][];
  /** The notes the n/a cells refer to. */
  notes: string[];
}

/** The tables of `bumpSignatures` on recordings; a cell that cannot be computed names its note. */
export function wimmerRecordedTables(res: BumpSignatures): WimmerRecordedTables {
  const notes = new GapNotes(recordingGapHint);
  const col = { model: 'recorded', sig: res };
  const naOr = (ok: boolean, rows: string[], text: () => string) => (ok ? text() : notes.cell(col, rows));
  const rows = [
    ['measure', 'value', 'p'],
    ['tuned units (of all)', `${res.tuning.included} of ${res.neurons}`, ''],
    [
      'tuning bias, last s (deg)',
      naOr(
        Number.isFinite(res.tuningBiasLate.value),
        ['tuningBiasLate'],
        () => `${deg(res.tuningBiasLate.value).toFixed(2)} ± ${deg(res.tuningBiasLate.se).toFixed(2)}`,
      ),
      pStr(res.tuningBiasLate.p),
    ],
    [
      'rate–behaviour correlation, last s',
      naOr(
        Number.isFinite(res.rateBehaviorLate.value),
        ['rateBehaviorLate'],
        () => `${f3(res.rateBehaviorLate.value)} ± ${f3(res.rateBehaviorLate.se)}`,
      ),
      pStr(res.rateBehaviorLate.p),
    ],
    [
      'Fano factor accurate / inaccurate',
      naOr(res.fano.units > 0, ['fano'], () => `${f3(res.fano.accurate)} / ${f3(res.fano.inaccurate)}`),
      pStr(res.fano.p),
    ],
    [
      'noise corr., same tuning, flank cues (pairs)',
      naOr(
        res.noiseCorr.sameTuning.n > 0,
        ['noiseCorr.sameTuning'],
        () => `${f3(res.noiseCorr.sameTuning.mean)} (n = ${res.noiseCorr.sameTuning.n})`,
      ),
      pStr(res.noiseCorr.sameTuning.p),
    ],
    [
      'noise corr., one cue apart, cue in between (pairs)',
      naOr(
        res.noiseCorr.inBetween.n > 0,
        ['noiseCorr.inBetween'],
        () => `${f3(res.noiseCorr.inBetween.mean)} (n = ${res.noiseCorr.inBetween.n})`,
      ),
      pStr(res.noiseCorr.inBetween.p),
    ],
  ];
  // a p value (or any cell) that is undefined gets the note of its row, never a bare n/a
  for (const row of rows.slice(1)) {
    const noted = row[1].match(/\(note \d+\)/);
    for (let j = 1; j < row.length; j++) {
      if (!/n\/a(?! \(note)/.test(row[j])) continue;
      row[j] = noted ? `– (${noted[0].slice(1, -1)})` : notes.cell(col, [row[0]]);
    }
  }
  const battery = batteryTable([col], notes);
  return { rows, battery, notes: notes.lines() };
}

/** What `wimmerRecordedReport` says about the data set analysed. */
export interface WimmerRecordedReportOptions {
  /** The file's name, for the title. */
  name: string;
  units: number;
  sessions: number;
  trials: number;
  cues: number;
  binMs: number;
  delayStartMs: number;
  delayEndMs: number;
  permutations: number;
  /** The battery's figures: [file name, caption] (`wimmerBatteryFigures`). */
  batteryFigures: [string, string][];
}

/** The report of the Wimmer et al. 2014 analyses of recordings, and the run.json metrics of its headline numbers. */
export function wimmerRecordedReport(
  res: BumpSignatures,
  t: WimmerRecordedTables,
  o: WimmerRecordedReportOptions,
): { report: PaperReport; metrics: Record<string, number | null> } {
  const sections: PaperReportSection[] = [
    {
      paragraphs: [
        `${o.units} units in ${o.sessions} session(s), ${o.trials} trials, ${o.cues} cues; delay ${o.delayStartMs}–${o.delayEndMs} ms, ${o.binMs}-ms bins. One-sided permutation tests (${o.permutations} shuffles of behaviour within cue per window, ≥ 1,000 for the last second).`,
        'A bump attractor predicts a positive tuning bias and a positive rate–behaviour correlation by the end of the delay, higher Fano factors on inaccurate trials, positive noise correlations for same-tuned pairs and negative ones for pairs with the cue in between.',
      ],
      tables: [{ rows: t.rows }],
      figures: [
        ['tuning_bias', 'Tuning bias: centre of the tuning curve of clockwise minus counter-clockwise trials.'],
        ['rate_behavior', 'Correlation between a unit’s rate and the behavioural deviation towards its preferred angle.'],
      ],
    },
    {
      heading: 'The analysis battery (Fig. 1d–g, 4e–g, 5, 6d, 7)',
      paragraphs: [
        `Early and late delay: ${res.battery?.epochs.early.startMs}–${res.battery?.epochs.early.endMs} and ${res.battery?.epochs.late.startMs}–${res.battery?.epochs.late.endMs} ms. p values: permutation tests (behaviour shuffled within cue; one-sided, effect > 0) unless the row says otherwise; Lilliefors p by simulation; Wilcoxon signed-rank and t tests two-sided (the in-flank pair correlation one-sided, < 0). * = p < 0.05.`,
        ...(t.notes.length ? [`Rows that could not be computed on these data: ${t.notes.join(' ')}`] : []),
      ],
      tables: [{ rows: t.battery }],
      figures: o.batteryFigures,
    },
  ];
  return {
    report: { title: `Bump-attractor signatures in ${o.name} (analyses of Wimmer et al. 2014)`, sections },
    metrics: {
      tuningBiasLateDeg: deg(res.tuningBiasLate.value),
      tuningBiasLateP: res.tuningBiasLate.p,
      rateBehaviorLate: res.rateBehaviorLate.value,
      rateBehaviorLateP: res.rateBehaviorLate.p,
      ...wimmerBatteryMetrics(res),
    },
  };
}
