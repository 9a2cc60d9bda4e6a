/**
 * The figures of the delay-network steps (train, scan), each with the file name and caption its
 * run directory gives it (`RunFigure[]`).
 */
import { type Perrinet2026Result, scanPaperCurve } from '@wmkit/papers';
import { f1OverTimeSvg, f1OverTrainingSvg, hdTrainingCurveSvg, recallRasterSvg, scanSvg } from './delay-snn';
import type { RunFigure } from './ei-rnn-runs';

/** At most six curves for the Fig. 3 view: the first, the last and evenly spaced ones between. */
export function figureSteps<T>(curves: T[], most = 6): T[] {
  if (curves.length <= most) return curves;
  const pick = new Set<number>();
  for (let q = 0; q < most; q++) pick.add(Math.round((q * (curves.length - 1)) / (most - 1)));
  return [...pick].sort((a, b) => a - b).map((q) => curves[q] as T);
}

/** The figures of a trained delay network: training curve, pattern 0's raster, F1 along the pattern during and after training. */
export function perrinetFigures(r: Perrinet2026Result): RunFigure[] {
  const cfg = r.config;
  const curve = r.history.map((s) => ({ step: s.step, evalF1: s.eval.f1, trainF1: s.train.f1, trainLoss: s.trainLoss }));
  const overTime = r.history.map((s) => ({ step: s.step, rows: s.f1OverTime }));
  const size = `N=${cfg.N}, D=${cfg.D}, M=${cfg.M}`;
  return [
    {
      name: 'training',
      svg: hdTrainingCurveSvg(curve, r.afterInit.scores.f1, `F1 during training (${size})`),
      caption: 'recall F1 after each gradient step',
    },
    {
      name: 'raster',
      svg: recallRasterSvg(r.raster.target, r.raster.recall, {
        N: cfg.N,
        T: cfg.T,
        cueSteps: Math.min(cfg.cueSteps ?? cfg.D, cfg.T),
        title: 'pattern 0: target vs recall',
      }),
      caption: 'target spikes (rings) and the recalled spikes of pattern 0',
    },
    {
      name: 'training_f1_over_time',
      svg: f1OverTrainingSvg(
        figureSteps([{ step: 0, rows: r.f1OverTimeAfterInit }, ...overTime]),
        `F1 along the pattern during training (cf. Perrinet et al. 2026, Fig. 3; ${size}, ${r.init.method} init)`,
      ),
      caption: 'F1 along the pattern after the initialisation and after several gradient steps',
    },
    {
      name: 'f1_over_time',
      svg: f1OverTimeSvg(r.f1OverTime, 'F1 after the cue (bins of 10 steps, all patterns)'),
      caption: 'recall quality along the pattern',
    },
  ];
}

/** F1 against the scanned parameter (±SD over seeds), with the paper's values. */
export function scanFigure(
  param: Parameters<typeof scanPaperCurve>[0],
  summary: { value: number; f1: { mean: number; sd: number }; precision: { mean: number }; recall: { mean: number } }[],
  o: { title: string },
): RunFigure {
  const paper = scanPaperCurve(param);
  const rows = summary.map((p) => ({ value: p.value, f1: p.f1.mean, sd: p.f1.sd, precision: p.precision.mean, recall: p.recall.mean }));
  const what = param === 'M' ? 'capacity: F1 vs number of stored patterns' : `F1 vs ${param}`;
  return { name: 'scan', svg: scanSvg(rows, paper, { param, title: `${what} (${o.title})`, log: param === 'p' }), caption: what };
}
