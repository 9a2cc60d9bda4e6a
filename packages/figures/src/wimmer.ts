/**
 * Figures of the Wimmer et al. 2014 analysis battery (Fig. 1d–g, 4e–g, 5, 6d, 7), one panel per
 * data set (a model's surrogate recordings, or a recorded data set).
 */
import type { WimmerBattery } from '@wmkit/analysis';
import { legendMarks, Plot, plotSvg } from './plot';

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
const color = (groups: string[], g: string) => COLORS[groups.indexOf(g) % COLORS.length];
const finite = (x: number) => Number.isFinite(x);

/** One battery per data set (model or recording). */
export interface BatteryFigureInput {
  model: string;
  battery: WimmerBattery;
}

type Line = { model: string; group: string; x: number; value: number; se: number; significant?: boolean };

/** Lines with ±s.e. bands, one panel per data set, one colour per group; significant points dotted. */
function facetedLinesSvg(rows: Line[], o: { title: string; xLabel: string; yLabel: string; zero?: boolean }): string {
  const models = [...new Set(rows.map((r) => r.model))];
  const groups = [...new Set(rows.map((r) => r.group))];
  const ok = rows.filter((r) => finite(r.value));
  const legendHeight = 13 * groups.length + 6;
  return plotSvg({
    title: o.title,
    width: Math.max(640, 320 * models.length),
    height: 300 + legendHeight,
    marginLeft: 60,
    marginTop: 20 + legendHeight,
    fx: { label: null, domain: models },
    x: { label: o.xLabel },
    y: { label: o.yLabel, grid: true, nice: true },
    marks: [
      ...(o.zero ? [Plot.ruleY([0])] : []),
      Plot.areaY(
        ok.filter((r) => finite(r.se)),
        {
          fx: 'model',
          x: 'x',
          y1: (d: Line) => d.value - d.se,
          y2: (d: Line) => d.value + d.se,
          z: 'group',
          fill: (d: Line) => color(groups, d.group),
          fillOpacity: 0.15,
        },
      ),
      Plot.line(ok, { fx: 'model', x: 'x', y: 'value', z: 'group', stroke: (d: Line) => color(groups, d.group) }),
      Plot.dot(
        ok.filter((r) => r.significant),
        { fx: 'model', x: 'x', y: 'value', r: 3.5, fill: (d: Line) => color(groups, d.group) },
      ),
      ...legendMarks(
        groups.map((g) => ({ label: g, color: color(groups, g) })),
        'top-right',
        { facet: 'super', dy: -legendHeight - 6 },
      ),
    ],
  });
}

/** Fig. 1d: population delay tuning aligned to the preferred cue (all units, stronger and weaker half). */
export function populationTuningSvg(sets: BatteryFigureInput[]): string {
  const rows: Line[] = sets.flatMap(({ model, battery: b }) => {
    const t = b.populationTuning;
    const groups = [
      ['all units', t.all],
      ['stronger half', t.strong],
      ['weaker half', t.weak],
    ] as const;
    return groups.flatMap(([group, s]) => t.offsets.map((off, i) => ({ model, group, x: off, value: s[i].mean, se: s[i].se })));
  });
  return facetedLinesSvg(rows, {
    title: 'Population delay tuning aligned to the preferred cue',
    xLabel: 'cue offset from the preferred cue (positions)',
    yLabel: 'delay rate (Hz)',
  });
}

/** Fig. 1e: tuning strength T against mean delay rate, one dot per unit. */
export function strengthVsRateSvg(sets: BatteryFigureInput[]): string {
  const rows = sets.flatMap(({ model, battery: b }) =>
    b.strengthVsRate.unitRateHz
      .map((rate, i) => ({ model, rate, strength: b.strengthVsRate.unitStrength[i] }))
      .filter((d) => finite(d.rate) && finite(d.strength)),
  );
  const models = sets.map((s) => s.model);
  const label = (m: string) => {
    const s = sets.find((x) => x.model === m)?.battery.strengthVsRate;
    return s && finite(s.r) ? `${m}: r = ${s.r.toFixed(2)}` : `${m}: r n/a`;
  };
  return plotSvg({
    title: 'Tuning strength T vs mean delay rate (one dot per unit)',
    width: Math.max(640, 320 * models.length),
    height: 320,
    marginLeft: 60,
    fx: { label: null, domain: models, tickFormat: label },
    x: { label: 'mean delay rate (Hz)', grid: true },
    y: { label: 'tuning strength T', grid: true, domain: [0, 1] },
    marks: [Plot.dot(rows, { fx: 'model', x: 'rate', y: 'strength', r: 2, fill: '#1f77b4', fillOpacity: 0.6 })],
  });
}

/** A histogram per data set with the significant units stacked in a darker colour. */
function histogramSvg(
  rows: { model: string; value: number; significant: boolean }[],
  o: { title: string; xLabel: string; sigLabel: string },
): string {
  const models = [...new Set(rows.map((r) => r.model))];
  const ok = rows.filter((r) => finite(r.value)).map((r) => ({ ...r, kind: r.significant ? o.sigLabel : 'not significant' }));
  return plotSvg({
    title: o.title,
    width: Math.max(640, 320 * models.length),
    height: 340,
    marginLeft: 60,
    marginTop: 40,
    fx: { label: null, domain: models },
    x: { label: o.xLabel },
    y: { label: 'units (count)', grid: true },
    color: { domain: [o.sigLabel, 'not significant'], range: ['#1f3b73', '#9ecae1'] },
    marks: [
      Plot.rectY(ok, Plot.binX<Plot.RectYOptions>({ y: 'count' }, { x: 'value', fill: 'kind', fx: 'model', thresholds: 20 })),
      Plot.ruleY([0]),
      ...legendMarks(
        [
          { label: o.sigLabel, color: '#1f3b73' },
          { label: 'not significant', color: '#9ecae1' },
        ],
        'top-right',
        { facet: 'super', dy: -34 },
      ),
    ],
  });
}

/** Fig. 1f: rate-modulation index of the preferred cue (late vs early delay). */
export function modulationIndexSvg(sets: BatteryFigureInput[]): string {
  return histogramSvg(
    sets.flatMap(({ model, battery: b }) => b.modulation.perUnit.map((u) => ({ model, value: u.index, significant: u.p < 0.05 }))),
    {
      title: 'Rate-modulation index, preferred cue: (late − early)/(late + early)',
      xLabel: 'modulation index',
      sigLabel: 'Wilcoxon p < 0.05',
    },
  );
}

/** Fig. 1g: change of the preferred angle from the early to the late delay. */
export function tuningStabilitySvg(sets: BatteryFigureInput[]): string {
  return histogramSvg(
    sets.flatMap(({ model, battery: b }) =>
      b.stability.perUnit.map((u) => ({ model, value: (u.dPreferred * 180) / Math.PI, significant: u.pPreferred < 0.05 })),
    ),
    { title: 'Tuning stability: preferred angle, late − early delay', xLabel: 'Δ preferred angle (deg)', sigLabel: 'permutation p < 0.05' },
  );
}

/** Fig. 4f: shuffle-corrected R² in the last second by cue offset from the preferred cue. */
export function r2ByOffsetSvg(sets: BatteryFigureInput[]): string {
  const rows: Line[] = sets.flatMap(({ model, battery: b }) =>
    b.r2.byOffset.map((o) => ({ model, group: 'tuned units', x: o.offset, value: o.corrected, se: o.se, significant: o.p < 0.05 })),
  );
  return facetedLinesSvg(rows, {
    title: 'Corrected R² (R² − R²shuffle) of rate vs behaviour, last second of the delay',
    xLabel: 'cue offset from the preferred cue',
    yLabel: 'R² − R²shuffle',
    zero: true,
  });
}

/** Fig. 4g: corrected R² averaged over cues, 1-s windows, tuned and non-tuned units. */
export function r2TimeSvg(sets: BatteryFigureInput[]): string {
  const rows: Line[] = sets.flatMap(({ model, battery: b }) => [
    ...b.r2.tuned.map((p) => ({ model, group: 'tuned', x: p.tMs, value: p.value, se: p.se, significant: p.p < 0.05 })),
    ...b.r2.nonTuned.map((p) => ({ model, group: 'non-tuned', x: p.tMs, value: p.value, se: p.se, significant: p.p < 0.05 })),
  ]);
  return facetedLinesSvg(rows, {
    title: 'Corrected R² averaged over cues, 1-s windows',
    xLabel: 'window centre (ms from trial start)',
    yLabel: 'R² − R²shuffle',
    zero: true,
  });
}

/** Fig. 5: rate–behaviour correlation by cue offset from the preferred cue, sliding 1-s windows. */
export function rateBehaviorByCueSvg(sets: BatteryFigureInput[]): string {
  const rows: Line[] = sets.flatMap(({ model, battery: b }) =>
    b.rateBehaviorByClass.flatMap((c) =>
      c.series.map((p) => ({ model, group: c.name, x: p.tMs, value: p.value, se: p.se, significant: p.p < 0.05 })),
    ),
  );
  return facetedLinesSvg(rows, {
    title: 'Rate–behaviour correlation by cue offset from the preferred cue (dots: p < 0.05)',
    xLabel: 'window centre (ms from trial start)',
    yLabel: 'correlation',
    zero: true,
  });
}

/** Bars with ±s.e., panels by data set, bars by group. */
function barsSvg(rows: { model: string; group: string; value: number; se: number }[], o: { title: string; yLabel: string }): string {
  const models = [...new Set(rows.map((r) => r.model))];
  const groups = [...new Set(rows.map((r) => r.group))];
  const ok = rows.filter((r) => finite(r.value));
  const legendHeight = 13 * groups.length + 6;
  return plotSvg({
    title: o.title,
    width: Math.max(640, 320 * models.length),
    height: 300 + legendHeight,
    marginLeft: 60,
    marginTop: 20 + legendHeight,
    fx: { label: null, domain: models },
    x: { axis: null, domain: groups, padding: 0.15 },
    y: { label: o.yLabel, grid: true, nice: true },
    marks: [
      Plot.barY(ok, { fx: 'model', x: 'group', y: 'value', fill: (d: { group: string }) => color(groups, d.group) }),
      Plot.ruleX(
        ok.filter((r) => finite(r.se)),
        {
          fx: 'model',
          x: 'group',
          y1: (d: { value: number; se: number }) => d.value - d.se,
          y2: (d: { value: number; se: number }) => d.value + d.se,
        },
      ),
      Plot.ruleY([0]),
      ...legendMarks(
        groups.map((g) => ({ label: g, color: color(groups, g) })),
        'top-right',
        { facet: 'super', dy: -legendHeight - 6 },
      ),
    ],
  });
}

/** Fig. 6d: Fano factor of inaccurate minus accurate trials per cue class, last 500 ms. */
export function fanoByCueSvg(sets: BatteryFigureInput[]): string {
  return barsSvg(
    sets.flatMap(({ model, battery: b }) => b.fanoByClass.map((f) => ({ model, group: f.name, value: f.diff, se: f.se }))),
    { title: 'Fano factor, inaccurate − accurate trials, last 500 ms of the delay', yLabel: 'Δ Fano factor' },
  );
}

/** Fig. 7: pair correlations in the early and late delay by pair and cue class (rows: data sets). */
export function noiseCorrEpochsSvg(sets: BatteryFigureInput[]): string {
  const rows = sets.flatMap(({ model, battery: b }) =>
    b.noiseCorrEpochs.classes.flatMap((c) => [
      { model, cls: c.name, epoch: 'early', value: c.early.mean, se: c.early.se },
      { model, cls: c.name, epoch: 'late', value: c.late.mean, se: c.late.se },
    ]),
  );
  const ok = rows.filter((r) => finite(r.value));
  const classes = [...new Set(rows.map((r) => r.cls))];
  const models = sets.map((s) => s.model);
  const epochColor = (d: { epoch: string }) => (d.epoch === 'early' ? '#9ecae1' : '#1f3b73');
  return plotSvg({
    title: 'Noise correlations, first vs last 400 ms of the delay (± s.e.m. over pairs)',
    width: 960,
    height: 60 + 220 * models.length,
    marginLeft: 60,
    marginTop: 50,
    marginBottom: 40,
    fx: { label: null, domain: classes },
    fy: { label: null, domain: models },
    x: { axis: null, domain: ['early', 'late'], padding: 0.15 },
    y: { label: 'spike-count correlation', grid: true, nice: true },
    marks: [
      Plot.barY(ok, { fx: 'cls', fy: 'model', x: 'epoch', y: 'value', fill: epochColor }),
      Plot.ruleX(
        ok.filter((r) => finite(r.se)),
        {
          fx: 'cls',
          fy: 'model',
          x: 'epoch',
          y1: (d: { value: number; se: number }) => d.value - d.se,
          y2: (d: { value: number; se: number }) => d.value + d.se,
        },
      ),
      Plot.ruleY([0]),
      ...legendMarks(
        [
          { label: 'early delay', color: '#9ecae1' },
          { label: 'late delay', color: '#1f3b73' },
        ],
        'top-right',
        { facet: 'super', dy: -44 },
      ),
    ],
  });
}
