import { bernoulliPatterns } from '@wmkit/tasks';
import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { parseHdSnnConfig } from './config';
import { denseToEvents } from './events';
import { recallInput, recallInputEvents, silencedNeurons } from './recall';

describe('recallInputEvents', () => {
  it("gives recallInput's spikes as event lists for every protocol (the same draws)", () => {
    const cfg = parseHdSnnConfig({ N: 40, T: 60, D: 8, M: 3, p: 0.05, backgroundSteps: 12 });
    const set = bernoulliPatterns({ M: 3, N: 40, T: 60, p: 0.05, seed: 3 });
    for (const protocol of [{}, { cueFraction: 0.5 }, { flip: 0.1 }, { silence: silencedNeurons(40, 7, 2) }]) {
      const dense = recallInput(set, cfg, new Rng(11), protocol);
      const events = recallInputEvents(set, cfg, new Rng(11), protocol);
      expect(events).toEqual(Array.from({ length: 3 }, (_, m) => denseToEvents(dense.data, 40, dense.steps, m)));
    }
    expect(() => recallInputEvents(set, cfg, new Rng(1), { cueFraction: 1.5 })).toThrow(/cueFraction \(1.5\) must lie in \[0, 1\]/);
  });
});
