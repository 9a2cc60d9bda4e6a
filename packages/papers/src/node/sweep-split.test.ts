import { describe, expect, it } from 'vitest';
import { sweepSplit } from './sweep-split';

describe('sweepSplit', () => {
  it('one worker per core, at most one per run; the kernel threads shared among them', () => {
    expect(sweepSplit({ runs: 8, cores: 2, threads: 2 })).toEqual({
      workers: 2,
      kernelThreads: 1,
      reason: '2 workers × 1 kernel thread (2 cores, 8 runs)',
    });
    expect(sweepSplit({ runs: 1, cores: 2, threads: 2 })).toMatchObject({ workers: 1, kernelThreads: 2 });
    expect(sweepSplit({ runs: 3, cores: 16, threads: 16 })).toMatchObject({ workers: 3, kernelThreads: 5 });
    // --threads 1 (or WMKIT_THREADS=1) on 4 cores: 4 workers, each with one kernel thread
    expect(sweepSplit({ runs: 10, cores: 4, threads: 1 })).toMatchObject({ workers: 4, kernelThreads: 1 });
  });

  it('--workers wins, at most one per run', () => {
    expect(sweepSplit({ runs: 8, cores: 2, threads: 2, workers: 1 })).toEqual({
      workers: 1,
      kernelThreads: 2,
      reason: '1 worker × 2 kernel threads (--workers 1)',
    });
    expect(sweepSplit({ runs: 2, cores: 2, threads: 8, workers: 6 })).toMatchObject({ workers: 2, kernelThreads: 4 });
  });
});
