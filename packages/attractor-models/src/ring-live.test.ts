import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { ringModel } from './params';
import { RingLive } from './ring-live';

describe('RingLive (stepped ring network)', () => {
  it('a cue leaves a bump at its angle that persists through the delay (bump model, noise off), and the erase input removes it', () => {
    const net = new RingLive(ringModel('bump'), new Rng(1));
    net.step(250, { cue: 1.2, noiseScale: 0 }); // 500 ms of cue
    net.step(500, { noiseScale: 0 }); // 1 s of delay
    expect(Math.abs(Math.atan2(Math.sin(net.decode() - 1.2), Math.cos(net.decode() - 1.2)))).toBeLessThan(0.02);
    expect(Math.max(...net.rE) - Math.min(...net.rE)).toBeGreaterThan(3); // a bump, not a flat state
    net.step(250, { erase: true, noiseScale: 0 });
    expect(Math.max(...net.rE)).toBeLessThan(1);
    expect(net.timeMs).toBe(2000);
  });

  it('with noise the remembered angle drifts but stays near the cue over 1 s', () => {
    const net = new RingLive(ringModel('bump'), new Rng(2));
    net.step(250, { cue: -2 });
    net.step(500);
    // diffusion ≈ 3.9 deg²/s for this model: after 1 s, SD ≈ 2 deg; 15 deg is > 7 SD
    expect(Math.abs(Math.atan2(Math.sin(net.decode() + 2), Math.cos(net.decode() + 2)))).toBeLessThan((15 * Math.PI) / 180);
  });
});
