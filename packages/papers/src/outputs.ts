/**
 * What a recipe's result puts into a run directory, as data (`RunOutputs`): the arrays (each an
 * .npy file), metrics.jsonl records, run.json metrics, text files and timings. The CLI writes
 * them; a notebook can save the same arrays. No file system here. The figures come from
 * @wmkit/figures, the report text from the `*-report` modules.
 */
import type { NDArray, NumericArray } from '@wmkit/tensor';
import type { Kriener2020DeltaRow, Kriener2020Result, Kriener2020Series, NoiseBreakdownResult } from './kriener2020';
import { kriener2020Rows } from './kriener2020-report';
import { fixedOrNa, type PaperReport } from './report';
import type { Wimmer2014Result } from './wimmer2014';

/** One array of a run: its name (the .npy file's), data and shape, and how it is stored. */
export interface RunArray {
  name: string;
  array: NDArray<NumericArray>;
  /** The .npy element type (default: the data's own). */
  dtype?: 'float32' | 'float64' | 'int32' | 'uint8' | 'bool';
  description?: string;
}

/** What a result puts into a run directory besides its figures and report. */
export interface RunOutputs {
  arrays?: RunArray[];
  /** metrics.jsonl records, in order. */
  records?: object[];
  /** run.json metrics (merged when the run completes). */
  metrics?: Record<string, unknown>;
  /** Text files: [file name, content]. */
  files?: [string, string | Uint8Array][];
  /** run.json timings: [name, seconds]. */
  timings?: [string, number][];
}

/** Rows as CSV (a cell holding a comma quoted). */
export function csvRows(rows: string[][]): string {
  return `${rows.map((r) => r.map((c) => (c.includes(',') ? `"${c}"` : c)).join(',')).join('\n')}\n`;
}

/**
 * The run outputs of `kriener2020`: per-trial times and outcomes of the noisy circuits
 * [N, trials], one metrics record per N, summary.csv, and the fits and benchmarks as metrics.
 */
export function kriener2020Outputs(r: Kriener2020Result, breakdown: NoiseBreakdownResult): RunOutputs {
  const { sizes, trials, wtaTrials } = r;
  const at = (s: Kriener2020Series, k: number) => r.results[s][k] as Kriener2020Result['results'][Kriener2020Series][number];
  const records = sizes.map((N, k) => {
    const n = at('nWTA, noise', k);
    const w = at('WTA, noise', k);
    const n0 = at('nWTA, no noise', k);
    const w0 = at('WTA, no noise', k);
    const b = r.bench[k] as Kriener2020Result['bench'][number];
    return {
      N,
      nwta: { time: n.meanTime, se: n.seTime, accuracy: n.accuracy, decided: n.decided },
      wta: { time: w.meanTime, accuracy: w.accuracy, decided: w.decided },
      nwtaNoNoise: { time: n0.meanTime, decided: n0.decided },
      wtaNoNoise: { time: w0.meanTime, decided: w0.decided },
      parallel: b.parallel,
      serial: b.serial,
    };
  });
  const arrays: RunArray[] = [];
  for (const s of ['nWTA, noise', 'WTA, noise'] as const) {
    const n = s === 'nWTA, noise' ? trials : wtaTrials;
    const times = new Float32Array(sizes.length * n);
    const correct = new Uint8Array(sizes.length * n);
    const decided = new Uint8Array(sizes.length * n);
    sizes.forEach((_, k) => {
      const x = at(s, k);
      times.set(x.times, k * n);
      correct.set(x.correct, k * n);
      decided.set(x.decidedMask, k * n);
    });
    const tag = s === 'nWTA, noise' ? 'nwta' : 'wta';
    const shape = [sizes.length, n];
    arrays.push(
      { name: `${tag}_times`, array: { data: times, shape }, description: `${s}: decision (or give-up) time per trial, τ; rows = N` },
      { name: `${tag}_correct`, array: { data: correct, shape }, description: `${s}: correct winner` },
      { name: `${tag}_decided`, array: { data: decided, shape }, description: `${s}: a winner was produced` },
    );
  }
  arrays.push({ name: 'sizes', array: { data: Int32Array.from(sizes), shape: [sizes.length] }, description: 'N of each row' });
  const ratios = r.ratioToParallel;
  return {
    arrays,
    records,
    files: [['summary.csv', csvRows(kriener2020Rows(r))]],
    metrics: {
      fit: r.fit,
      noiseBreakdown: { critical: breakdown.critical, sigmas: breakdown.sigmas },
      ratioToParallel: [Math.min(...ratios), Math.max(...ratios)],
      wtaFailsFrom: r.wtaFailsFrom ?? null,
    },
  };
}

const f1 = (x: number) => fixedOrNa(x, 1);
const f2 = (x: number) => fixedOrNa(x, 2);

/** The tables, plot rows, metrics and report of `kriener2020DeltaSweep` (the task-difficulty sweep). */
export function kriener2020DeltaOutputs(
  res: Kriener2020DeltaRow[],
  o: {
    params: { alpha: number; beta: number; theta: number; sigma: number; tauEta: number };
    sizes: number[];
    trials: number;
    wtaTrials: number;
    seconds: number;
    workers: number;
  },
): RunOutputs & {
  rows: string[][];
  fitRows: string[][];
  plotRows: { delta: number; N: number; time: number; accuracy: number }[];
  report: PaperReport;
} {
  const rows: string[][] = [['Δ', 'N', 'nWTA time (τ)', 'nWTA accuracy', 'WTA with a winner', 'WTA accuracy']];
  const fitRows: string[][] = [['Δ', 'T = a + b·ln N', 'r²', "Hick's law (N ≤ 32)", 'r²', 'WTA fails from N']];
  const plotRows: { delta: number; N: number; time: number; accuracy: number }[] = [];
  const records: object[] = [];
  for (const { delta, result } of res) {
    const nw = result.results['nWTA, noise'];
    const w = result.results['WTA, noise'];
    o.sizes.forEach((N, k) => {
      const n = nw[k] as (typeof nw)[number];
      const c = w[k] as (typeof w)[number];
      rows.push([
        String(delta),
        String(N),
        `${f1(n.meanTime)} ± ${f1(n.seTime)}`,
        f2(n.accuracy),
        `${(c.decided * 100).toFixed(0)}%`,
        f2(c.accuracy),
      ]);
      plotRows.push({ delta, N, time: n.meanTime, accuracy: n.accuracy });
      records.push({
        delta,
        N,
        nwta: { time: n.meanTime, se: n.seTime, accuracy: n.accuracy },
        wta: { decided: c.decided, accuracy: c.accuracy },
      });
    });
    const f = result.fit;
    fitRows.push([
      String(delta),
      `${f1(f.nwta.intercept)} + ${f2(f.nwta.slope)}·ln N`,
      f2(f.nwta.r2),
      `${f2(f.hick.intercept)} + ${f2(f.hick.slope)}·log₂(N+1)`,
      f.hick.r2.toFixed(3),
      result.wtaFailsFrom == null ? '—' : String(result.wtaFailsFrom),
    ]);
  }
  const p = o.params;
  const report: PaperReport = {
    title: 'Task difficulty sweep (Kriener, Chaudhuri & Fiete 2020)',
    sections: [
      {
        paragraphs: [
          `The WTA / nWTA grid of \`wmkit reproduce kriener2020\` at each input gap Δ between the winner (input 1) and the others (1 − Δ); a smaller Δ is a harder task. Parameters α ${p.alpha}, β ${p.beta}, θ ${p.theta}, σ ${p.sigma}, τ_η ${p.tauEta}; ${o.trials} trials per N (conventional WTA with noise: ${o.wtaTrials}).`,
          `Runtime ${o.seconds.toFixed(0)} s on ${o.workers} worker thread${o.workers > 1 ? 's' : ''}.`,
        ],
        tables: [{ rows: fitRows }, { rows }],
        figures: [['delta_sweep', 'nWTA decision time (top) and accuracy (bottom) against N, one line per Δ.']],
      },
    ],
  };
  return {
    rows,
    fitRows,
    plotRows,
    report,
    records,
    files: [['delta_sweep.csv', csvRows(rows)]],
    metrics: { fits: res.map(({ delta, result }) => ({ delta, fit: result.fit, wtaFailsFrom: result.wtaFailsFrom })) },
  };
}

/** The arrays and timings of `wimmer2014`: per model the decoded responses, cues and decoded angle over time. */
export function wimmer2014Outputs(r: Wimmer2014Result): RunOutputs {
  const arrays: RunArray[] = [];
  for (const res of r.models) {
    const { model: m, sim } = res;
    const trials = sim.response.length;
    arrays.push(
      { name: `${m}_response`, array: { data: sim.response, shape: [trials] }, description: `${m}: decoded response (rad)` },
      { name: `${m}_cue`, array: { data: sim.cue, shape: [trials] }, dtype: 'int32' },
      { name: `${m}_decoded_angle`, array: sim.angles, description: `${m}: decoded angle per 50-ms bin [trial, bin]` },
    );
  }
  return { arrays, timings: r.models.map((res) => [`${res.model}_simulate`, res.seconds.simulate]) };
}
