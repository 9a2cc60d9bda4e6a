import { describe, expect, it } from 'vitest';
import { binaryEntropyBits, codeInformation, entropyBits } from './code-information';

// Known answers for the information and redundancy of binary codes.
describe('codeInformation', () => {
  it('entropies: uniform over 4 is 2 bits, (1/2, 1/4, 1/4) is 1.5, H(1/4) = 0.8113', () => {
    expect(entropyBits([1, 1, 1, 1])).toBeCloseTo(2, 12);
    expect(entropyBits([0.5, 0.25, 0.25, 0])).toBeCloseTo(1.5, 12);
    expect(binaryEntropyBits(0.25)).toBeCloseTo(0.811278124459, 10);
    expect(binaryEntropyBits(0)).toBe(0);
  });

  it('a 2-bit binary code of 4 equiprobable stimuli keeps 2 bits with no redundancy', () => {
    const c = codeInformation([0, 0, 0, 1, 1, 0, 1, 1], 4, 2);
    expect(c.stimulusEntropy).toBeCloseTo(2, 12);
    expect(c.mutualInformation).toBeCloseTo(2, 12);
    expect(c.unitEntropySum).toBeCloseTo(2, 12);
    expect(c.redundancy).toBeCloseTo(0, 12);
    expect(c.distinctCodes).toBe(4);
    expect(c.stimuliWithOwnCode).toBe(4);
    expect(c.meanActiveUnits).toBeCloseTo(1, 12);
  });

  it('a duplicated unit adds exactly 1 bit of redundancy; a one-hot code of 4 has 4·H(1/4) − 2', () => {
    expect(codeInformation([0, 0, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1], 4, 3).redundancy).toBeCloseTo(1, 12);
    const oneHot = codeInformation([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], 4, 4);
    expect(oneHot.mutualInformation).toBeCloseTo(2, 12);
    expect(oneHot.redundancy).toBeCloseTo(4 * 0.811278124459 - 2, 10);
    expect(oneHot.meanActiveUnits).toBeCloseTo(1, 12);
  });

  it('two stimuli on one code word: 0.5 bit lost of 2, and the pair is named', () => {
    const c = codeInformation([0, 0, 0, 0, 0, 1, 1, 0], 4, 2, { stimulus: ['A', 'B', 'C', 'D'] });
    expect(c.mutualInformation).toBeCloseTo(1.5, 12);
    expect(c.informationLost).toBeCloseTo(0.5, 12);
    expect(c.sharedCodes).toEqual([['A', 'B']]);
    expect(c.stimuliWithOwnCode).toBe(2);
    expect(c.distinctCodes).toBe(3);
  });

  it('weights: stimuli with probabilities 1/2, 1/4, 1/8, 1/8 and distinct codes give 1.75 bits', () => {
    const c = codeInformation([1, 0, 0, 1, 1, 1, 0, 0], 4, 2, { weights: [0.5, 0.25, 0.125, 0.125] });
    expect(c.mutualInformation).toBeCloseTo(1.75, 12);
    expect(c.unitActivity[0]).toBeCloseTo(0.625, 12);
  });

  it('a noisy code (binary symmetric channel, error 0.1) keeps 1 − H(0.1) bits', () => {
    // rows (stimulus, response, probability): (0, 0, .45), (0, 1, .05), (1, 1, .45), (1, 0, .05)
    const c = codeInformation([0, 1, 1, 0], 4, 1, { stimulus: [0, 0, 1, 1], weights: [0.45, 0.05, 0.45, 0.05] });
    expect(c.mutualInformation).toBeCloseTo(1 - binaryEntropyBits(0.1), 12);
    expect(c.stimulusEntropy).toBeCloseTo(1, 12);
  });

  it('independent units have no redundancy; sampled rows with repeats give the plug-in values', () => {
    const rows = [0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1];
    const c = codeInformation(rows, 8, 2, { stimulus: [0, 1, 2, 3, 0, 1, 2, 3] });
    expect(c.stimuli).toBe(4);
    expect(c.codeEntropy).toBeCloseTo(2, 12);
    expect(c.mutualInformation).toBeCloseTo(2, 12);
    expect(c.redundancy).toBeCloseTo(0, 12);
    // the first six rows only: plug-in H(Y) of counts 2, 2, 1, 1; unit 1 active in 2 of 6 rows, unit 2 in 3 of 6
    const d = codeInformation(rows.slice(0, 12), 6, 2, { stimulus: [0, 1, 2, 3, 0, 1] });
    expect(d.codeEntropy).toBeCloseTo(entropyBits([2, 2, 1, 1]), 12);
    expect(d.redundancy).toBeCloseTo(binaryEntropyBits(2 / 6) + 1 - entropyBits([2, 2, 1, 1]), 12);
  });

  it('refuses shapes, weights and labels that do not fit, naming both sizes', () => {
    expect(() => codeInformation([0, 1, 1], 2, 2)).toThrow(/3 values do not fill shape \[2, 2\] \(4\)/);
    expect(() => codeInformation([0, 1], 2, 1, { weights: [1] })).toThrow(/1 weights for 2 rows/);
    expect(() => codeInformation([0, 1], 2, 1, { weights: [0, 0] })).toThrow(/weights sum to 0/);
    expect(() => codeInformation([0, 1], 2, 1, { stimulus: [1, 2, 3] })).toThrow(/3 stimulus labels for 2 rows/);
  });
});
