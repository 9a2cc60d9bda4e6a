/**
 * `wmkit reproduce foldiak1990 --out runs/foldiak1990 [--stimuli alphabet] [--engine tfjs]`
 *
 * Földiák 1990 through `foldiak1990` / `foldiak1990Alphabet` of @wmkit/papers (threshold
 * pre-training, then learning from random bars patterns or from letters with English frequencies,
 * per seed); this command writes the learning curves, the learned receptive fields and code, the
 * weights and report.md/report.html.
 */

import { FOLDIAK1990_BARS as P } from '@wmkit/attractor-models';
import {
  alphabetLearningSvg,
  associatorSvg,
  barsLearningSvg,
  letterCodeSvg,
  receptiveFieldsSvg,
  renderReport,
  textTable,
  withMetricsSection,
} from '@wmkit/figures';
import {
  foldiak1990,
  foldiak1990Alphabet,
  foldiak1990AlphabetReport,
  foldiak1990AlphabetRows,
  foldiak1990AlphabetSummary,
  foldiak1990Report,
  foldiak1990Rows,
  foldiak1990Summary,
} from '@wmkit/papers';
import { ALPHABET } from '@wmkit/tasks';
import type { Command } from 'commander';
import { z } from 'zod';
import { failOnDivergence } from '../../divergence';
import { UsageError } from '../../errors';
import {
  addConfigOptions,
  type ConfigOptionValues,
  parseEngine,
  parseIntOption,
  printConfigIfAsked,
  resolveOptionConfig,
  schemaParser,
} from '../../options';
import { Progress } from '../../progress';
import { startRun } from '../../run-helpers';

interface Options extends ConfigOptionValues {
  out: string;
  seeds: number;
  seed: number;
  presentations: number;
  scoreEvery: number;
  stimuli: 'bars' | 'alphabet';
  engine: 'kernels' | 'tfjs';
  force?: boolean;
}

/** What determines the result besides the seed (run.json `config` records it with the fixed parameters). */
const configSchema = z.strictObject({
  stimuli: z.enum(['bars', 'alphabet']),
  seeds: z.number().int().min(1),
  presentations: z.number().int().min(1),
  scoreEvery: z.number().int().min(1),
});
type FoldiakConfig = z.infer<typeof configSchema>;

function parseStimuli(v: string): 'bars' | 'alphabet' {
  if (v !== 'bars' && v !== 'alphabet') throw new UsageError(`--stimuli must be bars or alphabet, got '${v}'`);
  return v;
}

function lineName(l: number, size: number): string {
  return l < size ? `row ${l + 1}` : `column ${l - size + 1}`;
}

export async function reproduceFoldiak1990(opts: Options, cmd: Command): Promise<number> {
  const base: FoldiakConfig =
    opts.stimuli === 'alphabet'
      ? { stimuli: 'alphabet', seeds: 10, presentations: 5000, scoreEvery: 250 }
      : { stimuli: 'bars', seeds: 10, presentations: 2000, scoreEvery: 50 };
  const { config, seed } = resolveOptionConfig(opts, cmd, {
    base,
    parse: schemaParser(configSchema),
    kinds: ['reproduce.foldiak1990'],
    fromRecorded: (rec) => {
      const r = (rec ?? {}) as Partial<FoldiakConfig>;
      return { stimuli: r.stimuli ?? 'bars', seeds: r.seeds, presentations: r.presentations, scoreEvery: r.scoreEvery };
    },
    options: { stimuli: 'stimuli', seeds: 'seeds', presentations: 'presentations', scoreEvery: 'scoreEvery' },
  });
  if (printConfigIfAsked(opts, config)) return 0;
  const o = { ...opts, ...config, seed: seed ?? opts.seed };
  if (o.stimuli === 'alphabet') return reproduceAlphabet(o);
  const size = 8;
  const run = await startRun(o.out, {
    kind: 'reproduce.foldiak1990',
    config: {
      stimuli: 'bars',
      params: P,
      size,
      pLine: 1 / 8,
      seeds: o.seeds,
      firstSeed: o.seed,
      presentations: o.presentations,
      scoreEvery: o.scoreEvery,
    },
    seed: o.seed,
    preset: 'foldiak1990',
    force: o.force,
  });
  run.setMetrics({ engine: o.engine }); // which implementation learned: float64 JavaScript or TensorFlow.js ops
  console.log(
    `▶ Földiák 1990 bars: 8×8 grid, 16 lines (p = 1/8), 16 units; α ${P.alpha}, β ${P.beta}, γ ${P.gamma}, p ${P.p.toFixed(3)}, λ ${P.lambda}; ${o.seeds} seeds × ${o.presentations} presentations (+ ${P.pretrainCycles} threshold pre-training), engine ${o.engine} → ${run.dir}`,
  );
  const bar = new Progress('  seeds', o.seeds, 'seeds');
  bar.update(0, {}, true);
  let solvedSoFar = 0;
  let done = 0;
  const r = await failOnDivergence(run, () =>
    foldiak1990(
      { seeds: o.seeds, seed: o.seed, presentations: o.presentations, scoreEvery: o.scoreEvery, engine: o.engine },
      {
        onSeed: (s) => {
          if (s.solved) solvedSoFar++;
          done++;
          bar.update(done, { solved: `${solvedSoFar}/${done}` }, true);
        },
      },
    ),
  );
  bar.finish(o.seeds);
  const rows = foldiak1990Rows(r);
  const curves: { seed: number; presentations: number; lines: number }[] = [];
  const q = new Float32Array(o.seeds * P.nOut * P.nIn);
  const w = new Float32Array(o.seeds * P.nOut * P.nOut);
  const th = new Float32Array(o.seeds * P.nOut);
  const solvedAt = new Int32Array(o.seeds);
  for (const [k, s] of r.seeds.entries()) {
    for (const c of s.curve) curves.push({ seed: s.seed, presentations: c.presentations, lines: c.linesRepresented });
    solvedAt[k] = s.solvedAt;
    q.set(s.q, k * P.nOut * P.nIn);
    w.set(s.w, k * P.nOut * P.nOut);
    th.set(s.t, k * P.nOut);
    run.appendMetrics({
      seed: s.seed,
      solvedAt: s.solvedAt,
      lines: s.last.linesRepresented,
      activity: s.last.activity,
      sparseness: s.sparseness,
      meanAbsCorrelation: s.last.meanAbsCorrelation,
      bitsKept: s.information.mutualInformation,
      probeEntropy: s.information.stimulusEntropy,
      redundancy: s.information.redundancy,
      maxLateral: s.maxLateral,
    });
  }
  run.writeArray(
    'q',
    { data: q, shape: [o.seeds, P.nOut, P.nIn] },
    { description: 'feed-forward weights per seed [seed, unit, pixel]; pixels row-major 8×8' },
  );
  run.writeArray('w', { data: w, shape: [o.seeds, P.nOut, P.nOut] }, { description: 'lateral weights per seed (≤ 0, zero diagonal)' });
  run.writeArray('t', { data: th, shape: [o.seeds, P.nOut] }, { description: 'thresholds per seed' });
  run.writeArray(
    'solved_at',
    { data: solvedAt, shape: [o.seeds] },
    { description: 'presentations until all 16 lines were represented (−1: not within the run)' },
  );
  run.addFigure(
    'learning_curve',
    barsLearningSvg(curves, o.presentations, 'Lines represented by exactly one unit vs presentations (one line per seed)'),
    'Learning curves',
  );
  const first = r.seeds[0];
  if (first) {
    const unitFor = Array.from(first.last.unitFor);
    const labels = Array.from({ length: P.nOut }, (_, u) => {
      const l = unitFor.indexOf(u);
      return l >= 0 ? `${u + 1}: ${lineName(l, size)}` : `${u + 1}: none`;
    });
    run.addFigure(
      'receptive_fields',
      receptiveFieldsSvg(first.q, P.nOut, size, labels, `Learned feed-forward weights, seed ${o.seed} (dark = strong)`),
      'Receptive fields',
    );
  }
  const seconds = r.seconds;
  const { solved, medianSolvedAt: median } = r;
  const summary = foldiak1990Summary(r);
  const metrics = { solved, seeds: o.seeds, medianSolvedAt: median, seconds };
  run.setMetrics(metrics);
  const { md, html } = renderReport(withMetricsSection(foldiak1990Report(r), metrics));
  run.writeFile('report.md', md);
  run.writeFile('report.html', html);
  run.complete({ solved, seconds });
  console.log(`\n${textTable(rows)}\n\n${summary}\n\n✓ report: ${run.path('report.html')} (and report.md), ${seconds.toFixed(1)} s`);
  return 0;
}

/** `--stimuli alphabet`: the letters with English frequencies; the code, its measures and the associative layer. */
async function reproduceAlphabet(o: Options & { stimuli: 'alphabet' | 'bars' }): Promise<number> {
  const nOut = P.nOut;
  const run = await startRun(o.out, {
    kind: 'reproduce.foldiak1990',
    config: {
      stimuli: 'alphabet',
      params: { ...P, nIn: 64, nOut },
      letters: 'A–Z, wmkit 6×7 font in an 8×8 grid, English frequencies (Lewand 2000)',
      seeds: o.seeds,
      firstSeed: o.seed,
      presentations: o.presentations,
      scoreEvery: o.scoreEvery,
      associator: { targetUnits: 32, targetActive: 4, deltaPresentations: 5000, deltaRate: 0.5 },
    },
    seed: o.seed,
    preset: 'foldiak1990 --stimuli alphabet',
    force: o.force,
  });
  run.setMetrics({ engine: o.engine, stimuli: 'alphabet' });
  console.log(
    `▶ Földiák 1990 alphabet: 26 letters (8×8, English frequencies), ${nOut} units; α ${P.alpha}, β ${P.beta}, γ ${P.gamma}, p ${P.p.toFixed(3)}, λ ${P.lambda}; ${o.seeds} seeds × ${o.presentations} presentations (+ ${P.pretrainCycles} threshold pre-training), engine ${o.engine} → ${run.dir}`,
  );
  const bar = new Progress('  seeds', o.seeds, 'seeds');
  bar.update(0, {}, true);
  const r = await failOnDivergence(run, () =>
    foldiak1990Alphabet(
      { seeds: o.seeds, seed: o.seed, presentations: o.presentations, scoreEvery: o.scoreEvery, engine: o.engine },
      { onProgress: (p) => bar.update(p.done, {}, true) },
    ),
  );
  bar.finish(o.seeds);
  const S = r.seeds.length;
  const codes = new Uint8Array(S * 26 * nOut);
  const q = new Float32Array(S * nOut * 64);
  const w = new Float32Array(S * nOut * nOut);
  const th = new Float32Array(S * nOut);
  const active = new Int32Array(S * 26);
  const curves: { seed: number; presentations: number; distinct: number; bits: number }[] = [];
  const delta: { input: string; seed: number; presentations: number; error: number }[] = [];
  const hebbian: { input: string; seed: number; stored: number; exact: number }[] = [];
  for (const [k, s] of r.seeds.entries()) {
    codes.set(s.codes, k * 26 * nOut);
    q.set(s.q, k * nOut * 64);
    w.set(s.w, k * nOut * nOut);
    th.set(s.t, k * nOut);
    active.set(s.activeUnits, k * 26);
    for (const c of s.curve) curves.push({ seed: s.seed, presentations: c.presentations, distinct: c.distinctCodes, bits: c.bitsRetained });
    for (const input of ['code', 'raw'] as const) {
      const a = s.associator[input];
      for (const c of a.delta.curve) delta.push({ input, seed: s.seed, presentations: c.presentations, error: c.weightedError });
      for (const [i, e] of a.hebbian.exact.entries()) hebbian.push({ input, seed: s.seed, stored: i + 1, exact: e });
    }
    run.appendMetrics({
      seed: s.seed,
      distinctCodes: s.code.distinctCodes,
      bitsKept: s.code.mutualInformation,
      unitEntropySum: s.code.unitEntropySum,
      redundancy: s.code.redundancy,
      meanActiveUnits: s.code.meanActiveUnits,
      sharedCodes: s.code.sharedCodes,
      frequencyVsActive: s.frequencyVsActive,
      hebbianCapacity: { code: s.associator.code.hebbian.capacity, raw: s.associator.raw.hebbian.capacity },
      deltaError: { code: s.associator.code.delta.final.weightedError, raw: s.associator.raw.delta.final.weightedError },
      deltaReachedAt: { code: s.associator.code.delta.reachedAt, raw: s.associator.raw.delta.reachedAt },
    });
  }
  run.writeArray(
    'codes',
    { data: codes, shape: [S, 26, nOut] },
    { description: 'binary code of each letter A–Z per seed [seed, letter, unit]' },
  );
  run.writeArray(
    'q',
    { data: q, shape: [S, nOut, 64] },
    { description: 'feed-forward weights per seed [seed, unit, pixel]; pixels row-major 8×8' },
  );
  run.writeArray('w', { data: w, shape: [S, nOut, nOut] }, { description: 'lateral weights per seed (≤ 0, zero diagonal)' });
  run.writeArray('t', { data: th, shape: [S, nOut] }, { description: 'thresholds per seed' });
  run.writeArray('active_units', { data: active, shape: [S, 26] }, { description: 'active units per letter A–Z per seed' });
  run.writeArray('images', { data: r.images, shape: [26, 64] }, { description: 'the 26 letter images A–Z, row-major 8×8' });
  const letters = [...ALPHABET];
  run.addFigure(
    'alphabet_glyphs',
    receptiveFieldsSvg(Float64Array.from(r.images), 26, 8, letters, 'The input: 26 letters on an 8 × 8 grid'),
    'Letters',
  );
  const first = r.seeds[0];
  if (first) {
    const rows = r.frequencyOrder.map((k) => ({ letter: letters[k] as string, index: k }));
    run.addFigure(
      'alphabet_code',
      letterCodeSvg(first.codes, nOut, rows, `Learned code of each letter, seed ${first.seed}`),
      'Letter code',
    );
    const labels = Array.from({ length: nOut }, (_, u) => {
      const on = letters.filter((_, k) => first.codes[k * nOut + u] === 1).join('');
      return `${u + 1}: ${on || 'none'}`;
    });
    run.addFigure(
      'alphabet_receptive_fields',
      receptiveFieldsSvg(first.q, nOut, 8, labels, `Learned feed-forward weights, seed ${first.seed} (dark = strong)`),
      'Receptive fields',
    );
  }
  run.addFigure(
    'alphabet_learning',
    alphabetLearningSvg(curves, r.input.stimulusEntropy, 'The alphabet code during learning (one line per seed)'),
    'Learning',
  );
  run.addFigure('associator', associatorSvg(delta, hebbian, 'Associative layer on the learned code vs the raw image'), 'Associative layer');
  const m = r.mean;
  const metrics = {
    distinctCodes: m.distinctCodes,
    bitsKept: m.bitsRetained,
    letterEntropy: r.input.stimulusEntropy,
    redundancy: m.redundancy,
    inputRedundancy: r.input.redundancy,
    meanActiveUnits: m.meanActiveUnits,
    hebbianCapacity: m.hebbianCapacity,
    deltaError: m.deltaError,
    deltaLetterError: m.deltaLetterError,
    deltaEarlyError: m.deltaEarlyError,
    seconds: r.seconds,
  };
  run.setMetrics(metrics);
  const { md, html } = renderReport(withMetricsSection(foldiak1990AlphabetReport(r), metrics));
  run.writeFile('report.md', md);
  run.writeFile('report.html', html);
  run.complete({ distinctCodes: m.distinctCodes, bitsKept: m.bitsRetained, seconds: r.seconds });
  console.log(
    `\n${textTable(foldiak1990AlphabetRows(r))}\n\n${foldiak1990AlphabetSummary(r)}\n\n✓ report: ${run.path('report.html')} (and report.md), ${r.seconds.toFixed(1)} s`,
  );
  return 0;
}

export function registerReproduceFoldiak(reproduce: Command): void {
  const cmd = reproduce
    .command('foldiak1990')
    .description(
      'Földiák 1990: anti-Hebbian sparse coding learns the 16 bars, one unit each (or, with --stimuli alphabet, a sparse code for the letters: information, redundancy, and a downstream associative layer); learning curves over seeds and the receptive fields; writes report.md/report.html',
    )
    .option('--out <dir>', 'run directory', 'runs/foldiak1990')
    .option('--stimuli <kind>', 'bars (the first demonstration) or alphabet (the second)', parseStimuli, 'bars')
    .option('--seeds <n>', 'number of seeds', parseIntOption('seeds', 1), 10)
    .option('--seed <n>', 'first seed', parseIntOption('seed', 0), 1)
    .option(
      '--presentations <n>',
      'learning presentations per seed (default: 2000 bars, 5000 alphabet)',
      parseIntOption('presentations', 1),
      2000,
    )
    .option(
      '--score-every <n>',
      'score the code every n presentations (default: 50 bars, 250 alphabet)',
      parseIntOption('score-every', 1),
      50,
    )
    .option(
      '--engine <name>',
      'kernels (float64 JavaScript, default) or tfjs (TensorFlow.js ops on the selected backend)',
      parseEngine,
      'kernels',
    )
    .option('--force', 'replace an existing run in --out');
  addConfigOptions(cmd, 'presentations=4000')
    .addHelpText(
      'after',
      '\nConfig (--config, --set, --from): stimuli, seeds, presentations, scoreEvery; the options typed on the command line\n' +
        'override them, and --from also takes the run’s first seed (unless --seed is given).\n' +
        '\nExamples:\n  wmkit reproduce foldiak1990 --out runs/foldiak1990\n  wmkit reproduce foldiak1990 --seeds 3 --presentations 4000\n' +
        '  wmkit reproduce foldiak1990 --stimuli alphabet --seeds 3 --out runs/foldiak-alphabet\n' +
        '  wmkit reproduce foldiak1990 --seeds 1 --presentations 200 --engine tfjs --out runs/foldiak-tfjs\n' +
        '  wmkit reproduce foldiak1990 --set seeds=3 --print-config\n  wmkit reproduce foldiak1990 --from runs/foldiak1990 --out runs/foldiak-again\n' +
        '\nWrites: report.md, report.html, learning_curve.svg, receptive_fields.svg, metrics.jsonl (one line per seed),\n' +
        '        q.npy [seeds, 16, 64], w.npy [seeds, 16, 16], t.npy [seeds, 16], solved_at.npy [seeds];\n' +
        '        with --stimuli alphabet: alphabet_glyphs.svg, alphabet_code.svg, alphabet_receptive_fields.svg,\n' +
        '        alphabet_learning.svg, associator.svg, codes.npy [seeds, 26, 16], active_units.npy [seeds, 26],\n' +
        '        images.npy [26, 64], q.npy, w.npy, t.npy; run.json metrics.engine names the engine',
    )
    .action(async (o: Options, c: Command) => {
      process.exitCode = await reproduceFoldiak1990(o, c);
    });
}
