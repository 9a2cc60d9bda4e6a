/**
 * The rows, notes and figures of the Wimmer et al. 2014 analysis battery (`wimmerBattery` of
 * @wmkit/analysis) shared by `wmkit analyze wimmer` (recordings) and `wmkit reproduce wimmer2014`
 * (the models' surrogate recordings). A cell that cannot be computed reads "n/a (note k)"; note k
 * says why and what to change, so that no row is silently empty.
 */
import type { BatteryGap, BumpSignatures, WimmerBattery } from '@wmkit/analysis';
import {
  fanoByCueSvg,
  modulationIndexSvg,
  noiseCorrEpochsSvg,
  populationTuningSvg,
  r2ByOffsetSvg,
  r2TimeSvg,
  rateBehaviorByCueSvg,
  strengthVsRateSvg,
  tuningStabilitySvg,
} from '@wmkit/figures';

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

/** The battery's figures: [file name (no extension), SVG, caption]. */
export function batteryFigures(cols: BatteryColumn[]): [string, string, string][] {
  const sets = cols.filter((c) => c.sig.battery).map((c) => ({ model: c.model, battery: c.sig.battery as WimmerBattery }));
  if (!sets.length) return [];
  return [
    [
      'population_tuning',
      populationTuningSvg(sets),
      'Fig. 1d: delay rate by cue offset from each unit’s preferred cue (± s.e.m. over units); all units and the halves with stronger and weaker tuning.',
    ],
    ['strength_vs_rate', strengthVsRateSvg(sets), 'Fig. 1e: tuning strength T against mean delay rate, one dot per unit.'],
    [
      'modulation_index',
      modulationIndexSvg(sets),
      'Fig. 1f: rate-modulation index of the preferred cue (late vs early delay); dark: Wilcoxon p < 0.05.',
    ],
    [
      'tuning_stability',
      tuningStabilitySvg(sets),
      'Fig. 1g: change of the preferred angle from the early to the late delay; dark: permutation p < 0.05.',
    ],
    [
      'r2_by_offset',
      r2ByOffsetSvg(sets),
      'Fig. 4f: R² − R²shuffle of rate vs behavioural deviation in the last second of the delay, by cue offset (tuned units; dots: p < 0.05).',
    ],
    [
      'r2_time',
      r2TimeSvg(sets),
      'Fig. 4g: R² − R²shuffle averaged over cues in 1-s non-overlapping windows, tuned and non-tuned units (dots: p < 0.05).',
    ],
    [
      'rate_behavior_by_cue',
      rateBehaviorByCueSvg(sets),
      'Fig. 5: rate–behaviour correlation in sliding 1-s windows by cue offset from the preferred cue (dots: p < 0.05).',
    ],
    [
      'fano_by_cue',
      fanoByCueSvg(sets),
      'Fig. 6d: Fano factor of inaccurate minus accurate trials per cue class, last 500 ms of the delay (± s.e.m. over units).',
    ],
    [
      'noise_corr_epochs',
      noiseCorrEpochsSvg(sets),
      'Fig. 7: spike-count correlations in the first and last two 200-ms bins of the delay, by pair (same preferred cue; one cue apart) and cue class (± s.e.m. over pairs).',
    ],
  ];
}
