/**
 * The report of `foldiak1990Alphabet` as data (`PaperReport`): per-seed code measures, the code of
 * each letter, the associative layer on the code and on the raw images, and the figures' captions.
 */
import { ALPHABET } from '@wmkit/tasks';
import type { Foldiak1990AlphabetResult } from './foldiak1990-alphabet';
import { type PaperReport, pValueText } from './report';

const at = (n: number) => (n >= 0 ? String(n) : 'not within the run');

/** One row per seed: distinct codes, bits kept, unit entropies, redundancy, active units, frequency vs active units. */
export function foldiak1990AlphabetRows(r: Foldiak1990AlphabetResult): string[][] {
  const rows: string[][] = [
    [
      'seed',
      'distinct codes (of 26)',
      'bits kept (of H)',
      'Σ H(y_i) (bits)',
      'redundancy (bits)',
      'active units (mean)',
      'ρ(frequency, active units)',
    ],
  ];
  const H = r.input.stimulusEntropy.toFixed(2);
  rows.push([
    'raw image (64 pixels)',
    String(r.input.distinctCodes),
    `${r.input.mutualInformation.toFixed(2)} / ${H}`,
    r.input.unitEntropySum.toFixed(2),
    r.input.redundancy.toFixed(2),
    r.input.meanActiveUnits.toFixed(2),
    '',
  ]);
  for (const s of r.seeds)
    rows.push([
      String(s.seed),
      String(s.code.distinctCodes),
      `${s.code.mutualInformation.toFixed(2)} / ${H}`,
      s.code.unitEntropySum.toFixed(2),
      s.code.redundancy.toFixed(2),
      s.code.meanActiveUnits.toFixed(2),
      `${s.frequencyVsActive.rho.toFixed(2)} (p ${pValueText(s.frequencyVsActive.p)})`,
    ]);
  return rows;
}

/** The code of every letter for one seed (default the first), letters in order of decreasing frequency. */
export function foldiak1990AlphabetCodeRows(r: Foldiak1990AlphabetResult, seedIndex = 0): string[][] {
  const s = r.seeds[seedIndex];
  if (!s) return [];
  const nOut = r.params.nOut;
  const word = (k: number) => Array.from(s.codes.subarray(k * nOut, (k + 1) * nOut)).join('');
  const shared = new Map<string, string[]>();
  for (let k = 0; k < 26; k++) shared.set(word(k), [...(shared.get(word(k)) ?? []), ALPHABET[k] as string]);
  const rows = [['letter', 'frequency (%)', `code (units 1–${nOut})`, 'active units', 'shares its code with']];
  for (const k of r.frequencyOrder) {
    const others = (shared.get(word(k)) ?? []).filter((l) => l !== ALPHABET[k]);
    rows.push([
      ALPHABET[k] as string,
      ((r.probabilities[k] as number) * 100).toFixed(2),
      word(k),
      String(s.activeUnits[k]),
      others.join(', '),
    ]);
  }
  return rows;
}

/** The associative layer on the learned code vs the raw images, per seed. */
export function foldiak1990AssociatorRows(r: Foldiak1990AlphabetResult): string[][] {
  const rows = [
    [
      'seed',
      'input',
      'Hebbian capacity (letters)',
      'Hebbian error, all 26 stored',
      'delta rule: error ≤ 5% by',
      'all 26 correct by',
      `error after ${r.deltaPresentations} (weighted / letters)`,
    ],
  ];
  for (const s of r.seeds)
    for (const [name, a] of [
      ['code', s.associator.code],
      ['raw', s.associator.raw],
    ] as const)
      rows.push([
        String(s.seed),
        name === 'code' ? `code (${r.params.nOut} units)` : 'raw image (64 pixels)',
        String(a.hebbian.capacity),
        a.hebbian.weightedError.toFixed(3),
        at(a.delta.reachedAt),
        at(a.delta.allCorrectAt),
        `${a.delta.final.weightedError.toFixed(3)} / ${a.delta.final.error.toFixed(3)}`,
      ]);
  return rows;
}

/** The alphabet result in a few sentences. */
export function foldiak1990AlphabetSummary(r: Foldiak1990AlphabetResult): string {
  const m = r.mean;
  return (
    `Over ${r.seeds.length} seeds the ${r.params.nOut}-unit code gives ${m.distinctCodes.toFixed(1)} of 26 letters distinct codes and keeps ${m.bitsRetained.toFixed(2)} of the ${r.input.stimulusEntropy.toFixed(2)} bits of the letter (English frequencies), ` +
    `with ${m.meanActiveUnits.toFixed(2)} active units per letter (target p·n = ${(r.params.p * r.params.nOut).toFixed(2)}) and a redundancy Σ H(y_i) − H(Y) of ${m.redundancy.toFixed(2)} bits, against ${r.input.redundancy.toFixed(2)} bits for the 64 pixels (${r.input.meanActiveUnits.toFixed(1)} on per letter). ` +
    `Associative layer (random targets, ${r.targetActive} of ${r.targetUnits} units): Hebbian capacity ${m.hebbianCapacity.code.toFixed(1)} letters on the code vs ${m.hebbianCapacity.raw.toFixed(1)} on the raw image ` +
    `(error with all 26 stored ${m.hebbianError.code.toFixed(3)} vs ${m.hebbianError.raw.toFixed(3)}); delta rule: weighted error ${m.deltaEarlyError.code.toFixed(3)} vs ${m.deltaEarlyError.raw.toFixed(3)} after ${m.deltaEarlyError.presentations} presentations, after ${r.deltaPresentations} ${m.deltaError.code.toFixed(3)} vs ${m.deltaError.raw.toFixed(3)}, letters wrong ${m.deltaLetterError.code.toFixed(3)} vs ${m.deltaLetterError.raw.toFixed(3)}.`
  );
}

/** The report of the alphabet demonstration (figures `alphabet_glyphs`, `alphabet_code`, `alphabet_receptive_fields`, `alphabet_learning`, `associator`). */
export function foldiak1990AlphabetReport(r: Foldiak1990AlphabetResult): PaperReport {
  const P = r.params;
  return {
    title: 'Földiák 1990, second demonstration: a sparse code for the letters of the alphabet',
    sections: [
      {
        paragraphs: [
          `The 26 capital letters as 8 × 8 binary images (wmkit's own 6 × 7 font), each presented with its frequency in English text (Lewand 2000; H = ${r.input.stimulusEntropy.toFixed(2)} bits per letter), to ${P.nOut} units with the bars network's rules and rates: α = ${P.alpha}, β = ${P.beta}, γ = ${P.gamma}, p = ${P.p}, λ = ${P.lambda}, ${P.pretrainCycles} threshold pre-training presentations, then ${r.presentations} learning presentations per seed. Engine: ${r.engine === 'tfjs' ? 'TensorFlow.js ops' : 'float64 JavaScript'}.`,
          'Measures (exact, letters weighted by frequency): bits kept I(letter; code) = H(code) for this deterministic code; Σ H(y_i), the sum of the units’ entropies; redundancy Σ H(y_i) − H(Y), the statistical dependence between the units (0 for independent units); distinct codes and the letters that share one.',
          foldiak1990AlphabetSummary(r),
          `Runtime ${r.seconds.toFixed(1)} s.`,
        ],
        tables: [{ caption: 'The code, per seed (first row: the raw image as a code)', rows: foldiak1990AlphabetRows(r) }],
        figures: [
          ['alphabet_glyphs', 'The 26 input images (8 × 8).'],
          [
            'alphabet_code',
            `The learned code of each letter, seed ${r.seeds[0]?.seed ?? ''}: letters by decreasing frequency, units as columns.`,
          ],
          ['alphabet_receptive_fields', 'Each unit’s feed-forward weights as an 8 × 8 image, and the letters it responds to.'],
          ['alphabet_learning', 'Distinct codes and bits kept against presentations, every seed.'],
        ],
      },
      {
        heading: 'The code of each letter',
        tables: [{ rows: foldiak1990AlphabetCodeRows(r) }],
      },
      {
        heading: 'A downstream associative layer',
        paragraphs: [
          `Each letter is associated with a random binary target (${r.targetActive} of ${r.targetUnits} units on), once from the learned code and once from the raw image. Hebbian layer (Willshaw clipped weights, threshold = active inputs): letters stored in order of decreasing frequency; capacity = the most letters stored with every stored one recalled exactly. Delta rule (normalised, η = ${r.deltaRate}): online, letters drawn with their frequencies for ${r.deltaPresentations} presentations; error = fraction of letters (frequency-weighted, and unweighted) recalled with a wrong bit.`,
        ],
        tables: [{ rows: foldiak1990AssociatorRows(r) }],
        figures: [['associator', 'Delta-rule error against presentations and Hebbian recall against letters stored, code vs raw image.']],
      },
    ],
  };
}
