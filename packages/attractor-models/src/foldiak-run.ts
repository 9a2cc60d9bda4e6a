/**
 * Földiák networks on either engine, and the bars benchmark (Földiák 1990, Figs. 4–5): learning
 * from random bars patterns and scoring which lines the units represent.
 */
import { codeDecorrelation, componentsRepresented } from '@wmkit/analysis';
import { barImage, barsDataset } from '@wmkit/tasks';
import { type Rng, runSteps, ShapeError, type StepGenerator } from '@wmkit/tensor';
import {
  createFoldiak,
  type FoldiakEngine,
  type FoldiakEngineName,
  type FoldiakNetwork,
  type FoldiakParams,
  foldiakJsEngine,
} from './foldiak';
import { foldiakTfjsEngine } from './foldiak-tfjs';

/** `net` on the engine named: float64 JavaScript (`'kernels'`, default; updates `net` in place) or tfjs ops (a copy). */
export function foldiakEngine(net: FoldiakNetwork, engine: FoldiakEngineName = 'kernels'): FoldiakEngine {
  if (engine === 'tfjs') return foldiakTfjsEngine(net);
  if (engine !== 'kernels') throw new ShapeError(`Földiák network: engine '${engine}' is not kernels or tfjs`);
  return foldiakJsEngine(net);
}

/** How well the network codes the bars after a number of presentations: lines represented, decorrelation, sparseness. */
export interface BarsScore {
  presentations: number;
  /** Lines represented by exactly one unit that responds to no other line (of 2·size). */
  linesRepresented: number;
  /** For each line, the unit representing it or −1. */
  unitFor: Int32Array;
  /** Mean output activity over the recent patterns (target p). */
  activity: number;
  /** Mean |correlation| between outputs over the recent patterns. */
  meanAbsCorrelation: number;
}

/** Responses to each line alone → which lines the network represents (one unit each); `net` is a network (JavaScript engine) or an engine. */
export function scoreBars(
  net: FoldiakNetwork | FoldiakEngine,
  size = 8,
): Pick<BarsScore, 'linesRepresented' | 'unitFor'> & { responses: Uint8Array } {
  const L = 2 * size;
  const eng = 'respond' in net ? net : foldiakJsEngine(net);
  const lines = new Float32Array(L * size * size);
  for (let l = 0; l < L; l++) lines.set(barImage(l, size), l * size * size);
  const responses = eng.respond(lines, L);
  const c = componentsRepresented(responses, L, eng.params.nOut);
  return { linesRepresented: c.represented, unitFor: c.unitFor, responses };
}

/** Presentations, scoring period and progress hook of `runBars`. */
export interface BarsRunOptions {
  /** Learning presentations (default 2000). */
  presentations?: number;
  /** Score every this many presentations (default 50). */
  scoreEvery?: number;
  size?: number;
  /** Line probability (default 1/8). */
  pLine?: number;
  /** Called with each score as it is measured. */
  onScore?: (s: BarsScore) => void;
  /** Float64 JavaScript (`'kernels'`, default) or tfjs ops. */
  engine?: FoldiakEngineName;
}

/** A Földiák network trained on bars: the network, its score curve and when all lines were first represented. */
export interface BarsRun {
  /** The learned network (float64 arrays on either engine). */
  net: FoldiakNetwork;
  curve: BarsScore[];
  /** First presentation count at which all lines were represented (−1 if never). */
  solvedAt: number;
}

/** The bars benchmark: pre-train thresholds, then learn from fresh random bars patterns. */
export function runFoldiakBars(params: Partial<FoldiakParams>, rng: Rng, o: BarsRunOptions = {}): BarsRun {
  return runSteps(runFoldiakBarsSteps(params, rng, o));
}

/**
 * `runFoldiakBars` as a step generator (yields after every presentation, pre-training included),
 * for `runStepsYielding`; same results.
 */
export function* runFoldiakBarsSteps(params: Partial<FoldiakParams>, rng: Rng, o: BarsRunOptions = {}): StepGenerator<BarsRun> {
  const size = o.size ?? 8;
  const net = createFoldiak({ nIn: size * size, nOut: 2 * size, ...params }, rng.fork('init'));
  const eng = foldiakEngine(net, o.engine);
  try {
    const data = rng.fork('bars');
    const next = () => barsDataset({ size, p: o.pLine ?? 1 / 8, count: 1, rng: data }).x;
    for (let c = 0; c < net.params.pretrainCycles; c++) {
      eng.pretrain(next());
      yield;
    }
    const total = o.presentations ?? 2000;
    const every = o.scoreEvery ?? 50;
    const curve: BarsScore[] = [];
    const recent: number[] = [];
    let solvedAt = -1;
    let presentations = 0;
    const score = () => {
      const s = scoreBars(eng, size);
      const n = recent.length / net.params.nOut;
      const dec = n > 1 ? codeDecorrelation(recent, n, net.params.nOut) : { meanAbsCorrelation: Number.NaN };
      const activity = recent.length ? recent.reduce((a, b) => a + b, 0) / recent.length : Number.NaN;
      const row: BarsScore = {
        presentations,
        linesRepresented: s.linesRepresented,
        unitFor: s.unitFor,
        activity,
        meanAbsCorrelation: dec.meanAbsCorrelation,
      };
      curve.push(row);
      o.onScore?.(row);
      if (solvedAt < 0 && s.linesRepresented === 2 * size) solvedAt = presentations;
      recent.length = 0;
    };
    score();
    for (let k = 0; k < total; k++) {
      const y = eng.present(next());
      presentations++;
      for (const v of y) recent.push(v);
      if ((k + 1) % every === 0 || k + 1 === total) score();
      yield;
    }
    return { net: eng.network(), curve, solvedAt };
  } finally {
    eng.dispose();
  }
}
