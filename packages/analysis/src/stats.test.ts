import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { pairedSignTest, signFlipTest, signTestP, standardError } from './stats';

describe('signTestP (one-sided binomial tail)', () => {
  it('known answers', () => {
    expect(signTestP(3, 3)).toBe(0.125);
    expect(signTestP(0, 4)).toBe(1);
    expect(signTestP(5, 10)).toBeCloseTo(638 / 1024, 12);
    expect(signTestP(10, 10)).toBeCloseTo(1 / 1024, 15);
  });
  it('is a decreasing tail in k', () => {
    for (let k = 1; k <= 12; k++) expect(signTestP(k, 12)).toBeLessThan(signTestP(k - 1, 12));
  });
});

describe('pairedSignTest', () => {
  it('drops non-finite differences, counts ties and leaves them out of the test', () => {
    expect(pairedSignTest([1, 2, 0, Number.NaN, 3])).toEqual({ up: 3, n: 4, ties: 1, p: 0.125 });
  });
  it('all ties: p is NaN', () => {
    const r = pairedSignTest([0, 0]);
    expect(r).toMatchObject({ up: 0, n: 2, ties: 2 });
    expect(r.p).toBeNaN();
  });
});

describe('standardError', () => {
  it('sample SD / √n of the finite values', () => {
    // SD of 1..5 is √2.5
    expect(standardError([1, 2, 3, 4, 5, Number.NaN])).toBeCloseTo(Math.sqrt(2.5 / 5), 12);
    expect(standardError([7])).toBeNaN();
  });
});

describe('signFlipTest', () => {
  it('a clearly positive sample is significant, a symmetric one is not', () => {
    const pos = Array.from({ length: 12 }, (_, i) => 1 + 0.1 * i);
    // with 12 values all positive, only the all-positive flip (1/4096) reaches the observed mean
    expect(signFlipTest(pos, new Rng(1), 2000, 'greater')).toBeLessThan(0.01);
    expect(signFlipTest(pos, new Rng(1), 2000, 'less')).toBeGreaterThan(0.99);
    const sym = [-2, -1, 1, 2];
    expect(signFlipTest(sym, new Rng(2), 2000, 'greater')).toBeGreaterThan(0.3);
  });
  it('NaN without finite values; same seed, same p', () => {
    expect(signFlipTest([Number.NaN], new Rng(1), 10, 'greater')).toBeNaN();
    expect(signFlipTest([1, -0.5, 2], new Rng(3), 100, 'greater')).toBe(signFlipTest([1, -0.5, 2], new Rng(3), 100, 'greater'));
  });
});
