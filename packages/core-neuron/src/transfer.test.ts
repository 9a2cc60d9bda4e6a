import { initBackend, tf } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { brunelScalar, TRANSFER_NAMES, transfer, transferScalar } from './transfer';

describe('transfer functions', () => {
  beforeAll(async () => {
    await initBackend('cpu', { env: {} });
  });

  it('Brunel 2003: 0, x², √(4x−3), continuous with continuous slope at 1', () => {
    expect(brunelScalar(-1)).toBe(0);
    expect(brunelScalar(0)).toBe(0);
    expect(brunelScalar(0.5)).toBe(0.25);
    expect(brunelScalar(1)).toBe(1);
    expect(brunelScalar(3)).toBe(3);
    const h = 1e-6;
    expect((brunelScalar(1 + h) - brunelScalar(1 - h)) / (2 * h)).toBeCloseTo(2, 4);
  });

  it('tensor and scalar versions agree for every transfer', () => {
    const xs = [-40, -3, -1, -0.2, 0, 0.3, 0.99, 1, 1.5, 4, 40];
    for (const name of TRANSFER_NAMES) {
      const t = Array.from(transfer(name)(tf.tensor1d(xs)).dataSync());
      const s = xs.map(transferScalar(name));
      for (let i = 0; i < t.length; i++) expect(t[i]).toBeCloseTo(s[i], 5);
    }
  });

  it('an unknown name is a clear error', () => {
    expect(() => transfer('gelu')).toThrow("transfer: unknown transfer function 'gelu'; use one of sigmoid, tanh, relu, softplus, brunel");
  });
});
