import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { ALPHABET, alphabetDataset, alphabetImages, englishLetterProbabilities, LETTER_GLYPHS, letterImage } from './alphabet';

describe('alphabet stimuli (Földiák 1990, second demonstration)', () => {
  it('26 glyphs of 7 rows × 6 columns, all different, inside the 8 × 8 grid', () => {
    expect(Object.keys(LETTER_GLYPHS).join('')).toBe(ALPHABET);
    for (const g of Object.values(LETTER_GLYPHS)) {
      expect(g).toHaveLength(7);
      for (const row of g) expect(row).toMatch(/^[#.]{6}$/);
    }
    const x = alphabetImages();
    const keys = new Set<string>();
    for (let k = 0; k < 26; k++) {
      const img = x.subarray(k * 64, (k + 1) * 64);
      keys.add(Array.from(img).join(''));
      for (let c = 0; c < 8; c++) expect(img[7 * 8 + c]).toBe(0); // row 7 blank
      for (let r = 0; r < 8; r++) expect(img[r * 8] + img[r * 8 + 7]).toBe(0); // columns 0 and 7 blank
    }
    expect(keys.size).toBe(26);
    // L: the left column (rows 0–6) and the bottom row
    expect(letterImage('L').reduce((a, b) => a + b, 0)).toBe(12);
    expect(letterImage(11)).toEqual(letterImage('l'));
  });

  it('English frequencies: probabilities sum to 1, E most frequent, Z least', () => {
    const p = englishLetterProbabilities();
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(ALPHABET[p.indexOf(Math.max(...p))]).toBe('E');
    expect(ALPHABET[p.indexOf(Math.min(...p))]).toBe('Z');
  });

  it('draws letters with the given probabilities (within 4 SE over 20,000 draws)', () => {
    const n = 20_000;
    const d = alphabetDataset({ count: n, rng: new Rng(3) });
    const p = englishLetterProbabilities();
    const counts = new Array(26).fill(0);
    for (const k of d.letters) counts[k]++;
    for (let k = 0; k < 26; k++) {
      const pk = p[k] as number;
      expect(Math.abs(counts[k] / n - pk)).toBeLessThan(4 * Math.sqrt((pk * (1 - pk)) / n) + 1e-9);
    }
    expect(Array.from(d.x.subarray(64, 128))).toEqual(Array.from(letterImage(d.letters[1] as number)));
  });

  it('refuses bad letters and probabilities with the fix', () => {
    expect(() => letterImage('ä')).toThrow(/not a letter A–Z/);
    expect(() => alphabetDataset({ count: 1, rng: new Rng(1), probabilities: [1, 2] })).toThrow(/2 probabilities given, expected 26/);
  });
});
