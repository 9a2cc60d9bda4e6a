/**
 * The alphabet stimuli of Földiák's (1990) second demonstration: the 26 capital letters as 8 × 8
 * binary images, shown with the frequencies of the letters in English text.
 *
 * The font is wmkit's own (the paper's bitmaps are not published with it): every glyph is 6
 * pixels wide and 7 tall, in columns 1–6 and rows 0–6 of the 8 × 8 grid (row 7 and columns 0
 * and 7 stay blank); strokes are one pixel wide except the two-pixel stems of I, T and Y. The
 * letter frequencies are the relative frequencies of letters in English text tabulated by
 * R. E. Lewand (2000), "Cryptological Mathematics", Mathematical Association of America (in %).
 */
import type { Rng } from '@wmkit/tensor';
import { ShapeError } from '@wmkit/tensor';

/** The 26 capital letters, A…Z, in alphabetical order (the index of a letter in the data sets). */
export const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** wmkit's 6 × 7 capital-letter glyphs (`#` on, `.` off), one string per row, drawn in an 8 × 8 grid by `letterImage`. */
export const LETTER_GLYPHS: Readonly<Record<string, readonly string[]>> = {
  A: ['..##..', '.#..#.', '#....#', '#....#', '######', '#....#', '#....#'],
  B: ['#####.', '#....#', '#....#', '#####.', '#....#', '#....#', '#####.'],
  C: ['.####.', '#....#', '#.....', '#.....', '#.....', '#....#', '.####.'],
  D: ['####..', '#...#.', '#....#', '#....#', '#....#', '#...#.', '####..'],
  E: ['######', '#.....', '#.....', '#####.', '#.....', '#.....', '######'],
  F: ['######', '#.....', '#.....', '#####.', '#.....', '#.....', '#.....'],
  G: ['.####.', '#....#', '#.....', '#..###', '#....#', '#....#', '.####.'],
  H: ['#....#', '#....#', '#....#', '######', '#....#', '#....#', '#....#'],
  I: ['.####.', '..##..', '..##..', '..##..', '..##..', '..##..', '.####.'],
  J: ['..####', '....#.', '....#.', '....#.', '#...#.', '#...#.', '.###..'],
  K: ['#....#', '#...#.', '#..#..', '###...', '#..#..', '#...#.', '#....#'],
  L: ['#.....', '#.....', '#.....', '#.....', '#.....', '#.....', '######'],
  M: ['#....#', '##..##', '#.##.#', '#....#', '#....#', '#....#', '#....#'],
  N: ['#....#', '##...#', '#.#..#', '#..#.#', '#...##', '#....#', '#....#'],
  O: ['.####.', '#....#', '#....#', '#....#', '#....#', '#....#', '.####.'],
  P: ['#####.', '#....#', '#....#', '#####.', '#.....', '#.....', '#.....'],
  Q: ['.####.', '#....#', '#....#', '#....#', '#..#.#', '#...#.', '.###.#'],
  R: ['#####.', '#....#', '#....#', '#####.', '#..#..', '#...#.', '#....#'],
  S: ['.####.', '#....#', '#.....', '.####.', '.....#', '#....#', '.####.'],
  T: ['######', '..##..', '..##..', '..##..', '..##..', '..##..', '..##..'],
  U: ['#....#', '#....#', '#....#', '#....#', '#....#', '#....#', '.####.'],
  V: ['#....#', '#....#', '#....#', '.#..#.', '.#..#.', '..##..', '..##..'],
  W: ['#....#', '#....#', '#....#', '#....#', '#.##.#', '##..##', '#....#'],
  X: ['#....#', '.#..#.', '..##..', '..##..', '..##..', '.#..#.', '#....#'],
  Y: ['#....#', '.#..#.', '..##..', '..##..', '..##..', '..##..', '..##..'],
  Z: ['######', '.....#', '....#.', '..##..', '.#....', '#.....', '######'],
};

/** Relative frequency (%) of each letter A…Z in English text (Lewand 2000); they sum to 100 within rounding. */
export const ENGLISH_LETTER_FREQUENCIES: readonly number[] = [
  8.167, 1.492, 2.782, 4.253, 12.702, 2.228, 2.015, 6.094, 6.966, 0.153, 0.772, 4.025, 2.406, 6.749, 7.507, 1.929, 0.095, 5.987, 6.327,
  9.056, 2.758, 0.978, 2.36, 0.15, 1.974, 0.074,
];

/** The English letter frequencies normalised to probabilities (sum 1), A…Z. */
export function englishLetterProbabilities(): Float64Array {
  const total = ENGLISH_LETTER_FREQUENCIES.reduce((a, b) => a + b, 0);
  return Float64Array.from(ENGLISH_LETTER_FREQUENCIES, (f) => f / total);
}

/** The 8 × 8 binary image (row-major, 64 values) of one capital letter, given as a character or its index 0…25. */
export function letterImage(letter: string | number): Float32Array {
  const ch = typeof letter === 'number' ? ALPHABET[letter] : letter.toUpperCase();
  const glyph = ch === undefined ? undefined : LETTER_GLYPHS[ch];
  if (!glyph || (typeof letter === 'string' && letter.length !== 1))
    throw new ShapeError(`letterImage: '${letter}' is not a letter A–Z (or an index 0–25)`);
  const img = new Float32Array(64);
  for (let r = 0; r < glyph.length; r++) for (let c = 0; c < 6; c++) if ((glyph[r] as string)[c] === '#') img[r * 8 + c + 1] = 1;
  return img;
}

/** The 26 letter images stacked, [26, 64], A…Z. */
export function alphabetImages(): Float32Array {
  const x = new Float32Array(26 * 64);
  for (let k = 0; k < 26; k++) x.set(letterImage(k), k * 64);
  return x;
}

/** Number of letters and the random stream of an alphabet data set. */
export interface AlphabetOptions {
  count: number;
  rng: Rng;
  /** Probability of each letter A…Z (default: the English letter frequencies). */
  probabilities?: ArrayLike<number>;
}

/** Letters drawn independently with the given probabilities, and their images. */
export interface AlphabetDataset {
  count: number;
  /** [count, 64] binary pixels, row-major 8 × 8 images. */
  x: Float32Array;
  /** Index 0…25 of each letter drawn. */
  letters: Int32Array;
}

/** Letters drawn at random (one `rng.random()` per letter, inverse cumulative probabilities), with their images. */
export function alphabetDataset(o: AlphabetOptions): AlphabetDataset {
  if (!(Number.isInteger(o.count) && o.count >= 0))
    throw new ShapeError(`alphabetDataset: count ${o.count} must be a non-negative integer`);
  const probs = o.probabilities ?? englishLetterProbabilities();
  if (probs.length !== 26) throw new ShapeError(`alphabetDataset: ${probs.length} probabilities given, expected 26 (A…Z)`);
  const cum = new Float64Array(26);
  let s = 0;
  for (let k = 0; k < 26; k++) {
    const p = probs[k] as number;
    if (!(p >= 0 && Number.isFinite(p))) throw new ShapeError(`alphabetDataset: probability of ${ALPHABET[k]} is ${p}, must be ≥ 0`);
    s += p;
    cum[k] = s;
  }
  if (!(s > 0)) throw new ShapeError('alphabetDataset: the probabilities sum to 0; give at least one positive probability');
  const images = alphabetImages();
  const x = new Float32Array(o.count * 64);
  const letters = new Int32Array(o.count);
  for (let n = 0; n < o.count; n++) {
    const u = o.rng.random() * s;
    let k = 0;
    while (k < 25 && u >= (cum[k] as number)) k++;
    letters[n] = k;
    x.set(images.subarray(k * 64, (k + 1) * 64), n * 64);
  }
  return { count: o.count, x, letters };
}
