/**
 * The report of `kim2021` as data (`PaperReport`): the table of the models (training,
 * conversion), the I→I scaling tables, the sign tests in words, and the failures.
 */
import type { PairedSignTest } from '@wmkit/analysis';
import { KIM2021_PROTOCOL, type Kim2021Result } from './kim2021';
import type { KimRetrainExperiment } from './kim2021-analyses';
import { KIM_TASK_MEASURES, type KimPanelNetworkResult, type KimPanelsResult } from './kim2021-panels';
import { fixedOrNa, type PaperReport, type PaperReportSection, pValueText } from './report';

const FACTORS = KIM2021_PROTOCOL.factors;
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The tables and sentences of the report (the command prints them too). */
export interface Kim2021Text {
  /** Per model: training, conversion. */
  modelRows: string[][];
  /** Per complete model: median τ and units fitted per I→I factor. */
  tauRows: string[][];
  /** Per complete model: rate and spiking accuracy at the 750-ms delay per I→I factor. */
  accRows: string[][];
  /** The sign tests of the I→I scaling in words. */
  summary: string;
  /** How many models met the stopping rule. */
  trainSummary: string;
}

/** The tables and sentences of a Kim & Sejnowski 2021 reproduction of `seeds` models. */
export function kim2021Text(result: Kim2021Result, o: { seeds: number }): Kim2021Text {
  const models = result.models;
  const ok = models.filter((m) => m.complete);
  const na = 'n/a';
  const opt = (x: number | null, f: (v: number) => string) => (x == null ? na : f(x));
  const modelRows: string[][] = [
    [
      'seed',
      'stopping rule',
      'trials',
      'train (s)',
      'rate DMS',
      'rate, 750-ms delay',
      '1/λ',
      'spiking DMS',
      'spiking, 750 ms',
      'rate (Hz)',
    ],
  ];
  for (const m of models) {
    const t = m.training;
    modelRows.push([
      String(m.seed),
      t == null || t.success == null ? na : t.success ? 'met' : 'not met',
      t ? opt(t.trials, String) : na,
      t ? opt(t.trainSeconds, (v) => v.toFixed(0)) : na,
      t ? opt(t.rateAccuracyShortDelay, pct) : na,
      t ? opt(t.rateAccuracyLongDelay, pct) : na,
      m.lif ? String(m.lif.bestInverseScale) : na,
      m.lif ? pct(m.lif.spikingAccuracyShortDelay) : na,
      m.lif ? pct(m.lif.spikingAccuracyLongDelay) : na,
      m.lif ? m.lif.meanRateHz.toFixed(1) : na,
    ]);
  }
  // I→I scaling: the baseline (factor 1) is measured in each experiment with the same trials and noise
  const levels = result.levels;
  const tauRows: string[][] = [['seed', ...levels.map((f) => `median τ (ms), × ${f}`), ...levels.map((f) => `units fitted, × ${f}`)]];
  const accRows: string[][] = [['seed', ...levels.map((f) => `rate, × ${f}`), ...levels.map((f) => `spiking, × ${f}`)]];
  for (const m of ok) {
    const v = m.levels;
    tauRows.push([String(m.seed), ...v.map((x) => x.medianTauMs.toFixed(0)), ...v.map((x) => String(x.included))]);
    accRows.push([String(m.seed), ...v.map((x) => pct(x.rateAccuracyLong)), ...v.map((x) => pct(x.spikingAccuracyLong))]);
  }
  const pStr = (p: number) => (Number.isFinite(p) ? p.toFixed(3) : 'n/a');
  const count = (c: PairedSignTest) => `${c.up} of ${plural(c.n, 'model')}${c.ties ? ` (${c.ties} tied)` : ''} (p ${pStr(c.p)})`;
  const { medianTau: tau, rateLong, spikingLong: spikeLong } = result.tests;
  const summary = ok.length
    ? `I→I × ${FACTORS[1]} vs × ${FACTORS[0]} (paired, one-sided sign test): median τ longer in ${count(tau)}; rate DMS accuracy at the 750-ms delay higher in ${count(rateLong)}; spiking accuracy at 750 ms higher in ${count(spikeLong)}. The paper: stronger I→I synapses ⇒ longer timescales and better working-memory performance.`
    : 'No model finished every step; see the failures below.';
  const trainSummary = `${result.metStoppingRule} of ${plural(o.seeds, 'model')} met the stopping rule (eval loss < 7 and accuracy > 0.95).`;
  return { modelRows, tauRows, accRows, summary, trainSummary };
}

/**
 * The report of a Kim & Sejnowski 2021 reproduction (figure `ii_scaling` when `figure`); `runtime`
 * is the caller's line on time and threads, `modelsDir` where the models' run directories are.
 */
export function kim2021Report(
  result: Kim2021Result,
  text: Kim2021Text,
  o: {
    seeds: number;
    preset: string;
    trials: number;
    timescaleTrials: number;
    modelsDir: string;
    runtime: string;
    figure: boolean;
    /** The panels beyond Figs. 2 and 5, when computed (`kim2021Panels`). */
    panels?: KimPanelsResult;
  },
): PaperReport {
  const ok = result.models.filter((m) => m.complete);
  const failures = result.models.filter((m) => !m.complete).map((m) => `seed ${m.seed}: ${m.failed ?? 'a step did not complete'}`);
  return {
    title: 'Strong inhibitory signaling underlies stable temporal dynamics and working memory (Kim & Sejnowski 2021)',
    sections: [
      {
        paragraphs: [
          `${o.seeds} E/I rate RNNs (N = 200, 20% inhibitory, Dale's principle, trainable synaptic decay 20–125 ms) trained on delayed match-to-sample with preset ${o.preset}, converted one-to-one into leaky integrate-and-fire networks (λ chosen by a grid search on ${o.trials} DMS trials per scale), tested at the 750-ms delay; neuronal timescales from the spike-count autocorrelation of ${o.timescaleTrials} spontaneous trials (1.05 s, 50-ms bins; units with τ outside 0–500 ms or a negative amplitude excluded). Each model is a run directory in ${o.modelsDir} (\`wmkit train ei-rnn\`, \`wmkit convert lif\`, \`wmkit experiment scale-synapses\`).`,
          text.trainSummary,
          o.runtime,
        ],
        tables: [{ rows: text.modelRows }],
      },
      {
        heading: 'I→I scaling',
        paragraphs: [
          `Every I→I synapse multiplied by ${FACTORS[0]} and by ${FACTORS[1]}; the spiking network keeps its λ. Each scaled network is measured with the same DMS trials, noise and spontaneous trials as the unscaled one (× 1).`,
          text.summary,
        ],
        tables: ok.length
          ? [
              { caption: 'Median neuronal timescale and units with a valid fit', rows: text.tauRows },
              { caption: `DMS accuracy at the 750-ms delay (${o.trials} trials)`, rows: text.accRows },
            ]
          : [],
        figures: o.figure ? [['ii_scaling', 'Median τ and long-delay accuracy against the I→I factor, one line per model.']] : [],
      },
      ...(o.panels ? kim2021PanelsReport(o.panels) : []),
      ...(failures.length ? [{ heading: 'Not completed', paragraphs: failures }] : []),
    ],
  };
}

// ── the panels beyond Figs. 2 and 5 ─────────────────────────────────────────────────────────

/** The figure files of the panels (`@wmkit/figures` `kim2021PanelFigures` draws them under these names). */
export const KIM_PANEL_FIGURES = {
  fig3Matrices: 'fig3_cross_temporal',
  fig3Delay: 'fig3_delay_accuracy',
  fig4: 'fig4_by_task',
  fig6: 'fig6_subgroups',
  fig7: 'fig7_fano_vs_tau',
  fig8: 'fig8_tau_before_after',
  unbiased: 'unbiased_vs_paper',
} as const;

const TASK_NAMES: Record<string, string> = { dms: 'DMS', afc: 'AFC', gonogo: 'Go/NoGo' };

/**
 * The report sections of `kim2021Panels`: per panel, what was computed (sizes), a table per
 * network, the test across networks in words, and the figure (names: `KIM_PANEL_FIGURES`).
 */
export function kim2021PanelsReport(p: KimPanelsResult): PaperReportSection[] {
  const o = p.options;
  const has = (x: string) => (o.panels as readonly string[]).includes(x);
  const nets = p.networks;
  const dms = nets.filter((n) => n.task === 'dms');
  const f0 = (x: number) => fixedOrNa(x, 0);
  const f2 = (x: number) => fixedOrNa(x, 2);
  const pctOrNa = (x: number) => (Number.isFinite(x) ? pct(x) : 'n/a');
  const sign = (t: PairedSignTest, what: string) =>
    `${what} in ${t.up} of ${plural(t.n, 'network')}${t.ties ? ` (${t.ties} tied)` : ''} (one-sided sign test p ${pValueText(t.p)})`;
  const label = (n: KimPanelNetworkResult) => `${TASK_NAMES[n.task] ?? n.task} ${n.seed}`;
  const sections: PaperReportSection[] = [];
  const tsRows = [
    ['network', '1/λ', 'units fitted', 'median τ (ms)', 'IQR (ms)', 'rate (Hz)'],
    ...nets.map((n) => [
      label(n),
      String(n.inverseScale),
      String(n.timescales.included),
      f0(n.timescales.medianTauMs),
      `${f0(n.timescales.q25)}–${f0(n.timescales.q75)}`,
      n.timescales.meanRateHz.toFixed(1),
    ]),
  ];
  sections.push({
    heading: 'Networks of the panels',
    paragraphs: [
      `${plural(nets.length, 'network')} (${Object.entries(TASK_NAMES)
        .map(([t, name]) => [name, nets.filter((n) => n.task === t).length] as const)
        .filter(([, c]) => c > 0)
        .map(([name, c]) => `${c} ${name}`)
        .join(
          ', ',
        )}), each converted to LIF with its own λ; timescales of each from ${o.timescaleTrials} fresh spontaneous trials with the paper's estimator (these are the τ the panels use, measured once per network).`,
    ],
    tables: [{ rows: tsRows }],
  });
  if (has('fig3') && p.fig3) {
    const rows = [
      ['network', 'units per half', 'long-τ half, delay accuracy', 'short-τ half, delay accuracy'],
      ...dms
        .filter((n) => n.crossTemporal)
        .map((n) => {
          const c = n.crossTemporal as NonNullable<KimPanelNetworkResult['crossTemporal']>;
          return [label(n), String(c.long.units), pctOrNa(c.long.delayAccuracy), pctOrNa(c.short.delayAccuracy)];
        }),
    ];
    sections.push({
      heading: 'Fig. 3 — cross-temporal decoding by long- and short-τ units',
      paragraphs: [
        `The spiking DMS networks run the 750-ms-delay trial with both stimuli of one sign (${o.crossTemporalTrialsPerCue} trials per sign); the cue is decoded across time from the spike counts (50-ms bins) of the units with τ above and below the median (equal counts). Delay accuracy: the diagonal averaged over the delay bins.`,
        `Long-τ half better than short-τ half: ${sign(p.fig3, 'better')}. The paper: long-τ units hold the cue through the delay, short-τ units do not.`,
      ],
      tables: [{ rows }],
      figures: [
        [KIM_PANEL_FIGURES.fig3Delay, 'Delay-period decoding accuracy of the long-τ and short-τ halves, one line per network.'],
        [KIM_PANEL_FIGURES.fig3Matrices, 'Cross-temporal decoding accuracy (train × test time), averaged over the DMS networks.'],
      ],
    });
  }
  if (has('fig4') && p.fig4) {
    const keys = KIM_TASK_MEASURES;
    const rows = [
      ['task', 'networks', ...keys.map((m) => m.label)],
      ...p.fig4.byTask.map((t) => [TASK_NAMES[t.task] ?? t.task, String(t.networks), ...keys.map((m) => f2(t.means[m.key]))]),
    ];
    const cmpRows = [
      ['DMS vs', ...keys.map((m) => `${m.label}: difference, p`)],
      ...p.fig4.comparisons.map((c) => [
        TASK_NAMES[c.other] ?? c.other,
        ...keys.map((m) => `${f2(c.measures[m.key].difference)}, ${pValueText(c.measures[m.key].p)}`),
      ]),
    ];
    const tau = p.fig4.comparisons.map(
      (c) => `${TASK_NAMES[c.other]}: ${f0(c.measures.medianTauMs.difference)} ms (p ${pValueText(c.measures.medianTauMs.p)})`,
    );
    const ii = p.fig4.comparisons.map(
      (c) => `${TASK_NAMES[c.other]}: ${f2(c.measures.iiMeanWeight.difference)} (p ${pValueText(c.measures.iiMeanWeight.p)})`,
    );
    sections.push({
      heading: 'Fig. 4 — timescales and synapse classes by task',
      paragraphs: [
        `Mean over networks of each network's median τ and of the mean trained effective weight per synapse class (pre→post; inhibitory weights negative); DMS networks compared with each other task's by a permutation test over networks (${o.taskPermutations} permutations, two-sided).`,
        p.fig4.comparisons.length
          ? `Median τ, DMS minus ${tau.join('; ')}. Mean I→I weight, DMS minus ${ii.join('; ')}. The paper: DMS networks have longer timescales and stronger I→I synapses than AFC and Go/NoGo networks.`
          : 'Only one task was trained: train other tasks (--tasks dms,afc,gonogo) to compare.',
      ],
      tables: [{ rows }, ...(p.fig4.comparisons.length ? [{ caption: 'DMS minus the other task (permutation p)', rows: cmpRows }] : [])],
      figures: [[KIM_PANEL_FIGURES.fig4, 'Each network’s mean weight per synapse class and median τ, by training task.']],
    });
  }
  if (has('fig6') && p.fig6) {
    const rows = [
      [
        'network',
        'subgroups A / B',
        'I→I within A / B',
        'A→B / B→A',
        'all I→I',
        'network kind',
        'baseline',
        ...o.subgroupFactors.map((f) => `× ${f}: between vs controls (p)`),
      ],
    ];
    for (const n of dms)
      for (const s of [n.subgroups, n.subgroupsSpiking]) {
        if (!s) continue;
        rows.push([
          label(n),
          `${s.groupA.length} / ${s.groupB.length}`,
          `${f2(s.strength.withinA)} / ${f2(s.strength.withinB)}`,
          `${f2(s.strength.aToB)} / ${f2(s.strength.bToA)}`,
          f2(s.strength.allII),
          s.network,
          pctOrNa(s.baseline),
          ...s.scaled.map((x) => `${pctOrNa(x.between)} vs ${pctOrNa(x.controlMean)} (${pValueText(x.pControlAsLow)})`),
        ]);
      }
    const stronger = dms.filter(
      (n) =>
        n.subgroups &&
        Math.min(n.subgroups.strength.aToB, n.subgroups.strength.bToA) >
          Math.max(n.subgroups.strength.withinA, n.subgroups.strength.withinB),
    ).length;
    const withSub = dms.filter((n) => n.subgroups).length;
    sections.push({
      heading: 'Fig. 6 — inhibitory subgroups',
      paragraphs: [
        `Inhibitory units of each DMS network are split by cue selectivity (d′ ≥ 0.5 over stimulus 1 and the delay of the rate network: A prefers +1, B −1). Only the I→I connections between the subgroups (A→B and B→A) are scaled by each factor; ${o.subgroupControls} controls scale as many I→I connections drawn at random; 750-ms-delay DMS accuracy on ${o.subgroupTrials} trials (rate network)${o.subgroupSpikingTrials > 0 ? ` and on ${o.subgroupSpikingTrials} trials of the converted spiking network (same subgroups, controls and λ)` : ''}. p: share of controls at or below the between-subgroup accuracy, (1 + k)/(1 + controls).`,
        `Between-subgroup I→I stronger than within both subgroups in ${stronger} of ${plural(withSub, 'network')}.`,
        ...p.fig6.map(
          (r) =>
            `${r.network === 'rate' ? 'Rate' : 'Spiking'} networks, × ${r.factor}: ${sign(r.test, 'accuracy lower than the random controls’ mean')}.`,
        ),
        'The paper: the two subgroups inhibit each other strongly, and weakening the between-subgroup connections impairs working memory more than weakening random I→I connections.',
      ],
      tables: [{ rows }],
      figures: [
        [
          KIM_PANEL_FIGURES.fig6,
          'DMS accuracy with the between-subgroup I→I scaled (dots) and the random controls’ mean (rings), per factor and network.',
        ],
      ],
    });
  }
  if (has('fig7')) {
    const rows = [
      ['network', 'units', 'Spearman ρ (Fano vs τ)', 'p'],
      ...nets
        .filter((n) => n.fano)
        .map((n) => [label(n), String(n.fano?.test.n), f2(n.fano?.test.rho ?? Number.NaN), pValueText(n.fano?.test.p ?? Number.NaN)]),
    ];
    const pos = nets.filter((n) => n.fano && n.fano.test.rho > 0 && n.fano.test.p < 0.05).length;
    sections.push({
      heading: 'Fig. 7 — fixation-period variability vs τ',
      paragraphs: [
        `Fano factor of each unit's spike count over the spontaneous window (the first 50-ms bin dropped) across the ${o.timescaleTrials} trials, against its τ; Spearman ρ with a permutation p (${o.fanoPermutations} shuffles). Positive and p < 0.05 in ${pos} of ${plural(rows.length - 1, 'network')}. The paper: longer-τ units are more variable during fixation.`,
      ],
      tables: [{ rows }],
      figures: [[KIM_PANEL_FIGURES.fig7, 'Fixation Fano factor against τ, every unit of every network.']],
    });
  }
  if (has('fig8')) {
    const rs = dms.filter((n) => n.retrain);
    const rows = [
      [
        'network',
        'retrain trials',
        'stopping rule',
        'rate',
        'spiking (1/λ)',
        'units',
        'Spearman ρ',
        'p',
        'r(log τ)',
        'median τ before → after (ms)',
      ],
      ...rs.map((n) => {
        const r = n.retrain as KimRetrainExperiment;
        return [
          label(n),
          String(r.retrain.training.trials),
          r.retrain.training.success ? 'met' : 'not met',
          pctOrNa(r.retrain.rateAccuracy),
          `${pctOrNa(r.spikingAccuracy)} (${r.bestInverseScale})`,
          String(r.spearman.n),
          f2(r.spearman.rho),
          pValueText(r.spearman.p),
          f2(r.pearsonLogTau),
          `${f0(r.medianTauBeforeMs)} → ${f0(r.medianTauAfterMs)}`,
        ];
      }),
    ];
    sections.push({
      heading: `Fig. 8 — retraining on ${TASK_NAMES[o.retrainTask] ?? o.retrainTask} with the recurrent weights frozen`,
      paragraphs: [
        `Each DMS network learns ${TASK_NAMES[o.retrainTask] ?? o.retrainTask} with its recurrent weights and synaptic time constants frozen (new input weights and the read-out trained, ≤ ${o.retrainMaxTrials} trials), is converted again (1/λ ${o.retrainGrid.join(', ')}; ${o.retrainTrials} trials each), and each unit's τ after is compared with its τ before (${o.timescaleTrials} spontaneous trials each). The paper: the timescales are kept (τ before and after correlated).`,
      ],
      tables: [{ rows }],
      figures: [[KIM_PANEL_FIGURES.fig8, 'Each unit’s τ after retraining against before, every DMS network.']],
    });
  }
  if (has('unbiased')) {
    const rows = [
      [
        'network',
        'paper: units, median τ (ms)',
        'unbiased: units, median τ (ms)',
        'unconstrained',
        'τ beyond the window',
        'unbiased median τ of the rest (ms)',
      ],
      ...nets
        .filter((n) => n.unbiased)
        .map((n) => {
          const u = n.unbiased as NonNullable<KimPanelNetworkResult['unbiased']>;
          return [
            label(n),
            `${n.timescales.included}, ${f0(n.timescales.medianTauMs)}`,
            `${u.included}, ${f0(u.medianTauMs)}`,
            String(u.unconstrained),
            `${u.beyondWindow} of ${u.included}`,
            f0(u.medianWithinWindowMs),
          ];
        }),
    ];
    sections.push({
      heading: 'Timescales without the finite-window bias (beyond the paper)',
      paragraphs: [
        'The paper fits an exponential to the autocorrelation of 20 bins × 50 trials, which is biased low for long τ because a short window’s autocorrelation is itself biased (Zeraati et al. 2022). The unbiased estimate fits the expected autocorrelation of the same finite protocol (grid posterior over τ and the share of rate-driven variance, 25 ms – 5 s). Units whose interval spans most of the grid are flagged unconstrained and left out of the median. "Beyond the window" flags included units whose τ is longer than the analysed window (1 s): their autocorrelation is nearly flat over the window, typically a weak slow component on top of spiking that is more regular than Poisson (lag-1 correlation below lag-2), which a stationary Ornstein–Uhlenbeck model can only explain with τ longer than the window, so these estimates say "longer than the window", not how long. The paper’s fit, with its free offset and 500-ms cap, reports the fast part of the same units instead.',
      ],
      tables: [{ rows }],
      figures: [[KIM_PANEL_FIGURES.unbiased, 'Each unit’s unbiased τ against the paper’s estimate (units with both).']],
    });
  }
  return sections;
}

/** The run.json metrics of a reproduction: models, stopping rule, and the sign tests of the I→I scaling. */
export function kim2021Metrics(result: Kim2021Result): Record<string, number> {
  const { medianTau: tau, rateLong, spikingLong } = result.tests;
  return {
    seconds: result.seconds,
    models: result.models.length,
    completed: result.models.filter((m) => m.complete).length,
    metStoppingRule: result.metStoppingRule,
    tauLongerWithStrongerII: tau.up,
    tauSignTestP: tau.p,
    rateLongBetterWithStrongerII: rateLong.up,
    rateLongSignTestP: rateLong.p,
    spikingLongBetterWithStrongerII: spikingLong.up,
    spikingLongSignTestP: spikingLong.p,
  };
}

/** One line per panel of `kim2021Panels` (the command prints them; the report has the tables). */
export function kim2021PanelsSummary(p: KimPanelsResult): string[] {
  const lines: string[] = [];
  const f0 = (x: number) => fixedOrNa(x, 0);
  const label = (n: KimPanelNetworkResult) => `${TASK_NAMES[n.task] ?? n.task} ${n.seed}`;
  const dms = p.networks.filter((n) => n.task === 'dms');
  if (p.fig3)
    lines.push(
      `Fig. 3: delay decoding, long- vs short-τ half: ${dms
        .filter((n) => n.crossTemporal)
        .map(
          (n) =>
            `${label(n)} ${pct(n.crossTemporal?.long.delayAccuracy ?? Number.NaN)} vs ${pct(n.crossTemporal?.short.delayAccuracy ?? Number.NaN)}`,
        )
        .join('; ')} — long better in ${p.fig3.up} of ${p.fig3.n} (p ${pValueText(p.fig3.p)})`,
    );
  if (p.fig4)
    lines.push(
      `Fig. 4: median τ by task ${p.fig4.byTask.map((t) => `${TASK_NAMES[t.task]} ${f0(t.means.medianTauMs)} ms`).join(', ')}; I→I mean weight ${p.fig4.byTask.map((t) => `${TASK_NAMES[t.task]} ${fixedOrNa(t.means.iiMeanWeight, 2)}`).join(', ')}${p.fig4.comparisons.map((c) => `; DMS vs ${TASK_NAMES[c.other]}: τ p ${pValueText(c.measures.medianTauMs.p)}, I→I p ${pValueText(c.measures.iiMeanWeight.p)}`).join('')}`,
    );
  if (p.fig6)
    for (const r of p.fig6) {
      const per = dms
        .map((n) => ({ n, s: r.network === 'rate' ? n.subgroups : n.subgroupsSpiking }))
        .filter((x) => x.s)
        .map(({ n, s }) => {
          const x = s?.scaled.find((y) => y.factor === r.factor);
          return `${label(n)} ${pct(s?.baseline ?? Number.NaN)} → ${pct(x?.between ?? Number.NaN)} vs ${pct(x?.controlMean ?? Number.NaN)} (p ${pValueText(x?.pControlAsLow ?? Number.NaN)})`;
        });
      lines.push(
        `Fig. 6 (${r.network}, between-subgroup I→I × ${r.factor} vs random): ${per.join('; ')} — lower than controls in ${r.test.up} of ${r.test.n} (p ${pValueText(r.test.p)})`,
      );
    }
  const fano = p.networks.filter((n) => n.fano);
  if (fano.length)
    lines.push(
      `Fig. 7: Spearman ρ (Fano vs τ): ${fano.map((n) => `${label(n)} ${fixedOrNa(n.fano?.test.rho ?? Number.NaN, 2)} (p ${pValueText(n.fano?.test.p ?? Number.NaN)})`).join('; ')}`,
    );
  const rt = dms.filter((n) => n.retrain);
  if (rt.length)
    lines.push(
      `Fig. 8: τ before vs after retraining on ${p.options.retrainTask}: ${rt.map((n) => `${label(n)} ρ ${fixedOrNa(n.retrain?.spearman.rho ?? Number.NaN, 2)} (p ${pValueText(n.retrain?.spearman.p ?? Number.NaN)}, ${n.retrain?.retrain.training.trials} trials, rate ${pct(n.retrain?.retrain.rateAccuracy ?? Number.NaN)})`).join('; ')}`,
    );
  const ub = p.networks.filter((n) => n.unbiased);
  if (ub.length && p.options.panels.includes('unbiased'))
    lines.push(
      `Unbiased vs paper's median τ: ${ub.map((n) => `${label(n)} ${f0(n.unbiased?.medianTauMs ?? Number.NaN)} vs ${f0(n.timescales.medianTauMs)} ms (${n.unbiased?.unconstrained} unconstrained, ${n.unbiased?.beyondWindow} of ${n.unbiased?.included} beyond the window)`).join('; ')}`,
    );
  return lines;
}
