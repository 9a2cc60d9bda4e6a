/**
 * The report of `kim2021` as data (`PaperReport`): the table of the models (training,
 * conversion), the I→I scaling tables, the sign tests in words, and the failures.
 */
import type { PairedSignTest } from '@wmkit/analysis';
import { KIM2021_PROTOCOL, type Kim2021Result } from './kim2021';
import type { PaperReport } from './report';

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
  o: { seeds: number; preset: string; trials: number; timescaleTrials: number; modelsDir: string; runtime: string; figure: boolean },
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
      ...(failures.length ? [{ heading: 'Not completed', paragraphs: failures }] : []),
    ],
  };
}
