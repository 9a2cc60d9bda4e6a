/**
 * The figures of the E/I RNN steps, each with the file name and caption its run directory gives
 * it: a command or `reproduce kim2021` adds them unchanged (`RunFigure[]`).
 */
import { type TimescaleDecoding, type TimescaleResult, timescaleHistogram } from '@wmkit/analysis';
import type { EiSimulation, FanoVsTimescale, KimConvertResult, UnbiasedTimescaleOutputs, WeightsByTask } from '@wmkit/papers';
import { autocorrelationSvg, outputTracesSvg, rasterSvg, scaleSearchSvg, timescaleHistogramSvg, trainingCurveSvg } from './ei-rnn';
import { byTaskSvg, crossTemporalSvg, fanoVsTauSvg } from './kim2021';

/** One figure of a run directory: file name (without .svg), the SVG and its caption. */
export interface RunFigure {
  name: string;
  svg: string;
  caption: string;
}

/** The histogram of τ (log bins) and the population autocorrelation with its exponential fit. */
export function timescaleFigures(result: TimescaleResult, title: string): RunFigure[] {
  const taus = result.units.filter((u) => u.status === 'ok').map((u) => u.tauMs);
  const hist = timescaleHistogram(taus);
  const pop = result.population;
  const K = result.options.maxLag;
  const lags = Array.from({ length: K }, (_, i) => (i + 1) * result.options.binMs);
  return [
    {
      name: 'tau_histogram',
      svg: timescaleHistogramSvg(hist.edges, hist.counts, { title, median: result.quantiles.median }),
      caption: 'neuronal timescales, log bins 10^0.7–10^2.7 ms',
    },
    {
      name: 'autocorrelation',
      svg: autocorrelationSvg(
        lags,
        Array.from(result.meanAutocorrelation),
        pop ? (l) => pop.amplitude * (Math.exp(-l / pop.tauMs) + pop.offset) : null,
        `${title}: population autocorrelation`,
      ),
      caption: 'mean peak-aligned spike-count autocorrelation of included units, with the exponential fit',
    },
  ];
}

/** The histogram of the unbiased timescales (posterior medians). */
export function unbiasedTimescaleFigure(u: UnbiasedTimescaleOutputs, title: string): RunFigure {
  const hist = timescaleHistogram(u.taus);
  return {
    name: 'tau_unbiased_histogram',
    svg: timescaleHistogramSvg(hist.edges, hist.counts, { title: `${title} (unbiased estimator)`, median: u.result.quantiles.median }),
    caption: 'unbiased timescales (posterior medians), log bins 10^0.7–10^2.7 ms',
  };
}

/** The evaluation loss and accuracy during training, with the stopping rule's thresholds. */
export function rateTrainingFigure(
  history: { trial: number; loss: number; accuracy: number }[],
  o: { lossThreshold?: number | null; accuracyThreshold?: number | null; title: string },
): RunFigure {
  return {
    name: 'training',
    svg: trainingCurveSvg(
      history.map((e) => ({ trial: e.trial, loss: e.loss, accuracy: e.accuracy })),
      { lossThreshold: o.lossThreshold ?? undefined, accuracyThreshold: o.accuracyThreshold ?? undefined, title: o.title },
    ),
    caption: 'evaluation loss and accuracy during training',
  };
}

/** Spiking accuracy against 1/λ of a conversion. */
export function lambdaSearchFigure(r: Pick<KimConvertResult, 'search' | 'summary'>, title: string): RunFigure {
  return {
    name: 'lambda_search',
    svg: scaleSearchSvg(r.search, r.summary.bestInverseScale, title),
    caption: 'spiking DMS accuracy vs 1/λ',
  };
}

/** Trial 0's spike raster (spiking runs) and the output of the first trials. */
export function eiSimulationFigures(
  sim: EiSimulation,
  o: { spiking: boolean; units: number; durationMs: number; threshold: number },
): RunFigure[] {
  return [
    ...(sim.raster
      ? [
          {
            name: 'raster',
            svg: rasterSvg(sim.raster, sim.periods, {
              title: `trial 0 (${sim.firstTrial})`,
              units: o.units,
              durationMs: o.durationMs,
            }),
            caption: 'spike raster of trial 0; stimulus periods shaded',
          },
        ]
      : []),
    {
      name: 'outputs',
      svg: outputTracesSvg(sim.traces, o.threshold, `${o.spiking ? 'spiking' : 'rate'} network output, first trials`),
      caption: 'output of the first 8 trials',
    },
  ];
}

/** The Fano factor of each unit against its timescale, with Spearman's ρ in the title. */
export function fanoFigure(r: FanoVsTimescale, source: string): RunFigure {
  const t = r.test;
  return {
    name: 'fano_vs_tau',
    svg: fanoVsTauSvg(r.points, `${source}: fixation Fano factor vs τ (Spearman ρ ${t.rho.toFixed(2)}, p ${t.p.toPrecision(2)}, n ${t.n})`),
    caption: 'fixation-period Fano factor of each unit against its timescale',
  };
}

/** One dot per network: each synapse class's mean weight and the median τ, by training task. */
export function weightsFigure(r: WeightsByTask, name: (run: string) => string): RunFigure {
  const rows = r.networks.flatMap((n) =>
    r.measures.map((m) => ({ task: n.task, run: name(n.run), measure: m.label, value: m.get(n) ?? Number.NaN })),
  );
  return {
    name: 'weights_by_task',
    svg: byTaskSvg(
      rows,
      r.measures.map((m) => m.label),
      'synapse classes and timescales by training task',
    ),
    caption: 'one dot per network: mean weight of each synapse class and median τ, by training task',
  };
}

/** The decoding matrices of the long- and the short-τ halves of the units. */
export function crossTemporalFigure(decoding: TimescaleDecoding, timesMs: number[], title: string): RunFigure {
  const { long, short } = decoding;
  return {
    name: 'cross_temporal',
    svg: crossTemporalSvg(
      [
        { name: 'long-τ half', matrix: long.matrix.data, n: long.units.length },
        { name: 'short-τ half', matrix: short.matrix.data, n: short.units.length },
      ],
      timesMs,
      `${title}: cross-temporal cue decoding`,
    ),
    caption: 'nearest-centroid decoding accuracy, trained at one time and tested at another, for the long- and short-τ halves of the units',
  };
}
